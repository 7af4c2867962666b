import { describe, expect, it } from '@jest/globals';
import { Progress, formatDuration } from '../../../cli/progress.js';
import type { Stream } from '../../../shared/messages/streams.js';
import type { ProgressEvent } from '../../../shared/pipeline/progress.js';

const page = (stream: Stream, records: number, reachedAt?: string, beforeWindow = 0): ProgressEvent => ({
  kind: 'page_fetched',
  integrationId: 'acme',
  stream,
  records,
  beforeWindow,
  ...(reachedAt ? { reachedAt: new Date(reachedAt) } : {}),
});

const window = { since: new Date('2026-01-01T00:00:00Z'), until: new Date('2026-01-11T00:00:00Z') };

const setup = (isTty: boolean) => {
  const written: string[] = [];
  let clock = 0;
  const progress = new Progress({ write: (t) => written.push(t), isTty, columns: 200 }, window, () => clock);
  return { written, progress, tick: (ms: number) => (clock += ms) };
};

describe('Progress drawn from the pipeline progress events', () => {
  it('prints one plain line per page and per rate-limit wait when stderr is not a terminal', () => {
    const { written, progress, tick } = setup(false);
    progress.onEvent(page('users', 2));
    tick(10_000);
    // five days of ten reached: users and views done (7 %) + half of the ticket events' 73 %
    progress.onEvent(page('ticket_events', 2, '2026-01-06T00:00:00Z'));
    progress.onEvent({
      kind: 'rate_limited',
      integrationId: 'acme',
      stream: 'ticket_events',
      delaySeconds: 7,
    });
    progress.logger.info('page handed on', { records: 2, delaySeconds: 99 }); // the log is not progress
    progress.logger.error('integration marked failing', { reason: 'Zendesk refused the credentials' });
    expect(written).toEqual([
      'progress: users page: 2 records · users · 1 pages · 0 events · 0 calls · ETA …\n',
      'progress: ticket events page: 2 records · ticket events · 2 pages · 2 events · 0 calls · at 2026-01-06T00:00Z · ETA 12 s\n',
      'progress: rate limited by Zendesk: waiting 7 s · ticket events · 2 pages · 2 events · 0 calls · 1 rate-limit waits · at 2026-01-06T00:00Z · ETA 12 s\n',
      'warning: integration marked failing: Zendesk refused the credentials\n',
    ]);
    expect(progress.fraction()).toBeCloseTo(0.1 + 0.68 / 2, 10);
    expect(progress.counts()).toEqual({
      pages: 2,
      events: 2,
      warmUpEvents: 0,
      calls: 0,
      rateLimitWaits: 1,
      rateLimitSeconds: 7,
      failedDeliveries: 0,
    });
  });

  it("warns of an invocation that ran past its function's timeout, naming the stage and the times", () => {
    const { written, progress } = setup(false);
    progress.onEvent({
      kind: 'invocation_timed_out',
      queue: 'updates',
      messages: 10,
      tookSeconds: 75,
      timeoutSeconds: 60,
    });
    expect(written).toEqual([
      "warning: an invocation placing updates in views ran 75 s on 10 messages, past its function's 60 s timeout: Lambda would stop it there, so they are retried\n",
    ]);
  });

  it('redraws one bar in place on a terminal, at most every 100 ms, and clears it at the end', () => {
    const { written, progress, tick } = setup(true);
    progress.onEvent(page('users', 0));
    tick(50);
    progress.onEvent(page('views', 0)); // too soon: not drawn
    tick(100);
    progress.onEvent(page('calls', 1, '2026-01-11T00:00:00Z'));
    progress.finish();
    expect(written).toEqual([
      '\r\x1b[2K[........................]   0% users · 1 pages · 0 events · 0 calls · ETA …',
      '\r\x1b[2K[########################] 100% calls · 3 pages · 0 events · 1 calls · at 2026-01-11T00:00Z · ETA 0 s',
      '\r\x1b[2K',
    ]);
  });

  it('puts a warning above the bar and draws the bar again', () => {
    const { written, progress } = setup(true);
    progress.onEvent(page('users', 0));
    progress.logger.error('malformed page parked in the dead-letter queue', {
      reason: 'calls: record 7, field id',
    });
    expect(written.slice(1)).toEqual([
      '\r\x1b[2K',
      'warning: malformed page parked in the dead-letter queue: calls: record 7, field id\n',
      '\r\x1b[2K[........................]   0% users · 1 pages · 0 events · 0 calls · ETA …',
    ]);
  });

  it('counts the ticket events before the window apart: the warm-up that builds ticket state', () => {
    const { progress } = setup(false);
    progress.onEvent(page('ticket_events', 3, '2026-01-01T00:00:00Z', 2));
    expect(progress.counts()).toMatchObject({ events: 3, warmUpEvents: 2 });
    // The warm-up is before the window: no progress through it yet.
    expect(progress.fraction()).toBeCloseTo(0.1, 10);
  });

  it('a new stream starts from its own position, not the previous stream’s', () => {
    const { progress } = setup(false);
    progress.onEvent(page('ticket_events', 1, '2026-01-11T00:00:00Z'));
    expect(progress.fraction()).toBeCloseTo(0.78, 10);
    progress.onEvent(page('calls', 1, '2026-01-01T00:00:00Z'));
    expect(progress.fraction()).toBeCloseTo(0.8, 10);
  });

  it('shows failed deliveries in the status once there are some, without a line of their own', () => {
    const { written, progress } = setup(false);
    progress.onEvent({ kind: 'messages_processed', queue: 'changes', messages: 10, failed: 0 });
    progress.onEvent({ kind: 'messages_processed', queue: 'updates', messages: 10, failed: 3 });
    expect(written).toEqual([]);
    progress.onEvent(page('calls', 4));
    expect(written).toEqual([
      'progress: calls page: 4 records · calls · 1 pages · 0 events · 4 calls · 3 failed deliveries · ETA 6 s\n',
    ]);
    expect(progress.counts().failedDeliveries).toBe(3);
  });
});

