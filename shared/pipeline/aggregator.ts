import { addBacklogMoves, backlogDayOf, type IntervalBacklogMoves } from '../domain/backlog-days.js';
import {
  NO_SUPPORT_FIGURES,
  NO_TALK_FIGURES,
  applyContribution,
  contributionDelta,
  type Contribution,
} from '../domain/counters.js';
import type {
  CallFact,
  ContactsMessage,
  Fact,
  FactContribution,
  QueueRef,
  TicketFact,
} from '../messages/contacts.js';
import {
  MARKER_TTL_DAYS,
  chunkCount,
  storedWriterTags,
  type AppliedWrites,
  type PlannedWrite,
} from '../store/applied-writes.js';
import type { ContactFactsRepository } from '../store/contact-facts-repository.js';
import { coverageItem, type CoverageRepository } from '../store/coverage-repository.js';
import type {
  CounterKind,
  LatestCounters,
  QueueCatalogRepository,
} from '../store/queue-catalog-repository.js';
import {
  backlogDayItem,
  queueIntervalItem,
  type QueueHistoryRepository,
} from '../store/queue-history-repository.js';
import { coverageCountersOf } from './coverage.js';
import type { Grants } from './grants.js';

/**
 * The aggregator: contact facts in, per-interval queue counters and coverage counters out, exactly
 * once (SPEC §6).
 *
 * 1. A message whose marker exists was applied completely: nothing to do.
 * 2. Each fact is compared with the stored fact of the same (source, scope); an older version is
 *    ignored, an equal one changes nothing, a new or newer one contributes the difference.
 * 3. The differences of the whole message are summed per counter, the touched counters read (but
 *    those after their kind's latest counter, which cannot exist: the marks are raised before any
 *    counter is written), and the changed ones written with absolute values (contacts, handled, handle time, AHT, Talk's
 *    figures or Support's reopens, name, channel, source, schema version; Support's backlog moves
 *    in their queue's day item, one per queue and UTC day however many intervals moved) under
 *    their version, in guarded chunks (AppliedWrites) whose membership depends on the counters'
 *    names only. Queues new to the catalog are registered
 *    before the counters, each on its own.
 *    Processing is serialised per integration (one FIFO group), so reading then writing is safe;
 *    on an existing counter the version condition turns any surprise into a retry rather than a
 *    lost update (a new one is created by a batch put, which has no condition: AppliedWrites).
 * 4. Then the facts are stored, then the message's marker. A crash before the facts are stored
 *    recomputes the same differences from the same stored facts, plans the same chunks, and
 *    computes and writes only those whose marker is absent; a crash after re-stores identical facts.
 * Only calls' facts (`kind: 'call'`) are stored: a call's record changes, and its new version
 * replaces the old. A ticket update's facts (`update_outcome`, `update_in_view`) are counted from
 * the message alone: each has one version, and each is sent exactly once. The view classifier's ticket
 * state skips an update it already applied, a retried classification re-sends the same message
 * under the same key (the marker absorbs it), and a view's replay skips the interactions that were
 * evaluated against that view when classified. Storing and reading one item per update and scope
 * was most of the pipeline's DynamoDB traffic. A creation counted from the ticket record
 * (`record_creation_outcome`, `record_creation_in_view`) is one of these: it is sent once, from the
 * page that records it in the ticket's state (`creation: 'ticket_record'`, saved after the facts
 * are sent), and every later page, source or run sees that state and sends nothing.
 * Nothing is written when nothing changed, and no value comes from the wall clock, so a re-run
 * leaves every interval of the queue-history table byte for byte as it was.
 *
 * The message that ends an import run (`freshness`, no facts) comes behind every contact of the run
 * (see the channel mapper): the aggregator stores it as the integration's freshness item, one write
 * per run, so the queue-history stream tells how current the history is.
 */
