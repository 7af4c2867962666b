import { describe, expect, it } from '@jest/globals';
import type { CallFact } from '../../../shared/messages/contacts.js';
import {
  explainQueue,
  explainedUpdates,
  fateOf,
  supportContacts,
  talkContacts,
  ticketUpdates,
  type ExplainedContact,
  type ExplainedUpdate,
  type StoredCounts,
} from '../../../shared/pipeline/explain.js';
import type { UpdateLogEntry } from '../../../shared/store/interactions-repository.js';

const Q = 'support:1:email';
const OTHER = 'support:2:email';
const COUNTED = { kind: 'counted', interaction: 'creation', channel: 'email', viaChannel: 'web' } as const;

const classified = (updateId: number, at: string, queueIds: string[], ticketId = 10): UpdateLogEntry => ({
  kind: 'classified',
  updateId,
  ticketId,
  at,
  verdict: COUNTED,
  creates: true,
  authorRole: 'end-user',
  queueIds,
});
const replayed = (updateId: number, at: string, viewId: number, queueIds: string[]): UpdateLogEntry => ({
  kind: 'replayed',
  updateId,
  ticketId: 10,
  at,
  viewId,
  queueIds,
});

describe('explainedUpdates: the log gathered per update', () => {
  it.each<[string, UpdateLogEntry[], ExplainedUpdate[]]>([
    [
      'a replay adds its queues to the classification, whatever order the log was read in',
      [replayed(1, '2026-01-05T08:00:00.000Z', 2, [OTHER]), classified(1, '2026-01-05T08:00:00.000Z', [Q])],
      [
        {
          updateId: 1,
          ticketId: 10,
          at: '2026-01-05T08:00:00.000Z',
          verdict: COUNTED,
          authorRole: 'end-user',
          queueIds: [Q, OTHER],
        },
      ],
    ],
    [
      'an update only a replay logged has no verdict',
      [replayed(1, '2026-01-05T08:00:00.000Z', 2, [OTHER])],
      [{ updateId: 1, ticketId: 10, at: '2026-01-05T08:00:00.000Z', queueIds: [OTHER] }],
    ],
    [
      'updates in time order, then by id',
      [
        classified(3, '2026-01-05T09:00:00.000Z', []),
        classified(2, '2026-01-05T08:00:00.000Z', []),
        classified(1, '2026-01-05T08:00:00.000Z', []),
      ],
      [1, 2, 3].map((id) => ({
        updateId: id,
        ticketId: 10,
        at: id === 3 ? '2026-01-05T09:00:00.000Z' : '2026-01-05T08:00:00.000Z',
        verdict: COUNTED,
        authorRole: 'end-user',
        queueIds: [],
      })),
    ],
  ])('%s', (_rule, log, expected) => {
    expect(explainedUpdates(log)).toEqual(expected);
  });
});

describe('supportContacts: one contact per count of an update in the queue', () => {
  const period = { from: '2026-01-05T08:00:00.000Z', to: '2026-01-05T09:00:00.000Z' };
  it.each<[string, UpdateLogEntry[], [number, string][]]>([
    [
      'in its interval (the update’s time, floored), counted in this queue',
      [classified(1, '2026-01-05T08:14:59.000Z', [Q, OTHER])],
      [[1, '2026-01-05T08:00:00.000Z']],
    ],
    ['not when it counted in other queues only', [classified(1, '2026-01-05T08:20:00.000Z', [OTHER])], []],
    [
      'not outside the period (the end is exclusive)',
      [classified(1, '2026-01-05T07:59:59.000Z', [Q]), classified(2, '2026-01-05T09:00:00.000Z', [Q])],
      [],
    ],
    [
      'a replay’s count as well as the classification’s',
      [classified(1, '2026-01-05T08:20:00.000Z', []), replayed(1, '2026-01-05T08:20:00.000Z', 1, [Q])],
      [[1, '2026-01-05T08:15:00.000Z']],
    ],
  ])('%s', (_rule, log, expected) => {
    expect(
      supportContacts(explainedUpdates(log), Q, period, 15).map((c) => [c.updateId, c.intervalStart]),
    ).toEqual(expected);
  });

  it('carries the kind, the Zendesk channel, the author’s role and every queue the update counted in', () => {
    const [contact] = supportContacts(
      explainedUpdates([classified(1, '2026-01-05T08:20:00.000Z', [Q, OTHER])]),
      Q,
      period,
      15,
    );
    expect(contact).toEqual({
      source: 'support',
      intervalStart: '2026-01-05T08:15:00.000Z',
      ticketId: 10,
      updateId: 1,
      at: '2026-01-05T08:20:00.000Z',
      kind: 'creation',
      viaChannel: 'web',
      authorRole: 'end-user',
      queueIds: [Q, OTHER],
    });
  });
});

