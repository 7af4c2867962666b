import { describe, expect, it } from '@jest/globals';
import { freshnessOf, percentile } from '../../../bench/freshness.js';

describe('freshness percentiles (nearest rank: always a measured value)', () => {
  const twenty = Array.from({ length: 20 }, (_, i) => 20 - i); // 20, 19, …, 1: order does not matter

  it.each([
    ['the median of 20 values is the 10th smallest', 50, 10],
    ['the 95th percentile of 20 values is the 19th smallest', 95, 19],
    ['the 100th is the largest', 100, 20],
    ['a low percentile is the smallest', 1, 1],
  ])('%s', (_rule, p, value) => {
    expect(percentile(twenty, p)).toBe(value);
  });

  it('summarises webhooks’ freshness in seconds', () => {
    expect(freshnessOf([31.5, 33, 40.25])).toEqual({ webhooks: 3, medianS: 33, p95S: 40.25, maxS: 40.25 });
  });

  it('refuses an empty sample and a percentile out of range', () => {
    expect(() => percentile([], 50)).toThrow('percentile of no values');
    expect(() => percentile([1], 0)).toThrow('p must be in (0, 100], got 0');
  });
});
