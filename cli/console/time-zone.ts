/**
 * The console's calendar in the time zone a person picks: histories are stored in UTC, a day, week
 * or month is cut at local midnights, so a day with a daylight-saving change is 23 or 25 hours long.
 * Node 20 has no Temporal; Intl knows every IANA zone's offsets, which is all this needs.
 */

import { instantOfLocal, localTime, type LocalTime } from '../../shared/domain/time-zones.js';

export type Zoom = 'day' | 'week' | 'month';
export const ZOOMS: readonly Zoom[] = ['day', 'week', 'month'];

/** The wall-clock fields of an instant in a zone. */
const wallClock = (instant: Date, zone: string): LocalTime => localTime(instant.getTime(), zone);

/** How far the zone's wall clock is ahead of UTC at an instant, in minutes (Berlin in summer: 120). */
export const offsetMinutes = (instant: Date, zone: string): number => wallClock(instant, zone).offsetMinutes;

/**
 * The instant a local calendar day starts: its midnight, or when a zone springs forward over
 * midnight, the first instant after it. The CLI reads a date in `--tz` with the same function, so a
 * day is the same period on the command line and here.
 */
export const localDayStart = (day: string, zone: string): Date => new Date(instantOfLocal(day, 0, zone));

/** The local calendar day (YYYY-MM-DD) an instant falls on. */
export const localDay = (instant: Date, zone: string): string => {
  const w = wallClock(instant, zone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
};

const pad = (n: number): string => String(n).padStart(2, '0');

/** `2026-10-25 02:15 +01:00`: the local time and its offset, which tells the two 02:15s of a fall-back day apart. */
export const localTimeLabel = (instant: Date, zone: string): string => {
  const w = wallClock(instant, zone);
  const offset = offsetMinutes(instant, zone);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)} ${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
};

const addDays = (day: string, days: number): string => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
};

/** The local period a zoom shows around a day: that day, its week from Monday, or its month. */
export const zoomPeriod = (zoom: Zoom, day: string, zone: string): { from: Date; to: Date } => {
  if (zoom === 'day') return { from: localDayStart(day, zone), to: localDayStart(addDays(day, 1), zone) };
  if (zoom === 'week') {
    const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
    const monday = addDays(day, -weekday);
    return { from: localDayStart(monday, zone), to: localDayStart(addDays(monday, 7), zone) };
  }
  const first = `${day.slice(0, 7)}-01`;
  const [y, m] = first.split('-').map(Number) as [number, number];
  const next = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
  return { from: localDayStart(first, zone), to: localDayStart(next, zone) };
};

/**
 * The period of the local days `fromDay` to `toDay`, both included: from the first's local midnight
 * to the midnight after the last, in UTC instants (so a day with a daylight-saving change counts
 * its 23 or 25 hours).
 */
export const localDaysPeriod = (fromDay: string, toDay: string, zone: string): { from: Date; to: Date } => ({
  from: localDayStart(fromDay, zone),
  to: localDayStart(addDays(toDay, 1), zone),
});

/** The local days a UTC period covers, the last one included: what the period's day inputs show. */
export const periodDays = (period: { from: Date; to: Date }, zone: string): { from: string; to: string } => ({
  from: localDay(period.from, zone),
  to: localDay(new Date(Math.max(period.from.getTime(), period.to.getTime() - 1)), zone),
});

export const isDay = (raw: string): boolean =>
  /^\d{4}-\d\d-\d\d$/.test(raw) && new Date(`${raw}T00:00:00Z`).toISOString().startsWith(raw);
