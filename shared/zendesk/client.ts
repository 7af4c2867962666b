import { z } from 'zod';
import type {
  CallRecord,
  TicketEventRecord,
  TicketRecord,
  UserRecord,
  ViewRecord,
} from '../domain/records.js';
import { ZendeskApi, type GetOptions, type RateLimited } from './api.js';
import { Authenticator, type ZendeskCredentials } from './auth.js';
import {
  callTimestamp,
  compactAll,
  compactAudit,
  compactCall,
  compactEach,
  compactShownTicket,
  compactTicket,
  compactTicketEvent,
  compactUser,
  compactView,
  parseEnvelope,
  readableId,
  recordsOf,
  rejectedOf,
  type Compacted,
  type RejectedRecord,
} from './compact.js';
import { CallSchema, TicketEventSchema, TicketSchema, UserSchema, ViewSchema } from '../messages/records.js';
import { checkCredentials, type CredentialCheckAnswer } from './credential-check.js';
import { ZendeskPayloadError } from './errors.js';
import {
  advanceCursorPosition,
  advanceTimePosition,
  checkPosition,
  isTimePosition,
  requestStartTime,
  type ExportPosition,
  type TimedItem,
  type TimePosition,
} from './positions.js';
import { bucketLimits, SlidingWindowBudget, type RateBucket, type RequestBudget } from './rate-limit.js';
import { Redactor } from './redact.js';
import { silentLogger, Transport, type ZendeskLogger } from './transport.js';

export const USER_AGENT = 'zendesk-wfm/0.1 (WFM contact-volume import)';

export const ENDPOINTS = {
  ticketEvents: '/api/v2/incremental/ticket_events',
  tickets: '/api/v2/incremental/tickets/cursor',
  users: '/api/v2/incremental/users/cursor',
  calls: '/api/v2/channels/voice/stats/incremental/calls',
  views: '/api/v2/views',
  audits: '/api/v2/tickets/{ticket_id}/audits',
  me: '/api/v2/users/me',
  usersShowMany: '/api/v2/users/show_many',
  ticketsShowMany: '/api/v2/tickets/show_many',
  accountSettings: '/api/v2/account/settings',
  viewCount: '/api/v2/views/{view_id}/count',
  viewTickets: '/api/v2/views/{view_id}/tickets',
} as const;

export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** Zendesk's Show Many Users takes at most 100 ids per request. */
/** Ids one Show Many request takes (Zendesk's limit). */
export const SHOW_MANY_LIMIT = 100;

export interface ZendeskClientOptions {
  /** The integration's domain, e.g. `acme.zendesk.com` → `https://acme.zendesk.com`. */
  readonly domain?: string;
  /** Overrides `domain` (the sandbox). */
  readonly baseUrl?: string;
  readonly credentials: ZendeskCredentials;
  /** Called with a rotated refresh token BEFORE it is used, so a crash never loses the only valid one. */
  readonly saveRefreshToken?: (refreshToken: string) => Promise<void>;
  /**
   * The refresh token stored now, past any cache: read before each refresh grant, since another
   * process (another Lambda instance) may have rotated it since this client read it.
   */
  readonly loadRefreshToken?: () => Promise<string | undefined>;
  /** Per attempt; default 30 s. */
  readonly timeoutMs?: number;
  /** Milliseconds the caller can still wait for an answer (a Lambda's remaining time); unlimited by default. */
  readonly timeLeftMs?: () => number;
  /**
   * Largest response body read, in bytes; default 64 MiB. A 1000-record export page with comment
   * events is a few MB; anything past the limit is refused as a malformed page, never buffered.
   */
  readonly maxResponseBytes?: number;
  /** Retries of 5xx / timeouts / resets after the first attempt; default 3. */
  readonly maxRetries?: number;
  /** First backoff ceiling (full jitter, doubling); default 500 ms, capped at `retryMaxDelayMs` (8 s). */
  readonly retryBaseDelayMs?: number;
  readonly retryMaxDelayMs?: number;
  /** Per-integration budget for the incremental exports (requests per minute); default 10. */
  readonly incrementalPerMinute?: number;
  /** Replaces the in-process budget, e.g. with one shared across Lambda invocations. */
  readonly budget?: RequestBudget;
  /** Per-page size of the Support incremental exports; default and maximum 1000. */
  readonly pageSize?: number;
  /**
   * The integration's views' "description contains at least one of / none of" words: a ticket's
   * description is read for them as it is compacted (`descriptionPartsFound`). Default none.
   */
  readonly descriptionSearchWords?: readonly string[];
  readonly logger?: ZendeskLogger;
  /** Epoch milliseconds; the sandbox's clock in tests. */
  readonly clock?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly fetch?: typeof fetch;
}

