import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { ZendeskClient, type ZendeskClientOptions } from '../../../shared/zendesk/client.js';
import { MIN_ATTEMPT_MS } from '../../../shared/zendesk/transport.js';
import {
  ZendeskCredentialsError,
  ZendeskEndpointClosedError,
  ZendeskExportStuckError,
  ZendeskPayloadError,
  ZendeskRequestError,
  ZendeskTransientError,
} from '../../../shared/zendesk/errors.js';
import { followExport } from '../../support/follow-export.js';
import { MAX_STALLED_PAGES } from '../../../shared/zendesk/positions.js';
import {
  failureOf,
  rawCall,
  rawTicketEvent,
  startFakeZendesk,
  type FakeReply,
  type FakeRequest,
  type FakeZendesk,
} from './fake-zendesk.js';
import { descriptionTerms, partTermOf } from '../../../shared/domain/description-terms.js';

const NOW_MS = 1_717_500_000_000;
const NOW = NOW_MS / 1000;
const OLD = NOW - 86_400;
const API_TOKEN = 'zd-api-token-5f1e2d3c4b5a';
const USERNAME = 'admin@acme.test';
const BASIC = Buffer.from(`${USERNAME}/token:${API_TOKEN}`).toString('base64');

let server: FakeZendesk | undefined;
const logs: string[] = [];
afterEach(async () => {
  await server?.stop();
  server = undefined;
  logs.length = 0;
});

const serve = async (handler: (r: FakeRequest) => FakeReply | Promise<FakeReply>) => {
  server = await startFakeZendesk(handler);
  return server;
};

const clientFor = (s: FakeZendesk, extra: Partial<ZendeskClientOptions> = {}) =>
  new ZendeskClient({
    baseUrl: s.baseUrl,
    credentials: { kind: 'api_token', username: USERNAME, apiToken: API_TOKEN },
    clock: () => NOW_MS,
    retryBaseDelayMs: 1,
    logger: {
      debug: (msg, extra) => logs.push(`${msg} ${JSON.stringify(extra ?? {})}`),
      warn: (msg, extra) => logs.push(`${msg} ${JSON.stringify(extra ?? {})}`),
    },
    ...extra,
  });

const eventsPage = (events: unknown[], endTime: number | null, endOfStream: boolean) => ({
  json: {
    ticket_events: events,
    count: events.length,
    end_time: endTime,
    end_of_stream: endOfStream,
    next_page: 'x',
  },
});

/** Zendesk's time-based export: items at or after start_time, whole seconds, `per_page` at least. */
const timeExport = (events: ReturnType<typeof rawTicketEvent>[], request: FakeRequest): FakeReply => {
  const start = Number(request.query.get('start_time'));
  const perPage = Number(request.query.get('per_page') ?? 1000);
  const after = events.filter((e) => e.timestamp >= start);
  let page = after.slice(0, perPage);
  const last = page.at(-1);
  if (last) page = after.filter((e) => e.timestamp <= last.timestamp);
  const endOfStream = page.length === after.length;
  return eventsPage(page, last ? last.timestamp : start, endOfStream);
};

const expectNoSecrets = (texts: string[]) => {
  for (const text of texts) {
    expect(text).not.toContain(API_TOKEN);
    expect(text).not.toContain(BASIC);
  }
};

describe('ZendeskClient: when a time-based export answered, on Zendesk’s clock', () => {
  it.each<[string, Record<string, string>, number]>([
    [
      'its Date header, which may differ from this machine’s clock (the records’ times are on Zendesk’s)',
      { date: 'Tue, 04 Jun 2024 10:58:20 GMT' },
      Date.parse('2024-06-04T10:58:20Z') / 1000,
    ],
    ['no Date header: the client’s clock when it asked', {}, NOW_MS / 1000],
    ['a Date header that is no time: the client’s clock when it asked', { date: 'soon' }, NOW_MS / 1000],
  ])('%s', async (_name, headers, answeredAt) => {
    const s = await serve(() => ({ ...eventsPage([], null, true), headers }));
    const outcome = await clientFor(s).ticketEvents({ startTime: OLD });
    expect(outcome.kind === 'page' ? outcome.answeredAt : undefined).toBe(answeredAt);
  });
});

