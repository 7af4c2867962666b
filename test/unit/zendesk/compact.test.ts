import { describe, expect, it } from '@jest/globals';
import {
  compactAll,
  compactAudit,
  compactEach,
  compactCall,
  compactTicket,
  compactTicketEvent,
  compactUser,
  compactView,
  recordsOf,
} from '../../../shared/zendesk/compact.js';
import { ZendeskPayloadError } from '../../../shared/zendesk/errors.js';
import { CallSchema, TicketEventSchema, TicketSchema, UserSchema } from '../../../shared/messages/records.js';
import { rawTicketEvent } from './fake-zendesk.js';
import { descriptionTerms, partTermOf } from '../../../shared/domain/description-terms.js';
import { applyUpdate, emptyTicketState } from '../../../shared/domain/ticket-state.js';

const EVENTS = '/api/v2/incremental/ticket_events';

const payloadError = (fn: () => unknown): ZendeskPayloadError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ZendeskPayloadError) return error;
    throw error;
  }
  throw new Error('expected a ZendeskPayloadError');
};

describe('ticket event compaction', () => {
  it('keeps the fields the pipeline needs and drops bodies, HTML, attachments and system data', () => {
    expect(compactTicketEvent(rawTicketEvent(31000000101, 1717405262))).toEqual({
      id: 31000000101,
      ticketId: 5000 + (31000000101 % 97),
      timestamp: 1717405262,
      createdAt: '2024-06-03T09:01:02Z',
      updaterId: 411000001,
      via: 'Web form',
      viaReferenceId: null,
      children: [
        { kind: 'Create', field: 'status', value: 'new' },
        {
          kind: 'Comment',
          authorId: 411000001,
          public: true,
          channel: 'web',
          rel: null,
          terms: descriptionTerms('My password reset mail never arrives.'.repeat(20)),
        },
      ],
    });
  });

  it('turns flattened children (tags, custom fields, previous values) into field/value/previous', () => {
    const raw = {
      id: 31000000201,
      ticket_id: 5120,
      timestamp: 1717405620,
      created_at: '2024-06-03T09:07:00Z',
      updater_id: -1,
      via: 'Rule',
      via_reference_id: 360009990,
      child_events: [
        { id: 1, via: 'Rule', event_type: 'Change', status: 'open', previous_value: 'new' },
        // `type` beside `event_type` is the ticket's type field, not the event's type.
        { id: 6, via: 'Rule', event_type: 'Change', type: 'incident', previous_value: 'question' },
        {
          id: 2,
          via: 'Rule',
          event_type: 'Change',
          custom_ticket_fields: { '360041597112': 'billing' },
          previous_value: null,
        },
        {
          id: 3,
          via: 'Rule',
          event_type: 'Create',
          tags: ['login', 'web'],
          added_tags: ['login', 'web'],
          removed_tags: [],
        },
        {
          id: 4,
          via: 'Web form',
          event_type: 'Create',
          comment_present: true,
          comment_public: true,
          subject: 'Cannot log in',
        },
        {
          id: 5,
          via: 'Rule',
          event_type: 'Notification',
          subject: 'Your request',
          body: 'text',
          recipients: [1],
        },
      ],
    };
    expect(compactTicketEvent(raw).children).toEqual([
      { kind: 'Change', field: 'status', value: 'open', previous: 'new' },
      { kind: 'Change', field: 'type', value: 'incident', previous: 'question' },
      { kind: 'Change', field: 'custom_fields_360041597112', value: 'billing', previous: null },
      {
        kind: 'Create',
        field: 'tags',
        value: ['login', 'web'],
        addedTags: ['login', 'web'],
        removedTags: [],
      },
      { kind: 'Create', field: 'subject', value: 'Cannot log in' },
      { kind: 'Other', eventType: 'Notification' },
    ]);
  });

  it('accepts Audits-API children (field_name/value), object values and voice comments', () => {
    const raw = {
      id: 7,
      ticket_id: 8,
      timestamp: 1717405620,
      updater_id: 9,
      via: null,
      child_events: [
        { id: 1, type: 'Change', field_name: 'priority', value: 'high', previous_value: 'normal' },
        {
          id: 2,
          type: 'Create',
          field_name: 'first_reply_time',
          value: { minutes: 1440, in_business_hours: false },
        },
        { id: 3, type: 'Create', field_name: 'collaborator_ids', value: [5, 6] },
        // A custom field is named by its bare id in the Audits API.
        { id: 5, type: 'Change', field_name: '360041597112', value: 'billing', previous_value: null },
        {
          id: 4,
          type: 'VoiceComment',
          author_id: 77,
          public: false,
          via: { channel: 'voice', source: { rel: 'voicemail' } },
        },
      ],
    };
    expect(compactTicketEvent(raw)).toEqual({
      id: 7,
      ticketId: 8,
      timestamp: 1717405620,
      createdAt: '2024-06-03T09:07:00Z',
      updaterId: 9,
      via: null,
      viaReferenceId: null,
      children: [
        { kind: 'Change', field: 'priority', value: 'high', previous: 'normal' },
        { kind: 'Create', field: 'first_reply_time', value: '{"minutes":1440,"in_business_hours":false}' },
        { kind: 'Create', field: 'collaborator_ids', value: ['5', '6'] },
        { kind: 'Change', field: 'custom_fields_360041597112', value: 'billing', previous: null },
        { kind: 'Comment', authorId: 77, public: false, channel: 'voice', rel: 'voicemail', terms: [] },
      ],
    });
  });

  type Row = [
    rule: string,
    bad: Record<string, unknown>,
    recordId: number | null,
    field: string,
    problem: string,
  ];
  const rejections: Row[] = [
    [
      'a record without an id is rejected with no id',
      { ...rawTicketEvent(1, 1717405262), id: undefined },
      null,
      'id',
      'Invalid input: expected number, received undefined',
    ],
    [
      'an id that is not a positive integer is rejected with no id',
      { ...rawTicketEvent(1, 1717405262), id: '31000000101' },
      null,
      'id',
      'Invalid input: expected number, received string',
    ],
    [
      'a timestamp that is not epoch seconds is rejected',
      { ...rawTicketEvent(2, 1717405262), timestamp: '2024-06-03' },
      2,
      'timestamp',
      'Invalid input: expected number, received string',
    ],
    [
      'a timestamp no date can hold (past the year 9999) is rejected, not thrown for the page',
      { ...rawTicketEvent(8, 1717405262), timestamp: 1e15 },
      8,
      'timestamp',
      'must be a time before the year 10000 (seconds since 1970)',
    ],
    [
      'a created_at that is not a date is rejected',
      { ...rawTicketEvent(3, 1717405262), created_at: 'yesterday' },
      3,
      'created_at',
      'not an ISO-8601 timestamp',
    ],
    [
      'a comment whose author is not a user id is rejected',
      {
        ...rawTicketEvent(4, 1717405262),
        child_events: [
          { id: 1, event_type: 'Create', status: 'new' },
          { id: 2, type: 'Comment', public: true, author_id: 'kim' },
        ],
      },
      4,
      'child_events[1].author_id',
      'Invalid input: expected number, received string',
    ],
    [
      'a comment without public is rejected',
      { ...rawTicketEvent(5, 1717405262), child_events: [{ id: 1, type: 'Comment', author_id: 7 }] },
      5,
      'child_events[0].public',
      'Invalid input: expected boolean, received undefined',
    ],
    [
      'a child that is not an object is rejected',
      { ...rawTicketEvent(7, 1717405262), child_events: [null] },
      7,
      'child_events[0]',
      'Invalid input: expected record, received null',
    ],
    [
      'tags added as a string are rejected',
      {
        ...rawTicketEvent(6, 1717405262),
        child_events: [{ event_type: 'Change', tags: [], added_tags: 'vip' }],
      },
      6,
      'child_events[0].added_tags',
      'Invalid input: expected array, received string',
    ],
  ];
  it.each(rejections)(
    'one bad record costs one record: %s, naming its field, and the rest of the page is compacted',
    (_, bad, recordId, field, problem) => {
      const page = compactEach(
        [rawTicketEvent(9, 1717405262), bad, rawTicketEvent(10, 1717405263)],
        compactTicketEvent,
        TicketEventSchema,
      );
      expect(recordsOf(page).map((e) => e.id)).toEqual([9, 10]);
      expect(page.flatMap((c) => (c.kind === 'rejected' ? [c.rejected] : []))).toEqual([
        { index: 1, recordId, fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/), field, problem },
      ]);
    },
  );

  type Tolerated = [rule: string, raw: Record<string, unknown>, children: unknown[]];
  const tolerated: Tolerated[] = [
    [
      'an unknown child event type is recorded as Other',
      {
        ...rawTicketEvent(11, 1717405262),
        child_events: [{ id: 1, event_type: 'KnowledgeCaptureEvent', body: { article: 7 } }],
      },
      [{ kind: 'Other', eventType: 'KnowledgeCaptureEvent' }],
    ],
    [
      'a child named only by an unknown `type` is recorded as Other',
      { ...rawTicketEvent(12, 1717405262), child_events: [{ id: 1, type: 'SurveyOffered' }] },
      [{ kind: 'Other', eventType: 'SurveyOffered' }],
    ],
    [
      'a change of a field without a name changes nothing a view reads: kept as an event, the update counts',
      {
        ...rawTicketEvent(14, 1717405262),
        child_events: [
          { id: 1, event_type: 'Change', field_name: '', value: 'x' },
          { id: 2, event_type: 'Change', '': 'y', status: 'open', previous_value: 'new' },
        ],
      },
      [
        { kind: 'Other', eventType: 'Change' },
        { kind: 'Change', field: 'status', value: 'open', previous: 'new' },
      ],
    ],
    [
      'extra fields on the record and on its children are ignored',
      {
        ...rawTicketEvent(13, 1717405262),
        brand_new_field: { nested: [1, 2] },
        child_events: [{ id: 1, event_type: 'Notification', recipients: [1], subject: 'x', body: 'y' }],
      },
      [{ kind: 'Other', eventType: 'Notification' }],
    ],
  ];
  it.each(tolerated)('never an error: %s', (_, raw, children) => {
    const page = compactEach([raw], compactTicketEvent, TicketEventSchema);
    expect(page.map((c) => c.kind)).toEqual(['record']);
    expect(recordsOf(page)[0]?.children).toEqual(children);
  });

  it('a record compaction reads but the pipeline contract refuses is rejected on its own, saying so', () => {
    const page = compactEach(
      [{ id: 8, role: '', active: true, updated_at: '2024-06-03T09:17:02Z' }],
      compactUser,
      UserSchema,
    );
    expect(page.flatMap((c) => (c.kind === 'rejected' ? [c.rejected.problem] : []))).toEqual([
      'Too small: expected string to have >=1 characters (in the record as compacted for the pipeline)',
    ]);
  });

  it('compactEach rethrows what is not a record problem (a bug), never hiding it as a rejection', () => {
    expect(() =>
      compactEach(
        [1],
        () => {
          throw new TypeError('boom');
        },
        TicketEventSchema,
      ),
    ).toThrow('boom');
  });

  it("a response used whole (compactAll, a ticket's audits) still fails naming endpoint, record and field", () => {
    const bad = { ...rawTicketEvent(5, 1717405262), child_events: [null] };
    const error = payloadError(() =>
      compactAll(EVENTS, [rawTicketEvent(9, 1717405262), bad], compactTicketEvent),
    );
    expect([error.endpoint, error.recordId, error.field]).toEqual([EVENTS, 5, 'child_events[0]']);
    expect(error.message).toContain(`${EVENTS}: record 5, field child_events[0]`);
  });

  it('compacts a full 1000-event page with comment bodies to well under the SQS message limit', () => {
    const raw = Array.from({ length: 1000 }, (_, i) => rawTicketEvent(31000000000 + i * 20, 1717405262 + i));
    const rawBytes = Buffer.byteLength(JSON.stringify(raw));
    const compactBytes = Buffer.byteLength(JSON.stringify(compactAll(EVENTS, raw, compactTicketEvent)));
    // SQS (and fauxqs) accept 1 MiB per message; half of it leaves room for the envelope and larger audits.
    expect(compactBytes).toBeLessThan(512 * 1024);
    expect(compactBytes / rawBytes).toBeLessThan(0.15);
  });
});