/**
 * Zendesk's clock when it answered: the response's `Date` header (RFC 9110 §6.6.1, whole seconds),
 * or undefined when it has none that reads as a time.
 */
export const zendeskClockSeconds = (headers: Headers): number | undefined => {
  const said = Date.parse(headers.get('date') ?? '');
  return Number.isNaN(said) ? undefined : Math.floor(said / 1000);
};

export type PageOutcome<T> =
  | {
      readonly kind: 'page';
      readonly records: T[];
      /**
       * Records of the page that did not fit, new to this position: each costs itself only (SPEC
       * §8), the caller quarantines it. A record already delivered at the boundary is not repeated.
       */
      readonly rejected: RejectedRecord[];
      readonly next: ExportPosition;
      readonly endOfStream: boolean;
      /** The URL that answered (no credentials in it). */
      readonly requestUrl: string;
      /** HTTP attempts this page took, retries included. */
      readonly requests: number;
      /**
       * A time-based page only: when the export answered, on Zendesk's clock (epoch seconds), the
       * clock its records' times are on: its `Date` header, else this client's clock when it asked.
       */
      readonly answeredAt?: number;
    }
  | RateLimited;

export interface ViewsAnswer {
  readonly views: ViewRecord[];
  /** Views that did not fit; the caller quarantines them (they are still in the account). */
  readonly rejected: RejectedRecord[];
}

const epochSeconds = z.number().int().nonnegative();
const ticketEventsEnvelope = z.looseObject({
  ticket_events: z.array(z.unknown()),
  end_of_stream: z.boolean(),
  end_time: epochSeconds.nullish(),
});
const cursorPaging = z.looseObject({ after_cursor: z.string().nullish(), end_of_stream: z.boolean() });
const ticketsEnvelope = cursorPaging.extend({ tickets: z.array(z.unknown()) });
const usersEnvelope = cursorPaging.extend({ users: z.array(z.unknown()) });
const isoTimestamp = z.iso.datetime({ offset: true });
const callsEnvelope = z.looseObject({
  calls: z.array(z.unknown()),
  end_time: epochSeconds.nullish(),
});
const listPaging = z.looseObject({
  meta: z.looseObject({ has_more: z.boolean().nullish(), after_cursor: z.string().nullish() }).nullish(),
  links: z.looseObject({ next: z.string().nullish() }).nullish(),
  next_page: z.string().nullish(),
});
const viewsEnvelope = listPaging.extend({ views: z.array(z.unknown()) });
const auditsEnvelope = listPaging.extend({ audits: z.array(z.unknown()) });
const usersShowManyEnvelope = listPaging.extend({ users: z.array(z.unknown()) });
const ticketsShowManyEnvelope = listPaging.extend({ tickets: z.array(z.unknown()) });
const accountSettingsEnvelope = listPaging.extend({
  settings: z
    .looseObject({
      localization: z.looseObject({ iana_time_zone: z.string().min(1).nullish() }).nullish(),
    })
    .nullish(),
});

const viewCountEnvelope = z.looseObject({
  view_count: z.looseObject({
    view_id: z.number().int(),
    // Null while Zendesk has not counted the view yet (`fresh: false`).
    value: z.number().int().nonnegative().nullable(),
    fresh: z.boolean().nullish(),
  }),
});
const viewTicketsEnvelope = listPaging.extend({
  tickets: z.array(z.looseObject({ id: z.number().int().positive(), updated_at: isoTimestamp.nullish() })),
});