export interface AggregatorDeps {
  readonly applied: Pick<
    AppliedWrites,
    | 'isApplied'
    | 'committedChunks'
    | 'unfinishedWriterTags'
    | 'beginWriting'
    | 'commit'
    | 'markApplied'
    | 'endWriting'
  >;
  readonly facts: Pick<ContactFactsRepository, 'getMany' | 'putMany'>;
  readonly queueHistory: Pick<
    QueueHistoryRepository,
    'getMany' | 'getBacklogDays' | 'recordFreshness' | 'table'
  >;
  readonly catalog: Pick<QueueCatalogRepository, 'register' | 'latestCounters' | 'raiseLatest'>;
  readonly coverage: Pick<CoverageRepository, 'list' | 'table'>;
  /** The wall clock, only for the markers' expiry (DynamoDB TTL): no counter value comes from a clock. */
  readonly now: () => Date;
}

/**
 * The aggregator's AWS actions: counters, coverage and a message's chunk markers are read in
 * batches or by partition; a new counter is created in a batch (BatchWriteItem), a changed one put
 * on its own under its version (PutItem), then its chunk's marker (PutItem); catalog entries are put one by one;
 * the freshness item is a conditional PutItem of its own; the latest counters' marks are read
 * (GetItem, and Query and PutItem to make them while the catalog is empty) and raised (UpdateItem);
 * the integration's unfinished writers are read (GetItem) and a message listed and removed
 * (UpdateItem).
 */
export const AGGREGATOR_GRANTS: Grants = {
  consumes: 'contacts',
  tables: {
    appliedMarkers: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem'],
    contactFacts: ['BatchGetItem', 'BatchWriteItem'],
    queueHistory: ['BatchGetItem', 'BatchWriteItem', 'PutItem'],
    queueCatalog: ['Query', 'GetItem', 'PutItem', 'UpdateItem'],
    coverage: ['Query', 'BatchWriteItem', 'PutItem'],
  },
  sendsTo: [],
  secrets: {},
};

export interface AggregateResult {
  readonly duplicate: boolean;
  readonly factsChanged: number;
  /** Chunks of counters committed by this attempt. */
  readonly chunksWritten: number;
}

const DAY_SECONDS = 86_400;

const sameCall = (a: CallFact, b: CallFact) =>
  a.updatedAt === b.updatedAt &&
  JSON.stringify(a.contribution) === JSON.stringify(b.contribution) &&
  JSON.stringify(a.call) === JSON.stringify(b.call) &&
  coverageCountersOf(a).join() === coverageCountersOf(b).join();

const contributionOf = (f: Fact): FactContribution | null =>
  f.kind === 'update_outcome' || f.kind === 'record_creation_outcome' ? null : f.contribution;

const asContribution = (f: Fact): Contribution[] => {
  const c = contributionOf(f);
  return c
    ? [
        {
          queueId: c.queue.id,
          intervalStart: c.intervalStart,
          contacts: c.contacts,
          handled: c.handled,
          handleSeconds: c.handleSeconds,
          ...(c.talk ? { talk: c.talk } : {}),
          ...(c.support ? { support: c.support } : {}),
        },
      ]
    : [];
};

/**
 * A ticket update (or a creation counted from the ticket record) contributes once per message: its
 * outcome, and its count in each view's queue.
 */
const ticketFactKey = (f: TicketFact): string => {
  switch (f.kind) {
    case 'update_outcome':
      return `update\u0000${f.updateId}`;
    case 'update_in_view':
      return `update\u0000${f.updateId}\u0000${f.contribution.queue.id}`;
    case 'record_creation_outcome':
      return `record\u0000${f.ticketId}`;
    case 'record_creation_in_view':
      return `record\u0000${f.ticketId}\u0000${f.contribution.queue.id}`;
  }
};

const intervalKey = (queueId: string, intervalStart: string) => `${queueId}\u0000${intervalStart}`;

/**
 * What a delta changes in its interval's item: all but Support's backlog moves, which go to the
 * queue's day item; null when that is nothing (an interval only moved in or out of a backlog).
 */
