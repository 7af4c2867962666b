import type { ChildEventRecord, FieldValue, TicketEventRecord, TicketRecord } from './records.js';
import { awaitsCreationSession, type RoleLookup } from './interactions.js';
import type { WfmChannel } from './channels.js';

/**
 * A ticket's state as the view conditions see it, rebuilt from its updates in order (SPEC §4).
 * Plain JSON data: the pipeline stores it per ticket and hands it back on the next update.
 */
export interface TicketState {
  readonly ticketId: number;
  /** new/open/pending/hold/solved/closed, `deleted` once deleted, null before the creation is seen. */
  readonly status: string | null;
  readonly priority: string | null;
  readonly type: string | null;
  readonly groupId: number | null;
  readonly assigneeId: number | null;
  readonly requesterId: number | null;
  readonly submitterId: number | null;
  readonly organizationId: number | null;
  readonly brandId: number | null;
  readonly ticketFormId: number | null;
  readonly customStatusId: number | null;
  /** Sorted, unique, lower case. */
  readonly tags: readonly string[];
  /** Custom field values by field id (as a string); a text too long for any view is not kept. */
  readonly customFields: Readonly<Record<string, CustomFieldValue>>;
  /**
   * The due date: an ISO timestamp, or a bare `YYYY-MM-DD` date when Zendesk sent a date (which
   * means 12:00 in the account's time zone; the view conditions resolve it with the account's zone).
   */
  readonly dueAt: string | null;
  /** ISO timestamps of the events the "hours since …" conditions measure from; null = not seen. */
  readonly createdAt: string | null;
  readonly updatedAt: string | null;
  readonly requesterUpdatedAt: string | null;
  readonly assigneeUpdatedAt: string | null;
  /** When the current assignee was set. */
  readonly assignedAt: string | null;
  /**
   * When the ticket entered its current status, under that status's name (the "hours since open /
   * pending / …" conditions). Only the current status's entry: a condition on a status holds only
   * while the ticket is in it, so an earlier status's time is never read, and a status entered again
   * starts afresh. A state stored before this kept every status it had been in; the others are
   * dropped at its next status change.
   */
  readonly statusEnteredAt: Readonly<Record<string, string>>;
  // The fields below were added later: a state stored before them lacks them, so they are optional
  // and an absent one reads as "not seen" (null / empty).
  /** The address the ticket was received at (`recipient`), lower case. */
  readonly recipient?: string | null;
  /** `satisfaction_score`: unoffered, offered, good, bad (Zendesk's values, lower case). */
  readonly satisfactionScore?: string | null;
  /** Whether the rating carries a comment (`satisfaction_comment`; the text is not kept). */
  readonly satisfactionCommented?: boolean;
  /** `satisfaction_reason_code`: the id of the satisfaction reason, as Zendesk sends it. */
  readonly satisfactionReason?: string | null;
  /** `via_subtype_id`: the integration account (channel integration) the ticket came through. */
  readonly viaSubtypeId?: number | null;
  /** `support_type`: `agent` or `ai_agent`. */
  readonly supportType?: string | null;
  /** When the current custom status was set (the "hours since <custom status>" conditions). */
  readonly customStatusSetAt?: string | null;
  /**
   * The words of the first comment (the description) as hashes (`descriptionTerms`): enough for
   * "description contains", never the text itself.
   */
  readonly descriptionTerms?: readonly number[];
  /**
   * Which of the integration's views' "description contains at least one of / none of" words the
   * description's words contain (`descriptionPartsFound`, as the creation or the record brought
   * it): such a condition matches a word containing the search word. A search word not among the
   * views' when the ticket was created is matched whole.
   */
  readonly descriptionPartsFound?: readonly number[];
  /** CC'd users (`email_cc_ids`) and followers (`follower_ids`), sorted. */
  readonly emailCcIds?: readonly number[];
  readonly followerIds?: readonly number[];
  /**
   * `collaborator_ids`, sorted: the Tickets API's older list, which with CCs and followers on holds
   * both (Zendesk's requests guide: collaborators "automatically make end users CCs and agents
   * followers"). Read as CCs only when the ticket never stated `email_cc_ids` (`ccsOf`).
   */
  readonly collaboratorIds?: readonly number[];
  /**
   * States saved before `emailCcIds` and `collaboratorIds` were told apart kept either list here;
   * read only when the ticket has stated neither since.
   */
  readonly ccIds?: readonly number[];
  /**
   * The sharing agreements the ticket is shared through (the ticket's `sharing_agreement_ids`),
   * sorted. An agreement goes one way (Sharing Agreements API: `type` `outbound` or `inbound`), so
   * "sent to" an agreement and "received from" one both ask whether it is among them.
   */
  readonly sharingAgreementIds?: readonly number[];
  /**
   * How many of the ticket's comments are public (the "Privacy" condition: whether the ticket has
   * public comments). Counted from the creation on (0 at the creation, one more per public comment,
   * one less per comment made private); 0 from a ticket record whose `is_public` is false. Absent
   * when not known: a state stored before comments were counted, a ticket first seen after its
   * creation, a record with public comments (it does not say how many). Not known reads as public
   * (a ticket's first comment is public unless an agent opened it with an internal note); a public
   * comment then makes it 1, which a comment made private later may take for the last one.
   */
  readonly publicComments?: number;
  /**
   * A ticket created through a conversation channel whose creation update carried no session start:
   * its first `ChatStartedEvent` is the creation's session, not a new contact (`conversationVerdict`).
   * Cleared by that session, by a session's end (the creation's session ended unseen), or once a
   * later update solves or closes the ticket (its conversation was served without the session
   * reaching the export).
   */
  readonly creationSessionPending?: boolean;
  /**
   * Where the ticket's creation was counted from, once it has been (absent: not yet, or created
   * before the import window): the creation update in the ticket-event export, the creation audit
   * (Audits API) when the export brought a later update but not the creation, or the ticket record
   * (tickets export) when the export brought nothing of it. A creation is counted from one source
   * only: the others see this and count nothing.
   */
  readonly creation?: CreationSource;
  /**
   * The Support backlogs the ticket is in (shared/domain/backlog.ts): the WFM channel its backlog
   * counts in and the queues it is in; absent until its first contact counted in a WFM channel.
   */
  readonly backlog?: BacklogMembership;
  /** The replay guard: the newest update reflected in this state, see `applyUpdate`. */
  readonly appliedThrough: AppliedPosition | null;
}

