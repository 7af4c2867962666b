import { describe, expect, it } from '@jest/globals';
import type { TicketRecord } from '../../../shared/domain/records.js';
import {
  creationStateFromRecord,
  fillFromRecord,
  hasHistory,
  isCreatedInWindow,
  isSettledBy,
  isWindowReadBy,
} from '../../../shared/domain/ticket-records.js';
import { applyUpdate, emptyTicketState, type TicketState } from '../../../shared/domain/ticket-state.js';
import type { TicketEventRecord } from '../../../shared/domain/records.js';

const TICKET = 35436;
const at = (iso: string) => Date.parse(iso) / 1000;

const record = (extra: Partial<TicketRecord> = {}): TicketRecord => ({
  id: TICKET,
  createdAt: '2026-01-05T10:00:00Z',
  updatedAt: '2026-01-05T10:30:00Z',
  generatedTimestamp: at('2026-01-05T10:30:00Z'),
  channel: 'native_messaging',
  status: 'open',
  priority: null,
  type: null,
  subject: 'Order',
  requesterId: 411000101,
  submitterId: 411000101,
  assigneeId: null,
  organizationId: 360002001,
  groupId: 360001111,
  brandId: 360000301,
  ticketFormId: 360000222,
  customStatusId: 360000112,
  dueAt: null,
  tags: ['order'],
  customFields: {},
  ...extra,
});

const creation = (id: number, iso: string, fields: Record<string, string | number>): TicketEventRecord => ({
  id,
  ticketId: TICKET,
  timestamp: at(iso),
  createdAt: iso,
  updaterId: 411000101,
  via: 'Web form',
  viaReferenceId: null,
  children: Object.entries(fields).map(([field, value]) => ({ kind: 'Create' as const, field, value })),
});

/** A state with history: the creation applied, stating these fields only. */
const created = (fields: Record<string, string | number>, iso = '2026-01-05T10:00:00Z'): TicketState =>
  applyUpdate(undefined, creation(9001, iso, fields));

describe("isWindowReadBy: a past period's events are read through its window's end", () => {
  const until = (iso: string) => ({ importUntil: iso });
  const rows: [rule: string, window: { importUntil?: string }, readThrough: number, read: boolean][] = [
    ['a current import (no end) is never read through', {}, 4_000_000_000, false],
    ['read up to the end second', until('2026-01-02T00:00:00.000Z'), at('2026-01-02T00:00:00Z'), true],
    ['past the end', until('2026-01-02T00:00:00.000Z'), at('2026-01-02T00:00:07Z'), true],
    ['a second short of it', until('2026-01-02T00:00:00.000Z'), at('2026-01-01T23:59:59Z'), false],
    [
      'an end inside a second: that second’s first part is in the window, so not before its next',
      until('2026-01-02T00:00:00.500Z'),
      at('2026-01-02T00:00:00Z'),
      false,
    ],
    [
      'an end inside a second, read past it',
      until('2026-01-02T00:00:00.500Z'),
      at('2026-01-02T00:00:01Z'),
      true,
    ],
  ];
  it.each(rows)('%s', (_rule, window, readThrough, read) => {
    expect(isWindowReadBy(window, readThrough)).toBe(read);
  });
});

