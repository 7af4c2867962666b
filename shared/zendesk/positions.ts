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
 *
 * `stalls` counts the pages in a row that were not the end of the stream yet did not move the
 * position (an empty non-final page, an unchanged cursor, a page all in its start second). It
 * travels with the stored position, so the bound holds across retries, processes and Lambdas: the
 * page is asked for again at most `MAX_STALLED_PAGES` times, then the export fails loudly.
 */
import { ZendeskExportStuckError } from './errors.js';

/**
 * Zendesk's incremental exports provide no data for the most recent minute ("Data isn't provided
 * for the most recent minute"): an update is read, at the earliest, this long after it happened.
 */
export const EXPORT_LAG_SECONDS = 60;

export interface TimePosition {
  /** Epoch seconds. */
  readonly startTime: number;
  /** Ids already delivered, by the second (as a string key) they were delivered at. */
  readonly seen?: Readonly<Record<string, readonly number[]>>;
  readonly stalls?: number;
  /**
   * Set by the pipeline on the ticket events' position (the client neither reads nor writes it):
   * epoch seconds before which every event has been delivered. `startTime` is pulled back at the
   * head of the stream for late-indexed events, so it understates how far the export was read.
   */
  readonly readThrough?: number;
}
export interface CursorPosition {
  readonly cursor: string;
  readonly stalls?: number;
}
export type ExportPosition = TimePosition | CursorPosition;

/** Zendesk refuses a `start_time` within the last minute ("Data isn't provided for the most recent minute"). */
export const START_TIME_MIN_AGE_SECONDS = 60;
/** A stored time position is never later than this before now (DESIGN "Export hygiene"). */
export const POSITION_MIN_AGE_SECONDS = 300;

/** Pages that do not move the position are asked for again this many times, then the export fails. */
export const MAX_STALLED_PAGES = 3;

export const isTimePosition = (p: ExportPosition): p is TimePosition => 'startTime' in p;

export const describePosition = (p: ExportPosition): string =>
  isTimePosition(p)
    ? `start_time ${p.startTime} (${new Date(p.startTime * 1000).toISOString()})`
    : `cursor ${p.cursor}`;

/** `next` with one more stall counted after `from`; past the bound, the export fails loudly. */
const stalled = <P extends ExportPosition>(
  endpoint: string,
  from: ExportPosition,
  next: P,
  reason: string,
): P => {
  const stalls = (from.stalls ?? 0) + 1;
  if (stalls > MAX_STALLED_PAGES)
    throw new ZendeskExportStuckError(endpoint, describePosition(from), stalls, reason);
  return { ...next, stalls };
};

/**
 * Where a cursor export resumes. Zendesk sends `after_cursor` on every page, the last one
 * included; a page that is not the end yet brings no new cursor would be asked for forever.
 */
export const advanceCursorPosition = (args: {
  readonly endpoint: string;
  readonly from: ExportPosition;
  readonly afterCursor: string | null | undefined;
  readonly endOfStream: boolean;
}): ExportPosition => {
  const { endpoint, from, afterCursor, endOfStream } = args;
  const moved = !!afterCursor && (isTimePosition(from) || from.cursor !== afterCursor);
  if (moved) return { cursor: afterCursor };
  const { stalls: _stalls, ...same } = from;
  if (endOfStream) return same;
  return stalled(
    endpoint,
    from,
    same,
    afterCursor
      ? 'the same after_cursor again, not the end of the stream'
      : 'no after_cursor, not the end of the stream',
  );
};

/** Rejects a malformed position with a message naming the field; positions come from storage. */
export const checkPosition = (p: ExportPosition): void => {
  if (p.stalls !== undefined && (!Number.isInteger(p.stalls) || p.stalls < 0)) {
    throw new Error(`position.stalls must be a non-negative integer, got ${String(p.stalls)}`);
  }
  if (isTimePosition(p)) {
    if (!Number.isInteger(p.startTime) || p.startTime < 0) {
      throw new Error(
        `position.startTime must be a non-negative integer of epoch seconds, got ${String(p.startTime)}`,
      );
    }
    if (p.readThrough !== undefined && (!Number.isInteger(p.readThrough) || p.readThrough < 0)) {
      throw new Error(
        `position.readThrough must be a non-negative integer of epoch seconds, got ${String(p.readThrough)}`,
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
 *
 * Zendesk documents `end_time` as "the most recent time present in the result set" and says to
 * "use [it] as the start_time to fetch the next page" (Incremental Exports API reference,
 * developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports, "end_time";
 * the Talk export's `next_page` carries "start_time … that matches the end_time of the previous
 * response"). By that definition `end_time` is the second of the page's last record, so the next
 * page starts there (its ids are in `seen`). Zendesk also never splits a second across pages ("the
 * system may exceed the 1000-item default return limit if items share the same timestamp", same
 * page), and when a page is all one second it answers `end_time` = that second + 1 (recorded in
 * zenpy's test cassettes): starting one second after the last record loses nothing. An `end_time`
 * later than that contradicts the definition: the records in between were never delivered, so the
 * next page starts where the data ends, never at `end_time`. An earlier `end_time` only re-reads
 * seconds whose ids are known.
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
  const dataEnd = items.length > 0 ? items.reduce((max, item) => Math.max(max, item.second), 0) : undefined;
  const headLimit = Math.max(0, nowSeconds - POSITION_MIN_AGE_SECONDS);
  let startTime: number;
  if (endOfStream) {
    // Everything up to now has been returned: resume at the end, but no later than now − 5 min
    // (late-indexed events are read again; their ids are known).
    const end =
      dataEnd !== undefined
        ? Math.min(args.endTime ?? dataEnd, dataEnd + 1)
        : (args.endTime ?? from.startTime);
    startTime = Math.min(Math.max(end, requestStart), headLimit);
  } else {
    // Mid-stream the next page starts at the boundary second, never before the page's own start.
    // A non-final page without records says nothing about where the data ends: no move.
    startTime =
      dataEnd !== undefined
        ? Math.max(from.startTime, Math.min(args.endTime ?? dataEnd, dataEnd + 1))
        : from.startTime;
  }
  const keepFrom = Math.min(startTime, headLimit);
  const kept = [...seen.entries()]
    .filter(([second, ids]) => second >= keepFrom && ids.size > 0)
    .sort(([a], [b]) => a - b)
    .map(([second, ids]) => [String(second), [...ids].sort((a, b) => a - b)] as const);
  const moved: TimePosition = kept.length > 0 ? { startTime, seen: Object.fromEntries(kept) } : { startTime };
  // A page that delivered new records moved the position too (its ids are now known).
  if (endOfStream || startTime > from.startTime || fresh.length > 0)
    return { fresh, next: moved, endOfStream };
  // The position is later than a minute before our clock (a clock set back, or behind Zendesk's),
  // so the request started earlier and only re-read known records: nothing more can be asked for
  // yet. That is the head of the stream for now, not a stuck export.
  if (requestStart < from.startTime) return { fresh, next: from, endOfStream: true };
  const reason =
    items.length === 0
      ? 'an empty page that is not the end of the stream'
      : `${items.length} items up to second ${dataEnd}, not the end of the stream`;
  return { fresh, next: stalled(args.endpoint, from, moved, reason), endOfStream };
};
