import { describe, expect, it } from '@jest/globals';
import type { ViewCondition, ViewRecord } from '../../../shared/domain/records.js';
import { conditionProblem } from '../../../shared/domain/view-conditions.js';
import { classifyView, NO_CONDITIONS, VIEW_CONDITIONS } from '../../../shared/domain/view-support.js';

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
const unsolved = cond('status', 'less_than', 'solved');

describe('classifyView: unsupported kinds, each with its reason', () => {
  const rows: [kind: string, condition: ViewCondition, reason: string][] = [
    [
      'business hours (is)',
      cond('NEW', 'is_business_hours', '2'),
      'uses business hours (is_business_hours on NEW)',
    ],
    [
      'business hours (less than)',
      cond('updated_at', 'less_than_business_hours', '8'),
      'uses business hours (less_than_business_hours on updated_at)',
    ],
    [
      'business hours (greater than)',
      cond('PENDING', 'greater_than_business_hours', '24'),
      'uses business hours (greater_than_business_hours on PENDING)',
    ],
    ['SLA (next breach)', cond('sla_next_breach_at', 'less_than', '2'), 'uses SLA (sla_next_breach_at)'],
    [
      'SLA (until next breach)',
      cond('until_sla_next_breach_at', 'less_than', '2'),
      'uses SLA (until_sla_next_breach_at)',
    ],
    ['channel', cond('via_id', 'is', '4'), 'uses via_id (channel)'],
    ['channel of the update', cond('current_via_id', 'is', '29'), 'uses current_via_id (channel)'],
    ['skills', cond('skills_match', 'is', 'true'), 'uses skills (skills_match)'],
    [
      'current user as assignee',
      cond('assignee_id', 'is', 'current_user'),
      'uses current_user on assignee_id',
    ],
    [
      'current user as requester',
      cond('requester_id', 'is_not', 'current_user'),
      'uses current_user on requester_id',
    ],
    ['current user’s groups', cond('group_id', 'is', 'current_groups'), 'uses current_groups on group_id'],
    ['change operator changed', cond('status', 'changed', ''), 'uses change operator (changed on status)'],
    [
      'change operator not_changed',
      cond('status', 'not_changed', ''),
      'uses change operator (not_changed on status)',
    ],
    ['change operator value', cond('priority', 'value', 'high'), 'uses change operator (value on priority)'],
    [
      'change operator not_value',
      cond('priority', 'not_value', 'high'),
      'uses change operator (not_value on priority)',
    ],
    [
      'change operator value_previous',
      cond('group_id', 'value_previous', '1'),
      'uses change operator (value_previous on group_id)',
    ],
    [
      'change operator not_value_previous',
      cond('group_id', 'not_value_previous', '1'),
      'uses change operator (not_value_previous on group_id)',
    ],
    [
      'a trigger-only field (requester role)',
      cond('requester_role', 'is', 'end_user'),
      'unsupported field: requester_role',
    ],
    [
      'a trigger-only field (comment text)',
      cond('comment_includes_word', 'includes', 'refund'),
      'unsupported field: comment_includes_word',
    ],
    [
      'a field views do not have',
      cond('subject_includes_word', 'includes', 'refund'),
      'unsupported field: subject_includes_word',
    ],
    [
      'an unsupported operator',
      cond('brand_id', 'less_than', '3'),
      'unsupported operator: less_than on brand_id',
    ],
    [
      'an operator the field does not take',
      cond('current_tags', 'is', 'vip'),
      'unsupported operator: is on current_tags',
    ],
    ['an unknown status value', cond('status', 'is', 'archived'), 'unsupported value: "archived" for status'],
    ['hours that are not a number', cond('NEW', 'greater_than', 'two'), 'unsupported value: "two" for NEW'],
    [
      'an id that is not an id',
      cond('group_id', 'is', 'billing'),
      'unsupported value: "billing" for group_id',
    ],
  ];

  it.each(rows)('%s in all', (_kind, condition, reason) => {
    expect(classifyView(view([unsolved, condition]))).toEqual({
      supported: false,
      verdict: 'unsupported',
      reasons: [reason],
    });
  });

  it.each(rows)('%s in any', (_kind, condition, reason) => {
    expect(classifyView(view([unsolved], [cond('priority', 'is', 'high'), condition]))).toEqual({
      supported: false,
      verdict: 'unsupported',
      reasons: [reason],
    });
  });
});

