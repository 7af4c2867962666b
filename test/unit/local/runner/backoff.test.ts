import { describe, expect, it } from '@jest/globals';
import type { SQSRecord } from 'aws-lambda';
import { retriesOf, retryBackoffSeconds, type BackoffOptions } from '../../../../local/runner/backoff.js';

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

const failed = (handle: string, receives: string) =>
  ({ receiptHandle: handle, attributes: { ApproximateReceiveCount: receives } }) as unknown as SQSRecord;

describe('retriesOf: the visibility each failed message gets', () => {
  const records = [failed('a', '1'), failed('b', '3'), failed('c', '2')];
  const rows: [rule: string, options: BackoffOptions, expected: [string, number][]][] = [
    [
      'backoff by each message own receive count',
      {},
      [
        ['a', 2],
        ['b', 18],
        ['c', 6],
      ],
    ],
    [
      'a fixed visibility replaces the backoff',
      { failedVisibilitySeconds: 0 },
      [
        ['a', 0],
        ['b', 0],
        ['c', 0],
      ],
    ],
    [
      'a cap on the backoff shortens only the waits above it',
      { maxRetryDelaySeconds: 5 },
      [
        ['a', 2],
        ['b', 5],
        ['c', 5],
      ],
    ],
    [
      'a cap of 0: every failed message may come back at once',
      { maxRetryDelaySeconds: 0 },
      [
        ['a', 0],
        ['b', 0],
        ['c', 0],
      ],
    ],
    [
      'a visibility its handler set (Retry-After) is left as it is',
      { handlerSetVisibility: (h) => h === 'b' },
      [
        ['a', 2],
        ['c', 6],
      ],
    ],
  ];
  it.each(rows)('%s', (_rule, options, expected) => {
    expect(retriesOf(records, options).map((r) => [r.receiptHandle, r.visibilitySeconds])).toEqual(expected);
  });
});
