/**
 * The Zendesk API endpoints the product uses, with Zendesk's paths (with and without `.json`),
 * parameters, envelopes and pagination rules (zendesk-api.md §1–§5 and the §8 checklist).
 */
import { isUnexportedCreation } from './record-shapes.js';
import { Account, type FoldState, type User } from './account.js';
import { lowerBound } from './columns.js';
import type { Principal } from './auth.js';
import { Renderer, type Json } from './render.js';
import { ticketInView, unsupportedKindsOf } from './truth.js';
import { ACCOUNT_TIME_ZONE, LOCALES } from './catalog.js';
import { FIELD_TYPES, viewContextOf } from './ground-truth.js';

export interface ApiRequest {
  readonly path: string;
  readonly query: URLSearchParams;
  readonly principal: Principal;
  /** The sandbox clock, whole epoch seconds. */
  readonly now: number;
}

export interface ApiResponse {
  readonly status: number;
  readonly body: Json;
}

export interface EndpointOptions {
  readonly talkPageSize: number;
}

const ok = (body: Json): ApiResponse => ({ status: 200, body });
const error = (status: number, code: string, description: string): ApiResponse => ({
  status,
  body: { error: code, description },
});
export const FORBIDDEN: ApiResponse = {
  status: 403,
  body: {
    error: {
      title: 'Forbidden',
      message:
        'You do not have access to this page. Please contact the account owner of this help desk for further help.',
    },
  },
};
export const NOT_FOUND: ApiResponse = error(404, 'InvalidEndpoint', 'Not found');

class BadRequest extends Error {
  constructor(readonly response: ApiResponse) {
    super(JSON.stringify(response.body));
  }
}

const intParam = (q: URLSearchParams, name: string): number | null => {
  const raw = q.get(name);
  if (raw === null) return null;
  if (!/^-?\d+$/.test(raw))
    throw new BadRequest(error(400, 'InvalidValue', `${name} must be an integer, got "${raw}"`));
  return Number(raw);
};

const pageSize = (q: URLSearchParams, name: string, max: number, fallback: number): number => {
  const v = intParam(q, name);
  if (v === null) return fallback;
  if (v < 1) throw new BadRequest(error(400, 'InvalidValue', `${name} must be at least 1, got ${v}`));
  return Math.min(v, max);
};

/**
 * A page of a time-based export over items sorted by time. The page never splits a second: when
 * its size limit falls inside one, the rest of that second comes along (the page may exceed the
 * limit). `end_time` is the last second on the page, so the next page starts with that second
 * again (Zendesk's boundary duplicates) — except when the whole page is one second, or when
 * `pastLastSecond` asks for it on the last page, where it moves one second on so paging cannot stall.
 */
export const timePage = (
  length: number,
  tsAt: (i: number) => number,
  startTime: number,
  lastVisible: number,
  perPage: number,
  pastLastSecond: boolean,
): { from: number; to: number; endTime: number; endOfStream: boolean } => {
  const from = lowerBound(length, tsAt, startTime);
  const limit = lowerBound(length, tsAt, lastVisible + 1);
  if (from >= limit) return { from, to: from, endTime: startTime, endOfStream: true };
  let to = Math.min(from + perPage, limit);
  while (to < limit && tsAt(to) === tsAt(to - 1)) to++;
  const last = tsAt(to - 1);
  const endOfStream = to >= limit;
  const endTime = tsAt(from) === last || (endOfStream && pastLastSecond) ? last + 1 : last;
  return { from, to, endTime, endOfStream };
};

export const encodeExportCursor = (ts: number, id: number): string =>
  Buffer.from(`${ts}.0||${id}|`, 'utf8').toString('base64');

const decodeExportCursor = (cursor: string): { ts: number; id: number } => {
  const m = /^(\d+)\.0\|\|(\d+)\|$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!m) throw new BadRequest(error(400, 'InvalidCursor', 'cursor is not a cursor this export issued'));
  return { ts: Number(m[1]), id: Number(m[2]) };
};

const encodeListCursor = (position: number) =>
  Buffer.from(JSON.stringify({ o: 'position', v: position })).toString('base64');