describe('fillFromRecord: values the events never state', () => {
  type Row = [
    rule: string,
    state: TicketState | undefined,
    rec: TicketRecord,
    expected: Partial<TicketState> | 'unchanged',
  ];
  const rows: Row[] = [
    [
      'a brand, form and organization the creation never stated are the record’s (they were so since the creation)',
      created({ status: 'open', group_id: 360001111 }),
      record(),
      { brandId: 360000301, ticketFormId: 360000222, organizationId: 360002001, groupId: 360001111 },
    ],
    [
      'a field the events stated is theirs alone, even when the record says otherwise',
      created({ status: 'open', brand_id: 360000302 }),
      record(),
      { brandId: 360000302, ticketFormId: 360000222 },
    ],
    [
      'a record older than the state fills nothing (its value may predate a change to empty)',
      created({ status: 'open' }, '2026-01-05T11:00:00Z'),
      record(),
      'unchanged',
    ],
    [
      'a custom status the events never stated is the record’s while the ticket is in the record’s status',
      created({ status: 'open' }),
      record(),
      { customStatusId: 360000112, customStatusSetAt: '2026-01-05T10:00:00.000Z' },
    ],
    [
      'a custom status is not filled into a state in another status (it belongs to the record’s status)',
      created({ status: 'new' }),
      record(),
      { customStatusId: null, brandId: 360000301 },
    ],
    [
      'a ticket without history gets the values only, for its updates to keep unless they state them',
      undefined,
      record(),
      {
        brandId: 360000301,
        ticketFormId: 360000222,
        organizationId: 360002001,
        appliedThrough: null,
        status: null,
      },
    ],
    [
      'the description (first comment) the events never brought is the record’s: it never changes',
      created({ status: 'open', brand_id: 360000301, ticket_form_id: 360000222, organization_id: 360002001 }),
      record({ descriptionTerms: [7, 9] }),
      { descriptionTerms: [7, 9] },
    ],
    [
      'with the description, the views’ search words found in it',
      created({ status: 'open', brand_id: 360000301, ticket_form_id: 360000222, organization_id: 360002001 }),
      record({ descriptionTerms: [7, 9], descriptionPartsFound: [4] }),
      { descriptionTerms: [7, 9], descriptionPartsFound: [4] },
    ],
    [
      'a support type the events never stated is the record’s (the Support type condition sees agent tickets)',
      created({ status: 'open', brand_id: 360000301, ticket_form_id: 360000222, organization_id: 360002001 }),
      record({ supportType: 'agent' }),
      { supportType: 'agent' },
    ],
    [
      'a support type an event stated is the events’ alone',
      created({ status: 'open', support_type: 'ai_agent' }),
      record({ supportType: 'agent' }),
      { supportType: 'ai_agent' },
    ],
    [
      'the address a ticket was received at is the record’s: no audit event names it (Received at sees emails)',
      created({ status: 'open', brand_id: 360000301, ticket_form_id: 360000222, organization_id: 360002001 }),
      record({ recipient: 'billing@acme.example' }),
      { recipient: 'billing@acme.example' },
    ],
    [
      'a recipient an event stated is the events’ alone',
      created({ status: 'open', recipient: 'help@acme.example' }),
      record({ recipient: 'billing@acme.example' }),
      { recipient: 'help@acme.example' },
    ],
    [
      'a description the creation brought is kept',
      { ...created({ status: 'open' }), descriptionTerms: [1] },
      record({ descriptionTerms: [7, 9] }),
      { descriptionTerms: [1] },
    ],
    [
      'a record with none of the values adds no state',
      undefined,
      record({ brandId: null, ticketFormId: null, organizationId: null, customStatusId: null }),
      'unchanged',
    ],
  ];
  it.each(rows.filter((row) => row[3] !== 'unchanged'))('%s', (_rule, state, rec, expected) => {
    expect(fillFromRecord(state, rec)).toMatchObject(expected as Partial<TicketState>);
  });
  it.each(rows.filter((row) => row[3] === 'unchanged'))('%s', (_rule, state, rec) => {
    // The very same state back: nothing to write.
    expect(fillFromRecord(state, rec)).toBe(state);
  });

  it('the creation applied to a values-only state keeps the values it does not state and overrides those it does', () => {
    const values = fillFromRecord(undefined, record());
    const after = applyUpdate(
      values,
      creation(9001, '2026-01-05T10:00:00Z', { status: 'new', brand_id: 360000302 }),
    );
    expect(after).toMatchObject({ brandId: 360000302, ticketFormId: 360000222, organizationId: 360002001 });
    expect(hasHistory(values)).toBe(false);
    expect(hasHistory(after)).toBe(true);
  });
});