/**
 * The Support queues a ticket is in the backlog of: those of these views in this channel. A queue
 * is its view and channel (SPEC §3: its name follows the view's current title), so no name is kept.
 */
export interface BacklogMembership {
  readonly channel: WfmChannel;
  readonly viewIds: readonly number[];
}

/**
 * The longest text a view condition can test. Views can test only drop-down, multi-select,
 * checkbox, date and lookup fields (Zendesk's "Using custom ticket fields in business rules and
 * views": text, multi-line, number, decimal and regex fields are "Not available"), and the longest
 * of their values is a drop-down option's tag, at most 255 characters.
 */
export const MAX_KEPT_TEXT_CHARACTERS = 255;

/**
 * A custom field's text longer than any value a view can test, not kept: only that there is one. A
 * multi-line field holds up to some 65,000 characters: 32 tickets of them kept whole pass
 * DynamoDB's 400 KB item limit for their bucket, and no page touching it could ever be written.
 */
export interface UnkeptText {
  readonly kind: 'unkept_text';
}

/** A custom field's value as the state keeps it. */
export type CustomFieldValue = FieldValue | UnkeptText;

export const isUnkeptText = (value: CustomFieldValue | undefined): value is UnkeptText =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A custom field's value as the state keeps it: whole, unless a text longer than a view can test. */
export const keptCustomValue = (value: FieldValue): CustomFieldValue =>
  isLongerThanViewsName(value) ? UNKEPT_TEXT : value;

const UNKEPT_TEXT: UnkeptText = { kind: 'unkept_text' };