describe('ZendeskClient: ticket events', () => {
  it('asks for one page with comment events, basic auth and a product User-Agent, and compacts it', async () => {
    const s = await serve(() => eventsPage([rawTicketEvent(31000000101, OLD + 5)], OLD + 5, false));
    const outcome = await clientFor(s).ticketEvents({ startTime: OLD });
    const request = s.requests[0]!;
    expect([request.method, request.path, Object.fromEntries(request.query)]).toEqual([
      'GET',
      '/api/v2/incremental/ticket_events',
      { start_time: String(OLD), include: 'comment_events', per_page: '1000' },
    ]);
    expect(request.headers.authorization).toBe(`Basic ${BASIC}`);
    expect(request.headers['user-agent']).toBe('zendesk-wfm/0.1 (WFM contact-volume import)');
    expect(outcome).toEqual({
      kind: 'page',
      // No Date header: the client's clock when it asked.
      answeredAt: NOW_MS / 1000,
      records: [
        {
          id: 31000000101,
          ticketId: 5000 + (31000000101 % 97),
          timestamp: OLD + 5,
          createdAt: new Date((OLD + 5) * 1000).toISOString().replace('.000Z', 'Z'),
          updaterId: 411000001,
          via: 'Web form',
          viaReferenceId: null,
          children: [
            { kind: 'Create', field: 'status', value: 'new' },
            {
              kind: 'Comment',
              authorId: 411000001,
              public: true,
              channel: 'web',
              rel: null,
              terms: descriptionTerms('My password reset mail never arrives.'.repeat(20)),
            },
          ],
        },
      ],
      rejected: [],
      next: { startTime: OLD + 5, seen: { [String(OLD + 5)]: [31000000101] } },
      endOfStream: false,
      requestUrl: `${s.baseUrl}/api/v2/incremental/ticket_events?start_time=${OLD}&include=comment_events&per_page=1000`,
      requests: 1,
    });
  });

  it("reads a creation's description for the integration's views' search words as it compacts the page", async () => {
    const s = await serve(() => eventsPage([rawTicketEvent(31000000101, OLD + 5)], OLD + 5, false));
    const outcome = await clientFor(s, { descriptionSearchWords: ['pass', 'refund'] }).ticketEvents({
      startTime: OLD,
    });
    expect(outcome.kind === 'page' && outcome.records[0]!.children[1]).toMatchObject({
      kind: 'Comment',
      partsFound: [partTermOf('pass')],
    });
  });

  it('never sends a start_time within the last minute', async () => {
    const s = await serve(() => eventsPage([], null, true));
    await clientFor(s).ticketEvents({ startTime: NOW - 5 });
    expect(s.requests[0]!.query.get('start_time')).toBe(String(NOW - 60));
  });

  it('follows pages across separate calls: events sharing a boundary second are neither lost nor duplicated', async () => {
    const seconds = [0, 0, 1, 2, 2, 2, 3, 4, 4, 5];
    const events = seconds.map((d, i) => rawTicketEvent(31000000000 + i * 20, OLD + d));
    const s = await serve((r) => timeExport(events, r));
    const client = clientFor(s, { pageSize: 4 });
    const delivered: number[] = [];
    const positions: unknown[] = [];
    for await (const page of followExport((from) => client.ticketEvents(from), { startTime: OLD })) {
      delivered.push(...page.records.map((r) => r.id));
      // Each page is resumed from the stored position in JSON, as the pipeline would.
      positions.push(JSON.parse(JSON.stringify(page.next)));
    }
    expect(delivered).toEqual(events.map((e) => e.id));
    expect(s.requests.map((r) => Number(r.query.get('start_time')) - OLD)).toEqual([0, 2, 3]);
    expect(positions.at(-1)).toEqual({ startTime: OLD + 5, seen: { [String(OLD + 5)]: [31000000180] } });
  });

  it('fails loudly on 1000 events in one second that do not end the stream, after a bounded number of requests', async () => {
    const events = Array.from({ length: 1000 }, (_, i) => rawTicketEvent(31000000000 + i * 20, OLD));
    const s = await serve(() => eventsPage(events, OLD, false));
    const client = clientFor(s);
    const pages = followExport((from) => client.ticketEvents(from), { startTime: OLD });
    await expect(
      (async () => {
        for await (const _page of pages);
      })(),
    ).rejects.toThrow(ZendeskExportStuckError);
    // The first page delivers the events; each later one brings nothing new.
    expect(s.requests).toHaveLength(MAX_STALLED_PAGES + 2);
  });

  type Runaway = [
    what: string,
    path: string,
    reply: (r: FakeRequest) => FakeReply,
    stream: 'ticket_events' | 'users',
    position: string,
  ];
  const runaways: Runaway[] = [
    [
      'an empty ticket-events page with end_of_stream false',
      '/api/v2/incremental/ticket_events',
      () => eventsPage([], OLD, false),
      'ticket_events',
      `start_time ${OLD} (${new Date(OLD * 1000).toISOString()})`,
    ],
    [
      'a users cursor that comes back unchanged',
      '/api/v2/incremental/users/cursor',
      () => ({ json: { users: [], after_cursor: 'c1', end_of_stream: false } }),
      'users',
      'cursor c1',
    ],
  ];
  it.each(runaways)(
    '%s fails after a bounded number of requests, naming the endpoint and position',
    async (_what, path, reply, stream, position) => {
      const s = await serve(reply);
      const error = await failureOf<ZendeskExportStuckError>(
        (async () => {
          const client = clientFor(s);
          const pages =
            stream === 'users'
              ? followExport((from) => client.users(from), { cursor: 'c1' })
              : followExport((from) => client.ticketEvents(from), { startTime: OLD });
          for await (const _page of pages);
        })(),
      );
      expect(error).toBeInstanceOf(ZendeskExportStuckError);
      expect(error.endpoint).toBe(path);
      expect(error.position).toBe(position);
      expect(s.requests).toHaveLength(MAX_STALLED_PAGES + 1);
    },
  );
});

