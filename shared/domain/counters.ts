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
import {
  answerWaitSeconds,
  completionStatusOf,
  handleTimeSeconds,
  isHandled,
  isInbound,
  type GroupingStrategy,
} from './talk.js';

/**
 * A Talk interval's figures beyond contacts and handle time, all sums (counts, seconds) so that a
 * changed call's difference can be applied; service level and speed of answer are derived on read
 * (`serviceLevelPercent`, `asaSeconds`).
 * - abandoned…: inbound calls whose `completion_status` says the caller hung up in the queue, in
 *   the IVR, in voicemail, or on hold; failed / notAnswered: Zendesk's `failed` and "Not answered"
 *   (the caller left in a stage between those, e.g. while being transferred; not known to have
 *   waited in the queue, so not in service level); `unknownStatus`: any status Zendesk does not
 *   document, or none.
 * - callbacks: inbound calls started by a callback request (`callback: true`). Their `wait_time` is
 *   how long the customer waited for the call back, not in a queue, so they are kept out of
 *   service level and speed of answer (they count in every other figure).
 * - serviceLevelOffered: non-callback inbound calls with a `wait_time` that waited in the queue for
 *   an agent: answered, abandoned in the queue, or sent from the queue to voicemail (the caller
 *   asked for it, or the queue's maximum wait ran out: `customer_requested_voicemail`,
 *   `exceeded_queue_wait_time`); serviceLevelAnswered: those answered within the threshold. A
 *   call that went to voicemail without waiting (no agent on duty, outside business hours) or was
 *   abandoned in the IVR never waited for an agent and is not in it.
 * - answeredCalls / answerWaitSeconds: non-callback answered calls with a `wait_time`, and the sum
 *   of their wait times.
 */
export interface TalkFigures {
  readonly abandonedInQueue: number;
  readonly abandonedInIvr: number;
  readonly abandonedInVoicemail: number;
  readonly abandonedOnHold: number;
  readonly failed: number;
  readonly notAnswered: number;
  readonly unknownStatus: number;
  readonly callbacks: number;
  readonly serviceLevelOffered: number;
  readonly serviceLevelAnswered: number;
  readonly answeredCalls: number;
  readonly answerWaitSeconds: number;
}

export const TALK_FIGURES: readonly (keyof TalkFigures)[] = [
  'abandonedInQueue',
  'abandonedInIvr',
  'abandonedInVoicemail',
  'abandonedOnHold',
  'failed',
  'notAnswered',
  'unknownStatus',
  'callbacks',
  'serviceLevelOffered',
  'serviceLevelAnswered',
  'answeredCalls',
  'answerWaitSeconds',
];

export const NO_TALK_FIGURES: TalkFigures = {
  abandonedInQueue: 0,
  abandonedInIvr: 0,
  abandonedInVoicemail: 0,
  abandonedOnHold: 0,
  failed: 0,
  notAnswered: 0,
  unknownStatus: 0,
  callbacks: 0,
  serviceLevelOffered: 0,
  serviceLevelAnswered: 0,
  answeredCalls: 0,
  answerWaitSeconds: 0,
};

const sumFigures = (a: TalkFigures | undefined, b: TalkFigures | undefined, sign: 1 | -1): TalkFigures => {
  const out: Record<keyof TalkFigures, number> = { ...NO_TALK_FIGURES };
  for (const k of TALK_FIGURES) out[k] = (a?.[k] ?? 0) + sign * (b?.[k] ?? 0);
  return out;
};

/**
 * A Support interval's figures beyond offered contacts, all sums so that they travel in a
 * contribution and move exactly once (shared/domain/backlog.ts says what each is):
 * - reopens: contacts of the interval that were a customer writing on a solved ticket;
 * - backlogEntered / backlogLeft: tickets that entered / left the queue's backlog with an update
 *   of the interval. The backlog at an interval's end is derived on read (`backlogLevels`): the
 *   queue's entered less left, from its first interval up to and including that one.
 */
export interface SupportFigures {
  readonly reopens: number;
  readonly backlogEntered: number;
  readonly backlogLeft: number;
}

export const SUPPORT_FIGURES: readonly (keyof SupportFigures)[] = [
  'reopens',
  'backlogEntered',
  'backlogLeft',
];

export const NO_SUPPORT_FIGURES: SupportFigures = { reopens: 0, backlogEntered: 0, backlogLeft: 0 };

