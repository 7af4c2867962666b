import { describe, expect, it } from '@jest/globals';
import {
  accountLimitFromHeaders,
  bucketLimits,
  endpointLimitFromHeaders,
  retryAfterSeconds,
  SlidingWindowBudget,
} from '../../../shared/zendesk/rate-limit.js';

const T0 = 1_717_500_000_000;

describe('SlidingWindowBudget', () => {
  it('allows the per-minute limit, then says how long until the oldest request leaves the window', () => {
    const budget = new SlidingWindowBudget(bucketLimits(2));
    expect(budget.tryAcquire('incremental', T0)).toBe(0);
    expect(budget.tryAcquire('incremental', T0 + 10_000)).toBe(0);
    expect(budget.tryAcquire('incremental', T0 + 20_000)).toBe(40);
    expect(budget.tryAcquire('incremental', T0 + 60_001)).toBe(0);
    expect(budget.tryAcquire('incremental', T0 + 60_002)).toBe(10);
  });

  it('says why a bucket waits: a maintenance refusal until its time, then the rate limit again', () => {
    const budget = new SlidingWindowBudget(bucketLimits(10));
    budget.refused('incremental', 120, T0, 'maintenance');
    expect(budget.tryAcquire('incremental', T0 + 1_000)).toBe(119);
    expect(budget.waitCause('incremental', T0 + 1_000)).toBe('maintenance');
    expect(budget.waitCause('talk_incremental', T0 + 1_000)).toBe('rate_limit');
    expect(budget.waitCause('incremental', T0 + 120_000)).toBe('rate_limit');
    budget.refused('incremental', 30, T0 + 200_000);
    expect(budget.waitCause('incremental', T0 + 201_000)).toBe('rate_limit');
  });

  it('keeps buckets apart: the users cursor export has twice the incremental allowance', () => {
    const budget = new SlidingWindowBudget(bucketLimits(1));
    expect(budget.tryAcquire('incremental', T0)).toBe(0);
    expect(budget.tryAcquire('incremental', T0)).toBe(60);
    expect(budget.tryAcquire('incremental_users', T0)).toBe(0);
    expect(budget.tryAcquire('incremental_users', T0)).toBe(0);
    expect(budget.tryAcquire('incremental_users', T0)).toBe(60);
    expect(budget.tryAcquire('account', T0)).toBe(0);
  });

  it('obeys the headers: nothing left on the export blocks that bucket until it resets', () => {
    const budget = new SlidingWindowBudget(bucketLimits(10));
    budget.observe(
      'incremental',
      new Headers({ 'Zendesk-RateLimit-incremental-exports': 'total=10; remaining=0; resets=43' }),
      T0,
    );
    expect(budget.tryAcquire('incremental', T0 + 1000)).toBe(42);
    expect(budget.tryAcquire('talk_incremental', T0 + 1000)).toBe(0);
    expect(budget.tryAcquire('incremental', T0 + 43_000)).toBe(0);
  });

  it('obeys a 429 with only Retry-After: nothing more of that bucket goes out before it has passed', () => {
    const budget = new SlidingWindowBudget(bucketLimits(10));
    budget.refused('account', 45, T0);
    expect(budget.tryAcquire('account', T0 + 1000)).toBe(44);
    // Every bucket waits for the account's; a refused export bucket leaves the others alone.
    expect(budget.tryAcquire('incremental', T0 + 1000)).toBe(44);
    budget.refused('talk_incremental', 10, T0 + 45_000);
    expect(budget.tryAcquire('incremental', T0 + 45_000)).toBe(0);
    expect(budget.tryAcquire('talk_incremental', T0 + 45_000)).toBe(10);
  });

  it('obeys an exhausted account limit on every bucket', () => {
    const budget = new SlidingWindowBudget(bucketLimits(10));
    budget.observe('account', new Headers({ 'ratelimit-remaining': '0', 'ratelimit-reset': '7' }), T0);
    expect(budget.tryAcquire('talk_incremental', T0)).toBe(7);
    expect(budget.tryAcquire('account', T0 + 7000)).toBe(0);
  });
});

describe('rate-limit headers', () => {
  it('reads the tightest Zendesk-RateLimit-* header', () => {
    const headers = new Headers({
      'zendesk-ratelimit-incremental-exports': 'total=10; remaining=3; resets=12',
      'zendesk-ratelimit-incremental-exports-cursor': 'total=20; remaining=1; resets=50',
    });
    expect(endpointLimitFromHeaders(headers)).toEqual({ remaining: 1, resetsSeconds: 50 });
  });

  it.each<[string, Record<string, string>, { remaining: number; resetsSeconds: number } | undefined]>([
    [
      'ratelimit-*',
      { 'ratelimit-remaining': '5', 'ratelimit-reset': '9' },
      { remaining: 5, resetsSeconds: 9 },
    ],
    [
      'rate-limit-*',
      { 'rate-limit-remaining': '0', 'rate-limit-reset': '3' },
      { remaining: 0, resetsSeconds: 3 },
    ],
    [
      'x-rate-limit-remaining alone',
      { 'X-Rate-Limit-Remaining': '699' },
      { remaining: 699, resetsSeconds: 60 },
    ],
    ['no header', {}, undefined],
  ])('reads the account limit from %s', (_, headers, expected) => {
    expect(accountLimitFromHeaders(new Headers(headers))).toEqual(expected);
  });

  it.each<[string, Record<string, string>, number]>([
    ['Retry-After in seconds', { 'retry-after': '17' }, 17],
    ['Retry-After as an HTTP date', { 'retry-after': new Date(T0 + 30_000).toUTCString() }, 30],
    [
      'only the export header',
      { 'zendesk-ratelimit-incremental-exports': 'total=10; remaining=0; resets=25' },
      25,
    ],
    ['nothing usable', { 'retry-after': 'soon' }, 60],
  ])('turns %s into a wait', (_, headers, expected) => {
    expect(retryAfterSeconds(new Headers(headers), T0)).toBe(expected);
  });
});
