/**
 * The view classifier with the ticket record as a second source: each creation counted once,
 * whichever source brings it first and however often a page comes again.
 */
import { describe, expect, it } from '@jest/globals';
import type { TicketEventRecord, TicketRecord, ViewRecord } from '../../../shared/domain/records.js';
import type { TicketState } from '../../../shared/domain/ticket-state.js';
import type { Fact } from '../../../shared/messages/contacts.js';
import type { NormalisedUpdate, UpdatesMessage } from '../../../shared/messages/updates.js';
import { creationVerdictOf } from '../../../shared/pipeline/channel-mapper.js';
import { coverageCountersOf } from '../../../shared/pipeline/coverage.js';
import { classifyUpdates, type ViewClassifierDeps } from '../../../shared/pipeline/view-classifier.js';
import type { StoredInteraction } from '../../../shared/store/interactions-repository.js';
import { LoadedTicketStates } from '../../../shared/store/ticket-state-repository.js';
import type { StoredView } from '../../../shared/store/views-repository.js';
import { ACME } from '../../support/integrations.js';
const TICKET = 5001;
const at = (iso: string) => Date.parse(iso) / 1000;
const CREATED = '2026-01-05T10:00:00Z';
const BRAND_VIEW: ViewRecord = {
  id: 77,
  title: 'Acme brand',
  active: true,
  updatedAt: '2026-01-01T00:00:00Z',
  position: 1,
  conditions: { all: [{ field: 'brand_id', operator: 'is', value: '360000301' }], any: [] },
};

const record = (extra: Partial<TicketRecord> = {}): TicketRecord => ({
  id: TICKET,
  createdAt: CREATED,
  updatedAt: CREATED,
  generatedTimestamp: at(CREATED),
  channel: 'native_messaging',
  status: 'open',
  priority: null,
  type: null,
  subject: null,
  requesterId: 411000101,
  submitterId: 411000101,
  assigneeId: null,
  organizationId: null,
  groupId: null,
  brandId: 360000301,
  ticketFormId: null,
  customStatusId: null,
  dueAt: null,
  tags: [],
  customFields: {},
  ...extra,
});

const event = (id: number, iso: string, children: TicketEventRecord['children']): TicketEventRecord => ({
  id,
  ticketId: TICKET,
  timestamp: at(iso),
  createdAt: iso,
  updaterId: 411000101,
  via: 'Native messaging',
  viaReferenceId: null,
  children,
});
const CREATION = event(9001, CREATED, [{ kind: 'Create', field: 'status', value: 'open' }]);
const AGENT_REPLY = event(9002, '2026-01-05T10:05:00Z', [
  { kind: 'Change', field: 'status', value: 'pending', previous: 'open' },
]);

const world = (audits: TicketEventRecord[] = []) => {
  const states = new Map<number, TicketState>();
  const facts: Fact[] = [];
  const interactions: StoredInteraction<TicketState>[] = [];
  let auditRequests = 0;
  const views: StoredView[] = [
    { view: BRAND_VIEW, supported: true, reasons: [], deleted: false, verdict: 'supported', excluded: false },
  ];
  const deps = {
    integrations: { get: async () => ACME },
    views: { list: async () => views, put: async () => undefined },
    ticketState: {
      load: async (integrationId: string, ids: readonly number[]) =>
        new LoadedTicketStates(
          integrationId,
          new Map(ids.flatMap((id) => (states.has(id) ? [[id, states.get(id)!] as const] : []))),
          new Map(),
        ),
      save: async (_loaded: unknown, changed: ReadonlyMap<number, TicketState>) => {
        for (const [id, s] of changed) states.set(id, s);
      },
    },
    interactions: {
      putPage: async (_id: string, _key: string, page: readonly StoredInteraction<TicketState>[]) =>
        void interactions.push(...page),
    },
    users: { locales: async () => new Map() },
    bus: {
      sendUpdates: async () => undefined,
      sendContacts: async (m: { facts: Fact[] }) => void facts.push(...m.facts),
    },
    zendesk: async () => ({
      ticketAudits: async () => {
        auditRequests += 1;
        return audits;
      },
    }),
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    settings: { replayPageSize: 100 },
  } as unknown as ViewClassifierDeps;
  const send = (message: UpdatesMessage) => classifyUpdates(deps, message);
  const records = (key: string, recs: TicketRecord[], eventsReadThrough?: number) =>
    send({
      version: 2,
      pageKey: key,
      integrationId: 'acme',
      type: 'ticket_records',
      records: recs.map((r) => ({ record: r, creation: creationVerdictOf(r.channel) })),
      ...(eventsReadThrough !== undefined ? { eventsReadThrough } : {}),
    });
  const updates = (key: string, list: NormalisedUpdate[]) =>
    send({ version: 2, pageKey: key, integrationId: 'acme', type: 'ticket_updates', updates: list });
  const outcomes = () =>
    facts.filter((f) => f.kind === 'update_outcome' || f.kind === 'record_creation_outcome');
  const inBrandView = () =>
    facts.filter(
      (f) =>
        (f.kind === 'update_in_view' || f.kind === 'record_creation_in_view') &&
        f.contribution.queue.viewId === BRAND_VIEW.id,
    );
  // As coverage counts them: `creations:<source>`.
  const creationsBySource = () =>
    facts
      .flatMap(coverageCountersOf)
      .filter((c) => c.startsWith('creations:'))
      .reduce<Record<string, number>>((n, c) => {
        const source = c.slice('creations:'.length);
        return { ...n, [source]: (n[source] ?? 0) + 1 };
      }, {});
  return {
    states,
    facts,
    interactions,
    records,
    updates,
    outcomes,
    inBrandView,
    creationsBySource,
    audits: () => auditRequests,
  };
};

