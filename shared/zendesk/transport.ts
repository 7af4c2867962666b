import type { Redactor } from './redact.js';
import { retryAfterSeconds, type RateBucket, type RequestBudget, type WaitCause } from './rate-limit.js';
import { ZendeskOutOfTimeError, ZendeskPayloadError, ZendeskTransientError } from './errors.js';

export interface ZendeskLogger {
  debug(msg: string, extra?: object): void;
  warn(msg: string, extra?: object): void;
}

export const silentLogger: ZendeskLogger = { debug: () => undefined, warn: () => undefined };

export interface TransportOptions {
  readonly userAgent: string;
  readonly timeoutMs: number;
  /** Largest response body read, in bytes (decoded); a larger one is refused while it streams in. */
  readonly maxResponseBytes: number;
  /** Retries after the first attempt for 5xx, timeouts and connection failures. */
  readonly maxRetries: number;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly budget: RequestBudget;
  readonly clock: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly logger: ZendeskLogger;
  readonly redactor: Redactor;
  readonly fetchImpl: typeof fetch;
  /**
   * Milliseconds the caller can still wait for an answer (a Lambda's remaining time less what its
   * use case needs afterwards); no attempt starts with less than `MIN_ATTEMPT_MS` of it, and none
   * waits past it. Without it there is no limit but the attempts' own timeout.
   */
  readonly timeLeftMs?: () => number;
}

/** Less time than this for an attempt, and it is not sent: it would most likely be cut off unanswered. */
export const MIN_ATTEMPT_MS = 5_000;

export interface OutgoingRequest {
  /** The endpoint path used in errors and logs (no host, no query). */
  readonly endpoint: string;
  readonly url: URL;
  readonly method?: 'GET' | 'POST';
  /** Evaluated per attempt, so a retry after a long backoff carries a fresh access token. */
  readonly headers: () => Promise<Record<string, string>>;
  readonly body?: string;
  /** The rate-limit bucket the request counts against; the account bucket is always checked. */
  readonly bucket: RateBucket;
  /**
   * Sent only with the attempts' whole timeout left, and never cut short by the time left: a
   * refresh-token grant, in which Zendesk may rotate the token, so an answer not read loses the
   * only valid one.
   */
  readonly fullTimeout?: boolean;
  /** On 504 retry with half the `per_page` (Zendesk's advice for a timed-out export page). */
  readonly shrinkPageOn504?: boolean;
}

export type Sent =
  | {
      readonly kind: 'response';
      readonly status: number;
      readonly headers: Headers;
      readonly text: string;
      /** The URL of the attempt that answered (its `per_page` may have shrunk). */
      readonly url: URL;
      readonly attempts: number;
    }
  | { readonly kind: 'rate_limited'; readonly retryAfterSeconds: number; readonly cause: WaitCause };

const MIN_PAGE_ON_504 = 100;

/**
 * Whether Zendesk asks for nothing until a time has passed: a 429, and a 503 that says when to come
 * back (`Retry-After`: Zendesk's maintenance, which its own Ruby client waits out like a rate limit).
 * A 503 that does not say when is an outage like any 5xx: retried a few times, then the work's own.
 */
const asksToWait = (status: number, headers: Headers): boolean =>
  status === 429 || (status === 503 && headers.has('retry-after'));

/**
 * One HTTP exchange with Zendesk: timeouts, bounded retries with full-jitter exponential backoff
 * for 5xx / timeouts / resets, and the rate-limit budget. 429 (and a 503 with Retry-After) and 4xx
 * are answers, not failures: they go back to the caller. Never sleeps for a rate limit.
 */
/**
 * Answers below 500 that say "try again" rather than "never": 408 (the request timed out at
 * Zendesk's edge) and 409 (a conflict with a concurrent change; Zendesk's requests reference and
 * the Singer connector retry it). A GET is retried on them like a server error, within the same
 * bound; a POST is not (a token request may have rotated the refresh token it sent). The rest of
 * the 4xx answers are final.
 */
const RETRIED_CLIENT_STATUSES: ReadonlySet<number> = new Set([408, 409]);

export class Transport {
  constructor(private readonly options: TransportOptions) {}

