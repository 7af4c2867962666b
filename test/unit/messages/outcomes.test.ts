import { describe, expect, it } from '@jest/globals';
import { ContactsMessageSchema, type Fact } from '../../../shared/messages/contacts.js';
import { MalformedMessageError, parseMessage } from '../../../shared/messages/issues.js';
import type { UpdateVerdict } from '../../../shared/messages/outcomes.js';
import { UpdatesMessageSchema } from '../../../shared/messages/updates.js';
import { coverageCountersOf } from '../../../shared/pipeline/coverage.js';

/**
 * The typed contract of the ticket-update path: what each outcome counts in coverage (under the
 * counter names every version stored), and how a message written by version 1, still in a queue,
 * a queue journal or a dead-letter queue across an upgrade, is read.
 */
const AT = '2026-01-05T10:00:00.000Z';
const QUEUE = {
  id: 'support:1:email',
  name: 'Support (email)',
  channel: 'email',
  source: 'support',
  viewId: 1,
} as const;
const CONTRIBUTION = { queue: QUEUE, intervalStart: AT, contacts: 1, handled: 0, handleSeconds: 0 };
const TALK = {
  queue: { id: 'talk:ivr:Billing', name: 'Calls Inbound For Billing', channel: 'call', source: 'talk' },
  intervalStart: AT,
  contacts: 1,
  handled: 1,
  handleSeconds: 120,
} as const;

describe('coverageCountersOf: the coverage counters each outcome adds 1 to', () => {
  it.each<[string, Fact, string[]]>([
    [
      'an update counted in a channel: seen, counted, and counted in that channel',
      { kind: 'update_outcome', updateId: 1, at: AT, outcome: { kind: 'counted', channel: 'email' } },
      ['updates_seen', 'interactions_counted', 'channel:email'],
    ],
    [
      'an unmapped update: seen, unmapped, and unmapped under its Zendesk channel name',
      { kind: 'update_outcome', updateId: 1, at: AT, outcome: { kind: 'unmapped', viaChannel: 'line' } },
      ['updates_seen', 'interactions_unmapped', 'unmapped:line'],
    ],
    [
      'an unmapped update that names no channel: unmapped under (none)',
      { kind: 'update_outcome', updateId: 1, at: AT, outcome: { kind: 'unmapped', viaChannel: null } },
      ['updates_seen', 'interactions_unmapped', 'unmapped:(none)'],
    ],
    [
      'a skipped update: seen, and skipped for its reason',
      {
        kind: 'update_outcome',
        updateId: 1,
        at: AT,
        outcome: { kind: 'skipped', reason: 'chat_transcript' },
      },
      ['updates_seen', 'skipped:chat_transcript'],
    ],
    [
      'a creation from the ticket events: counted as an update, and among the creations from the ticket events',
      {
        kind: 'update_outcome',
        updateId: 1,
        at: AT,
        outcome: { kind: 'counted', channel: 'email' },
        creation: 'ticket_events',
      },
      ['updates_seen', 'interactions_counted', 'channel:email', 'creations:ticket_events'],
    ],
    [
      'a creation from its audit: among the creations from the ticket’s audits',
      {
        kind: 'update_outcome',
        updateId: 1,
        at: AT,
        outcome: { kind: 'unmapped', viaChannel: 'line' },
        creation: 'ticket_audits',
      },
      ['updates_seen', 'interactions_unmapped', 'unmapped:line', 'creations:ticket_audits'],
    ],
    [
      'a creation counted from the ticket record: counted as an update, and among the creations from the record',
      { kind: 'record_creation_outcome', ticketId: 5, at: AT, outcome: { kind: 'counted', channel: 'chat' } },
      ['updates_seen', 'interactions_counted', 'channel:chat', 'creations:ticket_record'],
    ],
    [
      'a record-counted creation’s count in a view: no coverage',
      { kind: 'record_creation_in_view', ticketId: 5, at: AT, contribution: CONTRIBUTION },
      [],
    ],
    [
      'an update’s count in a view: no coverage (its outcome is counted once, on its own fact)',
      { kind: 'update_in_view', updateId: 1, at: AT, contribution: CONTRIBUTION },
      [],
    ],
    [
      'an inbound call: seen and counted',
      { kind: 'call', callId: 7, updatedAt: AT, contribution: TALK, outcome: { kind: 'counted' } },
      ['calls_seen', 'calls_counted'],
    ],
    [
      'an outbound call: seen, and skipped as outbound',
      {
        kind: 'call',
        callId: 7,
        updatedAt: AT,
        contribution: null,
        outcome: { kind: 'skipped', reason: 'outbound' },
      },
      ['calls_seen', 'calls_skipped:outbound'],
    ],
  ])('%s', (_rule, fact, counters) => {
    expect(coverageCountersOf(fact)).toEqual(counters);
  });

  it('a counted verdict handed on as the outcome counts by its channel alone', () => {
    const verdict: UpdateVerdict = {
      kind: 'counted',
      interaction: 'chat_session',
      channel: 'social_media',
      viaChannel: 'whatsapp',
    };
    if (verdict.kind !== 'counted') throw new Error('unreachable');
    expect(coverageCountersOf({ kind: 'update_outcome', updateId: 1, at: AT, outcome: verdict })).toEqual([
      'updates_seen',
      'interactions_counted',
      'channel:social_media',
    ]);
  });
});

const contactsV1 = (fact: Record<string, unknown>) =>
  JSON.stringify({ version: 1, pageKey: 'p', integrationId: 'i1', facts: [fact] });

