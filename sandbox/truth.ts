/**
 * The rules of the sandbox's ground truth: what SPEC.md says an interaction is, which WFM channel a
 * Zendesk channel maps to, which views are supported, whether a ticket is in a view, what a Talk call
 * contributes, and how interval buckets and queue names are formed. Written from SPEC.md (§3, §5,
 * §6) and zendesk-api.md alone, independent of the product's own domain rules, so that the pipeline's
 * output can be checked against it.
 */

import { dayOfNumber, localDay, localNoon, shiftDay } from './calendar.js';

export type WfmChannel = 'email' | 'chat' | 'social_media' | 'call' | 'case';

/** SPEC.md §3, the 17 rows of the channel table. Any other `via.channel` is unmapped. */
export const WFM_CHANNEL_BY_VIA: Readonly<Record<string, WfmChannel>> = {
  email: 'email',
  mobile: 'email',
  web: 'email',
  chat: 'chat',
  native_messaging: 'chat',
  sms: 'social_media',
  any_channel: 'social_media',
  facebook: 'social_media',
  twitter: 'social_media',
  sunshine_conversations_facebook_messenger: 'social_media',
  instagram_dm: 'social_media',
  whatsapp: 'social_media',
  voice: 'call',
  api: 'case',
  answer_bot_for_web_widget: 'case',
  chat_transcript: 'case',
  mobile_sdk: 'case',
};

export const wfmChannelOf = (viaChannel: string): WfmChannel | null =>
  Object.hasOwn(WFM_CHANNEL_BY_VIA, viaChannel) ? WFM_CHANNEL_BY_VIA[viaChannel]! : null;

/**
 * Zendesk messaging and the social messaging channels it connects: a ticket created through one
 * is a messaging ticket (`from_messaging_channel`).
 */
export const MESSAGING_CHANNELS: ReadonlySet<string> = new Set([
  'native_messaging',
  'whatsapp',
  'sunshine_conversations_facebook_messenger',
  'instagram_dm',
  'line',
  'wechat',
  'telegram',
]);

/**
 * Channels whose conversations Zendesk records as chat sessions (`ChatStartedEvent` with the
 * messages in its history, `ChatEndedEvent`), not as one comment per message: live chat and the
 * messaging channels (issue #16). `chat_transcript` is the channel of a chat's transcript.
 */
export const CONVERSATION_CHANNELS: ReadonlySet<string> = new Set([
  'chat',
  'chat_transcript',
  ...MESSAGING_CHANNELS,
]);

/** What the truth needs to know about one ticket update. */
export interface UpdateFacts {
  readonly isCreation: boolean;
  /** The update creates a ticket through an agent's outbound call (the integration imports incoming calls only). */
  readonly isOutboundCallCreation?: boolean;
  /** The role of the author of the update's comment, or null when the update has no comment. */
  readonly commentAuthorRole: 'end-user' | 'agent' | 'admin' | null;
  /** The `via.channel` of the update's comment, null when the update has no comment. */
  readonly commentChannel: string | null;
  /** A chat session the customer writes in starts in this update (a `ChatStartedEvent`). */
  readonly startsCustomerSession: boolean;
  /**
   * That session is the first of a ticket created through a conversation channel whose creation
   * update started none: the session that created the ticket, arriving in an update of its own.
   */
  readonly continuesCreationSession: boolean;
  /** A chat session ends in this update (a `ChatEndedEvent`): its comment is the transcript. */
  readonly endsSession: boolean;
}

/**
 * SPEC.md §3: a ticket's creation (but one an agent's outbound call made: the seed document imports
 * incoming calls only), or an update in which an end user adds a comment; for messaging
 * and live chat, a conversation is one contact: the creation plus one per later session the
 * customer starts on the ticket. The first session of a conversation is the creation's contact,
 * whether it starts in the creation update or in one of its own after it. A session's messages and
 * its transcript are never contacts, so an end user's comment through a conversation channel, or on
 * the update that ends a session, is not.
 */
export const isInteraction = (u: UpdateFacts): boolean =>
  (u.isCreation && u.isOutboundCallCreation !== true) ||
  (u.startsCustomerSession && !u.continuesCreationSession) ||
  (u.commentAuthorRole === 'end-user' &&
    !u.endsSession &&
    !(u.commentChannel !== null && CONVERSATION_CHANNELS.has(u.commentChannel)));

// ---------------------------------------------------------------------------------------------
// Views

export interface SandboxCondition {
  readonly field: string;
  readonly operator: string;
  readonly value: string;
}

export interface ViewConditions {
  readonly all: readonly SandboxCondition[];
  readonly any: readonly SandboxCondition[];
}

export type UnsupportedKind =
  | 'business_hours'
  | 'sla'
  | 'channel'
  | 'skills'
  | 'user_specific_value'
  | 'change_operator'
  | 'unknown_condition';

const BUSINESS_HOURS_OPERATORS = new Set([
  'is_business_hours',
  'less_than_business_hours',
  'greater_than_business_hours',
]);
const SLA_FIELDS = new Set(['sla_next_breach_at', 'until_sla_next_breach_at']);
const CHANNEL_FIELDS = new Set(['via_id', 'current_via_id']);
const CHANGE_OPERATORS = new Set([
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
]);
const USER_SPECIFIC_VALUES = new Set(['current_user', 'current_groups']);

