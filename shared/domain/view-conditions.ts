import { hasPhrase, hasWord, partTermOf, partWordOf } from './description-terms.js';
import type { FieldValue, ViewCondition, ViewRecord } from './records.js';
import { ccsOf, isUnkeptText, type TicketState } from './ticket-state.js';
import { addDays, dayIn, instantOfLocal } from './time-zones.js';

/**
 * Evaluates Zendesk view conditions against a ticket state at an instant (SPEC §3, zendesk-api.md
 * §4.3), as Zendesk's conditions reference documents them. `FIELD_SPECS` is the single list of what
 * the evaluator implements: the view classifier asks `conditionProblem` so a view is only
 * "supported" when every condition can be evaluated here.
 *
 * Zendesk's documented rules (each pinned by a test row named after it):
 * - "Hours since open / pending / on-hold / solved / closed" holds only while the ticket is still in
 *   that status (with custom statuses: that status category), measured from when it entered it.
 * - "Priority is less than Urgent returns all tickets that are not urgent": a ticket without a
 *   priority is below every priority, so `less_than` includes it and `greater_than` never does.
 * - "Hours until … less than conditions are inclusive; all other time-based conditions are
 *   exclusive."
 * - Hours are whole numbers; a decimal is read as the whole hours it contains ("1.5" is 1).
 * - "Hours since / until due date" are for tickets of type Task; a due date refers to 12:00 in the
 *   account's time zone on its date (a timestamp's date in that zone).
 * - Date custom fields ("within the previous / next N days") count the account's calendar days.
 *
 * Semantics chosen where Zendesk's documentation is silent (each tested):
 * - Orderings: status new < open < pending < hold < solved < closed; priority (none) < low < normal
 *   < high < urgent; type question < incident < problem < task (Zendesk's type enumeration); a
 *   ticket with no type satisfies no `less_than` / `greater_than` on it.
 * - "Hours since …" are calendar hours counted in whole hours elapsed (floor): `is 24` holds from
 *   24:00:00 to 24:59:59 after the event, `less_than 2` before 2:00:00, `greater_than 24` from
 *   25:00:00. An event the state has not seen satisfies none of them. `due_date` counts hours since
 *   a passed due date, `until_due_date` hours until a coming one; neither holds on the other side.
 * - Custom fields are typed by the value the ticket holds (the view does not carry field types): a
 *   list is a multi-select, a boolean (or a checkbox value compared with true / false) a checkbox,
 *   a number or numeric string a number, `YYYY-MM-DD` a date, anything else text / drop-down.
 *   Zendesk lets views use drop-down, multi-select, checkbox, date and lookup fields only (no
 *   number or text), so `present` never holds on an unchecked checkbox (`false`, `"0"`, 0); a
 *   drop-down option whose tag is "0" or "false" reads as absent too (rare; the checkbox is not).
 * - A deleted ticket is in no view.
 */

/** What a condition needs beyond the ticket: the account's time zone and the requesters' languages. */
export interface ViewContext {
  /** The account's IANA time zone (Zendesk account settings, `localization.iana_time_zone`). */
  readonly timeZone: string;
  /** The requester's language (`locale_id` of the user record), null when not known. */
  readonly localeOf?: (userId: number) => number | null;
}

export const UTC_CONTEXT: ViewContext = { timeZone: 'UTC' };

export const STATUS_ORDER = ['new', 'open', 'pending', 'hold', 'solved', 'closed'] as const;
export const PRIORITY_ORDER = ['low', 'normal', 'high', 'urgent'] as const;
export const TYPE_ORDER = ['question', 'incident', 'problem', 'task'] as const;
/** Zendesk's satisfaction values, worst to best (an assumption: the reference lists but does not order them). */
export const SATISFACTION_ORDER = [
  'unoffered',
  'offered',
  'bad_with_comment',
  'bad',
  'good',
  'good_with_comment',
] as const;

const HOUR_MS = 3_600_000;