const decodeListCursor = (cursor: string): number => {
  try {
    const v = (JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as { v?: unknown }).v;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  } catch {
    // fall through to the error below
  }
  throw new BadRequest(
    error(400, 'InvalidPaginationParameter', 'page[after] / page[before] is not a valid cursor'),
  );
};

export class Endpoints {
  private readonly usersByUpdate: User[];

  constructor(
    private readonly account: Account,
    private readonly render: Renderer,
    private readonly baseUrl: string,
    private readonly options: EndpointOptions,
  ) {
    this.usersByUpdate = [...account.users].sort((a, b) => a.updatedAt - b.updatedAt || a.id - b.id);
  }

  private exportedCache: { version: number; positions: Int32Array } | null = null;

  /** Positions (in `order`) of the audits the ticket event export carries: `per_page` counts these. */
  private exportedPositions(): Int32Array {
    const acc = this.account;
    if (!this.exportedCache || this.exportedCache.version !== acc.version) {
      const positions: number[] = [];
      for (let p = 0; p < acc.order.length; p++)
        if (!isUnexportedCreation(acc, acc.order.get(p))) positions.push(p);
      this.exportedCache = { version: acc.version, positions: Int32Array.from(positions) };
    }
    return this.exportedCache.positions;
  }

  handle(req: ApiRequest): ApiResponse {
    try {
      return this.route(req);
    } catch (e) {
      if (e instanceof BadRequest) return e.response;
      throw e;
    }
  }

  private route(req: ApiRequest): ApiResponse {
    const path = req.path.replace(/\.json$/, '');
    const admin = () => {
      if (!req.principal.admin) throw new BadRequest(FORBIDDEN);
    };
    switch (path) {
      case '/api/v2/users/me':
        return ok({ user: this.render.userJson(this.account.usersById.get(req.principal.userId)!) });
      case '/api/v2/users/show_many':
        return this.usersShowMany(req);
      case '/api/v2/tickets/show_many':
        return this.ticketsShowMany(req);
      case '/api/v2/incremental/ticket_events':
        admin();
        return this.ticketEvents(req);
      case '/api/v2/incremental/tickets/cursor':
        admin();
        return this.ticketsCursor(req);
      case '/api/v2/incremental/tickets':
        admin();
        return this.ticketsTimeBased(req);
      case '/api/v2/incremental/users/cursor':
        admin();
        return this.usersCursor(req);
      case '/api/v2/incremental/users':
        admin();
        return this.usersTimeBased(req);
      case '/api/v2/account/settings':
        // Zendesk's account settings: the account's time zone under `localization` (a Rails name and the IANA name).
        return ok({
          settings: {
            localization: {
              time_zone: ACCOUNT_TIME_ZONE.name,
              iana_time_zone: ACCOUNT_TIME_ZONE.iana,
              locale_ids: LOCALES.map((l) => l.id),
            },
          },
        });
      case '/api/v2/views':
        return this.views(req, false);
      case '/api/v2/views/active':
        return this.views(req, true);
      case '/api/v2/channels/voice/stats/incremental/calls':
        admin();
        return this.talk(req, 'calls');
      case '/api/v2/channels/voice/stats/incremental/legs':
        admin();
        return this.talk(req, 'legs');
    }
    const audits = /^\/api\/v2\/tickets\/(\d+)\/audits$/.exec(path);
    if (audits) return this.audits(req, Number(audits[1]));
    const viewCount = /^\/api\/v2\/views\/(\d+)\/count$/.exec(path);
    if (viewCount) return this.viewCount(req, Number(viewCount[1]));
    const viewTickets = /^\/api\/v2\/views\/(\d+)\/tickets$/.exec(path);
    if (viewTickets) return this.viewTickets(req, Number(viewTickets[1]));
    return NOT_FOUND;
  }

