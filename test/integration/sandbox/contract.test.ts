import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import { get, minutesAgo, type JsonObject } from './http.js';

const NOW = '2024-06-10T12:00:00Z';
const START = Date.parse('2024-06-01T00:00:00Z') / 1000;

describe('the sandbox speaks the Zendesk API contract (zendesk-api.md)', () => {
  let s: Sandbox;
  beforeAll(async () => {
    s = await startSandbox({ seed: 3, size: 'tiny', now: NOW, rateLimit: false, talkPageSize: 25 });
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('listens on loopback and answers the credential check with the admin user', async () => {
    expect(new URL(s.baseUrl).hostname).toBe('127.0.0.1');
    const r = await get(s, '/api/v2/users/me.json');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const user = r.json.user as JsonObject;
    expect(user).toMatchObject({ id: 400000001, email: s.credentials.email, role: 'admin', active: true });
    expect(Object.keys(user)).toEqual(
      expect.arrayContaining([
        'url',
        'name',
        'created_at',
        'updated_at',
        'time_zone',
        'role_type',
        'default_group_id',
        'user_fields',
      ]),
    );
  });

  it("stamps every answer's Date with its own clock, as Zendesk's answers carry Zendesk's time", async () => {
    for (const [path, status] of [
      ['/api/v2/users/me.json', 200],
      [`/api/v2/incremental/ticket_events?start_time=${START}`, 200],
      ['/api/v2/nothing-here.json', 404],
    ] as const) {
      const r = await get(s, path);
      expect(r.status).toBe(status);
      const stamped = Date.parse(r.headers.get('date') ?? '');
      expect(stamped).toBeGreaterThanOrEqual(Date.parse(NOW));
      expect(stamped).toBeLessThanOrEqual(s.now().getTime());
    }
  });

  describe('incremental ticket event export (§1)', () => {
    it('returns audits with flattened children, a string via, and comment children when asked', async () => {
      const r = await get(s, `/api/v2/incremental/ticket_events?start_time=${START}&include=comment_events`);
      expect(r.status).toBe(200);
      expect(Object.keys(r.json).sort()).toEqual([
        'count',
        'end_of_stream',
        'end_time',
        'next_page',
        'ticket_events',
      ]);
      const events = r.json.ticket_events as JsonObject[];
      expect(r.json.count).toBe(events.length);
      expect(events).toHaveLength(s.eventCount);
      const first = events[0]!;
      expect(Object.keys(first)).toEqual([
        'id',
        'ticket_id',
        'timestamp',
        'created_at',
        'updater_id',
        'via',
        'via_reference_id',
        'system',
        'metadata',
        'event_type',
        'child_events',
      ]);
      expect(first.event_type).toBe('Audit');
      expect(typeof first.via).toBe('string');
      expect(new Date((first.timestamp as number) * 1000).toISOString().replace('.000Z', 'Z')).toBe(
        first.created_at,
      );
      const children = first.child_events as JsonObject[];
      expect(children[0]).toMatchObject({
        event_type: 'Create',
        via: first.via,
        comment_present: true,
        comment_public: true,
      });
      expect(typeof children[0]!.subject).toBe('string');
      expect(children.find((c) => 'status' in c)).toMatchObject({ event_type: 'Create', status: 'new' });
      const comment = children.find((c) => c.event_type === 'Comment')!;
      expect(Object.keys(comment)).toEqual([
        'id',
        'via',
        'via_reference_id',
        'type',
        'author_id',
        'body',
        'html_body',
        'plain_body',
        'public',
        'attachments',
        'audit_id',
        'created_at',
        'event_type',
      ]);
      expect(comment).toMatchObject({
        type: 'Comment',
        audit_id: first.id,
        public: true,
        created_at: first.created_at,
      });
      expect(Object.keys(comment.via as JsonObject)).toEqual(['channel', 'source']);

      // a routing trigger's change inside the creation update, and a standalone rule update
      const routed = events
        .flatMap((e) => e.child_events as JsonObject[])
        .find((c) => c.via === 'Rule' && 'group_id' in c)!;
      expect(routed).toMatchObject({ event_type: 'Change', previous_value: null });
      expect(typeof routed.via_reference_id).toBe('number');
      // a trigger's tags change carries only the tags it added and removed
      const tagged = events
        .flatMap((e) => e.child_events as JsonObject[])
        .find((c) => c.via === 'Rule' && 'added_tags' in c)!;
      expect(Object.keys(tagged).filter((k) => /tags|value/.test(k))).toEqual(['added_tags', 'removed_tags']);
      const ruleAudit = events.find((e) => e.via === 'Rule');
      expect(ruleAudit).toMatchObject({ updater_id: -1 });

      const without = await get(s, `/api/v2/incremental/ticket_events.json?start_time=${START}`);
      const plain = without.json.ticket_events as JsonObject[];
      expect(
        plain.flatMap((e) => e.child_events as JsonObject[]).some((c) => c.event_type === 'Comment'),
      ).toBe(false);
      expect(plain.map((e) => e.id)).toEqual(events.map((e) => e.id));
    });

    it('pages by time: per_page, a page boundary inside one second, end_time, next_page and end_of_stream', async () => {
      const all = (await get(s, `/api/v2/incremental/ticket_events?start_time=${START}`)).json
        .ticket_events as JsonObject[];
      // the first pair of updates sharing a second, with at least one update before it
      const i = all.findIndex((e, k) => k > 0 && all[k + 1]?.timestamp === e.timestamp);
      expect(i).toBeGreaterThan(0);
      const shared = all[i]!.timestamp as number;
      const inShared = all.filter((e) => e.timestamp === shared).length;
      expect(inShared).toBeGreaterThanOrEqual(2);

      // the page limit falls between two updates of the same second: the page takes the whole second
      const page = await get(s, `/api/v2/incremental/ticket_events?start_time=${START}&per_page=${i + 1}`);
      const events = page.json.ticket_events as JsonObject[];
      expect(events.length).toBe(all.findIndex((e) => (e.timestamp as number) > shared));
      expect(events.length).toBeGreaterThan(i + 1);
      expect(events[events.length - 1]!.timestamp).toBe(shared);
      expect(page.json.end_time).toBe(shared);
      expect(page.json.end_of_stream).toBe(false);
      expect(page.json.next_page).toBe(
        `${s.baseUrl}/api/v2/incremental/ticket_events.json?start_time=${shared}&per_page=${i + 1}`,
      );

      // following next_page until end_of_stream yields every update once after de-duplication by id
      const seen = new Map<number, JsonObject>();
      let url = `/api/v2/incremental/ticket_events?start_time=${START}&per_page=7`;
      let pages = 0;
      let duplicates = 0;
      for (;;) {
        const r = await get(s, url);
        expect(r.status).toBe(200);
        pages++;
        for (const e of r.json.ticket_events as JsonObject[]) {
          if (seen.has(e.id as number)) duplicates++;
          seen.set(e.id as number, e);
        }
        expect(typeof r.json.next_page).toBe('string');
        if (r.json.end_of_stream === true) break;
        url = r.json.next_page as string;
      }
      expect(pages).toBeGreaterThan(10);
      expect(duplicates).toBeGreaterThan(0);
      expect([...seen.keys()]).toEqual(all.map((e) => e.id));
    });

    it('refuses a start_time within the last minute, and a missing one', async () => {
      const recent = await get(s, `/api/v2/incremental/ticket_events?start_time=${minutesAgo(s, 0) - 30}`);
      expect(recent.status).toBe(422);
      expect(recent.json).toEqual({
        error: 'InvalidValue',
        description: 'Too recent start_time. Use a start_time older than 1 minute',
      });
      const missing = await get(s, '/api/v2/incremental/ticket_events');
      expect(missing.status).toBe(400);
      expect(missing.json).toEqual({ error: 'InvalidValue', description: 'start_time is required' });
    });

    it('caps per_page at 1000', async () => {
      const r = await get(s, `/api/v2/incremental/ticket_events?start_time=${START}&per_page=5000`);
      expect(r.json.next_page).toContain('per_page=1000');
    });
  });

  describe('incremental ticket export (§2)', () => {
    it('pages by cursor; after_cursor also on the last page; deleted tickets scrubbed', async () => {
      const tickets: JsonObject[] = [];
      let r = await get(s, `/api/v2/incremental/tickets/cursor?start_time=${START}&per_page=20`);
      for (;;) {
        expect(r.status).toBe(200);
        expect(Object.keys(r.json).sort()).toEqual([
          'after_cursor',
          'after_url',
          'before_cursor',
          'before_url',
          'end_of_stream',
          'tickets',
        ]);
        expect(r.json.before_cursor).toBeNull();
        expect(r.json.after_url).toBe(
          `${s.baseUrl}/api/v2/incremental/tickets/cursor.json?cursor=${encodeURIComponent(r.json.after_cursor as string)}`,
        );
        tickets.push(...(r.json.tickets as JsonObject[]));
        if (r.json.end_of_stream === true) break;
        r = await get(s, r.json.after_url as string);
      }
      expect(tickets).toHaveLength(s.profile.tickets);
      expect(new Set(tickets.map((t) => t.id)).size).toBe(s.profile.tickets);
      const stamps = tickets.map((t) => t.generated_timestamp as number);
      expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
      const live = tickets.find((t) => t.status !== 'deleted')!;
      for (const key of [
        'via',
        'requester_id',
        'group_id',
        'tags',
        'custom_fields',
        'fields',
        'brand_id',
        'ticket_form_id',
        'priority',
        'type',
      ])
        expect(live).toHaveProperty(key);
      const deleted = tickets.filter((t) => t.status === 'deleted');
      expect(deleted.length).toBeGreaterThan(0);
      expect(deleted[0]).toMatchObject({ subject: 'SCRUBBED', description: 'X', tags: [] });

      // polling again from the last cursor returns nothing new, and still a cursor
      const again = await get(
        s,
        `/api/v2/incremental/tickets/cursor?cursor=${encodeURIComponent(r.json.after_cursor as string)}`,
      );
      expect(again.json).toMatchObject({
        tickets: [],
        end_of_stream: true,
        after_cursor: r.json.after_cursor,
      });

      const excluded = await get(
        s,
        `/api/v2/incremental/tickets/cursor?start_time=${START}&exclude_deleted=true`,
      );
      expect((excluded.json.tickets as JsonObject[]).length).toBe(tickets.length - deleted.length);
    });

    it('answers a too recent start_time with 400 StartTimeTooRecent', async () => {
      const r = await get(s, `/api/v2/incremental/tickets/cursor?start_time=${minutesAgo(s, 0)}`);
      expect(r.status).toBe(400);
      expect(r.json.error).toBe('StartTimeTooRecent');
    });

    it('also serves the time-based form, which never returns a null next_page', async () => {
      const r = await get(s, `/api/v2/incremental/tickets?start_time=${START}`);
      expect(r.json).toMatchObject({ count: s.profile.tickets, end_of_stream: true });
      expect(r.json.next_page).toBe(
        `${s.baseUrl}/api/v2/incremental/tickets.json?start_time=${r.json.end_time as number}`,
      );
    });
  });

  describe('incremental user export (§3)', () => {
    it('pages users by cursor and by time, with all three roles', async () => {
      const first = await get(s, '/api/v2/incremental/users/cursor?start_time=0&per_page=10');
      expect(first.json.end_of_stream).toBe(false);
      const users = [...(first.json.users as JsonObject[])];
      let r = first;
      while (r.json.end_of_stream !== true) {
        r = await get(s, r.json.after_url as string);
        users.push(...(r.json.users as JsonObject[]));
      }
      expect(users).toHaveLength(2 + s.profile.agents + s.profile.endUsers);
      expect(new Set(users.map((u) => u.role))).toEqual(new Set(['admin', 'agent', 'end-user']));
      const timeBased = await get(s, '/api/v2/incremental/users?start_time=0');
      expect(timeBased.json).toMatchObject({ count: users.length, end_of_stream: true });
      expect((timeBased.json.users as JsonObject[]).map((u) => u.id)).toEqual(users.map((u) => u.id));
    });
  });

  describe('views (§4)', () => {
    it('lists views by cursor (page[size] ≤ 100) with meta and links, string condition values', async () => {
      const first = await get(s, '/api/v2/views?page[size]=6');
      expect(first.status).toBe(200);
      expect(first.json.meta).toMatchObject({ has_more: true });
      expect((first.json.links as JsonObject).prev).toBeNull();
      const views = [...(first.json.views as JsonObject[])];
      let r = first;
      while ((r.json.meta as JsonObject).has_more) {
        r = await get(s, (r.json.links as JsonObject).next as string);
        views.push(...(r.json.views as JsonObject[]));
      }
      expect(views).toHaveLength(s.truth.views.length);
      expect(views.map((v) => v.id)).toEqual(s.truth.views.map((v) => v.id));
      const billing = views.find((v) => v.title === 'Billing Queue')!;
      expect(billing.conditions).toEqual({
        all: [
          { field: 'status', operator: 'less_than', value: 'solved' },
          { field: 'group_id', operator: 'is', value: '360001102' },
        ],
        any: [
          { field: 'current_tags', operator: 'includes', value: 'invoice refund' },
          { field: 'custom_fields_360041597112', operator: 'is', value: 'billing' },
        ],
      });
      for (const key of [
        'url',
        'raw_title',
        'active',
        'default',
        'position',
        'execution',
        'restriction',
        'created_at',
        'updated_at',
      ])
        expect(billing).toHaveProperty(key);
      const back = await get(s, (r.json.links as JsonObject).prev as string);
      // The last page starts at the last multiple of the page size (6); its previous page is the one before.
      const lastStart = Math.floor((views.length - 1) / 6) * 6;
      expect((back.json.views as JsonObject[]).map((v) => v.id)).toEqual(
        views.slice(lastStart - 6, lastStart).map((v) => v.id),
      );
    });

    it('lists views by offset, and the active ones', async () => {
      const r = await get(s, '/api/v2/views.json?per_page=10');
      expect(r.json).toMatchObject({ count: s.truth.views.length, previous_page: null });
      expect(r.json.next_page).toBe(`${s.baseUrl}/api/v2/views.json?page=2&per_page=10`);
      const active = await get(s, '/api/v2/views/active');
      expect((active.json.views as JsonObject[]).map((v) => v.id)).toEqual(
        s.truth.views.filter((v) => v.active).map((v) => v.id),
      );
      expect(active.json.count).toBe(s.truth.views.filter((v) => v.active).length);
    });
  });

  describe('ticket audits', () => {
    it("gives a ticket's history in the Audits API form, by cursor", async () => {
      const ticketId = s.truth.interactions.find(
        (x, _i, all) => all.filter((y) => y.ticketId === x.ticketId).length > 1,
      )!.ticketId;
      const r = await get(s, `/api/v2/tickets/${ticketId}/audits?page[size]=1`);
      expect(r.status).toBe(200);
      const audit = (r.json.audits as JsonObject[])[0]!;
      expect(Object.keys(audit)).toEqual([
        'id',
        'ticket_id',
        'created_at',
        'author_id',
        'metadata',
        'via',
        'events',
      ]);
      const events = audit.events as JsonObject[];
      expect(events[0]).toMatchObject({ type: 'Create', field_name: 'subject' });
      expect(events.find((e) => e.field_name === 'status')).toEqual(
        expect.objectContaining({ type: 'Create', value: 'new' }),
      );
      expect(events.find((e) => e.field_name === 'requester_id')!.value).toMatch(/^\d+$/);
      const all = [audit];
      let page = r;
      while ((page.json.meta as JsonObject).has_more) {
        page = await get(s, (page.json.links as JsonObject).next as string);
        all.push(...(page.json.audits as JsonObject[]));
      }
      const ids = s.truth.interactions.filter((x) => x.ticketId === ticketId).map((x) => x.auditId);
      for (const id of ids) expect(all.map((a) => a.id)).toContain(id);
      expect((await get(s, '/api/v2/tickets/999999/audits')).json).toEqual({
        error: 'RecordNotFound',
        description: 'Not found',
      });
    });
  });

  describe('Talk incremental exports (§5)', () => {
    it('pages calls by start_time: count, end_time, never-null next_page, no end_of_stream, boundary duplicates', async () => {
      const seen = new Map<number, JsonObject>();
      let url = `/api/v2/channels/voice/stats/incremental/calls?start_time=${START}`;
      let duplicates = 0;
      for (let pages = 0; pages < 100; pages++) {
        const r = await get(s, url);
        expect(Object.keys(r.json).sort()).toEqual(['calls', 'count', 'end_time', 'next_page']);
        expect(r.json.next_page).toBe(
          `${s.baseUrl}/api/v2/channels/voice/stats/incremental/calls.json?start_time=${r.json.end_time as number}`,
        );
        if (r.json.count === 0) break;
        for (const c of r.json.calls as JsonObject[]) {
          if (seen.has(c.id as number)) duplicates++;
          seen.set(c.id as number, c);
        }
        url = r.json.next_page as string;
      }
      expect(seen.size).toBe(s.truth.calls.length);
      expect(duplicates).toBeGreaterThan(0);
      const truthById = new Map(s.truth.calls.map((c) => [c.id, c]));
      for (const call of seen.values()) {
        const t = truthById.get(call.id as number)!;
        expect(call.direction).toBe(t.direction);
        expect(call.ivr_destination_group_name).toBe(t.ivrGroup);
        expect(call.phone_number).toBe(t.phoneNumber);
        const handleTime =
          (call.talk_time as number) + (call.hold_time as number) + (call.wrap_up_time as number);
        expect(t.handled ? handleTime : 0).toBe(t.handleSeconds);
      }
      const sample = [...seen.values()][0]!;
      for (const key of [
        'created_at',
        'updated_at',
        'agent_id',
        'completion_status',
        'wait_time',
        'duration',
        'exceeded_queue_wait_time',
      ])
        expect(sample).toHaveProperty(key);
    });

    it('serves call legs the same way', async () => {
      const r = await get(s, `/api/v2/channels/voice/stats/incremental/legs.json?start_time=${START}`);
      expect(r.status).toBe(200);
      const legs = r.json.legs as JsonObject[];
      expect(legs.length).toBeGreaterThan(0);
      expect(new Set(legs.map((l) => l.type))).toEqual(new Set(['customer', 'agent']));
      expect(s.truth.calls.map((c) => c.id)).toContain(legs[0]!.call_id);
    });
  });

  it('answers an unknown endpoint with 404', async () => {
    const r = await get(s, '/api/v2/nothing-here');
    expect(r.status).toBe(404);
    expect(r.json).toEqual({ error: 'InvalidEndpoint', description: 'Not found' });
  });
});