export const STATUS_ORDER = ['new', 'open', 'pending', 'hold', 'solved', 'closed'] as const;
export const PRIORITY_ORDER = ['', 'low', 'normal', 'high', 'urgent'] as const;
const TYPES = new Set(['', 'question', 'incident', 'problem', 'task']);
const ID_FIELDS = new Set([
  'group_id',
  'assignee_id',
  'requester_id',
  'organization_id',
  'brand_id',
  'ticket_form_id',
  // "Service catalog form": a service catalog item is requested through its ticket form.
  'service_catalog_form_id',
]);
/** The group value "(assigned group)" (both spellings views may carry): the ticket has a group. */
const ASSIGNED_GROUP = new Set(['assigned_group', '(assigned group)']);
const CUSTOM_FIELD = /^custom_fields_(\d+)$/;
const CUSTOM_STATUS_HOURS = /^custom_status_(\d+)$/;
const HOURS_OPERATORS = new Set(['is', 'less_than', 'greater_than']);
/** Hours since a due date (`due_date`, the ticket field's `due_at`) and until it. */
const DUE_SINCE = new Set(['due_date', 'due_at']);
const DUE_UNTIL = new Set(['until_due_date', 'until_due_at']);

/**
 * Every sandbox ticket is an agent's (`support_type`): the incremental exports send only those
 * unless asked for AI agents' too (`support_type_scope`, default `agent`).
 */
export const SUPPORT_TYPE = 'agent';

const EVALUABLE_OPERATORS: Readonly<Record<string, ReadonlySet<string>>> = {
  status: new Set(['is', 'is_not', 'less_than', 'greater_than']),
  priority: new Set(['is', 'is_not', 'less_than', 'greater_than']),
  type: new Set(['is', 'is_not']),
  current_tags: new Set(['includes', 'not_includes']),
  NEW: new Set(['is', 'less_than', 'greater_than']),
  OPEN: new Set(['is', 'less_than', 'greater_than']),
  PENDING: new Set(['is', 'less_than', 'greater_than']),
  HOLD: new Set(['is', 'less_than', 'greater_than']),
  SOLVED: new Set(['is', 'less_than', 'greater_than']),
  CLOSED: new Set(['is', 'less_than', 'greater_than']),
  cc: new Set(['includes', 'not_includes']),
  follower: new Set(['includes', 'not_includes']),
  sent_to: new Set(['is', 'is_not']),
  support_type: new Set(['is', 'is_not']),
  received_from: new Set(['is', 'is_not']),
  satisfaction_score: new Set(['is', 'is_not']),
  satisfaction_reason_code: new Set(['is', 'is_not']),
  locale_id: new Set(['is', 'is_not']),
  recipient: new Set(['is', 'is_not']),
  ticket_is_public: new Set(['is', 'is_not']),
  custom_status_id: new Set(['is', 'is_not']),
  assigned_at: new Set(['is', 'less_than', 'greater_than']),
  updated_at: new Set(['is', 'less_than', 'greater_than']),
  requester_updated_at: new Set(['is', 'less_than', 'greater_than']),
  assignee_updated_at: new Set(['is', 'less_than', 'greater_than']),
  description_includes_word: new Set(['includes', 'not_includes', 'is', 'is_not']),
};
const ID_OPERATORS = new Set(['is', 'is_not']);
const CUSTOM_OPERATORS = new Set([
  'is',
  'is_not',
  'present',
  'not_present',
  'less_than',
  'greater_than',
  'within_previous_n_days',
  'within_next_n_days',
]);

const kindOf = (c: SandboxCondition): UnsupportedKind | null => {
  if (BUSINESS_HOURS_OPERATORS.has(c.operator)) return 'business_hours';
  if (SLA_FIELDS.has(c.field)) return 'sla';
  if (CHANNEL_FIELDS.has(c.field)) return 'channel';
  if (c.field === 'skills_match') return 'skills';
  if (CHANGE_OPERATORS.has(c.operator)) return 'change_operator';
  if (c.value.split(' ').some((v) => USER_SPECIFIC_VALUES.has(v))) return 'user_specific_value';
  if (ID_FIELDS.has(c.field)) return ID_OPERATORS.has(c.operator) ? null : 'unknown_condition';
  if (CUSTOM_FIELD.test(c.field)) return CUSTOM_OPERATORS.has(c.operator) ? null : 'unknown_condition';
  if (DUE_SINCE.has(c.field) || DUE_UNTIL.has(c.field) || CUSTOM_STATUS_HOURS.test(c.field))
    return HOURS_OPERATORS.has(c.operator) ? null : 'unknown_condition';
  return EVALUABLE_OPERATORS[c.field]?.has(c.operator) ? null : 'unknown_condition';
};

