import { describe, expect, it } from '@jest/globals';
import type { TicketEventRecord, ViewRecord } from '../../../shared/domain/records.js';
import { emptyTicketState, type TicketState } from '../../../shared/domain/ticket-state.js';
import type { ContactsMessage, Fact } from '../../../shared/messages/contacts.js';
import type { UpdateVerdict } from '../../../shared/messages/outcomes.js';
import type { UpdatesMessage } from '../../../shared/messages/updates.js';
import { classifyUpdates, type ViewClassifierDeps } from '../../../shared/pipeline/view-classifier.js';
import type { Integration } from '../../../shared/store/integrations-repository.js';
import type { StoredInteraction, UpdateLogEntry } from '../../../shared/store/interactions-repository.js';
import type { StoredView } from '../../../shared/store/views-repository.js';
import { LoadedTicketStates } from '../../../shared/store/ticket-state-repository.js';
import { ACME } from '../../support/integrations.js';

const view = (id: number, extra: Partial<ViewRecord> = {}): ViewRecord => ({
  id,
  title: `View ${id}`,
  active: true,
  updatedAt: '2026-01-02T00:00:00Z',
  position: id,
  conditions: { all: [{ field: 'status', operator: 'less_than', value: 'solved' }], any: [] },
  ...extra,
});
const TEAM = view(1);
/** TEAM as stored: supported and counted. */
const teamView: StoredView = {
  view: TEAM,
  supported: true,
  reasons: [],
  deleted: false,
  verdict: 'supported',
  excluded: false,
};

/** The view classifier's deps over TEAM, with nothing stored before; what it writes goes to these lists. */
const teamClassifierDeps = (written: {
  contacts: ContactsMessage[];
  interactions?: StoredInteraction<TicketState>[];
  log?: UpdateLogEntry[];
}): ViewClassifierDeps =>
  ({
    integrations: { get: async () => ACME },
    views: { list: async () => [teamView], put: async () => undefined },
    ticketState: {
      load: async () => ({ integrationId: 'acme', states: new Map(), buckets: new Map() }),
      save: async () => undefined,
    },
    interactions: {
      putPage: async (_id: string, _key: string, page: StoredInteraction<TicketState>[]) =>
        void written.interactions?.push(...page),
      putUpdateLog: async (_id: string, _key: string, entries: UpdateLogEntry[]) =>
        void written.log?.push(...entries),
    },
    users: { locales: async () => new Map() },
    bus: { sendContacts: async (m: ContactsMessage) => void written.contacts.push(m) },
    zendesk: async () => ({}),
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
  }) as unknown as ViewClassifierDeps;
const PERSONAL = view(2, { restriction: { type: 'User', ids: [411000009] } });
const BROKEN = view(3, { problems: ['unreadable condition all[1] (field group_id): no operator'] });

const world = () => {
  let integration: Integration = ACME;
  const stored = new Map<number, StoredView>();
  const sent: UpdatesMessage[] = [];
  const deps = {
    integrations: { get: async () => integration },
    views: {
      list: async () => [...stored.values()],
      put: async (_id: string, v: StoredView) => void stored.set(v.view.id, v),
    },
    bus: { sendUpdates: async (m: UpdatesMessage) => void sent.push(m) },
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
  } as unknown as ViewClassifierDeps;
  const importViews = (views: ViewRecord[], quarantinedViewIds?: number[]) =>
    classifyUpdates(deps, {
      version: 2,
      pageKey: `v${sent.length}`,
      integrationId: 'acme',
      type: 'views',
      views,
      ...(quarantinedViewIds ? { quarantinedViewIds } : {}),
    });
  const choose = (choices: Partial<Integration>) => {
    integration = { ...ACME, ...choices };
  };
  const replays = () =>
    sent.filter((m) => m.type === 'replay').map((m) => [m.type === 'replay' && m.viewId, m.pageKey]);
  return { stored, sent, importViews, choose, replays };
};

