/**
 * The aggregator and the end of an import run: the message that ends a run (`freshness`, no facts)
 * is stored as the integration's freshness item, after any facts its message carries, without the
 * markers and counters a page of facts goes through.
 */
import { describe, expect, it } from '@jest/globals';
import type { ContactsMessage, Fact } from '../../../shared/messages/contacts.js';
import type { HistoryFreshness } from '../../../shared/messages/freshness.js';
import { aggregateContacts, type AggregatorDeps } from '../../../shared/pipeline/aggregator.js';

const AT = '2026-01-05T10:00:00.000Z';
const FRESHNESS: HistoryFreshness = {
  completeUpTo: '2026-01-05T09:55:00.000Z',
  lastCompletedRun: { runId: 'r1', at: AT },
};
const CALL: Fact = {
  kind: 'call',
  callId: 7,
  updatedAt: AT,
  contribution: {
    queue: { id: 'talk:ungrouped', name: 'Calls Inbound', channel: 'voice', source: 'talk' },
    intervalStart: '2026-01-05T09:45:00.000Z',
    contacts: 1,
    handled: 0,
    handleSeconds: 0,
  },
  outcome: { kind: 'counted' },
};

const world = () => {
  const steps: string[] = [];
  const deps = {
    applied: {
      isApplied: async () => {
        steps.push('marker read');
        return false;
      },
      committedChunks: async () => new Set<number>(),
      unfinishedWriterTags: async () => new Set<string>(),
      beginWriting: async () => undefined,
      endWriting: async () => undefined,
      commit: async () => {
        steps.push('counters');
        return 1;
      },
      markApplied: async () => void steps.push('marker'),
    },
    facts: { getMany: async () => new Map(), putMany: async () => void steps.push('facts') },
    queueHistory: {
      getMany: async () => new Map(),
      getBacklogDays: async () => new Map(),
      recordFreshness: async (id: string, f: HistoryFreshness) => {
        steps.push(`freshness ${id} ${f.lastCompletedRun.runId} ${f.completeUpTo}`);
        return true;
      },
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
  return { deps, steps };
};

const message = (facts: Fact[], freshness?: HistoryFreshness): ContactsMessage => ({
  version: 2,
  pageKey: 'p1',
  integrationId: 'acme',
  facts,
  ...(freshness ? { freshness } : {}),
});

describe("aggregator: a run's end", () => {
  it('is stored as the freshness item, one write, with no marker or counter', async () => {
    const w = world();
    expect(await aggregateContacts(w.deps, message([], FRESHNESS))).toEqual({
      duplicate: false,
      factsChanged: 0,
      chunksWritten: 0,
    });
    expect(w.steps).toEqual(['freshness acme r1 2026-01-05T09:55:00.000Z']);
  });

  it('with facts in its message, is stored after they are counted: it speaks of a history that holds them', async () => {
    const w = world();
    await aggregateContacts(w.deps, message([CALL], FRESHNESS));
    expect(w.steps).toEqual([
      'marker read',
      'counters',
      'facts',
      'marker',
      'freshness acme r1 2026-01-05T09:55:00.000Z',
    ]);
  });

  it('a page of facts without it stores no freshness', async () => {
    const w = world();
    await aggregateContacts(w.deps, message([CALL]));
    expect(w.steps).toEqual(['marker read', 'counters', 'facts', 'marker']);
  });
});
