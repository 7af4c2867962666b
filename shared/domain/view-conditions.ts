import type { FieldValue, ViewCondition, ViewRecord } from './records.js';
import type { TicketState } from './ticket-state.js';

/**
 * Evaluates Zendesk view conditions against a ticket state at an instant (SPEC §3, zendesk-api.md
 * §4.3). `FIELD_SPECS` is the single list of what the evaluator implements: the view classifier
 * asks `conditionProblem` so a view is only "supported" when every condition can be evaluated here.
 *
 * Semantics chosen where Zendesk's documentation is silent or unconfirmed (each tested):
 * - Orderings: status new < open < pending < hold < solved < closed; priority low < normal < high
 *   < urgent; type question < incident < problem < task (Zendesk's type enumeration). A ticket
 *   with no priority / type satisfies no `less_than` / `greater_than` on it.
 * - "Hours since …" conditions are calendar hours, counted in whole hours elapsed (floor), as
 *   Zendesk counts them: `is 24` holds from 24:00:00 to 24:59:59 after the event, `less_than 2`
 *   before 2:00:00, `greater_than 24` from 25:00:00. An event the state has not seen (a ticket that
 *   was never pending, no due date, a snapshot that does not say when it was assigned) satisfies
 *   none of them. `due_date` counts hours since a passed due date, `until_due_date` hours until a
 *   coming one; neither holds on the other side of the due date.
 * - Custom fields are typed by the value the ticket holds (the view does not carry field types):
 *   a list is a multi-select, a boolean a checkbox (unchecked = false or absent), a number or
 *   numeric string a number, `YYYY-MM-DD` a date, anything else text / drop-down.
 * - A deleted ticket is in no view.
 */

export const STATUS_ORDER = ['new', 'open', 'pending', 'hold', 'solved', 'closed'] as const;
export const PRIORITY_ORDER = ['low', 'normal', 'high', 'urgent'] as const;
export const TYPE_ORDER = ['question', 'incident', 'problem', 'task'] as const;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

type ConditionValue = ViewCondition['value'];

interface FieldSpec {
  readonly operators: readonly string[];
  /** Why this value cannot be evaluated with this operator, or null when it can. */
  readonly valueProblem: (operator: string, value: ConditionValue) => string | null;
  readonly evaluate: (state: TicketState, operator: string, value: ConditionValue, atMs: number) => boolean;
}

/** A scalar or list condition value as words: `"invoice refund"` and `["invoice", "refund"]` alike. */
const words = (value: ConditionValue): string[] => {
  if (value === null) return [];
  const parts = Array.isArray(value) ? value.map(String) : String(value).split(/\s+/);
  return parts.map((part) => part.trim().toLowerCase()).filter((part) => part !== '');
};

const text = (value: ConditionValue): string =>
  (Array.isArray(value) ? value.join(' ') : String(value ?? '')).trim();

const isWholeNumber = (value: ConditionValue): boolean => /^\d+$/.test(text(value));

const invalid = (field: string, value: ConditionValue): string =>
  `unsupported value: ${JSON.stringify(value)} for ${field}`;

const compareOrdered = (
  order: readonly string[],
  actual: string | null,
  operator: string,
  expected: string,
): boolean => {
  const wanted = expected === '' ? null : expected;
  switch (operator) {
    case 'is':
      return actual === wanted;
    case 'is_not':
      return actual !== wanted;
    default: {
      if (actual === null || wanted === null) return false;
      const difference = order.indexOf(actual) - order.indexOf(wanted);
      return operator === 'less_than' ? difference < 0 : difference > 0;
    }
  }
};

const orderedField = (
  field: string,
  order: readonly string[],
  read: (state: TicketState) => string | null,
  allowNone: boolean,
): FieldSpec => ({
  operators: ['is', 'is_not', 'less_than', 'greater_than'],
  valueProblem: (operator, value) => {
    const wanted = text(value).toLowerCase();
    if (wanted === '' && allowNone && (operator === 'is' || operator === 'is_not')) return null;
    return order.includes(wanted) ? null : invalid(field, value);
  },
  evaluate: (state, operator, value) => {
    const actual = read(state);
    // A value outside the ordering (a custom or future status) is only ever equal to itself.
    const known = actual === null || order.includes(actual) ? actual : null;
    if ((operator === 'less_than' || operator === 'greater_than') && known === null) return false;
    return compareOrdered(order, actual, operator, text(value).toLowerCase());
  },
});

/** `is` / `is_not` on an id; `""` means none; `aliases` name another id field of the same ticket. */
const idField = (
  field: string,
  read: (state: TicketState) => number | null,
  aliases: Readonly<Record<string, (state: TicketState) => number | null>> = {},
): FieldSpec => ({
  operators: ['is', 'is_not'],
  valueProblem: (_operator, value) => {
    const wanted = text(value);
    return wanted === '' || /^\d+$/.test(wanted) || Object.hasOwn(aliases, wanted)
      ? null
      : invalid(field, value);
  },
  evaluate: (state, operator, value) => {
    const wanted = text(value);
    const alias = Object.hasOwn(aliases, wanted) ? aliases[wanted] : undefined;
    const expected = alias !== undefined ? alias(state) : wanted === '' ? null : Number(wanted);
    const actual = read(state);
    // "assignee is requester" on a ticket with neither is not a match: there is no such person.
    const equal = alias !== undefined ? actual !== null && actual === expected : actual === expected;
    return operator === 'is' ? equal : !equal;
  },
});

