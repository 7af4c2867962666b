/**
 * Rate limits without sleeping: before a request the client asks its budget for a slot, and when
 * there is none it returns "retry after N seconds" so the caller can re-queue the job with that
 * delay (a Lambda must not burn compute waiting). The budget counts requests per bucket in a
 * sliding minute and also obeys what Zendesk's rate-limit headers say is left.
 */

/**
 * `incremental`: `/api/v2/incremental/*` (10/min, 30 with High Volume); `incremental_users`: the
 * users cursor export's own bucket (20/min, 60 with High Volume); `talk_incremental`: Talk's
 * incremental exports (10/min); `account`: everything (only header-driven).
 */
export type RateBucket = 'incremental' | 'incremental_users' | 'talk_incremental' | 'account';

/**
 * Why Zendesk asks for nothing until a time: its rate limit (a 429, or the budget's own count), or
 * its maintenance (a 503 with Retry-After). A parked message's reason says which.
 */
export type WaitCause = 'rate_limit' | 'maintenance';

export interface RequestBudget {
  /** Takes a slot in `bucket` (and the account bucket) and returns 0, or the seconds until one frees. */
  tryAcquire(bucket: RateBucket, nowMs: number): number;
  /** Learns from a response's rate-limit headers (a 429 included). */
  observe(bucket: RateBucket, headers: Headers, nowMs: number): void;
  /**
   * Zendesk refused a request of `bucket` for `retryAfterSeconds` (a 429's Retry-After): no request
   * of the bucket goes out before then, so concurrent requests of one client stop at the first 429
   * rather than each earning one ("the API stops processing any more requests until a certain
   * amount of time has passed", Zendesk's best practices for avoiding rate limiting).
   */
  refused(bucket: RateBucket, retryAfterSeconds: number, nowMs: number, cause?: WaitCause): void;
  /** Why `tryAcquire` makes `bucket` wait now: a maintenance refusal still running, else the rate limit. */
  waitCause(bucket: RateBucket, nowMs: number): WaitCause;
}

const MINUTE_MS = 60_000;

/** Per-minute limits of one integration, per bucket; `account` is only limited by headers. */
export type BucketLimits = Readonly<Partial<Record<RateBucket, number>>>;

export const bucketLimits = (incrementalPerMinute: number): BucketLimits => ({
  incremental: incrementalPerMinute,
  // The users cursor export has double the incremental allowance (20 vs 10, 60 vs 30).
  incremental_users: incrementalPerMinute * 2,
  talk_incremental: incrementalPerMinute,
});

/** An in-process budget: right for one client per integration, e.g. a warm Lambda or the CLI. */
export class SlidingWindowBudget implements RequestBudget {
  private readonly sent = new Map<RateBucket, number[]>();
  private readonly blockedUntil = new Map<RateBucket, number>();
  private readonly maintenanceUntil = new Map<RateBucket, number>();

  constructor(private readonly limits: BucketLimits) {}

  tryAcquire(bucket: RateBucket, nowMs: number): number {
    const waits = [this.waitMs(bucket, nowMs), this.waitMs('account', nowMs)];
    const wait = Math.max(...waits);
    if (wait > 0) return Math.max(1, Math.ceil(wait / 1000));
    this.record(bucket, nowMs);
    if (bucket !== 'account') this.record('account', nowMs);
    return 0;
  }

  observe(bucket: RateBucket, headers: Headers, nowMs: number): void {
    const endpoint = endpointLimitFromHeaders(headers);
    if (endpoint && endpoint.remaining <= 0) this.block(bucket, nowMs + endpoint.resetsSeconds * 1000);
    const account = accountLimitFromHeaders(headers);
    if (account && account.remaining <= 0) this.block('account', nowMs + account.resetsSeconds * 1000);
  }

  private waitMs(bucket: RateBucket, nowMs: number): number {
    const blocked = (this.blockedUntil.get(bucket) ?? 0) - nowMs;
    const limit = this.limits[bucket];
    let windowWait = 0;
    if (limit !== undefined) {
      const recent = this.recent(bucket, nowMs);
      if (recent.length >= limit) windowWait = recent[recent.length - limit] + MINUTE_MS - nowMs;
    }
    return Math.max(blocked, windowWait, 0);
  }

