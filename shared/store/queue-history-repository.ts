/**
 * queue-history table (stream NEW_AND_OLD_IMAGES → the forecaster)
 *   pk = `${integrationId}#${queueId}`   one partition per published queue; queueId never holds a
 *                                         name, so a view rename keeps the partition:
 *                                         `support:<viewId>:<channel>`, `talk:<strategy>:<key>` or
 *                                         `talk:ungrouped`
 *   sk = interval start, ISO-8601 UTC    sorts chronologically
 *   attrs: integrationId, queueId, queueName, channel, source (`support`|`talk`), viewId (N, support),
 *          intervalStart, contacts, handled, handleSeconds, ahtSeconds (talk, when handled > 0),
 *          talk: Talk's figures as one map of sums (talk queues only, from schema 2):
 *            abandonedInQueue, abandonedInIvr, abandonedInVoicemail, abandonedOnHold, failed and
 *            notAnswered (from schema 4), unknownStatus, callbacks, serviceLevelOffered, serviceLevelAnswered, answeredCalls, answerWaitSeconds
 *          support: Support's figures as one map of sums (support queues only, from schema 3):
 *            reopens; backlogEntered and backlogLeft only on an item first written by schema 3 or
 *            4, which kept the backlog's moves in the interval, or by a page whose counting began
 *            before schema 5 (see the aggregator): kept at every later write whatever its
 *            schemaVersion, and read added to the day's
 *          schemaVersion (5), version (N, +1 per write: the aggregator's optimistic lock),
 *          writtenBy (L of S: the tag of the aggregator's message that last wrote the item, then
 *          those of earlier writers not finished, see AppliedWrites), createdBy (S: on an item
 *          first written before writtenBy existed, the tag of the message that created it)
 *
 * A Support queue's backlog moves, one item per queue and UTC day with a move (from schema 5):
 *   pk = `${integrationId}#${queueId}`   the queue's partition
 *   sk = `backlog#${YYYY-MM-DD}`          sorts after every interval start (a digit sorts first)
 *   attrs: kind (`backlogDay`), integrationId, queueId, queueName, channel, source (`support`),
 *          viewId, day, backlogEntered and backlogLeft (M: the interval's UTC start `HH:MM` → tickets
 *          that entered / left the queue's backlog with an update of that interval; no 0 entries),
 *          schemaVersion (5), version, writtenBy and createdBy (as above)
 * Most intervals a ticket enters or leaves a view in have no contact: an interval item for each
 * was half of the pipeline's DynamoDB writes, a day item is one write for all of a page's moves in
 * that day. The backlog at an interval's end is derived on read as before: the queue's entered
 * less left up to and including the interval, from the day items and any schema 3–4 interval.
 * `intervals` gives them merged: an interval with moves and no contact is listed with 0 contacts
 * (version 0: it has no item of its own).
 * Schema 1 items (written before Talk's figures existed) lack `talk`, and schema 1 and 2 items lack
 * `support`; they are read with those figures absent (not zero: they were not recorded), and the
 * next write of the interval adds them. Schema 2 and 3 Talk items lack `failed` and `notAnswered`
 * and are read with 0. Which figure a call is in follows the rules of the time its fact was stored,
 * whatever the interval's schema: a failed call counted before schema 4 stays in `unknownStatus`
 * until its next version moves it (its stored fact says where it was counted).
 * Items are written with absolute values, only when a value changed, so every stream record of an
 * interval or a backlog day is a real change of it with its old and new image.
 *
 * One freshness item per integration, beside its queues, so the stream tells how current the
 * history is whatever changed (on a quiet night no interval changes at all):
 *   pk = `${integrationId}#freshness`   never a queue's partition: a queueId starts with `support:`
 *   sk = `freshness`                     or `talk:`
 *   attrs: kind (`freshness`; interval items have no `kind`), integrationId, completeUpTo (S, ISO-8601
 *          UTC; absent before the ticket events were read), lastCompletedRun (M: runId, at),
 *          talkUnavailable (M: reason, since; only when the run read no calls because Zendesk
 *          refuses its Talk export: the Talk queues are then complete only up to an earlier run)
 * Written by the aggregator once per import run, when the run's end reaches it behind every contact
 * of the run: one write per run, however many queues; an older run's end (a late redelivery) never
 * replaces a newer one's. It carries no `schemaVersion`: that numbers the interval and backlog-day
items' shape.
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  NO_SUPPORT_FIGURES,
  NO_TALK_FIGURES,
  SUPPORT_FIGURES,
  TALK_FIGURES,
  type SupportFigures,
  type TalkFigures,
} from '../domain/counters.js';
import { intervalsOfBacklogDay, type BacklogDayMoves } from '../domain/backlog-days.js';
import type { QueueRef } from '../messages/contacts.js';
import type { HistoryFreshness } from '../messages/freshness.js';
import { batchGet, lookupKey, queryPartition, queryPartitionWhere, type Item, type Key } from './batch.js';
import { withWriterTags, type WithWriterTags } from './applied-writes.js';
import { writtenUnlessRefused } from './errors.js';

/**
 * 2: Talk's figures (`talk`); 3: Support's figures (`support`); 4: Talk's `failed` and `notAnswered`;
 * 5: Support's backlog moves in day items (`backlogDay`), no longer in the interval's `support`.
 */
