/**
 * Coverage outcomes (one per ticket update or call, carried on its facts) and the counters they
 * feed. Keeping the outcome on a fact makes coverage exactly-once the same way as the queue
 * counters: a repeated update or call replaces its outcome instead of adding another.
 */
export type Outcome =
  `interaction:${string}` | `skipped:${string}` | `unmapped:${string}` | 'call:inbound' | 'call:outbound';

/** The coverage counters one outcome adds 1 to. */
export const countersOfOutcome = (outcome: string): string[] => {
  const [kind, detail] = [outcome.slice(0, outcome.indexOf(':')), outcome.slice(outcome.indexOf(':') + 1)];
  switch (kind) {
    case 'interaction':
      return ['updates_seen', 'interactions_counted', `channel:${detail}`];
    case 'skipped':
      return ['updates_seen', `skipped:${detail}`];
    case 'unmapped':
      return ['updates_seen', 'interactions_unmapped', `unmapped:${detail}`];
    case 'call':
      return detail === 'inbound'
        ? ['calls_seen', 'calls_counted']
        : ['calls_seen', `calls_skipped:${detail}`];
    default:
      return [`other:${outcome}`];
  }
};

/** The coverage counter of a creation counted from `source` (`ticket_events`, `ticket_audits`, `ticket_record`). */
export const counterOfCreationSource = (source: string): string => `creations:${source}`;

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
    creationsBySource: byPrefix(counterOfCreationSource('')),
    quarantined: quarantined.length,
    quarantinedByStream: quarantined.reduce<Record<string, number>>(
      (byStream, r) => ({ ...byStream, [r.stream]: (byStream[r.stream] ?? 0) + 1 }),
      {},
    ),
  };
};
