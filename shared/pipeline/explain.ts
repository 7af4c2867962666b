/**
 * `explain`: the contacts behind a stored number, and every update of a ticket with its verdict.
 *
 * Read from what the pipeline stored while counting, never recomputed: the update log (each ticket
 * update the view classifier applied, its verdict and the queues it counted in; each interaction a
 * view's replay counted) and the stored call facts. The aggregator summed exactly these, so the
 * contacts listed for an interval add up to the stored interval; a difference means something was
 * lost between the two and is shown as such.
 *
 * The functions below are pure: the command reads the stores and hands their contents in.
 */
import { bucketStart, type IntervalMinutes } from '../domain/intervals.js';
import type { InteractionKind } from '../domain/interactions.js';
import type { CallFact } from '../messages/contacts.js';
import type { UpdateVerdict } from '../messages/outcomes.js';
import type { UpdateLogEntry } from '../store/interactions-repository.js';

/** One ticket update with everything the log says about it: its verdict and every queue it counted in. */
export interface ExplainedUpdate {
  /** Null for a creation counted from the ticket record (the tickets export): no update of its own. */
  readonly updateId: number | null;
  readonly ticketId: number;
  readonly at: string;
  /** Absent when only a replay logged it (the classification predates the update log). */
  readonly verdict?: UpdateVerdict;
  readonly authorRole?: string | null;
  /** Each queue it counted in, once per count (a replay's counts after the classification's). */
  readonly queueIds: readonly string[];
}

/** The log's entries gathered per update, in time order (then update id). */
export const explainedUpdates = (log: readonly UpdateLogEntry[]): ExplainedUpdate[] => {
  // A record's creation has no update id: its ticket names it (one creation per ticket).
  const keyOf = (entry: UpdateLogEntry) =>
    entry.updateId === null ? `record ${entry.ticketId}` : `update ${entry.updateId}`;
  const byId = new Map<string, ExplainedUpdate>();
  const ordered = [...log].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'classified' ? -1 : 1));
  for (const entry of ordered) {
    const seen = byId.get(keyOf(entry));
    const queueIds = [...(seen?.queueIds ?? []), ...entry.queueIds];
    byId.set(keyOf(entry), {
      updateId: entry.updateId,
      ticketId: entry.ticketId,
      at: entry.at,
      ...(seen?.verdict !== undefined ? { verdict: seen.verdict, authorRole: seen.authorRole ?? null } : {}),
      ...(entry.kind === 'classified' ? { verdict: entry.verdict, authorRole: entry.authorRole } : {}),
      queueIds,
    });
  }
  return [...byId.values()].sort((a, b) =>
    a.at < b.at ? -1 : a.at > b.at ? 1 : (a.updateId ?? 0) - (b.updateId ?? 0),
  );
};

/** A period of whole intervals: [from, to). */
export interface Period {
  readonly from: string;
  readonly to: string;
}

const within = (intervalStart: string, period: Period) =>
  Date.parse(intervalStart) >= Date.parse(period.from) && Date.parse(intervalStart) < Date.parse(period.to);

export interface SupportContact {
  readonly source: 'support';
  readonly intervalStart: string;
  readonly ticketId: number;
  /** Null: the ticket's creation, counted from its record. */
  readonly updateId: number | null;
  readonly at: string;
  /** How the interaction came about; null when only a replay logged it. */
  readonly kind: InteractionKind | null;
  /** The channel as Zendesk named it (`via.channel`). */
  readonly viaChannel: string | null;
  readonly authorRole: string | null;
  /** Every queue the update counted in (this one among them). */
  readonly queueIds: readonly string[];
}