describe('ZendeskClient: rate limits', () => {
  it('returns a JSON 429 as "retry after N seconds" without retrying', async () => {
    const s = await serve(() => ({
      status: 429,
      headers: { 'retry-after': '37' },
      json: {
        error: 'APIRateLimitExceeded',
        description: 'Number of allowed incremental export API requests per minute exceeded',
      },
    }));
    await expect(clientFor(s).ticketEvents({ startTime: OLD })).resolves.toEqual({
      kind: 'rate_limited',
      retryAfterSeconds: 37,
      cause: 'rate_limit',
    });
    expect(s.requests).toHaveLength(1);
  });

  it("asks nothing more of that bucket until a 429's Retry-After has passed: the same client's next call waits", async () => {
    const s = await serve(() => ({
      status: 429,
      headers: { 'retry-after': '37' },
      text: 'Too Many Requests',
    }));
    const client = clientFor(s);
    await client.ticketEvents({ startTime: OLD });
    await expect(client.ticketEvents({ startTime: OLD })).resolves.toEqual({
      kind: 'rate_limited',
      retryAfterSeconds: 37,
      cause: 'rate_limit',
    });
    expect(s.requests).toHaveLength(1);
  });

  it("a 503 that says when to come back (Retry-After: Zendesk's maintenance) is waited out as a 429 is, without retrying, and blocks the bucket until then", async () => {
    const s = await serve(() => ({
      status: 503,
      headers: { 'retry-after': '120' },
      text: 'Service Unavailable',
    }));
    const client = clientFor(s);
    // Both say it is the maintenance, the second deferred by the blocked bucket without a request.
    await expect(client.ticketEvents({ startTime: OLD })).resolves.toEqual({
      kind: 'rate_limited',
      retryAfterSeconds: 120,
      cause: 'maintenance',
    });
    await expect(client.ticketEvents({ startTime: OLD })).resolves.toEqual({
      kind: 'rate_limited',
      retryAfterSeconds: 120,
      cause: 'maintenance',
    });
    expect(s.requests).toHaveLength(1);
  });

  it('accepts a plain-text 429 without Retry-After, using the export header', async () => {
    const s = await serve(() => ({
      status: 429,
      headers: { 'zendesk-ratelimit-incremental-exports': 'total=10; remaining=0; resets=21' },
      text: 'Number of allowed API requests per minute exceeded',
    }));
    await expect(clientFor(s).ticketEvents({ startTime: OLD })).resolves.toEqual({
      kind: 'rate_limited',
      retryAfterSeconds: 21,
      cause: 'rate_limit',
    });
  });

  it('keeps the incremental exports under their per-minute budget without asking Zendesk', async () => {
    const s = await serve((r) =>
      r.path.includes('tickets/cursor')
        ? { json: { tickets: [], after_cursor: 'c1', end_of_stream: true } }
        : eventsPage([], null, true),
    );
    const client = clientFor(s, { incrementalPerMinute: 2 });
    await client.ticketEvents({ startTime: OLD });
    await client.tickets({ startTime: OLD });
    await expect(client.ticketEvents({ startTime: OLD })).resolves.toEqual({
      kind: 'rate_limited',
      retryAfterSeconds: 60,
      cause: 'rate_limit',
    });
    expect(s.requests).toHaveLength(2);
  });

  it('stops before a request when the headers say nothing is left this minute', async () => {
    const s = await serve(() => ({
      ...eventsPage([], null, true),
      headers: { 'zendesk-ratelimit-incremental-exports': 'total=10; remaining=0; resets=12' },
    }));
    const client = clientFor(s);
    await client.ticketEvents({ startTime: OLD });
    await expect(client.ticketEvents({ startTime: OLD })).resolves.toEqual({
      kind: 'rate_limited',
      retryAfterSeconds: 12,
      cause: 'rate_limit',
    });
    expect(s.requests).toHaveLength(1);
  });
});