const sumSupport = (
  a: SupportFigures | undefined,
  b: SupportFigures | undefined,
  sign: 1 | -1,
): SupportFigures => ({
  reopens: (a?.reopens ?? 0) + sign * (b?.reopens ?? 0),
  backlogEntered: (a?.backlogEntered ?? 0) + sign * (b?.backlogEntered ?? 0),
  backlogLeft: (a?.backlogLeft ?? 0) + sign * (b?.backlogLeft ?? 0),
});

/**
 * The backlog at the end of each interval of one queue, given its intervals in time order: the
 * running sum of entered less left. An interval without Support figures (written before they
 * existed) moves nothing.
 */
export const backlogLevels = (intervals: readonly { readonly support?: SupportFigures }[]): number[] => {
  let level = 0;
  return intervals.map((i) => (level += (i.support?.backlogEntered ?? 0) - (i.support?.backlogLeft ?? 0)));
};

/** The sum of two sets of Talk figures (an absent one counts as zeros). */
export const addTalkFigures = (a: TalkFigures | undefined, b: TalkFigures | undefined): TalkFigures =>
  sumFigures(a, b, 1);

/** Service level in percent (answered within the threshold over offered), undefined when nothing was offered. */
export const serviceLevelPercent = (t: TalkFigures): number | undefined =>
  t.serviceLevelOffered > 0 ? (100 * t.serviceLevelAnswered) / t.serviceLevelOffered : undefined;

/** Average speed of answer in seconds, undefined when no call counts in it. */
export const asaSeconds = (t: TalkFigures): number | undefined =>
  t.answeredCalls > 0 ? t.answerWaitSeconds / t.answeredCalls : undefined;

export interface IntervalCounters {
  readonly contacts: number;
  readonly handled: number;
  readonly handleSeconds: number;
  /** Average handle time in seconds, present only when at least one contact was handled (Talk). */
  readonly ahtSeconds?: number;
  /** Talk only. */
  readonly talk?: TalkFigures;
  /** Support only. */
  readonly support?: SupportFigures;
}

/** What one contact fact adds to one queue interval (or, as a delta, what changes there). */
export interface Contribution {
  readonly queueId: string;
  /** ISO start of the interval (`bucketStart`). */
  readonly intervalStart: string;
  readonly contacts: number;
  readonly handled: number;
  readonly handleSeconds: number;
  /** A Talk call's figures; absent for Support (and in a call's fact stored before they existed: zeros). */
  readonly talk?: TalkFigures;
  /** A Support fact's reopens and backlog moves; absent when it has none (and on a Talk fact). */
  readonly support?: SupportFigures;
}

export const countersOf = (
  contacts: number,
  handled: number,
  handleSeconds: number,
  talk?: TalkFigures,
  support?: SupportFigures,
): IntervalCounters => ({
  contacts,
  handled,
  handleSeconds,
  ...(handled > 0 ? { ahtSeconds: handleSeconds / handled } : {}),
  ...(talk ? { talk } : {}),
  ...(support ? { support } : {}),
});

/** Adds a contribution (or delta) to an interval's counters; a negative total is a bookkeeping bug, not data. */
export const applyContribution = (
  counters: IntervalCounters | undefined,
  delta: Contribution,
): IntervalCounters => {
  const contacts = (counters?.contacts ?? 0) + delta.contacts;
  const handled = (counters?.handled ?? 0) + delta.handled;
  const handleSeconds = (counters?.handleSeconds ?? 0) + delta.handleSeconds;
  const talk = counters?.talk || delta.talk ? sumFigures(counters?.talk, delta.talk, 1) : undefined;
  const support =
    counters?.support || delta.support ? sumSupport(counters?.support, delta.support, 1) : undefined;
  if (
    contacts < 0 ||
    handled < 0 ||
    handleSeconds < 0 ||
    (talk && TALK_FIGURES.some((k) => talk[k] < 0)) ||
    (support && SUPPORT_FIGURES.some((k) => support[k] < 0))
  ) {
    throw new Error(`queue ${delta.queueId} interval ${delta.intervalStart}: counters would become negative`);
  }
  return countersOf(contacts, handled, handleSeconds, talk, support);
};

/**
 * What one inbound call adds to its interval's Talk figures, given the integration's service-level
 * threshold (seconds, inclusive: a call answered after exactly the threshold is within it).
 */