describe('classifyView', () => {
  it('supports the example view of zendesk-api.md §4.2', () => {
    const billing = view(
      [cond('status', 'less_than', 'solved'), cond('group_id', 'is', '360001111')],
      [
        cond('current_tags', 'includes', 'invoice refund'),
        cond('custom_fields_360041597112', 'is', 'billing'),
      ],
    );
    expect(classifyView(billing)).toEqual({ supported: true, verdict: 'supported', reasons: [] });
  });

  it('reports every reason once, in condition order; a condition in two categories gets both', () => {
    const mixed = view(
      [
        cond('assignee_id', 'is', 'current_user'),
        cond('via_id', 'is', '4'),
        cond('sla_next_breach_at', 'less_than_business_hours', '2'),
      ],
      [cond('via_id', 'is_not', '29'), cond('requester_role', 'is', 'agent')],
    );
    expect(classifyView(mixed)).toEqual({
      supported: false,
      verdict: 'unsupported',
      reasons: [
        'uses current_user on assignee_id',
        'uses via_id (channel)',
        'uses business hours (less_than_business_hours on sla_next_breach_at)',
        'uses SLA (sla_next_breach_at)',
        'unsupported field: requester_role',
      ],
    });
  });

  it('supports Zendesk’s default "Unassigned tickets" and "Recently updated" style views', () => {
    expect(classifyView(view([unsolved, cond('assignee_id', 'is', '')]))).toEqual({
      supported: true,
      verdict: 'supported',
      reasons: [],
    });
    expect(classifyView(view([cond('updated_at', 'less_than', '24')]))).toEqual({
      supported: true,
      verdict: 'supported',
      reasons: [],
    });
  });
});

describe('classifyView: views the product could not read and personal views', () => {
  it('a view with an unreadable condition is unsupported with a reason naming it', () => {
    const broken: ViewRecord = {
      ...view([unsolved]),
      problems: ['unreadable condition all[1] (field group_id): no operator'],
    };
    expect(classifyView(broken)).toEqual({
      supported: false,
      verdict: 'unsupported',
      reasons: ['unreadable condition all[1] (field group_id): no operator'],
    });
  });

  it('a value of an unexpected type (an object, carried as JSON) is unsupported naming the field', () => {
    expect(classifyView(view([cond('group_id', 'is', '{"id":1}')]))).toEqual({
      supported: false,
      verdict: 'unsupported',
      reasons: ['unsupported value: "{\\"id\\":1}" for group_id'],
    });
  });

  const personal: ViewRecord = { ...view([unsolved]), restriction: { type: 'User', ids: [411000009] } };
  const reason =
    "personal view (restricted to user 411000009): one agent's list, not a team queue; counted only when the integration includes personal views";

  it('a view restricted to one user is personal, counted nowhere by default', () => {
    expect(classifyView(personal)).toEqual({ supported: false, verdict: 'personal', reasons: [reason] });
  });

  it('a personal view is judged like any other when the integration includes personal views', () => {
    expect(classifyView(personal, { includePersonal: true })).toEqual({
      supported: true,
      verdict: 'supported',
      reasons: [],
    });
    const unsupported = { ...personal, conditions: { all: [cond('via_id', 'is', '4')], any: [] } };
    expect(classifyView(unsupported, { includePersonal: true })).toEqual({
      supported: false,
      verdict: 'unsupported',
      reasons: ['uses via_id (channel)'],
    });
  });

  it.each([
    [
      'sent to any agreement (present) cannot tell sent from received',
      'sent_to',
      'present',
      '',
      'unsupported operator: present on sent_to',
    ],
    [
      'received from with no agreement named',
      'received_from',
      'is',
      '',
      'unsupported value: "" for received_from',
    ],
    [
      'sent to an agreement that is not an id',
      'sent_to',
      'is',
      'partners',
      'unsupported value: "partners" for sent_to',
    ],
  ])('ticket sharing: %s is unsupported, naming it', (_rule, field, operator, value, reason) => {
    expect(classifyView(view([cond(field, operator, value)]))).toEqual({
      supported: false,
      verdict: 'unsupported',
      reasons: [reason],
    });
  });

  it('a view restricted to a group is a team queue', () => {
    expect(classifyView({ ...view([unsolved]), restriction: { type: 'Group', ids: [360001111] } })).toEqual({
      supported: true,
      verdict: 'supported',
      reasons: [],
    });
  });
});