type ConditionValue = ViewCondition['value'];

interface FieldSpec {
  readonly operators: readonly string[];
  /** Why this value cannot be evaluated with this operator, or null when it can. */
  readonly valueProblem: (operator: string, value: ConditionValue) => string | null;
  readonly evaluate: (
    state: TicketState,
    operator: string,
    value: ConditionValue,
    atMs: number,
    context: ViewContext,
  ) => boolean;
}

const wordsOf = (value: ConditionValue): readonly string[] => {
  if (value === null) return [];
  const parts = Array.isArray(value) ? value.map(String) : String(value).split(/\s+/);
  return parts.map((part) => part.trim().toLowerCase()).filter((part) => part !== '');
};

/**
 * A view's few condition values are split again at every update of every ticket; kept once split
 * (a list by identity, a scalar by its text; emptied past a bound, since a ticket's own values pass
 * here too).
 */
const WORDS_KEPT = 4_096;
const wordsOfText = new Map<string, readonly string[]>();
const wordsOfList = new WeakMap<readonly (string | number)[], readonly string[]>();

/** A scalar or list condition value as words: `"invoice refund"` and `["invoice", "refund"]` alike. */
const words = (value: ConditionValue): readonly string[] => {
  if (Array.isArray(value)) {
    const list = value as readonly (string | number)[];
    let kept = wordsOfList.get(list);
    if (kept === undefined) wordsOfList.set(list, (kept = wordsOf(value)));
    return kept;
  }
  const key = typeof value === 'string' ? value : String(value);
  let kept = wordsOfText.get(key);
  if (kept === undefined) {
    if (wordsOfText.size >= WORDS_KEPT) wordsOfText.clear();
    wordsOfText.set(key, (kept = wordsOf(value)));
  }
  return kept;
};

const text = (value: ConditionValue): string =>
  (Array.isArray(value) ? value.join(' ') : String(value ?? '')).trim();

/** Whole hours: "24", and a decimal read as the whole hours it contains ("1.5" is 1). */
const HOURS = /^\d+(?:\.\d*)?$/;
const hoursOf = (value: ConditionValue): number => Math.floor(Number(text(value)));
const isWholeNumber = (value: ConditionValue): boolean => /^\d+$/.test(text(value));

const invalid = (field: string, value: ConditionValue): string =>
  `unsupported value: ${JSON.stringify(value)} for ${field}`;

const compareOrdered = (
  order: readonly string[],
  actual: string | null,
  operator: string,
  expected: string,
  noneIsLowest: boolean,
): boolean => {
  const wanted = expected === '' ? null : expected;
  switch (operator) {
    case 'is':
      return actual === wanted;
    case 'is_not':
      return actual !== wanted;
    default: {
      if (wanted === null) return false;
      if (actual === null) return noneIsLowest && operator === 'less_than';
      const difference = order.indexOf(actual) - order.indexOf(wanted);
      return operator === 'less_than' ? difference < 0 : difference > 0;
    }
  }
};

const orderedField = (
  field: string,
  order: readonly string[],
  read: (state: TicketState) => string | null,
  options: { readonly allowNone: boolean; readonly noneIsLowest?: boolean },
): FieldSpec => ({
  operators: ['is', 'is_not', 'less_than', 'greater_than'],
  valueProblem: (operator, value) => {
    const wanted = text(value).toLowerCase();
    if (wanted === '' && options.allowNone && (operator === 'is' || operator === 'is_not')) return null;
    return order.includes(wanted) ? null : invalid(field, value);
  },
  evaluate: (state, operator, value) => {
    const actual = read(state);
    // A value outside the ordering (a custom or future value) is only ever equal to itself.
    if (
      (operator === 'less_than' || operator === 'greater_than') &&
      actual !== null &&
      !order.includes(actual)
    )
      return false;
    return compareOrdered(order, actual, operator, text(value).toLowerCase(), options.noneIsLowest ?? false);
  },
});