const customStatusField: FieldSpec = {
  operators: ['is', 'is_not', 'includes', 'not_includes'],
  valueProblem: (operator, value) => {
    const ids = words(value);
    if (ids.length === 0 || !ids.every((id) => /^\d+$/.test(id))) return invalid('custom_status_id', value);
    return (operator === 'is' || operator === 'is_not') && ids.length > 1
      ? invalid('custom_status_id', value)
      : null;
  },
  evaluate: (state, operator, value) => {
    const inList = state.customStatusId !== null && words(value).map(Number).includes(state.customStatusId);
    return operator === 'is' || operator === 'includes' ? inList : !inList;
  },
};

const tagsField: FieldSpec = {
  operators: ['includes', 'not_includes'],
  valueProblem: (_operator, value) => (words(value).length === 0 ? invalid('current_tags', value) : null),
  // Zendesk: "contains at least one of the following" / "contains none of the following".
  evaluate: (state, operator, value) => {
    const any = words(value).some((tag) => state.tags.includes(tag));
    return operator === 'includes' ? any : !any;
  },
};

/** A calendar-hours condition measured from `since(state)` forward to the instant, or `until` it. */
const hoursField = (
  field: string,
  read: (state: TicketState) => string | null,
  direction: 'since' | 'until' = 'since',
): FieldSpec => ({
  operators: ['is', 'less_than', 'greater_than'],
  valueProblem: (_operator, value) => (isWholeNumber(value) ? null : invalid(field, value)),
  evaluate: (state, operator, value, atMs) => {
    const stamp = read(state);
    if (stamp === null) return false;
    const elapsedMs = direction === 'since' ? atMs - Date.parse(stamp) : Date.parse(stamp) - atMs;
    if (elapsedMs < 0) return false;
    const hours = Math.floor(elapsedMs / HOUR_MS);
    const limit = Number(text(value));
    if (operator === 'is') return hours === limit;
    return operator === 'less_than' ? hours < limit : hours > limit;
  },
});

const DATE = /^(\d{4}-\d{2}-\d{2})/;
const numeric = (value: FieldValue | ConditionValue): number | null => {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return null;
};
const dateOf = (value: FieldValue | ConditionValue): string | null =>
  typeof value === 'string' ? (DATE.exec(value.trim())?.[1] ?? null) : null;
const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

const isPresent = (actual: FieldValue): boolean =>
  actual !== null && actual !== '' && actual !== false && !(Array.isArray(actual) && actual.length === 0);

const customEquals = (actual: FieldValue, value: ConditionValue): boolean => {
  const wanted = text(value);
  if (Array.isArray(actual))
    return actual.map((option) => option.toLowerCase()).includes(wanted.toLowerCase());
  if (typeof actual === 'boolean' || actual === null) {
    if (wanted === 'true') return actual === true;
    if (wanted === 'false') return actual !== true;
    return actual === null && wanted === '';
  }
  const actualNumber = numeric(actual);
  const wantedNumber = numeric(wanted);
  if (actualNumber !== null && wantedNumber !== null) return actualNumber === wantedNumber;
  return String(actual) === wanted;
};

const customCompare = (actual: FieldValue, operator: string, value: ConditionValue): boolean => {
  const actualNumber = numeric(actual);
  const wantedNumber = numeric(text(value));
  let difference: number | null = null;
  if (actualNumber !== null && wantedNumber !== null) difference = actualNumber - wantedNumber;
  else {
    const actualDate = dateOf(actual);
    const wantedDate = dateOf(text(value));
    if (actualDate !== null && wantedDate !== null) difference = actualDate.localeCompare(wantedDate);
  }
  if (difference === null) return false;
  return operator === 'less_than' ? difference < 0 : difference > 0;
};

const customField = (field: string, fieldId: string): FieldSpec => ({
  operators: [
    'is',
    'is_not',
    'present',
    'not_present',
    'less_than',
    'greater_than',
    'includes',
    'not_includes',
    'within_previous_n_days',
    'within_next_n_days',
  ],
  valueProblem: (operator, value) => {
    switch (operator) {
      case 'present':
      case 'not_present':
      case 'is':
      case 'is_not':
        return null;
      case 'within_previous_n_days':
      case 'within_next_n_days':
        return isWholeNumber(value) ? null : invalid(field, value);
      case 'less_than':
      case 'greater_than':
        return numeric(text(value)) !== null || dateOf(text(value)) !== null ? null : invalid(field, value);
      default:
        return words(value).length > 0 ? null : invalid(field, value);
    }
  },
  evaluate: (state, operator, value, atMs) => {
    const actual: FieldValue = state.customFields[fieldId] ?? null;
    switch (operator) {
      case 'present':
        return isPresent(actual);
      case 'not_present':
        return !isPresent(actual);
      case 'is':
        return customEquals(actual, value);
      case 'is_not':
        return !customEquals(actual, value);
      case 'less_than':
      case 'greater_than':
        return customCompare(actual, operator, value);
      case 'includes':
      case 'not_includes': {
        const held = Array.isArray(actual)
          ? actual.map((option) => option.toLowerCase())
          : words(text(actual));
        const any = words(value).some((word) => held.includes(word));
        return operator === 'includes' ? any : !any;
      }
      default: {
        const date = dateOf(actual);
        if (date === null) return false;
        const days = Number(text(value));
        const today = dayOf(atMs);
        return operator === 'within_previous_n_days'
          ? date <= today && date >= dayOf(atMs - days * DAY_MS)
          : date >= today && date <= dayOf(atMs + days * DAY_MS);
      }
    }
  },
});