describe('ticket event children Zendesk sends without a type', () => {
  // Zendesk's Audit events reference: "Please ignore undocumented event types"; a child without a
  // type must not cost the update (and the customer's comment beside it).
  const childrenOf = (child_events: unknown[]) =>
    compactTicketEvent({ ...rawTicketEvent(31000000101, 1717405262), child_events }).children;

  it('a child without event_type that names a field is the flattened Change of that field', () => {
    expect(childrenOf([{ id: 1, via: 'Email', via_reference_id: 2, status: 'solved' }])).toEqual([
      { kind: 'Change', field: 'status', value: 'solved' },
    ]);
  });

  it('a child without event_type naming no field is an event of unknown type; the comment beside it counts', () => {
    expect(childrenOf([{ id: 1 }, { id: 2, type: 'Comment', author_id: 7, public: true }])).toEqual([
      { kind: 'Other', eventType: 'unknown' },
      { kind: 'Comment', authorId: 7, public: true, channel: null, rel: null },
    ]);
  });

  it('a comment child of the export without author_id is rejected, naming the field', () => {
    const page = compactEach(
      [
        {
          ...rawTicketEvent(31000000101, 1717405262),
          child_events: [{ id: 2, type: 'Comment', public: true }],
        },
      ],
      compactTicketEvent,
      TicketEventSchema,
    );
    expect(page).toEqual([
      {
        kind: 'rejected',
        rejected: expect.objectContaining({
          recordId: 31000000101,
          field: 'child_events[0].author_id',
          problem: 'Invalid input: expected number, received undefined',
        }),
      },
    ]);
  });

  it('a child without a type in the Audits shape (field_name) or with only tag lists is a Change', () => {
    expect(
      childrenOf([
        { id: 1, field_name: 'status', value: 'open', previous_value: 'new' },
        { id: 2, added_tags: ['vip'], removed_tags: [] },
      ]),
    ).toEqual([
      { kind: 'Change', field: 'status', value: 'open', previous: 'new' },
      { kind: 'Change', field: 'tags', value: null, addedTags: ['vip'], removedTags: [] },
    ]);
  });

  it('a child without a type shaped as a comment is read as a comment, never as field changes', () => {
    expect(childrenOf([{ id: 2, author_id: 7, public: true, body: 'hi', html_body: '<p>hi</p>' }])).toEqual([
      { kind: 'Comment', authorId: 7, public: true, channel: null, rel: null },
    ]);
    // …and one that lacks its author is rejected naming the field, as a typed comment would be.
    const page = compactEach(
      [{ ...rawTicketEvent(31000000101, 1717405262), child_events: [{ id: 2, public: true, body: 'hi' }] }],
      compactTicketEvent,
      TicketEventSchema,
    );
    expect(page).toEqual([
      {
        kind: 'rejected',
        rejected: expect.objectContaining({ field: 'child_events[0].author_id' }),
      },
    ]);
  });

  const references: [label: string, value: unknown, expected: number | null][] = [
    ['a number', 360009990, 360009990],
    ['a numeric string', '360009990', 360009990],
    ['a string that is no id', 'abc', null],
    ['null', null, null],
    ['a boolean', true, null],
    ['a hexadecimal string', '0x10', null],
    ['an exponent', '1e3', null],
    ['zero', 0, null],
  ];
  it.each(references)('via_reference_id as %s reads as %p, never a rejected record', (_, value, expected) => {
    expect(
      compactTicketEvent({ ...rawTicketEvent(31000000101, 1717405262), via_reference_id: value })
        .viaReferenceId,
    ).toBe(expected);
  });
});