/** Zendesk's count of the tickets in a view; `value` null while it is still counting. */
export interface ViewCount {
  readonly value: number | null;
  readonly fresh: boolean;
}

/** A ticket as a view lists it: its id and when it was last updated. */
export interface ViewTicket {
  readonly id: number;
  readonly updatedAt: string | null;
}

const MAX_LIST_PAGES = 500;
const LIST_PAGE_SIZE = 100;

/** Rejects anything but a bare host, so credentials are never sent to a path or another scheme. */
const baseUrlOf = (options: ZendeskClientOptions): string => {
  if (options.baseUrl) return new URL(options.baseUrl).origin;
  const domain = options.domain ?? '';
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i.test(domain)) {
    throw new Error(`domain must be a Zendesk host such as example.zendesk.com, got "${domain}"`);
  }
  return `https://${domain.toLowerCase()}`;
};

/**
 * The only code that talks to Zendesk. Each export method fetches one page from a stored position
 * and returns the compacted records with the position to store next, or "retry after N seconds".
 */
export class ZendeskClient {
  readonly baseUrl: string;
  private readonly api: ZendeskApi;
  private readonly clock: () => number;
  private readonly pageSize: number;
  private readonly searchWords: readonly string[];

  constructor(options: ZendeskClientOptions) {
    this.baseUrl = baseUrlOf(options);
    this.clock = options.clock ?? Date.now;
    this.pageSize = Math.min(1000, Math.max(1, options.pageSize ?? 1000));
    this.searchWords = options.descriptionSearchWords ?? [];
    const redactor = new Redactor();
    const logger = options.logger ?? silentLogger;
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const transport = new Transport({
      userAgent: USER_AGENT,
      timeoutMs: options.timeoutMs ?? 30_000,
      maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      maxRetries: options.maxRetries ?? 3,
      retryBaseDelayMs: options.retryBaseDelayMs ?? 500,
      retryMaxDelayMs: options.retryMaxDelayMs ?? 8_000,
      budget: options.budget ?? new SlidingWindowBudget(bucketLimits(options.incrementalPerMinute ?? 10)),
      clock: this.clock,
      sleep,
      random: options.random ?? Math.random,
      logger,
      redactor,
      fetchImpl: options.fetch ?? fetch,
      ...(options.timeLeftMs ? { timeLeftMs: options.timeLeftMs } : {}),
    });
    const auth = new Authenticator(options.credentials, {
      baseUrl: this.baseUrl,
      transport,
      clock: this.clock,
      redactor,
      logger,
      saveRefreshToken: options.saveRefreshToken,
      ...(options.loadRefreshToken ? { loadRefreshToken: options.loadRefreshToken, sleep } : {}),
    });
    this.api = new ZendeskApi(this.baseUrl, transport, auth, redactor);
  }

  /** Incremental ticket event export with comment events (time-based only). */
  ticketEvents(from: ExportPosition): Promise<PageOutcome<TicketEventRecord>> {
    return this.timePage({
      endpoint: ENDPOINTS.ticketEvents,
      from,
      query: { include: 'comment_events', per_page: this.pageSize },
      get: { bucket: 'incremental', shrinkPageOn504: true },
      read: (body) => {
        const envelope = parseEnvelope(ENDPOINTS.ticketEvents, ticketEventsEnvelope, body);
        return {
          raw: envelope.ticket_events,
          page: compactEach(
            envelope.ticket_events,
            (raw) => compactTicketEvent(raw, this.searchWords),
            TicketEventSchema,
          ),
          endTime: envelope.end_time,
          endOfStream: envelope.end_of_stream,
        };
      },
      secondOf: (e) => e.timestamp,
      rawSecondOf: (raw) => epochSeconds.safeParse(fieldOf(raw, 'timestamp')).data ?? null,
    });
  }

