/**
 * A queue's history as a planner reads it: every interval of a period, the ones without contacts
 * as zeros (a WFM tool reads a missing interval as "no data", not as "nothing happened"), and
 * optionally summed to hours, days or weeks of a time zone. A sum's counts add up (offered,
 * handled, handle time, reopens); the backlog does not: it is a level, the tickets waiting at the
 * row's end, carried through quiet intervals. Pure: the published intervals and backlog steps in,
 * rows out.
 */
import { localTime, mondayOf, offsetText } from './time-zones.js';

/** A published interval (UTC start); handled and handle time only for Talk queues. */
export interface HistoryInterval {
  readonly start: string;
  readonly contacts: number;
  readonly handled?: number;
  readonly handleTimeSeconds?: number;
  /** Support only: of the contacts, reopens; absent on an interval recorded before them. */
  readonly support?: { readonly reopens: number };
}

/** A Support queue's backlog at the end of one interval (UTC start). */
export interface BacklogStep {
  readonly start: string;
  readonly backlog: number;
}

export interface HistoryQueue {
  /** The queue's stable id (`support:<viewId>:<channel>`, `talk:…`), which its name may not be. */
  readonly id?: string;
  readonly name: string;
  readonly channel: string;
  readonly source: 'support' | 'talk';
  readonly viewId?: number;
  readonly intervals: readonly HistoryInterval[];
  /**
   * Support only: the backlog at the end of every stored interval that has Support's figures, with
   * contacts or without (a ticket solved in a quiet interval leaves the backlog there), in time
   * order and from the history's start (not only the period's). Absent when the queue's history
   * was recorded before the backlog was: its reopens and backlog are then not known.
   */
  readonly backlogSteps?: readonly BacklogStep[];
}

/** What a row sums: the integration's own interval, or an hour, day or week of the time zone. */
export const PERS = ['interval', 'hour', 'day', 'week'] as const;
export type Per = (typeof PERS)[number];

export interface SeriesOptions {
  /**
   * The period: the intervals that start in [`fromMs`, `toMs`). An interval belongs to the period
   * its start falls in, as to its hour, day or week: one that starts before `toMs` and ends after
   * it is in (with a zone whose offset is not a whole number of intervals, as Asia/Kolkata's +05:30
   * with 60 minutes, the interval across local midnight ends after the day's end), so the periods
   * of consecutive days hold every interval once.
   */
  readonly fromMs: number;
  readonly toMs: number;
  readonly intervalMinutes: number;
  readonly per: Per;
  /** IANA name: where hours, days and weeks begin. */
  readonly timeZone: string;
}

export interface SeriesRow {
  /** The first instant the row covers (its first interval's start). */
  readonly startMs: number;
  /** Minutes of the period the row covers: a day with a daylight-saving change has 1380 or 1500. */
  readonly minutes: number;
  readonly offered: number;
  /** Talk only. */
  readonly handled?: number;
  readonly handleTimeSeconds?: number;
  /** Handle time over handled (never an average of averages); absent when nothing was handled. */
  readonly ahtSeconds?: number;
  /**
   * Support only: of offered, the reopens; absent when the queue's history has no backlog steps,
   * or an interval of the row with contacts was recorded before reopens were.
   */
  readonly reopens?: number;
  /**
   * Support only: tickets in the queue's backlog at the row's end (its last interval's end; the
   * period's end for the total). A quiet interval carries the backlog before it on: the tickets
   * are still there. Absent when the queue's history has no backlog steps.
   */
  readonly backlog?: number;
}

export interface QueueSeries {
  readonly queue: Omit<HistoryQueue, 'intervals' | 'backlogSteps'>;
  readonly rows: readonly SeriesRow[];
  readonly total: SeriesRow;
}

/** The starts (epoch ms) of every interval of the period (starting in [from, to)), in time order. */
export const intervalStarts = (o: Pick<SeriesOptions, 'fromMs' | 'toMs' | 'intervalMinutes'>): number[] => {
  const step = o.intervalMinutes * 60_000;
  const starts: number[] = [];
  for (let t = Math.ceil(o.fromMs / step) * step; t < o.toMs; t += step) starts.push(t);
  return starts;
};