describe('a creation counted from the record', () => {
  type Row = [rule: string, generated: string, readThrough: string, settled: boolean];
  const rows: Row[] = [
    [
      'a record generated before the events were read through is settled',
      '2026-01-05T10:30:00Z',
      '2026-01-05T10:30:01Z',
      true,
    ],
    [
      'a record generated in the read-through second is not (updates of that second may be on their way)',
      '2026-01-05T10:30:00Z',
      '2026-01-05T10:30:00Z',
      false,
    ],
    ['a record generated after it is not', '2026-01-05T10:31:00Z', '2026-01-05T10:30:00Z', false],
  ];
  it.each(rows)('%s', (_rule, generated, readThrough, settled) => {
    expect(isSettledBy(record({ generatedTimestamp: at(generated) }), at(readThrough))).toBe(settled);
  });

  type WindowRow = [rule: string, createdAt: string, until: string | undefined, inWindow: boolean];
  const window = (until: string | undefined) => ({
    importFrom: '2026-01-01T00:00:00.000Z',
    ...(until ? { importUntil: until } : {}),
  });
  const windows: WindowRow[] = [
    ['a creation at the window’s start is in it', '2026-01-01T00:00:00Z', undefined, true],
    ['a creation before the window is not', '2025-12-31T23:59:59Z', undefined, false],
    [
      'a creation at the window’s end is not (the end is exclusive)',
      '2026-01-10T00:00:00Z',
      '2026-01-10T00:00:00Z',
      false,
    ],
  ];
  it.each(windows)('%s', (_rule, createdAt, until, inWindow) => {
    expect(isCreatedInWindow({ createdAt }, window(until))).toBe(inWindow);
  });

  it('the record is the state right after the creation: entered its status, assigned and custom status set at the creation, covering its generated second', () => {
    const state = creationStateFromRecord(record({ assigneeId: 411000009 }));
    expect(state).toMatchObject({
      ticketId: TICKET,
      status: 'open',
      brandId: 360000301,
      createdAt: '2026-01-05T10:00:00.000Z',
      statusEnteredAt: { open: '2026-01-05T10:00:00.000Z' },
      assignedAt: '2026-01-05T10:00:00.000Z',
      customStatusSetAt: '2026-01-05T10:00:00.000Z',
      creation: 'ticket_record',
      appliedThrough: { timestamp: at('2026-01-05T10:30:00Z'), updateId: null },
    });
    expect(emptyTicketState(TICKET).creation).toBeUndefined();
  });
});