describe("Progress: the ETA is bounded by Zendesk's export rate (issue 22, an honest ETA)", () => {
  /** Four 1000-event pages reaching two of the window's ten days, `elapsedMs` after the start. */
  const etaAfter = (elapsedMs: number, pace?: { exportRequestsPerMinute: number; pageSize: number }) => {
    const written: string[] = [];
    let clock = 0;
    const progress = new Progress({ write: (t) => written.push(t), isTty: false }, window, () => clock, pace);
    progress.onEvent(page('users', 10));
    for (const day of ['01', '01', '02', '03'])
      progress.onEvent(page('ticket_events', 1000, `2026-01-${day}T00:00:00Z`));
    clock = elapsedMs;
    progress.onEvent(page('ticket_events', 0, '2026-01-03T00:00:00Z'));
    return written.at(-1)!.split(' · ').at(-1)!.trim();
  };

  it.each<[string, number, { exportRequestsPerMinute: number; pageSize: number } | undefined, string]>([
    // 4,000 events in 2 days: 16,000 in the 8 days left = 16 pages, + 1 for the calls = 17 pages
    ['the pages left at 10 requests a minute (6 s a page)', 10_000, undefined, 'ETA 1 min 42 s'],
    [
      'at 30 a minute (the High Volume add-on)',
      10_000,
      { exportRequestsPerMinute: 30, pageSize: 1000 },
      'ETA 34 s',
    ],
    [
      'smaller pages take more requests',
      10_000,
      { exportRequestsPerMinute: 10, pageSize: 500 },
      'ETA 3 min 18 s',
    ],
    // 6 pages in 144 s (rate-limit waits): 24 s a page, slower than the rate allows
    ['the pace seen so far when it is slower', 144_000, undefined, 'ETA 6 min 48 s'],
  ])('%s', (_rule, elapsedMs, pace, eta) => {
    expect(etaAfter(elapsedMs, pace)).toBe(eta);
  });

  it('says nothing before the ticket events have shown how dense the window is', () => {
    const { written, progress } = setup(false);
    progress.onEvent(page('ticket_events', 1000, '2026-01-01T00:00:00Z', 1000)); // the warm-up only
    expect(written.at(-1)!.trim().endsWith('ETA …')).toBe(true);
  });
});

describe('formatDuration', () => {
  it.each<[number, string]>([
    [400, '0 s'],
    [59_400, '59 s'],
    [61_000, '1 min 1 s'],
    [3_725_000, '1 h 2 min'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
