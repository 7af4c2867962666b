import { describe, expect, it } from '@jest/globals';
import type { TicketEventRecord, UserRecord } from '../../../shared/domain/records.js';
import type { InteractionVerdict } from '../../../shared/domain/interactions.js';
import type { Fact } from '../../../shared/messages/contacts.js';
import type { UpdateVerdict } from '../../../shared/messages/outcomes.js';
import type { UpdatesMessage } from '../../../shared/messages/updates.js';
import {
  AuthorLookupRateLimitedError,
  mapChanges,
  verdictOf,
  type ChannelMapperDeps,
} from '../../../shared/pipeline/channel-mapper.js';
import { ACME } from '../../support/integrations.js';

const integration = ACME;
const QUIET = { info: () => undefined, warn: () => undefined, error: () => undefined };

// A customer (id 77) the user export has not delivered yet writes again on ticket 5.
const followUp: TicketEventRecord = {
  id: 900,
  ticketId: 5,
  timestamp: 1_767_600_000,
  createdAt: '2026-01-05T08:00:00Z',
  updaterId: 77,
  via: 'Mail',
  viaReferenceId: null,
  children: [{ kind: 'Comment', authorId: 77, public: true, channel: 'email', rel: null }],
};

type LookUp = UserRecord[] | { kind: 'rate_limited'; retryAfterSeconds: number };

const world = (lookup: LookUp | ((ids: readonly number[]) => LookUp)) => {
  const stored = new Map<number, string>([[10, 'agent']]);
  const sent: UpdatesMessage[] = [];
  const asked: number[][] = [];
  const deps: ChannelMapperDeps = {
    integrations: { get: async () => integration },
    users: {
      roles: async (_id: string, ids: readonly number[]) =>
        new Map(ids.filter((i) => stored.has(i)).map((i) => [i, stored.get(i) as string])),
      upsert: async (_id: string, users: readonly UserRecord[]) => {
        for (const u of users) stored.set(u.id, u.role);
        return users.length;
      },
    },
    zendesk: async () => ({
      usersByIds: async (ids: readonly number[]) => {
        asked.push([...ids]);
        return typeof lookup === 'function' ? lookup(ids) : lookup;
      },
    }),
    bus: { sendUpdates: async (m: UpdatesMessage) => void sent.push(m), sendContacts: async () => undefined },
    logger: QUIET,
  };
  return { deps, sent, asked, stored };
};

const page = {
  version: 1,
  pageKey: 'p1',
  integrationId: 'acme',
  stream: 'ticket_events',
  records: [followUp],
} as const;

describe('mapChanges: comment authors the user export has not delivered yet', () => {
  it('looks the author up by id, stores the role, and counts the comment as the end user’s (the role travels with the update)', async () => {
    const w = world([{ id: 77, role: 'end-user', active: true, updatedAt: '2026-01-05T07:59:00Z' }]);
    await mapChanges(w.deps, { ...page, records: [...page.records] });
    expect(w.asked).toEqual([[77]]);
    expect(w.stored.get(77)).toBe('end-user');
    expect(w.sent).toEqual([
      {
        version: 2,
        pageKey: 'p1',
        integrationId: 'acme',
        type: 'ticket_updates',
        updates: [
          {
            event: followUp,
            verdict: {
              kind: 'counted',
              interaction: 'end_user_comment',
              channel: 'email',
              viaChannel: 'email',
            },
            authorRole: 'end-user',
          },
        ],
      },
    ]);
  });

  it('reports an author Zendesk does not know either as unknown_author', async () => {
    const w = world([]);
    await mapChanges(w.deps, { ...page, records: [...page.records] });
    expect(w.sent[0]?.type === 'ticket_updates' && w.sent[0].updates[0]?.verdict).toEqual({
      kind: 'skipped',
      reason: 'unknown_author',
    });
  });

  it('fails the page (to be retried) when the look-up is rate-limited, sending nothing', async () => {
    const w = world({ kind: 'rate_limited', retryAfterSeconds: 30 });
    await expect(mapChanges(w.deps, { ...page, records: [...page.records] })).rejects.toThrow(
      AuthorLookupRateLimitedError,
    );
    expect(w.sent).toEqual([]);
  });

  it('a refusal costs the request refused, never the authors already looked up: Show Many takes 100 ids, each answer is stored before the next is asked, and the next delivery asks only for the rest', async () => {
    const customers = Array.from({ length: 150 }, (_, i) => 1000 + i);
    const records = customers.map((id, i) => ({
      ...followUp,
      id: 900 + i,
      updaterId: id,
      children: [{ kind: 'Comment' as const, authorId: id, public: true, channel: 'email', rel: null }],
    }));
    let refuse = true;
    const w = world((ids) => {
      if (ids.includes(1100) && refuse) {
        refuse = false;
        return { kind: 'rate_limited', retryAfterSeconds: 30 };
      }
      return ids.map((id) => ({ id, role: 'end-user', active: true, updatedAt: '2026-01-05T07:59:00Z' }));
    });
    await expect(mapChanges(w.deps, { ...page, records })).rejects.toThrow(AuthorLookupRateLimitedError);
    expect(w.sent).toEqual([]);
    await mapChanges(w.deps, { ...page, records });
    expect(w.asked).toEqual([customers.slice(0, 100), customers.slice(100), customers.slice(100)]);
    expect(w.sent[0]?.type === 'ticket_updates' && w.sent[0].updates.map((u) => u.authorRole)).toEqual(
      customers.map(() => 'end-user'),
    );
  });

  it('asks nothing when every author is known', async () => {
    const w = world([]);
    const byAgent: TicketEventRecord = {
      ...followUp,
      updaterId: 10,
      children: [{ kind: 'Comment', authorId: 10, public: true, channel: 'email', rel: null }],
    };
    await mapChanges(w.deps, { ...page, records: [byAgent] });
    expect(w.asked).toEqual([]);
  });
});

