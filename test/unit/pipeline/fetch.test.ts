import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { encodeParts } from '../../../shared/messages/bus.js';
import { MAX_RECORDS_PER_MESSAGE, type ChangesMessage } from '../../../shared/messages/changes.js';
import type { ExportFetchJob, FetchJob } from '../../../shared/messages/fetch-job.js';
import { fetchStream, pageFetched, type FetchDeps } from '../../../shared/pipeline/fetch.js';
import type { ProgressEvent } from '../../../shared/pipeline/progress.js';
import type { StreamCursor } from '../../../shared/store/cursors-repository.js';
import type { Integration } from '../../../shared/store/integrations-repository.js';
import { MAX_STALLED_PAGES, type ExportPosition } from '../../../shared/zendesk/positions.js';
import { rawCall, rawTicketEvent, startFakeZendesk } from '../zendesk/fake-zendesk.js';
import {
  fetchDepsWith,
  memoryCursors,
  memoryRuns,
  savedIntegrations,
  testZendeskClient,
} from '../../support/fetch-deps.js';
import { ACME } from '../../support/integrations.js';
import { fetchJob } from '../../support/messages.js';

const integration = ACME;

const at = (iso: string) => Date.parse(iso) / 1000;

/** Three export pages of one stream; records carry the time both exports order by. */
const PAGES = [
  [at('2026-01-01T10:00:00Z'), at('2026-01-01T23:00:00Z')],
  [at('2026-01-01T23:30:00Z'), at('2026-01-02T00:00:00Z')],
  [at('2026-01-02T06:00:00Z'), at('2026-01-02T07:00:00Z')],
];

const world = (importUntil: string | undefined, rateLimitedFirst = false) => {
  const read: number[] = [];
  const progress: ProgressEvent[] = [];
  const positions: object[] = [];
  const sentJobs: FetchJob[] = [];
  const completedRuns: unknown[] = [];
  const changes: ChangesMessage[] = [];
  // Page n is read from cursor position `n` (the first page from a start time).
  const page = async (position: ExportPosition) => {
    if (rateLimitedFirst && read.length === 0 && progress.length === 0)
      return { kind: 'rate_limited', retryAfterSeconds: 6.2 };
    const n = 'cursor' in position ? Number(position.cursor) : 0;
    read.push(n);
    positions.push(position);
    return {
      kind: 'page',
      records: PAGES[n]!.map((timestamp, i) => ({
        id: n * 10 + i,
        timestamp,
        updatedAt: new Date(timestamp * 1000).toISOString(),
      })),
      rejected: [],
      next: { cursor: String(n + 1) },
      endOfStream: n === PAGES.length - 1,
    };
  };
  const deps = fetchDepsWith({
    integrations: {
      get: async () => ({ ...integration, ...(importUntil ? { importUntil } : {}) }),
      modify: async () => undefined,
      recordCompletedRun: async (id, run) => void completedRuns.push([id, run]),
    },
    // Pages of a made-up record shape: only their timestamps matter here.
    zendesk: (async () => ({ ticketEvents: page, calls: page })) as unknown as FetchDeps['zendesk'],
    bus: {
      sendChanges: async (message) => void changes.push(message),
      sendFetchJob: async (job: FetchJob) => void sentJobs.push(job),
    },
    progress: (event) => void progress.push(event),
  });
  return { deps, read, positions, sentJobs, progress, completedRuns, changes };
};

type Row = [
  what: string,
  stream: 'ticket_events' | 'calls',
  importUntil: string | undefined,
  pages: number[],
];
const rows: Row[] = [
  ['a current import reads ticket events to the end', 'ticket_events', undefined, [0, 1, 2]],
  [
    'an import of a past period stops at the first page that reaches its end',
    'ticket_events',
    '2026-01-02T00:00:00.000Z',
    [0, 1],
  ],
  ['an end inside a page stops after that page', 'ticket_events', '2026-01-01T12:00:00.000Z', [0]],
  [
    'calls are read to the end: a call of the window may appear later, at its last update',
    'calls',
    '2026-01-01T12:00:00.000Z',
    [0, 1, 2],
  ],
];

describe('fetchStream: where a stream ends', () => {
  it.each(rows)('%s', async (_what, stream, importUntil, pages) => {
    const w = world(importUntil);
    const outcome = await fetchStream(w.deps, fetchJob(stream), () => 60_000);
    expect(outcome).toBe('end_of_stream');
    expect(w.read).toEqual(pages);
    // The run goes on with the next stream either way; its last stream read to its end completes it.
    expect(w.sentJobs.map((j) => j.stream)).toEqual(stream === 'ticket_events' ? ['ticket_creations'] : []);
    expect(w.completedRuns).toEqual(
      stream === 'calls'
        ? [[integration.id, { runId: fetchJob(stream).runId, at: '2026-01-03T00:00:00.000Z' }]]
        : [],
    );
  });
});

describe("fetchStream: a run's end", () => {
  it('is sent behind the last page of the run, with the run and how far the ticket events were read', async () => {
    const w = world(undefined);
    const events = { position: { startTime: at('2026-01-02T23:55:00Z'), readThrough: 0 }, seq: 4 };
    const get = w.deps.cursors.get;
    const deps: FetchDeps = {
      ...w.deps,
      cursors: {
        ...w.deps.cursors,
        get: async (id, stream) => (stream === 'ticket_events' ? events : get(id, stream)),
      },
    };
    await fetchStream(deps, fetchJob('calls'), () => 60_000);
    const lastCompletedRun = { runId: fetchJob('calls').runId, at: '2026-01-03T00:00:00.000Z' };
    expect(w.changes.map((m) => m.stream)).toEqual(['calls', 'calls', 'calls', 'run_completed']);
    expect(w.changes.at(-1)).toEqual({
      version: 1,
      pageKey: expect.stringMatching(/^run_completed:[0-9a-f]{40}$/),
      integrationId: integration.id,
      stream: 'run_completed',
      freshness: { completeUpTo: '2026-01-02T23:55:00.000Z', lastCompletedRun },
    });
    expect(w.completedRuns).toEqual([[integration.id, lastCompletedRun]]);
  });

  it('is not sent when a stream other than the last one ends, nor by a job outside a run', async () => {
    const middle = world(undefined);
    await fetchStream(middle.deps, fetchJob('ticket_events'), () => 60_000);
    const alone = world(undefined);
    await fetchStream(alone.deps, { ...fetchJob('calls'), chain: false }, () => 60_000);
    expect([...middle.changes, ...alone.changes].map((m) => m.stream)).not.toContain('run_completed');
  });
});

