import { ZendeskExportStuckError } from './errors.js';

/**
 * Where an export resumes. The pipeline stores it after handing a page on and passes it back for
 * the next page.
 *
 * Time-based exports (ticket events, Talk calls) resume from `startTime`, and Zendesk returns the
 * boundary second again on the next page. `seen` lists, per second, the ids already delivered at
 * or after the position, so the next page drops them: events sharing a timestamp across a page
 * boundary are neither lost (the second is asked for again) nor duplicated (their ids are known),
 * even across separate calls, processes or days. At the head of the stream the position is moved
 * back to now − 5 minutes so late-indexed events are read again; `seen` then holds the ids of that
 * window (bounded by the account's events in 5 minutes plus one boundary second).
 *
 * Cursor exports (tickets, users) resume from Zendesk's opaque `after_cursor`.
 */
export interface TimePosition {
  /** Epoch seconds. */
  readonly startTime: number;
  /** Ids already delivered, by the second (as a string key) they were delivered at. */
  readonly seen?: Readonly<Record<string, readonly number[]>>;
}
export interface CursorPosition {
  readonly cursor: string;
}
export type ExportPosition = TimePosition | CursorPosition;

/** Zendesk refuses a `start_time` within the last minute ("Data isn't provided for the most recent minute"). */
export const START_TIME_MIN_AGE_SECONDS = 60;
/** A stored time position is never later than this before now (DESIGN "Export hygiene"). */
export const POSITION_MIN_AGE_SECONDS = 300;

export const isTimePosition = (p: ExportPosition): p is TimePosition => 'startTime' in p;

/** Rejects a malformed position with a message naming the field; positions come from storage. */
export const checkPosition = (p: ExportPosition): void => {
  if (isTimePosition(p)) {
    if (!Number.isInteger(p.startTime) || p.startTime < 0) {
      throw new Error(
        `position.startTime must be a non-negative integer of epoch seconds, got ${String(p.startTime)}`,
      );
    }
    for (const [second, ids] of Object.entries(p.seen ?? {})) {
      if (!/^\d+$/.test(second) || !Array.isArray(ids) || !ids.every((i) => Number.isInteger(i))) {
        throw new Error(`position.seen.${second} must map an epoch second to a list of integer ids`);
      }
    }
  } else if (typeof p.cursor !== 'string' || p.cursor === '') {
    throw new Error('position.cursor must be a non-empty string');
  }
};

/** The `start_time` to send: the position, but never within Zendesk's last minute. */
export const requestStartTime = (from: TimePosition, nowSeconds: number): number =>
  Math.max(0, Math.min(from.startTime, nowSeconds - START_TIME_MIN_AGE_SECONDS));

export interface TimedItem {
  readonly id: number;
  /** The export-ordering second of the item (ticket event `timestamp`, call `updated_at`). */
  readonly second: number;
}

export interface TimePageStep {
  /** Indexes of the items that were not delivered before (first occurrence only). */
  readonly fresh: number[];
  readonly next: TimePosition;
  readonly endOfStream: boolean;
}

/**
 * Works out which items of a time-based page are new and where the export resumes.
 * `endTime` is Zendesk's `end_time` (the latest second in the page) when it sends one.
 */
export const advanceTimePosition = (args: {
  readonly endpoint: string;
  readonly from: TimePosition;
  readonly requestStart: number;
  readonly items: readonly TimedItem[];
  readonly endTime: number | null | undefined;
  /**
   * Zendesk's `end_of_stream`, or `when_nothing_fresh` for Talk, whose exports have no such flag
   * and always return the boundary items again: the stream ends when a page brings nothing new.
   */
  readonly endOfStream: boolean | 'when_nothing_fresh';
  readonly nowSeconds: number;
}): TimePageStep => {
  const { from, requestStart, items, nowSeconds } = args;
  const seen = new Map<number, Set<number>>();
  for (const [second, ids] of Object.entries(from.seen ?? {})) seen.set(Number(second), new Set(ids));
  const fresh: number[] = [];
  items.forEach((item, index) => {
    const ids = seen.get(item.second) ?? new Set<number>();
    seen.set(item.second, ids);
    if (ids.has(item.id)) return;
    ids.add(item.id);
    fresh.push(index);
  });

  const endOfStream = args.endOfStream === 'when_nothing_fresh' ? fresh.length === 0 : args.endOfStream;
  const latest = items.reduce((max, item) => Math.max(max, item.second), requestStart);
  const endTime = args.endTime ?? latest;
  if (args.endOfStream === false && endTime <= requestStart && items.length > 0) {
    throw new ZendeskExportStuckError(args.endpoint, requestStart, items.length);
  }
  const headLimit = Math.max(0, nowSeconds - POSITION_MIN_AGE_SECONDS);
  // Mid-stream the next page starts at the boundary second; at the head, no later than now − 5 min.
  const startTime = endOfStream ? Math.min(endTime, headLimit) : endTime;
  const keepFrom = Math.min(startTime, headLimit);
  const kept = [...seen.entries()]
    .filter(([second, ids]) => second >= keepFrom && ids.size > 0)
    .sort(([a], [b]) => a - b)
    .map(([second, ids]) => [String(second), [...ids].sort((a, b) => a - b)] as const);
  const next = kept.length > 0 ? { startTime, seen: Object.fromEntries(kept) } : { startTime };
  return { fresh, next, endOfStream };
};
