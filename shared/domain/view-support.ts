/**
 * Whether a Zendesk view can become source queues (SPEC §3 "Supported and unsupported views").
 * A view is unsupported when any condition, in `all` or `any`, falls in a category the product
 * refuses (business hours, SLA, channel, skills, user-specific values, change operators) or is one
 * the evaluator does not implement. Every reason is reported, once, in condition order; the CLI
 * prints them verbatim.
 */
import type { ViewCondition, ViewRecord } from './records.js';
import { conditionProblem } from './view-conditions.js';

export interface ViewSupport {
  readonly supported: boolean;
  /** `personal`: a view restricted to one user, not counted unless the integration includes them. */
  readonly verdict: 'supported' | 'unsupported' | 'personal';
  readonly reasons: readonly string[];
}

export const BUSINESS_HOURS_OPERATORS: readonly string[] = [
  'is_business_hours',
  'less_than_business_hours',
  'greater_than_business_hours',
];
export const SLA_FIELDS: readonly string[] = ['sla_next_breach_at', 'until_sla_next_breach_at'];
/** `via_id` is the ticket's channel; `current_via_id` the channel of the update. The product splits by channel itself. */
export const CHANNEL_FIELDS: readonly string[] = ['via_id', 'current_via_id'];
export const SKILL_FIELDS: readonly string[] = ['skills_match'];
/** Values that stand for whoever looks at the view (zendesk-api.md §4.3; `current_groups` is inferred there). */
export const USER_SPECIFIC_VALUES: readonly string[] = ['current_user', 'current_groups'];
export const CHANGE_OPERATORS: readonly string[] = [
  'changed',
  'not_changed',
  'value',
  'not_value',
  'value_previous',
  'not_value_previous',
  'changed_to',
  'changed_from',
  'not_changed_to',
  'not_changed_from',
];

/**
 * Conditions of triggers and automations only (zendesk-api.md §4.3): the update's own comment,
 * subject, type and author role, reopens, replies, stations, business hours and schedules,
 * attachments, the requester's, user's and organization's custom fields. Views cannot use them;
 * `cc`, which the reference lists for triggers, is also the views editor's "CC'd" and is supported.
 * Privacy (`ticket_is_public`) is not among them: Zendesk's views article lists "Ticket: Privacy"
 * among the view conditions, though zendesk-api.md's sources list it for triggers and automations.
 */
export const TRIGGER_AND_AUTOMATION_FIELDS: readonly string[] = [
  'comment_is_public',
  'comment_includes_word',
  'subject_includes_word',
  'update_type',
  'requester_role',
  'role',
  'reopens',
  'replies',
  'agent_stations',
  'group_stations',
  'in_business_hours',
  'is_business_hours',
  'within_schedule',
  'attachment',
  'requester_twitter_followers_count',
  'requester_twitter_statuses_count',
  'requester_twitter_verified',
];

const valueWords = (value: ViewCondition['value']): string[] =>
  (Array.isArray(value) ? value.map(String) : [String(value ?? '')]).flatMap((part) =>
    part.trim().split(/\s+/),
  );

/** The refused categories this condition falls into (several are possible: SLA in business hours). */
const categoryReasons = (condition: ViewCondition): string[] => {
  const { field, operator } = condition;
  const reasons: string[] = [];
  if (BUSINESS_HOURS_OPERATORS.includes(operator))
    reasons.push(`uses business hours (${operator} on ${field})`);
  if (SLA_FIELDS.includes(field)) reasons.push(`uses SLA (${field})`);
  if (CHANNEL_FIELDS.includes(field)) reasons.push(`uses ${field} (channel)`);
  if (SKILL_FIELDS.includes(field)) reasons.push(`uses skills (${field})`);
  for (const value of USER_SPECIFIC_VALUES) {
    if (valueWords(condition.value).includes(value)) reasons.push(`uses ${value} on ${field}`);
  }
  if (CHANGE_OPERATORS.includes(operator)) reasons.push(`uses change operator (${operator} on ${field})`);
  return reasons;
};

