import type { ViewCondition, ViewRecord } from './records.js';
import { conditionProblem } from './view-conditions.js';

/**
 * Whether a Zendesk view can become source queues (SPEC §3 "Supported and unsupported views").
 * A view is unsupported when any condition, in `all` or `any`, falls in a category the product
 * refuses (business hours, SLA, channel, skills, user-specific values, change operators) or is one
 * the evaluator does not implement. Every reason is reported, once, in condition order; the CLI
 * prints them verbatim.
 */
export interface ViewSupport {
  readonly supported: boolean;
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

export const classifyView = (view: ViewRecord): ViewSupport => {
  const reasons: string[] = [];
  for (const condition of [...view.conditions.all, ...view.conditions.any]) {
    const refused = categoryReasons(condition);
    // A refused condition is not also reported as "unsupported": its category already says why.
    const found =
      refused.length > 0 ? refused : [conditionProblem(condition)].filter((r): r is string => r !== null);
    for (const reason of found) if (!reasons.includes(reason)) reasons.push(reason);
  }
  return { supported: reasons.length === 0, reasons };
};
