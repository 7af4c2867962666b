import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Auth } from '../../../sandbox/auth.js';
import { SandboxClock } from '../../../sandbox/clock.js';
import { Endpoints } from '../../../sandbox/endpoints.js';
import { Faults } from '../../../sandbox/faults.js';
import { ADMIN_ID, generateAccount } from '../../../sandbox/generator.js';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import { RateLimiter } from '../../../sandbox/rate-limit.js';
import { Renderer } from '../../../sandbox/render.js';
import { SandboxHttpServer } from '../../../sandbox/server.js';
import { basic, get, type JsonObject } from './http.js';

/**
 * The Audits API and Show Multiple Tickets answer as the account stands at the sandbox clock: every
 * update up to the clock's second (no last-minute blind spot, unlike the exports) and none later.
 */
const NOW = '2024-06-10T12:00:00Z';
const seconds = (iso: string) => Date.parse(iso) / 1000;

/** Ticket 7 of seed 3 (tiny) at the anchor: its ten updates. */
const TICKET_7_UPDATES = [
  '2024-06-07T14:03:47Z',
  '2024-06-07T15:41:52Z',
  '2024-06-08T10:52:10Z',
  '2024-06-08T11:26:55Z',
  '2024-06-09T04:06:40Z',
  '2024-06-09T05:23:13Z',
  '2024-06-09T10:25:30Z',
  '2024-06-09T11:21:55Z',
  '2024-06-09T16:50:55Z',
  '2024-06-09T21:09:44Z',
];
/** Ticket 40: a WhatsApp creation, its session's start a second later and end, then its deletion. */
const TICKET_40_UPDATES = [
  '2024-06-08T16:16:42Z',
  '2024-06-08T16:16:43Z',
  '2024-06-08T16:21:15Z',
  '2024-06-08T20:55:54Z',
];

const createdAts = (r: { json: JsonObject }) => (r.json.audits as JsonObject[]).map((a) => a.created_at);
const tickets = (r: { json: JsonObject }) => r.json.tickets as JsonObject[];

/** The ticket export's records at the sandbox clock (the whole account: tiny fits one page). */
const exportedTickets = async (s: Sandbox) => {
  const r = await get(s, '/api/v2/incremental/tickets?start_time=0');
  expect(r.json.end_of_stream).toBe(true);
  return new Map(tickets(r).map((t) => [t.id as number, t]));
};

/**
 * The account of `startSandbox({ seed: 3, size: 'tiny', now: NOW })` served from a frozen clock that
 * stands at `clockAt`, before the account's last updates; only the clock differs.
 */
const serveFrom = async (clockAt: string) => {
  const account = generateAccount(3, 'tiny', seconds(NOW));
  const clock = new SandboxClock(Date.parse(clockAt), 'frozen');
  const auth = new Auth(clock, { userId: ADMIN_ID, admin: true }, 1800);
  const admin = account.usersById.get(ADMIN_ID)!;
  const authorization = basic(
    admin.email,
    auth.issueApiToken(admin.email, { userId: ADMIN_ID, admin: true }),
  );
  const parts = {
    clock,
    auth,
    limiter: new RateLimiter(clock, false),
    faults: new Faults(),
    endpoints: null as Endpoints | null,
  };
  const http = new SandboxHttpServer(parts);
  const baseUrl = `http://127.0.0.1:${await http.listen(0)}`;
  parts.endpoints = new Endpoints(account, new Renderer(account, baseUrl), baseUrl, { talkPageSize: 1000 });
  const ask = async (path: string): Promise<{ status: number; json: JsonObject }> => {
    const res = await fetch(`${baseUrl}${path}`, { headers: { Authorization: authorization } });
    return { status: res.status, json: (await res.json()) as JsonObject };
  };
  return { ask, clock, stop: () => http.close() };
};

