import { describe, expect, it } from '@jest/globals';
import {
  callOutcome,
  callTalkFigures,
  conditionHolds,
  expectedBacklogSteps,
  expectedQueues,
  intervalStart,
  isInteraction,
  talkQueueName,
  ticketInView,
  unmappedChannelCounts,
  unsupportedKindsOf,
  wfmChannelOf,
  type GroundTruth,
  type FieldTypes,
  type SandboxCondition,
  type TicketState,
  type TruthTalkFigures,
  type ViewContext,
} from '../../../sandbox/truth.js';

const c = (field: string, operator: string, value: string): SandboxCondition => ({ field, operator, value });

const state = (over: Partial<TicketState> = {}): TicketState => ({
  status: 'open',
  priority: 'normal',
  type: 'question',
  groupId: 360001102,
  assigneeId: null,
  requesterId: 410000001,
  organizationId: null,
  brandId: 360000301,
  ticketFormId: 360000222,
  tags: ['invoice', 'vip'],
  customFields: { '360041597112': 'billing' },
  createdAt: 1_700_000_000,
  statusSince: 1_700_000_000,
  due: 0,
  ccIds: [],
  followerIds: [],
  sharingAgreementIds: [],
  satisfaction: null,
  satisfactionCommented: false,
  satisfactionReason: null,
  recipient: null,
  customStatusId: 360000112,
  customStatusSince: 1_700_000_000,
  assignedAt: null,
  updatedAt: 1_700_000_000,
  requesterUpdatedAt: null,
  assigneeUpdatedAt: null,
  description: null,
  publicComments: 1,
  ...over,
});

describe('the channel table (SPEC.md §3)', () => {
  it.each([
    ['email', 'email'],
    ['mobile', 'email'],
    ['web', 'email'],
    ['chat', 'chat'],
    ['native_messaging', 'chat'],
    ['sms', 'social_media'],
    ['any_channel', 'social_media'],
    ['facebook', 'social_media'],
    ['twitter', 'social_media'],
    ['sunshine_conversations_facebook_messenger', 'social_media'],
    ['instagram_dm', 'social_media'],
    ['whatsapp', 'social_media'],
    ['voice', 'call'],
    ['api', 'case'],
    ['answer_bot_for_web_widget', 'case'],
    ['chat_transcript', 'case'],
    ['mobile_sdk', 'case'],
  ])('%s → %s', (via, wfm) => {
    expect(wfmChannelOf(via)).toBe(wfm);
  });

  it.each(['line', 'wechat', 'rule', 'toString', ''])('%s is unmapped', (via) => {
    expect(wfmChannelOf(via)).toBeNull();
  });
});

describe('interactions', () => {
  const base = {
    isCreation: false,
    commentAuthorRole: null,
    commentChannel: null,
    startsCustomerSession: false,
    continuesCreationSession: false,
    endsSession: false,
  };
  it.each([
    ['a creation by an agent', { ...base, isCreation: true, commentAuthorRole: 'agent' as const }, true],
    ['a creation without a comment', { ...base, isCreation: true }, true],
    [
      'a ticket an agent’s outbound call created (incoming calls only)',
      {
        ...base,
        isCreation: true,
        isOutboundCallCreation: true,
        commentAuthorRole: 'agent' as const,
        commentChannel: 'voice',
      },
      false,
    ],
    [
      'an end-user email comment',
      { ...base, commentAuthorRole: 'end-user' as const, commentChannel: 'email' },
      true,
    ],
    ['an agent reply', { ...base, commentAuthorRole: 'agent' as const, commentChannel: 'web' }, false],
    ['an admin reply', { ...base, commentAuthorRole: 'admin' as const, commentChannel: 'web' }, false],
    ['an update without a comment', base, false],
    [
      'messaging: the creation of a messaging ticket',
      { ...base, isCreation: true, startsCustomerSession: false },
      true,
    ],
    ['messaging: a new session on an existing ticket', { ...base, startsCustomerSession: true }, true],
    [
      'messaging: the creation’s session in an update of its own after the creation is the creation’s contact',
      { ...base, startsCustomerSession: true, continuesCreationSession: true },
      false,
    ],
    [
      'messaging: a message of a session recorded as a comment',
      { ...base, commentAuthorRole: 'end-user' as const, commentChannel: 'native_messaging' },
      false,
    ],
    [
      'messaging: the transcript on the update that ends the session',
      { ...base, commentAuthorRole: 'end-user' as const, commentChannel: 'whatsapp', endsSession: true },
      false,
    ],
    [
      'messaging: a live chat transcript through chat_transcript',
      {
        ...base,
        commentAuthorRole: 'end-user' as const,
        commentChannel: 'chat_transcript',
        endsSession: true,
      },
      false,
    ],
  ])('%s → %s', (_name, facts, expected) => {
    expect(isInteraction(facts)).toBe(expected);
  });
});