  /** Show Many Users: `ids` comma-separated, at most 100; unknown ids are left out. */
  private usersShowMany(req: ApiRequest): ApiResponse {
    const raw = req.query.get('ids') ?? '';
    const ids = raw === '' ? [] : raw.split(',').map((v) => Number(v));
    if (ids.length === 0 || ids.length > 100 || ids.some((id) => !Number.isInteger(id) || id <= 0))
      throw new BadRequest(error(400, 'InvalidValue', 'ids must be 1 to 100 comma-separated user ids'));
    const users = ids.flatMap((id) => {
      const user = this.account.usersById.get(id);
      return user ? [this.render.userJson(user)] : [];
    });
    return ok({ users, next_page: null, previous_page: null, count: users.length });
  }

  /**
   * Show Multiple Tickets: `ids` comma-separated, at most 100; each ticket as it stands at the
   * sandbox clock (every update up to it, none later: unlike the exports, no last-minute blind
   * spot), in the ticket export's form. Ids it cannot show are left out: unknown ones, tickets not
   * created yet at the clock, deleted ones.
   */
  private ticketsShowMany(req: ApiRequest): ApiResponse {
    const raw = req.query.get('ids') ?? '';
    const ids = raw === '' ? [] : raw.split(',').map((v) => Number(v));
    if (ids.length === 0 || ids.length > 100 || ids.some((id) => !Number.isInteger(id) || id <= 0))
      throw new BadRequest(error(400, 'InvalidValue', 'ids must be 1 to 100 comma-separated ticket ids'));
    const tickets = ids.flatMap((id) => {
      const t = this.account.ticketIndex(id);
      const ticket = t === null ? null : this.render.ticketAt(t, req.now);
      return ticket === null || ticket.status === 'deleted' ? [] : [ticket];
    });
    return ok({ tickets, next_page: null, previous_page: null, count: tickets.length });
  }

  /** The latest second whose data an export may show: nothing from the most recent minute. */
  private lastVisible(now: number) {
    return now - 61;
  }

  private startTime(req: ApiRequest, tooRecent: ApiResponse): number {
    const start = intParam(req.query, 'start_time');
    if (start === null) throw new BadRequest(error(400, 'InvalidValue', 'start_time is required'));
    if (start < 0) throw new BadRequest(error(400, 'InvalidValue', 'start_time must not be negative'));
    if (start > req.now - 60) throw new BadRequest(tooRecent);
    return start;
  }

  private static readonly TOO_RECENT = error(
    422,
    'InvalidValue',
    'Too recent start_time. Use a start_time older than 1 minute',
  );
  private static readonly TOO_RECENT_CURSOR = error(
    400,
    'StartTimeTooRecent',
    'Too recent start_time. Use a start_time older than 1 minute',
  );

  private ticketEvents(req: ApiRequest): ApiResponse {
    const start = this.startTime(req, Endpoints.TOO_RECENT);
    const perPage = pageSize(req.query, 'per_page', 1000, 1000);
    const include = req.query.get('include');
    const comments = (include ?? '').split(',').includes('comment_events');
    const acc = this.account;
    const exported = this.exportedPositions();
    const tsAt = (i: number) => acc.auditTs.get(acc.order.get(exported[i]!));
    const page = timePage(exported.length, tsAt, start, this.lastVisible(req.now), perPage, false);
    const events: Json[] = [];
    const folded = new Map<number, { next: number; state: FoldState }>();
    for (let i = page.from; i < page.to; i++) {
      const a = acc.order.get(exported[i]!);
      const t = acc.auditTicket.get(a);
      const cached = folded.get(t);
      const before = cached && cached.next === a ? cached.state : acc.stateBefore(a);
      const { event, after } = this.render.exportEvent(a, before, comments);
      events.push(event);
      folded.set(t, { next: acc.auditNext.get(a), state: after });
    }
    const params = new URLSearchParams({ start_time: String(page.endTime) });
    if (include !== null) params.set('include', include);
    if (req.query.has('per_page')) params.set('per_page', String(perPage));
    return ok({
      ticket_events: events,
      count: events.length,
      end_of_stream: page.endOfStream,
      end_time: page.endTime,
      next_page: `${this.baseUrl}/api/v2/incremental/ticket_events.json?${params.toString()}`,
    });
  }