/** The reasons a view is unsupported (SPEC.md §3), each kind once, in order of appearance; empty when supported. */
export const unsupportedKindsOf = (conditions: ViewConditions): UnsupportedKind[] => {
  const kinds: UnsupportedKind[] = [];
  for (const c of [...conditions.all, ...conditions.any]) {
    const kind = kindOf(c);
    if (kind && !kinds.includes(kind)) kinds.push(kind);
  }
  return kinds;
};

/** A ticket's state as a view sees it. `createdAt` and `at` are epoch seconds. */
export interface TicketState {
  readonly status: string;
  readonly priority: string | null;
  readonly type: string | null;
  readonly groupId: number | null;
  readonly assigneeId: number | null;
  readonly requesterId: number | null;
  readonly organizationId: number | null;
  readonly brandId: number | null;
  readonly ticketFormId: number | null;
  readonly tags: readonly string[];
  /** Custom field values by field id (decimal string). */
  readonly customFields: Readonly<Record<string, string | null>>;
  readonly createdAt: number;
  /** When the ticket entered its current status (epoch seconds). */
  readonly statusSince: number;
  /** The due date as the account stores it (`Field.Due`): > 0 a timestamp, < 0 a date-only day, 0 none. */
  readonly due: number;
  readonly ccIds: readonly number[];
  readonly followerIds: readonly number[];
  /** The sharing agreements the ticket is shared through (`sharing_agreement_ids`). */
  readonly sharingAgreementIds: readonly number[];
  /** `offered`, `good`, `bad`; null when never offered. */
  readonly satisfaction: string | null;
  readonly satisfactionCommented: boolean;
  /** `satisfaction_reason_code` of the latest rating (Zendesk's reason codes); null before any. */
  readonly satisfactionReason: number | null;
  readonly recipient: string | null;
  /** How many public comments the ticket has (Privacy: "ticket has / has no public comments"). */
  readonly publicComments: number;
  readonly customStatusId: number | null;
  /** When the ticket entered its current custom status (epoch seconds). */
  readonly customStatusSince: number;
  /** When the current assignee was set; the last update; the requester's and the assignee's last. */
  readonly assignedAt: number | null;
  readonly updatedAt: number;
  readonly requesterUpdatedAt: number | null;
  readonly assigneeUpdatedAt: number | null;
  /** The ticket's first comment. */
  readonly description: string | null;
}

/** What a view condition needs beyond the ticket. */
export interface ViewContext {
  /** The account's IANA time zone: a date field's "today", a date-only due date's 12:00. */
  readonly timeZone: string;
  /** The requester's `locale_id`. */
  readonly localeOf: (userId: number) => number | null;
}

export const UTC_CONTEXT: ViewContext = { timeZone: 'UTC', localeOf: () => null };

/** The account's field types: which custom fields hold a date and which a checkbox. */
export interface FieldTypes {
  readonly dateFields: ReadonlySet<string>;
  readonly checkboxFields: ReadonlySet<string>;
}

const idValue = (state: TicketState, field: string): number | null => {
  switch (field) {
    case 'group_id':
      return state.groupId;
    case 'assignee_id':
      return state.assigneeId;
    case 'requester_id':
      return state.requesterId;
    case 'organization_id':
      return state.organizationId;
    case 'brand_id':
      return state.brandId;
    default:
      return state.ticketFormId;
  }
};

const compareOrdinal = (order: readonly string[], actual: string, operator: string, expected: string) => {
  const a = order.indexOf(actual);
  const e = order.indexOf(expected);
  if (operator === 'is') return a === e;
  if (operator === 'is_not') return a !== e;
  if (operator === 'less_than') return a < e;
  return a > e;
};

/** "Hours since assigned / update / requester update / assignee update". */
const EVENT_HOURS: Readonly<Record<string, (state: TicketState) => number | null>> = {
  assigned_at: (state) => state.assignedAt,
  updated_at: (state) => state.updatedAt,
  requester_updated_at: (state) => state.requesterUpdatedAt,
  assignee_updated_at: (state) => state.assigneeUpdatedAt,
};

/** A description's words, lower case: runs of letters, digits and apostrophes. */
const wordsOf = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];

const STATUS_HOURS: Readonly<Record<string, string>> = {
  OPEN: 'open',
  PENDING: 'pending',
  HOLD: 'hold',
  SOLVED: 'solved',
  CLOSED: 'closed',
};

/** Whole hours in a span of seconds; an hours value with decimals is whole hours ("1.5" is 1). */
const wholeHours = (seconds: number): number => Math.floor(seconds / 3600);
const hoursLimit = (value: string): number => Math.trunc(Number(value));

/**
 * Zendesk: "Hours until … less than conditions are inclusive; all other time-based conditions are
 * exclusive." `less_than` of an "hours until" condition holds at the limit, every other one below it.
 */
const compareHours = (hours: number, operator: string, value: string, inclusiveLess: boolean): boolean => {
  const limit = hoursLimit(value);
  if (operator === 'is') return hours === limit;
  if (operator === 'less_than') return inclusiveLess ? hours <= limit : hours < limit;
  return hours > limit;
};