describe('creationStateFromRecord with the updates the export brought since: the record rolled back', () => {
  const update = (id: number, iso: string, children: TicketEventRecord['children']): TicketEventRecord => ({
    id,
    ticketId: TICKET,
    timestamp: at(iso),
    createdAt: iso,
    updaterId: 411000009,
    via: 'Web form',
    viaReferenceId: null,
    children,
  });
  const rows: [
    rule: string,
    rec: Partial<TicketRecord>,
    updates: TicketEventRecord[],
    expected: Partial<TicketState> | undefined,
  ][] = [
    [
      'each changed field goes back to its previous value, newest update first',
      { status: 'solved', groupId: 360000002 },
      [
        update(2, '2026-01-05T10:20:00Z', [
          { kind: 'Change', field: 'status', value: 'solved', previous: 'pending' },
        ]),
        update(1, '2026-01-05T10:10:00Z', [
          { kind: 'Change', field: 'status', value: 'pending', previous: 'new' },
          { kind: 'Change', field: 'group_id', value: '360000002', previous: '360000001' },
        ]),
      ],
      { status: 'new', groupId: 360000001, statusEnteredAt: { new: '2026-01-05T10:00:00.000Z' } },
    ],
    [
      'a ticket sharing event is undone by its own words: unshared since, it was shared through the agreement',
      {},
      [update(1, '2026-01-05T10:10:00Z', [{ kind: 'Sharing', agreementId: 3454, shared: false }])],
      { sharingAgreementIds: [3454] },
    ],
    [
      'a field set from empty goes back to empty (the assignee, and so no assignment time)',
      { assigneeId: 411000009 },
      [
        update(1, '2026-01-05T10:10:00Z', [
          { kind: 'Change', field: 'assignee_id', value: '411000009', previous: null },
        ]),
      ],
      { assigneeId: null, assignedAt: null },
    ],
    [
      'tags go back to the previous list; no tags before is an empty list',
      { tags: ['vip'] },
      [
        update(1, '2026-01-05T10:10:00Z', [
          { kind: 'Change', field: 'tags', value: ['vip'], previous: null },
        ]),
      ],
      { tags: [] },
    ],
    [
      'a tag change without a previous list is undone through its added and removed tags',
      { tags: ['vip', 'web'] },
      [
        update(1, '2026-01-05T10:10:00Z', [
          { kind: 'Change', field: 'tags', value: null, addedTags: ['vip'], removedTags: ['new'] },
        ]),
      ],
      { tags: ['new', 'web'] },
    ],
    [
      'a custom field goes back to its previous value',
      { customFields: { '360005': 'gold' } },
      [
        update(1, '2026-01-05T10:10:00Z', [
          { kind: 'Change', field: 'custom_fields_360005', value: 'gold', previous: 'silver' },
        ]),
      ],
      { customFields: { '360005': 'silver' } },
    ],
    [
      'an update after the record was generated is not in the record: not rolled back',
      { status: 'open' },
      [
        update(1, '2026-01-05T11:00:00Z', [
          { kind: 'Change', field: 'status', value: 'solved', previous: 'open' },
        ]),
      ],
      { status: 'open' },
    ],
    [
      'a field changed without its previous value cannot be told: undefined (the audits tell it)',
      { status: 'pending' },
      [update(1, '2026-01-05T10:10:00Z', [{ kind: 'Change', field: 'status', value: 'pending' }])],
      undefined,
    ],
    [
      'Privacy: a comment made private since a record without public comments was public at the creation',
      { isPublic: false },
      [update(1, '2026-01-05T10:10:00Z', [{ kind: 'CommentPrivacy', public: false }])],
      { publicComments: 1 },
    ],
    [
      'Privacy: a public comment since, then made private, leaves a record without public comments with none at the creation',
      { isPublic: false },
      [
        update(2, '2026-01-05T10:20:00Z', [{ kind: 'CommentPrivacy', public: false }]),
        update(1, '2026-01-05T10:10:00Z', [
          { kind: 'Comment', authorId: 411000009, public: true, channel: 'web', rel: null },
        ]),
      ],
      { publicComments: 0 },
    ],
    [
      'a field no view condition reads needs no previous value',
      { status: 'open' },
      [update(1, '2026-01-05T10:10:00Z', [{ kind: 'Change', field: 'subject', value: 'Order 2' }])],
      { status: 'open' },
    ],
  ];
  it.each(rows.filter((row) => row[3] !== undefined))('%s', (_rule, rec, updates, expected) => {
    expect(creationStateFromRecord(record(rec), updates)).toMatchObject({
      ...expected,
      createdAt: '2026-01-05T10:00:00.000Z',
      creation: 'ticket_record',
    });
  });
  it.each(rows.filter((row) => row[3] === undefined))('%s', (_rule, rec, updates) => {
    expect(creationStateFromRecord(record(rec), updates)).toBeUndefined();
  });

  it('Privacy: a record with public comments does not say how many: a public comment since leaves the count not known (read as public)', () => {
    const comment = update(1, '2026-01-05T10:10:00Z', [
      { kind: 'Comment', authorId: 411000009, public: true, channel: 'web', rel: null },
    ]);
    const state = creationStateFromRecord(record({ isPublic: true }), [comment])!;
    expect(state.creation).toBe('ticket_record');
    expect('publicComments' in state).toBe(false);
  });

  it('a messaging ticket the record shows served (solved or closed) with no update since awaits no session: a later one is a new contact', () => {
    for (const status of ['solved', 'closed'] as const) {
      const state = creationStateFromRecord(record({ status }), [])!;
      expect(state.status).toBe(status);
      expect('creationSessionPending' in state).toBe(false);
    }
    expect(creationStateFromRecord(record({ status: 'open' }), [])!.creationSessionPending).toBe(true);
  });

  it('with updates to apply after it, the state covers the creation only, and a messaging creation awaits its session', () => {
    const later = update(1, '2026-01-05T10:10:00Z', [
      { kind: 'Change', field: 'status', value: 'pending', previous: 'open' },
    ]);
    const state = creationStateFromRecord(record({ status: 'pending' }), [later])!;
    expect(state).toMatchObject({
      appliedThrough: { timestamp: at('2026-01-05T10:00:00Z'), updateId: null },
      creationSessionPending: true,
    });
    const after = applyUpdate(state, later);
    expect(after.status).toBe('pending');
    expect(after.statusEnteredAt).toEqual({ pending: '2026-01-05T10:10:00.000Z' });
  });
});