describe('ZendeskClient: transient failures', () => {
  it('retries 5xx with backoff and completes', async () => {
    let n = 0;
    const s = await serve(() =>
      ++n <= 2 ? { status: 503, text: 'Service Unavailable' } : eventsPage([], null, true),
    );
    const outcome = await clientFor(s).ticketEvents({ startTime: OLD });
    expect(outcome).toMatchObject({ kind: 'page', records: [], endOfStream: true, requests: 3 });
  });

  it('sends nothing with less than 5 s of the invocation left (MIN_ATTEMPT_MS): a transient error, so the work comes again in a later invocation', async () => {
    const s = await serve(() => eventsPage([], null, true));
    const error = await failureOf<ZendeskTransientError>(
      clientFor(s, { timeLeftMs: () => MIN_ATTEMPT_MS - 1 }).ticketEvents({ startTime: OLD }),
    );
    expect(error).toBeInstanceOf(ZendeskTransientError);
    expect([error.attempts, error.lastFailure]).toEqual([
      0,
      "too little of the invocation's time left for an attempt",
    ]);
    expect(s.requests).toHaveLength(0);
  });

  it('starts no retry that the time left cannot hold, and says what failed before', async () => {
    const s = await serve(() => ({ status: 503, text: 'Service Unavailable' }));
    // Time enough until the first attempt has been answered, then too little for another.
    const error = await failureOf<ZendeskTransientError>(
      clientFor(s, {
        timeLeftMs: () => (s.requests.length === 0 ? 60_000 : MIN_ATTEMPT_MS - 1),
      }).ticketEvents({ startTime: OLD }),
    );
    expect([error.attempts, error.lastFailure, error.answered]).toEqual([
      1,
      "status 503; too little of the invocation's time left for another attempt",
      true,
    ]);
    expect(s.requests).toHaveLength(1);
  });

  it('retries a 504 with a smaller page', async () => {
    let n = 0;
    const s = await serve(() =>
      ++n === 1 ? { status: 504, text: 'Gateway Timeout' } : eventsPage([], null, true),
    );
    await clientFor(s).ticketEvents({ startTime: OLD });
    expect(s.requests.map((r) => r.query.get('per_page'))).toEqual(['1000', '500']);
  });

  /**
   * A fetch whose chosen attempts never answer until the client's own timeout aborts them, and whose
   * other attempts carry no timeout at all: which attempts time out does not depend on how busy the
   * machine is.
   */
  const timingOutOn = (timesOut: (attempt: number) => boolean) => {
    const attempts: string[] = [];
    const fetchImpl: typeof fetch = (input, init) => {
      attempts.push(String(input));
      const signal = init?.signal;
      if (!timesOut(attempts.length)) return fetch(input, { ...init, signal: null });
      return new Promise((_, reject) => {
        if (!signal) throw new Error('the client sent a request without a timeout');
        signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
      });
    };
    return { attempts, fetchImpl };
  };

  it('retries a connection reset and a timeout', async () => {
    let n = 0;
    const s = await serve(() => (++n === 1 ? { reset: true } : eventsPage([], null, true)));
    const wire = timingOutOn((attempt) => attempt === 2);
    const outcome = await clientFor(s, { timeoutMs: 100, fetch: wire.fetchImpl }).ticketEvents({
      startTime: OLD,
    });
    expect(outcome).toMatchObject({ kind: 'page', requests: 3 });
    expect([wire.attempts.length, s.requests.length]).toEqual([3, 2]);
    expect(logs.filter((l) => l.includes('timeout after 100 ms'))).toHaveLength(1);
  });

  it.each([
    [408, 'Request Timeout'],
    [409, 'Conflict'],
  ])('retries a %i (%s) like a server error: it says try again, not never', async (status, text) => {
    let n = 0;
    const s = await serve(() => (++n === 1 ? { status, text } : eventsPage([], null, true)));
    expect(await clientFor(s).ticketEvents({ startTime: OLD })).toMatchObject({ kind: 'page', requests: 2 });
    const stays = await serve(() => ({ status, text }));
    const error = await failureOf(clientFor(stays, { maxRetries: 2 }).ticketEvents({ startTime: OLD }));
    expect(error).toBeInstanceOf(ZendeskTransientError);
    expect(error).toMatchObject({ attempts: 3, lastFailure: `status ${status}` });
    expect(stays.requests).toHaveLength(3);
  });

  it.each<[string, Record<string, string>, string]>([
    [
      'another host: where it points, and that the domain may need updating',
      { location: 'https://acme-new.zendesk.com/api/v2/incremental/ticket_events?start_time=1&token=x' },
      "Zendesk answered 301 on /api/v2/incremental/ticket_events: redirected to https://acme-new.zendesk.com/api/v2/incremental/ticket_events: the account answers at another host (a changed subdomain or host mapping?); update the integration's domain if that is the account",
    ],
    [
      'a Location with a user part: only its host and path are said',
      { location: 'https://admin%40acme.test:zd-token-secret@elsewhere.example/api/v2/x?token=y#z' },
      "Zendesk answered 301 on /api/v2/incremental/ticket_events: redirected to https://elsewhere.example/api/v2/x: the account answers at another host (a changed subdomain or host mapping?); update the integration's domain if that is the account",
    ],
    [
      'no Location at all',
      {},
      'Zendesk answered 301 on /api/v2/incremental/ticket_events: redirected to no Location given',
    ],
  ])(
    'a redirect is not followed (the credentials stay with the host) and says where it points: %s',
    async (_, headers, said) => {
      const s = await serve(() => ({ status: 301, text: '', headers }));
      const error = await failureOf(clientFor(s).ticketEvents({ startTime: OLD }));
      expect(error).toBeInstanceOf(ZendeskRequestError);
      expect(error.message).toBe(said);
      expect(s.requests).toHaveLength(1);
    },
  );

  it('gives up after the bounded retries with a typed transient error', async () => {
    const s = await serve(() => ({ status: 500, text: 'oops' }));
    const error = await failureOf(clientFor(s, { maxRetries: 2 }).ticketEvents({ startTime: OLD }));
    expect(error).toBeInstanceOf(ZendeskTransientError);
    expect(error).toMatchObject({
      endpoint: '/api/v2/incremental/ticket_events',
      attempts: 3,
      lastFailure: 'status 500',
    });
    expect(s.requests).toHaveLength(3);
  });

  it('names a timeout as such when it never answers in time', async () => {
    const s = await serve(() => eventsPage([], null, true));
    const wire = timingOutOn(() => true);
    await expect(
      clientFor(s, { timeoutMs: 50, maxRetries: 1, fetch: wire.fetchImpl }).ticketEvents({ startTime: OLD }),
    ).rejects.toMatchObject({
      attempts: 2,
      lastFailure: 'timeout after 50 ms',
    });
    expect(s.requests).toHaveLength(0);
  });
});