describe('view support', () => {
  it.each([
    [c('NEW', 'greater_than_business_hours', '8'), ['business_hours']],
    [c('sla_next_breach_at', 'less_than', '2'), ['sla']],
    [c('until_sla_next_breach_at', 'less_than', '2'), ['sla']],
    [c('via_id', 'is', '34'), ['channel']],
    [c('skills_match', 'is', 'true'), ['skills']],
    [c('assignee_id', 'is', 'current_user'), ['user_specific_value']],
    [c('group_id', 'is', 'current_groups'), ['user_specific_value']],
    [c('group_id', 'changed', ''), ['change_operator']],
    [c('status', 'not_value_previous', 'solved'), ['change_operator']],
    [c('satisfaction_score', 'is', 'good'), []],
    [c('satisfaction_score', 'includes', 'good'), ['unknown_condition']],
    [c('until_due_date', 'less_than', '24'), []],
    [c('cc', 'includes', '410000002'), []],
    [c('status', 'includes', 'open'), ['unknown_condition']],
    [c('status', 'less_than', 'solved'), []],
    [c('custom_fields_1', 'present', ''), []],
    [c('group_id', 'is', ''), []],
  ])('%j → %j', (condition, kinds) => {
    expect(unsupportedKindsOf({ all: [condition], any: [] })).toEqual(kinds);
  });

  it('lists each kind once, from all and any, in order of appearance', () => {
    expect(
      unsupportedKindsOf({
        all: [c('via_id', 'is', '4'), c('status', 'less_than', 'solved')],
        any: [c('assignee_id', 'is', 'current_user'), c('via_id', 'is', '0')],
      }),
    ).toEqual(['channel', 'user_specific_value']);
  });
});