export const QUEUE_HISTORY_SCHEMA_VERSION = 5;

export interface QueueInterval {
  readonly integrationId: string;
  readonly queue: QueueRef;
  readonly intervalStart: string;
  readonly contacts: number;
  readonly handled: number;
  readonly handleSeconds: number;
  /** Talk only: average handle time (the domain's `countersOf`), absent when nothing was handled. */
  readonly ahtSeconds?: number;
  /** Talk only, from schema 2: absent on an interval last written by schema 1. */
  readonly talk?: TalkFigures;
  /** Support only, from schema 3: absent on an interval last written by schema 1 or 2. */
  readonly support?: SupportFigures;
  /** The schema the item was written with. */
  readonly schemaVersion?: number;
  readonly version: number;
}

const partitionOf = (integrationId: string, queueId: string): string => `${integrationId}#${queueId}`;

export const queueHistoryKey = (integrationId: string, queueId: string, intervalStart: string) => ({
  pk: partitionOf(integrationId, queueId),
  sk: intervalStart,
});

export const queueIntervalItem = (i: QueueInterval): Item => ({
  ...queueHistoryKey(i.integrationId, i.queue.id, i.intervalStart),
  integrationId: i.integrationId,
  queueId: i.queue.id,
  queueName: i.queue.name,
  channel: i.queue.channel,
  source: i.queue.source,
  ...(i.queue.viewId !== undefined ? { viewId: i.queue.viewId } : {}),
  intervalStart: i.intervalStart,
  contacts: i.contacts,
  handled: i.handled,
  handleSeconds: i.handleSeconds,
  ...(i.ahtSeconds !== undefined ? { ahtSeconds: i.ahtSeconds } : {}),
  ...(i.talk !== undefined ? { talk: { ...i.talk } } : {}),
  ...(i.support !== undefined ? { support: storedSupport(i.support) } : {}),
  schemaVersion: QUEUE_HISTORY_SCHEMA_VERSION,
  version: i.version,
});

/** An interval's reopens, and the backlog moves a schema 3–4 item counted there (never new ones). */
const storedSupport = (s: SupportFigures): Item => ({
  reopens: s.reopens,
  ...(s.backlogEntered !== 0 ? { backlogEntered: s.backlogEntered } : {}),
  ...(s.backlogLeft !== 0 ? { backlogLeft: s.backlogLeft } : {}),
});

const BACKLOG_DAY = 'backlogDay';

/**
 * An interval item that counted backlog moves itself (schema 3–4, which stored its zeros too; with
 * `:none` = 0).
 */
const MOVED_BACKLOG = 'support.backlogEntered > :none OR support.backlogLeft > :none';

/** A Support queue's backlog moves on one UTC day, as stored. */
export interface BacklogDay {
  readonly integrationId: string;
  readonly queue: QueueRef;
  /** `YYYY-MM-DD`, UTC. */
  readonly day: string;
  readonly moves: BacklogDayMoves;
  readonly schemaVersion?: number;
  readonly version: number;
}

const backlogDaySortKey = (day: string): string => `backlog#${day}`;

export const backlogDayKey = (integrationId: string, queueId: string, day: string) => ({
  pk: partitionOf(integrationId, queueId),
  sk: backlogDaySortKey(day),
});