/** `is` / `is_not` on an id; `""` means none; `aliases` name another id field of the same ticket. */
const idField = (
  field: string,
  read: (state: TicketState, context: ViewContext) => number | null,
  aliases: Readonly<Record<string, (state: TicketState) => number | null>> = {},
): FieldSpec => ({
  operators: ['is', 'is_not'],
  valueProblem: (_operator, value) => {
    const wanted = text(value);
    return wanted === '' || /^\d+$/.test(wanted) || Object.hasOwn(aliases, wanted)
      ? null
      : invalid(field, value);
  },
  evaluate: (state, operator, value, _atMs, context) => {
    const wanted = text(value);
    const alias = Object.hasOwn(aliases, wanted) ? aliases[wanted] : undefined;
    const expected = alias !== undefined ? alias(state) : wanted === '' ? null : Number(wanted);
    const actual = read(state, context);
    // "assignee is requester" on a ticket with neither is not a match: there is no such person.
    const equal = alias !== undefined ? actual !== null && actual === expected : actual === expected;
    return operator === 'is' ? equal : !equal;
  },
});

/** The support type of every ticket the exports send at their default `support_type_scope`. */
const SUPPORT_TYPE_OF_EXPORTED_TICKETS = 'agent';

/** `is` / `is_not` on a text value (case-insensitive); `""` means none. */
const textField = (read: (state: TicketState) => string | null | undefined): FieldSpec => ({
  operators: ['is', 'is_not'],
  valueProblem: () => null,
  evaluate: (state, operator, value) => {
    const wanted = text(value).toLowerCase();
    const equal = (read(state) ?? null) === (wanted === '' ? null : wanted);
    return operator === 'is' ? equal : !equal;
  },
});

/**
 * "Received at": `is` one of the addresses (Zendesk: "received by one or more email addresses"; a
 * list, or addresses separated by spaces or commas), `is_not` none of them; `""` means none.
 */
const recipientField: FieldSpec = {
  operators: ['is', 'is_not'],
  valueProblem: () => null,
  evaluate: (state, operator, value) => {
    const addresses = words(value)
      .flatMap((part) => part.split(','))
      .filter((part) => part !== '');
    const recipient = state.recipient ?? null;
    const holds =
      addresses.length === 0 ? recipient === null : recipient !== null && addresses.includes(recipient);
    return operator === 'is' ? holds : !holds;
  },
};

/**
 * "Privacy": whether the ticket has public comments (Zendesk: "Ticket has public comments" /
 * "Ticket has no public comments"). The values are `public` / `private` (zendesk-api.md §4.3); the
 * field's name invites `true` / `false` too, read as public / private. A ticket whose count is not
 * known reads as public (`publicComments`).
 */
const PRIVACY_VALUES: Readonly<Record<string, boolean>> = {
  public: true,
  true: true,
  private: false,
  false: false,
};
const privacyField: FieldSpec = {
  operators: ['is', 'is_not'],
  valueProblem: (_operator, value) =>
    Object.hasOwn(PRIVACY_VALUES, text(value).toLowerCase()) ? null : invalid('ticket_is_public', value),
  evaluate: (state, operator, value) => {
    const hasPublicComments = (state.publicComments ?? 1) > 0;
    const holds = PRIVACY_VALUES[text(value).toLowerCase()] === hasPublicComments;
    return operator === 'is' ? holds : !holds;
  },
};

/**
 * A list of user or agreement ids the ticket holds (CCs, followers, sharing agreements): `is` /
 * `includes` holds when the id is among them, `is_not` / `not_includes` when it is not; `present` /
 * `not_present`, and `is` / `is_not` with `""`, ask whether there is any.
 */
