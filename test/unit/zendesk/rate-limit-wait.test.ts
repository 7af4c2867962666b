import { describe, expect, it } from '@jest/globals';
import { waitOutRateLimits, type RateLimitWait } from '../../../shared/zendesk/rate-limit-wait.js';

type Answer = { kind: 'ok' } | { kind: 'rate_limited'; retryAfterSeconds: number };
const limited = (retryAfterSeconds: number): Answer => ({ kind: 'rate_limited', retryAfterSeconds });
const OK: Answer = { kind: 'ok' };

/** Plays the answers in order; records the sleeps and the waits announced. */
const run = async (answers: Answer[], maxTotalWaitSeconds = 300) => {
  const slept: number[] = [];
  const announced: RateLimitWait[] = [];
  let asked = 0;
  const result = await waitOutRateLimits(async () => answers[asked++]!, {
    maxTotalWaitSeconds,
    sleep: async (ms) => {
      slept.push(ms);
    },
    onWait: (wait) => announced.push(wait),
  });
  return { result, slept, announced, asked };
};

describe('waitOutRateLimits: a 429 is a wait, never a refusal (SPEC §8; issue: real Zendesk accounts never stop an import)', () => {
  it.each<[string, Answer[], number, { result: unknown; slept: number[]; asked: number }]>([
    ['an answer at once: no wait', [OK], 300, { result: OK, slept: [], asked: 1 }],
    [
      'each 429 waits as Retry-After says, then the request is made again',
      [limited(2), limited(3), OK],
      300,
      { result: OK, slept: [2000, 3000], asked: 3 },
    ],
    [
      'a wait that would pass the bound is not started: the last 429 is given back with the time waited',
      [limited(200), limited(200), OK],
      300,
      {
        result: { kind: 'rate_limited', retryAfterSeconds: 200, waitedSeconds: 200 },
        slept: [200_000],
        asked: 2,
      },
    ],
    [
      'a wait exactly at the bound is still made',
      [limited(100), limited(200), OK],
      300,
      { result: OK, slept: [100_000, 200_000], asked: 3 },
    ],
    [
      'a 429 without a usable Retry-After waits a second, never zero (no busy loop)',
      [limited(0), OK],
      300,
      { result: OK, slept: [1000], asked: 2 },
    ],
  ])('%s', async (_rule, answers, bound, expected) => {
    const { result, slept, asked } = await run(answers, bound);
    expect({ result, slept, asked }).toEqual(expected);
  });

  it('announces each wait before it, with what was waited so far and the bound', async () => {
    const { announced } = await run([limited(5), limited(7), OK], 60);
    expect(announced).toEqual([
      { retryAfterSeconds: 5, waitedSeconds: 0, maxTotalWaitSeconds: 60 },
      { retryAfterSeconds: 7, waitedSeconds: 5, maxTotalWaitSeconds: 60 },
    ]);
  });
});
