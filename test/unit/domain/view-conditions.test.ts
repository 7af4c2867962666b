import { describe, expect, it } from '@jest/globals';
import type { ViewCondition, ViewRecord } from '../../../shared/domain/records.js';
import { emptyTicketState, type TicketState } from '../../../shared/domain/ticket-state.js';
import { conditionProblem, viewMatches } from '../../../shared/domain/view-conditions.js';
import { AGENT, CUSTOMER, OTHER_CUSTOMER, TICKET } from './fixtures.js';

const AT = '2024-06-10T12:00:00Z';
/** `hours` before AT (negative: after). */
const hoursBefore = (hours: number): string => new Date(Date.parse(AT) - hours * 3_600_000).toISOString();

const ticket = (fields: Partial<TicketState> = {}): TicketState => ({
  ...emptyTicketState(TICKET),
  status: 'open',
  requesterId: CUSTOMER,
  createdAt: hoursBefore(48),
  updatedAt: hoursBefore(1),
  ...fields,
});

const view = (all: readonly ViewCondition[], any: readonly ViewCondition[] = []): ViewRecord => ({
  id: 360100001,
  title: 'Billing',
  active: true,
  updatedAt: '2024-05-20T14:12:00Z',
  position: 1,
  conditions: { all, any },
});

const cond = (field: string, operator: string, value: ViewCondition['value']): ViewCondition => ({
  field,
  operator,
  value,
});

type Row = [condition: ViewCondition, matching: Partial<TicketState>, notMatching: Partial<TicketState>];

