/**
 * Zendesk's rate limits on the sandbox clock: a rolling per-minute budget for the account, a
 * tighter one for the incremental exports (the user cursor export and Talk exports with their own
 * buckets), and an optional per-second budget for tests. Every response carries the headers in
 * each spelling Zendesk has been seen to use.
 */
import type { SandboxClock } from './clock.js';

export interface RateLimitOptions {
  incrementalPerMinute?: number;
  accountPerMinute?: number;
  perSecond?: number;
}

interface Bucket {
  readonly name: string;
  readonly limit: number;
  readonly windowMs: number;
  readonly hits: number[];
}

export interface RateDecision {
  readonly allowed: boolean;
  readonly retryAfterSeconds: number;
  readonly headers: Record<string, string>;
  readonly description: string;
}

const INCREMENTAL = /^\/api\/v2\/incremental\//;
const USERS_CURSOR = /^\/api\/v2\/incremental\/users\/cursor(\.json)?$/;
const TALK = /^\/api\/v2\/channels\/voice\/stats\/incremental\//;

const positive = (name: string, v: number | undefined, fallback: number) => {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v < 1)
    throw new Error(`rateLimit.${name} must be a positive integer, got ${v}`);
  return v;
};

export class RateLimiter {
  private readonly account: Bucket;
  private readonly incremental: Bucket;
  private readonly usersCursor: Bucket;
  private readonly talk: Bucket;
  private readonly second: Bucket | null;

  constructor(
    private readonly clock: SandboxClock,
    options: RateLimitOptions | false,
  ) {
    this.enforced = options !== false;
    const o = options || {};
    const incremental = positive('incrementalPerMinute', o.incrementalPerMinute, 10);
    const bucket = (name: string, limit: number, windowMs = 60_000): Bucket => ({
      name,
      limit,
      windowMs,
      hits: [],
    });
    this.account = bucket('account', positive('accountPerMinute', o.accountPerMinute, 700));
    this.incremental = bucket('incremental-exports', incremental);
    this.usersCursor = bucket('incremental-exports-cursor', incremental * 2);
    this.talk = bucket('talk-incremental-exports', incremental);
    this.second =
      o.perSecond === undefined ? null : bucket('per-second', positive('perSecond', o.perSecond, 1), 1_000);
  }

  private readonly enforced: boolean;

  private endpointBucket(path: string): Bucket | null {
    if (USERS_CURSOR.test(path)) return this.usersCursor;
    if (INCREMENTAL.test(path)) return this.incremental;
    if (TALK.test(path)) return this.talk;
    return null;
  }

  private prune(b: Bucket, now: number) {
    while (b.hits.length > 0 && b.hits[0]! <= now - b.windowMs) b.hits.shift();
  }

  private resets(b: Bucket, now: number): number {
    return b.hits.length === 0
      ? Math.ceil(b.windowMs / 1000)
      : Math.max(1, Math.ceil((b.hits[0]! + b.windowMs - now) / 1000));
  }

  /** Counts a request against its buckets, or refuses it when one is spent. */
  take(path: string): RateDecision {
    // Limits off: no budget to announce either, or a client that honours the headers throttles itself.
    if (!this.enforced) return { allowed: true, retryAfterSeconds: 0, headers: {}, description: '' };
    const now = this.clock.nowMs();
    const endpoint = this.endpointBucket(path);
    const buckets = [this.account, endpoint, this.second].filter((b): b is Bucket => b !== null);
    for (const b of buckets) this.prune(b, now);
    const spent = buckets.find((b) => b.hits.length >= b.limit);
    if (!spent) for (const b of buckets) b.hits.push(now);
    const remaining = (b: Bucket) => Math.max(0, b.limit - b.hits.length);
    const headers: Record<string, string> = {
      'X-Rate-Limit': String(this.account.limit),
      'X-Rate-Limit-Remaining': String(remaining(this.account)),
      'ratelimit-limit': String(this.account.limit),
      'ratelimit-remaining': String(remaining(this.account)),
      'ratelimit-reset': String(this.resets(this.account, now)),
      'rate-limit': String(this.account.limit),
      'rate-limit-remaining': String(remaining(this.account)),
      'rate-limit-reset': String(this.resets(this.account, now)),
    };
    if (endpoint) {
      const name = endpoint === this.usersCursor ? 'incremental-exports-cursor' : 'incremental-exports';
      headers[`Zendesk-RateLimit-${name}`] =
        `total=${endpoint.limit}; remaining=${remaining(endpoint)}; resets=${this.resets(endpoint, now)}`;
    }
    if (!spent) return { allowed: true, retryAfterSeconds: 0, headers, description: '' };
    const retryAfterSeconds = this.resets(spent, now);
    return {
      allowed: false,
      retryAfterSeconds,
      headers: { ...headers, 'Retry-After': String(retryAfterSeconds) },
      description:
        spent === this.account || spent === this.second
          ? 'Number of allowed API requests per minute exceeded'
          : 'Number of allowed incremental export API requests per minute exceeded',
    };
  }
}