  /** Cursor export over records sorted by (ts, id). */
  private cursorPage<T>(
    req: ApiRequest,
    sorted: { length: number; at: (i: number) => T },
    tsOf: (x: T) => number,
    idOf: (x: T) => number,
  ): { items: T[]; afterCursor: string; endOfStream: boolean } {
    const perPage = pageSize(req.query, 'per_page', 1000, 1000);
    const cursor = req.query.get('cursor');
    let after: { ts: number; id: number };
    if (cursor !== null) after = decodeExportCursor(cursor);
    else after = { ts: this.startTime(req, Endpoints.TOO_RECENT_CURSOR), id: 0 };
    // strictly after the cursor's (time, id); with start_time, id 0 makes it "at or after start_time"
    const from = lowerBound(
      sorted.length,
      (i) => {
        const x = sorted.at(i);
        return (tsOf(x) - after.ts || idOf(x) - after.id) <= 0 ? -1 : 1;
      },
      0,
    );
    const lastVisible = this.lastVisible(req.now);
    const limit = lowerBound(sorted.length, (i) => tsOf(sorted.at(i)), lastVisible + 1);
    const to = Math.min(from + perPage, Math.max(from, limit));
    const items: T[] = [];
    for (let i = from; i < to; i++) items.push(sorted.at(i));
    const last = items[items.length - 1];
    return {
      items,
      afterCursor:
        last === undefined
          ? encodeExportCursor(after.ts, after.id)
          : encodeExportCursor(tsOf(last), idOf(last)),
      endOfStream: to >= limit,
    };
  }

  private ticketsCursor(req: ApiRequest): ApiResponse {
    const acc = this.account;
    const order = acc.ticketOrder();
    const excludeDeleted = req.query.get('exclude_deleted') === 'true';
    const page = this.cursorPage(
      req,
      { length: order.length, at: (i) => order[i]! },
      (t) => acc.ticketLast.get(t),
      (t) => acc.ticketId(t),
    );
    const tickets = page.items
      .map((t) => this.render.ticket(t))
      .filter((t) => !excludeDeleted || t.status !== 'deleted');
    const afterUrl = `${this.baseUrl}/api/v2/incremental/tickets/cursor.json?cursor=${encodeURIComponent(page.afterCursor)}`;
    return ok({
      tickets,
      after_url: afterUrl,
      after_cursor: page.afterCursor,
      before_url: null,
      before_cursor: null,
      end_of_stream: page.endOfStream,
    });
  }

  private ticketsTimeBased(req: ApiRequest): ApiResponse {
    const start = this.startTime(req, Endpoints.TOO_RECENT);
    const perPage = pageSize(req.query, 'per_page', 1000, 1000);
    const acc = this.account;
    const order = acc.ticketOrder();
    const excludeDeleted = req.query.get('exclude_deleted') === 'true';
    const page = timePage(
      order.length,
      (i) => acc.ticketLast.get(order[i]!),
      start,
      this.lastVisible(req.now),
      perPage,
      false,
    );
    const tickets: Json[] = [];
    for (let i = page.from; i < page.to; i++) {
      const t = this.render.ticket(order[i]!);
      if (!excludeDeleted || t.status !== 'deleted') tickets.push(t);
    }
    const params = new URLSearchParams({ start_time: String(page.endTime) });
    if (req.query.has('per_page')) params.set('per_page', String(perPage));
    return ok({
      tickets,
      count: tickets.length,
      end_of_stream: page.endOfStream,
      end_time: page.endTime,
      next_page: `${this.baseUrl}/api/v2/incremental/tickets.json?${params.toString()}`,
    });
  }

  private usersCursor(req: ApiRequest): ApiResponse {
    const users = this.usersByUpdate;
    const page = this.cursorPage(
      req,
      { length: users.length, at: (i) => users[i]! },
      (u) => u.updatedAt,
      (u) => u.id,
    );
    return ok({
      users: page.items.map((u) => this.render.userJson(u)),
      after_url: `${this.baseUrl}/api/v2/incremental/users/cursor.json?cursor=${encodeURIComponent(page.afterCursor)}`,
      after_cursor: page.afterCursor,
      before_url: null,
      before_cursor: null,
      end_of_stream: page.endOfStream,
    });
  }