describe('ZendeskClient: refusals and bad payloads', () => {
  it("turns a 401 on an API token into a credentials error with Zendesk's message and no token", async () => {
    const s = await serve(() => ({ status: 401, json: { error: "Couldn't authenticate you" } }));
    const error = await failureOf<Error>(clientFor(s).ticketEvents({ startTime: OLD }));
    expect(error).toBeInstanceOf(ZendeskCredentialsError);
    expect(error).toMatchObject({ status: 401, zendeskMessage: "Couldn't authenticate you" });
    expect(s.requests).toHaveLength(1);
    expectNoSecrets([error.message, String(error.stack), ...logs]);
  });

  it('turns a 403 into a credentials error carrying the nested message', async () => {
    const s = await serve(() => ({
      status: 403,
      json: { error: { title: 'Forbidden', message: 'You do not have access to this page.' } },
    }));
    await expect(clientFor(s).users({ startTime: OLD })).rejects.toMatchObject({
      status: 403,
      zendeskMessage: 'Forbidden: You do not have access to this page.',
    });
  });

  it('redacts a token that Zendesk echoes back in an error body', async () => {
    const s = await serve(() => ({
      status: 401,
      text: `<html><body>bad token ${API_TOKEN} / ${BASIC}</body></html>`,
    }));
    const error = await failureOf<ZendeskCredentialsError>(clientFor(s).ticketEvents({ startTime: OLD }));
    expect(error.zendeskMessage).toBe('bad token [redacted] / [redacted]');
    expectNoSecrets([error.message, ...logs]);
  });

  it('turns another 4xx into a request error', async () => {
    const s = await serve(() => ({
      status: 404,
      json: { error: 'RecordNotFound', description: 'Not found' },
    }));
    await expect(clientFor(s).ticketAudits(42)).rejects.toMatchObject({
      constructor: ZendeskRequestError,
      status: 404,
      zendeskMessage: 'RecordNotFound: Not found',
    });
  });

  it.each<[string, FakeReply, number | string | null, string]>([
    ['a body that is not JSON', { text: '{"ticket_events": [' }, null, '(body)'],
    [
      'an envelope field of the wrong type',
      { json: { ticket_events: [], end_of_stream: 'yes' } },
      null,
      'end_of_stream',
    ],
    [
      'an envelope without its position (no end_of_stream)',
      { json: { ticket_events: [rawTicketEvent(31000000101, OLD)], end_time: OLD } },
      null,
      'end_of_stream',
    ],
    [
      'an envelope without its events array',
      { json: { end_of_stream: true, end_time: OLD } },
      null,
      'ticket_events',
    ],
  ])(
    'rejects %s, the whole page, with a payload error naming the field',
    async (_, reply, recordId, field) => {
      const s = await serve(() => reply);
      const error = await failureOf(clientFor(s).ticketEvents({ startTime: OLD }));
      expect(error).toBeInstanceOf(ZendeskPayloadError);
      expect(error).toMatchObject({ endpoint: '/api/v2/incremental/ticket_events', recordId, field });
    },
  );

  it('one bad record costs that record: the rest of the page is delivered and the record is rejected naming its field', async () => {
    const { child_events: children, ...event } = rawTicketEvent(31000000121, OLD + 1);
    const badChild = {
      ...event,
      child_events: children.map((c, i) => (i === 0 ? null : c)),
    };
    const events = [rawTicketEvent(31000000101, OLD), badChild, rawTicketEvent(31000000141, OLD + 2)];
    const s = await serve((r) =>
      eventsPage(
        events.filter((e) => e.timestamp >= Number(r.query.get('start_time'))),
        OLD + 2,
        false,
      ),
    );
    const client = clientFor(s);
    const first = await client.ticketEvents({ startTime: OLD });
    if (first.kind !== 'page') throw new Error('expected a page');
    expect(first.records.map((e) => e.id)).toEqual([31000000101, 31000000141]);
    expect(first.rejected).toEqual([
      {
        index: 1,
        recordId: 31000000121,
        fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
        field: 'child_events[0]',
        problem: 'Invalid input: expected record, received null',
      },
    ]);
    // The rejected record is known at the boundary like the others: the next page does not reject it again.
    expect(first.next).toEqual({ startTime: OLD + 2, seen: { [String(OLD + 2)]: [31000000141] } });
    const again = await client.ticketEvents({
      startTime: OLD + 1,
      seen: { [String(OLD + 1)]: [31000000121] },
    });
    expect(again.kind === 'page' && [again.records.map((e) => e.id), again.rejected]).toEqual([
      [31000000141],
      [],
    ]);
  });

  it('a record whose id cannot be read is rejected on every page that carries it, with the same fingerprint', async () => {
    const noId = { ...rawTicketEvent(31000000121, OLD + 1), id: 'x-1' };
    const s = await serve(() => eventsPage([rawTicketEvent(31000000101, OLD), noId], OLD + 1, false));
    const client = clientFor(s);
    const first = await client.ticketEvents({ startTime: OLD });
    const second = await client.ticketEvents({ startTime: OLD });
    if (first.kind !== 'page' || second.kind !== 'page') throw new Error('expected pages');
    expect(first.rejected.map((r) => [r.recordId, r.field])).toEqual([[null, 'id']]);
    expect(second.rejected[0]?.fingerprint).toBe(first.rejected[0]?.fingerprint);
    expect(first.records.map((e) => e.id)).toEqual([31000000101]);
  });

  it.each<[string, string]>([
    ['OAuth client', 'This endpoint is not available to this OAuth client.'],
    ['third-party integrations', 'Incremental exports are no longer available to third-party integrations'],
  ])(
    'a 403 saying the export is not available to this client (%s) is an endpoint-closed error with the message and what to do',
    async (_, message) => {
      const s = await serve(() => ({ status: 403, json: { error: { title: 'Forbidden', message } } }));
      const error = await failureOf<ZendeskEndpointClosedError>(
        clientFor(s).ticketEvents({ startTime: OLD }),
      );
      expect(error).toBeInstanceOf(ZendeskEndpointClosedError);
      expect(error.zendeskMessage).toBe(`Forbidden: ${message}`);
      expect(error.message).toBe(
        `Zendesk does not make /api/v2/incremental/ticket_events available to this client (403): Forbidden: ${message.replace(/\.$/, '')}. ` +
          'Zendesk keeps its incremental exports from third-party OAuth clients: create an OAuth client in your own ' +
          'Zendesk account (Admin Center, Apps and integrations, APIs, OAuth clients) and give this integration its ' +
          'credentials (`zendesk-wfm integration set-credentials`), which makes it active again.',
      );
      // No renewal, no retry: the answer would not change.
      expect(s.requests).toHaveLength(1);
    },
  );

  it.each<[string, unknown]>([
    ['not an admin', { error: { title: 'Forbidden', message: 'You do not have access to this page.' } }],
    [
      'a missing scope',
      { error: 'Forbidden', description: 'You are missing the following required scopes: read' },
    ],
  ])('a 403 for %s stays a credentials error', async (_, json) => {
    const s = await serve(() => ({ status: 403, json }));
    const error = await failureOf(clientFor(s).ticketEvents({ startTime: OLD }));
    expect(error).toBeInstanceOf(ZendeskCredentialsError);
  });
});