const creationUpdate: NormalisedUpdate = {
  event: CREATION,
  verdict: { kind: 'counted', interaction: 'creation', viaChannel: 'native_messaging', channel: 'chat' },
};
const replyUpdate: NormalisedUpdate = {
  event: AGENT_REPLY,
  verdict: { kind: 'skipped', reason: 'agent_update' },
};
const SETTLED = at('2026-01-05T12:00:00Z');

describe('view classifier: a creation counted once, from the first source that has it', () => {
  it('the events deliver the creation: the record after them counts nothing again', async () => {
    const w = world();
    await w.records('a', [record()]);
    await w.updates('e', [creationUpdate]);
    await w.records('b', [record()], SETTLED);
    expect(w.creationsBySource()).toEqual({ ticket_events: 1 });
  });

  it('the values pass fills the brand the creation never stated: the creation is in the brand view', async () => {
    const w = world();
    await w.records('a', [record()]);
    await w.updates('e', [creationUpdate]);
    expect(w.inBrandView()).toMatchObject([{ kind: 'update_in_view', updateId: 9001 }]);
  });

  it('the events never deliver it and nothing else of the ticket: the settled record counts it, in its channel and views', async () => {
    const w = world();
    await w.records('a', [record()]);
    await w.records('b', [record()], SETTLED);
    expect(w.creationsBySource()).toEqual({ ticket_record: 1 });
    expect(w.outcomes()).toEqual([
      {
        kind: 'record_creation_outcome',
        ticketId: TICKET,
        at: '2026-01-05T10:00:00.000Z',
        outcome: {
          kind: 'counted',
          interaction: 'creation',
          channel: 'chat',
          viaChannel: 'native_messaging',
        },
      },
    ]);
    expect(w.inBrandView()).toMatchObject([{ kind: 'record_creation_in_view', ticketId: TICKET }]);
    expect(w.interactions.map((i) => [i.updateId, i.ticketId])).toEqual([[null, TICKET]]);
  });

  it('a record the events have not settled yet counts nothing: it comes again', async () => {
    const w = world();
    await w.records('b', [record()], at(CREATED));
    expect(w.creationsBySource()).toEqual({});
  });

  it('the same records page again, or a later one, counts nothing twice', async () => {
    const w = world();
    await w.records('b', [record()], SETTLED);
    await w.records('b', [record()], SETTLED);
    await w.records('c', [record({ generatedTimestamp: SETTLED - 5 })], SETTLED + 60);
    expect(w.creationsBySource()).toEqual({ ticket_record: 1 });
  });

  it('a creation event the export delivers late, after the record counted it, is not counted again', async () => {
    const w = world();
    await w.records('b', [record()], SETTLED);
    await w.updates('late', [creationUpdate]);
    expect(w.creationsBySource()).toEqual({ ticket_record: 1 });
    expect(w.outcomes()).toHaveLength(1);
  });

  it('the events bring a later update but not the creation: it is counted from its audit, and the record after adds nothing', async () => {
    const w = world([CREATION, AGENT_REPLY]);
    await w.records('a', [record()]);
    await w.updates('e', [replyUpdate]);
    await w.records('b', [record({ status: 'pending', generatedTimestamp: AGENT_REPLY.timestamp })], SETTLED);
    expect(w.audits()).toBe(1);
    expect(w.creationsBySource()).toEqual({ ticket_audits: 1 });
    expect(w.outcomes()).toEqual([
      {
        kind: 'update_outcome',
        updateId: 9001,
        at: '2026-01-05T10:00:00.000Z',
        outcome: {
          kind: 'counted',
          interaction: 'creation',
          channel: 'chat',
          viaChannel: 'native_messaging',
        },
        creation: 'ticket_audits',
      },
      {
        kind: 'update_outcome',
        updateId: 9002,
        at: '2026-01-05T10:05:00.000Z',
        outcome: { kind: 'skipped', reason: 'agent_update' },
      },
    ]);
    // Evaluated with the state right after the creation, the record's brand filled in.
    expect(w.inBrandView()).toMatchObject([{ kind: 'update_in_view', updateId: 9001 }]);
  });

  it('a ticket created before the window is never counted from its record', async () => {
    const w = world();
    await w.records(
      'b',
      [record({ createdAt: '2025-12-30T10:00:00Z', generatedTimestamp: at('2025-12-30T10:00:00Z') })],
      SETTLED,
    );
    expect(w.creationsBySource()).toEqual({});
    expect(w.states.get(TICKET)).toMatchObject({ brandId: 360000301, appliedThrough: null });
  });
});