/**
 * A due date as the conditions read it: 12:00 in the account's time zone on its day ("Due date
 * refers to 12 PM in your account's timezone on the date specified"), a timestamp by its local day.
 */
const dueInstant = (due: number, timeZone: string): number | null =>
  due === 0 ? null : localNoon(due > 0 ? localDay(due, timeZone) : dayOfNumber(-due), timeZone);

const SATISFACTION_WITH_COMMENT = new Set(['good_with_comment', 'bad_with_comment']);

/** The ticket's satisfaction as a view value: `bad_with_comment` for a bad rating with a comment. */
const satisfactionValue = (state: TicketState): string => {
  const score = state.satisfaction ?? 'unoffered';
  return (score === 'good' || score === 'bad') && state.satisfactionCommented
    ? `${score}_with_comment`
    : score;
};

/**
 * Whether one supported condition holds. Hours conditions count whole hours elapsed (floor), as
 * Zendesk's hour-based conditions do.
 */
export const conditionHolds = (
  c: SandboxCondition,
  state: TicketState,
  at: number,
  context: ViewContext = UTC_CONTEXT,
  types: FieldTypes = NO_FIELD_TYPES,
): boolean => {
  if (c.field === 'status') return compareOrdinal(STATUS_ORDER, state.status, c.operator, c.value);
  if (c.field === 'priority')
    return compareOrdinal(PRIORITY_ORDER, state.priority ?? '', c.operator, c.value);
  if (c.field === 'type') {
    const same = (state.type ?? '') === c.value && TYPES.has(c.value);
    return c.operator === 'is' ? same : !same;
  }
  if (c.field === 'current_tags') {
    const wanted = c.value.split(' ').filter((t) => t !== '');
    const hit = wanted.some((t) => state.tags.includes(t));
    return c.operator === 'includes' ? hit : !hit;
  }
  // "Hours since open / pending / …" hold only while the ticket is in that status, counted from when
  // it entered it.
  const since =
    c.field === 'NEW' ? state.createdAt : STATUS_HOURS[c.field] === state.status ? state.statusSince : null;
  if (c.field === 'NEW' || c.field in STATUS_HOURS) {
    if (since === null) return false;
    return compareHours(wholeHours(at - since), c.operator, c.value, false);
  }
  if (DUE_SINCE.has(c.field) || DUE_UNTIL.has(c.field)) {
    // "Hours since / until due date (for tickets with the type set to Task)".
    if (state.type !== 'task') return false;
    const due = dueInstant(state.due, context.timeZone);
    if (due === null) return false;
    const until = DUE_UNTIL.has(c.field);
    const seconds = until ? due - at : at - due;
    if (seconds < 0) return false;
    return compareHours(wholeHours(seconds), c.operator, c.value, until);
  }
  if (Object.hasOwn(EVENT_HOURS, c.field)) {
    const since = EVENT_HOURS[c.field]!(state);
    return since !== null && compareHours(wholeHours(at - since), c.operator, c.value, false);
  }
  if (c.field === 'description_includes_word') {
    const words = wordsOf(state.description ?? '');
    const runOf = (wanted: readonly string[]) =>
      words.some((_, i) => wanted.length > 0 && wanted.every((w, k) => words[i + k] === w));
    // `includes`: at least one of the space-separated words, a word contained in a description word
    // (Zendesk: "none" matches "nonetheless"), one of several words (log-in) the run of words it
    // makes; `is`: the whole words in this order.
    const containedIn = (token: readonly string[]) =>
      token.length === 1 ? words.some((word) => word.includes(token[0]!)) : runOf(token);
    const holds =
      c.operator === 'includes' || c.operator === 'not_includes'
        ? c.value.split(/\s+/).some((token) => containedIn(wordsOf(token)))
        : runOf(wordsOf(c.value));
    return c.operator === 'includes' || c.operator === 'is' ? holds : !holds;
  }
  const customStatus = CUSTOM_STATUS_HOURS.exec(c.field);
  if (customStatus) {
    if (state.customStatusId !== Number(customStatus[1])) return false;
    return compareHours(wholeHours(at - state.customStatusSince), c.operator, c.value, false);
  }
  if (ID_FIELDS.has(c.field)) {
    const actual = idValue(state, c.field);
    const same =
      c.value === ''
        ? actual === null
        : c.field === 'group_id' && ASSIGNED_GROUP.has(c.value)
          ? actual !== null
          : actual !== null && String(actual) === c.value;
    return c.operator === 'is' ? same : !same;
  }
  if (c.field === 'support_type') {
    const same = c.value.toLowerCase() === SUPPORT_TYPE;
    return c.operator === 'is' ? same : !same;
  }
  // Ticket sharing: an agreement goes one way, so "sent to" and "received from" both ask whether the
  // ticket is shared through it.
  if (c.field === 'sent_to' || c.field === 'received_from') {
    const shared = state.sharingAgreementIds.includes(Number(c.value));
    return c.operator === 'is' ? shared : !shared;
  }
  if (c.field === 'cc' || c.field === 'follower') {
    const ids = c.field === 'cc' ? state.ccIds : state.followerIds;
    const hit = c.value
      .split(' ')
      .filter((v) => v !== '')
      .some((v) => ids.includes(Number(v)));
    return c.operator === 'includes' ? hit : !hit;
  }
  if (c.field === 'ticket_is_public') {
    const same = (c.value === 'public') === state.publicComments > 0;
    return c.operator === 'is' ? same : !same;
  }
  if (c.field === 'recipient') {
    // "Received by one or more email addresses": any of them.
    const same =
      state.recipient !== null &&
      c.value
        .toLowerCase()
        .split(/[\s,]+/)
        .includes(state.recipient);
    return c.operator === 'is' ? same : !same;
  }
  if (c.field === 'satisfaction_score') {
    const actual = satisfactionValue(state);
    // "Bad" is a bad rating with or without a comment; "bad with comment" only with one.
    const same = SATISFACTION_WITH_COMMENT.has(c.value) ? actual === c.value : actual.startsWith(c.value);
    return c.operator === 'is' ? same : !same;
  }
  if (c.field === 'locale_id' || c.field === 'custom_status_id' || c.field === 'satisfaction_reason_code') {
    const actual =
      c.field === 'satisfaction_reason_code'
        ? state.satisfactionReason
        : c.field === 'locale_id'
          ? state.requesterId === null
            ? null
            : context.localeOf(state.requesterId)
          : state.customStatusId;
    const same = actual !== null && String(actual).toLowerCase() === c.value.toLowerCase();
    return c.operator === 'is' ? same : !same;
  }
  const custom = CUSTOM_FIELD.exec(c.field);
  if (custom) return customFieldHolds(c, custom[1]!, state, at, context, types);
  throw new Error(`condition ${c.field} ${c.operator} cannot be evaluated`);
};