describe('viewMatches: each condition field and operator', () => {
  const rows: Row[] = [
    // status, ordered new < open < pending < hold < solved < closed
    [cond('status', 'is', 'open'), { status: 'open' }, { status: 'pending' }],
    [cond('status', 'is_not', 'solved'), { status: 'open' }, { status: 'solved' }],
    [cond('status', 'less_than', 'solved'), { status: 'hold' }, { status: 'solved' }],
    [cond('status', 'less_than', 'pending'), { status: 'new' }, { status: 'hold' }],
    [cond('status', 'greater_than', 'pending'), { status: 'hold' }, { status: 'pending' }],
    [cond('status', 'greater_than', 'open'), { status: 'closed' }, { status: 'new' }],
    // priority, ordered low < normal < high < urgent; "" is none
    [cond('priority', 'is', 'high'), { priority: 'high' }, { priority: 'normal' }],
    [cond('priority', 'is', ''), { priority: null }, { priority: 'low' }],
    [cond('priority', 'is_not', 'urgent'), { priority: null }, { priority: 'urgent' }],
    [cond('priority', 'less_than', 'high'), { priority: 'normal' }, { priority: null }],
    [cond('priority', 'greater_than', 'normal'), { priority: 'urgent' }, { priority: 'normal' }],
    // type, ordered question < incident < problem < task
    [cond('type', 'is', 'incident'), { type: 'incident' }, { type: 'problem' }],
    [cond('type', 'is_not', 'task'), { type: 'question' }, { type: 'task' }],
    [cond('type', 'less_than', 'problem'), { type: 'incident' }, { type: 'task' }],
    [cond('type', 'greater_than', 'question'), { type: 'task' }, { type: null }],
    // ids; "" is none
    [cond('group_id', 'is', '360001111'), { groupId: 360001111 }, { groupId: 360002222 }],
    [cond('group_id', 'is', ''), { groupId: null }, { groupId: 360001111 }],
    [cond('group_id', 'is_not', '360001111'), { groupId: null }, { groupId: 360001111 }],
    [cond('assignee_id', 'is', String(AGENT)), { assigneeId: AGENT }, { assigneeId: null }],
    [cond('assignee_id', 'is', ''), { assigneeId: null }, { assigneeId: AGENT }],
    [cond('assignee_id', 'is_not', ''), { assigneeId: AGENT }, { assigneeId: null }],
    [cond('assignee_id', 'is', 'requester_id'), { assigneeId: CUSTOMER }, { assigneeId: AGENT }],
    [cond('assignee_id', 'is_not', 'requester_id'), { assigneeId: AGENT }, { assigneeId: CUSTOMER }],
    [
      cond('requester_id', 'is', String(CUSTOMER)),
      { requesterId: CUSTOMER },
      { requesterId: OTHER_CUSTOMER },
    ],
    [
      cond('requester_id', 'is_not', String(CUSTOMER)),
      { requesterId: OTHER_CUSTOMER },
      { requesterId: CUSTOMER },
    ],
    [cond('organization_id', 'is', 360000900), { organizationId: 360000900 }, { organizationId: null }],
    [cond('organization_id', 'is_not', ''), { organizationId: 360000900 }, { organizationId: null }],
    [cond('brand_id', 'is', '360000333'), { brandId: 360000333 }, { brandId: 360000334 }],
    [cond('brand_id', 'is_not', '360000333'), { brandId: 360000334 }, { brandId: 360000333 }],
    [cond('ticket_form_id', 'is', '360000222'), { ticketFormId: 360000222 }, { ticketFormId: null }],
    [cond('ticket_form_id', 'is_not', '360000222'), { ticketFormId: null }, { ticketFormId: 360000222 }],
    [
      cond('custom_status_id', 'is', '360000111'),
      { customStatusId: 360000111 },
      { customStatusId: 360000112 },
    ],
    [
      cond('custom_status_id', 'is_not', '360000111'),
      { customStatusId: 360000112 },
      { customStatusId: 360000111 },
    ],
    [
      cond('custom_status_id', 'includes', ['360000111', '360000112']),
      { customStatusId: 360000112 },
      { customStatusId: 1 },
    ],
    [
      cond('custom_status_id', 'not_includes', '360000111 360000112'),
      { customStatusId: 1 },
      { customStatusId: 360000111 },
    ],
    // tags: at least one of / none of, space-separated or a list
    [cond('current_tags', 'includes', 'invoice refund'), { tags: ['login', 'refund'] }, { tags: ['login'] }],
    [cond('current_tags', 'includes', ['vip']), { tags: ['vip'] }, { tags: [] }],
    [cond('current_tags', 'not_includes', 'spam test'), { tags: ['login'] }, { tags: ['login', 'test'] }],
    // custom fields, typed by the ticket's value
    [
      cond('custom_fields_1', 'is', 'billing'),
      { customFields: { '1': 'billing' } },
      { customFields: { '1': 'refund' } },
    ],
    [
      cond('custom_fields_1', 'is_not', 'billing'),
      { customFields: {} },
      { customFields: { '1': 'billing' } },
    ],
    [
      cond('custom_fields_1', 'is', 'true'),
      { customFields: { '1': true } },
      { customFields: { '1': false } },
    ],
    [cond('custom_fields_1', 'is', 'false'), { customFields: {} }, { customFields: { '1': true } }],
    [cond('custom_fields_1', 'is', '42'), { customFields: { '1': 42 } }, { customFields: { '1': '41.5' } }],
    [
      cond('custom_fields_1', 'is', 'b'),
      { customFields: { '1': ['a', 'b'] } },
      { customFields: { '1': ['a'] } },
    ],
    [cond('custom_fields_1', 'present', ''), { customFields: { '1': 'x' } }, { customFields: { '1': '' } }],
    [
      cond('custom_fields_1', 'not_present', ''),
      { customFields: { '1': null } },
      { customFields: { '1': ['a'] } },
    ],
    [
      cond('custom_fields_1', 'less_than', '10'),
      { customFields: { '1': '9.5' } },
      { customFields: { '1': 10 } },
    ],
    [
      cond('custom_fields_1', 'greater_than', '10'),
      { customFields: { '1': 11 } },
      { customFields: { '1': 'ten' } },
    ],
    [
      cond('custom_fields_1', 'less_than', '2024-06-10'),
      { customFields: { '1': '2024-06-09' } },
      { customFields: { '1': '2024-06-10' } },
    ],
    [
      cond('custom_fields_1', 'greater_than', '2024-06-10'),
      { customFields: { '1': '2024-06-11' } },
      { customFields: {} },
    ],
    [
      cond('custom_fields_1', 'includes', 'b c'),
      { customFields: { '1': ['a', 'c'] } },
      { customFields: { '1': ['a'] } },
    ],
    [
      cond('custom_fields_1', 'not_includes', 'b'),
      { customFields: { '1': ['a'] } },
      { customFields: { '1': ['b'] } },
    ],
    [
      cond('custom_fields_1', 'within_previous_n_days', '7'),
      { customFields: { '1': '2024-06-03' } },
      { customFields: { '1': '2024-06-02' } },
    ],
    [
      cond('custom_fields_1', 'within_next_n_days', '7'),
      { customFields: { '1': '2024-06-17' } },
      { customFields: { '1': '2024-06-09' } },
    ],
    // hours since …, calendar hours, whole hours elapsed
    [cond('NEW', 'greater_than', '24'), { createdAt: hoursBefore(25) }, { createdAt: hoursBefore(24.99) }],
    [cond('NEW', 'less_than', '2'), { createdAt: hoursBefore(1.99) }, { createdAt: hoursBefore(2) }],
    [cond('NEW', 'is', '24'), { createdAt: hoursBefore(24.5) }, { createdAt: hoursBefore(25) }],
    [
      cond('OPEN', 'greater_than', '1'),
      { statusEnteredAt: { open: hoursBefore(3) } },
      { statusEnteredAt: {} },
    ],
    [
      cond('PENDING', 'greater_than', '72'),
      { statusEnteredAt: { pending: hoursBefore(80) } },
      { statusEnteredAt: { pending: hoursBefore(10) } },
    ],
    [
      cond('HOLD', 'less_than', '5'),
      { statusEnteredAt: { hold: hoursBefore(4) } },
      { statusEnteredAt: { hold: hoursBefore(5) } },
    ],
    [
      cond('SOLVED', 'is', '48'),
      { statusEnteredAt: { solved: hoursBefore(48) } },
      { statusEnteredAt: { solved: hoursBefore(47.9) } },
    ],
    [
      cond('CLOSED', 'greater_than', '0'),
      { statusEnteredAt: { closed: hoursBefore(1) } },
      { statusEnteredAt: { closed: hoursBefore(0.5) } },
    ],
    [cond('assigned_at', 'less_than', '8'), { assignedAt: hoursBefore(7) }, { assignedAt: null }],
    [cond('updated_at', 'less_than', '24'), { updatedAt: hoursBefore(23) }, { updatedAt: hoursBefore(24) }],
    [
      cond('requester_updated_at', 'greater_than', '12'),
      { requesterUpdatedAt: hoursBefore(13) },
      { requesterUpdatedAt: hoursBefore(12) },
    ],
    [
      cond('assignee_updated_at', 'is', '0'),
      { assigneeUpdatedAt: hoursBefore(0.5) },
      { assigneeUpdatedAt: hoursBefore(1) },
    ],
    [cond('due_date', 'greater_than', '1'), { dueAt: hoursBefore(2) }, { dueAt: hoursBefore(-5) }],
    [cond('until_due_date', 'less_than', '24'), { dueAt: hoursBefore(-23) }, { dueAt: hoursBefore(1) }],
  ];

  it.each(rows)(
    '%j holds for the matching ticket and not for the other',
    (condition, matching, notMatching) => {
      expect(conditionProblem(condition)).toBeNull();
      expect(viewMatches(view([condition]), ticket(matching), AT)).toBe(true);
      expect(viewMatches(view([condition]), ticket(notMatching), AT)).toBe(false);
    },
  );
});

