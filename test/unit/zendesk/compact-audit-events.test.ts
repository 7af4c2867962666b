import { describe, expect, it } from '@jest/globals';
import { compactAudit, compactTicketEvent } from '../../../shared/zendesk/compact.js';
import { applyUpdate, emptyTicketState, type TicketState } from '../../../shared/domain/ticket-state.js';
import type { ChildEventRecord } from '../../../shared/domain/records.js';

/**
 * CCs, followers and satisfaction read through the Audits API (used when the ticket event export
 * lacks a ticket's history, or to rebuild it): Zendesk's Ticket Audit events reference documents a
 * "Follower change event", an "Email CC change event" and a "Satisfaction rating event" of their
 * own, beside the `Change` events on field names. Each is read as the field changes the export
 * carries for the same update, so the CC'd, Followers and Satisfaction view conditions see the
 * same ticket state from either source.
 */
const audit = (events: unknown[]) => ({
  id: 31000000700,
  ticket_id: 5120,
  created_at: '2024-06-03T09:01:02Z',
  author_id: 400000101,
  via: { channel: 'web', source: { rel: null } },
  metadata: {},
  events,
});

const childrenOf = (event: Record<string, unknown>): readonly ChildEventRecord[] =>
  compactAudit(audit([{ id: 31000000701, ...event }])).children;

describe('CC, follower and satisfaction events of the Audits API', () => {
  it.each<[string, Record<string, unknown>, ChildEventRecord[]]>([
    [
      'a Follower change event is the whole follower list, its previous list the value before',
      { type: 'FollowerChange', previous_followers: [400000001], current_followers: [400000001, 400000102] },
      [
        { kind: 'Other', eventType: 'FollowerChange' },
        {
          kind: 'Change',
          field: 'follower_ids',
          value: ['400000001', '400000102'],
          previous: ['400000001'],
        },
      ],
    ],
    [
      'an Email CC change event is the whole CC list (ids as numeric strings read as ids)',
      { type: 'EmailCcChange', previous_email_ccs: [], current_email_ccs: ['410000002'] },
      [
        { kind: 'Other', eventType: 'EmailCcChange' },
        { kind: 'Change', field: 'email_cc_ids', value: ['410000002'], previous: [] },
      ],
    ],
    [
      "an Email CC change event in the clients' EmailCCChange spelling, users as objects with an id",
      { type: 'EmailCCChange', current_email_ccs: [{ id: 410000002, name: 'Kim Lee' }] },
      [
        { kind: 'Other', eventType: 'EmailCCChange' },
        { kind: 'Change', field: 'email_cc_ids', value: ['410000002'] },
      ],
    ],
    [
      'a CC list naming users by address cannot be told as ids: kept by its type only',
      { type: 'EmailCcChange', previous_email_ccs: [], current_email_ccs: ['kim@example.com'] },
      [{ kind: 'Other', eventType: 'EmailCcChange' }],
    ],
    [
      'a Satisfaction rating event is the score and its comment (body)',
      { type: 'SatisfactionRating', score: 'good', assignee_id: 400000101, body: 'Thanks, great help!' },
      [
        { kind: 'Other', eventType: 'SatisfactionRating' },
        { kind: 'Change', field: 'satisfaction_score', value: 'good' },
        { kind: 'Change', field: 'satisfaction_comment', value: 'Thanks, great help!' },
      ],
    ],
    [
      'a Satisfaction rating event without a comment clears the comment, and carries its reason code',
      { type: 'SatisfactionRating', score: 'bad', assignee_id: 400000101, body: '', reason_code: 6 },
      [
        { kind: 'Other', eventType: 'SatisfactionRating' },
        { kind: 'Change', field: 'satisfaction_score', value: 'bad' },
        { kind: 'Change', field: 'satisfaction_comment', value: null },
        { kind: 'Change', field: 'satisfaction_reason_code', value: 6 },
      ],
    ],
    [
      'a Change event on satisfaction_score is read like any other field',
      { type: 'Change', field_name: 'satisfaction_score', value: 'offered', previous_value: 'unoffered' },
      [{ kind: 'Change', field: 'satisfaction_score', value: 'offered', previous: 'unoffered' }],
    ],
    [
      'a Ticket sharing event shares the ticket through its agreement',
      { type: 'TicketSharingEvent', agreement_id: 3454, action: 'shared' },
      [
        { kind: 'Other', eventType: 'TicketSharingEvent' },
        { kind: 'Sharing', agreementId: 3454, shared: true },
      ],
    ],
    [
      'a Ticket sharing event that unshares it (an agreement id as a numeric string read as an id)',
      { type: 'TicketSharingEvent', agreement_id: '3454', action: 'unshared' },
      [
        { kind: 'Other', eventType: 'TicketSharingEvent' },
        { kind: 'Sharing', agreementId: 3454, shared: false },
      ],
    ],
    [
      'a Ticket sharing event whose action is not documented changes nothing: kept by its type only',
      { type: 'TicketSharingEvent', agreement_id: 3454, action: 'paused' },
      [{ kind: 'Other', eventType: 'TicketSharingEvent' }],
    ],
    [
      'a Change event on follower_ids is read like any other field',
      { type: 'Change', field_name: 'follower_ids', value: ['400000001'], previous_value: [] },
      [{ kind: 'Change', field: 'follower_ids', value: ['400000001'], previous: [] }],
    ],
  ])('%s', (_rule, event, expected) => {
    expect(childrenOf(event)).toEqual(expected);
  });
});