const intervalPart = (d: Contribution): Contribution | null => {
  const { support, ...rest } = d;
  const changes =
    d.contacts !== 0 ||
    d.handled !== 0 ||
    d.handleSeconds !== 0 ||
    d.talk !== undefined ||
    (support !== undefined && support.reopens !== 0);
  if (!changes) return null;
  return support && support.reopens !== 0
    ? { ...rest, support: { reopens: support.reopens, backlogEntered: 0, backlogLeft: 0 } }
    : rest;
};

/**
 * The base of a message's chunk markers when its moves go to day items (schema 5): apart from the
 * message's own marker, under which an attempt before schema 5 committed its chunks.
 */
const byDayMarker = (marker: string): string => `${marker}#days`;

/** The backlog moves of a message's deltas, per queue and UTC day. */
const backlogMovesByDay = (
  deltas: readonly Contribution[],
): Map<string, { queueId: string; day: string; moves: IntervalBacklogMoves[] }> => {
  const out = new Map<string, { queueId: string; day: string; moves: IntervalBacklogMoves[] }>();
  for (const d of deltas) {
    const entered = d.support?.backlogEntered ?? 0;
    const left = d.support?.backlogLeft ?? 0;
    if (entered === 0 && left === 0) continue;
    const day = backlogDayOf(d.intervalStart);
    const key = `${d.queueId}\u0000${day}`;
    const group = out.get(key) ?? { queueId: d.queueId, day, moves: [] };
    group.moves.push({ intervalStart: d.intervalStart, entered, left });
    out.set(key, group);
  }
  return out;
};

/**
 * Which of a message's counters come after their kind's latest counter (so are not there), and
 * the marks to raise to cover all of its counters.
 */
const latestBeyond = <I extends { queueId: string; intervalStart: string }, D extends { day: string }>(
  latest: LatestCounters,
  intervals: readonly I[],
  days: readonly D[],
  kindOf: (queueId: string) => CounterKind,
): { intervals: Set<I>; days: Set<D>; raise: Map<CounterKind, string> } => {
  const raise = new Map<CounterKind, string>();
  const beyondIntervals = new Set<I>();
  // Per kind: its stored mark, and the latest interval of this message after it (epoch ms).
  const markMs = new Map<CounterKind, number>();
  const raisedMs = new Map<CounterKind, number>();
  for (const d of intervals) {
    const kind = kindOf(d.queueId);
    const ms = Date.parse(d.intervalStart);
    let mark = markMs.get(kind);
    if (mark === undefined) {
      const stored = latest[kind];
      mark = stored === undefined ? -Infinity : Date.parse(stored);
      markMs.set(kind, mark);
    }
    if (!(ms > mark)) continue;
    beyondIntervals.add(d);
    if (ms > (raisedMs.get(kind) ?? -Infinity)) raisedMs.set(kind, ms);
  }
  for (const [kind, ms] of raisedMs) raise.set(kind, new Date(ms).toISOString());
  const beyondDays = new Set<D>();
  for (const d of days) {
    const stored = latest.backlogDay;
    if (stored !== undefined && d.day <= stored) continue;
    beyondDays.add(d);
    const raised = raise.get('backlogDay');
    if (raised === undefined || d.day > raised) raise.set('backlogDay', d.day);
  }
  return { intervals: beyondIntervals, days: beyondDays, raise };
};

export const aggregateContacts = async (
  deps: AggregatorDeps,
  message: ContactsMessage,
): Promise<AggregateResult> => {
  if (message.freshness === undefined) return aggregateFacts(deps, message);
  const result =
    message.facts.length > 0
      ? await aggregateFacts(deps, message)
      : { duplicate: false, factsChanged: 0, chunksWritten: 0 };
  // After the facts: the freshness speaks of a history that holds them.
  await deps.queueHistory.recordFreshness(message.integrationId, message.freshness);
  return result;
};