const idListField = (
  field: string,
  read: (state: TicketState) => readonly number[] | undefined,
): FieldSpec => ({
  operators: ['is', 'is_not', 'includes', 'not_includes', 'present', 'not_present'],
  valueProblem: (operator, value) => {
    if (operator === 'present' || operator === 'not_present') return null;
    const ids = words(value);
    if ((operator === 'is' || operator === 'is_not') && ids.length === 0) return null;
    return ids.length > 0 && ids.every((id) => /^\d+$/.test(id)) ? null : invalid(field, value);
  },
  evaluate: (state, operator, value) => {
    const held = read(state) ?? [];
    const ids = words(value).map(Number);
    const positive = operator === 'is' || operator === 'includes' || operator === 'present';
    const holds =
      ids.length === 0 || operator === 'present' || operator === 'not_present'
        ? held.length > 0
        : ids.some((id) => held.includes(id));
    return positive ? holds : !holds;
  },
});

/**
 * "Sent to" / "received from" a sharing agreement: `is` / `is_not` an agreement id. Both read the
 * agreements the ticket is shared through (an agreement goes one way), so neither may ask for
 * "any" (`present`, an empty value): that would not tell sent from received.
 */
const sharingField = (field: string): FieldSpec => {
  const list = idListField(field, (state) => state.sharingAgreementIds);
  return {
    ...list,
    operators: ['is', 'is_not'],
    valueProblem: (operator, value) =>
      words(value).length === 0 ? invalid(field, value) : list.valueProblem(operator, value),
  };
};

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

/**
 * "Description contains …" on the first comment: `includes` at least one of the words, `not_includes`
 * none of them; `is` contains the string, `is_not` does not (Zendesk's four operators; some payloads
 * say `contains` / `not_contains` for the string forms). A word of `includes` / `not_includes` also
 * matches a description word containing it, as Zendesk documents ("none" finds "nonetheless"):
 * through the integration's search words its description was found to contain when it was read
 * (`descriptionPartsFound`); a word that was not among them then is matched whole.
 */
const containsPart = (state: TicketState, token: string): boolean => {
  const word = partWordOf(token);
  return word !== null && (state.descriptionPartsFound ?? []).includes(partTermOf(word));
};

const descriptionField: FieldSpec = {
  operators: ['includes', 'not_includes', 'is', 'is_not', 'contains', 'not_contains'],
  valueProblem: (_operator, value) =>
    words(value).length === 0 ? invalid('description_includes_word', value) : null,
  evaluate: (state, operator, value) => {
    const terms = state.descriptionTerms ?? [];
    const holds =
      operator === 'includes' || operator === 'not_includes'
        ? words(value).some((word) => hasWord(terms, word) || containsPart(state, word))
        : hasPhrase(terms, text(value));
    return operator === 'includes' || operator === 'is' || operator === 'contains' ? holds : !holds;
  },
};

/** The satisfaction of the ticket as one of `SATISFACTION_ORDER`, null when Zendesk never said. */
const satisfactionOf = (state: TicketState): string | null => {
  const score = state.satisfactionScore ?? null;
  if (score === null) return null;
  if ((score === 'good' || score === 'bad') && state.satisfactionCommented === true)
    return `${score}_with_comment`;
  return score;
};

/** A satisfaction value as `SATISFACTION_ORDER` names it: the reference's booleans are two of them. */
const satisfactionWanted = (value: ConditionValue): string => {
  const wanted = text(value).toLowerCase();
  return wanted === 'true' ? 'unoffered' : wanted === 'false' ? 'offered' : wanted;
};

/**
 * `satisfaction_score`: the values of `SATISFACTION_ORDER`, and the two booleans Zendesk's Conditions
 * reference lists beside them, "`false` (offered), or `true` (unoffered)", read as those two values
 * (in the ordering too). `is good` holds for a good rating with or without a comment;
 * `is good_with_comment` only with one.
 */
