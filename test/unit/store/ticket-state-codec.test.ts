import { describe, expect, it } from '@jest/globals';
import { emptyTicketState, type TicketState } from '../../../shared/domain/ticket-state.js';
import { packTicketState, unpackTicketState } from '../../../shared/store/ticket-state-codec.js';

/** What a state of ticket 7 keeps: its fields that differ from the empty state. */
const kept = {
  status: 'open',
  tags: ['vip'],
  createdAt: '2026-02-01T10:00:00.000Z',
  statusEnteredAt: { open: '2026-02-01T10:00:00.000Z' },
  appliedThrough: { timestamp: 1769940000, updateId: 31 },
};
/** How they are kept: the timestamps as seconds after the replay position's (here, the same second). */
const keptPacked = { ...kept, createdAt: 0, statusEnteredAt: { open: 0 } };
const base: TicketState = { ...emptyTicketState(7), ...kept };
describe('packTicketState / unpackTicketState: a state as its bucket keeps it', () => {
  const rows: [
    rule: string,
    state: TicketState,
    packed: Record<string, unknown>,
    terms: number[] | undefined,
  ][] = [
    [
      'the ticket id is the key’s, and fields at the empty state’s value are left out',
      base,
      keptPacked,
      undefined,
    ],
    [
      'every always-present field at its empty value is left out: the empty state is kept as nothing',
      emptyTicketState(7),
      {},
      undefined,
    ],
    [
      'an optional field is kept as it is, an empty one too (no CCs stated differs from never stated)',
      { ...base, emailCcIds: [], satisfactionScore: null, creation: 'ticket_events' },
      { ...keptPacked, emailCcIds: [], satisfactionScore: null, creation: 'ticket_events' },
      undefined,
    ],
    [
      'the description’s hashes are handed back apart',
      { ...base, descriptionTerms: [17, 4_000_000_000] },
      keptPacked,
      [17, 4_000_000_000],
    ],
    [
      'the backlog membership is kept as its channel and view ids',
      { ...base, backlog: { channel: 'email', viewIds: [360100001, 360100002] } },
      { ...keptPacked, backlog: { channel: 'email', views: [360100001, 360100002] } },
      undefined,
    ],
    [
      'every timestamp of a whole second is kept as seconds after the replay position’s, earlier ones negative',
      {
        ...base,
        updatedAt: '2026-02-01T10:00:00.000Z',
        requesterUpdatedAt: '2026-02-01T09:59:00.000Z',
        assigneeUpdatedAt: '2026-01-31T10:00:00.000Z',
        assignedAt: '2026-02-01T09:00:00.000Z',
        customStatusSetAt: '2026-02-01T10:00:00.000Z',
        dueAt: '2026-02-03T12:00:00.000Z',
      },
      {
        ...keptPacked,
        updatedAt: 0,
        requesterUpdatedAt: -60,
        assigneeUpdatedAt: -86_400,
        assignedAt: -3_600,
        customStatusSetAt: 0,
        dueAt: 180_000,
      },
      undefined,
    ],
    [
      'without a replay position the timestamps are seconds since 1970',
      { ...base, appliedThrough: null },
      {
        ...keptPacked,
        appliedThrough: undefined,
        createdAt: 1_769_940_000,
        statusEnteredAt: { open: 1_769_940_000 },
      },
      undefined,
    ],
    [
      'a bare due date, or a time with milliseconds, stays the string it is',
      {
        ...base,
        dueAt: '2026-02-03',
        updatedAt: '2026-02-01T10:00:00.250Z',
        statusEnteredAt: { open: '2026-02-01T10:00:00.250Z' },
      },
      {
        ...keptPacked,
        dueAt: '2026-02-03',
        updatedAt: '2026-02-01T10:00:00.250Z',
        statusEnteredAt: { open: '2026-02-01T10:00:00.250Z' },
      },
      undefined,
    ],
  ];
  it.each(rows)('%s', (_rule, state, packed, terms) => {
    const result = packTicketState(state);
    expect(result).toEqual({ state: packed, descriptionTerms: terms });
    // Through JSON, as the bucket stores it.
    expect(unpackTicketState(7, JSON.parse(JSON.stringify(result.state)), result.descriptionTerms)).toEqual(
      state,
    );
  });

  it('a state stored whole (before states were packed), its hashes inside, reads as itself', () => {
    const whole: TicketState = { ...base, descriptionTerms: [3], statusEnteredAt: { new: 'x', open: 'y' } };
    expect(unpackTicketState(7, JSON.parse(JSON.stringify(whole)), undefined)).toEqual(whole);
  });

  it('a membership kept before it was its views (queues as [viewId, name], or whole) reads as those views: the name at entry gives way to the current title', () => {
    const earlier = {
      ...keptPacked,
      backlog: {
        channel: 'email',
        queues: [
          [360100001, 'Tier 1 (email)'],
          { id: 'support:360100002:email', name: 'Tier 2 (email)', channel: 'email', viewId: 360100002 },
        ],
      },
    };
    expect(unpackTicketState(7, JSON.parse(JSON.stringify(earlier)), undefined)).toEqual({
      ...base,
      backlog: { channel: 'email', viewIds: [360100001, 360100002] },
    });
  });

  it('hashes kept apart are the ticket’s, whatever an older whole state held', () => {
    expect(unpackTicketState(7, { ...kept, descriptionTerms: [3] }, [3]).descriptionTerms).toEqual([3]);
  });
});