/**
 * The bucket an interval falls in, by its start: its own, the wall-clock hour (with the offset, so
 * the hour a clock goes back is two hours, not one of two), the calendar day, or the week from
 * Monday, in the time zone.
 */
export const bucketOf = (startMs: number, per: Per, timeZone: string): string => {
  if (per === 'interval') return String(startMs);
  const t = localTime(startMs, timeZone);
  if (per === 'hour') return `${t.date}T${t.hour}${offsetText(t.offsetMinutes)}`;
  return per === 'day' ? t.date : mondayOf(t.date);
};

interface Sum {
  startMs: number;
  minutes: number;
  offered: number;
  handled: number;
  handleTimeSeconds: number;
  reopens: number;
  /** An interval of the sum had contacts but no reopens recorded. */
  reopensUnknown: boolean;
  /** The backlog at the end of the sum's last interval so far. */
  backlog: number;
}

const emptySum = (startMs: number, backlog: number): Sum => ({
  startMs,
  minutes: 0,
  offered: 0,
  handled: 0,
  handleTimeSeconds: 0,
  reopens: 0,
  reopensUnknown: false,
  backlog,
});

const rowOf = (s: Sum, kind: 'talk' | 'support' | 'support-unrecorded'): SeriesRow => ({
  startMs: s.startMs,
  minutes: s.minutes,
  offered: s.offered,
  ...(kind === 'talk'
    ? {
        handled: s.handled,
        handleTimeSeconds: s.handleTimeSeconds,
        ...(s.handled > 0 ? { ahtSeconds: s.handleTimeSeconds / s.handled } : {}),
      }
    : {}),
  ...(kind === 'support' ? { ...(s.reopensUnknown ? {} : { reopens: s.reopens }), backlog: s.backlog } : {}),
});

/**
 * The backlog at the end of each interval, walking the intervals in time order: the level of the
 * latest step at or before it (a step before the period counts: the backlog persists), 0 before
 * the first.
 */
const backlogWalker = (steps: readonly BacklogStep[]) => {
  const sorted = steps.map((s) => ({ startMs: Date.parse(s.start), backlog: s.backlog }));
  sorted.sort((a, b) => a.startMs - b.startMs);
  let next = 0;
  let level = 0;
  return (intervalStartMs: number): number => {
    for (; next < sorted.length && sorted[next]!.startMs <= intervalStartMs; next++)
      level = sorted[next]!.backlog;
    return level;
  };
};

export const queueSeries = (queue: HistoryQueue, options: SeriesOptions): QueueSeries => {
  const byStart = new Map(queue.intervals.map((i) => [Date.parse(i.start), i]));
  const backlogAt = backlogWalker(queue.backlogSteps ?? []);
  const sums: Sum[] = [];
  let bucket: string | undefined;
  // Before any interval of the period, the total's backlog is the one the period starts with.
  const total = emptySum(NaN, backlogAt(options.fromMs - 1));
  for (const startMs of intervalStarts(options)) {
    const key = bucketOf(startMs, options.per, options.timeZone);
    if (key !== bucket || sums.length === 0) {
      sums.push(emptySum(startMs, 0));
      bucket = key;
    }
    const interval = byStart.get(startMs);
    const backlog = backlogAt(startMs);
    for (const s of [sums[sums.length - 1] as Sum, total]) {
      if (Number.isNaN(s.startMs)) s.startMs = startMs;
      s.minutes += options.intervalMinutes;
      s.offered += interval?.contacts ?? 0;
      s.handled += interval?.handled ?? 0;
      s.handleTimeSeconds += interval?.handleTimeSeconds ?? 0;
      s.reopens += interval?.support?.reopens ?? 0;
      if (interval !== undefined && interval.contacts > 0 && interval.support === undefined)
        s.reopensUnknown = true;
      s.backlog = backlog;
    }
  }
  const kind =
    queue.source === 'talk' ? 'talk' : queue.backlogSteps !== undefined ? 'support' : 'support-unrecorded';
  const { intervals: _intervals, backlogSteps: _steps, ...described } = queue;
  return {
    queue: described,
    rows: sums.map((s) => rowOf(s, kind)),
    total: rowOf({ ...total, startMs: Number.isNaN(total.startMs) ? options.fromMs : total.startMs }, kind),
  };
};
