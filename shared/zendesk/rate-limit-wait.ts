/**
 * Waiting out Zendesk's rate limit for a request a person is waiting on (the credential check
 * before an integration is saved). Zendesk's 429 is an answer, not a refusal: the request is made
 * again as `Retry-After` says, up to a bound on the total wait, and only then is the last 429 given
 * back. The pipeline never waits like this: its jobs are re-queued with the delay instead (a
 * Lambda must not pay for sleeping).
 */
import type { RateLimited } from './api.js';

export interface RateLimitWaitPolicy {
  /** The most the waits may add up to; a wait that would pass it is not started. */
  readonly maxTotalWaitSeconds: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Told before each wait, so a person sees why nothing happens. */
  readonly onWait?: (wait: RateLimitWait) => void;
}

export interface RateLimitWait {
  readonly retryAfterSeconds: number;
  /** Seconds already waited before this wait. */
  readonly waitedSeconds: number;
  readonly maxTotalWaitSeconds: number;
}

/** Five minutes: Zendesk's limits are per minute, so a 429 that outlasts this is not a passing burst. */
export const DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS = 300;

/** The last 429 after the waits, with how long was waited in all. */
export interface StillRateLimited extends RateLimited {
  readonly waitedSeconds: number;
}

const isRateLimited = (answer: { readonly kind: string }): answer is RateLimited =>
  answer.kind === 'rate_limited';

export const waitOutRateLimits = async <A extends { readonly kind: string }>(
  request: () => Promise<A | RateLimited>,
  policy: RateLimitWaitPolicy,
): Promise<Exclude<A, RateLimited> | StillRateLimited> => {
  let waitedSeconds = 0;
  for (;;) {
    const answer = await request();
    if (!isRateLimited(answer)) return answer as Exclude<A, RateLimited>;
    // Never a wait of nothing: a 429 without a usable Retry-After still costs a second.
    const retryAfterSeconds = Math.max(1, answer.retryAfterSeconds);
    if (waitedSeconds + retryAfterSeconds > policy.maxTotalWaitSeconds)
      return { kind: 'rate_limited', retryAfterSeconds, waitedSeconds };
    policy.onWait?.({ retryAfterSeconds, waitedSeconds, maxTotalWaitSeconds: policy.maxTotalWaitSeconds });
    await policy.sleep(retryAfterSeconds * 1000);
    waitedSeconds += retryAfterSeconds;
  }
};