describe('ZendeskClient: cursor exports', () => {
  const ticket = (id: number) => ({
    id,
    created_at: '2024-06-03T09:01:02Z',
    updated_at: '2024-06-03T09:07:00Z',
    generated_timestamp: 1717405620,
    via: { channel: 'email' },
    status: 'open',
    tags: [],
    custom_fields: [],
  });

  it('starts the ticket export from a time, then continues from the cursor Zendesk returns', async () => {
    const s = await serve((r) =>
      r.query.get('cursor')
        ? { json: { tickets: [ticket(2)], after_cursor: 'c2', before_cursor: null, end_of_stream: true } }
        : { json: { tickets: [ticket(1)], after_cursor: 'c1', before_cursor: null, end_of_stream: false } },
    );
    const client = clientFor(s);
    const first = await client.tickets({ startTime: OLD });
    expect(first).toMatchObject({ kind: 'page', next: { cursor: 'c1' }, endOfStream: false });
    const second = await client.tickets({ cursor: 'c1' });
    expect(second).toMatchObject({ kind: 'page', next: { cursor: 'c2' }, endOfStream: true });
    expect(s.requests.map((r) => [r.path, Object.fromEntries(r.query)])).toEqual([
      ['/api/v2/incremental/tickets/cursor', { start_time: String(OLD), per_page: '1000' }],
      ['/api/v2/incremental/tickets/cursor', { cursor: 'c1', per_page: '1000' }],
    ]);
    expect(second.kind === 'page' && second.records.map((t) => t.id)).toEqual([2]);
  });

  it('reads users from the users cursor export', async () => {
    const s = await serve(() => ({
      json: {
        users: [{ id: 7, role: 'agent', active: true, updated_at: '2024-06-01T07:30:00Z' }],
        after_cursor: 'u1',
        end_of_stream: true,
      },
    }));
    await expect(clientFor(s).users({ startTime: OLD })).resolves.toMatchObject({
      records: [{ id: 7, role: 'agent', active: true, updatedAt: '2024-06-01T07:30:00Z' }],
      next: { cursor: 'u1' },
      endOfStream: true,
    });
    expect(s.requests[0]!.path).toBe('/api/v2/incremental/users/cursor');
  });

  it('refuses a cursor for a time-based export, naming the field', async () => {
    const s = await serve(() => eventsPage([], null, true));
    await expect(clientFor(s).ticketEvents({ cursor: 'c1' })).rejects.toThrow(
      'needs startTime, not a cursor',
    );
    expect(s.requests).toHaveLength(0);
  });
});