export const NO_FIELD_TYPES: FieldTypes = { dateFields: new Set(), checkboxFields: new Set() };

/**
 * A custom field by its type. A checkbox is checked or not: unchecked equals never set. A date
 * compares calendar days; "within the previous / next N days" counts from today in the account's
 * time zone, today included at both ends.
 */
const customFieldHolds = (
  c: SandboxCondition,
  id: string,
  state: TicketState,
  at: number,
  context: ViewContext,
  types: FieldTypes,
): boolean => {
  const value = state.customFields[id] ?? null;
  // An unchecked checkbox holds nothing, as never set.
  const present = value !== null && value !== '' && !(types.checkboxFields.has(id) && value !== 'true');
  if (c.operator === 'present') return present;
  if (c.operator === 'not_present') return !present;
  if (types.checkboxFields.has(id)) {
    const checked = value === 'true';
    const same = checked === (c.value === 'true');
    return c.operator === 'is' ? same : !same;
  }
  if (types.dateFields.has(id)) {
    const today = localDay(at, context.timeZone);
    switch (c.operator) {
      case 'within_previous_n_days':
        return present && value <= today && value >= shiftDay(today, -Number(c.value));
      case 'within_next_n_days':
        return present && value >= today && value <= shiftDay(today, Number(c.value));
      case 'less_than':
        return present && value < c.value;
      case 'greater_than':
        return present && value > c.value;
      default:
        break;
    }
  }
  const same = (value ?? '') === c.value;
  return c.operator === 'is' ? same : !same;
};

/**
 * Whether a ticket is in a supported view: every `all` condition holds and, when there are `any`
 * conditions, at least one of them. A deleted ticket is in no view.
 */
export const ticketInView = (
  conditions: ViewConditions,
  state: TicketState,
  at: number,
  context: ViewContext = UTC_CONTEXT,
  types: FieldTypes = NO_FIELD_TYPES,
): boolean => {
  const holds = (c: SandboxCondition) => conditionHolds(c, state, at, context, types);
  return (
    state.status !== 'deleted' &&
    conditions.all.every(holds) &&
    (conditions.any.length === 0 || conditions.any.some(holds))
  );
};

// ---------------------------------------------------------------------------------------------
// Talk

export interface CallFacts {
  readonly direction: 'inbound' | 'outbound';
  readonly agentId: number | null;
  readonly completionStatus: string;
  readonly talkTime: number | null;
  readonly holdTime: number | null;
  readonly wrapUpTime: number | null;
}

/** SPEC.md §5: handled = an agent answered the call; handle time = talk + hold + wrap-up (0 when not handled). */
export const callOutcome = (c: CallFacts): { handled: boolean; handleSeconds: number } => {
  const handled = c.agentId !== null && (c.talkTime ?? 0) > 0;
  return {
    handled,
    handleSeconds: handled ? (c.talkTime ?? 0) + (c.holdTime ?? 0) + (c.wrapUpTime ?? 0) : 0,
  };
};

/**
 * Issue #20's Talk figures of one inbound call, from zendesk-api.md §5.2 and the README's
 * queue-history table: where it was abandoned (`completion_status`: in queue, IVR, voicemail, on
 * hold; failed, not answered; any status outside the eight Zendesk documents is unknown), whether a callback started it,
 * and, for calls not started by a callback, whether it counts in service level (answered,
 * abandoned in the queue, or sent from the queue to voicemail), whether it was answered within `thresholdSeconds` of `wait_time`, and
 * its wait when answered (speed of answer).
 */