/** A Zendesk whose users export is at its end: a run's first job reads one empty page. */
const usersAtTheirEnd = (async () => ({
  users: async () => ({ kind: 'page', records: [], rejected: [], next: { startTime: 1 }, endOfStream: true }),
})) as unknown as FetchDeps['zendesk'];

describe("fetchStream: one run at a time reads an integration's streams", () => {
  /**
   * FETCH_NOW in epoch seconds, and a turn's staleness: the longer of maxRetryDelaySeconds (900)
   * and fetch-jobs' visibility timeout (720), + 5 minutes.
   */
  const NOW = at('2026-01-03T00:00:00Z');
  const STALE_AFTER = 900 + 300;

  it('a run started while another reads is queued behind it: no request, nothing sent', async () => {
    const w = world(undefined);
    const runs = memoryRuns();
    await runs.port.claim(integration.id, 'r1', NOW - 60, 0);
    const outcome = await fetchStream(
      { ...w.deps, runs: runs.port },
      fetchJob('users', { runId: 'r2' }),
      () => 60_000,
    );
    expect(outcome).toBe('queued');
    expect({ read: w.read, sent: w.sentJobs, changes: w.changes }).toEqual({
      read: [],
      sent: [],
      changes: [],
    });
    expect(runs.turn()).toEqual({ runId: 'r1', beat: NOW - 60, next: 'r2' });
  });

  it('the reading run, at its end, hands the turn to the run queued behind it and sends its first job', async () => {
    const w = world(undefined);
    const runs = memoryRuns();
    await runs.port.claim(integration.id, 'r1', NOW - 60, 0);
    await runs.port.queue(integration.id, 'r2', 0);
    const outcome = await fetchStream({ ...w.deps, runs: runs.port }, fetchJob('calls'), () => 60_000);
    expect(outcome).toBe('end_of_stream');
    expect(w.sentJobs).toEqual([fetchJob('users', { runId: 'r2' })]);
    // Handed on without a beat: until r2's job comes, any start may take it.
    expect(runs.turn()).toEqual({ runId: 'r2', beat: 0 });
    expect(w.changes.map((m) => m.stream)).toEqual(['calls', 'calls', 'calls', 'run_completed']);
  });

  it('a run with nothing queued behind it leaves the turn free at its end', async () => {
    const w = world(undefined);
    const runs = memoryRuns();
    await fetchStream({ ...w.deps, runs: runs.port }, fetchJob('calls'), () => 60_000);
    expect(runs.log).toEqual(['claim r1: true', 'finish r1: null']);
    expect(runs.turn()).toBeUndefined();
    expect(w.sentJobs).toEqual([]);
  });

  it('a start takes a turn handed on whose run’s job has not come (a death before its send): nothing waits for it', async () => {
    const runs = memoryRuns();
    await runs.port.claim(integration.id, 'r1', NOW - 60, 0);
    await runs.port.queue(integration.id, 'r2', 0);
    await runs.port.finish(integration.id, 'r1');
    const deps = fetchDepsWith({
      runs: runs.port,
      zendesk: usersAtTheirEnd,
    });
    expect(await fetchStream(deps, fetchJob('users', { runId: 'r3' }), () => 60_000)).toBe('end_of_stream');
    expect(runs.turn()).toEqual({ runId: 'r3', beat: NOW });
  });

  it('a later job of a run that lost its turn stops without a request', async () => {
    const w = world(undefined);
    const runs = memoryRuns();
    await runs.port.claim(integration.id, 'r2', NOW - 60, 0);
    const outcome = await fetchStream(
      { ...w.deps, runs: runs.port },
      fetchJob('ticket_events'),
      () => 60_000,
    );
    expect(outcome).toBe('superseded');
    expect({ read: w.read, sent: w.sentJobs }).toEqual({ read: [], sent: [] });
    expect(runs.turn()).toEqual({ runId: 'r2', beat: NOW - 60 });
  });

  it.each([
    ['beat just within the staleness bound: still its turn', NOW - STALE_AFTER, 'queued', 'r1'],
    [
      'beat before the staleness bound (its jobs stopped coming): taken over',
      NOW - STALE_AFTER - 1,
      'end_of_stream',
      'r2',
    ],
  ])('a run whose turn %s', async (_rule, beat, outcome, holder) => {
    const w = world(undefined);
    const runs = memoryRuns();
    await runs.port.claim(integration.id, 'r1', beat, 0);
    const deps = {
      ...w.deps,
      runs: runs.port,
      zendesk: usersAtTheirEnd,
    };
    expect(await fetchStream(deps, fetchJob('users', { runId: 'r2' }), () => 60_000)).toBe(outcome);
    expect(runs.turn()?.runId).toBe(holder);
  });

  it('with short retry delays, a turn still outlasts a failed job’s redelivery (fetch-jobs’ visibility timeout, 720 s)', async () => {
    const w = world(undefined);
    const runs = memoryRuns();
    await runs.port.claim(integration.id, 'r1', NOW - 720 - 300, 0);
    const deps = { ...w.deps, runs: runs.port, settings: { ...w.deps.settings, maxRetryDelaySeconds: 1 } };
    expect(await fetchStream(deps, fetchJob('users', { runId: 'r2' }), () => 60_000)).toBe('queued');
    expect(runs.turn()?.runId).toBe('r1');
  });

  it('a job of a run whose integration stopped importing gives the turn back, so a resume starts at once', async () => {
    const runs = memoryRuns();
    await runs.port.claim(integration.id, 'r1', NOW - 60, 0);
    await runs.port.queue(integration.id, 'r2', 0);
    const deps = fetchDepsWith({
      runs: runs.port,
      integrations: savedIntegrations({ ...integration, status: 'paused' }).port,
    });
    expect(await fetchStream(deps, fetchJob('ticket_events'), () => 60_000)).toBe('stopped');
    expect(runs.turn()).toBeUndefined();
  });
});