describe('view evaluation', () => {
  const at = 1_700_000_000 + 25 * 3600 - 1;
  it.each([
    [c('status', 'less_than', 'solved'), true],
    [c('status', 'less_than', 'open'), false],
    [c('status', 'greater_than', 'new'), true],
    [c('status', 'is_not', 'open'), false],
    [c('priority', 'greater_than', 'low'), true],
    [c('priority', 'less_than', 'normal'), false],
    [c('type', 'is', 'question'), true],
    [c('type', 'is_not', 'incident'), true],
    [c('group_id', 'is', '360001102'), true],
    [c('group_id', 'is', ''), false],
    [c('assignee_id', 'is', ''), true],
    [c('current_tags', 'includes', 'refund invoice'), true],
    [c('current_tags', 'includes', 'refund'), false],
    [c('current_tags', 'not_includes', 'spam vip'), false],
    [c('custom_fields_360041597112', 'is', 'billing'), true],
    [c('custom_fields_360041597112', 'is_not', 'billing'), false],
    [c('custom_fields_360041597112', 'present', ''), true],
    [c('custom_fields_999', 'not_present', ''), true],
    // 24 h 59 min 59 s elapsed: 24 whole hours
    [c('NEW', 'greater_than', '23'), true],
    [c('NEW', 'greater_than', '24'), false],
    [c('NEW', 'is', '24'), true],
    [c('NEW', 'less_than', '25'), true],
  ])('%j → %s', (condition, expected) => {
    expect(conditionHolds(condition, state(), at)).toBe(expected);
  });

  // Zendesk's documented semantics (issue 17), as the sandbox's own rules.
  it.each([
    [
      'priority less_than normal includes a ticket without a priority',
      c('priority', 'less_than', 'normal'),
      { priority: null },
      true,
    ],
    [
      'priority greater_than low never matches a ticket without one',
      c('priority', 'greater_than', 'low'),
      { priority: null },
      false,
    ],
    [
      'hours with decimals are whole hours: NEW less_than 24.9 is less_than 24',
      c('NEW', 'less_than', '24.9'),
      {},
      false,
    ],
    ['hours with decimals are whole hours: NEW is 24.5 is 24', c('NEW', 'is', '24.5'), {}, true],
    [
      'hours since open while open, from when it became open (2 h ago)',
      c('OPEN', 'greater_than', '1'),
      { statusSince: at - 2 * 3600 - 5 },
      true,
    ],
    [
      'hours since open counts from the last time it became open',
      c('OPEN', 'greater_than', '1'),
      { statusSince: at - 1800 },
      false,
    ],
    [
      'hours since open never holds once the ticket is no longer open',
      c('OPEN', 'greater_than', '1'),
      { status: 'pending', statusSince: at - 5 * 3600 },
      false,
    ],
    [
      'hours since pending while pending',
      c('PENDING', 'less_than', '1'),
      { status: 'pending', statusSince: at - 60 },
      true,
    ],
    [
      'hours since on-hold while on hold, from when it was put on hold',
      c('HOLD', 'less_than', '1'),
      { status: 'hold', statusSince: at - 3599 },
      true,
    ],
    [
      'hours since solved while still solved (a thank-you kept solved), from the solve',
      c('SOLVED', 'greater_than', '24'),
      { status: 'solved', statusSince: at - 25 * 3600 },
      true,
    ],
    [
      'hours since solved never holds once the ticket is reopened',
      c('SOLVED', 'greater_than', '1'),
      { status: 'open', statusSince: at - 60 },
      false,
    ],
  ])('%s', (_rule, condition, over, expected) => {
    expect(conditionHolds(condition, state(over), at)).toBe(expected);
  });

  // Issue 17's conditions, in the account's time zone (Pacific/Auckland: UTC+13 in March 2026).
  const auckland: ViewContext = {
    timeZone: 'Pacific/Auckland',
    localeOf: (id) => (id === 410000001 ? 8 : 1),
  };
  const types: FieldTypes = { dateFields: new Set(['77']), checkboxFields: new Set(['78']) };
  // 2026-03-02T12:00:00Z is 2026-03-03 01:00 in Auckland.
  const now = Date.parse('2026-03-02T12:00:00Z') / 1000;
  const day = (d: string) => -Math.round(Date.parse(`${d}T00:00:00Z`) / 86_400_000);
  it.each([
    // A task's due date counts as 12:00 on its day in the account's zone ("Due date refers to 12 PM
    // in your account's timezone on the date specified"): a timestamp by its local day.
    [
      'hours until due less_than is inclusive: 11 whole hours ahead is less than 11',
      c('until_due_date', 'less_than', '11'),
      { type: 'task', due: now + 10 * 3600 },
      true,
    ],
    [
      'hours until due less_than: 35 h ahead (12:00 on 2026-03-04 NZDT) is not less than 34',
      c('until_due_at', 'less_than', '34'),
      { type: 'task', due: now + 30 * 3600 },
      false,
    ],
    [
      'hours since due greater_than is exclusive: 13 h past (12:00 on 2026-03-02 NZDT) is not greater than 13',
      c('due_at', 'greater_than', '13'),
      { type: 'task', due: now - 24 * 3600 },
      false,
    ],
    [
      'a timestamp due date is 12:00 on its local day (2026-03-02 22:00 UTC is 2026-03-03 NZDT: 11 h ahead)',
      c('until_due_date', 'is', '11'),
      { type: 'task', due: now + 10 * 3600 },
      true,
    ],
    [
      'a date-only due date is 12:00 in the account time zone (2026-03-03 12:00 NZDT is 11 h ahead)',
      c('until_due_date', 'is', '11'),
      { type: 'task', due: day('2026-03-03') },
      true,
    ],
    [
      'a date-only due date passed has no hours until',
      c('until_due_date', 'less_than', '100'),
      { type: 'task', due: day('2026-03-02') },
      false,
    ],
    [
      'hours until due holds only for tasks (Zendesk: "for tickets with the type set to Task")',
      c('until_due_date', 'is', '11'),
      { type: 'question', due: day('2026-03-03') },
      false,
    ],
    [
      'hours since due holds only for tasks: a ticket without a type is not matched',
      c('due_date', 'greater_than', '1'),
      { type: null, due: day('2026-02-20') },
      false,
    ],
    [
      "a date field's today is the account's day: 2026-03-03 is within the next 0 days",
      c('custom_fields_77', 'within_next_n_days', '0'),
      { customFields: { '77': '2026-03-03' } },
      true,
    ],
    [
      "the UTC day is yesterday in the account's time zone: within the previous 1 days",
      c('custom_fields_77', 'within_previous_n_days', '1'),
      { customFields: { '77': '2026-03-02' } },
      true,
    ],
    [
      'within the previous N days excludes the days before',
      c('custom_fields_77', 'within_previous_n_days', '1'),
      { customFields: { '77': '2026-03-01' } },
      false,
    ],
    [
      'a date before another (less_than)',
      c('custom_fields_77', 'less_than', '2026-03-02'),
      { customFields: { '77': '2026-03-01' } },
      true,
    ],
    ['an absent date is before nothing', c('custom_fields_77', 'less_than', '2026-03-02'), {}, false],
    [
      'a checked checkbox is true',
      c('custom_fields_78', 'is', 'true'),
      { customFields: { '78': 'true' } },
      true,
    ],
    ['an unchecked checkbox equals absent: is false', c('custom_fields_78', 'is', 'false'), {}, true],
    [
      'a description word with a hyphen is the run of words it makes: log-in is not "log" alone',
      c('description_includes_word', 'includes', 'log-in refund'),
      { description: 'Please log the error' },
      false,
    ],
    [
      'a description word containing the search word matches (Zendesk: "none" finds "nonetheless")',
      c('description_includes_word', 'includes', 'fund'),
      { description: 'Refund not received' },
      true,
    ],
    [
      'contains none of: a description word containing the search word excludes the ticket',
      c('description_includes_word', 'not_includes', 'fund'),
      { description: 'Refund not received' },
      false,
    ],
    [
      'a description word must hold the whole search word',
      c('description_includes_word', 'includes', 'refunds'),
      { description: 'Refund not received' },
      false,
    ],
    [
      'the string form stays whole words: is "fund" is not in "Refund"',
      c('description_includes_word', 'is', 'fund'),
      { description: 'Refund not received' },
      false,
    ],
    [
      'a description word with a hyphen matches its run (log in)',
      c('description_includes_word', 'includes', 'log-in refund'),
      { description: 'I cannot log-in since Monday' },
      true,
    ],
    [
      'an unchecked checkbox equals absent: not present',
      c('custom_fields_78', 'not_present', ''),
      { customFields: { '78': 'false' } },
      true,
    ],
    [
      'a checked checkbox is present',
      c('custom_fields_78', 'present', ''),
      { customFields: { '78': 'true' } },
      true,
    ],
    ['CC includes the user', c('cc', 'includes', '5 6'), { ccIds: [6] }, true],
    ['followers not_includes the user', c('follower', 'not_includes', '5'), { followerIds: [5] }, false],
    [
      'ticket sharing: sent to an agreement the ticket is shared through',
      c('sent_to', 'is', '360000951'),
      { sharingAgreementIds: [360000951] },
      true,
    ],
    [
      'ticket sharing: received from an agreement it is not shared through',
      c('received_from', 'is', '360000952'),
      { sharingAgreementIds: [360000951] },
      false,
    ],
    [
      'ticket sharing: is_not an agreement of a ticket shared with none',
      c('sent_to', 'is_not', '360000951'),
      {},
      true,
    ],
    [
      'satisfaction bad includes bad with comment',
      c('satisfaction_score', 'is', 'bad'),
      { satisfaction: 'bad', satisfactionCommented: true },
      true,
    ],
    [
      'satisfaction good_with_comment needs the comment',
      c('satisfaction_score', 'is', 'good_with_comment'),
      { satisfaction: 'good' },
      false,
    ],
    ['never offered is unoffered', c('satisfaction_score', 'is', 'unoffered'), {}, true],
    [
      "satisfaction reason is the latest rating's reason code",
      c('satisfaction_reason_code', 'is', '6'),
      { satisfaction: 'bad', satisfactionReason: 6 },
      true,
    ],
    [
      'satisfaction reason is_not holds before any rating',
      c('satisfaction_reason_code', 'is_not', '6'),
      {},
      true,
    ],
    [
      'group is (assigned group) when the ticket has a group',
      c('group_id', 'is', 'assigned_group'),
      {},
      true,
    ],
    [
      'group is_not (assigned group) when the ticket has none',
      c('group_id', 'is_not', '(assigned group)'),
      { groupId: null },
      true,
    ],
    [
      'the service catalog form is the ticket form',
      c('service_catalog_form_id', 'is', '360000222'),
      {},
      true,
    ],
    ["requester language is the requester's locale_id", c('locale_id', 'is', '8'), {}, true],
    [
      'received at, case-insensitive',
      c('recipient', 'is', 'Billing@acme.example'),
      { recipient: 'billing@acme.example' },
      true,
    ],
    [
      'received at one or more email addresses: any of them',
      c('recipient', 'is', 'support@acme.zendesk.com billing@acme.example'),
      { recipient: 'billing@acme.example' },
      true,
    ],
    [
      'received at is_not one of them: not when received at one',
      c('recipient', 'is_not', 'support@acme.zendesk.com billing@acme.example'),
      { recipient: 'billing@acme.example' },
      false,
    ],
    [
      'privacy: is private with no public comment',
      c('ticket_is_public', 'is', 'private'),
      { publicComments: 0 },
      true,
    ],
    [
      'privacy: is private, not with one',
      c('ticket_is_public', 'is', 'private'),
      { publicComments: 1 },
      false,
    ],
    ['privacy: is public with one', c('ticket_is_public', 'is', 'public'), { publicComments: 1 }, true],
    [
      'privacy: is_not public with none',
      c('ticket_is_public', 'is_not', 'public'),
      { publicComments: 0 },
      true,
    ],
    [
      'hours since a custom status while in it, from when it was set',
      c('custom_status_118', 'greater_than', '1'),
      { customStatusId: 118, customStatusSince: now - 2 * 3600 },
      true,
    ],
    [
      'hours since a custom status never hold in another one',
      c('custom_status_118', 'greater_than', '1'),
      { customStatusId: 112, customStatusSince: now - 2 * 3600 },
      false,
    ],
  ])('%s', (_rule, condition, over, expected) => {
    expect(conditionHolds(condition, state(over), now, auckland, types)).toBe(expected);
  });

  it('needs every all-condition and, when there are any-conditions, one of them', () => {
    const view = {
      all: [c('status', 'less_than', 'solved'), c('group_id', 'is', '360001102')],
      any: [c('current_tags', 'includes', 'refund'), c('custom_fields_360041597112', 'is', 'billing')],
    };
    expect(ticketInView(view, state(), at)).toBe(true);
    expect(ticketInView(view, state({ customFields: {} }), at)).toBe(false);
    expect(ticketInView(view, state({ status: 'solved' }), at)).toBe(false);
    expect(
      ticketInView({ all: [c('status', 'is_not', 'closed')], any: [] }, state({ status: 'deleted' }), at),
    ).toBe(false);
  });
});