describe('talkContacts: the calls a Talk queue counted', () => {
  const T = 'talk:ivr:Billing';
  const period = { from: '2026-01-05T08:00:00.000Z', to: '2026-01-05T09:00:00.000Z' };
  const call = (callId: number, queueId: string | null, extra: Partial<CallFact> = {}): CallFact => ({
    kind: 'call',
    callId,
    updatedAt: '2026-01-05T08:30:00.000Z',
    contribution:
      queueId === null
        ? null
        : {
            queue: { id: queueId, name: 'Calls Inbound For Billing', channel: 'call', source: 'talk' },
            intervalStart: '2026-01-05T08:00:00.000Z',
            contacts: 1,
            handled: 1,
            handleSeconds: 130,
          },
    outcome: queueId === null ? { kind: 'skipped', reason: 'outbound' } : { kind: 'counted' },
    call: {
      startedAt: '2026-01-05T08:05:00.000Z',
      direction: queueId === null ? 'outbound' : 'inbound',
      ivrDestinationGroupName: 'Billing',
      phoneNumber: '+4930123',
      handled: true,
      talkSeconds: 100,
      holdSeconds: 10,
      wrapUpSeconds: 20,
    },
    ...extra,
  });
  it.each<[string, CallFact[], number[]]>([
    ['an inbound call of the queue in the period', [call(1, T)], [1]],
    ['not an outbound call (it counts in no queue)', [call(1, null)], []],
    ['not a call of another queue', [call(1, 'talk:ivr:Sales')], []],
  ])('%s', (_rule, calls, expected) => {
    expect(talkContacts(calls, T, period).map((c) => c.callId)).toEqual(expected);
  });

  const figures = (serviceLevelOffered: number, serviceLevelAnswered: number) => ({
    abandonedInQueue: 0,
    abandonedInIvr: 0,
    abandonedInVoicemail: 0,
    abandonedOnHold: 0,
    failed: 0,
    notAnswered: 0,
    unknownStatus: 0,
    callbacks: 0,
    serviceLevelOffered,
    serviceLevelAnswered,
    answeredCalls: serviceLevelOffered,
    answerWaitSeconds: 0,
  });
  const withFigures = (talk: ReturnType<typeof figures> | undefined): CallFact => {
    const base = call(1, T);
    return { ...base, contribution: { ...base.contribution!, ...(talk ? { talk } : {}) } };
  };
  it.each<[string, CallFact, boolean | null]>([
    [
      'within service level: the call counted as answered within the threshold',
      withFigures(figures(1, 1)),
      true,
    ],
    [
      'outside service level: counted in service level, not answered within it',
      withFigures(figures(1, 0)),
      false,
    ],
    [
      'not in service level: a call that does not count in it (callback, no wait, not in the queue)',
      withFigures(figures(0, 0)),
      null,
    ],
    ["not in service level: a fact stored before Talk's figures", withFigures(undefined), null],
  ])('%s', (_rule, fact, expected) => {
    expect(talkContacts([fact], T, period)[0]!.withinServiceLevel).toBe(expected);
  });

  it("a call's wait, completion status and callback are shown as its record had them", () => {
    const base = call(1, T);
    const fact: CallFact = {
      ...base,
      call: { ...base.call!, waitSeconds: 42, completionStatus: 'abandoned_in_queue', callback: true },
    };
    const [c] = talkContacts([fact], T, period);
    expect([c!.waitSeconds, c!.completionStatus, c!.callback]).toEqual([42, 'abandoned_in_queue', true]);
  });

  it('a call stored before its details were kept shows what it added, its details as unknown', () => {
    const { call: _details, ...bare } = call(1, T);
    const [c] = talkContacts([bare], T, period);
    expect(c).toEqual({
      source: 'talk',
      intervalStart: '2026-01-05T08:00:00.000Z',
      callId: 1,
      startedAt: null,
      direction: null,
      ivrDestinationGroupName: null,
      phoneNumber: null,
      handled: true,
      talkSeconds: null,
      holdSeconds: null,
      wrapUpSeconds: null,
      waitSeconds: null,
      completionStatus: null,
      callback: null,
      withinServiceLevel: null,
      counted: { contacts: 1, handled: 1, handleSeconds: 130 },
    });
  });
});