describe('the same update from the Audits API and from the ticket event export', () => {
  const before: TicketState = {
    ...emptyTicketState(5120),
    status: 'solved',
    emailCcIds: [410000002],
    followerIds: [],
    satisfactionScore: 'offered',
  };
  const exportEvent = compactTicketEvent({
    id: 31000000700,
    ticket_id: 5120,
    timestamp: 1717405262,
    created_at: '2024-06-03T09:01:02Z',
    updater_id: 410000001,
    via: 'Mail',
    via_reference_id: null,
    child_events: [
      { id: 1, via: 'Mail', event_type: 'Change', follower_ids: [400000001], previous_value: [] },
      { id: 2, via: 'Mail', event_type: 'Change', email_cc_ids: [], previous_value: [410000002] },
      { id: 3, via: 'Mail', event_type: 'Change', satisfaction_score: 'bad', previous_value: 'offered' },
      { id: 4, via: 'Mail', event_type: 'Change', satisfaction_comment: 'Too slow', previous_value: null },
    ],
  });
  const auditRecord = compactAudit({
    ...audit([
      { id: 1, type: 'FollowerChange', previous_followers: [], current_followers: ['400000001'] },
      { id: 2, type: 'EmailCcChange', previous_email_ccs: ['410000002'], current_email_ccs: [] },
      { id: 3, type: 'SatisfactionRating', score: 'bad', assignee_id: 400000101, body: 'Too slow' },
    ]),
    author_id: 410000001,
  });

  it('leaves the followers, CCs and satisfaction the view conditions read as the export does', () => {
    const pick = (s: TicketState) => ({
      emailCcIds: s.emailCcIds,
      followerIds: s.followerIds,
      satisfactionScore: s.satisfactionScore,
      satisfactionCommented: s.satisfactionCommented,
    });
    const expected = {
      emailCcIds: [],
      followerIds: [400000001],
      satisfactionScore: 'bad',
      satisfactionCommented: true,
    };
    expect(pick(applyUpdate(before, exportEvent))).toEqual(expected);
    expect(pick(applyUpdate(before, auditRecord))).toEqual(expected);
  });
});

describe('a ticket sharing event in the ticket event export', () => {
  it('reads as in the Audits API: the agreement the ticket is now shared through', () => {
    const record = compactTicketEvent({
      id: 31000000800,
      ticket_id: 5120,
      timestamp: 1717405262,
      created_at: '2024-06-03T09:01:02Z',
      updater_id: 400000101,
      via: 'Web form',
      via_reference_id: null,
      child_events: [
        { id: 1, via: 'Web form', event_type: 'TicketSharingEvent', agreement_id: 3454, action: 'shared' },
      ],
    });
    expect(record.children).toEqual([
      { kind: 'Other', eventType: 'TicketSharingEvent' },
      { kind: 'Sharing', agreementId: 3454, shared: true },
    ]);
    expect(applyUpdate(emptyTicketState(5120), record).sharingAgreementIds).toEqual([3454]);
  });
});

describe('a comment of the Audits API without a via of its own', () => {
  // Audit events reference: an event carries its own via only where it differs from its audit's.
  const callAudit = (commentVia?: unknown) =>
    compactAudit({
      ...audit([
        { id: 1, type: 'Create', field_name: 'status', value: 'open' },
        {
          id: 2,
          type: 'VoiceComment',
          author_id: 400000101,
          public: false,
          body: 'Outbound call to +4930123456',
          ...(commentVia !== undefined ? { via: commentVia } : {}),
        },
      ]),
      via: { channel: 'voice', source: { from: {}, to: {}, rel: 'outbound' } },
    }).children.flatMap((c) => (c.kind === 'Comment' ? [c] : []));

  it.each<[string, unknown, { channel: string | null; rel: string | null }]>([
    ['takes its audit’s rel (an outbound call’s comment)', undefined, { channel: null, rel: 'outbound' }],
    [
      'keeps its own via where it has one',
      { channel: 'voice', source: { rel: 'inbound' } },
      { channel: 'voice', rel: 'inbound' },
    ],
  ])('%s', (_name, via, expected) => {
    expect(callAudit(via).map(({ channel, rel }) => ({ channel, rel }))).toEqual([expected]);
  });
});