/** Where a Zendesk view condition stands: evaluated as Zendesk does, or refused for a named category. */
export type ConditionVerdict =
  | 'supported'
  | 'refused: business hours'
  | 'refused: SLA'
  | 'refused: channel'
  | 'refused: skills'
  | 'refused: user-specific value'
  | 'refused: change operator'
  | 'not a view condition';

export interface ViewConditionRow {
  /** The condition as Zendesk's view editor names it. */
  readonly condition: string;
  /** Its API field(s); `<id>` stands for a custom field or custom status id. */
  readonly fields: readonly string[];
  readonly verdict: ConditionVerdict;
}

/**
 * Every condition a Zendesk view can use (Zendesk's views conditions reference), with its verdict.
 * The only refused categories are the seed's (business hours, SLA, the ticket channel, skills,
 * user-specific values) and the change operators, which views cannot use. Every `supported` row
 * is implemented by `view-conditions.ts` (a test checks the two agree).
 */
export const VIEW_CONDITIONS: readonly ViewConditionRow[] = [
  { condition: 'Status / Status category', fields: ['status'], verdict: 'supported' },
  { condition: 'Ticket status (custom status)', fields: ['custom_status_id'], verdict: 'supported' },
  { condition: 'Type', fields: ['type'], verdict: 'supported' },
  { condition: 'Priority', fields: ['priority'], verdict: 'supported' },
  {
    condition: 'Group (incl. none and "(assigned group)": `assigned_group` or the label itself)',
    fields: ['group_id'],
    verdict: 'supported',
  },
  { condition: 'Assignee (incl. none, the requester)', fields: ['assignee_id'], verdict: 'supported' },
  { condition: 'Requester (incl. the assignee)', fields: ['requester_id'], verdict: 'supported' },
  { condition: 'Organization', fields: ['organization_id'], verdict: 'supported' },
  { condition: 'Brand', fields: ['brand_id'], verdict: 'supported' },
  { condition: 'Ticket form', fields: ['ticket_form_id'], verdict: 'supported' },
  {
    condition: 'Service catalog form (the ticket form of a service catalog item)',
    fields: ['service_catalog_form_id', 'service_catalog_form'],
    verdict: 'supported',
  },
  { condition: 'Tags', fields: ['current_tags'], verdict: 'supported' },
  { condition: 'Received at', fields: ['recipient'], verdict: 'supported' },
  {
    condition: 'Privacy (ticket has / has no public comments)',
    fields: ['ticket_is_public'],
    verdict: 'supported',
  },
  { condition: 'Requester language', fields: ['locale_id'], verdict: 'supported' },
  { condition: 'Satisfaction', fields: ['satisfaction_score'], verdict: 'supported' },
  { condition: 'Satisfaction reason', fields: ['satisfaction_reason_code'], verdict: 'supported' },
  {
    condition: 'Description contains words / string',
    fields: ['description_includes_word'],
    verdict: 'supported',
  },
  { condition: 'Integration account', fields: ['via_subtype_id'], verdict: 'supported' },
  { condition: "CC'd", fields: ['cc', 'email_cc'], verdict: 'supported' },
  { condition: 'Followers', fields: ['follower'], verdict: 'supported' },
  { condition: 'Ticket sharing: sent to', fields: ['sent_to'], verdict: 'supported' },
  { condition: 'Ticket sharing: received from', fields: ['received_from'], verdict: 'supported' },
  { condition: 'Support type (`agent` / `ai_agent`)', fields: ['support_type'], verdict: 'supported' },
  {
    condition: 'Custom fields (drop-down, multi-select, checkbox that adds a tag, date, lookup)',
    fields: ['custom_fields_<id>'],
    verdict: 'supported',
  },
  { condition: 'Hours since created', fields: ['NEW'], verdict: 'supported' },
  {
    condition: 'Hours since open / pending / on-hold / solved / closed',
    fields: ['OPEN', 'PENDING', 'HOLD', 'SOLVED', 'CLOSED'],
    verdict: 'supported',
  },
  { condition: 'Hours since a custom status', fields: ['custom_status_<id>'], verdict: 'supported' },
  { condition: 'Hours since assigned', fields: ['assigned_at'], verdict: 'supported' },
  { condition: 'Hours since update', fields: ['updated_at'], verdict: 'supported' },
  { condition: 'Hours since requester update', fields: ['requester_updated_at'], verdict: 'supported' },
  { condition: 'Hours since assignee update', fields: ['assignee_updated_at'], verdict: 'supported' },
  { condition: 'Hours since due date', fields: ['due_date', 'due_at'], verdict: 'supported' },
  { condition: 'Hours until due date', fields: ['until_due_date', 'until_due_at'], verdict: 'supported' },
  {
    condition: 'Any hours condition in business hours',
    fields: BUSINESS_HOURS_OPERATORS,
    verdict: 'refused: business hours',
  },
  { condition: 'Hours since last / until next SLA breach', fields: SLA_FIELDS, verdict: 'refused: SLA' },
  { condition: 'Channel / Update via', fields: CHANNEL_FIELDS, verdict: 'refused: channel' },
  { condition: 'Skills', fields: SKILL_FIELDS, verdict: 'refused: skills' },
  {
    condition: "(current user), (current user's groups)",
    fields: USER_SPECIFIC_VALUES,
    verdict: 'refused: user-specific value',
  },
  {
    condition: 'Changed / changed to / changed from … (triggers only)',
    fields: CHANGE_OPERATORS,
    verdict: 'refused: change operator',
  },
  {
    // Zendesk's conditions reference allows these in triggers (and some in automations), not in
    // views: a view that carried one is unsupported, naming the field.
    condition: 'Trigger and automation conditions (the update, its comment, stations, schedules …)',
    fields: TRIGGER_AND_AUTOMATION_FIELDS,
    verdict: 'not a view condition',
  },
];