describe('mapChanges: the warm-up before the import window', () => {
  it('marks an update before the window to build state only, judging none of its authors', async () => {
    const w = world([]);
    const warmUp = { ...followUp, id: 899, createdAt: '2025-12-31T23:59:59Z', timestamp: 1_767_225_599 };
    await mapChanges(w.deps, { ...page, records: [warmUp, followUp] });
    expect(w.asked).toEqual([[77]]);
    expect(w.sent[0]?.type === 'ticket_updates' && w.sent[0].updates.map((u) => u.verdict)).toEqual([
      { kind: 'warm_up' },
      { kind: 'skipped', reason: 'unknown_author' },
    ]);
  });

  it('asks for no author when the whole page is warm-up', async () => {
    const w = world([]);
    const warmUp = { ...followUp, createdAt: '2025-12-31T00:00:00Z', timestamp: 1_767_139_200 };
    await mapChanges(w.deps, { ...page, records: [warmUp] });
    expect(w.asked).toEqual([]);
    expect(w.sent[0]?.type === 'ticket_updates' && w.sent[0].updates).toEqual([
      { event: warmUp, verdict: { kind: 'warm_up' } },
    ]);
  });
});

describe('mapChanges: Talk calls', () => {
  const call = (id: number, createdAt: string) => ({
    id,
    createdAt,
    updatedAt: '2026-01-01T00:20:00Z',
    direction: 'inbound',
    phoneNumber: '+4930123',
    ivrDestinationGroupName: 'Billing',
    agentId: 9,
    completionStatus: 'completed',
    talkTime: 100,
    holdTime: 0,
    wrapUpTime: 20,
    waitTime: 15,
    callback: false,
    exceededQueueWaitTime: false,
    customerRequestedVoicemail: false,
  });

  it('ignores a call that started before the import window, even when its record changed inside it; a counted call carries its details', async () => {
    const sent: unknown[] = [];
    const deps: ChannelMapperDeps = {
      integrations: { get: async () => integration },
      users: { roles: async () => new Map(), upsert: async () => 0 },
      zendesk: async () => ({ usersByIds: async () => [] }),
      bus: { sendUpdates: async () => undefined, sendContacts: async (m) => void sent.push(m) },
      logger: QUIET,
    };
    await mapChanges(deps, {
      version: 1,
      pageKey: 'c1',
      integrationId: 'acme',
      stream: 'calls',
      records: [call(1, '2025-12-31T23:59:59Z'), call(2, '2026-01-01T00:00:00Z')],
    });
    expect(sent).toEqual([
      {
        version: 2,
        pageKey: 'c1',
        integrationId: 'acme',
        facts: [
          {
            kind: 'call',
            callId: 2,
            updatedAt: '2026-01-01T00:20:00.000Z',
            contribution: {
              queue: {
                id: 'talk:ivr:Billing',
                name: 'Calls Inbound For Billing',
                channel: 'call',
                source: 'talk',
              },
              intervalStart: '2026-01-01T00:00:00.000Z',
              contacts: 1,
              handled: 1,
              handleSeconds: 120,
              // answered after 15 s: within the default 20 s
              talk: {
                abandonedInQueue: 0,
                abandonedInIvr: 0,
                abandonedInVoicemail: 0,
                abandonedOnHold: 0,
                failed: 0,
                notAnswered: 0,
                unknownStatus: 0,
                callbacks: 0,
                serviceLevelOffered: 1,
                serviceLevelAnswered: 1,
                answeredCalls: 1,
                answerWaitSeconds: 15,
              },
            },
            outcome: { kind: 'counted' },
            call: {
              startedAt: '2026-01-01T00:00:00.000Z',
              direction: 'inbound',
              ivrDestinationGroupName: 'Billing',
              phoneNumber: '+4930123',
              handled: true,
              talkSeconds: 100,
              holdSeconds: 0,
              wrapUpSeconds: 20,
              waitSeconds: 15,
              completionStatus: 'completed',
              callback: false,
            },
          },
        ],
      },
    ]);
  });
});

