import { describe, expect, it } from '@jest/globals';
import { reconcileDocument, reconcileText } from '../../../cli/commands/reconcile.js';
import type { ViewCondition, ViewRecord } from '../../../shared/domain/records.js';
import { emptyTicketState, type TicketState } from '../../../shared/domain/ticket-state.js';
import { isTimeBasedCondition } from '../../../shared/domain/view-conditions.js';
import type { CallFact } from '../../../shared/messages/contacts.js';
import {
  compareCalls,
  compareCreations,
  compareView,
  reconcile,
  type ReconcileDeps,
  type ReconcileZendesk,
  type TicketDifference,
} from '../../../shared/pipeline/reconcile.js';
import type { Integration } from '../../../shared/store/integrations-repository.js';
import type { UpdateLogEntry } from '../../../shared/store/interactions-repository.js';
import type { StoredView } from '../../../shared/store/views-repository.js';
import { ZendeskCredentialsError, ZendeskRequestError } from '../../../shared/zendesk/errors.js';
import { ACME } from '../../support/integrations.js';

const AT = '2026-01-05T12:00:00.000Z';
const open = (id: number, extra: Partial<TicketState> = {}): TicketState => ({
  ...emptyTicketState(id),
  status: 'open',
  createdAt: '2026-01-05T08:00:00.000Z',
  ...extra,
});
const view = (all: ViewCondition[]): ViewRecord => ({
  id: 1,
  title: 'Open',
  active: true,
  updatedAt: '2026-01-01T00:00:00Z',
  position: 1,
  conditions: { all, any: [] },
});
const STATUS: ViewCondition = { field: 'status', operator: 'less_than', value: 'solved' };
const NEW_HOURS: ViewCondition = { field: 'NEW', operator: 'less_than', value: '2' };

describe('isTimeBasedCondition: conditions whose verdict moves with the clock', () => {
  it.each<[string, ViewCondition, boolean]>([
    ['hours since created', NEW_HOURS, true],
    ['hours since open', { field: 'OPEN', operator: 'greater_than', value: '24' }, true],
    ['hours until the due date', { field: 'until_due_date', operator: 'less_than', value: '4' }, true],
    [
      'a custom date within the previous days',
      { field: 'custom_fields_7', operator: 'within_previous_n_days', value: '3' },
      true,
    ],
    [
      'a custom field compared with a fixed value',
      { field: 'custom_fields_7', operator: 'is', value: 'x' },
      false,
    ],
    ['status', STATUS, false],
  ])('%s', (_rule, condition, expected) => {
    expect(isTimeBasedCondition(condition)).toBe(expected);
  });
});

describe('compareView: the product’s tickets in a view against Zendesk’s', () => {
  const states = new Map<number, TicketState>([
    [1, open(1, { createdAt: '2026-01-05T11:00:00.000Z' })],
    [2, open(2, { status: 'solved' })],
  ]);
  const base = {
    at: AT,
    context: { timeZone: 'UTC' },
    completeUpTo: '2026-01-05T11:55:00.000Z',
  };
  it.each<
    [
      string,
      ViewRecord,
      { value: number | null; ids: [number, string | null][] | null },
      string,
      Pick<TicketDifference, 'ticketId' | 'onlyIn' | 'explained'>[] & { reason?: unknown }[],
    ]
  >([
    [
      'agrees on the same count, without asking for the list',
      view([STATUS]),
      { value: 1, ids: null },
      'agrees',
      [],
    ],
    [
      'a ticket only Zendesk lists, which the product holds as solved: the failing condition decides it',
      view([STATUS]),
      {
        value: 2,
        ids: [
          [1, '2026-01-05T09:00:00Z'],
          [2, '2026-01-05T09:00:00Z'],
        ],
      },
      'differs',
      [
        {
          ticketId: 2,
          onlyIn: 'zendesk',
          explained: false,
          reason: { kind: 'conditions', conditions: [STATUS] },
        },
      ],
    ],
    [
      'a ticket Zendesk updated after the product’s history is complete is explained',
      view([STATUS]),
      {
        value: 2,
        ids: [
          [1, '2026-01-05T09:00:00Z'],
          [2, '2026-01-05T11:58:00Z'],
        ],
      },
      'explained',
      [
        {
          ticketId: 2,
          onlyIn: 'zendesk',
          explained: true,
          reason: { kind: 'updated_after_import', updatedAt: '2026-01-05T11:58:00Z' },
        },
      ],
    ],
    [
      'a ticket the product holds no state of is explained (not updated since the import began)',
      view([STATUS]),
      {
        value: 2,
        ids: [
          [1, '2026-01-05T09:00:00Z'],
          [3, '2026-01-01T09:00:00Z'],
        ],
      },
      'explained',
      [{ ticketId: 3, onlyIn: 'zendesk', explained: true, reason: { kind: 'no_state' } }],
    ],
    [
      'a ticket only the product places, in a view on hours since created: time-based, explained',
      view([NEW_HOURS]),
      { value: 0, ids: [] },
      'explained',
      [
        {
          ticketId: 1,
          onlyIn: 'product',
          explained: true,
          reason: { kind: 'time_based', conditions: [NEW_HOURS] },
        },
      ],
    ],
    [
      'a ticket only the product places, in a view without conditions on time: differs',
      view([STATUS]),
      { value: 0, ids: [] },
      'differs',
      [
        {
          ticketId: 1,
          onlyIn: 'product',
          explained: false,
          reason: { kind: 'conditions', conditions: [STATUS] },
        },
      ],
    ],
  ])('%s', (_rule, v, zendesk, verdict, differences) => {
    const r = compareView({
      ...base,
      view: v,
      states,
      zendeskCount: { value: zendesk.value, fresh: true },
      zendeskTickets: zendesk.ids === null ? null : zendesk.ids.map(([id, updatedAt]) => ({ id, updatedAt })),
    });
    expect(r.verdict).toBe(verdict);
    expect(r.differences).toEqual(differences);
  });
});