describe('Talk', () => {
  it('counts talk + hold + wrap-up for a call an agent answered', () => {
    expect(
      callOutcome({
        direction: 'inbound',
        agentId: 7,
        completionStatus: 'completed',
        talkTime: 402,
        holdTime: 30,
        wrapUpTime: 95,
      }),
    ).toEqual({ handled: true, handleSeconds: 527 });
  });

  it.each([
    [{ agentId: null, talkTime: 0, completionStatus: 'abandoned_in_queue' }],
    [{ agentId: null, talkTime: null, completionStatus: 'failed' }],
    [{ agentId: 7, talkTime: 0, completionStatus: 'completed' }],
  ])('an unanswered call is not handled: %j', (over) => {
    expect(callOutcome({ direction: 'inbound', holdTime: 10, wrapUpTime: 5, ...over })).toEqual({
      handled: false,
      handleSeconds: 0,
    });
  });

  it.each<[rule: string, voicemailAfterQueue: boolean, offered: number]>([
    [
      'a caller sent from the queue to voicemail waited for an agent: offered to service level, missed',
      true,
      1,
    ],
    ['a caller who went to voicemail with no agent to wait for: not in service level', false, 0],
  ])('%s', (_rule, voicemailAfterQueue, offered) => {
    const figures = callTalkFigures(
      {
        completionStatus: 'abandoned_in_voicemail',
        handled: false,
        waitSeconds: 150,
        callback: false,
        voicemailAfterQueue,
      },
      20,
    );
    expect([figures.abandonedInVoicemail, figures.serviceLevelOffered, figures.serviceLevelAnswered]).toEqual(
      [1, offered, 0],
    );
  });

  it('names queues by grouping key, or Ungrouped', () => {
    expect(talkQueueName('Senior Agents')).toBe('Calls Inbound For Senior Agents');
    expect(talkQueueName('+49123456789')).toBe('Calls Inbound For +49123456789');
    expect(talkQueueName(null)).toBe('Calls Inbound Ungrouped');
    expect(talkQueueName('')).toBe('Calls Inbound Ungrouped');
  });
});

