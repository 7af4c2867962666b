import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import { get, type JsonObject } from './http.js';

const EVENTS = '/api/v2/incremental/ticket_events';
const URL_EVENTS = `${EVENTS}?start_time=1717200000`;

describe('fault injection', () => {
  let s: Sandbox;
  beforeAll(async () => {
    s = await startSandbox({ size: 'tiny', now: '2024-06-10T12:00:00Z', rateLimit: false });
  });
  afterAll(async () => {
    await s?.stop();
  });
  beforeEach(() => s.clearFaults());

  it('answers a status on the nth matching request, for the given number of times', async () => {
    s.injectFault({ kind: 'status', status: 503, pathPrefix: EVENTS, nth: 2, times: 2 });
    expect((await get(s, '/api/v2/views')).status).toBe(200); // does not match the prefix
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(s, URL_EVENTS)).status);
    expect(statuses).toEqual([200, 503, 503, 200]);
  });

  it('answers a custom body', async () => {
    s.injectFault({ kind: 'status', status: 502, body: '<html>Bad gateway</html>' });
    const r = await get(s, URL_EVENTS);
    expect(r.status).toBe(502);
    expect(r.text).toBe('<html>Bad gateway</html>');
  });

  it('answers 429 on demand, as JSON or plain text', async () => {
    s.injectFault({ kind: 'rateLimit', retryAfterSeconds: 7 });
    s.injectFault({ kind: 'rateLimit', retryAfterSeconds: 3, plainText: true, nth: 2 });
    const json = await get(s, URL_EVENTS);
    expect(json.status).toBe(429);
    expect(json.headers.get('retry-after')).toBe('7');
    expect(json.json.error).toBe('APIRateLimitExceeded');
    const text = await get(s, URL_EVENTS);
    expect(text.status).toBe(429);
    expect(text.headers.get('retry-after')).toBe('3');
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(text.text).toBe('Number of allowed API requests per minute exceeded');
  });

  it('delays a response long enough for a client timeout', async () => {
    s.injectFault({ kind: 'delay', ms: 1500 });
    await expect(fetch(`${s.baseUrl}/api/v2/views`, { signal: AbortSignal.timeout(200) })).rejects.toThrow();
    s.injectFault({ kind: 'delay', ms: 300 });
    const started = performance.now();
    expect((await get(s, '/api/v2/views')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('resets the connection', async () => {
    s.injectFault({ kind: 'reset', pathPrefix: EVENTS });
    await expect(get(s, URL_EVENTS)).rejects.toThrow('fetch failed');
    expect((await get(s, URL_EVENTS)).status).toBe(200);
  });

  it('sends a page that is not JSON', async () => {
    s.injectFault({ kind: 'malformed' });
    const r = await get(s, URL_EVENTS);
    expect(r.status).toBe(200);
    expect(() => JSON.parse(r.text) as unknown).toThrow();
    expect(r.text.startsWith('{"ticket_events":[')).toBe(true);
  });

  it('gives one field the wrong type', async () => {
    s.injectFault({ kind: 'wrongType', path: 'ticket_events.0.timestamp' });
    s.injectFault({ kind: 'wrongType', path: 'ticket_events.1.created_at', nth: 2 });
    const first = await get(s, URL_EVENTS);
    const events = first.json.ticket_events as JsonObject[];
    expect(typeof events[0]!.timestamp).toBe('string');
    expect(typeof events[1]!.timestamp).toBe('number');
    const second = await get(s, URL_EVENTS);
    expect((second.json.ticket_events as JsonObject[])[1]!.created_at).toBe(12345);
  });

  it('removes one field of one record, on every page that carries it, and leaves the rest of the page as it was', async () => {
    const clean = (await get(s, URL_EVENTS)).json.ticket_events as JsonObject[];
    const target = clean[3]!;
    s.injectFault({
      kind: 'dropField',
      pathPrefix: EVENTS,
      list: 'ticket_events',
      recordId: target.id as number,
      path: 'child_events.0.event_type',
      times: 2,
    });
    for (let i = 0; i < 2; i++) {
      const events = (await get(s, URL_EVENTS)).json.ticket_events as JsonObject[];
      const children = events[3]!.child_events as JsonObject[];
      expect('event_type' in children[0]!).toBe(false);
      expect(children.slice(1)).toEqual((target.child_events as JsonObject[]).slice(1));
      expect(events.filter((_, n) => n !== 3)).toEqual(clean.filter((_, n) => n !== 3));
    }
    expect((await get(s, URL_EVENTS)).json.ticket_events).toEqual(clean);
  });

  it('answers 403 "not available to this client" for an export closed to the client', async () => {
    s.injectFault({ kind: 'endpointClosed', pathPrefix: EVENTS });
    const r = await get(s, URL_EVENTS);
    expect(r.status).toBe(403);
    expect(r.json).toEqual({
      error: {
        title: 'Forbidden',
        message:
          'This endpoint is not available to this OAuth client. Incremental exports are not available to third-party integrations.',
      },
    });
    expect((await get(s, URL_EVENTS)).status).toBe(200);
  });

  it('names a bad fault', () => {
    expect(() =>
      s.injectFault({ kind: 'dropField', list: 'ticket_events', recordId: 0, path: 'timestamp' }),
    ).toThrow('fault.recordId must be a positive integer, got 0');
    expect(() => s.injectFault({ kind: 'dropField', list: '', recordId: 1, path: 'timestamp' })).toThrow(
      'fault.list must name the list of records, e.g. ticket_events',
    );
    expect(() => s.injectFault({ kind: 'status', status: 200 })).toThrow(
      'fault.status must be an HTTP error status (400–599), got 200',
    );
    expect(() => s.injectFault({ kind: 'reset', nth: 0 })).toThrow(
      'fault.nth must be a positive integer, got 0',
    );
  });

  it('counts requests served, by path prefix', async () => {
    const before = s.requestCount(EVENTS);
    const all = s.requestCount();
    await get(s, URL_EVENTS);
    await get(s, '/api/v2/views');
    expect(s.requestCount(EVENTS)).toBe(before + 1);
    expect(s.requestCount()).toBe(all + 2);
  });
});