describe('ZendeskClient: Talk calls', () => {
  it('follows the calls export until a page brings nothing new (no end_of_stream in Talk)', async () => {
    const calls = [rawCall(1, OLD), rawCall(2, OLD + 10), rawCall(3, OLD + 10), rawCall(4, OLD + 20)];
    const s = await serve((r) => {
      const start = Number(r.query.get('start_time'));
      const page = calls.filter((c) => Date.parse(c.updated_at) / 1000 >= start).slice(0, 3);
      const end = page.length ? Date.parse(page.at(-1)!.updated_at) / 1000 : start;
      return { json: { calls: page, count: page.length, end_time: end, next_page: `x?start_time=${end}` } };
    });
    const ids: number[] = [];
    const client = clientFor(s);
    for await (const page of followExport((from) => client.calls(from), { startTime: OLD }))
      ids.push(...page.records.map((c) => c.id));
    expect(ids).toEqual([1, 2, 3, 4]);
    expect(s.requests.map((r) => Number(r.query.get('start_time')) - OLD)).toEqual([0, 10, 20]);
    expect(s.requests[0]!.path).toBe('/api/v2/channels/voice/stats/incremental/calls');
  });

  it.each<[string, (page: unknown[]) => unknown]>([
    ['a total larger than the page', () => 1234],
    ['zero beside calls', () => 0],
    ['one, as on a last page', () => 1],
    ['absent', () => undefined],
  ])('reads every call whatever count says (%s): count is information, not a stop', async (_, countOf) => {
    const calls = [
      rawCall(1, OLD),
      rawCall(2, OLD + 10),
      rawCall(3, OLD + 10),
      rawCall(4, OLD + 20),
      rawCall(5, OLD + 30),
    ];
    const s = await serve((r) => {
      const start = Number(r.query.get('start_time'));
      const page = calls.filter((c) => Date.parse(c.updated_at) / 1000 >= start).slice(0, 3);
      const end = page.length ? Date.parse(page.at(-1)!.updated_at) / 1000 : start;
      return { json: { calls: page, count: countOf(page), end_time: end, next_page: `x?start_time=${end}` } };
    });
    const ids: number[] = [];
    const client = clientFor(s);
    for await (const page of followExport((from) => client.calls(from), { startTime: OLD }))
      ids.push(...page.records.map((c) => c.id));
    // Calls 2 and 3, then 4, then 5 come back at the boundary of the next page: each is delivered once.
    expect(ids).toEqual([1, 2, 3, 4, 5]);
    expect(s.requests.map((r) => Number(r.query.get('start_time')) - OLD)).toEqual([0, 10, 20, 30]);
  });
});