describe('fetchStream: where a first import starts', () => {
  type Start = [stream: 'ticket_events' | 'calls', startTime: number];
  const starts: Start[] = [
    // Ticket events a week before the window (the warm-up that builds ticket state); calls at it.
    ['ticket_events', at('2025-12-25T00:00:00Z')],
    ['calls', at('2026-01-01T00:00:00Z')],
  ];
  it.each(starts)('%s from %d', async (stream, startTime) => {
    const w = world(undefined);
    await fetchStream(w.deps, fetchJob(stream, { chain: false }), () => 60_000);
    expect(w.positions[0]).toEqual({ startTime });
  });
});

describe('fetchStream: the progress it reports', () => {
  it('says of each page handed on its stream, size and the time its last record reaches', async () => {
    const w = world(undefined);
    await fetchStream(
      w.deps,
      { version: 1, integrationId: 'acme', stream: 'ticket_events', chain: false, runId: 'r1' },
      () => 60_000,
    );
    const page = (reached: string) => ({
      kind: 'page_fetched',
      integrationId: 'acme',
      stream: 'ticket_events',
      records: 2,
      beforeWindow: 0,
      reachedAt: new Date(reached),
    });
    expect(w.progress).toEqual([
      page('2026-01-01T23:00:00Z'),
      page('2026-01-02T00:00:00Z'),
      page('2026-01-02T07:00:00Z'),
    ]);
  });

  it('says how long a rate-limited job waits: Retry-After rounded up to whole seconds', async () => {
    const w = world(undefined, true);
    const outcome = await fetchStream(
      w.deps,
      { version: 1, integrationId: 'acme', stream: 'calls', chain: true, runId: 'r1' },
      () => 60_000,
    );
    expect(outcome).toBe('rate_limited');
    expect(w.progress).toEqual([
      { kind: 'rate_limited', integrationId: 'acme', stream: 'calls', delaySeconds: 7 },
    ]);
  });
});

describe('pageFetched', () => {
  const windowFrom = { id: 'acme', importFrom: '2026-01-01T00:00:00.000Z' };
  const event = (timestamp: string) => ({ timestamp: Date.parse(timestamp) / 1000 });
  const rows: [
    rule: string,
    stream: 'users' | 'views' | 'ticket_events' | 'calls',
    records: object[],
    expected: object,
  ][] = [
    [
      'ticket events before the window are the warm-up, counted apart',
      'ticket_events',
      [event('2025-12-25T00:00:00Z'), event('2025-12-31T23:59:59Z'), event('2026-01-01T00:00:00Z')],
      { records: 3, beforeWindow: 2, reachedAt: new Date('2026-01-01T00:00:00Z') },
    ],
    [
      'calls reach their last update (the order of the Talk export)',
      'calls',
      [{ updatedAt: '2026-01-02T08:00:00Z' }, { updatedAt: '2026-01-03T09:30:00Z' }],
      { records: 2, beforeWindow: 0, reachedAt: new Date('2026-01-03T09:30:00Z') },
    ],
    [
      'users are not read by time: no position',
      'users',
      [{ id: 1 }, { id: 2 }],
      { records: 2, beforeWindow: 0 },
    ],
    ['the views list has no position either', 'views', [{ id: 9 }], { records: 1, beforeWindow: 0 }],
    ['an empty page reaches nowhere', 'calls', [], { records: 0, beforeWindow: 0 }],
  ];
  it.each(rows)('%s', (_rule, stream, records, expected) => {
    expect(pageFetched(windowFrom, stream, records)).toEqual({
      kind: 'page_fetched',
      integrationId: 'acme',
      stream,
      ...expected,
    });
  });
});

