import type { WaitCause } from '../zendesk/rate-limit.js';

/**
 * Zendesk answered 429, or 503 with Retry-After (its maintenance, `waitCause`), to a request a
 * consumer needs (the channel mapper's user look-up, the view classifier's audits). The message is
 * retried when Zendesk allows: the consumer wiring sets its visibility to `retryAfterSeconds`
 * before reporting it failed (lambdas/runtime.ts), so the integration's FIFO group resumes then,
 * neither at once (a retry storm that burns the message's receives into its dead-letter queue) nor
 * after a whole visibility timeout.
 */
export class ZendeskRateLimitedError extends Error {
  override readonly name: string = 'ZendeskRateLimitedError';
  constructor(
    readonly retryAfterSeconds: number,
    what: string,
    /** Zendesk's rate limit, or its maintenance (a 503 with Retry-After), which it is waited out as. */
    readonly waitCause: WaitCause = 'rate_limit',
  ) {
    super(
      waitCause === 'maintenance'
        ? `${what} was refused by Zendesk under maintenance (503 with Retry-After); retry after ${retryAfterSeconds} s`
        : `${what} was rate-limited by Zendesk; retry after ${retryAfterSeconds} s`,
    );
  }
}