describe("classifyUpdates: a run's end", () => {
  it('goes on to the aggregator behind the contacts this stage sent, with no facts, touching no view or state', async () => {
    const w = world();
    const contacts: ContactsMessage[] = [];
    const freshness = {
      completeUpTo: '2026-01-05T07:55:00.000Z',
      lastCompletedRun: { runId: 'r1', at: '2026-01-05T08:00:03.000Z' },
    };
    const deps = {
      integrations: { get: async () => ACME },
      bus: { sendContacts: async (m: ContactsMessage) => void contacts.push(m) },
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    } as unknown as ViewClassifierDeps;
    await classifyUpdates(deps, {
      version: 2,
      pageKey: 'end1',
      integrationId: 'acme',
      type: 'run_completed',
      freshness,
    });
    expect(contacts).toEqual([{ version: 2, pageKey: 'end1', integrationId: 'acme', facts: [], freshness }]);
    expect(w.sent).toEqual([]);
  });
});

describe('classifyViews: views gone and views quarantined', () => {
  it('a view no longer listed is deleted; a view whose record did not fit this time keeps what is stored', async () => {
    const w = world();
    await w.importViews([TEAM, view(4), view(5)]);
    const before = w.stored.get(4);
    await w.importViews([TEAM], [4]);
    expect(w.stored.get(4)).toEqual(before);
    expect(w.stored.get(4)?.deleted).toBe(false);
    expect(w.stored.get(5)?.deleted).toBe(true);
  });
});

describe('classifyViews: verdicts and the user’s choices', () => {
  it('one unreadable view is unsupported with its reason; the others are classified and replayed as usual', async () => {
    const w = world();
    await w.importViews([TEAM, BROKEN]);
    expect(w.stored.get(3)).toMatchObject({
      supported: false,
      verdict: 'unsupported',
      reasons: ['unreadable condition all[1] (field group_id): no operator'],
    });
    expect(w.stored.get(1)).toMatchObject({ supported: true, verdict: 'supported', excluded: false });
    expect(w.replays().map(([id]) => id)).toEqual([1]);
  });

  it('a personal view is listed as personal and counts nothing unless the integration opts in', async () => {
    const w = world();
    await w.importViews([TEAM, PERSONAL]);
    expect(w.stored.get(2)).toMatchObject({ supported: false, verdict: 'personal' });
    expect(w.replays().map(([id]) => id)).toEqual([1]);
    w.choose({ includePersonalViews: true });
    await w.importViews([TEAM, PERSONAL]);
    expect(w.stored.get(2)).toMatchObject({ supported: true, verdict: 'supported' });
    expect(w.replays().map(([id]) => id)).toEqual([1, 2]);
  });

  it('a personal view can be included on its own', async () => {
    const w = world();
    w.choose({ includedViewIds: [2] });
    await w.importViews([PERSONAL]);
    expect(w.stored.get(2)).toMatchObject({ supported: true, verdict: 'supported' });
  });

  it('an excluded view keeps its verdict and counts nothing; included again, its history is replayed under new keys', async () => {
    const w = world();
    w.choose({ excludedViewIds: [1] });
    await w.importViews([TEAM]);
    expect(w.stored.get(1)).toMatchObject({ supported: true, verdict: 'supported', excluded: true });
    expect(w.replays()).toEqual([]);
    w.choose({});
    await w.importViews([TEAM]);
    w.choose({ excludedViewIds: [1] });
    await w.importViews([TEAM]);
    w.choose({});
    await w.importViews([TEAM]);
    const keys = w.replays();
    expect(keys.map(([id]) => id)).toEqual([1, 1]);
    expect(new Set(keys.map(([, key]) => key)).size).toBe(2);
  });

  it('the same views again change nothing and replay nothing', async () => {
    const w = world();
    await w.importViews([TEAM, PERSONAL, BROKEN]);
    const before = w.sent.length;
    await w.importViews([TEAM, PERSONAL, BROKEN]);
    expect(w.sent.length).toBe(before);
  });
});