describe('fetchStream: the tickets export beside the ticket events', () => {
  const NOW = at('2026-01-03T00:00:00Z');
  /** A ticket record as the tickets pass reads it: created and last updated at these seconds. */
  const ticket = (id: number, created: string, generated: number) => ({
    id,
    createdAt: created,
    updatedAt: new Date(generated * 1000).toISOString(),
    generatedTimestamp: generated,
  });
  const ticketsWorld = (
    eventsPosition: StreamCursor['position'] | undefined,
    records: object[],
    /** When the events export answered, on Zendesk's clock (its Date header); none: not said. */
    answeredAt?: number,
  ) => {
    const { cursors, port: cursorsPort } = memoryCursors(
      eventsPosition ? [['ticket_events', { position: eventsPosition, seq: 1 }]] : [],
    );
    const sent: Record<string, unknown>[] = [];
    const sentJobs: FetchJob[] = [];
    const page = async () => ({
      kind: 'page',
      records,
      rejected: [],
      next: { cursor: 'after-1' },
      endOfStream: true,
    });
    const events = async () => ({
      kind: 'page',
      records: [{ id: 1, timestamp: at('2026-01-02T12:00:00Z') }],
      rejected: [],
      next: { startTime: at('2026-01-02T12:00:00Z'), seen: { [at('2026-01-02T12:00:00Z')]: [1] } },
      endOfStream: true,
      ...(answeredAt !== undefined ? { answeredAt } : {}),
    });
    const deps = fetchDepsWith({
      cursors: cursorsPort,
      zendesk: (async () => ({ tickets: page, ticketEvents: events })) as unknown as FetchDeps['zendesk'],
      bus: {
        sendChanges: async (message) => void sent.push(message as unknown as Record<string, unknown>),
        sendFetchJob: async (job: FetchJob) => void sentJobs.push(job),
      },
      now: () => new Date(NOW * 1000),
    });
    const run = (stream: ExportFetchJob['stream']) =>
      fetchStream(
        deps,
        { version: 1, integrationId: 'acme', stream, chain: true, runId: 'r1' },
        () => 60_000,
      );
    return { run, cursors, sent, sentJobs };
  };

  it("the ticket events position records how far they were read: at the end of the stream, up to Zendesk's minute and a minute's margin before now", async () => {
    const w = ticketsWorld(undefined, []);
    await w.run('ticket_events');
    expect(w.cursors.get('ticket_events')?.position).toEqual({
      startTime: at('2026-01-02T12:00:00Z'),
      seen: { [at('2026-01-02T12:00:00Z')]: [1] },
      readThrough: NOW - 120,
    });
    expect(w.sentJobs.map((j) => j.stream)).toEqual(['ticket_creations']);
  });

  it('the machine’s clock runs ahead of Zendesk’s: read through two minutes before Zendesk answered, on its clock (updates not yet exported are not taken for read)', async () => {
    const zendeskNow = NOW - 3_600;
    const w = ticketsWorld(undefined, [], zendeskNow);
    await w.run('ticket_events');
    expect(w.cursors.get('ticket_events')?.position).toMatchObject({ readThrough: zendeskNow - 120 });
  });

  it('the creations pass carries the events read-through and advances past records the events settled', async () => {
    const readThrough = at('2026-01-02T12:00:00Z');
    const w = ticketsWorld({ startTime: readThrough - 300, readThrough }, [
      ticket(7, '2026-01-02T08:00:00Z', readThrough - 1),
    ]);
    expect(await w.run('ticket_creations')).toBe('end_of_stream');
    expect(w.sent).toHaveLength(1);
    expect(w.sent[0]).toMatchObject({ stream: 'ticket_creations', eventsReadThrough: readThrough });
    expect(w.cursors.get('ticket_creations')?.position).toEqual({ cursor: 'after-1' });
    expect(w.sentJobs.map((j) => j.stream)).toEqual(['calls']);
  });

  it('a creation the events may still deliver holds the cursor: the page is read again on the next run', async () => {
    const readThrough = at('2026-01-02T12:00:00Z');
    const w = ticketsWorld({ startTime: readThrough - 300, readThrough }, [
      ticket(7, '2026-01-02T08:00:00Z', readThrough - 1),
      // Created in the window, last updated at the read-through: its updates may still be on their way.
      ticket(8, '2026-01-02T11:59:00Z', readThrough),
    ]);
    expect(await w.run('ticket_creations')).toBe('end_of_stream');
    expect(w.sent).toHaveLength(1);
    expect(w.cursors.has('ticket_creations')).toBe(false);
    expect(w.sentJobs.map((j) => j.stream)).toEqual(['calls']);
  });

  it('any record the events have not settled holds the creations pass, also of a ticket created before the window (it may be waiting for its record)', async () => {
    const readThrough = at('2026-01-02T12:00:00Z');
    const unsettled = ticketsWorld({ startTime: readThrough - 300, readThrough }, [
      ticket(3, '2025-12-28T08:00:00Z', readThrough + 30),
    ]);
    await unsettled.run('ticket_creations');
    expect(unsettled.cursors.has('ticket_creations')).toBe(false);
    const settled = ticketsWorld({ startTime: readThrough - 300, readThrough }, [
      ticket(3, '2025-12-28T08:00:00Z', readThrough - 30),
    ]);
    await settled.run('ticket_creations');
    expect(settled.cursors.get('ticket_creations')?.position).toEqual({ cursor: 'after-1' });
  });

  describe('an import of a past period', () => {
    const UNTIL = '2026-01-02T00:00:00.000Z';
    /** Two pages of the tickets export, each with a record of the window updated since its end. */
    const pastWorld = (readThrough: number) => {
      const { cursors, port: cursorsPort } = memoryCursors([
        ['ticket_events', { position: { startTime: readThrough, readThrough }, seq: 1 }],
      ]);
      const sent: ChangesMessage[] = [];
      const sentJobs: FetchJob[] = [];
      const read: (string | null)[] = [];
      const pages: Record<string, object[]> = {
        first: [ticket(7, '2026-01-01T08:00:00Z', at('2026-01-02T09:00:00Z'))],
        second: [ticket(8, '2026-01-01T09:00:00Z', at('2026-01-02T10:00:00Z'))],
      };
      const tickets = async (position: ExportPosition) => {
        const from = 'cursor' in position ? position.cursor : 'first';
        read.push(from);
        return {
          kind: 'page',
          records: pages[from]!,
          rejected: [],
          next: { cursor: from === 'first' ? 'second' : 'after-second' },
          endOfStream: from === 'second',
        };
      };
      const deps = fetchDepsWith({
        integrations: savedIntegrations({ ...integration, importUntil: UNTIL }).port,
        cursors: cursorsPort,
        zendesk: (async () => ({ tickets })) as unknown as FetchDeps['zendesk'],
        bus: {
          sendChanges: async (message) => void sent.push(message),
          sendFetchJob: async (job: FetchJob) => void sentJobs.push(job),
        },
        now: () => new Date(NOW * 1000),
      });
      const run = () =>
        fetchStream(
          deps,
          { version: 1, integrationId: 'acme', stream: 'ticket_creations', chain: true, runId: 'r1' },
          () => 60_000,
        );
      return { run, cursors, sent, sentJobs, read };
    };

    it('reads the creations pass to its end once the events are read through the window: records updated since never settle, and holding them left every later page unread', async () => {
      const w = pastWorld(at(UNTIL) + 5);
      expect(await w.run()).toBe('end_of_stream');
      expect(w.read).toEqual(['first', 'second']);
      expect(w.sent.map((m) => m.stream === 'ticket_creations' && m.records.map((r) => r.id))).toEqual([
        [7],
        [8],
      ]);
      expect(w.cursors.get('ticket_creations')?.position).toEqual({ cursor: 'after-second' });
      expect(w.sentJobs.map((j) => j.stream)).toEqual(['calls']);
    });

    it('still holds while the events are short of the window end: a creation of the window may still come through them', async () => {
      const w = pastWorld(at(UNTIL) - 60);
      expect(await w.run()).toBe('end_of_stream');
      expect(w.read).toEqual(['first']);
      expect(w.cursors.has('ticket_creations')).toBe(false);
    });
  });

  it('before the ticket events were ever read, every creation in the window waits for them', async () => {
    const w = ticketsWorld(undefined, [ticket(7, '2026-01-02T08:00:00Z', at('2026-01-02T09:00:00Z'))]);
    await w.run('ticket_creations');
    expect(w.sent[0]).toMatchObject({ eventsReadThrough: 0 });
    expect(w.cursors.has('ticket_creations')).toBe(false);
  });

  it('the values pass before the ticket events reads on without waiting, and chains the ticket events', async () => {
    const w = ticketsWorld(undefined, [ticket(7, '2026-01-02T08:00:00Z', at('2026-01-02T09:00:00Z'))]);
    await w.run('tickets');
    expect(w.sent[0]).not.toHaveProperty('eventsReadThrough');
    expect(w.cursors.get('tickets')?.position).toEqual({ cursor: 'after-1' });
    expect(w.sentJobs.map((j) => j.stream)).toEqual(['ticket_events']);
  });
});