describe('explainQueue: the listed contacts beside the stored intervals', () => {
  const contact = (intervalStart: string, updateId: number): ExplainedContact => ({
    source: 'support',
    intervalStart,
    ticketId: 10,
    updateId,
    at: intervalStart,
    kind: 'creation',
    viaChannel: 'web',
    authorRole: 'end-user',
    queueIds: [Q],
  });
  const stored = (intervalStart: string, contacts: number): StoredCounts => ({
    intervalStart,
    contacts,
    handled: 0,
    handleSeconds: 0,
  });
  const A = '2026-01-05T08:00:00.000Z';
  const B = '2026-01-05T08:15:00.000Z';
  it.each<[string, ExplainedContact[], StoredCounts[], [string, number, number, boolean][], boolean]>([
    [
      'agrees when every interval adds up',
      [contact(A, 1), contact(A, 2)],
      [stored(A, 2)],
      [[A, 2, 2, true]],
      true,
    ],
    [
      'differs where the stored interval counts more than the contacts listed',
      [contact(A, 1)],
      [stored(A, 1), stored(B, 3)],
      [
        [A, 1, 1, true],
        [B, 0, 3, false],
      ],
      false,
    ],
    [
      'differs where contacts are listed but nothing is stored',
      [contact(B, 1)],
      [],
      [[B, 1, 0, false]],
      false,
    ],
  ])('%s', (_rule, contacts, storedIntervals, intervals, agrees) => {
    const e = explainQueue(contacts, storedIntervals);
    expect(
      e.intervals.map((i) => [i.intervalStart, i.explained.contacts, i.stored.contacts, i.agrees]),
    ).toEqual(intervals);
    expect(e.agrees).toBe(agrees);
  });
});

describe('fateOf and ticketUpdates: what became of each update of a ticket', () => {
  it.each<[string, ExplainedUpdate, ReturnType<typeof fateOf>]>([
    [
      'counted, with how it came about and its WFM channel',
      { updateId: 1, ticketId: 10, at: 'x', verdict: COUNTED, queueIds: [Q] },
      { kind: 'counted', interaction: 'creation', channel: 'email' },
    ],
    [
      'skipped, with its reason',
      {
        updateId: 1,
        ticketId: 10,
        at: 'x',
        verdict: { kind: 'skipped', reason: 'agent_update' },
        queueIds: [],
      },
      { kind: 'skipped', reason: 'agent_update' },
    ],
    [
      'unmapped, with its Zendesk channel',
      {
        updateId: 1,
        ticketId: 10,
        at: 'x',
        verdict: { kind: 'unmapped', interaction: 'end_user_comment', viaChannel: 'line' },
        queueIds: [],
      },
      { kind: 'unmapped', interaction: 'end_user_comment', viaChannel: 'line' },
    ],
    [
      'warm-up',
      { updateId: 1, ticketId: 10, at: 'x', verdict: { kind: 'warm_up' }, queueIds: [] },
      { kind: 'warm_up' },
    ],
    [
      'unknown when only a replay logged it',
      { updateId: 1, ticketId: 10, at: 'x', queueIds: [Q] },
      { kind: 'unknown' },
    ],
  ])('%s', (_rule, update, fate) => {
    expect(fateOf(update)).toEqual(fate);
  });

  it('keeps the updates of the ticket asked for only', () => {
    const updates = explainedUpdates([
      classified(1, '2026-01-05T08:00:00.000Z', [], 10),
      classified(2, '2026-01-05T08:01:00.000Z', [], 11),
    ]);
    expect(ticketUpdates(updates, 11).map((u) => u.updateId)).toEqual([2]);
  });
});