/** Counted in characters (code points), as Zendesk's limit is, not UTF-16 units. */
const isLongerThanViewsName = (value: FieldValue | undefined): value is string =>
  typeof value === 'string' &&
  value.length > MAX_KEPT_TEXT_CHARACTERS &&
  [...value].length > MAX_KEPT_TEXT_CHARACTERS;

/**
 * An update as a state keeps it to apply later (while it waits for its ticket's record): a custom
 * field's text longer than a view can test cut to just past that, so that it is still too long
 * when applied, and becomes the same `UnkeptText` the whole text would; 32 waiting tickets of
 * whole texts would pass the bucket's 400 KB as their states did.
 */
export const keptToApplyLater = (update: TicketEventRecord): TicketEventRecord => {
  const cut = (c: ChildEventRecord): ChildEventRecord =>
    (c.kind === 'Create' || c.kind === 'Change') &&
    c.field.startsWith(CUSTOM_FIELD_PREFIX) &&
    (isLongerThanViewsName(c.value) || isLongerThanViewsName(c.previous))
      ? {
          ...c,
          value: isLongerThanViewsName(c.value) ? cutPastViews(c.value) : c.value,
          ...(c.previous !== undefined
            ? { previous: isLongerThanViewsName(c.previous) ? cutPastViews(c.previous) : c.previous }
            : {}),
        }
      : c;
  const children = update.children.map(cut);
  return children.every((c, i) => c === update.children[i]) ? update : { ...update, children };
};

const cutPastViews = (text: string): string => [...text].slice(0, MAX_KEPT_TEXT_CHARACTERS + 1).join('');

export const CREATION_SOURCES = ['ticket_events', 'ticket_audits', 'ticket_record'] as const;
export type CreationSource = (typeof CREATION_SOURCES)[number];

/**
 * The position of the newest update a state reflects. Updates are ordered by (timestamp, audit id):
 * the export orders by time, and audit ids grow within a second. A snapshot covers its whole
 * `generated_timestamp` second, so its position has `updateId: null` ("every update of that
 * second"), since the snapshot cannot say which audits of that second it includes.
 */
export interface AppliedPosition {
  /** Epoch seconds. */
  readonly timestamp: number;
  readonly updateId: number | null;
}

export const emptyTicketState = (ticketId: number): TicketState => ({
  ticketId,
  status: null,
  priority: null,
  type: null,
  groupId: null,
  assigneeId: null,
  requesterId: null,
  submitterId: null,
  organizationId: null,
  brandId: null,
  ticketFormId: null,
  customStatusId: null,
  tags: [],
  customFields: {},
  dueAt: null,
  createdAt: null,
  updatedAt: null,
  requesterUpdatedAt: null,
  assigneeUpdatedAt: null,
  assignedAt: null,
  statusEnteredAt: {},
  appliedThrough: null,
});

const normalTags = (tags: readonly string[]): string[] =>
  [...new Set(tags.map((tag) => tag.trim().toLowerCase()).filter((tag) => tag !== ''))].sort();

/**
 * Seeds state from a ticket snapshot (a ticket created before the import window). The snapshot
 * does not say when it entered its status, was assigned or was last touched by its requester or
 * assignee, so those stay null (conditions on them do not match) until an update sets them.
 */