describe('fetchStream: a runaway export', () => {
  it('a ticket-events export that does not advance marks the integration failing after a bounded number of requests', async () => {
    const zendesk = await startFakeZendesk(() => ({
      json: { ticket_events: [], count: 0, end_time: null, end_of_stream: false },
    }));
    try {
      const { saved, port: integrations } = savedIntegrations();
      const deps = fetchDepsWith({
        integrations,
        // Every request is counted below: no retries, and a budget the four requests never reach.
        zendesk: async () => testZendeskClient(zendesk.baseUrl, { incrementalPerMinute: 100 }),
      });
      const outcome = await fetchStream(deps, fetchJob('ticket_events'), () => 60_000);
      const start = at('2025-12-25T00:00:00Z');
      expect(outcome).toBe('failing');
      expect(zendesk.requests).toHaveLength(MAX_STALLED_PAGES + 1);
      expect(saved.at(-1)?.status).toBe('failing');
      expect(saved.at(-1)?.statusReason).toBe(
        `Zendesk /api/v2/incremental/ticket_events does not advance from start_time ${start} (2025-12-25T00:00:00.000Z): ${MAX_STALLED_PAGES + 1} pages in a row brought an empty page that is not the end of the stream`,
      );
    } finally {
      await zendesk.stop();
    }
  });
});

describe('fetchStream: records that do not fit, and exports closed to the client', () => {
  const fetchWorld = async (reply: Parameters<typeof startFakeZendesk>[0]) => {
    const zendesk = await startFakeZendesk(reply);
    const { saved, port: integrations } = savedIntegrations();
    const { port: cursors } = memoryCursors();
    const order: string[] = [];
    const quarantined: unknown[] = [];
    const sent: unknown[] = [];
    const deps = fetchDepsWith({
      integrations,
      cursors: {
        get: cursors.get,
        advance: async (...args) => {
          order.push('cursor');
          return cursors.advance(...args);
        },
      },
      quarantine: {
        put: async (_id, record) => {
          order.push('quarantine');
          quarantined.push(record);
          return true;
        },
      },
      zendesk: async () => testZendeskClient(zendesk.baseUrl, { incrementalPerMinute: 100 }),
      bus: {
        sendChanges: async (message) => {
          if (message.stream === 'run_completed') return;
          // Split as the SQS bus splits it: an item too large on its own is refused there.
          encodeParts(message, 'records', message.records, MAX_RECORDS_PER_MESSAGE);
          order.push('changes');
          sent.push(...message.records.map((r) => r.id));
        },
        sendFetchJob: async () => undefined,
      },
    });
    const run = () => fetchStream(deps, fetchJob('ticket_events', { chain: false }), () => 60_000);
    return { zendesk, saved, order, quarantined, sent, run };
  };

  const START = at('2025-12-25T00:00:00Z');
  type Misfit = [rule: string, bad: Record<string, unknown>, field: string, problem: string];
  const misfits: Misfit[] = [
    [
      'a record that does not fit is quarantined with its endpoint, id, page position, field and problem',
      { ...rawTicketEvent(31000000121, START + 1), timestamp: 'soon' },
      'timestamp',
      'Invalid input: expected number, received string',
    ],
    [
      // A custom field changed to a pasted file: incompressible, larger than a message holds.
      'a record too large for a message even compressed is quarantined as one that does not fit',
      rawTicketEvent(31000000121, START + 1, {
        child_events: [
          {
            id: 1,
            event_type: 'Change',
            field_name: '360001',
            value: randomBytes(240_000).toString('base64'),
            previous_value: null,
          },
        ],
      }),
      '(record)',
      "is too large to hand on: more than 200 kB even compressed, the most a message between the pipeline's steps holds",
    ],
  ];
  it.each(misfits)(
    'one record costs one record: %s; the rest is handed on',
    async (_rule, bad, field, problem) => {
      const w = await fetchWorld(() => ({
        json: {
          ticket_events: [rawTicketEvent(31000000101, START), bad, rawTicketEvent(31000000141, START + 2)],
          end_time: START + 2,
          end_of_stream: true,
        },
      }));
      try {
        expect(await w.run()).toBe('end_of_stream');
        expect(w.sent).toEqual([31000000101, 31000000141]);
        expect(w.quarantined).toEqual([
          {
            stream: 'ticket_events',
            endpoint: '/api/v2/incremental/ticket_events',
            recordId: 31000000121,
            fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
            position: { startTime: START },
            field,
            problem,
            quarantinedAt: '2026-01-03T00:00:00.000Z',
          },
        ]);
        // Quarantined before the cursor moves past the page.
        expect(w.order).toEqual(['quarantine', 'changes', 'cursor']);
        expect(w.saved).toEqual([]);
      } finally {
        await w.zendesk.stop();
      }
    },
  );

  it('a 403 saying the export is not available to this client marks the integration failing with the message and what to do, without retrying', async () => {
    const w = await fetchWorld(() => ({
      status: 403,
      json: {
        error: { title: 'Forbidden', message: 'This endpoint is not available to this OAuth client.' },
      },
    }));
    try {
      expect(await w.run()).toBe('failing');
      expect(w.zendesk.requests).toHaveLength(1);
      expect(w.saved.at(-1)?.status).toBe('failing');
      expect(w.saved.at(-1)?.statusReason).toBe(
        'Zendesk does not make /api/v2/incremental/ticket_events available to this client (403): Forbidden: This endpoint is not available to this OAuth client. ' +
          'Zendesk keeps its incremental exports from third-party OAuth clients: create an OAuth client in your own ' +
          'Zendesk account (Admin Center, Apps and integrations, APIs, OAuth clients) and give this integration its ' +
          'credentials (`zendesk-wfm integration set-credentials`), which makes it active again.',
      );
    } finally {
      await w.zendesk.stop();
    }
  });
});

