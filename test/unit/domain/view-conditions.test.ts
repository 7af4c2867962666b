import { describe, expect, it } from '@jest/globals';
import type { ViewCondition, ViewRecord } from '../../../shared/domain/records.js';
import { emptyTicketState, type TicketState } from '../../../shared/domain/ticket-state.js';
import { descriptionTerms } from '../../../shared/domain/description-terms.js';
import { conditionProblem, viewMatches, type ViewContext } from '../../../shared/domain/view-conditions.js';
import { AGENT, CUSTOMER, OTHER_CUSTOMER, TICKET } from '../../support/records.js';

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
    [cond('priority', 'less_than', 'high'), { priority: 'normal' }, { priority: 'high' }],
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
      { status: 'pending', statusEnteredAt: { pending: hoursBefore(80) } },
      { status: 'pending', statusEnteredAt: { pending: hoursBefore(10) } },
    ],
    [
      cond('HOLD', 'less_than', '5'),
      { status: 'hold', statusEnteredAt: { hold: hoursBefore(4) } },
      { status: 'hold', statusEnteredAt: { hold: hoursBefore(5) } },
    ],
    [
      cond('SOLVED', 'is', '48'),
      { status: 'solved', statusEnteredAt: { solved: hoursBefore(48) } },
      { status: 'solved', statusEnteredAt: { solved: hoursBefore(47.9) } },
    ],
    [
      cond('CLOSED', 'greater_than', '0'),
      { status: 'closed', statusEnteredAt: { closed: hoursBefore(1) } },
      { status: 'closed', statusEnteredAt: { closed: hoursBefore(0.5) } },
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
    // A task's due date counts as 12:00 on its day (UTC here): the 9th is 24 hours before AT.
    [
      cond('due_date', 'greater_than', '1'),
      { type: 'task', dueAt: '2024-06-09T23:00:00Z' },
      { type: 'task', dueAt: '2024-06-10T01:00:00Z' },
    ],
    [
      cond('until_due_date', 'less_than', '24'),
      { type: 'task', dueAt: '2024-06-11T03:00:00Z' },
      { type: 'task', dueAt: '2024-06-12T03:00:00Z' },
    ],
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

const BERLIN: ViewContext = { timeZone: 'Europe/Berlin' };
const LOS_ANGELES: ViewContext = { timeZone: 'America/Los_Angeles' };
const CAPE_VERDE: ViewContext = { timeZone: 'Atlantic/Cape_Verde' };

type DocumentedRule = [
  rule: string,
  condition: ViewCondition,
  state: Partial<TicketState>,
  expected: boolean,
  context?: ViewContext,
];

/** How a 65,000-character multi-line field's text begins: the most a view could name of it. */
const LONG_TEXT_START = 'log '.repeat(64);

describe("viewMatches: Zendesk's documented rules", () => {
  const rows: DocumentedRule[] = [
    // "Hours since [status] conditions only fire if the ticket remains in that status."
    [
      'hours since open holds while the ticket is open',
      cond('OPEN', 'greater_than', '2'),
      { status: 'open', statusEnteredAt: { open: hoursBefore(3) } },
      true,
    ],
    [
      'hours since open does not hold once the ticket left open (now pending)',
      cond('OPEN', 'greater_than', '2'),
      { status: 'pending', statusEnteredAt: { open: hoursBefore(30), pending: hoursBefore(1) } },
      false,
    ],
    [
      'hours since pending is measured from when the ticket entered pending',
      cond('PENDING', 'is', '5'),
      { status: 'pending', statusEnteredAt: { open: hoursBefore(50), pending: hoursBefore(5.5) } },
      true,
    ],
    [
      'hours since solved does not hold for a ticket reopened after being solved',
      cond('SOLVED', 'greater_than', '1'),
      { status: 'open', statusEnteredAt: { solved: hoursBefore(10), open: hoursBefore(2) } },
      false,
    ],
    [
      'hours since on-hold holds while on-hold',
      cond('HOLD', 'less_than', '3'),
      { status: 'hold', statusEnteredAt: { hold: hoursBefore(2) } },
      true,
    ],
    // "Priority is less than Urgent returns all tickets that are not urgent."
    [
      'priority less than urgent includes a ticket without priority',
      cond('priority', 'less_than', 'urgent'),
      { priority: null },
      true,
    ],
    [
      'priority less than urgent includes high',
      cond('priority', 'less_than', 'urgent'),
      { priority: 'high' },
      true,
    ],
    [
      'priority less than urgent excludes urgent',
      cond('priority', 'less_than', 'urgent'),
      { priority: 'urgent' },
      false,
    ],
    [
      'priority less than low includes only tickets without priority',
      cond('priority', 'less_than', 'low'),
      { priority: null },
      true,
    ],
    [
      'priority greater than low never matches a ticket without priority',
      cond('priority', 'greater_than', 'low'),
      { priority: null },
      false,
    ],
    [
      'priority greater than low matches normal',
      cond('priority', 'greater_than', 'low'),
      { priority: 'normal' },
      true,
    ],
    // "Hours until … less than conditions are inclusive; all other time-based conditions are exclusive."
    [
      'hours until due date less than 24 is inclusive: 24 whole hours until matches',
      cond('until_due_date', 'less_than', '24'),
      { type: 'task', dueAt: '2024-06-11' },
      true,
    ],
    // Cape Verde (UTC-1): 12:00 there on the 11th is 13:00 UTC, 25 hours after AT.
    [
      'hours until due date less than 24 does not match 25 hours until',
      cond('until_due_date', 'less_than', '24'),
      { type: 'task', dueAt: '2024-06-11' },
      false,
      CAPE_VERDE,
    ],
    [
      'hours until due date less than 25 is inclusive: 25 whole hours until matches',
      cond('until_due_date', 'less_than', '25'),
      { type: 'task', dueAt: '2024-06-11' },
      true,
      CAPE_VERDE,
    ],
    [
      'hours since created less than 24 is exclusive: 24 whole hours does not match',
      cond('NEW', 'less_than', '24'),
      { createdAt: hoursBefore(24.5) },
      false,
    ],
    [
      'hours until due date greater than 25 is exclusive',
      cond('until_due_date', 'greater_than', '25'),
      { type: 'task', dueAt: '2024-06-11' },
      false,
      CAPE_VERDE,
    ],
    // "Only whole numbers can be used … If you set the hours to 1.5, it will be interpreted as 1."
    [
      'decimal hours are read as whole hours: is 1.5 is is 1',
      cond('NEW', 'is', '1.5'),
      { createdAt: hoursBefore(1.2) },
      true,
    ],
    [
      'decimal hours are read as whole hours: less than 2.9 is less than 2',
      cond('NEW', 'less_than', '2.9'),
      { createdAt: hoursBefore(2.1) },
      false,
    ],
    // "Due date refers to 12 PM in your account's timezone on the date specified."
    [
      'a due date given as a date is 12:00 in the account time zone (Berlin: 10:00 UTC, 2 h before AT)',
      cond('due_date', 'is', '2'),
      { type: 'task', dueAt: '2024-06-10' },
      true,
      BERLIN,
    ],
    [
      'a due date given as a date is 12:00 in the account time zone (Los Angeles: 19:00 UTC, 7 h after AT)',
      cond('until_due_date', 'is', '7'),
      { type: 'task', dueAt: '2024-06-10' },
      true,
      LOS_ANGELES,
    ],
    [
      'a due date given as a timestamp is 12:00 on its day in the account time zone (Berlin: 23:30 UTC on the 9th is the 10th)',
      cond('due_date', 'is', '2'),
      { type: 'task', dueAt: '2024-06-09T23:30:00Z' },
      true,
      BERLIN,
    ],
    [
      'a due date given as a timestamp is 12:00 on its day in the account time zone (Los Angeles: 03:00 UTC on the 11th is the 10th)',
      cond('until_due_date', 'is', '7'),
      { type: 'task', dueAt: '2024-06-11T03:00:00Z' },
      true,
      LOS_ANGELES,
    ],
    // "Hours since due date (for tickets with the type set to Task)", "Hours until due date (… Task)".
    [
      'hours since due date holds only for tasks: an incident keeping a due date is not matched',
      cond('due_date', 'greater_than', '1'),
      { type: 'incident', dueAt: '2024-06-08' },
      false,
    ],
    [
      'hours until due date holds only for tasks: a ticket without a type is not matched',
      cond('until_due_date', 'less_than', '72'),
      { type: null, dueAt: '2024-06-11' },
      false,
    ],
    [
      'the view field due_at is hours since due date',
      cond('due_at', 'greater_than', '1'),
      { type: 'task', dueAt: '2024-06-09' },
      true,
    ],
    [
      'the view field until_due_at is hours until due date',
      cond('until_due_at', 'less_than', '5'),
      { type: 'task', dueAt: '2024-06-10' },
      true,
    ],
    // Date custom fields count the account's calendar days. AT is 12:00 UTC on the 10th = 05:00 in Los
    // Angeles (still the 10th), 02:00 on the 11th in Kiritimati (UTC+14).
    [
      'within the previous 1 day counts from the account day (Kiritimati, already the 11th: the 9th is outside)',
      cond('custom_fields_1', 'within_previous_n_days', '1'),
      { customFields: { '1': '2024-06-09' } },
      false,
      { timeZone: 'Pacific/Kiritimati' },
    ],
    [
      'within the previous 1 day counts from the account day (Los Angeles, still the 10th: the 9th is inside)',
      cond('custom_fields_1', 'within_previous_n_days', '1'),
      { customFields: { '1': '2024-06-09' } },
      true,
      LOS_ANGELES,
    ],
    [
      'within the next 0 days is the account day only (Kiritimati, UTC+14: already the 11th)',
      cond('custom_fields_1', 'within_next_n_days', '0'),
      { customFields: { '1': '2024-06-11' } },
      true,
      { timeZone: 'Pacific/Kiritimati' },
    ],
    // Checkboxes: Zendesk sends true / false or "1" / "0"; unchecked equals absent.
    [
      'checkbox is true matches "1"',
      cond('custom_fields_1', 'is', 'true'),
      { customFields: { '1': '1' } },
      true,
    ],
    [
      'checkbox is true does not match "0"',
      cond('custom_fields_1', 'is', 'true'),
      { customFields: { '1': '0' } },
      false,
    ],
    [
      'checkbox is false matches "0"',
      cond('custom_fields_1', 'is', 'false'),
      { customFields: { '1': '0' } },
      true,
    ],
    [
      'checkbox is false matches an absent value (unchecked)',
      cond('custom_fields_1', 'is', 'false'),
      { customFields: {} },
      true,
    ],
    [
      'checkbox is "1" matches true',
      cond('custom_fields_1', 'is', '1'),
      { customFields: { '1': true } },
      true,
    ],
    [
      'checkbox is "0" matches false',
      cond('custom_fields_1', 'is', '0'),
      { customFields: { '1': false } },
      true,
    ],
    [
      'checkbox is "0" matches absent (unchecked)',
      cond('custom_fields_1', 'is', '0'),
      { customFields: {} },
      true,
    ],
    [
      'checkbox is_not true matches "0"',
      cond('custom_fields_1', 'is_not', 'true'),
      { customFields: { '1': '0' } },
      true,
    ],
    [
      'checkbox present does not hold on "0": unchecked equals absent (views cannot use number fields)',
      cond('custom_fields_1', 'present', ''),
      { customFields: { '1': '0' } },
      false,
    ],
    [
      'checkbox present does not hold on false (unchecked)',
      cond('custom_fields_1', 'present', ''),
      { customFields: { '1': false } },
      false,
    ],
    [
      'checkbox not_present holds on "0" as on absent',
      cond('custom_fields_1', 'not_present', ''),
      { customFields: { '1': '0' } },
      true,
    ],
    [
      'checkbox present holds on "1"',
      cond('custom_fields_1', 'present', ''),
      { customFields: { '1': '1' } },
      true,
    ],
    [
      'a number field is 0 is not a checkbox: 0.0 matches',
      cond('custom_fields_1', 'is', '0'),
      { customFields: { '1': '0.0' } },
      true,
    ],
    [
      'a text field is "true" does not match "yes"',
      cond('custom_fields_1', 'is', 'true'),
      { customFields: { '1': 'yes' } },
      false,
    ],
    // A text longer than any value a view can name, not kept (that there is one, only).
    ...(
      [
        ['present', '', true],
        ['not_present', '', false],
        ['is', LONG_TEXT_START, false],
        ['is_not', LONG_TEXT_START, true],
        ['is', '', false],
        ['is_not', '', true],
        ['is', 'false', false],
        ['less_than', '10', false],
        ['greater_than', '2024-06-10', false],
        ['includes', 'log', false],
        ['not_includes', 'log', true],
        ['within_previous_n_days', '7', false],
      ] as const
    ).map(([operator, value, expected]): DocumentedRule => [
      `a text too long to keep: ${operator} ${expected ? 'holds' : 'does not hold'}`,
      cond('custom_fields_1', operator, value),
      { customFields: { '1': { kind: 'unkept_text' } } },
      expected,
    ]),
  ];

  // Rest parameters: Jest passes `done` to a callback declaring more parameters than a row has.
  it.each(rows)('%s', (...[_rule, condition, state, expected, context]) => {
    expect(conditionProblem(condition)).toBeNull();
    expect(viewMatches(view([condition]), ticket(state), AT, context)).toBe(expected);
  });
});

describe('viewMatches: the conditions the ticket events carry', () => {
  const description = descriptionTerms("My invoice is wrong, I'd like a refund for order 42. Log-in fails.");
  const rows: [
    rule: string,
    condition: ViewCondition,
    state: Partial<TicketState>,
    expected: boolean,
    context?: ViewContext,
  ][] = [
    [
      'received at is the address (case-insensitive)',
      cond('recipient', 'is', 'Support@Acme.example'),
      { recipient: 'support@acme.example' },
      true,
    ],
    [
      'received at is_not another address',
      cond('recipient', 'is_not', 'sales@acme.example'),
      { recipient: 'support@acme.example' },
      true,
    ],
    ['received at is "" (none)', cond('recipient', 'is', ''), {}, true],
    [
      'received at "is or is not received by one or more email addresses": is one of a list',
      cond('recipient', 'is', ['sales@acme.example', 'Support@Acme.example']),
      { recipient: 'support@acme.example' },
      true,
    ],
    [
      'received at is one of addresses separated by spaces or commas',
      cond('recipient', 'is', 'sales@acme.example, support@acme.example'),
      { recipient: 'support@acme.example' },
      true,
    ],
    [
      'received at is_not holds only when the ticket was received at none of them',
      cond('recipient', 'is_not', ['sales@acme.example', 'support@acme.example']),
      { recipient: 'support@acme.example' },
      false,
    ],
    [
      'received at is an address: a ticket received at none is not',
      cond('recipient', 'is', 'support@acme.example'),
      {},
      false,
    ],
    [
      'privacy "ticket has public comments": is public with a public comment',
      cond('ticket_is_public', 'is', 'public'),
      { publicComments: 2 },
      true,
    ],
    [
      'privacy "ticket has no public comments": is private with none',
      cond('ticket_is_public', 'is', 'private'),
      { publicComments: 0 },
      true,
    ],
    [
      'privacy is public: not with none',
      cond('ticket_is_public', 'is', 'public'),
      { publicComments: 0 },
      false,
    ],
    [
      'privacy is_not private with a public comment',
      cond('ticket_is_public', 'is_not', 'private'),
      { publicComments: 1 },
      true,
    ],
    ['privacy true reads as public', cond('ticket_is_public', 'is', true), { publicComments: 1 }, true],
    [
      'privacy "false" reads as private',
      cond('ticket_is_public', 'is', 'false'),
      { publicComments: 0 },
      true,
    ],
    [
      'privacy not known (a state stored before comments were counted) reads as public',
      cond('ticket_is_public', 'is', 'private'),
      {},
      false,
    ],
    [
      "requester language reads the requester's user record",
      cond('locale_id', 'is', '8'),
      {},
      true,
      { timeZone: 'UTC', localeOf: (id) => (id === CUSTOMER ? 8 : null) },
    ],
    [
      'requester language is_not with another language',
      cond('locale_id', 'is_not', '8'),
      {},
      true,
      { timeZone: 'UTC', localeOf: () => 1 },
    ],
    ['requester language unknown is not a language', cond('locale_id', 'is', '8'), {}, false],
    ['satisfaction is good', cond('satisfaction_score', 'is', 'good'), { satisfactionScore: 'good' }, true],
    [
      'satisfaction is good includes good with a comment',
      cond('satisfaction_score', 'is', 'good'),
      { satisfactionScore: 'good', satisfactionCommented: true },
      true,
    ],
    [
      'satisfaction is good_with_comment needs the comment',
      cond('satisfaction_score', 'is', 'good_with_comment'),
      { satisfactionScore: 'good' },
      false,
    ],
    ['satisfaction never offered is unoffered', cond('satisfaction_score', 'is', 'unoffered'), {}, true],
    [
      'satisfaction less than good includes bad',
      cond('satisfaction_score', 'less_than', 'good'),
      { satisfactionScore: 'bad' },
      true,
    ],
    [
      'satisfaction greater than offered excludes offered',
      cond('satisfaction_score', 'greater_than', 'offered'),
      { satisfactionScore: 'offered' },
      false,
    ],
    // Zendesk's Conditions reference: "`false` (offered), or `true` (unoffered)".
    [
      'satisfaction is true means unoffered (the Conditions reference)',
      cond('satisfaction_score', 'is', 'true'),
      {},
      true,
    ],
    [
      'satisfaction is true is not a rated ticket (true means unoffered)',
      cond('satisfaction_score', 'is', 'true'),
      { satisfactionScore: 'bad' },
      false,
    ],
    [
      'satisfaction is false means offered (the Conditions reference)',
      cond('satisfaction_score', 'is', 'false'),
      { satisfactionScore: 'offered' },
      true,
    ],
    [
      'satisfaction is false is not an unoffered ticket (false means offered)',
      cond('satisfaction_score', 'is', 'false'),
      {},
      false,
    ],
    [
      'satisfaction is_not true holds for an offered ticket (true means unoffered)',
      cond('satisfaction_score', 'is_not', 'true'),
      { satisfactionScore: 'offered' },
      true,
    ],
    [
      'satisfaction less than false (offered) is unoffered only',
      cond('satisfaction_score', 'less_than', 'false'),
      { satisfactionScore: 'bad' },
      false,
    ],
    [
      'satisfaction greater than true (unoffered) includes a rating',
      cond('satisfaction_score', 'greater_than', 'true'),
      { satisfactionScore: 'good' },
      true,
    ],
    [
      'satisfaction reason is the reason id',
      cond('satisfaction_reason_code', 'is', '1001'),
      { satisfactionReason: '1001' },
      true,
    ],
    [
      'description contains at least one of the words',
      cond('description_includes_word', 'includes', 'refund cancel'),
      { descriptionTerms: description },
      true,
    ],
    [
      'description word matching is case-insensitive',
      cond('description_includes_word', 'includes', 'INVOICE'),
      { descriptionTerms: description },
      true,
    ],
    [
      'description word matching is whole words',
      cond('description_includes_word', 'includes', 'refunds'),
      { descriptionTerms: description },
      false,
    ],
    [
      'a description word with a hyphen is that run of words (log-in), not its first part',
      cond('description_includes_word', 'includes', 'log-in'),
      { descriptionTerms: description },
      true,
    ],
    [
      'a description word with a hyphen needs its run: log-in does not match "log" alone',
      cond('description_includes_word', 'includes', 'log-in'),
      { descriptionTerms: descriptionTerms('Please log the error in the ticket') },
      false,
    ],
    [
      'a description word with a hyphen is not matched by its first part alone (e-mail: the text has no "e mail")',
      cond('description_includes_word', 'includes', 'e-mail'),
      { descriptionTerms: descriptionTerms('e is a letter; mail arrived') },
      false,
    ],
    [
      'description contains none of the words',
      cond('description_includes_word', 'not_includes', 'cancel'),
      { descriptionTerms: description },
      true,
    ],
    [
      'description contains the string',
      cond('description_includes_word', 'is', 'invoice is wrong'),
      { descriptionTerms: description },
      true,
    ],
    [
      'description does not contain the string (words apart)',
      cond('description_includes_word', 'is', 'invoice refund'),
      { descriptionTerms: description },
      false,
    ],
    [
      'description does not contain the string: is_not',
      cond('description_includes_word', 'is_not', 'order 43'),
      { descriptionTerms: description },
      true,
    ],
    [
      'a ticket whose description is unknown contains no word',
      cond('description_includes_word', 'includes', 'refund'),
      {},
      false,
    ],
    [
      'integration account is the via subtype',
      cond('via_subtype_id', 'is', '77'),
      { viaSubtypeId: 77 },
      true,
    ],
    ['integration account is_not', cond('via_subtype_id', 'is_not', '77'), {}, true],
    ['support type is ai_agent', cond('support_type', 'is', 'ai_agent'), { supportType: 'ai_agent' }, true],
    [
      'service catalog form is the ticket form of the item (form_id of the service catalog item)',
      cond('service_catalog_form_id', 'is', '38371252020375'),
      { ticketFormId: 38371252020375 },
      true,
    ],
    [
      'service catalog form is_not: a ticket on another form',
      cond('service_catalog_form', 'is_not', '38371252020375'),
      { ticketFormId: 360000222 },
      true,
    ],
    [
      'support type is agent: an AI agent’s ticket is not',
      cond('support_type', 'is', 'agent'),
      { supportType: 'ai_agent' },
      false,
    ],
    [
      'support type unstated is agent: the exports at their default scope send agents’ tickets only',
      cond('support_type', 'is', 'agent'),
      {},
      true,
    ],
    ['support type unstated is not ai_agent', cond('support_type', 'is', 'ai_agent'), {}, false],
    [
      'group is (assigned group): the ticket has a group (API spelling assigned_group)',
      cond('group_id', 'is', 'assigned_group'),
      { groupId: 360001111 },
      true,
    ],
    [
      'group is (assigned group): a ticket without a group is not in it',
      cond('group_id', 'is', 'assigned_group'),
      { groupId: null },
      false,
    ],
    [
      'group is_not (assigned group): a ticket without a group (the label spelling)',
      cond('group_id', 'is_not', '(assigned group)'),
      { groupId: null },
      true,
    ],
    [
      'group is_not (assigned group): a ticket with a group is not in it',
      cond('group_id', 'is_not', '(assigned group)'),
      { groupId: 360001111 },
      false,
    ],
    ['CC is the user among the CCs', cond('cc', 'is', '9'), { emailCcIds: [3, 9] }, true],
    ['CC is_not a user not CC’d', cond('email_cc', 'is_not', '4'), { emailCcIds: [3, 9] }, true],
    ['CC present: there are CCs', cond('cc', 'present', ''), { emailCcIds: [3] }, true],
    ['CC not present: none', cond('cc', 'not_present', ''), {}, true],
    // Zendesk's requests guide: collaborators "automatically make end users CCs and agents followers".
    [
      'CC reads email_cc_ids, never the collaborators, when the ticket stated them',
      cond('cc', 'is', '12'),
      { emailCcIds: [3], collaboratorIds: [3, 12], followerIds: [12] },
      false,
    ],
    [
      'CC without email_cc_ids: the collaborators that are not followers',
      cond('cc', 'is', '5'),
      { collaboratorIds: [5, 12], followerIds: [12] },
      true,
    ],
    [
      'CC without email_cc_ids: a collaborator who follows is a follower, not a CC',
      cond('cc', 'present', ''),
      { collaboratorIds: [12], followerIds: [12] },
      false,
    ],
    [
      'CC without email_cc_ids nor followers stated: every collaborator (an account without CCs and followers)',
      cond('cc', 'is', '12'),
      { collaboratorIds: [5, 12] },
      true,
    ],
    [
      'CC of a state saved before the lists were told apart: its list, until the ticket states one',
      cond('cc', 'is', '12'),
      { ccIds: [5, 12] },
      true,
    ],
    [
      'CC of a state saved before the lists were told apart, then given collaborators: the collaborators',
      cond('cc', 'is', '12'),
      { ccIds: [5, 12], collaboratorIds: [5] },
      false,
    ],
    ['follower is the user among the followers', cond('follower', 'is', '12'), { followerIds: [12] }, true],
    [
      'ticket sharing: sent to an agreement the ticket is shared through',
      cond('sent_to', 'is', '5'),
      { sharingAgreementIds: [5] },
      true,
    ],
    [
      'ticket sharing: received from an agreement it is not shared through',
      cond('received_from', 'is', '5'),
      { sharingAgreementIds: [6] },
      false,
    ],
    [
      'ticket sharing: is_not an agreement of a ticket shared through none',
      cond('sent_to', 'is_not', '5'),
      {},
      true,
    ],
    [
      'hours since a custom status holds while in it, from when it was set',
      cond('custom_status_360000111', 'greater_than', '2'),
      { customStatusId: 360000111, customStatusSetAt: hoursBefore(3) },
      true,
    ],
    [
      'hours since a custom status does not hold in another custom status',
      cond('custom_status_360000111', 'greater_than', '2'),
      { customStatusId: 360000112, customStatusSetAt: hoursBefore(3) },
      false,
    ],
  ];

  // Rest parameters: Jest passes `done` to a callback declaring more parameters than a row has.
  it.each(rows)('%s', (...[_rule, condition, state, expected, context]) => {
    expect(conditionProblem(condition)).toBeNull();
    expect(viewMatches(view([condition]), ticket(state), AT, context)).toBe(expected);
  });

  it('privacy takes public or private (or true / false) only, naming the value', () => {
    expect(conditionProblem(cond('ticket_is_public', 'is', 'hidden'))).toBe(
      'unsupported value: "hidden" for ticket_is_public',
    );
    expect(conditionProblem(cond('ticket_is_public', 'less_than', 'public'))).toBe(
      'unsupported operator: less_than on ticket_is_public',
    );
  });
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
    expect(viewMatches(view([isOpen], [cond('skills_match', 'is', 'x')]), ticket(), AT)).toBe(false);
  });

  it('rejects an instant that is not a timestamp', () => {
    expect(() => viewMatches(view([]), ticket(), 'yesterday')).toThrow('at is not a timestamp: "yesterday"');
  });
});