  /** Incremental ticket export, cursor-based: full ticket snapshots. */
  async tickets(from: ExportPosition): Promise<PageOutcome<TicketRecord>> {
    return this.cursorPage(ENDPOINTS.tickets, from, 'incremental', async (endpoint, body) => {
      const envelope = parseEnvelope(endpoint, ticketsEnvelope, body);
      return {
        ...envelope,
        page: compactEach(envelope.tickets, (raw) => compactTicket(raw, this.searchWords), TicketSchema),
      };
    });
  }

  /** Incremental user export, cursor-based (its own rate-limit bucket). */
  async users(from: ExportPosition): Promise<PageOutcome<UserRecord>> {
    return this.cursorPage(ENDPOINTS.users, from, 'incremental_users', async (endpoint, body) => {
      const envelope = parseEnvelope(endpoint, usersEnvelope, body);
      return { ...envelope, page: compactEach(envelope.users, compactUser, UserSchema) };
    });
  }

  /**
   * Talk incremental calls export: time-based on `updated_at`, no `end_of_stream`. Zendesk's
   * `next_page` is never null and starts at the page's `end_time`, whose calls come back again; the
   * stream ends when a page brings no call not delivered before. `count` is read as information
   * only: its meaning is not confirmed (a total rather than the page's size is reported), so it
   * never stops nor fails a read.
   */
  calls(from: ExportPosition): Promise<PageOutcome<CallRecord>> {
    return this.timePage({
      endpoint: ENDPOINTS.calls,
      from,
      query: {},
      get: { bucket: 'talk_incremental' },
      read: (body) => {
        const envelope = parseEnvelope(ENDPOINTS.calls, callsEnvelope, body);
        return {
          raw: envelope.calls,
          page: compactEach(envelope.calls, compactCall, CallSchema),
          endTime: envelope.end_time,
          endOfStream: 'when_nothing_fresh',
        };
      },
      secondOf: callTimestamp,
      rawSecondOf: (raw) => {
        const updatedAt = isoTimestamp.safeParse(fieldOf(raw, 'updated_at'));
        return updatedAt.success ? Math.floor(Date.parse(updatedAt.data) / 1000) : null;
      },
    });
  }

  /**
   * Every view of the account (active and inactive), following all pages. A view that does not fit
   * is rejected on its own (its `index` is its place in its page); the others are read as usual.
   */
  async views(): Promise<ViewsAnswer | RateLimited> {
    const endpoint = ENDPOINTS.views;
    const found = await this.listAll(
      endpoint,
      this.api.url(endpoint, { 'page[size]': LIST_PAGE_SIZE }),
      (body) => {
        const envelope = parseEnvelope(endpoint, viewsEnvelope, body);
        return { envelope, records: compactEach(envelope.views, compactView, ViewSchema) };
      },
    );
    if (!Array.isArray(found)) return found;
    return { views: recordsOf(found), rejected: rejectedOf(found) };
  }

  /**
   * These users, looked up by id (Show Many Users, 100 per request): for the author of a comment
   * whose user the incremental user export has not delivered yet. Unknown ids are simply absent.
   */
  async usersByIds(ids: readonly number[]): Promise<UserRecord[] | RateLimited> {
    const endpoint = ENDPOINTS.usersShowMany;
    const unique = [...new Set(ids)];
    for (const id of unique)
      if (!Number.isInteger(id) || id <= 0) throw new Error(`user ids must be positive integers, got ${id}`);
    const users: UserRecord[] = [];
    for (let i = 0; i < unique.length; i += SHOW_MANY_LIMIT) {
      const chunk = unique.slice(i, i + SHOW_MANY_LIMIT);
      const found = await this.listAll(endpoint, this.api.url(endpoint, { ids: chunk.join(',') }), (body) => {
        const envelope = parseEnvelope(endpoint, usersShowManyEnvelope, body);
        // A user that does not fit stays unknown (its comments are skipped as unknown_author, and
        // the user export quarantines the same record): it never fails the page that asked.
        return { envelope, records: recordsOf(compactEach(envelope.users, compactUser, UserSchema)) };
      });
      if (!Array.isArray(found)) return found;
      users.push(...found);
    }
    return users;
  }

