import { describe, expect, it } from '@jest/globals';
import type { SQSRecord } from 'aws-lambda';
import { Progress, formatDuration } from '../../../cli/progress.js';
import { encodeBody } from '../../../shared/messages/body.js';

const page = (stream: string, records: unknown[]): SQSRecord =>
  ({ body: JSON.stringify({ version: 1, pageKey: 'k', integrationId: 'i', stream, records }) }) as SQSRecord;

const window = { since: new Date('2026-01-01T00:00:00Z'), until: new Date('2026-01-11T00:00:00Z') };

const setup = (isTty: boolean) => {
  const written: string[] = [];
  let clock = 0;
  const progress = new Progress({ write: (t) => written.push(t), isTty, columns: 200 }, window, () => clock);
  return { written, progress, tick: (ms: number) => (clock += ms) };
};

describe('Progress', () => {
  it('prints one plain line per page and per rate-limit wait when stderr is not a terminal', () => {
    const { written, progress, tick } = setup(false);
    progress.onDelivery('changes', page('users', [{ id: 1 }, { id: 2 }]));
    progress.onDelivery('updates', page('ticket_events', [{ timestamp: 1 }])); // not a page: ignored
    tick(10_000);
    // five days of ten reached: users and views done (7 %) + half of the ticket events' 73 %
    progress.onDelivery(
      'changes',
      page('ticket_events', [
        { timestamp: Date.parse('2026-01-03T00:00:00Z') / 1000 },
        { timestamp: Date.parse('2026-01-06T00:00:00Z') / 1000 },
      ]),
    );
    progress.logger.info('rate limited: job re-queued', { retryAfterSeconds: 7, delaySeconds: 7 });
    progress.logger.info('page handed on', { records: 2 });
    progress.logger.error('integration marked failing', { reason: 'Zendesk refused the credentials' });
    expect(written).toEqual([
      'progress: users page: 2 records · users · 1 pages · 0 events · 0 calls · ETA …\n',
      'progress: ticket events page: 2 records · ticket events · 2 pages · 2 events · 0 calls · at 2026-01-06T00:00Z · ETA 13 s\n',
      'progress: rate limited by Zendesk: waiting 7 s · ticket events · 2 pages · 2 events · 0 calls · 1 rate-limit waits · at 2026-01-06T00:00Z · ETA 13 s\n',
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
    });
  });

  it('redraws one bar in place on a terminal, at most every 100 ms, and clears it at the end', () => {
    const { written, progress, tick } = setup(true);
    progress.onDelivery('changes', page('users', []));
    tick(50);
    progress.onDelivery('changes', page('views', [])); // too soon: not drawn
    tick(100);
    progress.onDelivery('changes', page('calls', [{ updatedAt: '2026-01-11T00:00:00Z' }]));
    progress.finish();
    expect(written).toEqual([
      '\r\x1b[2K[........................]   0% users · 1 pages · 0 events · 0 calls · ETA …',
      '\r\x1b[2K[########################] 100% calls · 3 pages · 0 events · 1 calls · at 2026-01-11T00:00Z · ETA 0 s',
      '\r\x1b[2K',
    ]);
  });

  it('puts a warning above the bar and draws the bar again', () => {
    const { written, progress } = setup(true);
    progress.onDelivery('changes', page('users', []));
    progress.logger.error('malformed page parked in the dead-letter queue', {
      reason: 'calls: record 7, field id',
    });
    expect(written.slice(1)).toEqual([
      '\r\x1b[2K',
      'warning: malformed page parked in the dead-letter queue: calls: record 7, field id\n',
      '\r\x1b[2K[........................]   0% users · 1 pages · 0 events · 0 calls · ETA …',
    ]);
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

describe('Progress with compressed pages', () => {
  it('counts a page that travels gzip-compressed like a plain one', () => {
    const written: string[] = [];
    const progress = new Progress(
      { write: (t) => written.push(t), isTty: false, columns: 200 },
      window,
      () => 0,
    );
    const records = Array.from({ length: 50 }, (_, i) => ({ id: i, timestamp: 1_767_225_600 + i }));
    const json = JSON.stringify({
      version: 1,
      pageKey: 'k',
      integrationId: 'i',
      stream: 'ticket_events',
      records,
    });
    const body = encodeBody(json, 500);
    expect(body?.startsWith('gz:')).toBe(true);
    progress.onDelivery('changes', { body } as SQSRecord);
    expect(progress.counts()).toEqual({
      pages: 1,
      events: 50,
      warmUpEvents: 0,
      calls: 0,
      rateLimitWaits: 0,
      rateLimitSeconds: 0,
    });
  });

  it('counts the ticket events before the window apart: the warm-up that builds ticket state', () => {
    const { progress } = setup(false);
    progress.onDelivery(
      'changes',
      page('ticket_events', [
        { timestamp: Date.parse('2025-12-25T00:00:00Z') / 1000 },
        { timestamp: Date.parse('2025-12-31T23:59:59Z') / 1000 },
        { timestamp: Date.parse('2026-01-01T00:00:00Z') / 1000 },
      ]),
    );
    expect(progress.counts()).toMatchObject({ events: 3, warmUpEvents: 2 });
    // The warm-up is before the window: no progress through it yet.
    expect(progress.fraction()).toBeCloseTo(0.1, 10);
  });
});