const satisfactionField: FieldSpec = {
  operators: ['is', 'is_not', 'less_than', 'greater_than'],
  valueProblem: (_operator, value) =>
    (SATISFACTION_ORDER as readonly string[]).includes(satisfactionWanted(value))
      ? null
      : invalid('satisfaction_score', value),
  evaluate: (state, operator, value) => {
    const wanted = satisfactionWanted(value);
    const actual = satisfactionOf(state) ?? 'unoffered';
    let equal: boolean;
    if (operator === 'is' || operator === 'is_not')
      equal = actual === wanted || (!wanted.endsWith('_with_comment') && actual === `${wanted}_with_comment`);
    else {
      const difference =
        SATISFACTION_ORDER.indexOf(actual as (typeof SATISFACTION_ORDER)[number]) -
        SATISFACTION_ORDER.indexOf(wanted as (typeof SATISFACTION_ORDER)[number]);
      return operator === 'less_than' ? difference < 0 : difference > 0;
    }
    return operator === 'is_not' ? !equal : equal;
  },
};

interface HoursOptions {
  readonly direction?: 'since' | 'until';
  /** The condition holds only while the ticket is still in this status (category). */
  readonly whileStatus?: string;
}

/**
 * Epoch ms of a stored due date as the conditions read it. Zendesk: "Due date refers to 12 PM in
 * your account's timezone on the date specified", so a timestamp counts by its day in the account's
 * zone (an API may set any time of day), and a bare date is that day.
 */
const dueMs = (due: string, timeZone: string): number => {
  if (/^\d{4}-\d{2}-\d{2}$/.test(due)) return instantOfLocal(due, 12, timeZone);
  const ms = Date.parse(due);
  return Number.isNaN(ms) ? ms : instantOfLocal(dayIn(ms, timeZone), 12, timeZone);
};

/** A calendar-hours condition measured from `read(state)` forward to the instant, or until it. */
const hoursField = (
  field: string,
  read: (state: TicketState, context: ViewContext) => number | null,
  options: HoursOptions = {},
): FieldSpec => ({
  operators: ['is', 'less_than', 'greater_than'],
  valueProblem: (_operator, value) => (HOURS.test(text(value)) ? null : invalid(field, value)),
  evaluate: (state, operator, value, atMs, context) => {
    if (options.whileStatus !== undefined && state.status !== options.whileStatus) return false;
    const stampMs = read(state, context);
    if (stampMs === null || Number.isNaN(stampMs)) return false;
    const until = options.direction === 'until';
    const elapsedMs = until ? stampMs - atMs : atMs - stampMs;
    if (elapsedMs < 0) return false;
    const hours = Math.floor(elapsedMs / HOUR_MS);
    const limit = hoursOf(value);
    if (operator === 'is') return hours === limit;
    // Zendesk: "Hours until … less than conditions are inclusive; all other time-based conditions are exclusive."
    if (operator === 'less_than') return until ? hours <= limit : hours < limit;
    return hours > limit;
  },
});

const msOf = (stamp: string | null | undefined): number | null =>
  stamp === null || stamp === undefined ? null : Date.parse(stamp);

const statusHours = (status: string): FieldSpec =>
  hoursField(status.toUpperCase(), (state) => msOf(state.statusEnteredAt[status]), { whileStatus: status });

const dueDate = (direction: 'since' | 'until'): FieldSpec =>
  hoursField(
    direction === 'since' ? 'due_date' : 'until_due_date',
    // Zendesk: "Hours since / until due date (for tickets with the type set to Task)"; a due date
    // left on a ticket whose type changed is not read.
    (state, context) =>
      state.dueAt === null || state.type !== 'task' ? null : dueMs(state.dueAt, context.timeZone),
    { direction },
  );

const DATE = /^(\d{4}-\d{2}-\d{2})/;
const numeric = (value: FieldValue | ConditionValue): number | null => {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return null;
};
const dateOf = (value: FieldValue | ConditionValue): string | null =>
  typeof value === 'string' ? (DATE.exec(value.trim())?.[1] ?? null) : null;

/** Zendesk sends a checkbox as `true` / `false` or as `"1"` / `"0"`; unchecked equals absent. */
const CHECKED = new Set(['true', '1']);
const UNCHECKED = new Set(['false', '0']);