describe('intervals (SPEC.md §6)', () => {
  it.each<[string, 15 | 30 | 60, string]>([
    ['2024-06-03T10:14:59Z', 15, '2024-06-03T10:00:00.000Z'],
    ['2024-06-03T10:15:00Z', 15, '2024-06-03T10:15:00.000Z'],
    ['2024-06-03T10:59:59Z', 30, '2024-06-03T10:30:00.000Z'],
    ['2024-06-03T10:59:59Z', 60, '2024-06-03T10:00:00.000Z'],
  ])('%s / %i min → %s', (at, minutes, start) => {
    expect(intervalStart(at, minutes)).toBe(start);
  });
});

/** Talk figures of an expected interval: zeros but for these. */
const talk = (fields: Partial<TruthTalkFigures>): TruthTalkFigures => ({
  abandonedInQueue: 0,
  abandonedInIvr: 0,
  abandonedInVoicemail: 0,
  abandonedOnHold: 0,
  failed: 0,
  notAnswered: 0,
  unknownStatus: 0,
  callbacks: 0,
  serviceLevelOffered: 0,
  serviceLevelAnswered: 0,
  answeredCalls: 0,
  answerWaitSeconds: 0,
  ...fields,
});

describe('expectedQueues', () => {
  const NO_MOVES = { reopens: 0, backlogEntered: 0, backlogLeft: 0 };
  const truth: GroundTruth = {
    views: [
      {
        id: 1,
        title: 'Support Tickets',
        active: true,
        supported: true,
        unsupportedKinds: [],
        personal: false,
      },
      { id: 2, title: 'Billing', active: true, supported: true, unsupportedKinds: [], personal: false },
    ],
    interactions: [
      {
        ticketId: 1,
        auditId: 10,
        at: '2024-06-03T09:59:59Z',
        viaChannel: 'email',
        wfmChannel: 'email',
        viewIds: [1],
      },
      {
        ticketId: 1,
        auditId: 11,
        at: '2024-06-03T10:00:00Z',
        viaChannel: 'email',
        wfmChannel: 'email',
        viewIds: [1, 2],
      },
      {
        ticketId: 2,
        auditId: 12,
        at: '2024-06-03T10:14:59Z',
        viaChannel: 'web',
        wfmChannel: 'email',
        viewIds: [1],
      },
      {
        ticketId: 2,
        auditId: 13,
        at: '2024-06-03T10:20:00Z',
        viaChannel: 'chat',
        wfmChannel: 'chat',
        viewIds: [1],
      },
      {
        ticketId: 3,
        auditId: 14,
        at: '2024-06-03T10:20:00Z',
        viaChannel: 'line',
        wfmChannel: null,
        viewIds: [1],
      },
      {
        ticketId: 3,
        auditId: 15,
        at: '2024-06-03T11:00:00Z',
        viaChannel: 'email',
        wfmChannel: 'email',
        viewIds: [1],
      },
    ],
    calls: [
      {
        id: 1,
        at: '2024-06-03T10:01:00Z',
        direction: 'inbound',
        ivrGroup: 'Billing',
        phoneNumber: '+4930',
        handled: true,
        handleSeconds: 300,
        completionStatus: 'completed',
        waitSeconds: 10,
        callback: false,
        voicemailAfterQueue: false,
      },
      {
        id: 2,
        at: '2024-06-03T10:02:00Z',
        direction: 'inbound',
        ivrGroup: 'Billing',
        phoneNumber: '+4930',
        handled: true,
        handleSeconds: 101,
        completionStatus: 'completed',
        waitSeconds: 300,
        callback: true,
        voicemailAfterQueue: false,
      },
      {
        id: 3,
        at: '2024-06-03T10:03:00Z',
        direction: 'inbound',
        ivrGroup: null,
        phoneNumber: '+4930',
        handled: false,
        handleSeconds: 0,
        completionStatus: 'abandoned_in_queue',
        waitSeconds: 45,
        callback: false,
        voicemailAfterQueue: false,
      },
      {
        id: 4,
        at: '2024-06-03T10:04:00Z',
        direction: 'outbound',
        ivrGroup: null,
        phoneNumber: '+4930',
        handled: true,
        handleSeconds: 60,
        completionStatus: 'completed',
        waitSeconds: 0,
        callback: false,
        voicemailAfterQueue: false,
      },
    ],
    unmappedChannels: { line: 1 },
  };
  const window = { since: '2024-06-03T10:00:00Z', until: '2024-06-03T11:00:00Z' };

  it('counts each interaction in every view it is in, per channel, inside [since, until)', () => {
    expect(expectedQueues(truth, { ...window, groupingStrategy: 'ivr', intervalMinutes: 15 })).toEqual([
      {
        name: 'Billing (email)',
        channel: 'email',
        source: 'support',
        viewId: 2,
        intervals: [{ start: '2024-06-03T10:00:00.000Z', contacts: 1, support: NO_MOVES, backlog: 0 }],
      },
      {
        name: 'Calls Inbound For Billing',
        channel: 'call',
        source: 'talk',
        intervals: [
          {
            start: '2024-06-03T10:00:00.000Z',
            contacts: 2,
            handled: 2,
            handleTimeSeconds: 401,
            ahtSeconds: 200.5,
            // call 2 is a callback: in `callbacks`, out of service level and speed of answer
            talk: talk({
              callbacks: 1,
              serviceLevelOffered: 1,
              serviceLevelAnswered: 1,
              answeredCalls: 1,
              answerWaitSeconds: 10,
            }),
            serviceLevelPercent: 100,
            asaSeconds: 10,
          },
        ],
      },
      {
        name: 'Calls Inbound Ungrouped',
        channel: 'call',
        source: 'talk',
        intervals: [
          {
            start: '2024-06-03T10:00:00.000Z',
            contacts: 1,
            handled: 0,
            handleTimeSeconds: 0,
            // abandoned in the queue: offered to service level, never within it; no speed of answer
            talk: talk({ abandonedInQueue: 1, serviceLevelOffered: 1 }),
            serviceLevelPercent: 0,
          },
        ],
      },
      {
        name: 'Support Tickets (chat)',
        channel: 'chat',
        source: 'support',
        viewId: 1,
        intervals: [{ start: '2024-06-03T10:15:00.000Z', contacts: 1, support: NO_MOVES, backlog: 0 }],
      },
      {
        name: 'Support Tickets (email)',
        channel: 'email',
        source: 'support',
        viewId: 1,
        intervals: [{ start: '2024-06-03T10:00:00.000Z', contacts: 2, support: NO_MOVES, backlog: 0 }],
      },
    ]);
  });

  describe("Support's reopens and backlog (issue #20)", () => {
    const views = [
      { id: 1, title: 'Inbox', active: true, supported: true, unsupportedKinds: [], personal: false },
    ];
    const at = (minute: number) => `2024-06-03T10:${String(minute).padStart(2, '0')}:00Z`;
    const contact = (auditId: number, minute: number, wfmChannel: 'email' | 'chat', reopen = false) => ({
      ticketId: 1,
      auditId,
      at: at(minute),
      viaChannel: wfmChannel,
      wfmChannel,
      viewIds: [1],
      reopen,
    });
    const step = (minute: number, viewIds: number[], channel: 'email' | 'chat' | null) => ({
      ticketId: 1,
      at: at(minute),
      viewIds,
      channel,
    });
    const supportOf = (t: GroundTruth) =>
      expectedQueues(t, { ...window, groupingStrategy: 'ivr', intervalMinutes: 15 }).map((q) => ({
        name: q.name,
        intervals: q.intervals.map((i) => [i.start.slice(11, 16), i.contacts, i.support, i.backlog]),
      }));
    it.each<[string, GroundTruth, ReturnType<typeof supportOf>]>([
      [
        'a reopen is counted with its contact; a ticket enters the backlog at its contact, leaves with the update that takes it out, and the backlog carries on',
        {
          views,
          calls: [],
          unmappedChannels: {},
          interactions: [contact(1, 1, 'email'), contact(3, 31, 'email', true)],
          backlogSteps: [step(1, [1], 'email'), step(20, [], null), step(31, [1], 'email')],
        },
        [
          {
            name: 'Inbox (email)',
            intervals: [
              ['10:00', 1, { reopens: 0, backlogEntered: 1, backlogLeft: 0 }, 1],
              ['10:30', 1, { reopens: 1, backlogEntered: 1, backlogLeft: 0 }, 1],
            ],
          },
        ],
      ],
      [
        'a ticket is in no backlog before its first contact of the window',
        {
          views,
          calls: [],
          unmappedChannels: {},
          interactions: [contact(2, 20, 'email')],
          backlogSteps: [step(5, [1], null), step(20, [1], 'email')],
        },
        [
          {
            name: 'Inbox (email)',
            intervals: [['10:15', 1, { reopens: 0, backlogEntered: 1, backlogLeft: 0 }, 1]],
          },
        ],
      ],
      [
        "a contact in another channel moves the ticket to that channel's queue",
        {
          views,
          calls: [],
          unmappedChannels: {},
          interactions: [contact(1, 1, 'email'), contact(2, 20, 'chat')],
          backlogSteps: [step(1, [1], 'email'), step(20, [1], 'chat')],
        },
        [
          {
            name: 'Inbox (chat)',
            intervals: [['10:15', 1, { reopens: 0, backlogEntered: 1, backlogLeft: 0 }, 1]],
          },
          {
            name: 'Inbox (email)',
            intervals: [['10:00', 1, { reopens: 0, backlogEntered: 1, backlogLeft: 0 }, 1]],
          },
        ],
      ],
      [
        'a view a ticket enters through an update without a contact is a queue with a backlog and no interval',
        {
          views: [
            ...views,
            { id: 2, title: 'Pending', active: true, supported: true, unsupportedKinds: [], personal: false },
          ],
          calls: [],
          unmappedChannels: {},
          interactions: [contact(1, 1, 'email')],
          backlogSteps: [step(1, [1], 'email'), step(20, [2], null)],
        },
        [
          {
            name: 'Inbox (email)',
            intervals: [['10:00', 1, { reopens: 0, backlogEntered: 1, backlogLeft: 0 }, 1]],
          },
          { name: 'Pending (email)', intervals: [] },
        ],
      ],
    ])('%s', (_rule, t, expected) => {
      expect(supportOf(t)).toEqual(expected);
    });

    const stepsOf = (t: GroundTruth) =>
      expectedBacklogSteps(t, { ...window, groupingStrategy: 'ivr', intervalMinutes: 15 }).map((q) => ({
        name: q.name,
        steps: q.steps.map((s) => [s.start.slice(11, 16), s.backlog]),
      }));
    it.each<[string, GroundTruth, ReturnType<typeof stepsOf>]>([
      [
        'the backlog steps include an interval without contacts in which a ticket left',
        {
          views,
          calls: [],
          unmappedChannels: {},
          interactions: [contact(1, 1, 'email'), contact(3, 31, 'email', true)],
          backlogSteps: [step(1, [1], 'email'), step(20, [], null), step(31, [1], 'email')],
        },
        [
          {
            name: 'Inbox (email)',
            steps: [
              ['10:00', 1],
              ['10:15', 0],
              ['10:30', 1],
            ],
          },
        ],
      ],
      [
        "a move to another channel's queue is a step in both",
        {
          views,
          calls: [],
          unmappedChannels: {},
          interactions: [contact(1, 1, 'email'), contact(2, 20, 'chat')],
          backlogSteps: [step(1, [1], 'email'), step(20, [1], 'chat')],
        },
        [
          { name: 'Inbox (chat)', steps: [['10:15', 1]] },
          {
            name: 'Inbox (email)',
            steps: [
              ['10:00', 1],
              ['10:15', 0],
            ],
          },
        ],
      ],
    ])('%s', (_rule, t, expected) => {
      expect(stepsOf(t)).toEqual(expected);
    });
  });

  it('groups calls by receiving number with the phone_number strategy', () => {
    const talkQueues = expectedQueues(truth, {
      ...window,
      groupingStrategy: 'phone_number',
      intervalMinutes: 60,
    }).filter((q) => q.source === 'talk');
    expect(talkQueues).toEqual([
      {
        name: 'Calls Inbound For +4930',
        channel: 'call',
        source: 'talk',
        intervals: [
          {
            start: '2024-06-03T10:00:00.000Z',
            contacts: 3,
            handled: 2,
            handleTimeSeconds: 401,
            ahtSeconds: 200.5,
            talk: talk({
              abandonedInQueue: 1,
              callbacks: 1,
              serviceLevelOffered: 2,
              serviceLevelAnswered: 1,
              answeredCalls: 1,
              answerWaitSeconds: 10,
            }),
            serviceLevelPercent: 50,
            asaSeconds: 10,
          },
        ],
      },
    ]);
  });

  it('counts unmapped channels inside the window', () => {
    expect(unmappedChannelCounts(truth, window)).toEqual({ line: 1 });
    expect(
      unmappedChannelCounts(truth, { since: '2024-06-03T10:30:00Z', until: '2024-06-03T12:00:00Z' }),
    ).toEqual({});
  });

  it('names a bad window bound', () => {
    expect(() =>
      expectedQueues(truth, {
        since: 'yesterday',
        until: window.until,
        groupingStrategy: 'ivr',
        intervalMinutes: 15,
      }),
    ).toThrow('since is not an ISO-8601 instant: yesterday');
  });
});