describe('countUpdates: an update’s verdict goes on to the aggregator as its outcome, unchanged', () => {
  // A new ticket (its creation: no audits needed) that the team view (status < solved) holds.
  const creation: TicketEventRecord = {
    id: 700,
    ticketId: 70,
    timestamp: 1_767_600_000,
    createdAt: '2026-01-05T08:00:00Z',
    updaterId: 9,
    via: 'Web form',
    viaReferenceId: null,
    children: [{ kind: 'Create', field: 'status', value: 'new' }],
  };
  const AT = '2026-01-05T08:00:00.000Z';
  const outcomeFact = (outcome: Exclude<UpdateVerdict, { kind: 'warm_up' }>): Fact => ({
    kind: 'update_outcome',
    updateId: 700,
    at: AT,
    outcome,
  });

  const classify = async (verdict: UpdateVerdict, authorRole: string | null = 'end-user') => {
    const contacts: ContactsMessage[] = [];
    const interactions: StoredInteraction<TicketState>[] = [];
    const log: UpdateLogEntry[] = [];
    const deps = teamClassifierDeps({ contacts, interactions, log });
    await classifyUpdates(deps, {
      version: 2,
      pageKey: 'p1',
      integrationId: 'acme',
      type: 'ticket_updates',
      updates: [{ event: creation, verdict, authorRole }],
    });
    return {
      facts: contacts.flatMap((m) => m.facts),
      interactions: interactions.map((i) => i.channel),
      log,
    };
  };
  /** The update log's entry of the update: every applied update is logged, with the queues it counted in. */
  const logged = (verdict: UpdateVerdict, queueIds: string[]): UpdateLogEntry[] => [
    {
      kind: 'classified',
      updateId: 700,
      ticketId: 70,
      at: AT,
      verdict,
      creates: true,
      authorRole: 'end-user',
      queueIds,
    },
  ];

  it.each<[string, UpdateVerdict, Fact[], string[], string[]]>([
    [
      'counted: its outcome (a creation with its source, the ticket events), and its count in each counted view it is in, where the ticket enters the backlog; stored for replays',
      { kind: 'counted', interaction: 'creation', channel: 'email', viaChannel: 'web' },
      [
        {
          ...outcomeFact({ kind: 'counted', interaction: 'creation', channel: 'email', viaChannel: 'web' }),
          creation: 'ticket_events',
        } as Fact,
        {
          kind: 'update_in_view',
          updateId: 700,
          at: AT,
          contribution: {
            queue: {
              id: 'support:1:email',
              name: 'View 1 (email)',
              channel: 'email',
              source: 'support',
              viewId: 1,
            },
            intervalStart: AT,
            contacts: 1,
            handled: 0,
            handleSeconds: 0,
            support: { reopens: 0, backlogEntered: 1, backlogLeft: 0 },
          },
        },
      ],
      ['email'],
      ['support:1:email'],
    ],
    [
      'unmapped: its outcome under its Zendesk channel name, counted in no view',
      { kind: 'unmapped', interaction: 'end_user_comment', viaChannel: 'line' },
      [outcomeFact({ kind: 'unmapped', interaction: 'end_user_comment', viaChannel: 'line' })],
      [],
      [],
    ],
    [
      'skipped: its outcome with its reason, counted in no view',
      { kind: 'skipped', reason: 'agent_update' },
      [outcomeFact({ kind: 'skipped', reason: 'agent_update' })],
      [],
      [],
    ],
    ['warm-up: state only, no fact at all (logged as warm-up)', { kind: 'warm_up' }, [], [], []],
  ])('%s', async (_rule, verdict, facts, stored, queueIds) => {
    expect(await classify(verdict)).toEqual({ facts, interactions: stored, log: logged(verdict, queueIds) });
  });

  it('an end user’s comment by the ticket’s assignee goes on as an agent’s reply (assignee_comment): Zendesk assigns agents only', async () => {
    const DOWNGRADED = 411000077;
    const assigned: TicketEventRecord = {
      ...creation,
      children: [
        { kind: 'Create', field: 'status', value: 'new' },
        { kind: 'Create', field: 'assignee_id', value: DOWNGRADED },
      ],
    };
    const reply = (id: number, authorId: number): TicketEventRecord => ({
      ...creation,
      id,
      timestamp: creation.timestamp + id - 700,
      createdAt: new Date((creation.timestamp + id - 700) * 1000).toISOString(),
      children: [{ kind: 'Comment', authorId, public: true, channel: 'web', rel: null }],
    });
    const comment: UpdateVerdict = {
      kind: 'counted',
      interaction: 'end_user_comment',
      channel: 'email',
      viaChannel: 'web',
    };
    const contacts: ContactsMessage[] = [];
    await classifyUpdates(teamClassifierDeps({ contacts }), {
      version: 2,
      pageKey: 'p1',
      integrationId: 'acme',
      type: 'ticket_updates',
      updates: [
        {
          event: assigned,
          verdict: { kind: 'counted', interaction: 'creation', channel: 'email', viaChannel: 'web' },
          authorRole: 'end-user',
        },
        { event: reply(701, DOWNGRADED), verdict: comment, authorRole: 'end-user' },
        { event: reply(702, 411000001), verdict: comment, authorRole: 'end-user' },
      ],
    });
    const outcomes = contacts
      .flatMap((m) => m.facts)
      .flatMap((f) => (f.kind === 'update_outcome' ? [[f.updateId, f.outcome]] : []));
    expect(outcomes).toEqual([
      [700, { kind: 'counted', interaction: 'creation', channel: 'email', viaChannel: 'web' }],
      [701, { kind: 'skipped', reason: 'assignee_comment' }],
      [702, comment],
    ]);
  });

  it('logs an update whose author the channel mapper did not know with a null role', async () => {
    const { log } = await classify({ kind: 'skipped', reason: 'unknown_author' }, null);
    expect(log.map((e) => e.kind === 'classified' && e.authorRole)).toEqual([null]);
  });
});

