/**
 * Zendesk answered 429 to a request a consumer needs (the channel mapper's user look-up, the view
 * classifier's audits). The message is retried when Zendesk allows: the consumer wiring sets its
 * visibility to `retryAfterSeconds` before reporting it failed (lambdas/runtime.ts), so the
 * integration's FIFO group resumes then, neither at once (a retry storm that burns the message's
 * receives into its dead-letter queue) nor after a whole visibility timeout.
 */
export class ZendeskRateLimitedError extends Error {
  override readonly name: string = 'ZendeskRateLimitedError';
  constructor(
    readonly retryAfterSeconds: number,
    what: string,
  ) {
    super(`${what} was rate-limited by Zendesk; retry after ${retryAfterSeconds} s`);
  }
}