describe('mapChanges: an import of a past period (importUntil)', () => {
  it('counts no ticket update and no call from the end of the window on', async () => {
    const bounded = { ...integration, importUntil: '2026-01-05T08:00:00.000Z' };
    const sent: { type: string; updates?: { event: { id: number } }[]; facts?: Fact[] }[] = [];
    const deps: ChannelMapperDeps = {
      integrations: { get: async () => bounded },
      users: { roles: async () => new Map([[77, 'end-user']]), upsert: async () => 0 },
      zendesk: async () => ({ usersByIds: async () => [] }),
      bus: {
        sendUpdates: async (m) => void sent.push(m as (typeof sent)[number]),
        sendContacts: async (m) => void sent.push({ ...m, type: 'contacts' }),
      },
      logger: QUIET,
    };
    const before = { ...followUp, id: 1, createdAt: '2026-01-05T07:59:59Z' };
    const atEnd = { ...followUp, id: 2, createdAt: '2026-01-05T08:00:00Z' };
    await mapChanges(deps, { ...page, records: [before, atEnd] });
    const call = (id: number, createdAt: string) => ({
      id,
      createdAt,
      updatedAt: createdAt,
      direction: 'inbound',
      phoneNumber: null,
      ivrDestinationGroupName: null,
      agentId: null,
      completionStatus: 'abandoned_in_queue',
      talkTime: 0,
      holdTime: 0,
      wrapUpTime: 0,
      waitTime: 30,
      callback: false,
      exceededQueueWaitTime: false,
      customerRequestedVoicemail: false,
    });
    await mapChanges(deps, {
      version: 1,
      pageKey: 'c',
      integrationId: 'acme',
      stream: 'calls',
      records: [call(10, '2026-01-05T07:00:00Z'), call(11, '2026-01-05T08:00:00Z')],
    });
    expect(
      sent.map((m) => [
        ...(m.updates ?? []).map((u) => u.event.id),
        ...(m.facts ?? []).map((f) => (f.kind === 'call' ? `call ${f.callId}` : f.kind)),
      ]),
    ).toEqual([[1], ['call 10']]);
  });
});

describe('mapChanges: views', () => {
  it('hands the views on with the ids of those quarantined, so the view classifier keeps them', async () => {
    const w = world([]);
    const view = {
      id: 1,
      title: 'Open',
      active: true,
      updatedAt: '2026-01-02T00:00:00Z',
      position: 1,
      conditions: { all: [], any: [] },
    };
    await mapChanges(w.deps, {
      version: 1,
      pageKey: 'v1',
      integrationId: 'acme',
      stream: 'views',
      records: [view],
      quarantinedViewIds: [2],
    });
    expect(w.sent).toEqual([
      {
        version: 2,
        pageKey: 'v1',
        integrationId: 'acme',
        type: 'views',
        views: [view],
        quarantinedViewIds: [2],
      },
    ]);
  });
});

describe("mapChanges: a run's end", () => {
  it('goes on to the view classifier, never straight to the aggregator: behind the ticket work it reaches the aggregator after every contact of the run', async () => {
    const w = world([]);
    const contacts: unknown[] = [];
    const freshness = {
      completeUpTo: '2026-01-05T07:55:00.000Z',
      lastCompletedRun: { runId: 'r1', at: '2026-01-05T08:00:03.000Z' },
    };
    await mapChanges(
      { ...w.deps, bus: { ...w.deps.bus, sendContacts: async (m) => void contacts.push(m) } },
      { version: 1, pageKey: 'end1', integrationId: 'acme', stream: 'run_completed', freshness },
    );
    expect(w.sent).toEqual([
      { version: 2, pageKey: 'end1', integrationId: 'acme', type: 'run_completed', freshness },
    ]);
    expect(contacts).toEqual([]);
    expect(w.stored.size).toBe(1);
  });
});

describe('verdictOf: the verdict an update travels with', () => {
  it.each<[string, InteractionVerdict, UpdateVerdict]>([
    [
      'an interaction in a channel of the table is counted in its WFM channel',
      { kind: 'creation', viaChannel: 'web', channel: 'email' },
      { kind: 'counted', interaction: 'creation', channel: 'email', viaChannel: 'web' },
    ],
    [
      'a chat session keeps its kind and its Zendesk channel',
      { kind: 'chat_session', viaChannel: 'whatsapp', channel: 'social_media' },
      { kind: 'counted', interaction: 'chat_session', channel: 'social_media', viaChannel: 'whatsapp' },
    ],
    [
      'an interaction in a channel the table does not know is unmapped under its Zendesk name',
      { kind: 'end_user_comment', viaChannel: 'line', channel: 'unmapped' },
      { kind: 'unmapped', interaction: 'end_user_comment', viaChannel: 'line' },
    ],
    [
      'an interaction that names no channel is unmapped without a name',
      { kind: 'creation', viaChannel: null, channel: 'unmapped' },
      { kind: 'unmapped', interaction: 'creation', viaChannel: null },
    ],
    [
      'an update that is no interaction is skipped with its reason',
      { kind: 'none', reason: 'agent_reply' },
      { kind: 'skipped', reason: 'agent_reply' },
    ],
  ])('%s', (_rule, domain, expected) => {
    expect(verdictOf(domain)).toEqual(expected);
  });
});
