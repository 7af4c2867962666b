import type { ExportPosition } from './positions.js';
import type { ExportStream, PageOutcome, StreamRecord, ZendeskClient } from './client.js';

export type ExportPage<T> = Extract<PageOutcome<T>, { kind: 'page' }>;

export interface FollowOptions {
  /**
   * What to do on "retry after N seconds": wait (the default, real time) or, in tests, advance a
   * fake clock. Never use the default in a Lambda: re-queue the job instead.
   */
  readonly onRateLimited?: (retryAfterSeconds: number) => Promise<void>;
  /** Stop after this many pages even if the stream has not ended (a guard for tools). */
  readonly maxPages?: number;
}

/**
 * Follows an export from `from` until Zendesk says the stream has ended, yielding each page with
 * the position to store after it. For the CLI and tests; the pipeline fetches one page per call.
 */
export async function* followExport<S extends ExportStream>(
  client: ZendeskClient,
  stream: S,
  from: ExportPosition,
  options: FollowOptions = {},
): AsyncGenerator<ExportPage<StreamRecord<S>>> {
  const wait =
    options.onRateLimited ?? ((s: number) => new Promise<void>((resolve) => setTimeout(resolve, s * 1000)));
  let position = from;
  for (let pages = 0; pages < (options.maxPages ?? Number.POSITIVE_INFINITY);) {
    const outcome = await client.page(stream, position);
    if (outcome.kind === 'rate_limited') {
      await wait(outcome.retryAfterSeconds);
      continue;
    }
    pages += 1;
    yield outcome;
    position = outcome.next;
    if (outcome.endOfStream) return;
  }
}
