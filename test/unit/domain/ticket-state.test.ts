import { describe, expect, it } from '@jest/globals';
import type { ChildEventRecord, TicketRecord } from '../../../shared/domain/records.js';
import {
  applyUpdate,
  emptyTicketState,
  keptToApplyLater,
  stateFromTicket,
  type TicketState,
} from '../../../shared/domain/ticket-state.js';
import {
  AGENT,
  changed,
  comment,
  created,
  CUSTOMER,
  roleOf,
  SYSTEM,
  TICKET,
  update,
} from '../../support/records.js';

const CREATED = '2024-06-03T09:01:02Z';

const creation = update(
  100,
  CREATED,
  [
    created('status', 'new'),
    created('priority', 'normal'),
    created('type', 'question'),
    created('group_id', '360001111'),
    created('requester_id', CUSTOMER),
    created('submitter_id', CUSTOMER),
    created('organization_id', 360000900),
    created('brand_id', '360000333'),
    created('ticket_form_id', 360000222),
    created('custom_status_id', 360000111),
    { kind: 'Create', field: 'tags', value: ['Login', 'web'], addedTags: ['login', 'web'], removedTags: [] },
    created('custom_fields_360041597112', 'billing'),
    created('due_at', null),
    comment(CUSTOMER, 'web'),
  ],
  { via: 'Web form' },
);

const afterCreation: TicketState = {
  ticketId: TICKET,
  status: 'new',
  priority: 'normal',
  type: 'question',
  groupId: 360001111,
  assigneeId: null,
  requesterId: CUSTOMER,
  submitterId: CUSTOMER,
  organizationId: 360000900,
  brandId: 360000333,
  ticketFormId: 360000222,
  customStatusId: 360000111,
  customStatusSetAt: '2024-06-03T09:01:02.000Z',
  tags: ['login', 'web'],
  customFields: { '360041597112': 'billing' },
  dueAt: null,
  createdAt: '2024-06-03T09:01:02.000Z',
  updatedAt: '2024-06-03T09:01:02.000Z',
  requesterUpdatedAt: '2024-06-03T09:01:02.000Z',
  assigneeUpdatedAt: null,
  assignedAt: null,
  statusEnteredAt: { new: '2024-06-03T09:01:02.000Z' },
  publicComments: 1,
  appliedThrough: { timestamp: 1717405262, updateId: 100 },
};

