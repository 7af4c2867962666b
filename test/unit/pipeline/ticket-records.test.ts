/**
 * The view classifier with the ticket record as a second source: each creation counted once,
 * whichever source brings it first and however often a page comes again.
 */
import { describe, expect, it } from '@jest/globals';
import type { TicketEventRecord, TicketRecord, ViewRecord } from '../../../shared/domain/records.js';
import type { TicketState } from '../../../shared/domain/ticket-state.js';
import type { Fact } from '../../../shared/messages/contacts.js';
import type { NormalisedUpdate, UpdatesMessage } from '../../../shared/messages/updates.js';
import { recordCreationVerdictOf } from '../../../shared/pipeline/channel-mapper.js';
import { coverageCountersOf } from '../../../shared/pipeline/coverage.js';
import {
  classifyUpdates,
  type StoredTicketState,
  type ViewClassifierDeps,
} from '../../../shared/pipeline/view-classifier.js';
import type { StoredInteraction, UpdateLogEntry } from '../../../shared/store/interactions-repository.js';
import type { StoredView } from '../../../shared/store/views-repository.js';
import type { Integration } from '../../../shared/store/integrations-repository.js';
import { ZendeskRequestError } from '../../../shared/zendesk/errors.js';
import { ACME } from '../../support/integrations.js';
import { ticketRecord } from '../../support/records.js';
import { ticketStateStore } from '../../support/ticket-state-store.js';
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