describe('ZendeskClient: views and audits', () => {
  const view = (id: number) => ({
    id,
    title: `View ${id}`,
    active: id % 2 === 1,
    position: id,
    updated_at: '2024-05-20T14:12:00Z',
    conditions: { all: [{ field: 'status', operator: 'less_than', value: 'solved' }], any: [] },
  });

  it('follows cursor pagination, resolving links.next against the configured host', async () => {
    const s = await serve((r) =>
      r.query.get('page[after]')
        ? { json: { views: [view(3)], meta: { has_more: false, after_cursor: null }, links: { next: null } } }
        : {
            json: {
              views: [view(1), view(2)],
              meta: { has_more: true, after_cursor: 'v2' },
              links: { next: 'https://acme.zendesk.com/api/v2/views?page%5Bsize%5D=100&page%5Bafter%5D=v2' },
            },
          },
    );
    const views = await clientFor(s).views();
    expect('views' in views && views.views.map((v) => [v.id, v.active])).toEqual([
      [1, true],
      [2, false],
      [3, true],
    ]);
    expect(s.requests.map((r) => r.query.get('page[after]'))).toEqual([null, 'v2']);
  });

  it("reads the account's IANA time zone from the account settings, null when they do not say", async () => {
    let settings: unknown = { localization: { time_zone: 'Berlin', iana_time_zone: 'Europe/Berlin' } };
    const s = await serve((r) =>
      r.path === '/api/v2/account/settings' ? { json: { settings } } : { status: 404, json: {} },
    );
    expect(await clientFor(s).accountTimeZone()).toBe('Europe/Berlin');
    settings = {};
    expect(await clientFor(s).accountTimeZone()).toBeNull();
  });

  it('follows offset pagination (next_page) too', async () => {
    const s = await serve((r) =>
      r.query.get('page') === '2'
        ? { json: { views: [view(2)], next_page: null, count: 2 } }
        : { json: { views: [view(1)], next_page: `${s.baseUrl}/api/v2/views?page=2`, count: 2 } },
    );
    const views = await clientFor(s).views();
    expect('views' in views && views.views.map((v) => v.id)).toEqual([1, 2]);
  });

  it('one view that does not fit costs that view: the others are read, it is rejected naming its field', async () => {
    const s = await serve(() => ({
      json: { views: [view(1), { ...view(2), title: null }, view(3)], next_page: null },
    }));
    const answer = await clientFor(s).views();
    expect('views' in answer && [answer.views.map((v) => v.id), answer.rejected]).toEqual([
      [1, 3],
      [
        {
          index: 1,
          recordId: 2,
          fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
          field: 'title',
          problem: 'Invalid input: expected string, received null',
        },
      ],
    ]);
  });

  it('reads the audits of one ticket as ticket event records', async () => {
    const s = await serve(() => ({
      json: {
        audits: [
          {
            id: 90,
            ticket_id: 42,
            created_at: '2024-06-03T09:01:02Z',
            author_id: 5,
            via: { channel: 'web' },
            events: [{ id: 91, type: 'Create', field_name: 'status', value: 'new' }],
          },
        ],
        next_page: null,
      },
    }));
    await expect(clientFor(s).ticketAudits(42)).resolves.toEqual([
      {
        id: 90,
        ticketId: 42,
        timestamp: 1717405262,
        createdAt: '2024-06-03T09:01:02Z',
        updaterId: 5,
        via: 'web',
        viaReferenceId: null,
        children: [{ kind: 'Create', field: 'status', value: 'new' }],
      },
    ]);
    expect(s.requests[0]!.path).toBe('/api/v2/tickets/42/audits');
  });
});

describe('ZendeskClient: base URL', () => {
  it('builds https://{domain} from the integration domain', () => {
    const client = new ZendeskClient({
      domain: 'Acme.zendesk.com',
      credentials: { kind: 'api_token', username: 'a', apiToken: 'b' },
    });
    expect(client.baseUrl).toBe('https://acme.zendesk.com');
  });

  it.each(['https://acme.zendesk.com', 'acme', 'acme.zendesk.com/api', 'acme zendesk.com', ''])(
    'refuses the domain "%s"',
    (domain) => {
      expect(
        () => new ZendeskClient({ domain, credentials: { kind: 'api_token', username: 'a', apiToken: 'b' } }),
      ).toThrow('domain must be a Zendesk host such as example.zendesk.com');
    },
  );
});

describe('ZendeskClient: response size', () => {
  const LIMIT = 1024 * 1024;
  const CHUNK = Buffer.alloc(64 * 1024, 'x');

  /** A server whose export answer never ends (or declares 500 MB): it counts what it could write. */
  const endless = async (declaredLength?: number) => {
    let written = 0;
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
    const http = createServer((_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        ...(declaredLength !== undefined ? { 'content-length': String(declaredLength) } : {}),
      });
      res.write('{"ticket_events":[');
      const pump = () => {
        while (!res.destroyed) {
          written += CHUNK.length;
          if (!res.write(CHUNK)) return void res.once('drain', pump);
        }
      };
      res.on('close', closed);
      pump();
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;
    return {
      baseUrl: `http://127.0.0.1:${port}`,
      written: () => written,
      connectionClosed,
      stop: () =>
        new Promise<void>((resolve) => {
          http.closeAllConnections();
          http.close(() => resolve());
        }),
    };
  };

  it.each<[string, number | undefined]>([
    ['an endless body is refused once the limit is passed, and the connection is dropped', undefined],
    ['a declared 500 MB body is refused from its Content-Length', 500 * 1024 * 1024],
  ])('%s (memory bounded)', async (_what, declared) => {
    const s = await endless(declared);
    try {
      const client = new ZendeskClient({
        baseUrl: s.baseUrl,
        credentials: { kind: 'api_token', username: USERNAME, apiToken: API_TOKEN },
        clock: () => NOW_MS,
        maxResponseBytes: LIMIT,
      });
      const error = await failureOf<ZendeskPayloadError>(client.ticketEvents({ startTime: OLD }));
      expect(error).toBeInstanceOf(ZendeskPayloadError);
      expect(error.message).toBe(
        `Zendesk /api/v2/incremental/ticket_events: the response, field (body): the response is larger than ${LIMIT} bytes (maxResponseBytes); it was not read`,
      );
      // The client let go of the body: the server's endless write ended with the connection.
      await s.connectionClosed;
      // What the server managed to write is the limit plus the sockets' buffers, not the body.
      expect(s.written()).toBeLessThan(32 * LIMIT);
    } finally {
      await s.stop();
    }
  });
});