  async send(request: OutgoingRequest): Promise<Sent> {
    const { maxRetries, budget, clock, logger } = this.options;
    let url = new URL(request.url);
    let lastFailure = '';
    let answered = false;
    for (let attempt = 0; attempt <= maxRetries; attempt += 1) {
      const least = request.fullTimeout ? this.options.timeoutMs : MIN_ATTEMPT_MS;
      if (attempt > 0) {
        const backoff = this.backoffMs(attempt);
        if (!(this.timeLeft() - backoff >= least))
          throw this.outOfTime(request, attempt, lastFailure, answered);
        await this.options.sleep(backoff);
      }
      if (!(this.timeLeft() >= least)) throw this.outOfTime(request, attempt, lastFailure, answered);
      const wait = budget.tryAcquire(request.bucket, clock());
      if (wait > 0) {
        logger.debug('zendesk request deferred by the rate-limit budget', {
          endpoint: request.endpoint,
          retryAfterSeconds: wait,
        });
        return {
          kind: 'rate_limited',
          retryAfterSeconds: wait,
          cause: budget.waitCause(request.bucket, clock()),
        };
      }
      // Outside the attempt: a failure to authenticate (a refused or unstorable token) is not a
      // network failure. A token renewal in it takes time of its own, so what is left is read after.
      const headers = await request.headers();
      const left = this.timeLeft();
      if (!(left >= least)) throw this.outOfTime(request, attempt, lastFailure, answered);
      const outcome = await this.attempt(
        request,
        url,
        headers,
        Math.floor(Math.min(this.options.timeoutMs, left)),
      );
      if (outcome.kind === 'too_large') {
        throw new ZendeskPayloadError(
          request.endpoint,
          null,
          '(body)',
          `the response is larger than ${this.options.maxResponseBytes} bytes (maxResponseBytes); it was not read`,
        );
      }
      if (outcome.kind === 'failed') {
        lastFailure = outcome.failure;
        answered = false;
      } else {
        budget.observe(request.bucket, outcome.headers, clock());
        if (asksToWait(outcome.status, outcome.headers)) {
          const retryAfter = retryAfterSeconds(outcome.headers, clock());
          const cause: WaitCause = outcome.status === 429 ? 'rate_limit' : 'maintenance';
          budget.refused(request.bucket, retryAfter, clock(), cause);
          logger.warn(
            outcome.status === 429
              ? 'zendesk rate limit (429)'
              : 'zendesk unavailable (503) with Retry-After: waited out as a rate limit',
            { endpoint: request.endpoint, retryAfterSeconds: retryAfter },
          );
          return { kind: 'rate_limited', retryAfterSeconds: retryAfter, cause };
        }
        const tryAgain = RETRIED_CLIENT_STATUSES.has(outcome.status) && (request.method ?? 'GET') === 'GET';
        if (outcome.status < 500 && !tryAgain) {
          return {
            kind: 'response',
            status: outcome.status,
            headers: outcome.headers,
            text: outcome.text,
            url,
            attempts: attempt + 1,
          };
        }
        lastFailure = `status ${outcome.status}`;
        answered = true;
        if (outcome.status === 504 && request.shrinkPageOn504) url = halvePerPage(url);
      }
      logger.warn('zendesk request failed, will retry if attempts remain', {
        endpoint: request.endpoint,
        attempt: attempt + 1,
        failure: lastFailure,
      });
    }
    throw new ZendeskTransientError(request.endpoint, maxRetries + 1, lastFailure, answered);
  }

  private timeLeft(): number {
    return this.options.timeLeftMs?.() ?? Number.POSITIVE_INFINITY;
  }

  /** The request given up for want of time: transient, so the work comes again in a later invocation. */
  private outOfTime(request: OutgoingRequest, attempts: number, lastFailure: string, answered: boolean) {
    const why = `too little of the invocation's time left for ${attempts === 0 ? 'an attempt' : 'another attempt'}`;
    return new ZendeskOutOfTimeError(
      request.endpoint,
      attempts,
      lastFailure === '' ? why : `${lastFailure}; ${why}`,
      answered,
    );
  }

  private async attempt(
    request: OutgoingRequest,
    url: URL,
    requestHeaders: Record<string, string>,
    timeoutMs: number,
  ): Promise<
    | { kind: 'answered'; status: number; headers: Headers; text: string }
    | { kind: 'failed'; failure: string }
    | { kind: 'too_large' }
  > {
    const { fetchImpl, redactor, userAgent, maxResponseBytes } = this.options;
    const headers = { 'user-agent': userAgent, accept: 'application/json', ...requestHeaders };
    try {
      const response = await fetchImpl(url, {
        method: request.method ?? 'GET',
        headers,
        body: request.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      // Reading the body is part of the attempt: a reset mid-body is as transient as one before it.
      const text = await readAtMost(response, maxResponseBytes);
      if (text === undefined) return { kind: 'too_large' };
      return { kind: 'answered', status: response.status, headers: response.headers, text };
    } catch (error) {
      return { kind: 'failed', failure: redactor.redactForeign(describeNetworkFailure(error, timeoutMs)) };
    }
  }

  private backoffMs(attempt: number): number {
    const { retryBaseDelayMs, retryMaxDelayMs, random } = this.options;
    const ceiling = Math.min(retryMaxDelayMs, retryBaseDelayMs * 2 ** (attempt - 1));
    return Math.round(random() * ceiling);
  }
}

/**
 * The body as text, or undefined when it is larger than `limit` bytes: refused from its declared
 * length when there is one, otherwise as soon as the bytes read pass the limit (the stream is
 * cancelled, so a huge or endless body never sits in memory; decoded bytes count, so a
 * compressed bomb is caught too).
 */
const readAtMost = async (response: Response, limit: number): Promise<string | undefined> => {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (!response.body) return '';
  if (Number.isFinite(declared) && declared > limit && !response.headers.has('content-encoding')) {
    await response.body.cancel();
    return undefined;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
};

const halvePerPage = (url: URL): URL => {
  const next = new URL(url);
  const current = Number(next.searchParams.get('per_page') ?? 1000);
  next.searchParams.set('per_page', String(Math.max(MIN_PAGE_ON_504, Math.floor(current / 2))));
  return next;
};

// Duck-typed: fetch's errors (DOMException, undici errors) may come from another realm, where
// `instanceof Error` is false.
const field = (value: unknown, key: string): unknown =>
  value && typeof value === 'object' && key in value ? (value as Record<string, unknown>)[key] : undefined;

const describeNetworkFailure = (error: unknown, timeoutMs: number): string => {
  const name = field(error, 'name');
  if (name === 'TimeoutError' || name === 'AbortError') return `timeout after ${timeoutMs} ms`;
  const cause = field(error, 'cause');
  const code = field(cause, 'code') ?? field(error, 'code');
  if (typeof code === 'string') return code;
  const message = field(cause, 'message') ?? field(error, 'message');
  return typeof message === 'string' ? message : String(error);
};
