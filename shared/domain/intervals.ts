/**
 * Queue-history intervals (SPEC §6): aligned to UTC boundaries of the integration's interval
 * length; an event at 10:14:59.999 belongs to 10:00, one at 10:15:00.000 to 10:15. No clock is
 * read here: the instant always comes from the data.
 */
export type IntervalMinutes = 15 | 30 | 60;

export const INTERVAL_MINUTES: readonly IntervalMinutes[] = [15, 30, 60];

export const isIntervalMinutes = (value: unknown): value is IntervalMinutes =>
  (INTERVAL_MINUTES as readonly unknown[]).includes(value);

/** The start of the interval holding `at`, as an ISO-8601 UTC string with milliseconds. */
export const bucketStart = (at: string | Date, minutes: IntervalMinutes): string => {
  if (!isIntervalMinutes(minutes)) {
    throw new Error(`intervalMinutes must be 15, 30 or 60, got ${JSON.stringify(minutes)}`);
  }
  const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
  if (Number.isNaN(ms)) throw new Error(`at is not a timestamp: ${JSON.stringify(String(at))}`);
  const length = minutes * 60_000;
  // Math.floor, not truncation, so instants before 1970 land in the interval that contains them.
  return new Date(Math.floor(ms / length) * length).toISOString();
};