describe('fetchStream: a view that does not fit', () => {
  it('is quarantined without a position, the other views are handed on, and it is named as kept so it is not taken for deleted', async () => {
    const goodView = (id: number) => ({
      id,
      title: `View ${id}`,
      active: true,
      updated_at: '2025-12-20T00:00:00Z',
      conditions: { all: [{ field: 'status', operator: 'less_than', value: 'solved' }], any: [] },
    });
    const zendesk = await startFakeZendesk((r) =>
      r.path === '/api/v2/account/settings'
        ? { json: { settings: {} } }
        : { json: { views: [goodView(1), { ...goodView(2), active: 'yes' }, goodView(3)], next_page: null } },
    );
    try {
      const quarantined: unknown[] = [];
      const sent: unknown[] = [];
      const deps = fetchDepsWith({
        quarantine: { put: async (_id, record) => Boolean(quarantined.push(record)) },
        zendesk: async () => testZendeskClient(zendesk.baseUrl),
        bus: { sendChanges: async (m) => void sent.push(m), sendFetchJob: async () => undefined },
      });
      const outcome = await fetchStream(deps, fetchJob('views', { chain: false }), () => 60_000);
      expect(outcome).toBe('end_of_stream');
      expect(quarantined).toEqual([
        {
          stream: 'views',
          endpoint: '/api/v2/views',
          recordId: 2,
          fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
          position: null,
          field: 'active',
          problem: 'Invalid input: expected boolean, received string',
          quarantinedAt: '2026-01-03T00:00:00.000Z',
        },
      ]);
      expect(sent).toEqual([
        expect.objectContaining({
          stream: 'views',
          quarantinedViewIds: [2],
          records: [expect.objectContaining({ id: 1 }), expect.objectContaining({ id: 3 })],
        }),
      ]);
    } finally {
      await zendesk.stop();
    }
  });
});

describe('fetchStream: the views’ description search words', () => {
  it('are kept with the integration before the tickets are read, and only when they changed', async () => {
    const described = (id: number, value: string) => ({
      id,
      title: `View ${id}`,
      active: true,
      updated_at: '2025-12-20T00:00:00Z',
      conditions: { all: [{ field: 'description_includes_word', operator: 'includes', value }], any: [] },
    });
    let views = [described(1, 'Refund invoice'), described(2, 'log-in none')];
    const zendesk = await startFakeZendesk((r) =>
      r.path === '/api/v2/account/settings'
        ? { json: { settings: { localization: { iana_time_zone: 'Europe/Berlin' } } } }
        : { json: { views, next_page: null } },
    );
    try {
      // The account's zone as kept: only the words change the integration.
      const integrations = savedIntegrations({ ...ACME, timeZone: 'Europe/Berlin' });
      const deps = fetchDepsWith({
        integrations: integrations.port,
        zendesk: async () => testZendeskClient(zendesk.baseUrl),
      });
      await fetchStream(deps, fetchJob('views', { chain: false }), () => 60_000);
      expect(integrations.saved.map((i) => i.descriptionSearchWords)).toEqual([
        ['invoice', 'none', 'refund'],
      ]);
      await fetchStream(deps, fetchJob('views', { chain: false }), () => 60_000);
      expect(integrations.saved).toHaveLength(1);
      views = [described(1, 'refund')];
      await fetchStream(deps, fetchJob('views', { chain: false }), () => 60_000);
      expect(integrations.saved.map((i) => i.descriptionSearchWords)).toEqual([
        ['invoice', 'none', 'refund'],
        ['refund'],
      ]);
    } finally {
      await zendesk.stop();
    }
  });
});

