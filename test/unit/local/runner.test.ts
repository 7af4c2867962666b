import { describe, expect, it } from '@jest/globals';
import { retryBackoffSeconds } from '../../../local/runner.js';

describe('retryBackoffSeconds', () => {
  // With maxReceiveCount 5 a message gets 2 + 6 + 18 + 54 = 80 s to heal before its DLQ.
  const rows: [receives: number, seconds: number][] = [
    [1, 2],
    [2, 6],
    [3, 18],
    [4, 54],
    [5, 60],
    [9, 60],
    [Number.NaN, 2],
  ];
  it.each(rows)('after %d receives: %d s', (receives, seconds) => {
    expect(retryBackoffSeconds(receives)).toBe(seconds);
  });
});