describe('audit compaction', () => {
  it('maps an Audits-API audit to a ticket event record with its via.channel', () => {
    const raw = {
      id: 90,
      ticket_id: 5120,
      created_at: '2024-06-03T09:01:02Z',
      author_id: 411000001,
      via: { channel: 'email', source: { from: { address: 'kim@example.net' }, rel: null } },
      metadata: { system: {} },
      events: [
        { id: 91, type: 'Create', field_name: 'status', value: 'new' },
        {
          id: 92,
          type: 'Comment',
          author_id: 411000001,
          public: true,
          body: 'hi',
          html_body: '<p>hi</p>',
          via: { channel: 'email' },
        },
      ],
    };
    expect(compactAudit(raw)).toEqual({
      id: 90,
      ticketId: 5120,
      timestamp: 1717405262,
      createdAt: '2024-06-03T09:01:02Z',
      updaterId: 411000001,
      via: 'email',
      viaReferenceId: null,
      children: [
        { kind: 'Create', field: 'status', value: 'new' },
        {
          kind: 'Comment',
          authorId: 411000001,
          public: true,
          channel: 'email',
          rel: null,
          terms: descriptionTerms('hi'),
        },
      ],
    });
  });

  it("reads Zendesk's own Ticket Audits example: a comment event without author_id is the audit author's", () => {
    // The example of Zendesk's Ticket Audits reference (its Comment event names no author).
    const raw = {
      author_id: 5246746,
      created_at: '2011-09-25T22:35:44Z',
      id: 2127301143,
      metadata: { custom: {}, system: { client: 'Mozilla/5.0', ip_address: '76.218.201.212' } },
      ticket_id: 666,
      via: { channel: 'web' },
      events: [
        {
          attachments: [],
          body: 'This is a new private comment',
          html_body: '<p>…</p>',
          id: 2127301148,
          public: false,
          type: 'Comment',
        },
        { field_name: 'status', id: 2127301163, previous_value: 'new', type: 'Change', value: 'open' },
        { field_name: 'custom_status_id', id: 2127301164, previous_value: 1, type: 'Change', value: 123 },
      ],
    };
    expect(compactAudit(raw).children).toEqual([
      { kind: 'Comment', authorId: 5246746, public: false, channel: null, rel: null },
      { kind: 'Change', field: 'status', value: 'open', previous: 'new' },
      { kind: 'Change', field: 'custom_status_id', value: 123, previous: 1 },
    ]);
  });

  it("keeps the description's words only as hashes, on the creation's first comment only", () => {
    const comment = (id: number, body: string) => ({
      id,
      type: 'Comment',
      author_id: 411000001,
      public: true,
      body,
      via: { channel: 'web' },
    });
    const audit = (id: number, events: unknown[]) => ({
      id,
      ticket_id: 5120,
      created_at: '2024-06-03T09:01:02Z',
      author_id: 411000001,
      via: { channel: 'web' },
      events,
    });
    const created = compactAudit(
      audit(90, [
        { id: 91, type: 'Create', field_name: 'status', value: 'new' },
        comment(92, 'Refund please'),
        comment(93, 'second'),
      ]),
    );
    expect(created.children.slice(1)).toEqual([
      {
        kind: 'Comment',
        authorId: 411000001,
        public: true,
        channel: 'web',
        rel: null,
        terms: descriptionTerms('refund please'),
      },
      { kind: 'Comment', authorId: 411000001, public: true, channel: 'web', rel: null },
    ]);
    expect(JSON.stringify(created)).not.toContain('Refund');
    const later = compactAudit(audit(94, [comment(95, 'Still waiting')]));
    expect(later.children).toEqual([
      { kind: 'Comment', authorId: 411000001, public: true, channel: 'web', rel: null },
    ]);
    // Read for the views' search words: which of them a word of the description contains.
    const searched = compactAudit(
      audit(96, [
        { id: 97, type: 'Create', field_name: 'status', value: 'new' },
        comment(98, 'Refunds please'),
      ]),
      ['fund', 'invoice'],
    );
    expect(searched.children[1]).toEqual({
      kind: 'Comment',
      authorId: 411000001,
      public: true,
      channel: 'web',
      rel: null,
      terms: descriptionTerms('refunds please'),
      partsFound: [partTermOf('fund')],
    });
    expect(JSON.stringify(searched)).not.toContain('fund');
  });

  it('one bad record costs one record: a value nested too deep to serialise rejects its record, and a rejected record too deep for its fingerprint is rejected all the same', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 20_000; i += 1) deep = [deep];
    const ticket = (id: number, extra: Record<string, unknown> = {}) => ({
      id,
      created_at: '2024-06-03T09:01:02Z',
      updated_at: '2024-06-03T09:07:00Z',
      generated_timestamp: 1717405620,
      status: 'open',
      ...extra,
    });
    const page = compactEach(
      [ticket(1), ticket(2, { custom_fields: [{ id: 7, value: [deep] }] }), ticket(3)],
      (raw) => compactTicket(raw),
      TicketSchema,
    );
    expect(recordsOf(page).map((t) => t.id)).toEqual([1, 3]);
    expect(page.flatMap((c) => (c.kind === 'rejected' ? [c.rejected] : []))).toEqual([
      {
        index: 1,
        recordId: 2,
        fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
        field: '(record)',
        problem: 'cannot be read: RangeError: Maximum call stack size exceeded',
      },
    ]);

    const events = compactEach(
      [rawTicketEvent(9, 1717405262), { id: 'bad', junk: deep }],
      compactTicketEvent,
      TicketEventSchema,
    );
    expect(recordsOf(events).map((e) => e.id)).toEqual([9]);
    expect(events.flatMap((c) => (c.kind === 'rejected' ? [c.rejected] : []))).toEqual([
      {
        index: 1,
        recordId: null,
        fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
        field: 'id',
        problem: 'Invalid input: expected number, received string',
      },
    ]);
  });

  it("a ticket record's description is read for the views' search words too; none found, none kept", () => {
    const raw = {
      id: 5124,
      created_at: '2024-06-03T09:01:02Z',
      updated_at: '2024-06-03T09:07:00Z',
      generated_timestamp: 1717405620,
      status: 'open',
      description: 'Nonetheless, my invoice',
    };
    expect(compactTicket(raw, ['none', 'refund'])).toMatchObject({
      descriptionTerms: descriptionTerms('nonetheless my invoice'),
      descriptionPartsFound: [partTermOf('none')],
    });
    expect('descriptionPartsFound' in compactTicket(raw, ['refund'])).toBe(false);
    expect('descriptionPartsFound' in compactTicket(raw)).toBe(false);
  });

  it('a comment made private (CommentPrivacyChange, comment_id and public) is kept as that; one without a boolean public is an event of its type only', () => {
    const raw = {
      id: 96,
      ticket_id: 5120,
      created_at: '2024-06-03T10:00:00Z',
      author_id: 411000009,
      via: { channel: 'web' },
      events: [
        { id: 97, type: 'CommentPrivacyChange', comment_id: 92, public: false },
        { id: 98, type: 'CommentPrivacyChange', comment_id: 93 },
      ],
    };
    expect(compactAudit(raw).children).toEqual([
      { kind: 'CommentPrivacy', public: false },
      { kind: 'Other', eventType: 'CommentPrivacyChange' },
    ]);
  });

  it('a tags change that carries only added_tags / removed_tags becomes a tags change of those lists', () => {
    const raw = {
      id: 31000000301,
      ticket_id: 5120,
      timestamp: 1717405620,
      created_at: '2024-06-03T09:07:00Z',
      updater_id: -1,
      via: 'Rule',
      child_events: [{ id: 1, event_type: 'Change', added_tags: ['vip'], removed_tags: ['web'] }],
    };
    expect(compactTicketEvent(raw).children).toEqual([
      { kind: 'Change', field: 'tags', value: null, addedTags: ['vip'], removedTags: ['web'] },
    ]);
  });
});