describe('fetchStream: an account whose Talk export Zendesk refuses (no Talk, or a role without it)', () => {
  const CALLS_PATH = '/api/v2/channels/voice/stats/incremental/calls';
  const start = at('2026-01-02T10:00:00Z');
  const call = rawCall(7001, start);
  const callsPage = { calls: [call], count: 1, end_time: start, next_page: `x?start_time=${start}` };

  const callsWorld = async (reply: Parameters<typeof startFakeZendesk>[0], initial: Integration = ACME) => {
    const zendesk = await startFakeZendesk(reply);
    const { saved, port } = savedIntegrations(initial);
    const completedRuns: unknown[] = [];
    const { cursors, port: cursorPort } = memoryCursors();
    const sent: ChangesMessage[] = [];
    const deps = fetchDepsWith({
      integrations: { ...port, recordCompletedRun: async (_id, run) => void completedRuns.push(run) },
      cursors: cursorPort,
      zendesk: async () => testZendeskClient(zendesk.baseUrl, { incrementalPerMinute: 100 }),
      bus: { sendChanges: async (message) => void sent.push(message), sendFetchJob: async () => undefined },
    });
    const run = (job: ExportFetchJob = fetchJob('calls')) => fetchStream(deps, job, () => 60_000);
    return { zendesk, saved, completedRuns, cursors, sent, run };
  };

  it.each<[what: string, status: number, json: unknown, reason: string]>([
    [
      'a 404 (an account whose plan lacks Talk)',
      404,
      { error: 'InvalidEndpoint', description: 'Not found' },
      `Zendesk answered 404 on ${CALLS_PATH}: InvalidEndpoint: Not found`,
    ],
    [
      'a 403 (a user who may not read Talk)',
      403,
      { error: { title: 'Forbidden', message: 'You do not have access to this page.' } },
      `Zendesk refused the credentials (403) on ${CALLS_PATH}: Forbidden: You do not have access to this page.`,
    ],
  ])(
    '%s: the run completes without calls, the integration stays active and says why',
    async (_what, status, json, reason) => {
      const w = await callsWorld(() => ({ status, json }));
      try {
        expect(await w.run()).toBe('end_of_stream');
        expect(w.zendesk.requests.map((r) => r.path)).toEqual([CALLS_PATH]);
        expect(w.saved).toEqual([
          { ...ACME, talkUnavailable: { reason, since: '2026-01-03T00:00:00.000Z' } },
        ]);
        expect(w.completedRuns).toEqual([{ runId: 'r1', at: '2026-01-03T00:00:00.000Z' }]);
        expect(w.sent.map((m) => m.stream)).toEqual(['run_completed']);
        // The run's end tells the queue-history stream that its calls were not read, and why.
        expect(w.sent[0]).toMatchObject({
          freshness: {
            lastCompletedRun: { runId: 'r1', at: '2026-01-03T00:00:00.000Z' },
            talkUnavailable: { reason, since: '2026-01-03T00:00:00.000Z' },
          },
        });
        // The calls stay where they start: a later run that is answered imports them all.
        expect(w.cursors.get('calls')).toBeUndefined();
      } finally {
        await w.zendesk.stop();
      }
    },
  );

  it('a refusal that says the same again keeps since when (no write); a new answer is recorded with the first since', async () => {
    const first = {
      reason: `Zendesk answered 404 on ${CALLS_PATH}: InvalidEndpoint: Not found`,
      since: '2026-01-01T00:00:00.000Z',
    };
    const same = await callsWorld(
      () => ({ status: 404, json: { error: 'InvalidEndpoint', description: 'Not found' } }),
      { ...ACME, talkUnavailable: first },
    );
    const other = await callsWorld(
      () => ({ status: 404, json: { error: 'RecordNotFound', description: 'Not found' } }),
      {
        ...ACME,
        talkUnavailable: first,
      },
    );
    try {
      expect(await same.run()).toBe('end_of_stream');
      expect(same.saved).toEqual([]);
      expect(await other.run()).toBe('end_of_stream');
      expect(other.saved.map((i) => i.talkUnavailable)).toEqual([
        { reason: `Zendesk answered 404 on ${CALLS_PATH}: RecordNotFound: Not found`, since: first.since },
      ]);
    } finally {
      await same.zendesk.stop();
      await other.zendesk.stop();
    }
  });

  it('once Zendesk answers the Talk export, the calls are read and the integration no longer says Talk is refused', async () => {
    const w = await callsWorld(() => ({ json: callsPage }), {
      ...ACME,
      talkUnavailable: { reason: 'Zendesk answered 404 on …', since: '2026-01-01T00:00:00.000Z' },
    });
    try {
      expect(await w.run()).toBe('end_of_stream');
      expect(w.saved).toEqual([ACME]);
      expect(w.sent.map((m) => m.stream)).toEqual(['calls', 'run_completed']);
      expect(w.sent[1]).toMatchObject({ freshness: { lastCompletedRun: { runId: 'r1' } } });
      expect(w.sent[1]).not.toHaveProperty('freshness.talkUnavailable');
    } finally {
      await w.zendesk.stop();
    }
  });

  it('a refusal after the calls export answered in this run is no account without Talk: it fails as before', async () => {
    // The first page is answered; the next one is refused.
    const w = await callsWorld((r) =>
      Number(r.query.get('start_time')) < start
        ? { json: { ...callsPage, end_time: start } }
        : { status: 404, json: { error: 'RecordNotFound', description: 'Not found' } },
    );
    const carried = await callsWorld(() => ({
      status: 404,
      json: { error: 'RecordNotFound', description: 'Not found' },
    }));
    try {
      expect(await w.run()).toBe('failing');
      expect(w.saved.at(-1)).toMatchObject({ status: 'failing', failure: { kind: 'request_refused' } });
      expect(w.saved.at(-1)?.talkUnavailable).toBeUndefined();
      expect(w.completedRuns).toEqual([]);
      // A job that carries on a run whose calls export answered (a follow-up) says so.
      expect(await carried.run(fetchJob('calls', { callsAnswered: true }))).toBe('failing');
      expect(carried.saved.at(-1)?.talkUnavailable).toBeUndefined();
    } finally {
      await w.zendesk.stop();
      await carried.zendesk.stop();
    }
  });

  it('a follow-up of a run whose calls export answered carries it; a rate-limited calls job before any answer does not', async () => {
    const sentJobs: FetchJob[] = [];
    const zendesk = await startFakeZendesk((r) =>
      Number(r.query.get('start_time')) < start
        ? { json: { ...callsPage, end_time: start } }
        : { status: 429, headers: { 'retry-after': '7' }, json: { error: 'TooManyRequests' } },
    );
    const deps = fetchDepsWith({
      zendesk: async () => testZendeskClient(zendesk.baseUrl, { incrementalPerMinute: 100 }),
      bus: { sendChanges: async () => undefined, sendFetchJob: async (job) => void sentJobs.push(job) },
    });
    try {
      expect(await fetchStream(deps, fetchJob('calls'), () => 60_000)).toBe('rate_limited');
      expect(sentJobs).toEqual([expect.objectContaining({ stream: 'calls', callsAnswered: true })]);
    } finally {
      await zendesk.stop();
    }
  });

  it('a calls job outside a run (no Support streams read just before) does not read a refusal as no Talk', async () => {
    const w = await callsWorld(() => ({
      status: 404,
      json: { error: 'InvalidEndpoint', description: 'Not found' },
    }));
    try {
      expect(await w.run(fetchJob('calls', { chain: false }))).toBe('failing');
      expect(w.saved.at(-1)).toMatchObject({ status: 'failing', failure: { kind: 'request_refused' } });
      expect(w.saved.at(-1)?.talkUnavailable).toBeUndefined();
    } finally {
      await w.zendesk.stop();
    }
  });

  it('a 401 on the Talk export still marks the integration failing: those are credentials that fail', async () => {
    const w = await callsWorld(() => ({ status: 401, json: { error: "Couldn't authenticate you" } }));
    try {
      expect(await w.run()).toBe('failing');
      expect(w.saved.at(-1)).toMatchObject({
        status: 'failing',
        failure: { kind: 'credentials_refused' },
        statusReason: `Zendesk refused the credentials (401) on ${CALLS_PATH}: Couldn't authenticate you`,
      });
      expect(w.saved.at(-1)?.talkUnavailable).toBeUndefined();
      expect(w.completedRuns).toEqual([]);
    } finally {
      await w.zendesk.stop();
    }
  });

  it('a 403 or 404 on a Support export still marks the integration failing: only Talk may be missing', async () => {
    const zendesk = await startFakeZendesk(() => ({
      status: 404,
      json: { error: 'InvalidEndpoint', description: 'Not found' },
    }));
    const { saved, port } = savedIntegrations();
    const deps = fetchDepsWith({
      integrations: port,
      zendesk: async () => testZendeskClient(zendesk.baseUrl, { incrementalPerMinute: 100 }),
    });
    try {
      expect(await fetchStream(deps, fetchJob('ticket_events'), () => 60_000)).toBe('failing');
      expect(saved.at(-1)).toMatchObject({ status: 'failing', failure: { kind: 'request_refused' } });
      expect(saved.at(-1)?.talkUnavailable).toBeUndefined();
    } finally {
      await zendesk.stop();
    }
  });
});