const record = (extra: Partial<TicketRecord> = {}): TicketRecord =>
  ticketRecord({
    id: TICKET,
    createdAt: CREATED,
    channel: 'native_messaging',
    requesterId: 411000101,
    submitterId: 411000101,
    brandId: 360000301,
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

/** "German speakers": Requester language (`locale_id`, the requester's user record) is German (8). */
const GERMAN_VIEW: ViewRecord = {
  id: 88,
  title: 'German speakers',
  active: true,
  updatedAt: '2026-01-01T00:00:00Z',
  position: 2,
  conditions: { all: [{ field: 'locale_id', operator: 'is', value: '8' }], any: [] },
};
const GERMAN = 8;

const world = (
  audits: TicketEventRecord[] = [],
  integration: Integration = ACME,
  /** The users' languages as the users table holds them (`locale_id`). */
  languages: ReadonlyMap<number, number> = new Map(),
) => {
  const states = new Map<number, StoredTicketState>();
  const ticketState = ticketStateStore(states);
  const facts: Fact[] = [];
  const interactions: StoredInteraction<TicketState>[] = [];
  const log: UpdateLogEntry[] = [];
  let auditRequests = 0;
  let gone = false;
  const views: StoredView[] = [BRAND_VIEW, ...(languages.size > 0 ? [GERMAN_VIEW] : [])].map((view) => ({
    view,
    supported: true,
    reasons: [],
    deleted: false,
    verdict: 'supported',
    excluded: false,
  }));
  const languagesAsked: number[][] = [];
  const deps = {
    integrations: { get: async () => integration },
    views: { list: async () => views, put: async () => undefined },
    ticketState,
    interactions: {
      putPage: async (_id: string, _key: string, page: readonly StoredInteraction<TicketState>[]) =>
        void interactions.push(...page),
      putUpdateLog: async (_id: string, _key: string, entries: readonly UpdateLogEntry[]) =>
        void log.push(...entries),
    },
    users: {
      locales: async (_id: string, userIds: readonly number[]) => {
        languagesAsked.push([...userIds]);
        return new Map(userIds.flatMap((u) => (languages.has(u) ? [[u, languages.get(u)!] as const] : [])));
      },
    },
    bus: {
      sendUpdates: async () => undefined,
      sendContacts: async (m: { facts: Fact[] }) => void facts.push(...m.facts),
    },
    zendesk: async () => ({
      ticketAudits: async () => {
        auditRequests += 1;
        if (gone) throw new ZendeskRequestError('/api/v2/tickets/5001/audits', 404, 'Not found');
        return audits;
      },
    }),
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    settings: { replayPageSize: 100, ticketStateWarmUpDays: 7 },
  } as unknown as ViewClassifierDeps;
  const send = (message: UpdatesMessage) => classifyUpdates(deps, message);
  const records = (key: string, recs: TicketRecord[], eventsReadThrough?: number) =>
    send({
      version: 2,
      pageKey: key,
      integrationId: 'acme',
      type: 'ticket_records',
      records: recs.map((r) => ({ record: r, creation: recordCreationVerdictOf(r) })),
      ...(eventsReadThrough !== undefined ? { eventsReadThrough } : {}),
    });
  const updates = (key: string, list: NormalisedUpdate[]) =>
    send({ version: 2, pageKey: key, integrationId: 'acme', type: 'ticket_updates', updates: list });
  /** A webhook's ticket read now: its audits (as the channel mapper judged them) and its record. */
  const readNow = (key: string, list: NormalisedUpdate[], rec: TicketRecord | null) =>
    send({
      version: 2,
      pageKey: key,
      integrationId: 'acme',
      type: 'ticket_audits',
      ticketId: TICKET,
      updates: list,
      record: rec,
    });
  const outcomes = () =>
    facts.filter((f) => f.kind === 'update_outcome' || f.kind === 'record_creation_outcome');
  const inView = (viewId: number) =>
    facts.filter(
      (f) =>
        (f.kind === 'update_in_view' || f.kind === 'record_creation_in_view') &&
        f.contribution.queue.viewId === viewId &&
        // Its contacts: a later update entering the view's backlog is no contact there.
        f.contribution.contacts > 0,
    );
  const inBrandView = () => inView(BRAND_VIEW.id);
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
    /** The views as the views table holds them: emptied, the first import has not read them yet. */
    views,
    interactions,
    records,
    updates,
    readNow,
    outcomes,
    inBrandView,
    inGermanView: () => inView(GERMAN_VIEW.id),
    languagesAsked,
    creationsBySource,
    audits: () => auditRequests,
    auditsGone: () => void (gone = true),
    log,
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

  it('a ticket an agent’s outbound call created, from the events: skipped (outbound_call), and the record after them counts nothing', async () => {
    const w = world();
    await w.updates('e', [{ event: CREATION, verdict: { kind: 'skipped', reason: 'outbound_call' } }]);
    await w.records('b', [record({ channel: 'voice', rel: 'outbound' })], SETTLED);
    await w.records('c', [record({ channel: 'voice' })], SETTLED);
    expect(w.creationsBySource()).toEqual({});
    expect(w.outcomes()).toEqual([
      {
        kind: 'update_outcome',
        updateId: 9001,
        at: '2026-01-05T10:00:00.000Z',
        outcome: { kind: 'skipped', reason: 'outbound_call' },
      },
    ]);
    expect(w.inBrandView()).toEqual([]);
  });

  it('a ticket an agent’s outbound call created, from its record alone (via.source.rel outbound): skipped (outbound_call), in no view, once', async () => {
    const w = world();
    await w.records('b', [record({ channel: 'voice', rel: 'outbound' })], SETTLED);
    await w.records('b', [record({ channel: 'voice', rel: 'outbound' })], SETTLED);
    expect(w.creationsBySource()).toEqual({});
    expect(w.outcomes()).toEqual([
      {
        kind: 'record_creation_outcome',
        ticketId: TICKET,
        at: '2026-01-05T10:00:00.000Z',
        outcome: { kind: 'skipped', reason: 'outbound_call' },
      },
    ]);
    expect(w.inBrandView()).toEqual([]);
    expect(w.interactions).toEqual([]);
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

  it('the events bring a later update but not the creation: the update waits for the record, which counts the creation with no request, then the update', async () => {
    const w = world([CREATION, AGENT_REPLY]);
    await w.records('a', [record()]);
    await w.updates('e', [replyUpdate]);
    // Waiting: nothing counted, nothing asked of Zendesk yet.
    expect(w.outcomes()).toEqual([]);
    expect(w.states.get(TICKET)?.awaitingRecord?.map((u) => u.event.id)).toEqual([9002]);
    await w.records('b', [record({ status: 'pending', generatedTimestamp: AGENT_REPLY.timestamp })], SETTLED);
    expect(w.audits()).toBe(0);
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
      {
        kind: 'update_outcome',
        updateId: 9002,
        at: '2026-01-05T10:05:00.000Z',
        outcome: { kind: 'skipped', reason: 'agent_update' },
      },
    ]);
    // Evaluated with the state right after the creation: the record's status rolled back to open.
    expect(w.inBrandView()).toMatchObject([{ kind: 'record_creation_in_view', ticketId: TICKET }]);
    expect(w.interactions.map((i) => [i.ticketId, i.state.status])).toEqual([[TICKET, 'open']]);
    // The update log (what `explain` reads): the creation under the ticket's record, then the update.
    expect(w.log.map((e) => [e.updateId, e.kind === 'classified' && e.creates, e.queueIds.length])).toEqual([
      [null, true, 1],
      [9002, false, 0],
    ]);
    expect(w.states.get(TICKET)).toMatchObject({
      status: 'pending',
      creation: 'ticket_record',
      appliedThrough: { timestamp: AGENT_REPLY.timestamp, updateId: 9002 },
    });
    expect(w.states.get(TICKET)).not.toHaveProperty('awaitingRecord');
  });

  it("the creation is evaluated with the values before the later updates changed them (each field's previous value)", async () => {
    const rebrand = event(9003, '2026-01-05T10:07:00Z', [
      { kind: 'Change', field: 'brand_id', value: '360000301', previous: '360000999' },
    ]);
    const w = world();
    await w.updates('e', [{ event: rebrand, verdict: { kind: 'skipped', reason: 'agent_update' } }]);
    await w.records('b', [record({ generatedTimestamp: rebrand.timestamp })], SETTLED);
    expect(w.creationsBySource()).toEqual({ ticket_record: 1 });
    // The creation was on brand 360000999: not in the brand view, although the record now is.
    expect(w.inBrandView()).toEqual([]);
    expect(w.states.get(TICKET)).toMatchObject({ brandId: 360000301 });
  });

  it('waiting updates that come again with their page are kept once', async () => {
    const w = world();
    await w.updates('e', [replyUpdate]);
    await w.updates('e', [replyUpdate]);
    expect(w.states.get(TICKET)?.awaitingRecord?.map((u) => u.event.id)).toEqual([9002]);
  });

  it('an update that does not say what a field was before: the audits tell the state when the record comes', async () => {
    const silent = event(9004, '2026-01-05T10:05:00Z', [
      { kind: 'Change', field: 'status', value: 'pending' },
    ]);
    const w = world([CREATION, silent]);
    await w.updates('e', [{ event: silent, verdict: { kind: 'skipped', reason: 'agent_update' } }]);
    expect(w.audits()).toBe(0);
    await w.records('b', [record({ status: 'pending', generatedTimestamp: silent.timestamp })], SETTLED);
    expect(w.audits()).toBe(1);
    expect(w.creationsBySource()).toEqual({ ticket_audits: 1 });
  });

  it('a ticket created before the export starts (the window less the warm-up) gets its state from its audits when its record comes', async () => {
    const old = '2025-12-01T10:00:00Z';
    const oldCreation = { ...CREATION, timestamp: at(old), createdAt: old };
    const w = world([oldCreation, AGENT_REPLY]);
    await w.updates('e', [replyUpdate]);
    await w.records(
      'b',
      [record({ createdAt: old, status: 'pending', generatedTimestamp: AGENT_REPLY.timestamp })],
      SETTLED,
    );
    expect(w.audits()).toBe(1);
    expect(w.creationsBySource()).toEqual({});
    expect(w.outcomes()).toEqual([
      {
        kind: 'update_outcome',
        updateId: 9002,
        at: '2026-01-05T10:05:00.000Z',
        outcome: { kind: 'skipped', reason: 'agent_update' },
      },
    ]);
  });

  it('an import of a past period asks the audits at once (no record would settle the ticket)', async () => {
    const w = world([CREATION, AGENT_REPLY], { ...ACME, importUntil: '2026-01-10T00:00:00.000Z' });
    await w.updates('e', [replyUpdate]);
    expect(w.audits()).toBe(1);
    expect(w.creationsBySource()).toEqual({ ticket_audits: 1 });
    expect(w.states.get(TICKET)).not.toHaveProperty('awaitingRecord');
  });

  it("a past period's import: a creation the events never delivered, with nothing else of the ticket in the window, is counted from its audit once the events are read to the window's end", async () => {
    const until = '2026-01-10T00:00:00.000Z';
    const afterWindow = event(9010, '2026-01-12T09:00:00Z', [
      { kind: 'Change', field: 'brand_id', value: '360000999', previous: '360000301' },
    ]);
    const creation = event(9001, CREATED, [
      { kind: 'Create', field: 'status', value: 'open' },
      { kind: 'Create', field: 'brand_id', value: '360000301' },
    ]);
    const w = world([creation, afterWindow], { ...ACME, importUntil: until });
    // The record shows the ticket as it is now (after the window): it never settles.
    const now = record({ brandId: 360000999, generatedTimestamp: afterWindow.timestamp });
    await w.records('b1', [now], at('2026-01-09T00:00:00Z'));
    expect(w.creationsBySource()).toEqual({});
    await w.records('b2', [now], at(until) + 60);
    expect(w.audits()).toBe(1);
    expect(w.creationsBySource()).toEqual({ ticket_audits: 1 });
    // The state right after the creation (the audits up to the window's end): in the brand view.
    expect(w.inBrandView()).toMatchObject([{ kind: 'update_in_view', updateId: 9001 }]);
    await w.records('b3', [now], at(until) + 120);
    expect(w.creationsBySource()).toEqual({ ticket_audits: 1 });
  });

  it("a past period's import: a ticket deleted since (no audits) has its creation counted from its record", async () => {
    const until = '2026-01-10T00:00:00.000Z';
    const w = world(undefined, { ...ACME, importUntil: until });
    w.auditsGone();
    await w.records('b', [record({ generatedTimestamp: at('2026-01-12T09:00:00Z') })], at(until) + 60);
    expect(w.creationsBySource()).toEqual({ ticket_record: 1 });
  });

  it('more than 100 updates waiting with one ticket: the audits tell its state, and all of them are counted in order', async () => {
    const many = Array.from({ length: 101 }, (_, i) =>
      event(10_000 + i, new Date(Date.parse('2026-01-05T11:00:00Z') + i * 1000).toISOString(), [
        {
          kind: 'Change',
          field: 'priority',
          value: i % 2 === 0 ? 'high' : 'low',
          previous: i % 2 === 0 ? 'low' : 'high',
        },
      ]),
    );
    const w = world([CREATION]);
    await w.updates(
      'e1',
      many.slice(0, 100).map((e) => ({ event: e, verdict: { kind: 'skipped', reason: 'agent_update' } })),
    );
    expect(w.audits()).toBe(0);
    await w.updates('e2', [{ event: many[100]!, verdict: { kind: 'skipped', reason: 'agent_update' } }]);
    expect(w.audits()).toBe(1);
    expect(w.outcomes().map((f) => (f.kind === 'update_outcome' ? f.updateId : f.ticketId))).toEqual([
      9001,
      ...many.map((e) => e.id),
    ]);
    expect(w.states.get(TICKET)).toMatchObject({ priority: 'high', creation: 'ticket_audits' });
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

describe('requester language (locale_id): the language of the requester of the state each count is evaluated with', () => {
  const GERMAN_REQUESTER = 411000201;
  const FRENCH_REQUESTER = 411000202;
  const languages = new Map([
    [GERMAN_REQUESTER, GERMAN],
    [FRENCH_REQUESTER, 12],
  ]);
  const createdBy = (requesterId: number) =>
    event(9001, CREATED, [
      { kind: 'Create', field: 'status', value: 'open' },
      { kind: 'Create', field: 'requester_id', value: String(requesterId) },
    ]);

  it("a past period's import: a creation the export lacked, told by the audits of a later update, is in the view of its requester's language (the requester only the audits name)", async () => {
    const w = world(
      [createdBy(GERMAN_REQUESTER), AGENT_REPLY],
      { ...ACME, importUntil: '2026-01-10T00:00:00.000Z' },
      languages,
    );
    await w.updates('e', [replyUpdate]);
    expect(w.creationsBySource()).toEqual({ ticket_audits: 1 });
    expect(w.inGermanView()).toMatchObject([{ kind: 'update_in_view', updateId: 9001 }]);
    expect(w.languagesAsked).toEqual([[GERMAN_REQUESTER]]);
  });

  it('a later customer update on a ticket whose earlier state the audits tell is in the view of the requester the audits name', async () => {
    const comment = event(9005, '2026-01-05T10:09:00Z', [
      { kind: 'Change', field: 'status', value: 'open', previous: 'pending' },
    ]);
    const old = '2025-12-01T10:00:00Z';
    const oldCreation = { ...createdBy(GERMAN_REQUESTER), timestamp: at(old), createdAt: old };
    const w = world(
      [oldCreation, AGENT_REPLY, comment],
      { ...ACME, importUntil: '2026-01-10T00:00:00.000Z' },
      languages,
    );
    await w.updates('e', [
      {
        event: comment,
        verdict: {
          kind: 'counted',
          interaction: 'end_user_comment',
          viaChannel: 'native_messaging',
          channel: 'chat',
        },
      },
    ]);
    expect(w.inGermanView()).toMatchObject([{ kind: 'update_in_view', updateId: 9005 }]);
  });

  it('a creation counted from its record rolled back through a change of requester: the language of the requester at the creation, not the record’s', async () => {
    const handOver = event(9006, '2026-01-05T10:06:00Z', [
      {
        kind: 'Change',
        field: 'requester_id',
        value: String(FRENCH_REQUESTER),
        previous: String(GERMAN_REQUESTER),
      },
    ]);
    const w = world([], ACME, languages);
    await w.updates('e', [{ event: handOver, verdict: { kind: 'skipped', reason: 'agent_update' } }]);
    await w.records(
      'b',
      [record({ requesterId: FRENCH_REQUESTER, generatedTimestamp: handOver.timestamp })],
      SETTLED,
    );
    expect(w.creationsBySource()).toEqual({ ticket_record: 1 });
    expect(w.inGermanView()).toMatchObject([{ kind: 'record_creation_in_view', ticketId: TICKET }]);
  });

  it('no counted view asks for a language: no user is looked up', async () => {
    const w = world([createdBy(GERMAN_REQUESTER), AGENT_REPLY], {
      ...ACME,
      importUntil: '2026-01-10T00:00:00.000Z',
    });
    await w.updates('e', [replyUpdate]);
    expect(w.creationsBySource()).toEqual({ ticket_audits: 1 });
    expect(w.languagesAsked).toEqual([]);
  });
});

describe("view classifier: a webhook's ticket read now (its audits) counts each update once, whichever source is first", () => {
  it('read now first: the creation is counted from its audit, in the brand view its record names; the export and the settled record count nothing again', async () => {
    const w = world();
    await w.readNow('n', [creationUpdate, replyUpdate], record());
    await w.updates('e', [creationUpdate, replyUpdate]);
    await w.records('b', [record()], SETTLED);
    expect(w.creationsBySource()).toEqual({ ticket_audits: 1 });
    expect(w.outcomes().map((o) => (o.kind === 'update_outcome' ? o.updateId : o.kind))).toEqual([
      9001, 9002,
    ]);
    expect(w.inBrandView()).toMatchObject([{ kind: 'update_in_view', updateId: 9001 }]);
    expect(w.states.get(TICKET)?.appliedThrough).toEqual({
      timestamp: AGENT_REPLY.timestamp,
      updateId: 9002,
    });
  });

  it('the export first: the ticket read later counts nothing again', async () => {
    const w = world();
    await w.records('a', [record()]);
    await w.updates('e', [creationUpdate, replyUpdate]);
    const facts = w.facts.length;
    await w.readNow('n', [creationUpdate, replyUpdate], record());
    expect(w.facts).toHaveLength(facts);
    expect(w.creationsBySource()).toEqual({ ticket_events: 1 });
  });

  it('the export brought the creation, the read brings the reply the export still holds back: only the reply is new', async () => {
    const w = world();
    await w.records('a', [record()]);
    await w.updates('e', [creationUpdate]);
    await w.readNow('n', [creationUpdate, replyUpdate], record());
    await w.updates('e2', [replyUpdate]);
    expect(w.outcomes().map((o) => (o.kind === 'update_outcome' ? o.updateId : o.kind))).toEqual([
      9001, 9002,
    ]);
  });

  it('a ticket whose updates wait for their record is left to the records, which resolve it', async () => {
    const w = world();
    await w.updates('e', [replyUpdate]);
    await w.readNow('n', [creationUpdate, replyUpdate], record());
    expect(w.outcomes()).toEqual([]);
    expect(w.states.get(TICKET)?.awaitingRecord).toEqual([replyUpdate]);
  });

  it("a waiting update keeps a long custom field text cut past what a view can test: 32 waiting tickets' texts kept whole would pass the bucket's 400 KB", async () => {
    const w = world();
    const pasted = 'x'.repeat(65_000);
    const withLogs: NormalisedUpdate = {
      ...replyUpdate,
      event: event(9002, '2026-01-05T10:05:00Z', [
        { kind: 'Change', field: 'status', value: 'pending', previous: 'open' },
        { kind: 'Change', field: 'custom_fields_7', value: pasted, previous: null },
      ]),
    };
    await w.updates('e', [withLogs]);
    expect(w.states.get(TICKET)?.awaitingRecord?.map((u) => u.event.children)).toEqual([
      [
        { kind: 'Change', field: 'status', value: 'pending', previous: 'open' },
        { kind: 'Change', field: 'custom_fields_7', value: 'x'.repeat(256), previous: null },
      ],
    ]);
  });

  it('a new ticket read without its record (Zendesk no longer shows it) is left to the export: its creation would miss the brand', async () => {
    const w = world();
    await w.readNow('n', [creationUpdate], null);
    expect(w.outcomes()).toEqual([]);
    expect(w.states.has(TICKET)).toBe(false);
  });

  it("a customer's comment the export still holds back is counted from the read, in its channel and views, then never again", async () => {
    const w = world();
    await w.records('a', [record()]);
    await w.updates('e', [creationUpdate]);
    const comment: NormalisedUpdate = {
      event: event(9003, '2026-01-05T11:00:00Z', [
        { kind: 'Comment', authorId: 411000101, public: true, channel: 'web', rel: null },
      ]),
      verdict: { kind: 'counted', interaction: 'end_user_comment', channel: 'email', viaChannel: 'web' },
    };
    await w.readNow('n', [creationUpdate, comment], record());
    await w.readNow('n', [creationUpdate, comment], record());
    await w.updates('e2', [comment]);
    expect(w.outcomes().map((o) => (o.kind === 'update_outcome' ? o.updateId : o.kind))).toEqual([
      9001, 9003,
    ]);
    expect(w.inBrandView().map((f) => (f.kind === 'update_in_view' ? f.updateId : f.kind))).toEqual([
      9001, 9003,
    ]);
  });

  it("a ticket read before the first import has read the views is left to the export: its creation's backlog would be lost (a replay cannot tell it)", async () => {
    const w = world();
    w.views.length = 0;
    await w.readNow('n', [creationUpdate], record());
    expect([w.outcomes(), w.interactions, w.states.has(TICKET)]).toEqual([[], [], false]);
  });

  it('a ticket the state does not know, whose audits do not start with its creation, is left to the export', async () => {
    const w = world();
    await w.readNow('n', [replyUpdate], record());
    expect(w.outcomes()).toEqual([]);
    expect(w.states.has(TICKET)).toBe(false);
  });
});