describe('a tags change read through the Audits API', () => {
  const auditOf = (events: Record<string, unknown>[]) => ({
    id: 31000000401,
    ticket_id: 5120,
    created_at: '2024-06-03T09:07:00Z',
    author_id: -1,
    via: { channel: 'rule', source: { from: { id: 1, title: 'Tag' }, to: {}, rel: 'trigger' } },
    events,
  });

  it('with only added_tags / removed_tags (no value) applies those lists to the tags', () => {
    const audit = compactAudit(
      auditOf([{ id: 1, type: 'Change', field_name: 'tags', added_tags: ['VIP'], removed_tags: ['web'] }]),
    );
    expect(audit.children).toEqual([
      { kind: 'Change', field: 'tags', value: null, addedTags: ['VIP'], removedTags: ['web'] },
    ]);
    const before = { ...emptyTicketState(5120), tags: ['login', 'web'] };
    expect(applyUpdate(before, audit).tags).toEqual(['login', 'vip']);
  });

  it('with its full value replaces the tags, whatever the lists say', () => {
    const audit = compactAudit(
      auditOf([
        {
          id: 1,
          type: 'Change',
          field_name: 'tags',
          value: ['order'],
          previous_value: ['login', 'web'],
          added_tags: ['order'],
          removed_tags: ['login', 'web'],
        },
      ]),
    );
    const before = { ...emptyTicketState(5120), tags: ['login', 'web', 'stale'] };
    expect(applyUpdate(before, audit).tags).toEqual(['order']);
  });
});

