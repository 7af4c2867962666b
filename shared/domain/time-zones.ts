/**
 * Calendar arithmetic in an account's time zone (an IANA name, e.g. `Europe/Berlin`), with the
 * platform's Intl tables: Zendesk reads a date custom field's "today" and a date-only due date's
 * "12:00" in the account's time zone, not in UTC.
 */

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

const formatterOf = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
};

/** Whether Intl knows this time zone name. */
export const isTimeZone = (timeZone: string): boolean => {
  try {
    formatterOf(timeZone);
    return true;
  } catch {
    return false;
  }
};

interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const wallClock = (ms: number, timeZone: string): WallClock => {
  const parts = Object.fromEntries(
    formatterOf(timeZone)
      .formatToParts(new Date(ms))
      .map((part) => [part.type, part.value]),
  );
  const read = (type: string) => Number(parts[type]);
  return {
    year: read('year'),
    month: read('month'),
    day: read('day'),
    hour: read('hour'),
    minute: read('minute'),
    second: read('second'),
  };
};

const utcOfWallClock = (c: WallClock): number =>
  Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second);

/** The zone's offset from UTC at `ms`, in ms (positive east of Greenwich). */
const offsetAt = (ms: number, timeZone: string): number =>
  utcOfWallClock(wallClock(ms - (ms % 1000), timeZone)) - (ms - (ms % 1000));

/** The calendar day (`YYYY-MM-DD`) it is in `timeZone` at `ms`. */
export const dayIn = (ms: number, timeZone: string): string => {
  const c = wallClock(ms, timeZone);
  return `${String(c.year).padStart(4, '0')}-${String(c.month).padStart(2, '0')}-${String(c.day).padStart(2, '0')}`;
};

/** `day` (`YYYY-MM-DD`) moved by `days` calendar days. */
export const addDays = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

const two = (n: number): string => String(n).padStart(2, '0');

/**
 * The first instant (epoch ms) at or after `hour`:00 on `day` (`YYYY-MM-DD`) in `timeZone`. A
 * wall-clock time a clock goes back over happens twice: the first is meant (a day starts once). One
 * a clock jumps over does not happen at all (America/Santiago's midnight on 2026-09-06): the first
 * instant after it is the jump itself, not the hour before, so a day never starts in the previous one.
 */
export const instantOfLocal = (day: string, hour: number, timeZone: string): number => {
  const wall = Date.parse(`${day}T${two(hour)}:00:00Z`);
  const readsAt = (ms: number): number => ms + offsetAt(ms, timeZone);
  // A day either side covers every offset in force near that wall-clock time, whatever the zone;
  // most days have one, and a view's due-date condition reads this at every ticket update.
  const [early, late] = [offsetAt(wall - DAY_MS, timeZone), offsetAt(wall + DAY_MS, timeZone)];
  const offsets = early === late ? [early] : [early, offsetAt(wall, timeZone), late];
  const exact = offsets.map((o) => wall - o).filter((ms) => readsAt(ms) === wall);
  if (exact.length > 0) return Math.min(...exact);
  // In a gap the wall clock only moves forward: the first second that reads at or after it is
  // the jump. Offsets change on whole seconds.
  let before = wall - Math.max(...offsets);
  let after = wall - Math.min(...offsets);
  while (after - before > 1000) {
    const middle = before + Math.floor((after - before) / 2000) * 1000;
    if (readsAt(middle) >= wall) after = middle;
    else before = middle;
  }
  return after;
};

/** `+02:00`, `-03:30`, `+00:00`: an offset east of UTC in minutes, as ISO-8601 writes it. */
export const offsetText = (offsetMinutes: number): string => {
  const abs = Math.abs(offsetMinutes);
  return `${offsetMinutes < 0 ? '-' : '+'}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
};

/** A wall-clock reading of an instant in a zone, with the zone's offset at that instant. */
export interface LocalTime extends WallClock {
  /** `YYYY-MM-DD` */
  readonly date: string;
  /** Minutes east of UTC (Europe/Berlin in summer: 120). */
  readonly offsetMinutes: number;
}

export const localTime = (ms: number, timeZone: string): LocalTime => {
  const c = wallClock(ms, timeZone);
  return {
    ...c,
    date: `${String(c.year).padStart(4, '0')}-${two(c.month)}-${two(c.day)}`,
    offsetMinutes: Math.round(offsetAt(ms, timeZone) / 60_000),
  };
};

/**
 * ISO-8601 with the zone's offset (`2026-03-29T03:00:00+02:00`): unambiguous also in the hour a
 * clock goes back, which a wall-clock time alone shows twice.
 */
export const localIso = (ms: number, timeZone: string): string => {
  const t = localTime(ms, timeZone);
  return `${t.date}T${two(t.hour)}:${two(t.minute)}:${two(t.second)}${offsetText(t.offsetMinutes)}`;
};

/** `2026-03-29 03:00:00`: the wall clock without its offset, as tools set to one zone read it. */
export const localWallClock = (ms: number, timeZone: string): string => {
  const t = localTime(ms, timeZone);
  return `${t.date} ${two(t.hour)}:${two(t.minute)}:${two(t.second)}`;
};

/** The Monday (`YYYY-MM-DD`) of the ISO-8601 week (Monday to Sunday) of a calendar day. */
export const mondayOf = (day: string): string =>
  addDays(day, -((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7));