export const stateFromTicket = (ticket: TicketRecord): TicketState => ({
  ...emptyTicketState(ticket.id),
  status: ticket.status,
  priority: ticket.priority,
  type: ticket.type,
  groupId: ticket.groupId,
  assigneeId: ticket.assigneeId,
  requesterId: ticket.requesterId,
  submitterId: ticket.submitterId,
  organizationId: ticket.organizationId,
  brandId: ticket.brandId,
  ticketFormId: ticket.ticketFormId,
  customStatusId: ticket.customStatusId,
  tags: normalTags(ticket.tags),
  customFields: Object.fromEntries(
    Object.entries(ticket.customFields).map(([id, value]) => [id, keptCustomValue(value)]),
  ),
  ...(ticket.descriptionTerms !== undefined ? { descriptionTerms: ticket.descriptionTerms } : {}),
  ...(ticket.descriptionPartsFound !== undefined
    ? { descriptionPartsFound: ticket.descriptionPartsFound }
    : {}),
  ...(ticket.supportType !== undefined && ticket.supportType !== null
    ? { supportType: ticket.supportType }
    : {}),
  ...(ticket.recipient !== undefined && ticket.recipient !== null ? { recipient: ticket.recipient } : {}),
  // A record with public comments does not say how many: left not known (read as public), so a
  // comment made private later is never taken for the last one.
  ...(ticket.isPublic === false ? { publicComments: 0 } : {}),
  dueAt: ticket.dueAt,
  createdAt: ticket.createdAt,
  updatedAt: ticket.updatedAt,
  appliedThrough: { timestamp: ticket.generatedTimestamp, updateId: null },
});

/**
 * The ticket's CCs: `email_cc_ids` when the ticket stated them; otherwise its collaborators that
 * are not followers (an account without CCs and followers has collaborators only); otherwise what
 * a state saved before the two were told apart holds.
 */
export const ccsOf = (state: TicketState): readonly number[] | undefined => {
  if (state.emailCcIds !== undefined) return state.emailCcIds;
  if (state.collaboratorIds === undefined) return state.ccIds;
  const followers = new Set(state.followerIds ?? []);
  return state.collaboratorIds.filter((id) => !followers.has(id));
};

/** Updates in the order a state applies them: by time, then by audit id within a second. */
export const byUpdateOrder = (a: TicketEventRecord, b: TicketEventRecord): number =>
  a.timestamp - b.timestamp || a.id - b.id;

/** Whether a status says the ticket's conversation was served: solved, or closed after it. */
export const isServed = (status: string | null): boolean => status === 'solved' || status === 'closed';

/** True when `update` is newer than everything `state` reflects. */
export const isNewerThanState = (state: TicketState, update: TicketEventRecord): boolean => {
  const through = state.appliedThrough;
  if (through === null) return true;
  if (update.timestamp !== through.timestamp) return update.timestamp > through.timestamp;
  return through.updateId !== null && update.id > through.updateId;
};

const shown = (value: FieldValue): string => JSON.stringify(value);

const fieldError = (update: TicketEventRecord, field: string, message: string): Error =>
  new Error(`ticket ${update.ticketId} update ${update.id}: ${field} ${message}`);

const idValue = (update: TicketEventRecord, field: string, value: FieldValue): number | null => {
  if (value === null || value === '') return null;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  throw fieldError(update, field, `is not an id: ${shown(value)}`);
};

const stringValue = (update: TicketEventRecord, field: string, value: FieldValue): string | null => {
  if (value === null || value === '') return null;
  if (typeof value === 'string') return value.trim().toLowerCase();
  throw fieldError(update, field, `is not a string: ${shown(value)}`);
};

/** A text field that Zendesk may also send as a number (a satisfaction reason id). */
const textValue = (update: TicketEventRecord, field: string, value: FieldValue): string | null =>
  typeof value === 'number' ? String(value) : stringValue(update, field, value);

const timestampValue = (update: TicketEventRecord, field: string, value: FieldValue): string | null => {
  if (value === null || value === '') return null;
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
  throw fieldError(update, field, `is not a timestamp: ${shown(value)}`);
};

/** A due date: a timestamp, or a bare date kept as `YYYY-MM-DD` (12:00 in the account's zone). */
const dueValue = (update: TicketEventRecord, field: string, value: FieldValue): string | null => {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value.trim())) return value.trim();
  return timestampValue(update, field, value);
};

/** A list of ids as Zendesk sends it: an array (of numbers or numeric strings) or one space-separated string. */
const idList = (update: TicketEventRecord, field: string, value: FieldValue): readonly number[] => {
  if (value === null || value === '') return [];
  const parts = Array.isArray(value)
    ? value
    : typeof value === 'number'
      ? [String(value)]
      : String(value).split(/[\s,]+/);
  const ids = parts.map((part) => String(part).trim()).filter((part) => part !== '');
  if (!ids.every((part) => /^\d+$/.test(part)))
    throw fieldError(update, field, `is not an id list: ${shown(value)}`);
  return [...new Set(ids.map(Number))].sort((a, b) => a - b);
};