describe('ticket, user, view and call compaction', () => {
  it('reduces a ticket to its state fields, custom fields by id', () => {
    const raw = {
      id: 5120,
      url: 'https://acme.zendesk.com/api/v2/tickets/5120.json',
      via: { channel: 'email', source: { from: { address: 'kim@example.net' }, rel: null } },
      created_at: '2024-06-03T09:01:02Z',
      updated_at: '2024-06-03T09:07:00Z',
      generated_timestamp: 1717405620,
      type: 'question',
      subject: 'Cannot log in',
      description: 'My password reset mail never arrives.',
      priority: 'normal',
      status: 'open',
      custom_status_id: 360000111,
      requester_id: 411000001,
      submitter_id: 411000001,
      assignee_id: null,
      organization_id: null,
      group_id: 360001111,
      due_at: null,
      tags: ['login', 'web'],
      custom_fields: [
        { id: 360041597112, value: 'billing' },
        { id: 360041597113, value: null },
      ],
      ticket_form_id: 360000222,
      brand_id: 360000333,
    };
    expect(compactTicket(raw)).toEqual({
      id: 5120,
      createdAt: '2024-06-03T09:01:02Z',
      updatedAt: '2024-06-03T09:07:00Z',
      generatedTimestamp: 1717405620,
      channel: 'email',
      status: 'open',
      priority: 'normal',
      type: 'question',
      subject: 'Cannot log in',
      requesterId: 411000001,
      submitterId: 411000001,
      assigneeId: null,
      organizationId: null,
      groupId: 360001111,
      brandId: 360000333,
      ticketFormId: 360000222,
      customStatusId: 360000111,
      dueAt: null,
      tags: ['login', 'web'],
      customFields: { '360041597112': 'billing', '360041597113': null },
      // The description as word hashes ("description contains" on a ticket whose creation the
      // events never delivered), never its text.
      descriptionTerms: descriptionTerms('My password reset mail never arrives.'),
    });
    expect(JSON.stringify(compactTicket(raw))).not.toContain('password');
  });

  it.each<[string, unknown, { rel?: string }]>([
    [
      'an outbound call’s ticket keeps its via.source.rel (outbound_call is judged from it)',
      { channel: 'voice', source: { from: {}, to: {}, rel: 'outbound' } },
      { rel: 'outbound' },
    ],
    ['a via without a rel keeps none', { channel: 'email', source: { rel: null } }, {}],
    ['a via without a source keeps none', { channel: 'web' }, {}],
  ])('the record’s via.source.rel: %s', (_name, via, expected) => {
    const record = compactTicket({
      id: 5121,
      created_at: '2024-06-03T09:01:02Z',
      updated_at: '2024-06-03T09:07:00Z',
      generated_timestamp: 1717405620,
      status: 'open',
      via,
    });
    expect({ ...('rel' in record ? { rel: record.rel } : {}) }).toEqual(expected);
  });

  it.each<[string, unknown, { supportType?: string }]>([
    ['support_type agent is kept', 'agent', { supportType: 'agent' }],
    ['support_type of an AI agent, in any case, is kept lower case', 'AI_Agent', { supportType: 'ai_agent' }],
    ['a support_type that is not a string is none, and the record is kept', 7, {}],
    ['no support_type is none', undefined, {}],
  ])('a ticket record’s support type: %s', (_rule, supportType, expected) => {
    const raw = {
      id: 5121,
      created_at: '2024-06-03T09:01:02Z',
      updated_at: '2024-06-03T09:07:00Z',
      generated_timestamp: 1717405620,
      status: 'open',
      ...(supportType === undefined ? {} : { support_type: supportType }),
    };
    const compacted = compactTicket(raw);
    expect(compacted.supportType).toEqual(expected.supportType);
    expect('supportType' in compacted).toBe(expected.supportType !== undefined);
  });

  it.each<[string, unknown, { recipient?: string }]>([
    ['recipient is kept lower case', ' Billing@Acme.example ', { recipient: 'billing@acme.example' }],
    ['a recipient that is not a string is none, and the record is kept', 7, {}],
    ['an empty recipient is none', '', {}],
    ['no recipient is none', undefined, {}],
  ])(
    'a ticket record’s recipient (Tickets API: the original recipient address): %s',
    (_rule, recipient, expected) => {
      const raw = {
        id: 5122,
        created_at: '2024-06-03T09:01:02Z',
        updated_at: '2024-06-03T09:07:00Z',
        generated_timestamp: 1717405620,
        status: 'open',
        ...(recipient === undefined ? {} : { recipient }),
      };
      const compacted = compactTicket(raw);
      expect(compacted.recipient).toEqual(expected.recipient);
      expect('recipient' in compacted).toBe(expected.recipient !== undefined);
    },
  );

  it.each<[string, unknown, { isPublic?: boolean }]>([
    ['is_public true is kept', true, { isPublic: true }],
    ['is_public false is kept', false, { isPublic: false }],
    ['an is_public that is not a boolean is not said, and the record is kept', 'yes', {}],
    ['no is_public is not said', undefined, {}],
  ])(
    'a ticket record’s is_public (Tickets API: "true if any comments are public"): %s',
    (_rule, isPublic, expected) => {
      const raw = {
        id: 5123,
        created_at: '2024-06-03T09:01:02Z',
        updated_at: '2024-06-03T09:07:00Z',
        generated_timestamp: 1717405620,
        status: 'open',
        ...(isPublic === undefined ? {} : { is_public: isPublic }),
      };
      const compacted = compactTicket(raw);
      expect(compacted.isPublic).toEqual(expected.isPublic);
      expect('isPublic' in compacted).toBe(expected.isPublic !== undefined);
    },
  );

  it('keeps a scrubbed deleted ticket with the fields it has', () => {
    const raw = {
      id: 4999,
      via: { channel: 'web', source: { from: {}, to: {}, rel: null } },
      created_at: '2024-05-30T12:00:00Z',
      updated_at: '2024-06-03T09:08:10Z',
      generated_timestamp: 1717405690,
      subject: 'SCRUBBED',
      status: 'deleted',
      tags: [],
      custom_fields: [],
    };
    expect(compactTicket(raw)).toMatchObject({
      id: 4999,
      status: 'deleted',
      channel: 'web',
      groupId: null,
      tags: [],
    });
  });

  it('reduces a user to id, role, active and updatedAt', () => {
    expect(
      compactUser({
        id: 1,
        name: 'Kim',
        email: 'k@example.net',
        role: 'end-user',
        active: true,
        updated_at: '2024-06-03T09:01:02Z',
      }),
    ).toEqual({ id: 1, role: 'end-user', active: true, updatedAt: '2024-06-03T09:01:02Z' });
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'a partner account’s agent (ticket sharing, shared_agent true) is staff whatever role the receiving account gives them',
      { role: 'end-user', shared_agent: true, shared: true },
      'shared_agent',
    ],
    [
      'a shared end user (the partner’s customer) keeps the end-user role',
      { role: 'end-user', shared: true, shared_agent: false },
      'end-user',
    ],
    ['a shared_agent that is not true is not said', { role: 'end-user', shared_agent: 'yes' }, 'end-user'],
  ])('the role a comment is judged by: %s', (_name, fields, role) => {
    expect(compactUser({ id: 2, active: true, updated_at: '2024-06-03T09:01:02Z', ...fields }).role).toBe(
      role,
    );
  });

  it('keeps view conditions as Zendesk sends them, lists included', () => {
    const raw = {
      id: 360100001,
      title: 'Billing – email',
      active: true,
      position: 3,
      updated_at: '2024-05-20T14:12:00Z',
      execution: { group_by: 'status' },
      conditions: {
        all: [{ field: 'status', operator: 'less_than', value: 'solved' }],
        any: [{ field: 'custom_status_id', operator: 'includes', value: [1, 2] }],
      },
    };
    expect(compactView(raw)).toEqual({
      id: 360100001,
      title: 'Billing – email',
      active: true,
      updatedAt: '2024-05-20T14:12:00Z',
      position: 3,
      conditions: {
        all: [{ field: 'status', operator: 'less_than', value: 'solved' }],
        any: [{ field: 'custom_status_id', operator: 'includes', value: [1, 2] }],
      },
    });
  });

  it('reads "received at" and "description contains" without an operator as the reference documents them ("Omit the operator property"): is, and contains at least one of', () => {
    const [view] = compactAll(
      '/api/v2/views',
      [
        {
          id: 3,
          title: 'Billing mail about refunds',
          active: true,
          updated_at: '2024-05-20T14:12:00Z',
          conditions: {
            all: [
              { field: 'recipient', value: 'billing@acme.example' },
              { field: 'description_includes_word', value: 'refund', operator: null },
            ],
            any: [],
          },
        },
      ],
      compactView,
    );
    expect([view!.conditions.all, view!.problems]).toEqual([
      [
        { field: 'recipient', operator: 'is', value: 'billing@acme.example' },
        { field: 'description_includes_word', operator: 'includes', value: 'refund' },
      ],
      undefined,
    ]);
  });

  it('never fails a views page for one view: an unreadable condition is a problem naming it', () => {
    const views = compactAll(
      '/api/v2/views',
      [
        {
          id: 1,
          title: 'Broken',
          active: true,
          updated_at: '2024-05-20T14:12:00Z',
          conditions: {
            all: [
              { field: 'status', operator: 'less_than', value: 'solved' },
              { field: 'group_id', value: '360001111' },
            ],
            any: [{ field: 7, operator: 'is', value: 'x' }, 'status is open'],
          },
        },
        {
          id: 2,
          title: 'Fine',
          active: true,
          updated_at: '2024-05-20T14:12:00Z',
          conditions: { all: [], any: [] },
        },
      ],
      compactView,
    );
    expect(views.map((v) => [v.id, v.conditions.all.length, v.problems])).toEqual([
      [
        1,
        1,
        [
          'unreadable condition all[1] (field group_id): no operator',
          'unreadable condition any[0]: field is not a string (7)',
          'unreadable condition any[1] ("status is open"): not an object',
        ],
      ],
      [2, 0, undefined],
    ]);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    [
      'a conditions list that is not a list',
      { conditions: { all: 'status is open', any: [] } },
      ['unreadable conditions.all: not a list ("status is open")'],
    ],
    [
      'conditions that are not an object',
      { conditions: [1, 2] },
      ['unreadable conditions: not an object ([1,2])'],
    ],
    [
      'conditions left out of the answer (Zendesk saves no view without them)',
      {},
      ["no conditions in Zendesk's answer"],
    ],
    ['conditions that are null', { conditions: null }, ["no conditions in Zendesk's answer"]],
    [
      'a restriction whose ids are not integers',
      { conditions: { all: [], any: [] }, restriction: { type: 'Group', ids: ['a'] } },
      ['unreadable restriction ({"type":"Group","ids":["a"]})'],
    ],
  ])(
    'never leaves a view out of the views for its shape: %s is a problem naming it (unsupported, listed)',
    (_rule, shape, problems) => {
      const view = compactView({
        id: 4,
        title: 'Odd',
        active: true,
        updated_at: '2024-05-20T14:12:00Z',
        ...shape,
      });
      expect(view.problems).toEqual(problems);
      expect(view.conditions).toEqual({ all: [], any: [] });
      expect(view.restriction).toBeUndefined();
    },
  );

  it('keeps a view problem short: a quoted value is cut at 200 characters, and a view keeps 20 problems and a count of the rest', () => {
    const long = 'x'.repeat(500);
    const view = compactView({
      id: 5,
      title: 'Huge',
      active: true,
      updated_at: '2024-05-20T14:12:00Z',
      conditions: { all: [long, ...Array.from({ length: 24 }, () => ({ field: 'status' }))], any: [] },
    });
    expect(view.problems).toHaveLength(21);
    expect(view.problems![0]).toBe(`unreadable condition all[0] ("${'x'.repeat(199)}…): not an object`);
    expect(view.problems![1]).toBe('unreadable condition all[1] (field status): no operator');
    expect(view.problems![20]).toBe('and 5 more');
  });

  it("keeps a view's restriction: a personal view names its user", () => {
    const base = {
      title: 'Mine',
      active: true,
      updated_at: '2024-05-20T14:12:00Z',
      conditions: { all: [], any: [] },
    };
    expect(compactView({ ...base, id: 1, restriction: { type: 'User', id: 411000009 } }).restriction).toEqual(
      {
        type: 'User',
        ids: [411000009],
      },
    );
    expect(
      compactView({ ...base, id: 2, restriction: { type: 'Group', id: 1, ids: [1, 2] } }).restriction,
    ).toEqual({ type: 'Group', ids: [1, 2] });
    expect(compactView({ ...base, id: 3, restriction: null }).restriction).toBeUndefined();
  });

  it('accepts nulls in Talk durations (a failed call) and treats agent 0 as no agent', () => {
    const raw = {
      id: 360120313416,
      created_at: '2024-06-03T09:16:10Z',
      updated_at: '2024-06-03T09:17:02Z',
      direction: 'inbound',
      phone_number: '+493030999000',
      agent_id: 0,
      ivr_destination_group_name: null,
      talk_time: null,
      hold_time: 0,
      wrap_up_time: null,
      completion_status: 'failed',
      quality_issues: ['none'],
    };
    expect(compactCall(raw)).toEqual({
      id: 360120313416,
      createdAt: '2024-06-03T09:16:10Z',
      updatedAt: '2024-06-03T09:17:02Z',
      direction: 'inbound',
      phoneNumber: '+493030999000',
      ivrDestinationGroupName: null,
      agentId: null,
      completionStatus: 'failed',
      talkTime: null,
      holdTime: 0,
      wrapUpTime: null,
      // wait_time and callback absent from this record: unknown, and not a callback
      waitTime: null,
      callback: false,
      // …and the queue flags absent: neither sent to voicemail from the queue
      exceededQueueWaitTime: false,
      customerRequestedVoicemail: false,
    });
  });

  it('reads wait_time (speed of answer) and callback from a call', () => {
    const c = compactCall({
      id: 1,
      created_at: '2024-06-03T09:16:10Z',
      updated_at: '2024-06-03T09:17:02Z',
      direction: 'inbound',
      agent_id: 7,
      completion_status: 'completed',
      talk_time: 60,
      hold_time: 0,
      wrap_up_time: 5,
      wait_time: 41,
      callback: true,
    });
    expect([c.waitTime, c.callback]).toEqual([41, true]);
  });

  it.each<[rule: string, flags: Record<string, unknown>, expected: [boolean, boolean]]>([
    ['exceeded_queue_wait_time (its wire name) is read', { exceeded_queue_wait_time: true }, [true, false]],
    ['customer_requested_voicemail is read', { customer_requested_voicemail: true }, [false, true]],
    [
      'null flags (recorded on some calls) are false',
      { exceeded_queue_wait_time: null, customer_requested_voicemail: null },
      [false, false],
    ],
  ])('the queue-to-voicemail flags of a call: %s', (_rule, flags, expected) => {
    const c = compactCall({
      id: 2,
      created_at: '2024-06-03T09:16:10Z',
      updated_at: '2024-06-03T09:17:02Z',
      direction: 'inbound',
      completion_status: 'abandoned_in_voicemail',
      voicemail: true,
      ...flags,
    });
    expect([c.exceededQueueWaitTime, c.customerRequestedVoicemail]).toEqual(expected);
  });

  type CallRow = [rule: string, bad: Record<string, unknown>, field: string];
  const goodCall = (id: number) => ({
    id,
    created_at: '2024-06-03T09:16:10Z',
    updated_at: '2024-06-03T09:17:02Z',
    direction: 'inbound',
    talk_time: 12,
    extra_field_zendesk_added_later: { anything: true },
  });
  it.each<CallRow>([
    ['a talk time that is text is rejected', { ...goodCall(5), talk_time: '12' }, 'talk_time'],
    ['an updated_at that is not a date is rejected', { ...goodCall(5), updated_at: 'soon' }, 'updated_at'],
    ['a call without a direction is rejected', { ...goodCall(5), direction: undefined }, 'direction'],
    ['a call whose direction is empty is rejected', { ...goodCall(5), direction: '' }, 'direction'],
  ])('one bad call costs one call: %s', (_, bad, field) => {
    const page = compactEach([goodCall(4), bad, goodCall(6)], compactCall, CallSchema);
    expect(recordsOf(page).map((c) => c.id)).toEqual([4, 6]);
    expect(
      page.flatMap((c) => (c.kind === 'rejected' ? [[c.rejected.recordId, c.rejected.field]] : [])),
    ).toEqual([[5, field]]);
  });

  it('a time given with a fraction of a second is read up to the next second: the call counts, a talk stays a talk, a wait is never shortened', () => {
    const page = compactEach(
      [{ ...goodCall(7), talk_time: 0.4, hold_time: 0, wrap_up_time: 3, wait_time: 20.4 }],
      compactCall,
      CallSchema,
    );
    expect(recordsOf(page).map((c) => [c.talkTime, c.holdTime, c.wrapUpTime, c.waitTime])).toEqual([
      [1, 0, 3, 21],
    ]);
  });

  it('an odd value of a queue-to-voicemail flag costs the call nothing but the flag', () => {
    const page = compactEach(
      [{ ...goodCall(8), exceeded_queue_wait_time: 'false', customer_requested_voicemail: 1 }],
      compactCall,
      CallSchema,
    );
    expect(recordsOf(page).map((c) => [c.id, c.exceededQueueWaitTime, c.customerRequestedVoicemail])).toEqual(
      [[8, false, false]],
    );
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'a user without a role is rejected',
      { id: 8, active: true, updated_at: '2024-06-03T09:17:02Z' },
      'role',
    ],
    [
      'a user whose active flag is text is rejected',
      { id: 8, role: 'end-user', active: 'yes', updated_at: '2024-06-03T09:17:02Z' },
      'active',
    ],
    [
      // Compaction reads it; the contract the mapper parses its page with refuses an empty role,
      // which would have cost the whole page downstream.
      'a user whose role is empty is refused by the pipeline contract',
      { id: 8, role: '', active: true, updated_at: '2024-06-03T09:17:02Z' },
      'role',
    ],
  ])('one bad user costs one user: %s', (_, bad, field) => {
    const good = { id: 9, role: 'agent', active: true, updated_at: '2024-06-03T09:17:02Z', shared: 'extra' };
    const page = compactEach([bad, good], compactUser, UserSchema);
    expect(recordsOf(page).map((u) => u.id)).toEqual([9]);
    expect(
      page.flatMap((c) => (c.kind === 'rejected' ? [[c.rejected.recordId, c.rejected.field]] : [])),
    ).toEqual([[8, field]]);
  });
});