export const backlogDayItem = (d: BacklogDay): Item => ({
  ...backlogDayKey(d.integrationId, d.queue.id, d.day),
  kind: BACKLOG_DAY,
  integrationId: d.integrationId,
  queueId: d.queue.id,
  queueName: d.queue.name,
  channel: d.queue.channel,
  source: d.queue.source,
  ...(d.queue.viewId !== undefined ? { viewId: d.queue.viewId } : {}),
  day: d.day,
  backlogEntered: { ...d.moves.entered },
  backlogLeft: { ...d.moves.left },
  schemaVersion: QUEUE_HISTORY_SCHEMA_VERSION,
  version: d.version,
});

const queueOf = (item: Item): QueueRef => ({
  id: item.queueId as string,
  name: item.queueName as string,
  channel: item.channel as string,
  source: item.source as QueueRef['source'],
  ...(item.viewId !== undefined ? { viewId: item.viewId as number } : {}),
});

const countsOf = (stored: unknown): Record<string, number> =>
  Object.fromEntries(
    Object.entries((stored ?? {}) as Item).filter((e): e is [string, number] => typeof e[1] === 'number'),
  );

const toBacklogDay = (item: Item): BacklogDay => ({
  integrationId: item.integrationId as string,
  queue: queueOf(item),
  day: item.day as string,
  moves: { entered: countsOf(item.backlogEntered), left: countsOf(item.backlogLeft) },
  ...(item.schemaVersion !== undefined ? { schemaVersion: item.schemaVersion as number } : {}),
  version: item.version as number,
});

/**
 * A queue's intervals with its days' backlog moves added in: an interval with moves and no item is
 * listed with 0 contacts (version 0), one with an item gets the moves added to any it counted itself
 * (schema 3–4). Pure: the repository's read, and the tests', in one place.
 */
export const withBacklogDays = (
  intervals: readonly QueueInterval[],
  days: readonly BacklogDay[],
): QueueInterval[] => {
  const byStart = new Map(intervals.map((i) => [i.intervalStart, i]));
  for (const day of days) {
    for (const m of intervalsOfBacklogDay(day.day, day.moves)) {
      const was = byStart.get(m.intervalStart);
      const support = was?.support;
      byStart.set(m.intervalStart, {
        ...(was ?? {
          integrationId: day.integrationId,
          queue: day.queue,
          intervalStart: m.intervalStart,
          contacts: 0,
          handled: 0,
          handleSeconds: 0,
          ...(day.schemaVersion !== undefined ? { schemaVersion: day.schemaVersion } : {}),
          version: 0,
        }),
        support: {
          reopens: support?.reopens ?? 0,
          backlogEntered: (support?.backlogEntered ?? 0) + m.entered,
          backlogLeft: (support?.backlogLeft ?? 0) + m.left,
        },
      });
    }
  }
  return [...byStart.values()].sort((a, b) =>
    a.intervalStart < b.intervalStart ? -1 : a.intervalStart > b.intervalStart ? 1 : 0,
  );
};

/** The key of an integration's freshness item. */
export const freshnessKey = (integrationId: string) => ({
  pk: `${integrationId}#freshness`,
  sk: 'freshness',
});

export const freshnessItem = (integrationId: string, f: HistoryFreshness): Item => ({
  ...freshnessKey(integrationId),
  kind: 'freshness',
  integrationId,
  ...(f.completeUpTo !== null ? { completeUpTo: f.completeUpTo } : {}),
  lastCompletedRun: { runId: f.lastCompletedRun.runId, at: f.lastCompletedRun.at },
  ...(f.talkUnavailable
    ? { talkUnavailable: { reason: f.talkUnavailable.reason, since: f.talkUnavailable.since } }
    : {}),
});

const toFreshness = (item: Item): HistoryFreshness => {
  const run = item.lastCompletedRun as Item;
  const talk = item.talkUnavailable as Item | undefined;
  return {
    completeUpTo: typeof item.completeUpTo === 'string' ? item.completeUpTo : null,
    lastCompletedRun: { runId: run.runId as string, at: run.at as string },
    ...(talk ? { talkUnavailable: { reason: talk.reason as string, since: talk.since as string } } : {}),
  };
};

const toQueueInterval = (item: Item): QueueInterval => ({
  integrationId: item.integrationId as string,
  queue: queueOf(item),
  intervalStart: item.intervalStart as string,
  contacts: item.contacts as number,
  handled: item.handled as number,
  handleSeconds: item.handleSeconds as number,
  ...(item.ahtSeconds !== undefined ? { ahtSeconds: item.ahtSeconds as number } : {}),
  ...(item.talk !== undefined ? { talk: talkFiguresOf(item.talk as Item) } : {}),
  ...(item.support !== undefined ? { support: supportFiguresOf(item.support as Item) } : {}),
  ...(item.schemaVersion !== undefined ? { schemaVersion: item.schemaVersion as number } : {}),
  version: item.version as number,
});

