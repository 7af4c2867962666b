/**
 * A Support queue's backlog moves are stored per queue and UTC day, not per interval (queue-history
 * schema 5): most intervals a move falls in have no contact, and an item per such interval was half
 * of the pipeline's DynamoDB writes. A day's moves are kept by the interval's UTC start time
 * (`HH:MM`); intervals are aligned to UTC boundaries of 15, 30 or 60 minutes, so none spans two days.
 */

/** Tickets that entered and left the queue's backlog, by the interval's UTC start time within the day. */
export interface BacklogDayMoves {
  readonly entered: Readonly<Record<string, number>>;
  readonly left: Readonly<Record<string, number>>;
}

export const NO_BACKLOG_MOVES: BacklogDayMoves = { entered: {}, left: {} };

/** One interval's moves, as a contribution's delta carries them. */
export interface IntervalBacklogMoves {
  /** ISO start of the interval (`bucketStart`). */
  readonly intervalStart: string;
  readonly entered: number;
  readonly left: number;
}

/**
 * The UTC day (`YYYY-MM-DD`) an interval start falls in. The start must be as `bucketStart` writes
 * it (`YYYY-MM-DDTHH:MM:00.000Z`): the day's entry is read back as that string, and must meet its
 * interval's item under the same one.
 */
export const backlogDayOf = (intervalStart: string): string => {
  const day = intervalStart.slice(0, 10);
  if (intervalStartOf(day, timeOf(intervalStart)) !== intervalStart)
    throw new Error(`intervalStart ${intervalStart} is not an interval start as bucketStart writes it`);
  return day;
};

/** The interval's UTC start time within its day (`HH:MM`). */
const timeOf = (intervalStart: string): string => intervalStart.slice(11, 16);

/** The ISO interval start of a day's `HH:MM` entry, as `bucketStart` writes it. */
export const intervalStartOf = (day: string, time: string): string => `${day}T${time}:00.000Z`;

const plus = (into: Record<string, number>, time: string, delta: number, where: string): void => {
  const now = (into[time] ?? 0) + delta;
  if (now < 0) throw new Error(`${where} ${time}: backlog moves would become negative`);
  if (now === 0) delete into[time];
  else into[time] = now;
};

/**
 * A day's moves with these intervals' moves added. Entries that come to 0 are dropped, so a day
 * reads the same however its moves arrived. A ticket's update is counted once and never taken back
 * (only a call's fact has later versions, and calls move no backlog), so a total below 0 is a
 * bookkeeping bug, not data.
 */
export const addBacklogMoves = (
  day: BacklogDayMoves | undefined,
  moves: readonly IntervalBacklogMoves[],
  where: string,
): BacklogDayMoves => {
  const entered = { ...(day?.entered ?? {}) };
  const left = { ...(day?.left ?? {}) };
  for (const m of moves) {
    if (m.entered !== 0) plus(entered, timeOf(m.intervalStart), m.entered, where);
    if (m.left !== 0) plus(left, timeOf(m.intervalStart), m.left, where);
  }
  return { entered: sortedByTime(entered), left: sortedByTime(left) };
};

const sortedByTime = (r: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** A day's moves per interval, in time order. */
export const intervalsOfBacklogDay = (day: string, moves: BacklogDayMoves): IntervalBacklogMoves[] => {
  const times = [...new Set([...Object.keys(moves.entered), ...Object.keys(moves.left)])].sort();
  return times.map((t) => ({
    intervalStart: intervalStartOf(day, t),
    entered: moves.entered[t] ?? 0,
    left: moves.left[t] ?? 0,
  }));
};