const tagList = (update: TicketEventRecord, field: string, value: FieldValue): readonly string[] => {
  if (Array.isArray(value)) return value as readonly string[];
  if (typeof value === 'string') return value.split(/\s+/);
  throw fieldError(update, field, `is not a tag list: ${shown(value)}`);
};

type FieldChild = Extract<ChildEventRecord, { kind: 'Create' | 'Change' }>;

const ID_FIELDS = {
  group_id: 'groupId',
  assignee_id: 'assigneeId',
  requester_id: 'requesterId',
  submitter_id: 'submitterId',
  organization_id: 'organizationId',
  brand_id: 'brandId',
  ticket_form_id: 'ticketFormId',
  custom_status_id: 'customStatusId',
  via_subtype_id: 'viaSubtypeId',
} as const satisfies Record<string, keyof TicketState>;

/** Lower-cased text fields, by the name Zendesk gives them in an event. */
const TEXT_FIELDS = {
  recipient: 'recipient',
  satisfaction_score: 'satisfactionScore',
  satisfaction_reason_code: 'satisfactionReason',
  // The Satisfaction reasons API calls the same value `reason_code`; some payloads say `reason_id`.
  satisfaction_reason_id: 'satisfactionReason',
  support_type: 'supportType',
} as const satisfies Record<string, keyof TicketState>;

const isTextField = (field: string): field is keyof typeof TEXT_FIELDS => Object.hasOwn(TEXT_FIELDS, field);

/** Id lists, by the ticket field names (the ticket record and an event that carries them flattened). */
const ID_LIST_FIELDS = {
  email_cc_ids: 'emailCcIds',
  collaborator_ids: 'collaboratorIds',
  follower_ids: 'followerIds',
  sharing_agreement_ids: 'sharingAgreementIds',
} as const satisfies Record<string, keyof TicketState>;

const isIdListField = (field: string): field is keyof typeof ID_LIST_FIELDS =>
  Object.hasOwn(ID_LIST_FIELDS, field);

const isIdField = (field: string): field is keyof typeof ID_FIELDS => Object.hasOwn(ID_FIELDS, field);