export interface TruthTalkFigures {
  abandonedInQueue: number;
  abandonedInIvr: number;
  abandonedInVoicemail: number;
  abandonedOnHold: number;
  failed: number;
  notAnswered: number;
  unknownStatus: number;
  callbacks: number;
  serviceLevelOffered: number;
  serviceLevelAnswered: number;
  answeredCalls: number;
  answerWaitSeconds: number;
}

const DOCUMENTED_STATUSES = new Set([
  'completed',
  'abandoned_in_queue',
  'abandoned_in_ivr',
  'abandoned_in_voicemail',
  'abandoned_on_hold',
  'pending_voicemail',
  'failed',
  'not_answered',
]);

export const callTalkFigures = (
  c: {
    completionStatus: string;
    handled: boolean;
    waitSeconds: number;
    callback: boolean;
    voicemailAfterQueue: boolean;
  },
  thresholdSeconds: number,
): TruthTalkFigures => {
  const one = (yes: boolean) => (yes ? 1 : 0);
  const queued =
    !c.callback && (c.handled || c.completionStatus === 'abandoned_in_queue' || c.voicemailAfterQueue);
  const answered = !c.callback && c.handled;
  return {
    abandonedInQueue: one(c.completionStatus === 'abandoned_in_queue'),
    abandonedInIvr: one(c.completionStatus === 'abandoned_in_ivr'),
    abandonedInVoicemail: one(c.completionStatus === 'abandoned_in_voicemail'),
    abandonedOnHold: one(c.completionStatus === 'abandoned_on_hold'),
    failed: one(c.completionStatus === 'failed'),
    notAnswered: one(c.completionStatus === 'not_answered'),
    unknownStatus: one(!DOCUMENTED_STATUSES.has(c.completionStatus)),
    callbacks: one(c.callback),
    serviceLevelOffered: one(queued),
    serviceLevelAnswered: one(answered && c.waitSeconds <= thresholdSeconds),
    answeredCalls: one(answered),
    answerWaitSeconds: answered ? c.waitSeconds : 0,
  };
};

export const talkQueueName = (groupingKey: string | null): string =>
  groupingKey === null || groupingKey === '' ? 'Calls Inbound Ungrouped' : `Calls Inbound For ${groupingKey}`;

export const supportQueueName = (viewTitle: string, channel: WfmChannel): string =>
  `${viewTitle} (${channel})`;

/** SPEC.md §6: the UTC-aligned start of the interval an instant belongs to. */
export const intervalStart = (atIso: string, minutes: 15 | 30 | 60): string => {
  const ms = Date.parse(atIso);
  const size = minutes * 60_000;
  return new Date(Math.floor(ms / size) * size).toISOString();
};

// ---------------------------------------------------------------------------------------------
// Ground truth and the queues it implies

export interface TruthInteraction {
  readonly ticketId: number;
  readonly auditId: number;
  readonly at: string;
  readonly viaChannel: string;
  readonly wfmChannel: WfmChannel | null;
  readonly viewIds: readonly number[];
  /** The customer wrote on a ticket that was solved right before (issue #20); absent: no. */
  readonly reopen?: boolean;
}

/**
 * Issue #20: a reopen is a contact that is not the ticket's creation, made while the ticket was
 * solved (a closed ticket takes no reply: a follow-up is a new ticket).
 */
export const isReopen = (isCreation: boolean, statusBefore: string): boolean =>
  !isCreation && statusBefore === 'solved';

/**
 * One update of a ticket as the backlog sees it, in the ticket's update order: the counted views
 * the ticket is in right after it, and, when the update is an interaction, its WFM channel (null
 * for any other update, or an unmapped channel). Kept for every interaction and wherever the views
 * change; an update that changes neither moves no backlog.
 */
export interface TruthBacklogStep {
  readonly ticketId: number;
  readonly at: string;
  readonly viewIds: readonly number[];
  readonly channel: WfmChannel | null;
}

export interface TruthCall {
  readonly id: number;
  readonly at: string;
  readonly direction: 'inbound' | 'outbound';
  readonly ivrGroup: string | null;
  readonly phoneNumber: string | null;
  readonly handled: boolean;
  readonly handleSeconds: number;
  readonly completionStatus: string;
  /** `wait_time` in seconds. */
  readonly waitSeconds: number;
  readonly callback: boolean;
  /** The caller waited in the queue, then went to voicemail (asked for it, or the maximum wait ran out). */
  readonly voicemailAfterQueue: boolean;
}

export interface TruthView {
  readonly id: number;
  readonly title: string;
  readonly active: boolean;
  readonly supported: boolean;
  readonly unsupportedKinds: readonly string[];
  /**
   * Restricted to one user (`restriction.type: "User"`): one agent's list, not a team queue, so
   * counted nowhere (an integration counts personal views only when it opts in).
   */
  readonly personal: boolean;
}