describe('fetchStream: a page that is not JSON (an edge page, a body cut short)', () => {
  it('is asked for again at once, then after two minutes, and only then parked with the integration failing', async () => {
    const zendesk = await startFakeZendesk(() => ({ status: 200, text: '<html>Be right back</html>' }));
    const { saved, port } = savedIntegrations();
    const requeued: [FetchJob, number | undefined][] = [];
    const parked: string[] = [];
    const deps = fetchDepsWith({
      integrations: port,
      zendesk: async () => testZendeskClient(zendesk.baseUrl, { incrementalPerMinute: 100 }),
      bus: {
        sendChanges: async () => undefined,
        sendFetchJob: async (job, delay) => void requeued.push([job, delay]),
      },
      deadLetters: { canPark: () => true, park: async (_queue, _body, reason) => void parked.push(reason) },
    });
    const job = fetchJob('ticket_events', { chain: false });
    try {
      expect(await fetchStream(deps, job, () => 60_000)).toBe('malformed_page');
      expect(await fetchStream(deps, requeued[0]![0], () => 60_000)).toBe('malformed_page');
      expect(requeued.map(([j, delay]) => [(j as ExportFetchJob).malformedAttempts, delay])).toEqual([
        [1, 1],
        [2, 120],
      ]);
      expect(saved).toEqual([]);
      expect(await fetchStream(deps, requeued[1]![0], () => 60_000)).toBe('failing');
      expect(requeued).toHaveLength(2);
      expect(parked).toEqual([
        expect.stringMatching(
          /^a ticket_events page stays malformed: \/api\/v2\/incremental\/ticket_events: response, field \(body\): not JSON/,
        ),
      ]);
      expect(saved.at(-1)?.status).toBe('failing');
    } finally {
      await zendesk.stop();
    }
  });

  it('waits no longer than the longest retry delay (ZENDESK_WFM_MAX_RETRY_DELAY_SECONDS)', async () => {
    const zendesk = await startFakeZendesk(() => ({ status: 200, text: '<html>Be right back</html>' }));
    const delays: (number | undefined)[] = [];
    const deps = fetchDepsWith({
      zendesk: async () => testZendeskClient(zendesk.baseUrl, { incrementalPerMinute: 100 }),
      bus: {
        sendChanges: async () => undefined,
        sendFetchJob: async (_job, delay) => void delays.push(delay),
      },
      settings: { ...fetchDepsWith().settings, maxRetryDelaySeconds: 30 },
    });
    try {
      const second = fetchJob('ticket_events', { chain: false, malformedAttempts: 1 });
      expect(await fetchStream(deps, second, () => 60_000)).toBe('malformed_page');
      expect(delays).toEqual([30]);
    } finally {
      await zendesk.stop();
    }
  });
});