describe("a sandbox whose clock stands before the account's last updates", () => {
  let served: Awaited<ReturnType<typeof serveFrom>> | undefined;
  afterEach(async () => {
    await served?.stop();
    served = undefined;
  });

  it('lists the audits at or before the clock, a later one once the clock reaches it, and none of a ticket not yet created', async () => {
    served = await serveFrom(TICKET_40_UPDATES[1]!);
    const { ask, clock } = served;
    let r = await ask('/api/v2/tickets/40/audits');
    expect(r.status).toBe(200);
    expect(createdAts(r)).toEqual(TICKET_40_UPDATES.slice(0, 2));
    expect(r.json.count).toBe(2);
    const firstTwo = (r.json.audits as JsonObject[]).map((a) => a.id);

    clock.advance(271); // 16:21:14, a second before the session's end
    expect(createdAts(await ask('/api/v2/tickets/40/audits.json'))).toEqual(TICKET_40_UPDATES.slice(0, 2));
    clock.advance(1); // 16:21:15: the end is at the clock
    r = await ask('/api/v2/tickets/40/audits.json');
    expect(createdAts(r)).toEqual(TICKET_40_UPDATES.slice(0, 3));
    expect((r.json.audits as JsonObject[]).slice(0, 2).map((a) => a.id)).toEqual(firstTwo);
    // the session's end, without a transcript
    expect((r.json.audits as JsonObject[])[2]!.events).toEqual([
      expect.objectContaining({ type: 'ChatEndedEvent' }),
    ]);

    // ticket 89 is created on 2024-06-10 at 11:26:11: it does not exist yet
    expect(await ask('/api/v2/tickets/89/audits')).toMatchObject({
      status: 404,
      json: { error: 'RecordNotFound', description: 'Not found' },
    });
    expect(createdAts(await ask('/api/v2/tickets/7/audits'))).toEqual(TICKET_7_UPDATES.slice(0, 4));
  });

  it('shows tickets as they stand at the clock, leaving out those not created yet and those deleted by then', async () => {
    served = await serveFrom(TICKET_40_UPDATES[2]!);
    const { ask, clock } = served;
    const at = clock.nowSeconds();
    const r = await ask('/api/v2/tickets/show_many?ids=7,40,89,999');
    expect(r.status).toBe(200);
    expect(Object.keys(r.json)).toEqual(['tickets', 'next_page', 'previous_page', 'count']);
    expect(r.json).toMatchObject({ next_page: null, previous_page: null, count: 2 });
    const [seven, forty] = tickets(r);
    expect(seven).toMatchObject({
      id: 7,
      status: 'solved',
      updated_at: TICKET_7_UPDATES[3],
      generated_timestamp: seconds(TICKET_7_UPDATES[3]!),
      follower_ids: [],
      collaborator_ids: [],
    });
    expect(forty).toMatchObject({
      id: 40,
      status: 'new',
      subject: 'App crashes on start',
      tags: ['bug', 'spam'],
      created_at: TICKET_40_UPDATES[0],
      updated_at: TICKET_40_UPDATES[2],
      generated_timestamp: seconds(TICKET_40_UPDATES[2]!),
    });

    // the deletion at the clock: ticket 40 is gone from both
    clock.advance(seconds(TICKET_40_UPDATES[3]!) - at);
    expect(await ask('/api/v2/tickets/40/audits')).toMatchObject({
      status: 404,
      json: { error: 'RecordNotFound', description: 'Not found' },
    });
    expect((await ask('/api/v2/tickets/show_many?ids=40')).json).toEqual({
      tickets: [],
      next_page: null,
      previous_page: null,
      count: 0,
    });

    // past every update (and out of the exports' last minute): the ticket export's records exactly,
    // and ticket 7 earlier was that record without its later changes
    clock.advance(seconds(NOW) + 61 - clock.nowSeconds());
    const exported = new Map(
      tickets(await ask('/api/v2/incremental/tickets?start_time=0')).map((t) => [t.id as number, t]),
    );
    const later = await ask('/api/v2/tickets/show_many.json?ids=89,7');
    expect(tickets(later)).toEqual([exported.get(89), exported.get(7)]);
    expect(seven).toEqual({
      ...exported.get(7),
      updated_at: TICKET_7_UPDATES[3],
      generated_timestamp: seconds(TICKET_7_UPDATES[3]!),
      follower_ids: [],
      collaborator_ids: [],
    });
    expect(createdAts(await ask('/api/v2/tickets/7/audits'))).toEqual(TICKET_7_UPDATES);
  });
});