describe('compareCreations and compareCalls: the window’s records against the exports', () => {
  const window = { from: '2026-01-05T00:00:00.000Z', to: '2026-01-06T00:00:00.000Z' };
  const created = (ticketId: number, at: string, counted = true): UpdateLogEntry => ({
    kind: 'classified',
    updateId: ticketId * 10,
    ticketId,
    at,
    verdict: counted
      ? { kind: 'counted', interaction: 'creation', channel: 'email', viaChannel: 'email' }
      : { kind: 'skipped', reason: 'agent_update' },
    creates: true,
    authorRole: 'end-user',
    queueIds: [],
  });
  it.each<[string, { id: number; createdAt: string }[], UpdateLogEntry[], object]>([
    [
      'the same tickets: they agree, counted or not',
      [
        { id: 1, createdAt: '2026-01-05T08:00:00Z' },
        { id: 2, createdAt: '2026-01-05T09:00:00Z' },
      ],
      [created(1, '2026-01-05T08:00:00.000Z'), created(2, '2026-01-05T09:00:00.000Z', false)],
      { zendesk: 2, product: 2, counted: 1, onlyInZendesk: [], onlyInProduct: [], agrees: true },
    ],
    [
      'a creation the product never saw differs; those outside the window are left out',
      [
        { id: 1, createdAt: '2026-01-05T08:00:00Z' },
        { id: 3, createdAt: '2026-01-04T23:59:59Z' },
      ],
      [],
      { zendesk: 1, product: 0, counted: 0, onlyInZendesk: [1], onlyInProduct: [], agrees: false },
    ],
  ])('%s', (_rule, tickets, log, expected) => {
    expect(compareCreations(tickets, log, window)).toEqual(expected);
  });

  const fact = (callId: number, counted: boolean): CallFact => ({
    kind: 'call',
    callId,
    updatedAt: '2026-01-05T08:30:00.000Z',
    contribution: counted
      ? {
          queue: {
            id: 'talk:ivr:Billing',
            name: 'Calls Inbound For Billing',
            channel: 'call',
            source: 'talk',
          },
          intervalStart: '2026-01-05T08:00:00.000Z',
          contacts: 1,
          handled: 0,
          handleSeconds: 0,
        }
      : null,
    outcome: counted ? { kind: 'counted' } : { kind: 'skipped', reason: 'outbound' },
  });
  it.each<[string, { id: number; createdAt: string; direction: string }[], CallFact[], object]>([
    [
      'inbound calls only, on both sides',
      [
        { id: 1, createdAt: '2026-01-05T08:05:00Z', direction: 'inbound' },
        { id: 2, createdAt: '2026-01-05T08:06:00Z', direction: 'outbound' },
      ],
      [fact(1, true), fact(2, false)],
      { zendesk: 1, product: 1, counted: 1, onlyInZendesk: [], onlyInProduct: [], agrees: true },
    ],
    [
      'a counted call Zendesk does not list differs',
      [],
      [fact(1, true)],
      { zendesk: 0, product: 1, counted: 1, onlyInZendesk: [], onlyInProduct: [1], agrees: false },
    ],
  ])('%s', (_rule, calls, facts, expected) => {
    expect(compareCalls(calls, facts, window)).toEqual(expected);
  });
});