describe('viewMatches: all and any', () => {
  const isOpen = cond('status', 'is', 'open');
  const billing = cond('group_id', 'is', '1');
  const vip = cond('current_tags', 'includes', 'vip');
  const urgent = cond('priority', 'is', 'urgent');
  const rows: [
    name: string,
    all: ViewCondition[],
    any: ViewCondition[],
    state: Partial<TicketState>,
    expected: boolean,
  ][] = [
    ['all hold, any empty', [isOpen, billing], [], { groupId: 1 }, true],
    ['one of all fails', [isOpen, billing], [], { groupId: 2 }, false],
    ['all hold, one of any holds', [isOpen], [vip, urgent], { priority: 'urgent' }, true],
    ['all hold, none of any holds', [isOpen], [vip, urgent], { priority: 'low' }, false],
    ['no all, one of any holds', [], [vip, urgent], { tags: ['vip'] }, true],
    ['no conditions at all: every ticket', [], [], {}, true],
    ['a deleted ticket is in no view', [], [], { status: 'deleted' }, false],
  ];
  it.each(rows)('%s', (_name, all, any, state, expected) => {
    expect(viewMatches(view(all, any), ticket(state), AT)).toBe(expected);
  });

  it('evaluates time at the given instant, not the clock', () => {
    const recent = view([cond('NEW', 'less_than', '1')]);
    const state = ticket({ createdAt: '2024-06-10T11:30:00Z' });
    expect(viewMatches(recent, state, '2024-06-10T12:29:59Z')).toBe(true);
    expect(viewMatches(recent, state, '2024-06-10T12:30:00Z')).toBe(false);
  });

  it('treats a condition it cannot evaluate as not holding', () => {
    expect(viewMatches(view([cond('via_id', 'is', '4')]), ticket(), AT)).toBe(false);
    expect(viewMatches(view([isOpen], [cond('description_includes_word', 'is', 'x')]), ticket(), AT)).toBe(
      false,
    );
  });

  it('rejects an instant that is not a timestamp', () => {
    expect(() => viewMatches(view([]), ticket(), 'yesterday')).toThrow('at is not a timestamp: "yesterday"');
  });
});