export interface GroundTruth {
  readonly interactions: readonly TruthInteraction[];
  readonly calls: readonly TruthCall[];
  readonly views: readonly TruthView[];
  readonly unmappedChannels: Readonly<Record<string, number>>;
  /** Every ticket's backlog steps, ticket after ticket; absent: no backlog moves. */
  readonly backlogSteps?: readonly TruthBacklogStep[];
}

export interface ExpectedInterval {
  start: string;
  contacts: number;
  handled?: number;
  handleTimeSeconds?: number;
  ahtSeconds?: number;
  talk?: TruthTalkFigures;
  serviceLevelPercent?: number;
  asaSeconds?: number;
  /** Support: reopens and the tickets that entered and left the queue's backlog in the interval. */
  support?: TruthSupportFigures;
  /** Support: tickets in the queue's backlog at the interval's end. */
  backlog?: number;
}

export interface TruthSupportFigures {
  reopens: number;
  backlogEntered: number;
  backlogLeft: number;
}

export interface ExpectedQueue {
  name: string;
  channel: string;
  source: 'support' | 'talk';
  viewId?: number;
  intervals: ExpectedInterval[];
}

export interface ImportWindow {
  groupingStrategy: 'ivr' | 'phone_number';
  intervalMinutes: 15 | 30 | 60;
  /** ISO-8601, inclusive. */
  since: string;
  /** ISO-8601, exclusive. */
  until: string;
  /** Talk's service-level threshold in seconds; 20 when not given. */
  serviceLevelSeconds?: number;
}

const inWindow = (at: string, since: number, until: number) => {
  const ms = Date.parse(at);
  return ms >= since && ms < until;
};

const windowBounds = (o: { since: string; until: string }) => {
  const since = Date.parse(o.since);
  const until = Date.parse(o.until);
  if (Number.isNaN(since)) throw new Error(`since is not an ISO-8601 instant: ${o.since}`);
  if (Number.isNaN(until)) throw new Error(`until is not an ISO-8601 instant: ${o.until}`);
  return { since, until };
};

/**
 * What the pipeline must publish for an import window [since, until): one queue per (supported
 * active view, WFM channel) that has contacts or whose backlog a ticket entered or left (listed
 * with no interval when it has no contact), and one per Talk grouping key with inbound calls;
 * queues sorted by name, intervals by start, only intervals with contacts. AHT is the exact
 * quotient (not rounded) and absent when no call in the interval was handled.
 */
export function expectedQueues(truth: GroundTruth, o: ImportWindow): ExpectedQueue[] {
  const { since, until } = windowBounds(o);
  const titles = new Map(truth.views.map((v) => [v.id, v.title]));
  const queues = new Map<string, ExpectedQueue & { byStart: Map<string, ExpectedInterval> }>();
  const queueFor = (name: string, make: () => ExpectedQueue) => {
    let q = queues.get(name);
    if (!q) {
      q = { ...make(), byStart: new Map() };
      queues.set(name, q);
    }
    return q;
  };
  const intervalOf = (q: { byStart: Map<string, ExpectedInterval> }, at: string, talk: boolean) => {
    const start = intervalStart(at, o.intervalMinutes);
    let i = q.byStart.get(start);
    if (!i) {
      i = talk
        ? {
            start,
            contacts: 0,
            handled: 0,
            handleTimeSeconds: 0,
            talk: {
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
            },
          }
        : { start, contacts: 0, support: { reopens: 0, backlogEntered: 0, backlogLeft: 0 } };
      q.byStart.set(start, i);
    }
    return i;
  };

  for (const x of truth.interactions) {
    if (x.wfmChannel === null || !inWindow(x.at, since, until)) continue;
    for (const viewId of x.viewIds) {
      const title = titles.get(viewId);
      if (title === undefined) throw new Error(`interaction ${x.auditId} names unknown view ${viewId}`);
      const channel = x.wfmChannel;
      const q = queueFor(`${viewId}\u0000${channel}`, () => ({
        name: supportQueueName(title, channel),
        channel,
        source: 'support',
        viewId,
        intervals: [],
      }));
      const i = intervalOf(q, x.at, false);
      i.contacts += 1;
      if (x.reopen === true) i.support!.reopens += 1;
    }
  }
  const moves = backlogMoves(truth, o);
  for (const key of moves.keys()) {
    const [view, channel] = key.split('\u0000') as [string, WfmChannel];
    const viewId = Number(view);
    const title = titles.get(viewId);
    if (title === undefined) throw new Error(`a backlog move names unknown view ${viewId}`);
    queueFor(key, () => ({
      name: supportQueueName(title, channel),
      channel,
      source: 'support',
      viewId,
      intervals: [],
    }));
  }
  for (const c of truth.calls) {
    if (c.direction !== 'inbound' || !inWindow(c.at, since, until)) continue;
    const name = talkQueueName(o.groupingStrategy === 'ivr' ? c.ivrGroup : c.phoneNumber);
    const q = queueFor(name, () => ({ name, channel: 'call', source: 'talk', intervals: [] }));
    const i = intervalOf(q, c.at, true);
    i.contacts += 1;
    if (c.handled) {
      i.handled! += 1;
      i.handleTimeSeconds! += c.handleSeconds;
    }
    const figures = callTalkFigures(c, o.serviceLevelSeconds ?? 20);
    for (const k of Object.keys(figures) as (keyof TruthTalkFigures)[]) i.talk![k] += figures[k];
  }

  const out: ExpectedQueue[] = [];
  for (const [key, { byStart, ...q }] of queues) {
    const intervals = [...byStart.values()].sort((a, b) => (a.start < b.start ? -1 : 1));
    const queueMoves = [...(moves.get(key) ?? [])].sort(([a], [b]) => (a < b ? -1 : 1));
    let level = 0;
    let next = 0;
    for (const i of intervals) {
      if (i.support) {
        for (; next < queueMoves.length && queueMoves[next]![0] <= i.start; next++)
          level += queueMoves[next]![1].entered - queueMoves[next]![1].left;
        const here = moves.get(key)?.get(i.start);
        i.support.backlogEntered = here?.entered ?? 0;
        i.support.backlogLeft = here?.left ?? 0;
        i.backlog = level;
      }
      if (i.handled) i.ahtSeconds = i.handleTimeSeconds! / i.handled;
      if (i.talk && i.talk.serviceLevelOffered > 0)
        i.serviceLevelPercent = (100 * i.talk.serviceLevelAnswered) / i.talk.serviceLevelOffered;
      if (i.talk && i.talk.answeredCalls > 0) i.asaSeconds = i.talk.answerWaitSeconds / i.talk.answeredCalls;
    }
    out.push({ ...q, intervals });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : (a.viewId ?? 0) - (b.viewId ?? 0)));
}

