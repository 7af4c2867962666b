import { describe, expect, it } from '@jest/globals';
import { QUEUES } from '../../../shared/messages/queues.js';
import {
  MAX_RATE_LIMIT_WAIT_SECONDS,
  failedDeliveries,
  mayHaveFailedOut,
  verdictAfterFailure,
  verdictAfterRateLimit,
  verdictBeforeWork,
} from '../../../shared/pipeline/failed-deliveries.js';
import { AuthorLookupRateLimitedError } from '../../../shared/pipeline/channel-mapper.js';
import { AuditsRateLimitedError } from '../../../shared/pipeline/view-classifier.js';

const NOW = new Date('2026-03-02T12:00:00.000Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();

describe('failed deliveries: which receives count (issue 16, a 429 is a wait, never a refusal)', () => {
  it('the limits: five failures, SQS’s redrive far above as the safety net, an hour of waiting', () => {
    expect(Object.values(QUEUES).map((q) => [q.key, q.maxFailedDeliveries, q.maxReceiveCount])).toEqual([
      ['fetchJobs', 5, 1000],
      ['changes', 5, 1000],
      ['updates', 5, 1000],
      ['contacts', 5, 1000],
    ]);
    expect(MAX_RATE_LIMIT_WAIT_SECONDS).toBe(3600);
  });

  it.each([
    ['every receive of a message that never waited is a failure', 4, 0, 4],
    ['a receive refused by Zendesk’s rate limit is not', 7, 5, 2],
    ['a receive handed back behind its group counts as a wait as well', 6, 6, 0],
  ])('%s', (_rule, receives, waited, failed) => {
    expect(failedDeliveries(receives, { waitedReceives: waited })).toBe(failed);
  });

  it.each([
    ['fewer receives than the limit: the history need not be read', 4, false],
    ['as many receives as the limit: it may have failed out', 5, true],
    ['an unknown receive count: never', Number.NaN, false],
  ])('%s', (_rule, receives, read) => {
    expect(mayHaveFailedOut('changes', receives)).toBe(read);
  });

  it.each([
    ['the 4th failure is retried', 4, 0, false],
    ['the 5th failure parks the message', 5, 0, true],
    ['the 9th receive after 5 waits is the 4th failure: retried', 9, 5, false],
    ['the 10th receive after 5 waits is the 5th failure: parked', 10, 5, true],
    ['SQS’s last receive parks it whatever waited', 1000, 999, true],
    ['an unknown receive count is never taken for the last', Number.NaN, 0, false],
  ])('after a failure: %s', (_rule, receives, waited, park) => {
    expect(verdictAfterFailure('updates', receives, { waitedReceives: waited }, 'audits: 500')).toEqual(
      park ? { park: true, reason: 'audits: 500' } : { park: false },
    );
  });

  it.each([
    ['the 6th receive after 5 failures that never answered is parked before it is tried', 6, 0, true],
    ['the 6th receive after 5 waits is tried', 6, 5, false],
    ['the 5th receive is tried (4 earlier failures at most)', 5, 0, false],
  ])('before the work: %s', (_rule, receives, waited, park) => {
    expect(verdictBeforeWork('updates', receives, { waitedReceives: waited })).toEqual(
      park
        ? { park: true, reason: '5 deliveries ended without an answer (the function timed out or stopped)' }
        : { park: false },
    );
  });

  const refusal = { retryAfterSeconds: 30, message: 'audits was rate-limited by Zendesk; retry after 30 s' };
  it.each([
    ['the first 429 waits', 1, { waitedReceives: 1, firstRateLimitedAt: NOW.toISOString() }, false],
    [
      'the 6th 429 in a row waits: waits never add up to failures',
      6,
      { waitedReceives: 6, firstRateLimitedAt: minutesAgo(5) },
      false,
    ],
    [
      'a 429 whose wait ends exactly on the bound waits',
      40,
      { waitedReceives: 40, firstRateLimitedAt: minutesAgo(59.5) },
      false,
    ],
    [
      'a 429 whose wait would pass the bound parks',
      40,
      { waitedReceives: 40, firstRateLimitedAt: minutesAgo(59.6) },
      true,
    ],
    [
      'SQS’s last receive parks it within the bound',
      1000,
      { waitedReceives: 1000, firstRateLimitedAt: minutesAgo(50) },
      true,
    ],
  ])('after a 429: %s', (_rule, receives, history, park) => {
    expect(verdictAfterRateLimit('changes', receives, history, refusal, NOW).park).toBe(park);
  });

  it('a refusal keeps its cause from the client to the error the consumer parks with', () => {
    const audits = new AuditsRateLimitedError(7, {
      kind: 'rate_limited',
      retryAfterSeconds: 30,
      cause: 'maintenance',
    });
    expect([audits.waitCause, audits.message]).toEqual([
      'maintenance',
      'reading the audits of ticket 7 was refused by Zendesk under maintenance (503 with Retry-After); retry after 30 s',
    ]);
    const authors = new AuthorLookupRateLimitedError({ kind: 'rate_limited', retryAfterSeconds: 30 });
    expect([authors.waitCause, authors.message]).toEqual([
      'rate_limit',
      'looking up comment authors was rate-limited by Zendesk; retry after 30 s',
    ]);
  });

  it('a maintenance 503 past the bound names Zendesk’s maintenance, not its rate limit', () => {
    const maintenance = {
      retryAfterSeconds: 30,
      message: 'audits was refused by Zendesk under maintenance (503 with Retry-After); retry after 30 s',
      waitCause: 'maintenance' as const,
    };
    expect(
      verdictAfterRateLimit(
        'changes',
        70,
        { waitedReceives: 70, firstRateLimitedAt: minutesAgo(61) },
        maintenance,
        NOW,
      ),
    ).toEqual({
      park: true,
      reason:
        "Zendesk's maintenance: audits was refused by Zendesk under maintenance (503 with Retry-After); retry after 30 s; " +
        'refused since 2026-03-02T10:59:00.000Z (61 min, the wait is bounded at 60 min), ' +
        'Zendesk allows requests again from 2026-03-02T12:00:30.000Z: retry after then',
    });
  });

  it('a 429 past the bound names Zendesk’s rate limit, since when, the bound, and from when to retry', () => {
    expect(
      verdictAfterRateLimit(
        'changes',
        70,
        { waitedReceives: 70, firstRateLimitedAt: minutesAgo(61) },
        refusal,
        NOW,
      ),
    ).toEqual({
      park: true,
      reason:
        "Zendesk's rate limit: audits was rate-limited by Zendesk; retry after 30 s; refused since 2026-03-02T10:59:00.000Z " +
        '(61 min, the wait is bounded at 60 min), Zendesk allows requests again from 2026-03-02T12:00:30.000Z: retry after then',
    });
  });
});
