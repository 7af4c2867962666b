import type { Fact } from '../messages/contacts.js';
import type { CallOutcome, UpdateOutcome } from '../messages/outcomes.js';
import type { CreationSource } from '../domain/ticket-state.js';

/**
 * Coverage: the counters each fact's outcome feeds, and the report read back from them. The
 * outcome rides on the update's or call's fact, so coverage is exactly-once the same way as the
 * queue counters: a repeated update changes nothing, a later version of a call replaces its outcome.
 *
 * The counter names are the coverage table's stored layout (`updates_seen`, `channel:<channel>`,
 * `unmapped:<Zendesk channel>` with `(none)` for no channel, `skipped:<reason>`, `calls_seen`,
 * `calls_counted`, `calls_skipped:<reason>`), as every earlier version wrote them: an existing
 * install reads back the same coverage. A ticket's creation also counts in
 * `creations:<source>`, by where it was counted from (`CreationSource`).
 */
const updateCounters = (outcome: UpdateOutcome): string[] => {
  switch (outcome.kind) {
    case 'counted':
      return ['updates_seen', 'interactions_counted', `channel:${outcome.channel}`];
    case 'unmapped':
      return ['updates_seen', 'interactions_unmapped', `unmapped:${outcome.viaChannel ?? '(none)'}`];
    case 'skipped':
      return ['updates_seen', `skipped:${outcome.reason}`];
  }
};

const callCounters = (outcome: CallOutcome): string[] => {
  switch (outcome.kind) {
    case 'counted':
      return ['calls_seen', 'calls_counted'];
    case 'skipped':
      return ['calls_seen', `calls_skipped:${outcome.reason}`];
  }
};

const CREATIONS_PREFIX = 'creations:';
const creationCounter = (source: CreationSource): string => `${CREATIONS_PREFIX}${source}`;

/** The coverage counters one fact adds 1 to (a ticket update's count in a view feeds none). */
export const coverageCountersOf = (fact: Fact): string[] => {
  switch (fact.kind) {
    case 'update_outcome':
      return [
        ...updateCounters(fact.outcome),
        ...(fact.creation !== undefined ? [creationCounter(fact.creation)] : []),
      ];
    case 'record_creation_outcome':
      return [
        ...updateCounters(fact.outcome),
        ...(fact.outcome.kind === 'skipped' ? [] : [creationCounter('ticket_record')]),
      ];
    case 'update_in_view':
    case 'record_creation_in_view':
      return [];
    case 'call':
      return callCounters(fact.outcome);
  }
};

export interface CoverageReport {
  readonly updatesSeen: number;
  readonly interactionsCounted: number;
  readonly interactionsByChannel: Readonly<Record<string, number>>;
  readonly skippedByReason: Readonly<Record<string, number>>;
  /** Interactions not counted because their channel is not in the channel table, by channel name. */
  readonly unmappedChannels: Readonly<Record<string, number>>;
  readonly callsSeen: number;
  readonly callsCounted: number;
  readonly callsSkipped: Readonly<Record<string, number>>;
  readonly viewsByVerdict: { readonly supported: number; readonly unsupported: number };
  /**
   * Ticket creations counted (interactions or unmapped), by where each was counted from: the
   * ticket-event export, the ticket's audits (the export brought a later update, not the creation),
   * or the ticket record (the export brought nothing of the ticket). Each creation once.
   */
  readonly creationsBySource: Readonly<Record<string, number>>;
  /**
   * Records the exports carried that did not fit, each kept apart instead of failing its page
   * (listed by `zendesk-wfm quarantined`): counted nowhere else.
   */
  readonly quarantined: number;
  /** The same, by export stream (`ticket_events`, `users`, `calls`). */
  readonly quarantinedByStream: Readonly<Record<string, number>>;
}

export const coverageReport = (
  counters: readonly { counter: string; count: number }[],
  views: readonly { supported: boolean; deleted: boolean }[],
  quarantined: readonly { stream: string }[] = [],
): CoverageReport => {
  const value = (name: string) => counters.find((c) => c.counter === name)?.count ?? 0;
  const byPrefix = (prefix: string) =>
    Object.fromEntries(
      counters
        .filter((c) => c.counter.startsWith(prefix) && c.count !== 0)
        .map((c) => [c.counter.slice(prefix.length), c.count]),
    );
  const live = views.filter((v) => !v.deleted);
  return {
    updatesSeen: value('updates_seen'),
    interactionsCounted: value('interactions_counted'),
    interactionsByChannel: byPrefix('channel:'),
    skippedByReason: byPrefix('skipped:'),
    unmappedChannels: byPrefix('unmapped:'),
    callsSeen: value('calls_seen'),
    callsCounted: value('calls_counted'),
    callsSkipped: byPrefix('calls_skipped:'),
    viewsByVerdict: {
      supported: live.filter((v) => v.supported).length,
      unsupported: live.filter((v) => !v.supported).length,
    },
    creationsBySource: byPrefix(CREATIONS_PREFIX),
    quarantined: quarantined.length,
    quarantinedByStream: quarantined.reduce<Record<string, number>>(
      (byStream, r) => ({ ...byStream, [r.stream]: (byStream[r.stream] ?? 0) + 1 }),
      {},
    ),
  };
};
