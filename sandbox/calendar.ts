/**
 * Calendar days in the account's time zone, for the sandbox's own data and ground truth (it imports
 * nothing from `shared/`): Zendesk reads a date custom field's "today" and a date-only due date's
 * 12:00 in the account's time zone. Days are `YYYY-MM-DD`; instants epoch seconds.
 */

const DAY = 86_400;
const formats = new Map<string, Intl.DateTimeFormat>();

const format = (timeZone: string): Intl.DateTimeFormat => {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(timeZone, f);
  }
  return f;
};

/** The wall clock in `timeZone` at `seconds`, read as if it were UTC (epoch seconds). */
const wallSeconds = (seconds: number, timeZone: string): number => {
  const p = Object.fromEntries(
    format(timeZone)
      .formatToParts(new Date(seconds * 1000))
      .map((x) => [x.type, Number(x.value)]),
  ) as Record<string, number>;
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) / 1000;
};

/** The calendar day in `timeZone` at `seconds`. */
export const localDay = (seconds: number, timeZone: string): string =>
  new Date(wallSeconds(Math.floor(seconds), timeZone) * 1000).toISOString().slice(0, 10);

/** `day` moved by `days` days. */
export const shiftDay = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY * 1000).toISOString().slice(0, 10);

/** Days since 1970-01-01 of `day`, and back: how the compact account stores a date. */
export const dayNumber = (day: string): number => Math.round(Date.parse(`${day}T00:00:00Z`) / 1000 / DAY);
export const dayOfNumber = (n: number): string => new Date(n * DAY * 1000).toISOString().slice(0, 10);

/** The instant (epoch seconds) of 12:00 on `day` in `timeZone`. */
export const localNoon = (day: string, timeZone: string): number => {
  const wall = Date.parse(`${day}T12:00:00Z`) / 1000;
  // The offset at the guess, then at the corrected instant: right on both sides of a DST change.
  let at = wall - (wallSeconds(wall, timeZone) - wall);
  at = wall - (wallSeconds(at, timeZone) - at);
  return at;
};