describe('VIEW_CONDITIONS: every Zendesk view condition with its verdict', () => {
  const supportedFields = VIEW_CONDITIONS.filter((row) => row.verdict === 'supported').flatMap(
    (row) => row.fields,
  );

  /** What the evaluator says of a condition on this field, `<id>` standing for a custom id. */
  const problemOf = (field: string) =>
    conditionProblem({ field: field.replace('<id>', '360001234'), operator: 'is', value: '1' });
  const refusedFields = VIEW_CONDITIONS.filter(
    (row) => row.verdict !== 'supported' && row.verdict !== 'refused: change operator',
  ).flatMap((row) => row.fields);

  it('every supported condition is one the evaluator implements', () => {
    expect(supportedFields.filter((field) => problemOf(field)?.startsWith('unsupported field'))).toEqual([]);
  });

  it('every condition refused for its field is one the evaluator does not evaluate', () => {
    expect(refusedFields.map(problemOf)).toEqual(refusedFields.map((field) => `unsupported field: ${field}`));
  });

  it('the only refused categories are the seed’s and the change operators; the other rows views cannot use', () => {
    expect(
      [...new Set(VIEW_CONDITIONS.map((row) => row.verdict))].filter((v) => v !== 'supported').sort(),
    ).toEqual([
      'not a view condition',
      'refused: SLA',
      'refused: business hours',
      'refused: change operator',
      'refused: channel',
      'refused: skills',
      'refused: user-specific value',
    ]);
  });
});

describe('VIEW_CONDITIONS: Privacy (ticket_is_public)', () => {
  it('Privacy is a view condition (Zendesk’s views article: "Ticket: Privacy … checks the privacy settings on ticket comments"): a view carrying it is supported', () => {
    expect(VIEW_CONDITIONS.find((row) => row.fields.includes('ticket_is_public'))?.verdict).toBe('supported');
    expect(classifyView(view([unsolved, cond('ticket_is_public', 'is', 'private')]))).toEqual({
      supported: true,
      verdict: 'supported',
      reasons: [],
    });
  });
});

describe('classifyView: a view without conditions (Zendesk saves none)', () => {
  it.each<[rule: string, record: ViewRecord, reasons: string[]]>([
    ['no conditions at all: it would hold every ticket', view([], []), [NO_CONDITIONS]],
    [
      'conditions the compaction could not read: its problems say why, once',
      { ...view([], []), problems: ["no conditions in Zendesk's answer"] },
      ["no conditions in Zendesk's answer"],
    ],
  ])('%s', (_rule, record, reasons) => {
    expect(classifyView(record)).toEqual({ supported: false, verdict: 'unsupported', reasons });
  });

  it.each<[rule: string, record: ViewRecord]>([
    ['one ALL condition is enough', view([unsolved])],
    [
      'ANY conditions alone are evaluated as Zendesk documents them (all of none holds)',
      view([], [unsolved]),
    ],
  ])('%s', (_rule, record) => {
    expect(classifyView(record)).toEqual({ supported: true, verdict: 'supported', reasons: [] });
  });
});