const FIELD_SPECS: Readonly<Record<string, FieldSpec>> = {
  status: orderedField('status', STATUS_ORDER, (state) => state.status, false),
  priority: orderedField('priority', PRIORITY_ORDER, (state) => state.priority, true),
  type: orderedField('type', TYPE_ORDER, (state) => state.type, true),
  group_id: idField('group_id', (state) => state.groupId),
  assignee_id: idField('assignee_id', (state) => state.assigneeId, {
    requester_id: (state) => state.requesterId,
  }),
  requester_id: idField('requester_id', (state) => state.requesterId, {
    assignee_id: (state) => state.assigneeId,
  }),
  organization_id: idField('organization_id', (state) => state.organizationId),
  brand_id: idField('brand_id', (state) => state.brandId),
  ticket_form_id: idField('ticket_form_id', (state) => state.ticketFormId),
  custom_status_id: customStatusField,
  current_tags: tagsField,
  NEW: hoursField('NEW', (state) => state.createdAt),
  OPEN: hoursField('OPEN', (state) => state.statusEnteredAt['open'] ?? null),
  PENDING: hoursField('PENDING', (state) => state.statusEnteredAt['pending'] ?? null),
  HOLD: hoursField('HOLD', (state) => state.statusEnteredAt['hold'] ?? null),
  SOLVED: hoursField('SOLVED', (state) => state.statusEnteredAt['solved'] ?? null),
  CLOSED: hoursField('CLOSED', (state) => state.statusEnteredAt['closed'] ?? null),
  assigned_at: hoursField('assigned_at', (state) => state.assignedAt),
  updated_at: hoursField('updated_at', (state) => state.updatedAt),
  requester_updated_at: hoursField('requester_updated_at', (state) => state.requesterUpdatedAt),
  assignee_updated_at: hoursField('assignee_updated_at', (state) => state.assigneeUpdatedAt),
  due_date: hoursField('due_date', (state) => state.dueAt),
  until_due_date: hoursField('until_due_date', (state) => state.dueAt, 'until'),
};

/** Every field the evaluator implements (custom fields as their `custom_fields_<id>` pattern). */
export const EVALUATED_FIELDS: readonly string[] = [...Object.keys(FIELD_SPECS), 'custom_fields_<id>'];

const CUSTOM_FIELD = /^custom_fields_(\d+)$/;

const specOf = (field: string): FieldSpec | undefined => {
  if (Object.hasOwn(FIELD_SPECS, field)) return FIELD_SPECS[field];
  const custom = CUSTOM_FIELD.exec(field);
  return custom?.[1] !== undefined ? customField(field, custom[1]) : undefined;
};

/** Why the evaluator cannot evaluate this condition (naming the field, operator or value), or null. */
export const conditionProblem = (condition: ViewCondition): string | null => {
  const spec = specOf(condition.field);
  if (spec === undefined) return `unsupported field: ${condition.field}`;
  if (!spec.operators.includes(condition.operator)) {
    return `unsupported operator: ${condition.operator} on ${condition.field}`;
  }
  return spec.valueProblem(condition.operator, condition.value);
};

/** One condition; a condition the evaluator cannot evaluate never holds. */
export const conditionHolds = (condition: ViewCondition, state: TicketState, atMs: number): boolean => {
  const spec = specOf(condition.field);
  if (spec === undefined || conditionProblem(condition) !== null) return false;
  return spec.evaluate(state, condition.operator, condition.value, atMs);
};

const instant = (at: string): number => {
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) throw new Error(`at is not a timestamp: ${JSON.stringify(at)}`);
  return ms;
};

/**
 * Whether the ticket is in the view at `at` (ISO): every `all` condition holds and, when `any` is
 * not empty, at least one of them. Only meaningful for supported views (`classifyView`): a
 * condition it cannot evaluate is treated as not holding, so an unsupported view matches less,
 * never more, and never throws mid-batch.
 */
export const viewMatches = (view: ViewRecord, state: TicketState, at: string): boolean => {
  const atMs = instant(at);
  if (state.status === 'deleted') return false;
  const { all, any } = view.conditions;
  if (!all.every((condition) => conditionHolds(condition, state, atMs))) return false;
  return any.length === 0 || any.some((condition) => conditionHolds(condition, state, atMs));
};