describe("countUpdates: Support's reopens and backlog moves, one fact per update and queue", () => {
  // The team view holds tickets below solved: solving takes a ticket out, the customer's reply
  // on the solved ticket (a reopen) puts it back.
  const at = (minute: number) => 1_767_600_000 + minute * 60;
  const event = (id: number, minute: number, children: TicketEventRecord['children']): TicketEventRecord => ({
    id,
    ticketId: 70,
    timestamp: at(minute),
    createdAt: new Date(at(minute) * 1000).toISOString(),
    updaterId: 9,
    via: 'Web form',
    viaReferenceId: null,
    children,
  });
  const emailContact = (interaction: 'creation' | 'end_user_comment'): UpdateVerdict => ({
    kind: 'counted',
    interaction,
    channel: 'email',
    viaChannel: 'web',
  });
  const pageOf = (updates: UpdatesMessage & { type: 'ticket_updates' }) => updates;
  /** The update-in-view facts of one page of these updates, by their authors. */
  const inViewFacts = async (
    updates: { event: TicketEventRecord; verdict: UpdateVerdict; authorRole: 'end-user' | 'agent' }[],
    withDeps: (deps: ViewClassifierDeps) => ViewClassifierDeps = (deps) => deps,
  ) => {
    const contacts: ContactsMessage[] = [];
    await classifyUpdates(
      withDeps(teamClassifierDeps({ contacts })),
      pageOf({ version: 2, pageKey: 'p1', integrationId: 'acme', type: 'ticket_updates', updates }),
    );
    return contacts.flatMap((m) => m.facts).flatMap((f) => (f.kind === 'update_in_view' ? [f] : []));
  };
  const supportParts = async (updates: { event: TicketEventRecord; verdict: UpdateVerdict }[]) =>
    (await inViewFacts(updates.map((u) => ({ ...u, authorRole: 'end-user' as const })))).map((f) => [
      f.updateId,
      f.contribution.queue.id,
      f.contribution.contacts,
      f.contribution.support,
    ]);
  const creation = event(1, 0, [{ kind: 'Create', field: 'status', value: 'new' }]);
  const solved = event(2, 10, [{ kind: 'Change', field: 'status', value: 'solved', previous: 'new' }]);
  const reply = (status: string) =>
    event(3, 20, [{ kind: 'Change', field: 'status', value: 'open', previous: status }]);
  const moves = (reopens: number, backlogEntered: number, backlogLeft: number) => ({
    reopens,
    backlogEntered,
    backlogLeft,
  });
  it.each<[string, { event: TicketEventRecord; verdict: UpdateVerdict }[], unknown[]]>([
    [
      "a creation enters the view's backlog with its contact",
      [{ event: creation, verdict: emailContact('creation') }],
      [[1, 'support:1:email', 1, moves(0, 1, 0)]],
    ],
    [
      'an agent solving the ticket takes it out of the backlog: no contact, one exit',
      [
        { event: creation, verdict: emailContact('creation') },
        { event: solved, verdict: { kind: 'skipped', reason: 'agent_update' } },
      ],
      [
        [1, 'support:1:email', 1, moves(0, 1, 0)],
        [2, 'support:1:email', 0, moves(0, 0, 1)],
      ],
    ],
    [
      "the customer's comment on the solved ticket is a reopen and brings it back into the backlog",
      [
        { event: creation, verdict: emailContact('creation') },
        { event: solved, verdict: { kind: 'skipped', reason: 'agent_update' } },
        { event: reply('solved'), verdict: emailContact('end_user_comment') },
      ],
      [
        [1, 'support:1:email', 1, moves(0, 1, 0)],
        [2, 'support:1:email', 0, moves(0, 0, 1)],
        [3, 'support:1:email', 1, moves(1, 1, 0)],
      ],
    ],
    [
      'an update that leaves the ticket in the view moves nothing (no fact without a contact)',
      [
        { event: creation, verdict: emailContact('creation') },
        {
          event: event(2, 10, [{ kind: 'Change', field: 'priority', value: 'high', previous: null }]),
          verdict: { kind: 'skipped', reason: 'agent_update' },
        },
      ],
      [[1, 'support:1:email', 1, moves(0, 1, 0)]],
    ],
  ])('%s', async (_rule, updates, expected) => {
    expect(await supportParts(updates)).toEqual(expected);
  });

  it("a ticket leaves the backlog of a view deleted since it entered, under the view's last title (SPEC §3: the name follows the title)", async () => {
    const gone: StoredView = { ...teamView, view: view(5, { title: 'Escalations (old)' }), deleted: true };
    const stored: TicketState = {
      ...emptyTicketState(70),
      status: 'open',
      appliedThrough: { timestamp: at(0), updateId: 1 },
      backlog: { channel: 'email', viewIds: [5, 1] },
    };
    const facts = await inViewFacts(
      [
        {
          event: event(2, 10, [{ kind: 'Change', field: 'priority', value: 'high', previous: null }]),
          verdict: { kind: 'skipped', reason: 'agent_update' },
          authorRole: 'agent',
        },
      ],
      (deps) =>
        ({
          ...deps,
          views: { list: async () => [teamView, gone], put: async () => undefined },
          ticketState: {
            load: async () => new LoadedTicketStates('acme', new Map([[70, stored]]), new Map(), new Map()),
            save: async () => undefined,
          },
        }) as unknown as ViewClassifierDeps,
    );
    expect(facts.map((f) => [f.contribution.queue, f.contribution.support])).toEqual([
      [
        {
          id: 'support:5:email',
          name: 'Escalations (old) (email)',
          channel: 'email',
          source: 'support',
          viewId: 5,
        },
        moves(0, 0, 1),
      ],
    ]);
  });
});