const aggregateFacts = async (deps: AggregatorDeps, message: ContactsMessage): Promise<AggregateResult> => {
  const integrationId = message.integrationId;
  const marker = `${integrationId}#${message.pageKey}`;
  // The newest version of each call in this message, and each ticket update's facts apart.
  const incoming = new Map<number, CallFact>();
  const updateFacts = new Map<string, TicketFact>();
  for (const fact of message.facts) {
    if (fact.kind === 'call') {
      const seen = incoming.get(fact.callId);
      if (!seen || seen.updatedAt <= fact.updatedAt) incoming.set(fact.callId, fact);
    } else {
      const seen = updateFacts.get(ticketFactKey(fact));
      if (!seen || seen.at <= fact.at) updateFacts.set(ticketFactKey(fact), fact);
    }
  }
  // The marker, the stored facts and the latest counters in one round trip: a duplicate (rare)
  // wastes the other reads.
  const [applied, stored, latest] = await Promise.all([
    deps.applied.isApplied(marker),
    deps.facts.getMany(integrationId, [...incoming.keys()]),
    deps.catalog.latestCounters(integrationId),
  ]);
  if (applied) return { duplicate: true, factsChanged: 0, chunksWritten: 0 };
  const changed = [...incoming.values()].filter((f) => {
    const before = stored.get(f.callId);
    return !before || (before.updatedAt <= f.updatedAt && !sameCall(before, f));
  });

  const before: Contribution[] = [];
  const after: Contribution[] = [];
  const queues = new Map<string, QueueRef>();
  const coverageDelta = new Map<string, number>();
  const add = (fact: Fact, into: Contribution[], sign: 1 | -1) => {
    into.push(...asContribution(fact));
    const contribution = contributionOf(fact);
    if (contribution) queues.set(contribution.queue.id, contribution.queue);
    for (const counter of coverageCountersOf(fact)) {
      coverageDelta.set(counter, (coverageDelta.get(counter) ?? 0) + sign);
    }
  };
  for (const fact of changed) {
    const old = stored.get(fact.callId);
    if (old) add(old, before, -1);
    add(fact, after, 1);
  }
  for (const fact of updateFacts.values()) add(fact, after, 1);
  const deltas = contributionDelta(before, after);

  // Which writes this message makes depends on its facts and the stored facts only (both the same
  // on every attempt until the facts are stored, after the counters), so the chunks are the same
  // on a retry; the current values are read with the chunks an earlier attempt committed. One
  // exception, planned for: an attempt made before schema 5 (a message parked or journalled across
  // an upgrade) planned every move into its interval's item, under the message's own marker. Its
  // chunks are finished the same way, or they would be planned anew and counted twice or not at all.
  const touchedQueues = new Set(deltas.map((d) => d.queueId));
  const coverageChanges = [...coverageDelta].filter(([, d]) => d !== 0);
  const byDay = {
    intervalDeltas: deltas.map(intervalPart).filter((d): d is Contribution => d !== null),
    backlogDays: [...backlogMovesByDay(deltas).values()],
  };
  const [byIntervalCommitted, byDayCommitted] = await Promise.all([
    deps.applied.committedChunks(marker, chunkCount(deltas.length + coverageChanges.length)),
    deps.applied.committedChunks(
      byDayMarker(marker),
      chunkCount(byDay.intervalDeltas.length + byDay.backlogDays.length + coverageChanges.length),
    ),
  ]);
  const plan =
    byIntervalCommitted.size > 0
      ? { chunkMarker: marker, intervalDeltas: deltas, backlogDays: [], committed: byIntervalCommitted }
      : { chunkMarker: byDayMarker(marker), ...byDay, committed: byDayCommitted };
  const { intervalDeltas, backlogDays, committed } = plan;
  // A counter after its kind's latest is not there: only the others are read. The marks are raised
  // before any counter is written (below), so a retry reads every counter its first attempt could
  // have written.
  const kindOf = (queueId: string): CounterKind => queues.get(queueId)!.source;
  const beyond = latest === null ? null : latestBeyond(latest, intervalDeltas, backlogDays, kindOf);
  const [current, currentDays, coverage] = await Promise.all([
    deps.queueHistory.getMany(
      integrationId,
      beyond === null ? intervalDeltas : intervalDeltas.filter((d) => !beyond.intervals.has(d)),
    ),
    deps.queueHistory.getBacklogDays(
      integrationId,
      beyond === null ? backlogDays : backlogDays.filter((d) => !beyond.days.has(d)),
    ),
    coverageChanges.length > 0 ? deps.coverage.list(integrationId) : [],
  ]);
  const writes: PlannedWrite[] = [];
  for (const { queueId, day, moves } of backlogDays) {
    writes.push({
      id: `backlog\u0000${queueId}\u0000${day}`,
      writers: () => storedWriterTags(currentDays.get(`${queueId}\u0000${day}`)),
      build: () => {
        const was = currentDays.get(`${queueId}\u0000${day}`);
        return {
          table: deps.queueHistory.table,
          expectedVersion: was?.version ?? 0,
          item: backlogDayItem({
            integrationId,
            queue: queues.get(queueId)!,
            day,
            moves: addBacklogMoves(was?.moves, moves, `queue ${queueId} day ${day}`),
            version: (was?.version ?? 0) + 1,
          }),
        };
      },
    });
  }
  for (const delta of intervalDeltas) {
    writes.push({
      id: `history\u0000${delta.queueId}\u0000${delta.intervalStart}`,
      writers: () => storedWriterTags(current.get(intervalKey(delta.queueId, delta.intervalStart))),
      build: () => {
        const was = current.get(intervalKey(delta.queueId, delta.intervalStart));
        const counters = applyContribution(was, delta);
        const queue = queues.get(delta.queueId)!;
        return {
          table: deps.queueHistory.table,
          expectedVersion: was?.version ?? 0,
          item: queueIntervalItem({
            integrationId,
            queue,
            intervalStart: delta.intervalStart,
            contacts: counters.contacts,
            handled: counters.handled,
            handleSeconds: counters.handleSeconds,
            ...(queue.source === 'talk' && counters.ahtSeconds !== undefined
              ? { ahtSeconds: counters.ahtSeconds }
              : {}),
            ...(queue.source === 'talk' ? { talk: counters.talk ?? NO_TALK_FIGURES } : {}),
            ...(queue.source === 'support' ? { support: counters.support ?? NO_SUPPORT_FIGURES } : {}),
            version: (was?.version ?? 0) + 1,
          }),
        };
      },
    });
  }
  const coverageNow = new Map(coverage.map((c) => [c.counter, c]));
  for (const [counter, delta] of coverageChanges) {
    writes.push({
      id: `coverage\u0000${counter}`,
      writers: () => storedWriterTags(coverageNow.get(counter)),
      build: () => {
        const was = coverageNow.get(counter);
        return {
          table: deps.coverage.table,
          expectedVersion: was?.version ?? 0,
          item: coverageItem(integrationId, counter, (was?.count ?? 0) + delta, (was?.version ?? 0) + 1),
        };
      },
    });
  }
  const expiresAt = Math.floor(deps.now().getTime() / 1000) + MARKER_TTL_DAYS * DAY_SECONDS;
  if (beyond !== null) {
    await Promise.all(
      [...beyond.raise].map(([kind, to]) => deps.catalog.raiseLatest(integrationId, kind, to)),
    );
  }
  if (touchedQueues.size > 0) {
    await deps.catalog.register(
      integrationId,
      [...touchedQueues].map((id) => queues.get(id)!),
    );
  }
  // Listed as writing before its first counter, so that a later message that gets ahead of it keeps
  // its tag on the counters it wrote (AppliedWrites).
  const keep =
    writes.length > 0 ? await deps.applied.unfinishedWriterTags(integrationId, marker) : new Set<string>();
  if (writes.length > 0) await deps.applied.beginWriting(integrationId, plan.chunkMarker, marker);
  const chunksWritten = await deps.applied.commit(plan.chunkMarker, writes, expiresAt, committed, keep);
  await deps.facts.putMany(integrationId, changed);
  await deps.applied.markApplied(marker, expiresAt);
  if (writes.length > 0) await deps.applied.endWriting(integrationId, plan.chunkMarker);
  return {
    duplicate: false,
    factsChanged: changed.length + updateFacts.size,
    chunksWritten,
  };
};
