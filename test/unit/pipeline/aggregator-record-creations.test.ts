/**
 * The aggregator with creations counted from the ticket record: their facts name the ticket, count
 * once per message like an update's (its outcome in coverage with its source, its count in each
 * view's queue), are never stored, and a redelivered message is absorbed by its marker.
 */
import { describe, expect, it } from '@jest/globals';
import type { ContactsMessage, Fact } from '../../../shared/messages/contacts.js';
import { aggregateContacts, type AggregatorDeps } from '../../../shared/pipeline/aggregator.js';
import type { PlannedWrite } from '../../../shared/store/applied-writes.js';

const AT = '2026-01-05T10:00:00.000Z';
const QUEUE = {
  id: 'support:77:chat',
  name: 'Acme brand (chat)',
  channel: 'chat',
  source: 'support',
  viewId: 77,
} as const;

const world = () => {
  const markers = new Set<string>();
  const items = new Map<string, Record<string, unknown>>();
  const stored: unknown[] = [];
  const deps: AggregatorDeps = {
    applied: {
      isApplied: async (marker: string) => markers.has(marker),
      committedChunks: async () => new Set<number>(),
      unfinishedWriterTags: async () => new Set<string>(),
      beginWriting: async () => undefined,
      endWriting: async () => undefined,
      commit: async (_marker: string, writes: readonly PlannedWrite[]) => {
        for (const w of writes) items.set(w.id, w.build().item);
        return writes.length > 0 ? 1 : 0;
      },
      markApplied: async (marker: string) => void markers.add(marker),
    } as unknown as AggregatorDeps['applied'],
    facts: {
      getMany: async () => new Map(),
      putMany: async (_id: string, facts: readonly unknown[]) => void stored.push(...facts),
    },
    queueHistory: {
      getMany: async () => new Map(),
      getBacklogDays: async () => new Map(),
      table: 'queue-history',
    },
    catalog: {
      register: async () => undefined,
      latestCounters: async () => null,
      raiseLatest: async () => undefined,
    },
    coverage: { list: async () => [], table: 'coverage' },
    now: () => new Date(AT),
  } as unknown as AggregatorDeps;
  const coverage = () =>
    Object.fromEntries(
      [...items].filter(([id]) => id.startsWith('coverage\u0000')).map(([, item]) => [item.sk, item.count]),
    );
  const contacts = () =>
    [...items]
      .filter(([id]) => id.startsWith('history\u0000'))
      .map(([, item]) => [item.queueId, item.contacts]);
  return { deps, coverage, contacts, stored };
};

const outcome: Fact = {
  kind: 'record_creation_outcome',
  ticketId: 5001,
  at: AT,
  outcome: { kind: 'counted', channel: 'chat' },
};
const inView: Fact = {
  kind: 'record_creation_in_view',
  ticketId: 5001,
  at: AT,
  contribution: { queue: QUEUE, intervalStart: AT, contacts: 1, handled: 0, handleSeconds: 0 },
};
const message = (facts: Fact[]): ContactsMessage => ({
  version: 2,
  pageKey: 'p1',
  integrationId: 'acme',
  facts,
});

describe('aggregator: a creation counted from the ticket record', () => {
  it('counts once: its outcome with its source in coverage, its count in the view queue; nothing stored', async () => {
    const w = world();
    await aggregateContacts(w.deps, message([outcome, inView]));
    expect(w.coverage()).toEqual({
      updates_seen: 1,
      interactions_counted: 1,
      'channel:chat': 1,
      'creations:ticket_record': 1,
    });
    expect(w.contacts()).toEqual([['support:77:chat', 1]]);
    expect(w.stored).toEqual([]);
  });

  it('the same creation twice in one message counts once (one per ticket and view)', async () => {
    const w = world();
    await aggregateContacts(w.deps, message([outcome, inView, outcome, inView]));
    expect(w.coverage()['creations:ticket_record']).toBe(1);
    expect(w.contacts()).toEqual([['support:77:chat', 1]]);
  });

  it('a redelivered message is absorbed by its marker', async () => {
    const w = world();
    await aggregateContacts(w.deps, message([outcome, inView]));
    const again = await aggregateContacts(w.deps, message([outcome, inView]));
    expect(again).toEqual({ duplicate: true, factsChanged: 0, chunksWritten: 0 });
  });
});
