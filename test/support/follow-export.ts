/**
 * Follows one of the client's exports from a position to its end, yielding each page with the
 * position to store after it. For tests only: the pipeline fetches one page per job and stores the
 * position between jobs.
 */
import type { PageOutcome } from '../../shared/zendesk/client.js';
import type { ExportPosition } from '../../shared/zendesk/positions.js';

export type ExportPage<T> = Extract<PageOutcome<T>, { kind: 'page' }>;

/** One page of one export from a position, e.g. `(from) => client.ticketEvents(from)`. */
export type ReadPage<T> = (from: ExportPosition) => Promise<PageOutcome<T>>;

export interface FollowOptions {
  /**
   * What "retry after N seconds" does, e.g. move a sandbox clock on. Without it a rate limit fails
   * the test: no test waits in real time.
   */
  readonly onRateLimited?: (retryAfterSeconds: number) => Promise<void>;
  /** Stop after this many pages even if the export has not ended. */
  readonly maxPages?: number;
}

const failOnRateLimit = (retryAfterSeconds: number): Promise<void> =>
  Promise.reject(new Error(`rate limited (retry after ${retryAfterSeconds} s) and no onRateLimited given`));

export async function* followExport<T>(
  read: ReadPage<T>,
  from: ExportPosition,
  options: FollowOptions = {},
): AsyncGenerator<ExportPage<T>> {
  const onRateLimited = options.onRateLimited ?? failOnRateLimit;
  let position = from;
  for (let pages = 0; pages < (options.maxPages ?? Number.POSITIVE_INFINITY);) {
    const outcome = await read(position);
    if (outcome.kind === 'rate_limited') {
      await onRateLimited(outcome.retryAfterSeconds);
      continue;
    }
    pages += 1;
    yield outcome;
    position = outcome.next;
    if (outcome.endOfStream) return;
  }
}
