/**
 * Per-interval queue counters (SPEC §5–§6) and the arithmetic of exactly-once updates: each contact
 * fact (a Support interaction counted in a queue, or a Talk call) has a contribution; when a fact
 * changes (a call record updated after wrap-up, possibly moving to another interval or queue) only
 * the difference between its new and old contributions is applied, so re-applying a fact that has
 * not changed adds nothing.
 */
import type { CallRecord } from './records.js';
import { bucketStart, type IntervalMinutes } from './intervals.js';
import { talkQueue } from './queues.js';
import { handleTimeSeconds, isHandled, isInbound, type GroupingStrategy } from './talk.js';

export interface IntervalCounters {
  readonly contacts: number;
  readonly handled: number;
  readonly handleSeconds: number;
  /** Average handle time in seconds, present only when at least one contact was handled (Talk). */
  readonly ahtSeconds?: number;
}

/** What one contact fact adds to one queue interval (or, as a delta, what changes there). */
export interface Contribution {
  readonly queueId: string;
  /** ISO start of the interval (`bucketStart`). */
  readonly intervalStart: string;
  readonly contacts: number;
  readonly handled: number;
  readonly handleSeconds: number;
}

export const countersOf = (contacts: number, handled: number, handleSeconds: number): IntervalCounters =>
  handled > 0
    ? { contacts, handled, handleSeconds, ahtSeconds: handleSeconds / handled }
    : { contacts, handled, handleSeconds };

/** Adds a contribution (or delta) to an interval's counters; a negative total is a bookkeeping bug, not data. */
export const applyContribution = (
  counters: IntervalCounters | undefined,
  delta: Contribution,
): IntervalCounters => {
  const contacts = (counters?.contacts ?? 0) + delta.contacts;
  const handled = (counters?.handled ?? 0) + delta.handled;
  const handleSeconds = (counters?.handleSeconds ?? 0) + delta.handleSeconds;
  if (contacts < 0 || handled < 0 || handleSeconds < 0) {
    throw new Error(`queue ${delta.queueId} interval ${delta.intervalStart}: counters would become negative`);
  }
  return countersOf(contacts, handled, handleSeconds);
};

/** One Support interaction counted in one queue: one contact in the interval of the update. */
export const supportContribution = (queueId: string, at: string, minutes: IntervalMinutes): Contribution => ({
  queueId,
  intervalStart: bucketStart(at, minutes),
  contacts: 1,
  handled: 0,
  handleSeconds: 0,
});

/**
 * A Talk call: one contact at the time it started, in its Talk queue; handled calls add their
 * handle time. Outbound calls contribute nothing (an empty list).
 */
export const callContribution = (
  call: CallRecord,
  strategy: GroupingStrategy,
  minutes: IntervalMinutes,
): Contribution[] => {
  if (!isInbound(call)) return [];
  const handled = isHandled(call);
  return [
    {
      queueId: talkQueue(call, strategy).id,
      intervalStart: bucketStart(call.createdAt, minutes),
      contacts: 1,
      handled: handled ? 1 : 0,
      handleSeconds: handled ? handleTimeSeconds(call) : 0,
    },
  ];
};

const keyOf = (c: Contribution): string => JSON.stringify([c.queueId, c.intervalStart]);

const isZero = (c: Contribution): boolean => c.contacts === 0 && c.handled === 0 && c.handleSeconds === 0;

const byQueueThenInterval = (a: Contribution, b: Contribution): number =>
  a.queueId === b.queueId ? a.intervalStart.localeCompare(b.intervalStart) : a.queueId < b.queueId ? -1 : 1;

const accumulate = (into: Map<string, Contribution>, items: readonly Contribution[], sign: 1 | -1): void => {
  for (const item of items) {
    const key = keyOf(item);
    const sum = into.get(key) ?? { ...item, contacts: 0, handled: 0, handleSeconds: 0 };
    into.set(key, {
      ...sum,
      contacts: sum.contacts + sign * item.contacts,
      handled: sum.handled + sign * item.handled,
      handleSeconds: sum.handleSeconds + sign * item.handleSeconds,
    });
  }
};

/** What to add to the counters when a fact's contributions change from `before` to `after`. */
export const contributionDelta = (
  before: readonly Contribution[],
  after: readonly Contribution[],
): Contribution[] => {
  const sums = new Map<string, Contribution>();
  accumulate(sums, after, 1);
  accumulate(sums, before, -1);
  return [...sums.values()].filter((c) => !isZero(c)).sort(byQueueThenInterval);
};