  /**
   * Tickets as they are now (Show Many Tickets), at most 100 ids a request. Ids Zendesk does not
   * show (deleted, unknown) are left out; a record that does not fit is left out too, so the ticket
   * is then read as one without a record (the export brings it in its time).
   */
  async ticketsByIds(ids: readonly number[]): Promise<TicketRecord[] | RateLimited> {
    const endpoint = ENDPOINTS.ticketsShowMany;
    const unique = [...new Set(ids)];
    for (const id of unique)
      if (!Number.isInteger(id) || id <= 0)
        throw new Error(`ticket ids must be positive integers, got ${id}`);
    const tickets: TicketRecord[] = [];
    for (let i = 0; i < unique.length; i += SHOW_MANY_LIMIT) {
      const chunk = unique.slice(i, i + SHOW_MANY_LIMIT);
      const found = await this.listAll(endpoint, this.api.url(endpoint, { ids: chunk.join(',') }), (body) => {
        const envelope = parseEnvelope(endpoint, ticketsShowManyEnvelope, body);
        return {
          envelope,
          records: recordsOf(
            compactEach(envelope.tickets, (raw) => compactShownTicket(raw, this.searchWords), TicketSchema),
          ),
        };
      });
      if (!Array.isArray(found)) return found;
      tickets.push(...found);
    }
    return tickets;
  }

  /**
   * Every audit of one ticket, oldest first, as ticket event records (for reconstructing earlier
   * state). With `stopAfter`, no page is asked for once more than that many audits are read: the
   * caller then knows only that the ticket has more.
   */
  async ticketAudits(ticketId: number, stopAfter = Infinity): Promise<TicketEventRecord[] | RateLimited> {
    if (!Number.isInteger(ticketId) || ticketId <= 0)
      throw new Error(`ticketId must be a positive integer, got ${ticketId}`);
    const endpoint = ENDPOINTS.audits;
    const path = endpoint.replace('{ticket_id}', String(ticketId));
    return this.listAll(
      endpoint,
      this.api.url(path, { 'page[size]': LIST_PAGE_SIZE }),
      (body) => {
        const envelope = parseEnvelope(endpoint, auditsEnvelope, body);
        return {
          envelope,
          records: compactAll(endpoint, envelope.audits, (raw) => compactAudit(raw, this.searchWords)),
        };
      },
      stopAfter,
    );
  }

  /**
   * The account's time zone as an IANA name (account settings, `localization.iana_time_zone`), or
   * null when the settings do not say: Zendesk evaluates date conditions of views in it.
   */
  async accountTimeZone(): Promise<string | null | RateLimited> {
    const endpoint = ENDPOINTS.accountSettings;
    const found = await this.listAll(endpoint, this.api.url(endpoint, {}), (body) => {
      const envelope = parseEnvelope(endpoint, accountSettingsEnvelope, body);
      // One object, not a list: nothing to page through.
      return {
        envelope: { next_page: null },
        records: [envelope.settings?.localization?.iana_time_zone ?? null],
      };
    });
    return Array.isArray(found) ? (found[0] ?? null) : found;
  }

  /** Zendesk's count of the tickets in a view (Count Tickets in View). */
  async viewCount(viewId: number): Promise<ViewCount | RateLimited> {
    const endpoint = ENDPOINTS.viewCount;
    const path = endpoint.replace('{view_id}', String(positiveId('viewId', viewId)));
    const found = await this.listAll(endpoint, this.api.url(path, {}), (body) => {
      const { view_count: c } = parseEnvelope(endpoint, viewCountEnvelope, body);
      return { envelope: { next_page: null }, records: [{ value: c.value, fresh: c.fresh !== false }] };
    });
    return Array.isArray(found) ? found[0]! : found;
  }