const CUSTOM_FIELD_PREFIX = 'custom_fields_';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Applies one field child. Tags: when Zendesk sends the full list (`tags` of a Create, the Audits
 * API's `value`), it replaces the set, which also repairs a state that missed earlier updates;
 * otherwise the added and removed lists are applied to the current set.
 */
const applyField = (next: Mutable<TicketState>, child: FieldChild, update: TicketEventRecord, at: string) => {
  const { field, value } = child;
  if (isIdField(field)) {
    const id = idValue(update, field, value);
    if (field === 'assignee_id' && id !== next.assigneeId) next.assignedAt = id === null ? null : at;
    if (field === 'custom_status_id' && id !== next.customStatusId)
      next.customStatusSetAt = id === null ? null : at;
    next[ID_FIELDS[field]] = id;
    return;
  }
  if (isTextField(field)) {
    next[TEXT_FIELDS[field]] = textValue(update, field, value);
    return;
  }
  if (field === 'satisfaction_comment') {
    next.satisfactionCommented = typeof value === 'string' ? value.trim() !== '' : value !== null;
    return;
  }
  if (isIdListField(field)) {
    next[ID_LIST_FIELDS[field]] = idList(update, field, value);
    return;
  }
  if (field.startsWith(CUSTOM_FIELD_PREFIX)) {
    const fieldId = field.slice(CUSTOM_FIELD_PREFIX.length);
    if (!/^\d+$/.test(fieldId)) throw fieldError(update, field, 'does not name a custom field id');
    next.customFields = { ...next.customFields, [fieldId]: keptCustomValue(value) };
    return;
  }
  switch (field) {
    case 'status': {
      const status = stringValue(update, field, value);
      if (status !== null && status !== next.status) next.statusEnteredAt = { [status]: at };
      next.status = status;
      return;
    }
    case 'priority':
    case 'type':
      next[field] = stringValue(update, field, value);
      return;
    // The export and the Audits API say `due_at`; Zendesk's documentation and some payloads `due_date`.
    case 'due_at':
    case 'due_date':
      next.dueAt = dueValue(update, field, value);
      return;
    case 'tags':
    case 'current_tags': {
      if (value !== null && value !== '') {
        next.tags = normalTags(tagList(update, field, value));
        return;
      }
      const removed = new Set(normalTags(child.removedTags ?? []));
      next.tags = normalTags([...next.tags.filter((tag) => !removed.has(tag)), ...(child.addedTags ?? [])]);
      return;
    }
    default:
      // Subject, SLA policy, description and fields Zendesk may add are not view conditions.
      return;
  }
};

/**
 * One more or one fewer public comment. A count not known stays unknown when one leaves (the
 * ticket may have more), and becomes at least one when one comes.
 */
const countPublicComments = (next: Mutable<TicketState>, by: 1 | -1) => {
  if (next.publicComments === undefined) {
    if (by === 1) next.publicComments = 1;
    return;
  }
  next.publicComments = Math.max(0, next.publicComments + by);
};

type SharingChild = Extract<ChildEventRecord, { kind: 'Sharing' }>;

/** The agreements after a ticket sharing event: the agreement joins them (shared) or leaves them. */
const applySharing = (next: Mutable<TicketState>, child: SharingChild) => {
  const others = (next.sharingAgreementIds ?? []).filter((id) => id !== child.agreementId);
  next.sharingAgreementIds = child.shared ? [...others, child.agreementId].sort((a, b) => a - b) : others;
};

/** Whether a field child of this name changes the state (`applyField` acts on it). */
const isStateField = (field: string): boolean =>
  isIdField(field) ||
  isTextField(field) ||
  isIdListField(field) ||
  field === 'satisfaction_comment' ||
  field.startsWith(CUSTOM_FIELD_PREFIX) ||
  ['status', 'priority', 'type', 'due_at', 'due_date', 'tags', 'current_tags'].includes(field);

/**
 * The state's values before `update`, from its values right after it: each field the update changed
 * goes back to the value Zendesk reports it had (`previous_value`; a tag change without one is
 * undone through its added and removed lists). Only values: the times (`statusEnteredAt`,
 * `assignedAt`, …) and the replay guard are the caller's to set. Undefined when the update changed
 * a field of the state without saying what it was before: the values before it cannot be told.
 */
export const rollBackUpdate = (state: TicketState, update: TicketEventRecord): TicketState | undefined => {
  const next: Mutable<TicketState> = { ...state };
  for (const child of [...update.children].reverse()) {
    // A sharing event says what it changed: undone, the agreement leaves (or joins) again.
    if (child.kind === 'Sharing') applySharing(next, { ...child, shared: !child.shared });
    if (child.kind === 'Comment' && child.public) countPublicComments(next, -1);
    if (child.kind === 'CommentPrivacy') countPublicComments(next, child.public ? -1 : 1);
    if (child.kind !== 'Change' || !isStateField(child.field)) continue;
    const byTagLists =
      (child.field === 'tags' || child.field === 'current_tags') &&
      child.previous === undefined &&
      (child.addedTags !== undefined || child.removedTags !== undefined);
    if (child.previous === undefined && !byTagLists) return undefined;
    const isTags = child.field === 'tags' || child.field === 'current_tags';
    // No tags before is an empty list: a null would read as "apply the lists" instead.
    const previous = isTags && (child.previous === null || child.previous === '') ? [] : child.previous;
    applyField(
      next,
      {
        kind: 'Change',
        field: child.field,
        value: byTagLists ? null : (previous ?? null),
        ...(child.removedTags !== undefined ? { addedTags: child.removedTags } : {}),
        ...(child.addedTags !== undefined ? { removedTags: child.addedTags } : {}),
      },
      update,
      update.createdAt,
    );
  }
  return next;
};

const isoOf = (update: TicketEventRecord): string => {
  const parsed = Date.parse(update.createdAt);
  if (Number.isNaN(parsed)) {
    throw fieldError(update, 'createdAt', `is not a timestamp: ${JSON.stringify(update.createdAt)}`);
  }
  return new Date(parsed).toISOString();
};

/**
 * Applies one ticket update to the state before it. Pure and deterministic. Replay-safe: an update
 * whose (timestamp, audit id) is not newer than `state.appliedThrough` (the same update again, or
 * an older one arriving late) returns the state unchanged; the caller applies a ticket's updates in
 * order, as the export delivers them.
 *
 * Roles are not needed: the "requester / assignee updated" times compare the updater with the
 * ticket's requester and assignee. `_roleOf` is accepted so callers can pass the same lookup they
 * give `detectInteraction`.
 */
export const applyUpdate = (
  state: TicketState | undefined,
  update: TicketEventRecord,
  _roleOf?: RoleLookup,
): TicketState => {
  const previous = state ?? emptyTicketState(update.ticketId);
  if (previous.ticketId !== update.ticketId) {
    throw new Error(
      `update ${update.id}: ticketId ${update.ticketId} does not match the state's ticket ${previous.ticketId}`,
    );
  }
  if (!isNewerThanState(previous, update)) return previous;

  const at = isoOf(update);
  const next: Mutable<TicketState> = { ...previous };
  if (update.children.some((child) => child.kind === 'Create') && next.createdAt === null) {
    next.createdAt = at;
    // Counted from here: the creation's own comment, if public, is the first.
    next.publicComments ??= 0;
    if (awaitsCreationSession(update)) next.creationSessionPending = true;
  } else if (
    next.creationSessionPending === true &&
    update.children.some((child) => child.kind === 'ChatStarted' || child.kind === 'ChatEnded')
  ) {
    next.creationSessionPending = false;
  }
  for (const child of update.children) {
    if (child.kind === 'Create' || child.kind === 'Change') applyField(next, child, update, at);
    else if (child.kind === 'Sharing') applySharing(next, child);
    else if (child.kind === 'Comment' && child.public) countPublicComments(next, 1);
    else if (child.kind === 'CommentPrivacy') countPublicComments(next, child.public ? 1 : -1);
  }
  // A ticket an update solves or closes after its creation has had its conversation served: the
  // creation's session will not come any more (the export may never carry it), and a session the
  // customer starts later is a new contact, never taken for the creation's.
  if (
    next.creationSessionPending === true &&
    !update.children.some((child) => child.kind === 'Create') &&
    next.status !== previous.status &&
    isServed(next.status)
  )
    next.creationSessionPending = false;
  // A new rating replaces the one before, its comment included: without a comment of its own, the
  // ticket's rating has none.
  const fields = update.children.flatMap((c) =>
    c.kind === 'Create' || c.kind === 'Change' ? [c.field] : [],
  );
  if (
    next.satisfactionCommented === true &&
    fields.includes('satisfaction_score') &&
    !fields.includes('satisfaction_comment')
  )
    next.satisfactionCommented = false;
  // The description is the first comment: the one of the creation.
  if (next.descriptionTerms === undefined && update.children.some((child) => child.kind === 'Create')) {
    const first = update.children.find((child) => child.kind === 'Comment');
    if (first?.kind === 'Comment' && first.terms !== undefined) {
      next.descriptionTerms = first.terms;
      if (first.partsFound !== undefined) next.descriptionPartsFound = first.partsFound;
    }
  }
  next.updatedAt = at;
  if (next.requesterId !== null && update.updaterId === next.requesterId) next.requesterUpdatedAt = at;
  if (next.assigneeId !== null && update.updaterId === next.assigneeId) next.assigneeUpdatedAt = at;
  next.appliedThrough = { timestamp: update.timestamp, updateId: update.id };
  return next;
};
