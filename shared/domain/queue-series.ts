/**
 * A queue's history as a planner reads it: every interval of a period, the ones without contacts
 * as zeros (a WFM tool reads a missing interval as "no data", not as "nothing happened"), and
 * optionally summed to hours, days or weeks of a time zone. Pure: the published intervals in, rows
 * out.
 */
import { localTime, mondayOf, offsetText } from './time-zones.js';

/** A published interval (UTC start); handled and handle time only for Talk queues. */
export interface HistoryInterval {
  readonly start: string;
  readonly contacts: number;
  readonly handled?: number;
  readonly handleTimeSeconds?: number;
}

export interface HistoryQueue {
  readonly name: string;
  readonly channel: string;
  readonly source: 'support' | 'talk';
  readonly viewId?: number;
  readonly intervals: readonly HistoryInterval[];
}

/** What a row sums: the integration's own interval, or an hour, day or week of the time zone. */
export const PERS = ['interval', 'hour', 'day', 'week'] as const;
export type Per = (typeof PERS)[number];

export interface SeriesOptions {
  /** The period: whole intervals starting at or after `fromMs` and ending by `toMs`. */
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
}

export interface QueueSeries {
  readonly queue: Omit<HistoryQueue, 'intervals'>;
  readonly rows: readonly SeriesRow[];
  readonly total: SeriesRow;
}

/** The starts (epoch ms) of every whole interval of the period, in time order. */
export const intervalStarts = (o: Pick<SeriesOptions, 'fromMs' | 'toMs' | 'intervalMinutes'>): number[] => {
  const step = o.intervalMinutes * 60_000;
  const starts: number[] = [];
  for (let t = Math.ceil(o.fromMs / step) * step; t + step <= o.toMs; t += step) starts.push(t);
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
}

const rowOf = (s: Sum, talk: boolean): SeriesRow => ({
  startMs: s.startMs,
  minutes: s.minutes,
  offered: s.offered,
  ...(talk
    ? {
        handled: s.handled,
        handleTimeSeconds: s.handleTimeSeconds,
        ...(s.handled > 0 ? { ahtSeconds: s.handleTimeSeconds / s.handled } : {}),
      }
    : {}),
});

export const queueSeries = (queue: HistoryQueue, options: SeriesOptions): QueueSeries => {
  const byStart = new Map(queue.intervals.map((i) => [Date.parse(i.start), i]));
  const sums: Sum[] = [];
  let bucket: string | undefined;
  const total: Sum = { startMs: NaN, minutes: 0, offered: 0, handled: 0, handleTimeSeconds: 0 };
  for (const startMs of intervalStarts(options)) {
    const key = bucketOf(startMs, options.per, options.timeZone);
    if (key !== bucket || sums.length === 0) {
      sums.push({ startMs, minutes: 0, offered: 0, handled: 0, handleTimeSeconds: 0 });
      bucket = key;
    }
    const interval = byStart.get(startMs);
    for (const s of [sums[sums.length - 1] as Sum, total]) {
      if (Number.isNaN(s.startMs)) s.startMs = startMs;
      s.minutes += options.intervalMinutes;
      s.offered += interval?.contacts ?? 0;
      s.handled += interval?.handled ?? 0;
      s.handleTimeSeconds += interval?.handleTimeSeconds ?? 0;
    }
  }
  const talk = queue.source === 'talk';
  const { intervals: _intervals, ...described } = queue;
  return {
    queue: described,
    rows: sums.map((s) => rowOf(s, talk)),
    total: rowOf({ ...total, startMs: Number.isNaN(total.startMs) ? options.fromMs : total.startMs }, talk),
  };
};