describe('a version 1 contact fact is read as its typed fact', () => {
  it.each<[string, Record<string, unknown>, Fact]>([
    [
      'interaction:<channel> is an update counted in that channel',
      {
        sourceId: 'update:5',
        scope: 'outcome',
        version: AT,
        contribution: null,
        outcome: 'interaction:chat',
      },
      { kind: 'update_outcome', updateId: 5, at: AT, outcome: { kind: 'counted', channel: 'chat' } },
    ],
    [
      'unmapped:<name> is an update unmapped under that Zendesk channel name',
      { sourceId: 'update:5', scope: 'outcome', version: AT, contribution: null, outcome: 'unmapped:line' },
      { kind: 'update_outcome', updateId: 5, at: AT, outcome: { kind: 'unmapped', viaChannel: 'line' } },
    ],
    [
      'unmapped:(none) is an update unmapped that named no channel',
      { sourceId: 'update:5', scope: 'outcome', version: AT, contribution: null, outcome: 'unmapped:(none)' },
      { kind: 'update_outcome', updateId: 5, at: AT, outcome: { kind: 'unmapped', viaChannel: null } },
    ],
    [
      'skipped:<reason> is an update skipped for that reason',
      { sourceId: 'update:5', scope: 'outcome', version: AT, contribution: null, outcome: 'skipped:merge' },
      { kind: 'update_outcome', updateId: 5, at: AT, outcome: { kind: 'skipped', reason: 'merge' } },
    ],
    [
      'a view scope is the update’s count in that view',
      { sourceId: 'update:5', scope: 'view:1', version: AT, contribution: CONTRIBUTION, outcome: null },
      { kind: 'update_in_view', updateId: 5, at: AT, contribution: CONTRIBUTION },
    ],
    [
      'call:inbound is a counted call',
      { sourceId: 'call:7', scope: 'call', version: AT, contribution: TALK, outcome: 'call:inbound' },
      { kind: 'call', callId: 7, updatedAt: AT, contribution: TALK, outcome: { kind: 'counted' } },
    ],
    [
      'call:outbound is a call skipped as outbound',
      { sourceId: 'call:7', scope: 'call', version: AT, contribution: null, outcome: 'call:outbound' },
      {
        kind: 'call',
        callId: 7,
        updatedAt: AT,
        contribution: null,
        outcome: { kind: 'skipped', reason: 'outbound' },
      },
    ],
  ])('%s', (_rule, v1, fact) => {
    expect(parseMessage('contacts', ContactsMessageSchema, contactsV1(v1))).toEqual({
      version: 2,
      pageKey: 'p',
      integrationId: 'i1',
      facts: [fact],
    });
  });

  it.each([
    ['a channel outside the WFM channels', { outcome: 'interaction:sms' }],
    ['a skip reason the product never gave', { outcome: 'skipped:because' }],
    ['a label of no known kind', { outcome: 'ignored:merge' }],
    ['an update’s outcome without a label', { outcome: null }],
    ['a call with an update’s label', { sourceId: 'call:7', scope: 'call', outcome: 'interaction:email' }],
  ])('refuses %s as malformed, naming the fact', (_what, change) => {
    const body = contactsV1({
      sourceId: 'update:5',
      scope: 'outcome',
      version: AT,
      contribution: null,
      ...change,
    });
    expect(() => parseMessage('contacts', ContactsMessageSchema, body)).toThrow(
      new MalformedMessageError('contacts', 'facts.0: a version 1 fact that names no known outcome or scope'),
    );
  });
});

describe('a version 1 update verdict is read as its typed verdict', () => {
  const event = {
    id: 5003,
    ticketId: 101,
    timestamp: 1767607400,
    createdAt: '2026-01-05T10:03:20Z',
    updaterId: 9,
    via: 'Mail',
    viaReferenceId: null,
    children: [],
  };
  it.each<[string, Record<string, unknown>, UpdateVerdict]>([
    [
      'an interaction with a WFM channel is counted in it, keeping its kind and Zendesk channel',
      { kind: 'end_user_comment', viaChannel: 'email', channel: 'email' },
      { kind: 'counted', interaction: 'end_user_comment', channel: 'email', viaChannel: 'email' },
    ],
    [
      'a chat session stays a chat session',
      { kind: 'chat_session', viaChannel: 'whatsapp', channel: 'social_media' },
      { kind: 'counted', interaction: 'chat_session', channel: 'social_media', viaChannel: 'whatsapp' },
    ],
    [
      'an interaction without a WFM channel (null) is unmapped under its Zendesk channel name',
      { kind: 'creation', viaChannel: 'line', channel: null },
      { kind: 'unmapped', interaction: 'creation', viaChannel: 'line' },
    ],
    [
      'none with a reason is skipped with that reason',
      { kind: 'none', reason: 'agent_reply' },
      { kind: 'skipped', reason: 'agent_reply' },
    ],
    ['warm_up stays warm_up', { kind: 'warm_up' }, { kind: 'warm_up' }],
  ])('%s', (_rule, v1, verdict) => {
    const body = JSON.stringify({
      version: 1,
      pageKey: 'p',
      integrationId: 'i1',
      type: 'ticket_updates',
      updates: [{ event, verdict: v1 }],
    });
    expect(parseMessage('updates', UpdatesMessageSchema, body)).toEqual({
      version: 2,
      pageKey: 'p',
      integrationId: 'i1',
      type: 'ticket_updates',
      updates: [{ event, verdict }],
    });
  });

  it('a version 1 replay or views message is read unchanged but for its version', () => {
    const replay = { pageKey: 'r', integrationId: 'i1', type: 'replay', viewId: 3, after: 'k' };
    expect(parseMessage('updates', UpdatesMessageSchema, JSON.stringify({ version: 1, ...replay }))).toEqual({
      version: 2,
      ...replay,
    });
  });
});