/**
 * The reason of a view without conditions: evaluated as it stands it would hold every ticket of the
 * account, in every channel, solved and closed ones included.
 */
export const NO_CONDITIONS =
  'no conditions: Zendesk saves a view only with an ALL condition (on status, type, group, assignee or requester), so its conditions were not read whole';

export interface ClassifyOptions {
  /** Count personal views (restricted to one user) as queues: the integration's opt-in, off by default. */
  readonly includePersonal?: boolean;
}

/**
 * The verdict of a view. A view the compaction could not fully read gets a reason per unreadable
 * condition, naming it; a personal view (restricted to one user) is one agent's list, not a team
 * queue: its verdict is "personal" unless the integration opts in, and then it is judged like any
 * other view.
 */
export const classifyView = (view: ViewRecord, options: ClassifyOptions = {}): ViewSupport => {
  const reasons: string[] = [...(view.problems ?? [])];
  // Zendesk saves no view without conditions: one read without them was not read whole (its
  // problems say why, when the compaction knew). ANY conditions alone are evaluated as Zendesk
  // documents them (all of none holds).
  if (view.conditions.all.length === 0 && view.conditions.any.length === 0 && reasons.length === 0)
    reasons.push(NO_CONDITIONS);
  for (const condition of [...view.conditions.all, ...view.conditions.any]) {
    const refused = categoryReasons(condition);
    // A refused condition is not also reported as "unsupported": its category already says why.
    const found =
      refused.length > 0 ? refused : [conditionProblem(condition)].filter((r): r is string => r !== null);
    for (const reason of found) if (!reasons.includes(reason)) reasons.push(reason);
  }
  const personal = view.restriction?.type === 'User';
  if (personal && options.includePersonal !== true) {
    return {
      supported: false,
      verdict: 'personal',
      reasons: [personalReason(view), ...reasons],
    };
  }
  const supported = reasons.length === 0;
  return { supported, verdict: supported ? 'supported' : 'unsupported', reasons };
};

const personalReason = (view: ViewRecord): string => {
  const ids = view.restriction?.ids ?? [];
  return `personal view (restricted to user ${ids.join(', ') || 'unknown'}): one agent's list, not a team queue; counted only when the integration includes personal views`;
};
