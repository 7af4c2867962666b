/**
 * What the Audits API told a page is kept across the page's deliveries: a 429 in the middle of a
 * page's audits costs the tickets not yet read, never the ones already read.
 */
import { describe, expect, it } from '@jest/globals';
import type { TicketEventRecord, ViewRecord } from '../../../shared/domain/records.js';
import type { Fact } from '../../../shared/messages/contacts.js';
import type { NormalisedUpdate } from '../../../shared/messages/updates.js';
import {
  AuditsRateLimitedError,
  classifyUpdates,
  type StoredTicketState,
  type ViewClassifierDeps,
} from '../../../shared/pipeline/view-classifier.js';
import type { StoredView } from '../../../shared/store/views-repository.js';
import { ticketStateStore } from '../../support/ticket-state-store.js';
import { ACME } from '../../support/integrations.js';

/** A past period's import: tickets first seen in the middle of their life ask the audits at once. */
const PAST = { ...ACME, importUntil: '2026-01-10T00:00:00.000Z' };
const TICKETS = [6001, 6002, 6003];
const at = (iso: string) => Date.parse(iso) / 1000;

const HIGH: ViewRecord = {
  id: 91,
  title: 'High priority',
  active: true,
  updatedAt: '2026-01-01T00:00:00Z',
  position: 1,
  conditions: { all: [{ field: 'priority', operator: 'is', value: 'high' }], any: [] },
};

const event = (
  id: number,
  ticketId: number,
  iso: string,
  children: TicketEventRecord['children'],
): TicketEventRecord => ({
  id,
  ticketId,
  timestamp: at(iso),
  createdAt: iso,
  updaterId: 411000101,
  via: 'Mail',
  viaReferenceId: null,
  children,
});

/** Each ticket's audits: its creation in the window (priority high) and an agent's change of status. */
const auditsOf = (ticketId: number): TicketEventRecord[] => [
  event(ticketId * 10, ticketId, '2026-01-05T10:00:00Z', [
    { kind: 'Create', field: 'status', value: 'new' },
    { kind: 'Create', field: 'priority', value: 'high' },
    { kind: 'Comment', authorId: 411000101, public: true, channel: 'email', rel: null },
  ]),
  event(ticketId * 10 + 1, ticketId, '2026-01-05T10:05:00Z', [
    { kind: 'Change', field: 'status', value: 'open', previous: 'new' },
  ]),
  ...pageOf(ticketId).map((u) => u.event),
];

/** The update the export brought of each ticket (the first it saw of it): the customer writing again. */
const pageOf = (ticketId: number): NormalisedUpdate[] => [
  {
    event: event(ticketId * 10 + 2, ticketId, '2026-01-06T09:00:00Z', [
      { kind: 'Comment', authorId: 411000101, public: true, channel: 'email', rel: null },
    ]),
    verdict: { kind: 'counted', interaction: 'end_user_comment', viaChannel: 'email', channel: 'email' },
  },
];

const world = (rateLimitedOnce: readonly number[] = []) => {
  const states = new Map<number, StoredTicketState>();
  const facts: Fact[] = [];
  const requests: number[] = [];
  const limited = new Set(rateLimitedOnce);
  const ticketState = ticketStateStore(states);
  const stored: StoredView = {
    view: HIGH,
    supported: true,
    reasons: [],
    deleted: false,
    verdict: 'supported',
    excluded: false,
  };
  const deps = {
    integrations: { get: async () => PAST },
    views: { list: async () => [stored], put: async () => undefined },
    ticketState,
    interactions: { putPage: async () => undefined, putUpdateLog: async () => undefined },
    users: { locales: async () => new Map() },
    bus: { sendContacts: async (m: { facts: Fact[] }) => void facts.push(...m.facts) },
    zendesk: async () => ({
      ticketAudits: async (ticketId: number) => {
        requests.push(ticketId);
        if (limited.delete(ticketId)) return { kind: 'rate_limited', retryAfterSeconds: 30 };
        return auditsOf(ticketId);
      },
    }),
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    settings: { replayPageSize: 100, ticketStateWarmUpDays: 7 },
  } as unknown as ViewClassifierDeps;
  const deliver = () =>
    classifyUpdates(deps, {
      version: 2,
      pageKey: 'page-1',
      integrationId: PAST.id,
      type: 'ticket_updates',
      updates: TICKETS.flatMap(pageOf),
    });
  const requestsPerTicket = () =>
    Object.fromEntries(TICKETS.map((id) => [id, requests.filter((r) => r === id).length]));
  return { deps, deliver, states, facts, ticketState, requestsPerTicket };
};

/** The same page delivered once with every audit answered. */
const unlimited = async () => {
  const w = world();
  await w.deliver();
  return w;
};

describe('a page whose audits Zendesk rate-limits part way keeps what the audits already told', () => {
  it('the first delivery stops at the 429 sending and saving nothing, and keeps the states of the tickets whose audits were read', async () => {
    const w = world([6002]);
    await expect(w.deliver()).rejects.toBeInstanceOf(AuditsRateLimitedError);
    expect(w.facts).toEqual([]);
    expect(w.states.size).toBe(0);
    expect([...w.ticketState.kept.keys()].sort()).toEqual(['page-1#6001', 'page-1#6003']);
  });

  it('its next delivery asks only for the ticket not yet read, counts exactly what one delivery without a 429 counts, and forgets what it kept', async () => {
    const w = world([6002]);
    await expect(w.deliver()).rejects.toBeInstanceOf(AuditsRateLimitedError);
    await w.deliver();
    const control = await unlimited();
    expect(w.requestsPerTicket()).toEqual({ 6001: 1, 6002: 2, 6003: 1 });
    expect(w.facts).toEqual(control.facts);
    expect(w.states).toEqual(control.states);
    // The three creations the audits hold, then the three comments, each in the high-priority view.
    expect(w.facts.filter((f) => f.kind === 'update_in_view').map((f) => f.updateId)).toEqual([
      60010, 60020, 60030, 60012, 60022, 60032,
    ]);
    expect(w.ticketState.kept.size).toBe(0);
  });

  it('a kept state built on another state of the ticket than this delivery starts from is not used: the audits are asked again, and it is forgotten with the page', async () => {
    const w = world();
    w.ticketState.kept.set('page-1#6001', {
      before: { ticketId: 6001, timestamp: at('2026-01-06T09:00:00Z'), id: 60012 },
      seed: JSON.stringify({ ticketId: 6001, status: 'solved' }),
      prior: { state: { ticketId: 6001, status: 'solved' } },
    });
    await w.deliver();
    const control = await unlimited();
    expect(w.requestsPerTicket()).toEqual({ 6001: 1, 6002: 1, 6003: 1 });
    expect(w.facts).toEqual(control.facts);
    expect(w.ticketState.kept.size).toBe(0);
  });

  it('when what was read cannot be kept, the 429 still goes on as a 429 (a wait, not a failure)', async () => {
    const w = world([6002]);
    w.deps.ticketState.saveAudited = async () => {
      throw new Error('ProvisionedThroughputExceededException');
    };
    await expect(w.deliver()).rejects.toBeInstanceOf(AuditsRateLimitedError);
    await w.deliver();
    expect(w.requestsPerTicket()).toEqual({ 6001: 2, 6002: 2, 6003: 2 });
    expect(w.facts).toEqual((await unlimited()).facts);
  });
});