export interface TalkContact {
  readonly source: 'talk';
  readonly intervalStart: string;
  readonly callId: number;
  /** Null when the fact was stored before the call's details were kept. */
  readonly startedAt: string | null;
  readonly direction: string | null;
  readonly ivrDestinationGroupName: string | null;
  readonly phoneNumber: string | null;
  readonly handled: boolean;
  readonly talkSeconds: number | null;
  readonly holdSeconds: number | null;
  readonly wrapUpSeconds: number | null;
  /** How long the caller waited before an agent answered (or they gave up); null when unknown. */
  readonly waitSeconds: number | null;
  /** `completion_status` as Zendesk recorded it; null when the record had none or it was not kept. */
  readonly completionStatus: string | null;
  /** Started by a callback request; null when not kept (a fact stored before it was). */
  readonly callback: boolean | null;
  /**
   * Answered within the integration's service-level threshold: true or false for a call that
   * counts in service level (it waited in the queue for an agent: answered, abandoned in the queue
   * or sent from it to voicemail; with a wait time, not a callback); null for one that does not,
   * or whose fact predates Talk's figures.
   */
  readonly withinServiceLevel: boolean | null;
  /** What the call added to the interval: its contacts, handled count and handle time. */
  readonly counted: Counts;
}

export type ExplainedContact = SupportContact | TalkContact;

export interface Counts {
  readonly contacts: number;
  readonly handled: number;
  readonly handleSeconds: number;
}

const ZERO: Counts = { contacts: 0, handled: 0, handleSeconds: 0 };

const plus = (a: Counts, b: Counts): Counts => ({
  contacts: a.contacts + b.contacts,
  handled: a.handled + b.handled,
  handleSeconds: a.handleSeconds + b.handleSeconds,
});

/** The Support contacts one queue counted in a period: one per (update, count in the queue). */
export const supportContacts = (
  updates: readonly ExplainedUpdate[],
  queueId: string,
  period: Period,
  minutes: IntervalMinutes,
): SupportContact[] =>
  updates.flatMap((u) => {
    const intervalStart = bucketStart(u.at, minutes);
    if (!within(intervalStart, period)) return [];
    const verdict = u.verdict;
    const contact: SupportContact = {
      source: 'support',
      intervalStart,
      ticketId: u.ticketId,
      updateId: u.updateId,
      at: u.at,
      kind: verdict && 'interaction' in verdict ? verdict.interaction : null,
      viaChannel: verdict && 'viaChannel' in verdict ? verdict.viaChannel : null,
      authorRole: u.authorRole ?? null,
      queueIds: [...new Set(u.queueIds)],
    };
    return u.queueIds.filter((id) => id === queueId).map(() => contact);
  });

/** The calls one Talk queue counted in a period, each with what it added. */
export const talkContacts = (calls: readonly CallFact[], queueId: string, period: Period): TalkContact[] =>
  calls
    .flatMap((fact): TalkContact[] => {
      const c = fact.contribution;
      if (!c || c.queue.id !== queueId || !within(c.intervalStart, period)) return [];
      const d = fact.call;
      return [
        {
          source: 'talk',
          intervalStart: c.intervalStart,
          callId: fact.callId,
          startedAt: d?.startedAt ?? null,
          direction: d?.direction ?? null,
          ivrDestinationGroupName: d?.ivrDestinationGroupName ?? null,
          phoneNumber: d?.phoneNumber ?? null,
          handled: c.handled > 0,
          talkSeconds: d?.talkSeconds ?? null,
          holdSeconds: d?.holdSeconds ?? null,
          wrapUpSeconds: d?.wrapUpSeconds ?? null,
          waitSeconds: d?.waitSeconds ?? null,
          completionStatus: d?.completionStatus ?? null,
          callback: d?.callback ?? null,
          withinServiceLevel:
            c.talk && c.talk.serviceLevelOffered > 0 ? c.talk.serviceLevelAnswered > 0 : null,
          counted: { contacts: c.contacts, handled: c.handled, handleSeconds: c.handleSeconds },
        },
      ];
    })
    .sort((a, b) =>
      a.intervalStart !== b.intervalStart
        ? a.intervalStart < b.intervalStart
          ? -1
          : 1
        : (a.startedAt ?? '') < (b.startedAt ?? '')
          ? -1
          : (a.startedAt ?? '') > (b.startedAt ?? '')
            ? 1
            : a.callId - b.callId,
    );