/**
 * Whether a custom field holds a value: an unchecked checkbox, in any of its encodings, holds none.
 * A view cannot use a number field (Zendesk's "Using custom ticket fields in business rules and
 * views": Text, Multi-line, Number, Decimal and Regex are "Not available" as view conditions), so
 * 0 there is a checkbox's.
 */
const isPresent = (actual: FieldValue): boolean =>
  actual !== null &&
  actual !== '' &&
  actual !== false &&
  actual !== 0 &&
  !(typeof actual === 'string' && UNCHECKED.has(actual.trim().toLowerCase())) &&
  !(Array.isArray(actual) && actual.length === 0);
const isCheckboxWord = (wanted: string): boolean => CHECKED.has(wanted) || UNCHECKED.has(wanted);
const isChecked = (actual: FieldValue): boolean =>
  actual === true || actual === 1 || (typeof actual === 'string' && CHECKED.has(actual.trim().toLowerCase()));

const customEquals = (actual: FieldValue, value: ConditionValue): boolean => {
  const wanted = text(value);
  if (Array.isArray(actual))
    return actual.map((option) => option.toLowerCase()).includes(wanted.toLowerCase());
  const lower = wanted.toLowerCase();
  // A checkbox: the ticket holds a boolean, or the view asks for true / false.
  if (
    typeof actual === 'boolean' ||
    lower === 'true' ||
    lower === 'false' ||
    (actual === null && isCheckboxWord(lower))
  ) {
    if (
      actual !== null &&
      typeof actual !== 'boolean' &&
      !isCheckboxWord(String(actual).trim().toLowerCase())
    )
      return false;
    return isChecked(actual) === CHECKED.has(lower);
  }
  if (actual === null) return wanted === '';
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

/**
 * What a condition says of a text too long to keep (`UnkeptText`): it is present, and
 * longer than any value a view can name, so it is no option, date or number, and none of them.
 * No view can test such a field (see `MAX_KEPT_TEXT_CHARACTERS`); its words are not kept either,
 * so `includes` finds none of them.
 */
const unkeptTextMeets = (operator: string): boolean =>
  operator === 'present' || operator === 'is_not' || operator === 'not_includes';

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
  evaluate: (state, operator, value, atMs, context) => {
    const kept = state.customFields[fieldId] ?? null;
    if (isUnkeptText(kept)) return unkeptTextMeets(operator);
    const actual: FieldValue = kept;
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
        // The account's calendar day, not the UTC day.
        const today = dayIn(atMs, context.timeZone);
        return operator === 'within_previous_n_days'
          ? date <= today && date >= addDays(today, -days)
          : date >= today && date <= addDays(today, days);
      }
    }
  },
});