describe('applyUpdate', () => {
  it('builds the state of a creation from its Create children', () => {
    expect(applyUpdate(undefined, creation, roleOf)).toEqual(afterCreation);
  });

  const changes: [name: string, children: Parameters<typeof update>[2], expected: Partial<TicketState>][] = [
    [
      "status (only the current status's entry time: a condition reads it only while the ticket is in it)",
      [changed('status', 'open', 'new')],
      {
        status: 'open',
        statusEnteredAt: { open: '2024-06-03T10:00:00.000Z' },
      },
    ],
    ['priority', [changed('priority', 'urgent', 'normal')], { priority: 'urgent' }],
    ['priority removed', [changed('priority', '', 'normal')], { priority: null }],
    ['type', [changed('type', 'incident', 'question')], { type: 'incident' }],
    ['group', [changed('group_id', 360002222, 360001111)], { groupId: 360002222 }],
    [
      'assignee (sets the assignment time)',
      [changed('assignee_id', String(AGENT), null)],
      { assigneeId: AGENT, assignedAt: '2024-06-03T10:00:00.000Z' },
    ],
    ['requester', [changed('requester_id', 411000002, CUSTOMER)], { requesterId: 411000002 }],
    ['organization removed', [changed('organization_id', null, 360000900)], { organizationId: null }],
    ['brand', [changed('brand_id', 360000334, 360000333)], { brandId: 360000334 }],
    ['form', [changed('ticket_form_id', 360000223, 360000222)], { ticketFormId: 360000223 }],
    [
      'custom status (sets when it was set)',
      [changed('custom_status_id', 360000112, 360000111)],
      { customStatusId: 360000112, customStatusSetAt: '2024-06-03T10:00:00.000Z' },
    ],
    [
      'tags as a full list (replaces the set)',
      [changed('tags', ['vip', 'login'], ['login', 'web'])],
      { tags: ['login', 'vip'] },
    ],
    [
      'tags as added and removed lists only',
      [{ kind: 'Change', field: 'tags', value: null, addedTags: ['vip', 'VIP'], removedTags: ['web'] }],
      { tags: ['login', 'vip'] },
    ],
    [
      'a custom field',
      [changed('custom_fields_360041597112', 'refund', 'billing')],
      { customFields: { '360041597112': 'refund' } },
    ],
    [
      'a second custom field (the first is kept)',
      [changed('custom_fields_360041597113', ['a', 'b'], null)],
      { customFields: { '360041597112': 'billing', '360041597113': ['a', 'b'] } },
    ],
    [
      'a custom field of 255 characters, the longest value a view can name (kept whole)',
      [changed('custom_fields_360041597113', 'x'.repeat(255), null)],
      { customFields: { '360041597112': 'billing', '360041597113': 'x'.repeat(255) } },
    ],
    [
      "a multi-line field's 65,000 characters (not kept: no view can test them)",
      [changed('custom_fields_360041597113', 'log line \n'.repeat(6_500), null)],
      {
        customFields: {
          '360041597112': 'billing',
          '360041597113': { kind: 'unkept_text' },
        },
      },
    ],
    ['due date', [changed('due_at', '2024-06-05T12:00:00Z', null)], { dueAt: '2024-06-05T12:00:00.000Z' }],
    [
      'due date named due_date (Zendesk documentation spelling)',
      [changed('due_date', '2024-06-05T12:00:00Z', null)],
      { dueAt: '2024-06-05T12:00:00.000Z' },
    ],
    [
      'due date given as a date (kept as the date: 12:00 in the account time zone)',
      [changed('due_at', '2024-06-05', null)],
      { dueAt: '2024-06-05' },
    ],
    [
      'recipient (Received at)',
      [changed('recipient', 'Support@Acme.example', null)],
      { recipient: 'support@acme.example' },
    ],
    ['satisfaction score', [changed('satisfaction_score', 'Good', 'offered')], { satisfactionScore: 'good' }],
    [
      'satisfaction comment (only whether there is one)',
      [changed('satisfaction_comment', 'Thanks a lot', null)],
      { satisfactionCommented: true },
    ],
    [
      'satisfaction reason (an id)',
      [changed('satisfaction_reason_code', 1001, null)],
      { satisfactionReason: '1001' },
    ],
    ['integration account (via_subtype_id)', [changed('via_subtype_id', '77', null)], { viaSubtypeId: 77 }],
    ['support type', [changed('support_type', 'ai_agent', 'agent')], { supportType: 'ai_agent' }],
    ['CCs (email_cc_ids)', [changed('email_cc_ids', ['9', '3', '9'], [])], { emailCcIds: [3, 9] }],
    [
      'collaborators (collaborator_ids, a string), kept apart from email CCs',
      [changed('collaborator_ids', '5 4', null)],
      { collaboratorIds: [4, 5] },
    ],
    ['followers', [changed('follower_ids', ['12'], [])], { followerIds: [12] }],
    [
      'sharing agreements as the whole list (sharing_agreement_ids, the ticket field)',
      [changed('sharing_agreement_ids', ['8', '7'], [])],
      { sharingAgreementIds: [7, 8] },
    ],
    [
      'a ticket sharing event shares the ticket through its agreement',
      [{ kind: 'Sharing', agreementId: 7, shared: true }],
      { sharingAgreementIds: [7] },
    ],
    [
      'a ticket shared through two agreements, then unshared from the first, is shared through the second',
      [
        { kind: 'Sharing', agreementId: 8, shared: true },
        { kind: 'Sharing', agreementId: 7, shared: true },
        { kind: 'Sharing', agreementId: 8, shared: false },
      ],
      { sharingAgreementIds: [7] },
    ],
    ['a field the views do not use (subject)', [changed('subject', 'New subject', 'Old')], {}],
    ['a public comment (Privacy: one more public comment)', [comment(AGENT, 'web')], { publicComments: 2 }],
    ['an internal note (Privacy: no public comment more)', [comment(AGENT, 'web', false)], {}],
    [
      'a comment made private (CommentPrivacyChange: one public comment fewer)',
      [{ kind: 'CommentPrivacy', public: false }],
      { publicComments: 0 },
    ],
  ];

  it.each(changes)('applies a change of %s', (_name, children, expected) => {
    const next = applyUpdate(
      applyUpdate(undefined, creation),
      update(101, '2024-06-03T10:00:00Z', children, { updaterId: SYSTEM }),
    );
    expect(next).toEqual({
      ...afterCreation,
      updatedAt: '2024-06-03T10:00:00.000Z',
      appliedThrough: { timestamp: 1717408800, updateId: 101 },
      ...expected,
    });
  });

  it('keeps the description’s words and the views’ search words found in them, from the creation’s first comment only', () => {
    const described = update(100, CREATED, [
      created('status', 'new'),
      {
        kind: 'Comment',
        authorId: CUSTOMER,
        public: true,
        channel: 'web',
        rel: null,
        terms: [1, 2],
        partsFound: [3],
      },
    ]);
    const state = applyUpdate(undefined, described);
    expect([state.descriptionTerms, state.descriptionPartsFound]).toEqual([[1, 2], [3]]);
    const later = applyUpdate(
      state,
      update(101, '2024-06-03T10:00:00Z', [
        {
          kind: 'Comment',
          authorId: CUSTOMER,
          public: true,
          channel: 'web',
          rel: null,
          terms: [4],
          partsFound: [5],
        },
      ]),
    );
    expect([later.descriptionTerms, later.descriptionPartsFound]).toEqual([[1, 2], [3]]);
  });

  it('Privacy: a ticket an agent opens with an internal note has no public comments until one comes', () => {
    const internal = update(100, CREATED, [created('status', 'open'), comment(AGENT, 'web', false)]);
    const opened = applyUpdate(undefined, internal);
    expect(opened.publicComments).toBe(0);
    const replied = applyUpdate(opened, update(101, '2024-06-03T10:00:00Z', [comment(AGENT, 'email')]));
    expect(replied.publicComments).toBe(1);
  });

  it('Privacy: a state whose count is not known becomes 1 with a public comment and stays not known when one is made private', () => {
    const { publicComments: _unknown, ...stored } = applyUpdate(undefined, creation);
    const later = (id: number, children: Parameters<typeof update>[2]) =>
      update(id, '2024-06-03T10:00:00Z', children, { updaterId: SYSTEM });
    expect(applyUpdate(stored, later(101, [{ kind: 'CommentPrivacy', public: false }])).publicComments).toBe(
      undefined,
    );
    expect(applyUpdate(stored, later(102, [comment(AGENT, 'web')])).publicComments).toBe(1);
  });

  it('a new rating without a comment replaces a rating with one (Zendesk keeps one rating per ticket)', () => {
    const rated = applyUpdate(
      applyUpdate(undefined, creation),
      update(101, '2024-06-03T10:00:00Z', [
        changed('satisfaction_score', 'bad', 'offered'),
        changed('satisfaction_comment', 'Too slow', null),
      ]),
    );
    expect([rated.satisfactionScore, rated.satisfactionCommented]).toEqual(['bad', true]);
    const again = applyUpdate(
      rated,
      update(102, '2024-06-03T11:00:00Z', [changed('satisfaction_score', 'good', 'bad')]),
    );
    expect([again.satisfactionScore, again.satisfactionCommented]).toEqual(['good', false]);
  });

  it("keeps the description's terms from the creation's first comment, never from a later one", () => {
    const withDescription = update(100, CREATED, [
      created('status', 'new'),
      { kind: 'Comment', authorId: CUSTOMER, public: true, channel: 'web', rel: null, terms: [1, 2] },
    ]);
    const state = applyUpdate(undefined, withDescription);
    expect(state.descriptionTerms).toEqual([1, 2]);
    const later = applyUpdate(
      state,
      update(101, '2024-06-03T10:00:00Z', [
        { kind: 'Comment', authorId: CUSTOMER, public: true, channel: 'web', rel: null, terms: [3] },
      ]),
    );
    expect(later.descriptionTerms).toEqual([1, 2]);
  });

  it('records when the requester and the assignee last updated the ticket', () => {
    const assigned = applyUpdate(
      applyUpdate(undefined, creation),
      update(101, '2024-06-03T10:00:00Z', [changed('assignee_id', AGENT, null), comment(AGENT, 'web')], {
        updaterId: AGENT,
      }),
    );
    expect(assigned.assigneeUpdatedAt).toBe('2024-06-03T10:00:00.000Z');
    expect(assigned.requesterUpdatedAt).toBe('2024-06-03T09:01:02.000Z');
    const replied = applyUpdate(assigned, update(102, '2024-06-03T11:00:00Z', [comment(CUSTOMER, 'email')]));
    expect(replied.requesterUpdatedAt).toBe('2024-06-03T11:00:00.000Z');
    expect(replied.assigneeUpdatedAt).toBe('2024-06-03T10:00:00.000Z');
  });

  it('applying the same update twice is a no-op (same object back)', () => {
    const once = applyUpdate(undefined, creation);
    const change = update(101, '2024-06-03T10:00:00Z', [changed('status', 'open', 'new')]);
    const twice = applyUpdate(once, change);
    expect(applyUpdate(twice, change)).toBe(twice);
    expect(applyUpdate(twice, creation)).toBe(twice);
  });

  it('an update older than the last applied one is a no-op; a later audit in the same second applies', () => {
    const base = applyUpdate(undefined, creation);
    const later = applyUpdate(
      base,
      update(103, '2024-06-03T10:00:00Z', [changed('status', 'pending', 'new')]),
    );
    const stale = update(102, '2024-06-03T10:00:00Z', [changed('status', 'solved', 'new')]);
    const earlier = update(104, '2024-06-03T09:30:00Z', [changed('status', 'hold', 'new')]);
    expect(applyUpdate(later, stale)).toBe(later);
    expect(applyUpdate(later, earlier)).toBe(later);
    const sameSecond = applyUpdate(
      later,
      update(105, '2024-06-03T10:00:00Z', [changed('status', 'open', 'pending')]),
    );
    expect(sameSecond.status).toBe('open');
  });

  it('is deterministic and does not touch its input', () => {
    const base = applyUpdate(undefined, creation);
    const frozen = JSON.stringify(base);
    const change = update(101, '2024-06-03T10:00:00Z', [changed('tags', ['x'], ['login', 'web'])]);
    expect(applyUpdate(base, change)).toEqual(applyUpdate(base, change));
    expect(JSON.stringify(base)).toBe(frozen);
  });

  const bad: [name: string, children: Parameters<typeof update>[2], message: string][] = [
    [
      'a non-numeric id',
      [changed('group_id', 'abc')],
      'ticket 5120 update 101: group_id is not an id: "abc"',
    ],
    ['a non-string status', [changed('status', 3)], 'ticket 5120 update 101: status is not a string: 3'],
    [
      'a bad due date',
      [changed('due_at', 'soon')],
      'ticket 5120 update 101: due_at is not a timestamp: "soon"',
    ],
    ['a bad tag list', [changed('tags', 7)], 'ticket 5120 update 101: tags is not a tag list: 7'],
    [
      'a bad custom field name',
      [changed('custom_fields_x', 1)],
      'ticket 5120 update 101: custom_fields_x does not name a custom field id',
    ],
  ];
  it.each(bad)('rejects %s, naming the field', (_name, children, message) => {
    expect(() => applyUpdate(emptyTicketState(TICKET), update(101, CREATED, children))).toThrow(message);
  });

  it('rejects an update of another ticket', () => {
    expect(() => applyUpdate(emptyTicketState(1), creation)).toThrow(
      "update 100: ticketId 5120 does not match the state's ticket 1",
    );
  });
});