  /** Every ticket Zendesk lists in a view now (List Tickets From a View), following all pages. */
  async viewTickets(viewId: number): Promise<ViewTicket[] | RateLimited> {
    const endpoint = ENDPOINTS.viewTickets;
    const path = endpoint.replace('{view_id}', String(positiveId('viewId', viewId)));
    return this.listAll(endpoint, this.api.url(path, { 'page[size]': LIST_PAGE_SIZE }), (body) => {
      const envelope = parseEnvelope(endpoint, viewTicketsEnvelope, body);
      return {
        envelope,
        records: envelope.tickets.map((t) => ({ id: t.id, updatedAt: t.updated_at ?? null })),
      };
    });
  }

  /** Whether these credentials can run an import: ok, wrong credentials, not an admin, or not a Zendesk. */
  checkCredentials(): Promise<CredentialCheckAnswer> {
    return checkCredentials(this.api, ENDPOINTS.me);
  }

  private nowSeconds(): number {
    return Math.floor(this.clock() / 1000);
  }

  private timePosition(endpoint: string, from: ExportPosition): TimePosition {
    checkPosition(from);
    if (!isTimePosition(from))
      throw new Error(`${endpoint} is time-based: the position needs startTime, not a cursor`);
    return from;
  }

  /** One page of a time-based export: the request from a stored position, and the step past it. */
  private async timePage<T extends { readonly id: number }>(args: {
    readonly endpoint: string;
    readonly from: ExportPosition;
    readonly query: Record<string, string | number>;
    readonly get: GetOptions;
    readonly read: (body: unknown) => {
      raw: readonly unknown[];
      page: Compacted<T>[];
      endTime: number | null | undefined;
      endOfStream: boolean | 'when_nothing_fresh';
    };
    readonly secondOf: (record: T) => number;
    readonly rawSecondOf: (raw: unknown) => number | null;
  }): Promise<PageOutcome<T>> {
    const { endpoint } = args;
    const position = this.timePosition(endpoint, args.from);
    const nowSeconds = this.nowSeconds();
    const requestStart = requestStartTime(position, nowSeconds);
    const url = this.api.url(endpoint, { start_time: requestStart, ...args.query });
    const response = await this.api.getJson(endpoint, url, args.get);
    if (response.kind === 'rate_limited') return response;
    const { raw, page, endTime, endOfStream } = args.read(response.body);
    const step = timeStep({
      endpoint,
      from: position,
      requestStart,
      nowSeconds,
      raw,
      page,
      secondOf: args.secondOf,
      rawSecondOf: args.rawSecondOf,
      endTime,
      endOfStream,
    });
    return {
      kind: 'page',
      ...step,
      requestUrl: response.url.toString(),
      requests: response.attempts,
      answeredAt: zendeskClockSeconds(response.headers) ?? nowSeconds,
    };
  }

  private async cursorPage<T>(
    endpoint: string,
    from: ExportPosition,
    bucket: RateBucket,
    parse: (
      endpoint: string,
      body: unknown,
    ) => Promise<{ page: Compacted<T>[]; after_cursor?: string | null; end_of_stream: boolean }>,
  ): Promise<PageOutcome<T>> {
    checkPosition(from);
    const query: Record<string, string | number> = isTimePosition(from)
      ? { start_time: requestStartTime(from, this.nowSeconds()) }
      : { cursor: from.cursor };
    query.per_page = this.pageSize;
    const response = await this.api.getJson(endpoint, this.api.url(endpoint, query), {
      bucket,
      shrinkPageOn504: true,
    });
    if (response.kind === 'rate_limited') return response;
    const page = await parse(endpoint, response.body);
    return {
      kind: 'page',
      records: recordsOf(page.page),
      rejected: rejectedOf(page.page),
      next: advanceCursorPosition({
        endpoint,
        from,
        afterCursor: page.after_cursor,
        endOfStream: page.end_of_stream,
      }),
      endOfStream: page.end_of_stream,
      requestUrl: response.url.toString(),
      requests: response.attempts,
    };
  }