const FIELD_SPECS: Readonly<Record<string, FieldSpec>> = {
  status: orderedField('status', STATUS_ORDER, (state) => state.status, { allowNone: false }),
  priority: orderedField('priority', PRIORITY_ORDER, (state) => state.priority, {
    allowNone: true,
    noneIsLowest: true,
  }),
  type: orderedField('type', TYPE_ORDER, (state) => state.type, { allowNone: true }),
  // "(assigned group)": the group the ticket is assigned to. No primary Zendesk source names its API
  // spelling (zendesk-api.md §4.3 lists `""`, group ids and the user-specific `current_groups`);
  // both the label and its snake_case form are accepted. Read as Zendesk's other "is <the ticket's
  // own value>" values are: `is` holds when the ticket has a group, `is_not` when it has none.
  group_id: idField('group_id', (state) => state.groupId, {
    assigned_group: (state) => state.groupId,
    '(assigned group)': (state) => state.groupId,
  }),
  assignee_id: idField('assignee_id', (state) => state.assigneeId, {
    requester_id: (state) => state.requesterId,
  }),
  requester_id: idField('requester_id', (state) => state.requesterId, {
    assignee_id: (state) => state.assigneeId,
  }),
  organization_id: idField('organization_id', (state) => state.organizationId),
  brand_id: idField('brand_id', (state) => state.brandId),
  ticket_form_id: idField('ticket_form_id', (state) => state.ticketFormId),
  // "Service catalog form": a service catalog request is a ticket on the item's ticket form (Zendesk's
  // service catalog items API: "form_id: the Zendesk ticket form associated with the item"), so the
  // condition reads the ticket's form. Zendesk documents no view field name for it; these two
  // spellings (the label's, with and without `_id`) are accepted, any other is refused by name.
  service_catalog_form_id: idField('service_catalog_form_id', (state) => state.ticketFormId),
  service_catalog_form: idField('service_catalog_form', (state) => state.ticketFormId),
  via_subtype_id: idField('via_subtype_id', (state) => state.viaSubtypeId ?? null),
  locale_id: idField('locale_id', (state, context) =>
    state.requesterId === null ? null : (context.localeOf?.(state.requesterId) ?? null),
  ),
  custom_status_id: customStatusField,
  current_tags: tagsField,
  recipient: recipientField,
  ticket_is_public: privacyField,
  satisfaction_score: satisfactionField,
  satisfaction_reason_code: textField((state) => state.satisfactionReason),
  // The exports are read with Zendesk's default `support_type_scope` (`agent`): every ticket they
  // send is an agent's, so one whose support type no source stated (a deleted ticket's scrubbed
  // record, a state from before the record was read) is one.
  support_type: textField((state) => state.supportType ?? SUPPORT_TYPE_OF_EXPORTED_TICKETS),
  description_includes_word: descriptionField,
  // CC'd and followers; the documentation names the conditions, not their API fields: these are
  // the spellings found in payloads (`cc`, `email_cc`, `follower`) and the ticket fields they read.
  cc: idListField('cc', ccsOf),
  email_cc: idListField('email_cc', ccsOf),
  follower: idListField('follower', (state) => state.followerIds),
  // Ticket sharing: "sent to" an outbound agreement / "received from" an inbound one; an agreement
  // goes one way, so both read the agreements the ticket is shared through.
  sent_to: sharingField('sent_to'),
  received_from: sharingField('received_from'),
  NEW: hoursField('NEW', (state) => msOf(state.createdAt)),
  OPEN: statusHours('open'),
  PENDING: statusHours('pending'),
  HOLD: statusHours('hold'),
  SOLVED: statusHours('solved'),
  CLOSED: statusHours('closed'),
  assigned_at: hoursField('assigned_at', (state) => msOf(state.assignedAt)),
  updated_at: hoursField('updated_at', (state) => msOf(state.updatedAt)),
  requester_updated_at: hoursField('requester_updated_at', (state) => msOf(state.requesterUpdatedAt)),
  assignee_updated_at: hoursField('assignee_updated_at', (state) => msOf(state.assigneeUpdatedAt)),
  // Zendesk's documentation says "due date"; the ticket field is `due_at`: both name the condition.
  due_date: dueDate('since'),
  due_at: dueDate('since'),
  until_due_date: dueDate('until'),
  until_due_at: dueDate('until'),
};

/**
 * "Hours since <custom status>": held only while the ticket is in that custom status, from when it
 * was set. The API name is not documented; `custom_status_<id>` is the spelling accepted here.
 */
const customStatusHours = (field: string, id: number): FieldSpec => {
  const inner = hoursField(field, (state) => msOf(state.customStatusSetAt));
  return {
    ...inner,
    evaluate: (state, operator, value, atMs, context) =>
      state.customStatusId === id && inner.evaluate(state, operator, value, atMs, context),
  };
};

const CUSTOM_FIELD = /^custom_fields_(\d+)$/;
const CUSTOM_STATUS_HOURS = /^custom_status_(\d+)$/;