describe('Show Multiple Tickets at the default clock', () => {
  let s: Sandbox;
  beforeAll(async () => {
    s = await startSandbox({ seed: 3, size: 'tiny', now: NOW, rateLimit: false, clock: 'frozen' });
  });
  afterAll(async () => {
    await s?.stop();
  });

  it("gives an agent the tickets asked for in the ticket export's form, leaving out unknown and deleted ids", async () => {
    const exported = await exportedTickets(s);
    const agent = basic(s.credentials.agent.email, s.credentials.agent.apiToken);
    const r = await get(s, '/api/v2/tickets/show_many.json?ids=7,999,40,89', agent);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      tickets: [exported.get(7), exported.get(89)],
      next_page: null,
      previous_page: null,
      count: 2,
    });
    expect(exported.get(40)!.status).toBe('deleted');
    expect(tickets(r)[0]).toMatchObject({
      id: 7,
      updated_at: TICKET_7_UPDATES[9],
      generated_timestamp: 1717967384,
    });
  });

  it('takes at most 100 ids: 100 give every live ticket among them, 101 are refused', async () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(s.creations.filter((c) => c.deleted).map((c) => c.ticketId)).toEqual([40]);
    const live = s.creations.filter((c) => !c.deleted).map((c) => c.ticketId);
    expect(live).toHaveLength(89);
    const r = await get(s, `/api/v2/tickets/show_many?ids=${hundred.join(',')}`);
    expect(r.status).toBe(200);
    expect(r.json.count).toBe(89);
    expect(tickets(r).map((t) => t.id)).toEqual(live);
    const refused = {
      status: 400,
      json: { error: 'InvalidValue', description: 'ids must be 1 to 100 comma-separated ticket ids' },
    };
    expect(await get(s, `/api/v2/tickets/show_many?ids=${[...hundred, 101].join(',')}`)).toMatchObject(
      refused,
    );
    expect(await get(s, '/api/v2/tickets/show_many')).toMatchObject(refused);
    expect(await get(s, '/api/v2/tickets/show_many?ids=7,seven')).toMatchObject(refused);
  });
});

describe('updates made at the clock', () => {
  let s: Sandbox | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  it('are listed by the Audits API and shown by Show Multiple Tickets at once, while the exports still hide them', async () => {
    s = await startSandbox({ seed: 3, size: 'tiny', now: NOW, rateLimit: false, clock: 'frozen' });
    const ticketId = s.createTicket({ channel: 'email' });
    expect(ticketId).toBe(91);
    expect(createdAts(await get(s, `/api/v2/tickets/${ticketId}/audits`))).toEqual([NOW]);
    let shown = tickets(await get(s, `/api/v2/tickets/show_many?ids=${ticketId}`));
    expect(shown).toEqual([
      expect.objectContaining({
        id: 91,
        status: 'new',
        created_at: NOW,
        updated_at: NOW,
        generated_timestamp: seconds(NOW),
      }),
    ]);
    expect((await exportedTickets(s)).has(ticketId)).toBe(false);

    s.advanceClock(1);
    s.addCustomerComment(ticketId, 'email');
    expect(createdAts(await get(s, `/api/v2/tickets/${ticketId}/audits`))).toEqual([
      NOW,
      '2024-06-10T12:00:01Z',
    ]);
    shown = tickets(await get(s, `/api/v2/tickets/show_many?ids=${ticketId}`));
    expect(shown[0]).toMatchObject({
      updated_at: '2024-06-10T12:00:01Z',
      generated_timestamp: seconds(NOW) + 1,
    });

    s.advanceClock(61);
    expect(tickets(await get(s, `/api/v2/tickets/show_many?ids=${ticketId}`))).toEqual([
      (await exportedTickets(s)).get(ticketId),
    ]);
  });

  it('Show Multiple Tickets counts as a Support API request: the account budget only, counted by path', async () => {
    s = await startSandbox({
      seed: 3,
      size: 'tiny',
      now: NOW,
      clock: 'frozen',
      rateLimit: { incrementalPerMinute: 1 },
    });
    const first = await get(s, '/api/v2/tickets/show_many?ids=7');
    expect(first.status).toBe(200);
    expect(first.headers.get('x-rate-limit-remaining')).toBe('699');
    expect(first.headers.get('zendesk-ratelimit-incremental-exports')).toBeNull();
    const exported = await get(s, '/api/v2/incremental/tickets?start_time=0');
    expect(exported.headers.get('zendesk-ratelimit-incremental-exports')).toMatch(
      /^total=1; remaining=0; resets=\d+$/,
    );
    expect((await get(s, '/api/v2/incremental/tickets?start_time=0')).status).toBe(429);
    const second = await get(s, '/api/v2/tickets/show_many.json?ids=7');
    expect(second.status).toBe(200);
    expect(second.headers.get('x-rate-limit-remaining')).toBe('697');
    expect(s.requestCount('/api/v2/tickets/show_many')).toBe(2);
    expect(s.requestCount()).toBe(4);
  });
});