describe('keptToApplyLater: an update a state keeps until its ticket record comes', () => {
  const later = (children: ChildEventRecord[]) => update(101, '2024-06-03T10:00:00Z', children);
  it("cuts a custom field's text past what a view can test, which applies as the whole text does", () => {
    const whole = later([
      changed('custom_fields_7', 'é'.repeat(65_000), 'ü'.repeat(300)),
      changed('subject', 's'.repeat(400), null),
      comment(CUSTOMER, 'web'),
    ]);
    const kept = keptToApplyLater(whole);
    expect(kept.children).toEqual([
      changed('custom_fields_7', 'é'.repeat(256), 'ü'.repeat(256)),
      changed('subject', 's'.repeat(400), null),
      comment(CUSTOMER, 'web'),
    ]);
    const created = applyUpdate(undefined, creation);
    expect(applyUpdate(created, kept)).toEqual(applyUpdate(created, whole));
    expect(applyUpdate(created, kept).customFields['7']).toEqual({ kind: 'unkept_text' });
  });
  it('gives back the very update when nothing is too long', () => {
    const short = later([changed('custom_fields_7', 'billing', null)]);
    expect(keptToApplyLater(short)).toBe(short);
  });
});

describe('stateFromTicket', () => {
  const snapshot: TicketRecord = {
    id: TICKET,
    createdAt: '2024-05-30T12:00:00Z',
    updatedAt: '2024-06-03T09:07:00Z',
    generatedTimestamp: 1717405620,
    channel: 'email',
    status: 'open',
    priority: 'high',
    type: 'incident',
    subject: 'Cannot log in',
    requesterId: CUSTOMER,
    submitterId: CUSTOMER,
    assigneeId: AGENT,
    organizationId: null,
    groupId: 360001111,
    brandId: 360000333,
    ticketFormId: 360000222,
    customStatusId: 360000111,
    dueAt: null,
    tags: ['web', 'Login'],
    customFields: { '360041597112': 'billing' },
  };

  it('seeds every view field from the snapshot', () => {
    expect(stateFromTicket(snapshot)).toEqual({
      ticketId: TICKET,
      status: 'open',
      priority: 'high',
      type: 'incident',
      groupId: 360001111,
      assigneeId: AGENT,
      requesterId: CUSTOMER,
      submitterId: CUSTOMER,
      organizationId: null,
      brandId: 360000333,
      ticketFormId: 360000222,
      customStatusId: 360000111,
      tags: ['login', 'web'],
      customFields: { '360041597112': 'billing' },
      dueAt: null,
      createdAt: '2024-05-30T12:00:00Z',
      updatedAt: '2024-06-03T09:07:00Z',
      requesterUpdatedAt: null,
      assigneeUpdatedAt: null,
      assignedAt: null,
      statusEnteredAt: {},
      appliedThrough: { timestamp: 1717405620, updateId: null },
    });
  });

  it("keeps no custom field's text longer than any value a view can name, counted in characters, and every other value whole", () => {
    const long = 'a'.repeat(256);
    expect(
      stateFromTicket({
        ...snapshot,
        customFields: {
          '1': 'x'.repeat(255),
          '2': long,
          '3': ['a', 'b'],
          '4': 42,
          '5': null,
          '6': '🎫'.repeat(255),
        },
      }).customFields,
    ).toEqual({
      '1': 'x'.repeat(255),
      '2': { kind: 'unkept_text' },
      '3': ['a', 'b'],
      '4': 42,
      '5': null,
      // 255 characters, 510 UTF-16 units
      '6': '🎫'.repeat(255),
    });
  });

  it('keeps the address the ticket was received at (Received at), which no creation audit need name', () => {
    expect(stateFromTicket({ ...snapshot, recipient: 'billing@acme.example' }).recipient).toBe(
      'billing@acme.example',
    );
    expect('recipient' in stateFromTicket(snapshot)).toBe(false);
  });

  it('Privacy: a record without public comments (is_public false) has none; one with them does not say how many (not known)', () => {
    expect(stateFromTicket({ ...snapshot, isPublic: false }).publicComments).toBe(0);
    expect('publicComments' in stateFromTicket({ ...snapshot, isPublic: true })).toBe(false);
    expect('publicComments' in stateFromTicket(snapshot)).toBe(false);
  });

  it('keeps the description’s words and the search words found in them from the record', () => {
    const seeded = stateFromTicket({ ...snapshot, descriptionTerms: [1, 2], descriptionPartsFound: [3] });
    expect([seeded.descriptionTerms, seeded.descriptionPartsFound]).toEqual([[1, 2], [3]]);
  });

  it('covers its whole generated second: updates up to it are no-ops, later ones apply', () => {
    const seeded = stateFromTicket(snapshot);
    const sameSecond = update(900, '2024-06-03T09:07:00Z', [changed('status', 'solved', 'open')]);
    expect(applyUpdate(seeded, sameSecond)).toBe(seeded);
    const next = applyUpdate(
      seeded,
      update(901, '2024-06-03T09:07:01Z', [changed('status', 'solved', 'open')]),
    );
    expect(next.status).toBe('solved');
    expect(next.statusEnteredAt).toEqual({ solved: '2024-06-03T09:07:01.000Z' });
  });
});