describe('reconcile: what Zendesk no longer has, or refuses, is one part of the report, never the whole', () => {
  const integration: Integration = { ...ACME, importFrom: '2026-01-05T00:00:00.000Z' };
  const stored = (id: number, title: string): StoredView => ({
    view: { ...view([STATUS]), id, title },
    supported: true,
    reasons: [],
    deleted: false,
  });
  // The end of an export, with nothing in it.
  const emptyPage = {
    kind: 'page' as const,
    records: [],
    rejected: [],
    next: { startTime: 0 },
    endOfStream: true,
    requestUrl: 'https://acme.zendesk.com/',
    requests: 1,
  };
  const depsWith = (zendesk: Partial<ReconcileZendesk>): ReconcileDeps => ({
    views: { list: async () => [stored(1, 'Open'), stored(2, 'Deleted in Zendesk')] },
    ticketState: { all: async () => new Map([[7, open(7)]]) },
    interactions: { updateLog: async () => [] },
    facts: { calls: async () => [] },
    users: { locales: async () => new Map() },
    zendesk: {
      viewCount: async (id) => {
        if (id === 2)
          throw new ZendeskRequestError('/api/v2/views/{view_id}/count', 404, 'RecordNotFound: Not found');
        return { value: 1, fresh: true };
      },
      viewTickets: async () => [],
      tickets: async () => emptyPage,
      calls: async () => emptyPage,
      ...zendesk,
    },
    sleep: async () => undefined,
  });
  const calls = '/api/v2/channels/voice/stats/incremental/calls';

  it('a view deleted in Zendesk is gone (its history stays); a refused Talk export leaves the calls not compared; both agree', async () => {
    const result = await reconcile(
      depsWith({
        calls: async () => {
          throw new ZendeskRequestError(calls, 404, 'InvalidEndpoint: Not found');
        },
      }),
      integration,
      new Date(AT),
      null,
    );
    expect(result.views).toEqual([
      { viewId: 1, title: 'Open', product: 1, zendesk: 1, differences: [], verdict: 'agrees' },
      { viewId: 2, title: 'Deleted in Zendesk', product: 1, zendesk: null, differences: [], verdict: 'gone' },
    ]);
    expect(result.calls).toEqual({
      talkRefused: `Zendesk answered 404 on ${calls}: InvalidEndpoint: Not found`,
    });
    expect(result.agrees).toBe(true);
    const text = reconcileText({ integration, completeUpTo: null, result });
    expect(text).toContain(
      '\n  Deleted in Zendesk   2        1  no view  gone from Zendesk: its history stays, the next run marks it deleted\n',
    );
    expect(text).toContain(
      `\nInbound calls: not compared: Zendesk refuses its Talk export (Zendesk answered 404 on ${calls}: InvalidEndpoint: Not found)\n`,
    );
    expect(reconcileDocument({ integration, completeUpTo: null, result }).inboundCalls).toEqual({
      talkRefused: `Zendesk answered 404 on ${calls}: InvalidEndpoint: Not found`,
    });
  });

  it('a view deleted between its count and its list is gone too', async () => {
    const result = await reconcile(
      depsWith({
        viewCount: async () => ({ value: 5, fresh: true }),
        viewTickets: async () => {
          throw new ZendeskRequestError('/api/v2/views/{view_id}/tickets', 404, 'RecordNotFound: Not found');
        },
      }),
      integration,
      new Date(AT),
      null,
    );
    expect(result.views.map((v) => [v.viewId, v.product, v.zendesk, v.verdict])).toEqual([
      [1, 1, null, 'gone'],
      [2, 1, null, 'gone'],
    ]);
  });

  it('any other refusal still stops the report: a 401 is credentials that fail', async () => {
    const refused = new ZendeskCredentialsError(calls, 401, "Couldn't authenticate you");
    await expect(
      reconcile(
        depsWith({
          calls: async () => {
            throw refused;
          },
        }),
        integration,
        new Date(AT),
        null,
      ),
    ).rejects.toBe(refused);
  });
});