const talkFiguresOf = (stored: Item): TalkFigures => {
  const out: Record<keyof TalkFigures, number> = { ...NO_TALK_FIGURES };
  for (const k of TALK_FIGURES) if (typeof stored[k] === 'number') out[k] = stored[k];
  return out;
};

const supportFiguresOf = (stored: Item): SupportFigures => {
  const out: Record<keyof SupportFigures, number> = { ...NO_SUPPORT_FIGURES };
  for (const k of SUPPORT_FIGURES) if (typeof stored[k] === 'number') out[k] = stored[k];
  return out;
};

export class QueueHistoryRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly table: string,
  ) {}

  /**
   * The stored intervals for these (queue, interval start) pairs, by `${queueId}\0${intervalStart}`,
   * each with the writer tags of its item (the aggregator's, see AppliedWrites).
   */
  async getMany(
    integrationId: string,
    keys: readonly { queueId: string; intervalStart: string }[],
  ): Promise<Map<string, WithWriterTags<QueueInterval>>> {
    return this.getByKeys(
      keys,
      (k) => queueHistoryKey(integrationId, k.queueId, k.intervalStart),
      (k) => `${k.queueId}\u0000${k.intervalStart}`,
      (item) => withWriterTags(toQueueInterval(item), item),
    );
  }

  /** A queue's stored backlog days for these (queue, day) pairs, by `${queueId}\0${day}`, as `getMany`. */
  async getBacklogDays(
    integrationId: string,
    keys: readonly { queueId: string; day: string }[],
  ): Promise<Map<string, WithWriterTags<BacklogDay>>> {
    return this.getByKeys(
      keys,
      (k) => backlogDayKey(integrationId, k.queueId, k.day),
      (k) => `${k.queueId}\u0000${k.day}`,
      (item) => withWriterTags(toBacklogDay(item), item),
    );
  }

  /** The items of these keys that exist, read in batches, by `idOf` their key. */
  private async getByKeys<K, T>(
    keys: readonly K[],
    keyOf: (k: K) => Key,
    idOf: (k: K) => string,
    read: (item: Item) => T,
  ): Promise<Map<string, T>> {
    const found = await batchGet(this.db, this.table, keys.map(keyOf));
    const out = new Map<string, T>();
    for (const k of keys) {
      const item = found.get(lookupKey(keyOf(k)));
      if (item) out.set(idOf(k), read(item));
    }
    return out;
  }

  /**
   * Stores how current the integration's history is, unless a later run's freshness is stored
   * already (a run's end delivered late); false then. The same freshness again changes nothing, and
   * DynamoDB streams no record for a write that changes nothing.
   */
  recordFreshness(integrationId: string, freshness: HistoryFreshness): Promise<boolean> {
    return writtenUnlessRefused(
      this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: freshnessItem(integrationId, freshness),
          ConditionExpression: 'attribute_not_exists(pk) OR lastCompletedRun.#at <= :at',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: { ':at': freshness.lastCompletedRun.at },
        }),
      ),
    );
  }

  /** How current the history is as the queue-history stream last said it; null before a run ended. */
  async freshness(integrationId: string): Promise<HistoryFreshness | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: freshnessKey(integrationId), ConsistentRead: true }),
    );
    return out.Item ? toFreshness(out.Item) : null;
  }

  /** Every interval of one queue, in time order, its backlog days' moves added in (`withBacklogDays`). */
  async intervals(integrationId: string, queueId: string): Promise<QueueInterval[]> {
    const items = await queryPartition(this.db, this.table, partitionOf(integrationId, queueId));
    return withBacklogDays(
      items.filter((i) => i.kind === undefined).map(toQueueInterval),
      items.filter((i) => i.kind === BACKLOG_DAY).map(toBacklogDay),
    );
  }

  /**
   * What one queue's history says of a window, without reading the rest of it: every interval
   * starting in the window as `intervals` gives it, and before it only the intervals whose backlog
   * moved (from the backlog days, and the schema 3–4 items that counted moves themselves), which
   * the backlog at the window's start is made of; those carry their moves, and their other
   * figures only when their own item had to be read for its moves. In time order. A report of one
   * day of a year's history reads that day, the year's backlog days up to it, and, of the earlier
   * interval items, only those with moves (DynamoDB filters the others out).
   */
  async intervalsIn(
    integrationId: string,
    queueId: string,
    window: IntervalWindow,
    backlogIn: BacklogSources = 'days and items',
  ): Promise<QueueInterval[]> {
    const pk = partitionOf(integrationId, queueId);
    const { from, before } = window;
    // A window without a whole interval (`--to` within the interval `--from` starts, or a period
    // after the history's complete end): nothing in it, and only the moves before its end matter.
    const empty = from !== undefined && before !== undefined && from >= before;
    const [inWindow, days, earlierMoves] = await Promise.all([
      empty
        ? Promise.resolve([])
        : queryPartitionWhere(this.db, this.table, pk, {
            skFrom: from ?? FIRST_INTERVAL_KEY,
            skTo: before === undefined ? LAST_INTERVAL_KEY : justBefore(before),
          }),
      backlogIn === 'none'
        ? Promise.resolve([])
        : queryPartitionWhere(this.db, this.table, pk, {
            skFrom: backlogDaySortKey(''),
            skTo: backlogDaySortKey(before === undefined ? LAST_INTERVAL_KEY : before.slice(0, 10)),
          }),
      from === undefined || backlogIn !== 'days and items'
        ? Promise.resolve([])
        : queryPartitionWhere(this.db, this.table, pk, {
            skFrom: FIRST_INTERVAL_KEY,
            skTo: justBefore(empty ? before : from),
            filter: MOVED_BACKLOG,
            filterValues: { ':none': 0 },
          }),
    ]);
    return withBacklogDays(
      [...earlierMoves, ...inWindow].filter((i) => i.kind === undefined).map(toQueueInterval),
      days.filter((i) => i.kind === BACKLOG_DAY).map(toBacklogDay),
    ).filter((i) => neededForWindow(i, window));
  }

  /**
   * Whether one queue's history has Support's figures anywhere (an interval recorded by schema 3
   * or later, or a backlog day): read until the first item that does.
   */
  async hasSupportFigures(integrationId: string, queueId: string): Promise<boolean> {
    const found = await queryPartitionWhere(this.db, this.table, partitionOf(integrationId, queueId), {
      filter: 'attribute_exists(support) OR kind = :day',
      filterValues: { ':day': BACKLOG_DAY },
      firstFound: true,
      pageSize: 100,
    });
    return found.length > 0;
  }

  /**
   * Whether one queue's history holds a contact or a backlog move anywhere (what publishes a queue):
   * read until the first item that does.
   */
  async hasContactOrMove(integrationId: string, queueId: string): Promise<boolean> {
    const found = await queryPartitionWhere(this.db, this.table, partitionOf(integrationId, queueId), {
      filter: `contacts > :none OR kind = :day OR ${MOVED_BACKLOG}`,
      filterValues: { ':none': 0, ':day': BACKLOG_DAY },
      firstFound: true,
      pageSize: 100,
    });
    return found.length > 0;
  }
}