  private usersTimeBased(req: ApiRequest): ApiResponse {
    const start = this.startTime(req, Endpoints.TOO_RECENT);
    const perPage = pageSize(req.query, 'per_page', 1000, 1000);
    const users = this.usersByUpdate;
    const page = timePage(
      users.length,
      (i) => users[i]!.updatedAt,
      start,
      this.lastVisible(req.now),
      perPage,
      false,
    );
    const params = new URLSearchParams({ start_time: String(page.endTime) });
    if (req.query.has('per_page')) params.set('per_page', String(perPage));
    return ok({
      users: users.slice(page.from, page.to).map((u) => this.render.userJson(u)),
      count: page.to - page.from,
      end_of_stream: page.endOfStream,
      end_time: page.endTime,
      next_page: `${this.baseUrl}/api/v2/incremental/users.json?${params.toString()}`,
    });
  }

  private talk(req: ApiRequest, kind: 'calls' | 'legs'): ApiResponse {
    const start = this.startTime(req, Endpoints.TOO_RECENT);
    const acc = this.account;
    const order = kind === 'calls' ? acc.callOrder() : acc.legOrder(this.render.legUpdated);
    const tsAt =
      kind === 'calls'
        ? (i: number) => acc.callUpdated.get(order[i]!)
        : (i: number) => this.render.legUpdated(order[i]!);
    const page = timePage(
      order.length,
      tsAt,
      start,
      this.lastVisible(req.now),
      this.options.talkPageSize,
      true,
    );
    const items: Json[] = [];
    for (let i = page.from; i < page.to; i++)
      items.push(kind === 'calls' ? this.render.call(order[i]!) : this.render.leg(order[i]!));
    return ok({
      [kind]: items,
      count: items.length,
      end_time: page.endTime,
      next_page: `${this.baseUrl}/api/v2/channels/voice/stats/incremental/${kind}.json?start_time=${page.endTime}`,
    });
  }

  /** Cursor (`page[size]`, `page[after]`, `page[before]`) or offset (`page`, `per_page`) pagination over a list. */
  private listPage(
    req: ApiRequest,
    key: string,
    items: Json[],
    pathWithQuery: (q: URLSearchParams) => string,
    cursorAllowed: boolean,
  ): ApiResponse {
    const q = req.query;
    const cursorMode =
      cursorAllowed && (q.has('page[size]') || q.has('page[after]') || q.has('page[before]'));
    if (cursorMode) {
      const size = pageSize(q, 'page[size]', 100, 100);
      let from = 0;
      let to = Math.min(items.length, size);
      const afterRaw = q.get('page[after]');
      const beforeRaw = q.get('page[before]');
      if (afterRaw !== null) {
        from = decodeListCursor(afterRaw) + 1;
        to = Math.min(items.length, from + size);
      } else if (beforeRaw !== null) {
        to = Math.min(items.length, decodeListCursor(beforeRaw));
        from = Math.max(0, to - size);
      }
      from = Math.min(from, items.length);
      const page = items.slice(from, to);
      const hasMore = to < items.length;
      const link = (name: string, cursor: string) => {
        const p = new URLSearchParams();
        p.set(name, cursor);
        p.set('page[size]', String(size));
        return pathWithQuery(p);
      };
      return ok({
        [key]: page,
        meta: {
          has_more: hasMore,
          after_cursor: page.length ? encodeListCursor(to - 1) : null,
          before_cursor: page.length ? encodeListCursor(from) : null,
        },
        links: {
          next: hasMore && page.length ? link('page[after]', encodeListCursor(to - 1)) : null,
          prev: from > 0 && page.length ? link('page[before]', encodeListCursor(from)) : null,
        },
      });
    }
    const perPage = pageSize(q, 'per_page', 100, 100);
    const pageNo = intParam(q, 'page') ?? 1;
    if (pageNo < 1)
      throw new BadRequest(error(400, 'InvalidValue', `page must be at least 1, got ${pageNo}`));
    const from = (pageNo - 1) * perPage;
    const link = (n: number) => {
      const p = new URLSearchParams({ page: String(n), per_page: String(perPage) });
      return pathWithQuery(p);
    };
    return ok({
      [key]: items.slice(from, from + perPage),
      next_page: from + perPage < items.length ? link(pageNo + 1) : null,
      previous_page: pageNo > 1 ? link(pageNo - 1) : null,
      count: items.length,
    });
  }