  private recent(bucket: RateBucket, nowMs: number): number[] {
    const kept = (this.sent.get(bucket) ?? []).filter((t) => t > nowMs - MINUTE_MS);
    this.sent.set(bucket, kept);
    return kept;
  }

  private record(bucket: RateBucket, nowMs: number): void {
    this.recent(bucket, nowMs).push(nowMs);
  }

  refused(
    bucket: RateBucket,
    retryAfterSeconds: number,
    nowMs: number,
    cause: WaitCause = 'rate_limit',
  ): void {
    const untilMs = nowMs + retryAfterSeconds * 1000;
    this.block(bucket, untilMs);
    if (cause === 'maintenance')
      this.maintenanceUntil.set(bucket, Math.max(untilMs, this.maintenanceUntil.get(bucket) ?? 0));
  }

  waitCause(bucket: RateBucket, nowMs: number): WaitCause {
    return (this.maintenanceUntil.get(bucket) ?? 0) > nowMs ? 'maintenance' : 'rate_limit';
  }

  private block(bucket: RateBucket, untilMs: number): void {
    this.blockedUntil.set(bucket, Math.max(untilMs, this.blockedUntil.get(bucket) ?? 0));
  }
}

export interface RemainingLimit {
  readonly remaining: number;
  readonly resetsSeconds: number;
}

const intHeader = (headers: Headers, name: string): number | undefined => {
  const raw = headers.get(name);
  if (raw === null || !/^\s*\d+\s*$/.test(raw)) return undefined;
  return Number(raw);
};

/** `Zendesk-RateLimit-<name>: total=10; remaining=0; resets=43` (any endpoint family). */
export const endpointLimitFromHeaders = (headers: Headers): RemainingLimit | undefined => {
  let tightest: RemainingLimit | undefined;
  headers.forEach((value, name) => {
    if (!name.toLowerCase().startsWith('zendesk-ratelimit-')) return;
    const parts = Object.fromEntries(
      value.split(';').map(
        (p) =>
          p
            .trim()
            .split('=')
            .map((s) => s.trim()) as [string, string],
      ),
    );
    const remaining = Number(parts.remaining);
    const resets = Number(parts.resets);
    if (!Number.isFinite(remaining) || !Number.isFinite(resets)) return;
    if (!tightest || remaining < tightest.remaining) tightest = { remaining, resetsSeconds: resets };
  });
  return tightest;
};

/** Account limit: `ratelimit-remaining`/`-reset`, `rate-limit-remaining`/`-reset` or `x-rate-limit-remaining`. */
export const accountLimitFromHeaders = (headers: Headers): RemainingLimit | undefined => {
  const remaining =
    intHeader(headers, 'ratelimit-remaining') ??
    intHeader(headers, 'rate-limit-remaining') ??
    intHeader(headers, 'x-rate-limit-remaining');
  if (remaining === undefined) return undefined;
  const reset = intHeader(headers, 'ratelimit-reset') ?? intHeader(headers, 'rate-limit-reset') ?? 60;
  return { remaining, resetsSeconds: reset };
};

/** Seconds to wait after a 429: `Retry-After` (seconds or an HTTP date), else the reset headers, else 60. */
export const retryAfterSeconds = (headers: Headers, nowMs: number): number => {
  const raw = headers.get('retry-after');
  if (raw !== null) {
    if (/^\s*\d+(\.\d+)?\s*$/.test(raw)) return Math.max(1, Math.ceil(Number(raw)));
    const at = Date.parse(raw);
    if (!Number.isNaN(at)) return Math.max(1, Math.ceil((at - nowMs) / 1000));
  }
  const endpoint = endpointLimitFromHeaders(headers);
  if (endpoint && endpoint.remaining <= 0) return Math.max(1, endpoint.resetsSeconds);
  const account = accountLimitFromHeaders(headers);
  if (account && account.remaining <= 0) return Math.max(1, account.resetsSeconds);
  return 60;
};
