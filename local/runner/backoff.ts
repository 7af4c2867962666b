import type { SQSRecord } from 'aws-lambda';

/**
 * Backoff of the local runner: when a failed message may be received again. Lambda's event source
 * leaves a failed message invisible for the queue's whole visibility timeout; locally that would
 * stall a run for minutes, so the runner sets a shorter visibility that grows with the receives.
 */

/** Seconds before a failed message comes back: 2 × 3^(receives − 1), at most 60. */
export const retryBackoffSeconds = (receiveCount: number): number =>
  Math.min(60, 2 * 3 ** Math.max(0, (Number.isFinite(receiveCount) ? receiveCount : 1) - 1));

export interface BackoffOptions {
  /** One visibility for every failed message instead of the backoff (tests: 0, at once). */
  readonly failedVisibilitySeconds?: number;
  /** The longest the backoff waits, in seconds (an impatient install, or a test about what a failure ends in). */
  readonly maxRetryDelaySeconds?: number;
  /** Whether the handler set this message's visibility itself (a Retry-After): left as it is. */
  readonly handlerSetVisibility?: (receiptHandle: string) => boolean;
}

export interface Retry {
  readonly receiptHandle: string;
  readonly visibilitySeconds: number;
}

/** The visibility each failed message gets, leaving out those whose handler set one. */
export const retriesOf = (failed: readonly SQSRecord[], options: BackoffOptions = {}): Retry[] =>
  failed
    .filter((r) => !options.handlerSetVisibility?.(r.receiptHandle))
    .map((r) => ({
      receiptHandle: r.receiptHandle,
      visibilitySeconds:
        options.failedVisibilitySeconds ??
        Math.min(
          options.maxRetryDelaySeconds ?? Number.POSITIVE_INFINITY,
          retryBackoffSeconds(Number(r.attributes.ApproximateReceiveCount)),
        ),
    }));