const specOf = (field: string): FieldSpec | undefined => {
  if (Object.hasOwn(FIELD_SPECS, field)) return FIELD_SPECS[field];
  const custom = CUSTOM_FIELD.exec(field);
  if (custom?.[1] !== undefined) return customField(field, custom[1]);
  const status = CUSTOM_STATUS_HOURS.exec(field);
  return status?.[1] !== undefined ? customStatusHours(field, Number(status[1])) : undefined;
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

/** Fields whose verdict moves with the clock: hours since or until an instant of the ticket. */
const TIME_BASED_FIELDS: ReadonlySet<string> = new Set([
  'NEW',
  'OPEN',
  'PENDING',
  'HOLD',
  'SOLVED',
  'CLOSED',
  'assigned_at',
  'updated_at',
  'requester_updated_at',
  'assignee_updated_at',
  'due_date',
  'due_at',
  'until_due_date',
  'until_due_at',
]);

/**
 * Whether a condition's verdict on an unchanged ticket depends on the instant it is evaluated at
 * (hours since or until, days relative to today): two evaluations moments apart may disagree
 * without either being wrong.
 */
export const isTimeBasedCondition = (condition: ViewCondition): boolean =>
  TIME_BASED_FIELDS.has(condition.field) ||
  CUSTOM_STATUS_HOURS.test(condition.field) ||
  (CUSTOM_FIELD.test(condition.field) &&
    (condition.operator === 'within_previous_n_days' || condition.operator === 'within_next_n_days'));

/**
 * A condition's spec when the evaluator can evaluate it, else null; worked out once per condition
 * (a view's conditions are evaluated at every update of every ticket).
 */
const usableSpecs = new WeakMap<ViewCondition, FieldSpec | null>();
const usableSpecOf = (condition: ViewCondition): FieldSpec | null => {
  let spec = usableSpecs.get(condition);
  if (spec === undefined) {
    spec = conditionProblem(condition) === null ? (specOf(condition.field) ?? null) : null;
    usableSpecs.set(condition, spec);
  }
  return spec;
};

/** One condition; a condition the evaluator cannot evaluate never holds. */
export const conditionHolds = (
  condition: ViewCondition,
  state: TicketState,
  atMs: number,
  context: ViewContext = UTC_CONTEXT,
): boolean => {
  const spec = usableSpecOf(condition);
  if (spec === null) return false;
  return spec.evaluate(state, condition.operator, condition.value, atMs, context);
};

/** Epoch ms of an ISO instant, refusing anything else. */
export const instant = (at: string): number => {
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
export const viewMatches = (
  view: ViewRecord,
  state: TicketState,
  at: string,
  context: ViewContext = UTC_CONTEXT,
): boolean => viewMatchesAt(view, state, instant(at), context);

/** `viewMatches` at an instant given in epoch ms: for many views at one update. */
export const viewMatchesAt = (
  view: ViewRecord,
  state: TicketState,
  atMs: number,
  context: ViewContext = UTC_CONTEXT,
): boolean => {
  if (state.status === 'deleted') return false;
  const { all, any } = view.conditions;
  for (const condition of all) if (!conditionHolds(condition, state, atMs, context)) return false;
  if (any.length === 0) return true;
  for (const condition of any) if (conditionHolds(condition, state, atMs, context)) return true;
  return false;
};

/**
 * The search words of these views' "description contains at least one of / none of" conditions
 * that can match part of a word (`partWordOf`), sorted: the integration keeps them with its views
 * (`descriptionSearchWords`), and a description is read for them (`descriptionPartsFound`).
 */
export const descriptionSearchWords = (views: readonly ViewRecord[]): string[] => {
  const found = new Set<string>();
  for (const view of views) {
    for (const condition of [...view.conditions.all, ...view.conditions.any]) {
      if (condition.field !== 'description_includes_word') continue;
      if (condition.operator !== 'includes' && condition.operator !== 'not_includes') continue;
      for (const token of words(condition.value)) {
        const word = partWordOf(token);
        if (word !== null) found.add(word);
      }
    }
  }
  return [...found].sort();
};