/**
 * Where a queue's backlog moves can be stored: nowhere (a Talk queue); in its backlog days only (a
 * Support queue of an integration whose history began with schema 5); or also in interval items
 * that counted them themselves (schema 3–4), which a window has to look for before it.
 */
export type BacklogSources = 'none' | 'days' | 'days and items';

/**
 * A window of interval starts (ISO-8601 UTC, as stored): from `from` (included) to `before`
 * (excluded); an absent bound is the history's start or end.
 */
export interface IntervalWindow {
  readonly from?: string;
  readonly before?: string;
}

/**
 * Whether a window needs an interval (`intervalsIn` reads exactly these): one starting in it, or
 * before it with backlog moves, which the backlog carried into the window is the sum of.
 */
export const neededForWindow = (i: QueueInterval, window: IntervalWindow): boolean =>
  (window.before === undefined || i.intervalStart < window.before) &&
  (window.from === undefined ||
    i.intervalStart >= window.from ||
    (i.support?.backlogEntered ?? 0) !== 0 ||
    (i.support?.backlogLeft ?? 0) !== 0);

/** Interval starts are ISO-8601 instants: every one sorts between these, and before `backlog#`. */
const FIRST_INTERVAL_KEY = '0000';
const LAST_INTERVAL_KEY = '9999';

/** The sort key just before an interval start (1 ms earlier): `BETWEEN` includes both its ends. */
const justBefore = (intervalStart: string): string => new Date(Date.parse(intervalStart) - 1).toISOString();