  private async listAll<T>(
    endpoint: string,
    first: URL,
    parse: (body: unknown) => { envelope: z.output<typeof listPaging>; records: T[] },
    stopAfter = Infinity,
  ): Promise<T[] | RateLimited> {
    const records: T[] = [];
    const visited = new Set<string>();
    let url: URL | undefined = first;
    while (url) {
      if (visited.has(url.toString()) || visited.size >= MAX_LIST_PAGES) {
        throw new ZendeskPayloadError(
          endpoint,
          null,
          'links.next',
          `pagination does not end (${visited.size} pages)`,
        );
      }
      visited.add(url.toString());
      const response = await this.api.getJson(endpoint, url, { bucket: 'account' });
      if (response.kind === 'rate_limited') return response;
      const { envelope, records: page } = parse(response.body);
      records.push(...page);
      if (records.length > stopAfter) return records;
      url = this.nextListUrl(endpoint, url, envelope);
    }
    return records;
  }

  /** Cursor pagination (`meta.has_more`, `links.next` or `meta.after_cursor`) or offset (`next_page`). */
  private nextListUrl(
    endpoint: string,
    current: URL,
    envelope: z.output<typeof listPaging>,
  ): URL | undefined {
    if (envelope.meta) {
      if (!envelope.meta.has_more) return undefined;
      if (envelope.links?.next) return this.api.url(envelope.links.next);
      if (envelope.meta.after_cursor) {
        const next = new URL(current);
        next.searchParams.set('page[after]', envelope.meta.after_cursor);
        return next;
      }
      throw new ZendeskPayloadError(
        endpoint,
        null,
        'meta.after_cursor',
        'has_more is true but there is no next page',
      );
    }
    return envelope.next_page ? this.api.url(envelope.next_page) : undefined;
  }
}

const positiveId = (name: string, id: number): number => {
  if (!Number.isInteger(id) || id <= 0) throw new Error(`${name} must be a positive integer, got ${id}`);
  return id;
};

const fieldOf = (raw: unknown, name: string): unknown =>
  raw && typeof raw === 'object' ? (raw as Record<string, unknown>)[name] : undefined;

/**
 * Which entries of a time-based page are new, and where the export resumes. A rejected record whose
 * id and second can still be read takes part in the position like any other (it is known at the
 * boundary, so it is not rejected again on the next page); one without them cannot, and is
 * reported on every page that carries it (its quarantine key makes that harmless).
 */
const timeStep = <T>(args: {
  readonly endpoint: string;
  readonly from: TimePosition;
  readonly requestStart: number;
  readonly nowSeconds: number;
  readonly raw: readonly unknown[];
  readonly page: readonly Compacted<T & { readonly id: number }>[];
  readonly secondOf: (record: T) => number;
  readonly rawSecondOf: (raw: unknown) => number | null;
  readonly endTime: number | null | undefined;
  readonly endOfStream: boolean | 'when_nothing_fresh';
}): { records: T[]; rejected: RejectedRecord[]; next: ExportPosition; endOfStream: boolean } => {
  const tracked: { item: TimedItem; at: number }[] = [];
  const untracked: RejectedRecord[] = [];
  args.page.forEach((entry, at) => {
    if (entry.kind === 'record') {
      tracked.push({ item: { id: entry.record.id, second: args.secondOf(entry.record) }, at });
      return;
    }
    const second = args.rawSecondOf(args.raw[at]);
    const id = readableId(args.raw[at]);
    if (id !== null && second !== null) tracked.push({ item: { id, second }, at });
    else untracked.push(entry.rejected);
  });
  const step = advanceTimePosition({
    endpoint: args.endpoint,
    from: args.from,
    requestStart: args.requestStart,
    items: tracked.map((t) => t.item),
    endTime: args.endTime,
    endOfStream: args.endOfStream,
    nowSeconds: args.nowSeconds,
  });
  const fresh = step.fresh.map((i) => args.page[tracked[i]!.at]!);
  return {
    records: recordsOf(fresh),
    rejected: [...rejectedOf(fresh), ...untracked].sort((a, b) => a.index - b.index),
    next: step.next,
    endOfStream: step.endOfStream,
  };
};