const countsOf = (contact: ExplainedContact): Counts =>
  contact.source === 'talk' ? contact.counted : { contacts: 1, handled: 0, handleSeconds: 0 };

/** One stored interval as the history holds it. */
export interface StoredCounts extends Counts {
  readonly intervalStart: string;
}

export interface ExplainedInterval {
  readonly intervalStart: string;
  readonly contacts: readonly ExplainedContact[];
  /** The sum of what the listed contacts added. */
  readonly explained: Counts;
  /** The stored interval (zero when nothing is stored). */
  readonly stored: Counts;
  readonly agrees: boolean;
}

export interface QueueExplanation {
  readonly intervals: readonly ExplainedInterval[];
  readonly explained: Counts;
  readonly stored: Counts;
  /** Every interval's listed contacts add up to its stored counters. */
  readonly agrees: boolean;
}

const sameCounts = (a: Counts, b: Counts) =>
  a.contacts === b.contacts && a.handled === b.handled && a.handleSeconds === b.handleSeconds;

/**
 * The contacts per interval beside the stored intervals of the same period: every interval that
 * has either, in time order, with both sums and whether they agree.
 */
export const explainQueue = (
  contacts: readonly ExplainedContact[],
  stored: readonly StoredCounts[],
): QueueExplanation => {
  // Stored and computed interval starts are both ISO-8601 UTC, but not necessarily with the same digits.
  const iso = (at: string) => new Date(at).toISOString();
  const starts = [
    ...new Set([...contacts.map((c) => iso(c.intervalStart)), ...stored.map((s) => iso(s.intervalStart))]),
  ].sort();
  const storedAt = new Map(stored.map((s) => [iso(s.intervalStart), s]));
  const intervals = starts.map((start): ExplainedInterval => {
    const listed = contacts.filter((c) => iso(c.intervalStart) === start);
    const explained = listed.map(countsOf).reduce(plus, ZERO);
    const s = storedAt.get(start);
    const storedCounts: Counts = s
      ? { contacts: s.contacts, handled: s.handled, handleSeconds: s.handleSeconds }
      : ZERO;
    return {
      intervalStart: start,
      contacts: listed,
      explained,
      stored: storedCounts,
      agrees: sameCounts(explained, storedCounts),
    };
  });
  return {
    intervals,
    explained: intervals.map((i) => i.explained).reduce(plus, ZERO),
    stored: intervals.map((i) => i.stored).reduce(plus, ZERO),
    agrees: intervals.every((i) => i.agrees),
  };
};

/** What became of one update of a ticket, as `explain --ticket` shows it. */
export type UpdateFate =
  | { readonly kind: 'counted'; readonly interaction: InteractionKind; readonly channel: string }
  | { readonly kind: 'unmapped'; readonly interaction: InteractionKind; readonly viaChannel: string | null }
  | { readonly kind: 'skipped'; readonly reason: string }
  | { readonly kind: 'warm_up' }
  /** Only a replay logged it: the classification predates the update log. */
  | { readonly kind: 'unknown' };

export const fateOf = (update: ExplainedUpdate): UpdateFate => {
  const v = update.verdict;
  if (!v) return { kind: 'unknown' };
  switch (v.kind) {
    case 'counted':
      return { kind: 'counted', interaction: v.interaction, channel: v.channel };
    case 'unmapped':
      return { kind: 'unmapped', interaction: v.interaction, viaChannel: v.viaChannel };
    case 'skipped':
      return { kind: 'skipped', reason: v.reason };
    case 'warm_up':
      return { kind: 'warm_up' };
  }
};

/** Every logged update of one ticket, in time order. */
export const ticketUpdates = (updates: readonly ExplainedUpdate[], ticketId: number): ExplainedUpdate[] =>
  updates.filter((u) => u.ticketId === ticketId);