export const callTalkFigures = (call: CallRecord, serviceLevelSeconds: number): TalkFigures => {
  const status = completionStatusOf(call);
  const handled = isHandled(call);
  const wait = answerWaitSeconds(call);
  const timed = !call.callback && wait !== null;
  // A caller the queue sent to voicemail waited for an agent and got none: a miss, not an absence
  // (Talk's field texts: "exceeded the maximum queue wait time and did not speak with an agent";
  // "requested to be directed to voicemail instead of waiting for an agent to answer"). Only a call
  // that did wait (a wait above 0, not ended in the IVR) is read so, whatever else sets the flags.
  const sentFromQueueToVoicemail =
    (call.exceededQueueWaitTime || call.customerRequestedVoicemail) &&
    status !== 'abandoned_in_ivr' &&
    wait !== null &&
    wait > 0;
  const leftTheQueue = status === 'abandoned_in_queue' || sentFromQueueToVoicemail;
  const inServiceLevel = timed && (handled || leftTheQueue);
  const answered = timed && handled;
  return {
    abandonedInQueue: status === 'abandoned_in_queue' ? 1 : 0,
    abandonedInIvr: status === 'abandoned_in_ivr' ? 1 : 0,
    abandonedInVoicemail: status === 'abandoned_in_voicemail' ? 1 : 0,
    abandonedOnHold: status === 'abandoned_on_hold' ? 1 : 0,
    failed: status === 'failed' ? 1 : 0,
    notAnswered: status === 'not_answered' ? 1 : 0,
    unknownStatus: status === 'unknown' ? 1 : 0,
    callbacks: call.callback ? 1 : 0,
    serviceLevelOffered: inServiceLevel ? 1 : 0,
    serviceLevelAnswered: answered && wait <= serviceLevelSeconds ? 1 : 0,
    answeredCalls: answered ? 1 : 0,
    answerWaitSeconds: answered ? wait : 0,
  };
};

/**
 * One Support update's part in one queue, in the interval of the update: a contact when it counts
 * there (`contacts` 1), of which a reopen, and the ticket entering or leaving the queue's backlog.
 */
export const supportContribution = (
  queueId: string,
  at: string,
  minutes: IntervalMinutes,
  counted: { readonly contact: boolean; readonly support?: SupportFigures } = { contact: true },
): Contribution => ({
  queueId,
  intervalStart: bucketStart(at, minutes),
  contacts: counted.contact ? 1 : 0,
  handled: 0,
  handleSeconds: 0,
  ...(counted.support && SUPPORT_FIGURES.some((k) => counted.support![k] !== 0)
    ? { support: counted.support }
    : {}),
});

/**
 * A Talk call: one contact at the time it started, in its Talk queue; handled calls add their
 * handle time. Outbound calls contribute nothing (an empty list).
 */
export const callContribution = (
  call: CallRecord,
  strategy: GroupingStrategy,
  minutes: IntervalMinutes,
  serviceLevelSeconds: number,
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
      talk: callTalkFigures(call, serviceLevelSeconds),
    },
  ];
};

const keyOf = (c: Contribution): string => JSON.stringify([c.queueId, c.intervalStart]);

const isZero = (c: Contribution): boolean =>
  c.contacts === 0 &&
  c.handled === 0 &&
  c.handleSeconds === 0 &&
  (c.talk === undefined || TALK_FIGURES.every((k) => c.talk![k] === 0)) &&
  (c.support === undefined || SUPPORT_FIGURES.every((k) => c.support![k] === 0));

const byQueueThenInterval = (a: Contribution, b: Contribution): number =>
  a.queueId === b.queueId ? a.intervalStart.localeCompare(b.intervalStart) : a.queueId < b.queueId ? -1 : 1;

const accumulate = (into: Map<string, Contribution>, items: readonly Contribution[], sign: 1 | -1): void => {
  for (const item of items) {
    const key = keyOf(item);
    const { talk: _talk, support: _support, ...rest } = item;
    const sum: Contribution = into.get(key) ?? { ...rest, contacts: 0, handled: 0, handleSeconds: 0 };
    const talk = sum.talk || item.talk ? sumFigures(sum.talk, item.talk, sign) : undefined;
    const support = sum.support || item.support ? sumSupport(sum.support, item.support, sign) : undefined;
    into.set(key, {
      ...sum,
      contacts: sum.contacts + sign * item.contacts,
      handled: sum.handled + sign * item.handled,
      handleSeconds: sum.handleSeconds + sign * item.handleSeconds,
      ...(talk ? { talk } : {}),
      ...(support ? { support } : {}),
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
  return [...sums.values()]
    .filter((c) => !isZero(c))
    .map(({ talk, support, ...c }) => ({
      ...c,
      ...(talk && TALK_FIGURES.some((k) => talk[k] !== 0) ? { talk } : {}),
      ...(support && SUPPORT_FIGURES.some((k) => support[k] !== 0) ? { support } : {}),
    }))
    .sort(byQueueThenInterval);
};