  private views(req: ApiRequest, activeOnly: boolean): ApiResponse {
    const activeParam = req.query.get('active');
    const views = this.account.views.filter((v) =>
      activeOnly ? v.active : activeParam === null ? true : v.active === (activeParam === 'true'),
    );
    const base = `${this.baseUrl}/api/v2/views${activeOnly ? '/active' : ''}.json`;
    return this.listPage(
      req,
      'views',
      views.map((v) => this.render.view(v)),
      (q) => {
        if (activeParam !== null && !activeOnly) q.set('active', activeParam);
        return `${base}?${q.toString()}`;
      },
      !activeOnly,
    );
  }

  /**
   * The tickets in a view now, from the account's own truth (each ticket's current state, the
   * view's conditions at the sandbox's clock), in ticket id order. A view the sandbox cannot
   * evaluate (one of its unsupported kinds) is refused: the sandbox has no answer of its own.
   */
  private ticketsInView(req: ApiRequest, viewId: number): number[] | ApiResponse {
    const view = this.account.views.find((v) => v.id === viewId);
    if (!view) return error(404, 'RecordNotFound', 'Not found');
    if (unsupportedKindsOf(view.conditions).length > 0)
      return error(422, 'UnprocessableEntity', 'the sandbox cannot evaluate this view');
    const tickets: number[] = [];
    const context = viewContextOf(this.account);
    for (let t = 0; t < this.account.ticketCount; t++)
      if (ticketInView(view.conditions, this.account.finalState(t), req.now, context, FIELD_TYPES))
        tickets.push(t);
    return tickets;
  }

  /** Count Tickets in View: `{view_count: {view_id, url, value, pretty, fresh}}`. */
  private viewCount(req: ApiRequest, viewId: number): ApiResponse {
    const tickets = this.ticketsInView(req, viewId);
    if (!Array.isArray(tickets)) return tickets;
    return ok({
      view_count: {
        view_id: viewId,
        url: `${this.baseUrl}/api/v2/views/${viewId}/count.json`,
        value: tickets.length,
        pretty: String(tickets.length),
        fresh: true,
      },
    });
  }

  /** List Tickets From a View: the tickets, cursor or offset pagination (at most 100 a page). */
  private viewTickets(req: ApiRequest, viewId: number): ApiResponse {
    const tickets = this.ticketsInView(req, viewId);
    if (!Array.isArray(tickets)) return tickets;
    return this.listPage(
      req,
      'tickets',
      tickets.map((t) => this.render.ticket(t)),
      (q) => `${this.baseUrl}/api/v2/views/${viewId}/tickets.json?${q.toString()}`,
      true,
    );
  }

  /**
   * List Audits for a Ticket: its updates up to the sandbox clock (no later one; unlike the exports,
   * no last-minute blind spot). A ticket not created yet at the clock, or deleted by then, is not found.
   */
  private audits(req: ApiRequest, ticketId: number): ApiResponse {
    const acc = this.account;
    const t = acc.ticketIndex(ticketId);
    const atClock = t === null ? null : acc.stateAt(t, req.now);
    if (t === null || atClock === null || atClock.status === 'deleted')
      return error(404, 'RecordNotFound', 'Not found');
    let state = this.render.initialState(t);
    const audits: Json[] = [];
    for (const a of acc.auditsOfTicket(t)) {
      if (acc.auditTs.get(a) > req.now) break;
      const r = this.render.audit(a, state);
      audits.push(r.audit);
      state = r.after;
    }
    return this.listPage(
      req,
      'audits',
      audits,
      (q) => `${this.baseUrl}/api/v2/tickets/${ticketId}/audits.json?${q.toString()}`,
      true,
    );
  }
}