type BacklogMoves = Map<string, Map<string, { entered: number; left: number }>>;

/**
 * The backlog (issue #20): a ticket is in the backlog of each counted view it is in after an update
 * of the window, in the channel of its latest interaction of the window in a WFM channel (none
 * before the first); each move is counted in the interval of its update. By queue key
 * (`viewId\0channel`), then interval start.
 */
function backlogMoves(truth: GroundTruth, o: ImportWindow): BacklogMoves {
  const { since, until } = windowBounds(o);
  const moves: BacklogMoves = new Map();
  const move = (queueKey: string, at: string, entered: number, left: number) => {
    const start = intervalStart(at, o.intervalMinutes);
    const byStart = moves.get(queueKey) ?? new Map<string, { entered: number; left: number }>();
    const m = byStart.get(start) ?? { entered: 0, left: 0 };
    m.entered += entered;
    m.left += left;
    byStart.set(start, m);
    moves.set(queueKey, byStart);
  };
  const steps = truth.backlogSteps ?? [];
  for (let s = 0; s < steps.length;) {
    const ticketId = steps[s]!.ticketId;
    let channel: WfmChannel | null = null;
    let members = new Set<string>();
    for (; s < steps.length && steps[s]!.ticketId === ticketId; s++) {
      const step = steps[s]!;
      if (!inWindow(step.at, since, until)) continue;
      if (step.channel !== null) channel = step.channel;
      const now = new Set(channel === null ? [] : step.viewIds.map((v) => `${v}\u0000${channel}`));
      for (const k of now) if (!members.has(k)) move(k, step.at, 1, 0);
      for (const k of members) if (!now.has(k)) move(k, step.at, 0, 1);
      members = now;
    }
  }
  return moves;
}

/** A Support queue's backlog at the end of every interval in which it moved, in time order. */
export interface ExpectedBacklog {
  name: string;
  channel: WfmChannel;
  viewId: number;
  steps: { start: string; backlog: number }[];
}

/**
 * Every Support queue's backlog over an import window, including the intervals without contacts
 * in which tickets entered or left it (`expectedQueues` lists only intervals with contacts): the
 * backlog at any moment of the window is that of the latest step whose interval ended by then, 0
 * before the first. Queues sorted as `expectedQueues` sorts them.
 */
export function expectedBacklogSteps(truth: GroundTruth, o: ImportWindow): ExpectedBacklog[] {
  const titles = new Map(truth.views.map((v) => [v.id, v.title]));
  const out: ExpectedBacklog[] = [];
  for (const [key, byStart] of backlogMoves(truth, o)) {
    const [view, channel] = key.split('\u0000') as [string, WfmChannel];
    const viewId = Number(view);
    const title = titles.get(viewId);
    if (title === undefined) throw new Error(`a backlog step names unknown view ${viewId}`);
    let level = 0;
    const steps = [...byStart]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([start, m]) => ({ start, backlog: (level += m.entered - m.left) }));
    out.push({ name: supportQueueName(title, channel), channel, viewId, steps });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.viewId - b.viewId));
}

/** Interactions in unmapped channels within [since, until), by Zendesk channel name. */
export function unmappedChannelCounts(truth: GroundTruth, o: { since: string; until: string }) {
  const { since, until } = windowBounds(o);
  const counts: Record<string, number> = {};
  for (const x of truth.interactions) {
    if (x.wfmChannel !== null || !inWindow(x.at, since, until)) continue;
    counts[x.viaChannel] = (counts[x.viaChannel] ?? 0) + 1;
  }
  return counts;
}
