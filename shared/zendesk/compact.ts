/**
 * Validation and compaction of Zendesk records: each raw record is checked with zod and reduced to
 * the record type of shared/domain/records.ts (no comment bodies, no HTML, no attachments). The
 * schemas are tolerant where zendesk-api.md is unsure (flattened or Audits-API child events, nulls
 * in Talk durations, unknown event types, unknown fields) and strict where the pipeline would
 * otherwise count wrong (ids, timestamps). Records are validated one by one (`compactEach`): a
 * record that does not fit is rejected on its own, naming its field and the problem, and the rest
 * of the page goes on (SPEC §8); the caller quarantines it. Only an unreadable envelope fails a page
 * (and a ticket's audits, read whole, fail on their first bad record).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type {
  CallRecord,
  ChildEventRecord,
  FieldValue,
  TicketEventRecord,
  TicketRecord,
  UserRecord,
  ViewCondition,
  ViewRecord,
} from '../domain/records.js';
import { descriptionPartsFound, descriptionTerms } from '../domain/description-terms.js';
import { ZendeskPayloadError } from './errors.js';
import { EpochSecondsSchema } from '../messages/records.js';

const id = z.number().int().positive();
const userId = z.number().int(); // -1 is Zendesk itself
const nullableId = z.number().int().nullish();

const isoTimestamp = z.iso.datetime({ offset: true, error: 'not an ISO-8601 timestamp' });
const nullableText = z.string().nullish();
// Zendesk documents a call's times as whole seconds and the pipeline carries them so; a fraction
// is read up to the next second, so the call still counts rather than being refused for it, a
// talk that happened stays a talk, and a wait is never shortened into the service level.
const seconds = z
  .number()
  .nonnegative()
  .nullish()
  .transform((value) => (value === null || value === undefined ? value : Math.ceil(value)));
const viaChannel = z.union([z.string(), z.number()]).nullish();
const viaObject = z.looseObject({
  channel: viaChannel,
  source: z.looseObject({ rel: nullableText }).nullish(),
});
const childList = z.array(z.record(z.string(), z.unknown()));

/** A record-level problem before it is tied to an endpoint and a record id. */
class FieldProblem extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

const formatPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (out, key) =>
      typeof key === 'number' ? `${out}[${key}]` : out === '' ? String(key) : `${out}.${String(key)}`,
    '',
  ) || '(record)';

const parseWith = <S extends z.ZodType>(schema: S, raw: unknown, prefix = ''): z.output<S> => {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = formatPath(issue.path);
  throw new FieldProblem(
    prefix === '' ? field : field === '(record)' ? prefix : `${prefix}.${field}`,
    issue.message,
  );
};

const recordIdOf = (raw: unknown, index: number): number | string =>
  raw && typeof raw === 'object' && 'id' in raw && (typeof raw.id === 'number' || typeof raw.id === 'string')
    ? raw.id
    : `#${index}`;

/** A record of a page that does not fit: what the caller quarantines instead of failing the page. */
export interface RejectedRecord {
  /** Its place in the page's list. */
  readonly index: number;
  /** Its `id`, when that is readable (a positive integer); null otherwise. */
  readonly recordId: number | null;
  /**
   * A hash of the record as Zendesk sent it: tells apart, and recognises again, records without a
   * readable id. Nothing of the record itself (comment bodies) is kept.
   */
  readonly fingerprint: string;
  /** Path of the field that failed inside the record, e.g. `child_events[2].author_id`. */
  readonly field: string;
  readonly problem: string;
}

/** One record of a page, compacted or rejected. */
export type Compacted<T> =
  | { readonly kind: 'record'; readonly record: T }
  | { readonly kind: 'rejected'; readonly rejected: RejectedRecord };

/** Text that tells a record apart; a record too deep to serialise is told apart by its place. */
const serialisedForFingerprint = (raw: unknown, index: number): string => {
  try {
    return JSON.stringify(raw) ?? 'undefined';
  } catch {
    return `unserialisable record ${readableId(raw) ?? `at index ${index}`}`;
  }
};

/**
 * What tells a rejected record apart in the quarantine: a hash of the record as it came (of the
 * record as compacted when that is what was too large to hand on).
 */
export const fingerprintOf = (raw: unknown, index: number): string =>
  createHash('sha256').update(serialisedForFingerprint(raw, index)).digest('hex').slice(0, 32);

/** The id of a raw record when it is a positive integer, as every Zendesk id is. */
export const readableId = (raw: unknown): number | null => {
  const parsed = id.safeParse(
    raw && typeof raw === 'object' ? (raw as Record<string, unknown>).id : undefined,
  );
  return parsed.success ? parsed.data : null;
};

/**
 * A Zendesk id given as a number or a numeric string (payloads use both), or null for anything else:
 * a safe integer above zero, never a coerced boolean, hex or exponent.
 */
const positiveIdOf = (value: unknown): number | null => {
  const candidate =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d+$/.test(value.trim())
        ? Number(value)
        : NaN;
  return Number.isSafeInteger(candidate) && candidate > 0 ? candidate : null;
};

/**
 * The compacted record checked against `contract`, the schema it travels under to the next step
 * (shared/messages/records.ts). Compaction reads Zendesk's payload leniently where Zendesk's shapes
 * vary; a record it lets through that the contract refuses would make the next step refuse the
 * whole page it is sent in, so it is refused here, on its own, naming the compacted field.
 */
const fitContract = <T>(contract: z.ZodType<T>, record: T): T => {
  const result = contract.safeParse(record);
  if (result.success) return record;
  const issue = result.error.issues[0]!;
  throw new FieldProblem(
    formatPath(issue.path),
    `${issue.message} (in the record as compacted for the pipeline)`,
  );
};

/**
 * Compacts each record of a page on its own: one that does not fit (Zendesk's shape, or `contract`
 * once compacted) is rejected with its field and problem, never failing the others. A RangeError
 * is the record's problem too (a value nested too deep to serialise, a time no date can hold):
 * thrown, it would fail the page again at every retry and park the integration's stream behind one
 * record. Anything else (a bug) is thrown, never hidden as a rejection.
 */
export const compactEach = <T>(
  items: readonly unknown[],
  compactOne: (raw: unknown) => T,
  contract: z.ZodType<T>,
): Compacted<T>[] =>
  items.map((raw, index) => {
    try {
      return { kind: 'record', record: fitContract(contract, compactOne(raw)) };
    } catch (error) {
      if (!(error instanceof FieldProblem) && !(error instanceof RangeError)) throw error;
      const problem =
        error instanceof FieldProblem
          ? { field: error.field, problem: error.problem }
          : { field: '(record)', problem: `cannot be read: ${error.name}: ${error.message}` };
      return {
        kind: 'rejected',
        rejected: { index, recordId: readableId(raw), fingerprint: fingerprintOf(raw, index), ...problem },
      };
    }
  });

/** The compacted records of a page, the rejected ones left out. */
export const recordsOf = <T>(page: readonly Compacted<T>[]): T[] =>
  page.flatMap((c) => (c.kind === 'record' ? [c.record] : []));

/** The rejected records of a page. */
export const rejectedOf = <T>(page: readonly Compacted<T>[]): RejectedRecord[] =>
  page.flatMap((c) => (c.kind === 'rejected' ? [c.rejected] : []));

/**
 * Compacts every record of a response that is used whole (a ticket's audits), or throws a payload
 * error naming the first bad one.
 */
export const compactAll = <T>(
  endpoint: string,
  items: readonly unknown[],
  compactOne: (raw: unknown) => T,
): T[] =>
  items.map((raw, index) => {
    try {
      return compactOne(raw);
    } catch (error) {
      if (error instanceof FieldProblem) {
        throw new ZendeskPayloadError(endpoint, recordIdOf(raw, index), error.field, error.problem);
      }
      throw error;
    }
  });

/** Parses a page envelope; a problem there names the envelope field (record id null). */
export const parseEnvelope = <S extends z.ZodType>(
  endpoint: string,
  schema: S,
  body: unknown,
): z.output<S> => {
  try {
    return parseWith(schema, body);
  } catch (error) {
    if (error instanceof FieldProblem)
      throw new ZendeskPayloadError(endpoint, null, error.field, error.problem);
    throw error;
  }
};

const toFieldValue = (value: unknown): FieldValue => {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  // Objects (SLA targets such as {"minutes":1440,"in_business_hours":false}) travel as JSON text.
  return JSON.stringify(value);
};

const channelOf = (via: z.output<typeof viaObject> | string | null | undefined): string | null => {
  if (!via || typeof via === 'string') return null;
  return via.channel === null || via.channel === undefined ? null : String(via.channel);
};

/** `via.source.rel`: `inbound`, `outbound`, `voicemail` for calls, `follow_up` … (zendesk-api.md §1.6). */
const relOf = (via: z.output<typeof viaObject> | string | null | undefined): string | null =>
  via && typeof via === 'object' ? (via.source?.rel ?? null) : null;

// Keys of a flattened Create/Change child that describe the event rather than the changed field.
// `type` is not among them: in the export the event's type is `event_type`, and `"type": "incident"`
// is the ticket's type field. Only a child without `event_type` names its event in `type`.
const CHILD_META_KEYS = new Set([
  'id',
  'via',
  'via_reference_id',
  'event_type',
  'previous_value',
  'comment_present',
  'comment_public',
  'added_tags',
  'removed_tags',
  'created_at',
  'audit_id',
  'author_id',
  'field_name',
  'value',
]);

const tagList = z.array(z.string()).nullish();
const auditFieldChild = z.looseObject({
  field_name: z.string(),
  value: z.unknown().optional(),
  previous_value: z.unknown().optional(),
});
const commentChild = z.looseObject({
  author_id: userId,
  public: z.boolean(),
  via: z.union([viaObject, z.string()]).nullish(),
});
// Zendesk's own Ticket Audits example has a Comment event without `author_id`: the audit's author
// wrote it. The ticket event export documents it on every comment.
const auditCommentChild = commentChild.extend({ author_id: userId.nullish() });
const COMMENT_TYPES = new Set(['Comment', 'VoiceComment']);

/** Keys only a comment has: a child without a type that carries one is read as a comment. */
const COMMENT_KEYS = ['public', 'body', 'html_body', 'plain_body', 'attachments'];

/**
 * The type of a child: `event_type` (the export), `type` (the Audits API). A child with neither
 * (zenpy's copy of Zendesk's ticket event example has one) is read by its shape: a comment when it
 * carries a comment's keys (so one that lacks its author or visibility is still rejected, naming the
 * field), a Change when it names a field (flattened, or `field_name`, or the tag lists), and
 * otherwise an event of no known type: the Audit events reference asks clients to ignore what they
 * do not know, and the rest of the update still counts. A creation without its type reads as a
 * Change; the ticket is then first seen without its creation, and its audits give it.
 */
const childTypeOf = (raw: Record<string, unknown>): string => {
  const type = raw.event_type ?? raw.type;
  if (typeof type === 'string' && type !== '') return type;
  if (COMMENT_KEYS.some((key) => key in raw)) return 'Comment';
  if ('field_name' in raw || 'added_tags' in raw || 'removed_tags' in raw) return 'Change';
  return Object.keys(raw).some((key) => !CHILD_META_KEYS.has(key) && key !== 'type') ? 'Change' : 'unknown';
};

/** Who wrote a comment that names no author: the audit's author (Audits API), or none (the export). */
type CommentAuthorFallback = number | null;

const compactChild = (
  raw: Record<string, unknown>,
  path: string,
  authorFallback: CommentAuthorFallback,
): ChildEventRecord[] => {
  const type = childTypeOf(raw);
  if (COMMENT_TYPES.has(type)) {
    const c = parseWith(authorFallback === null ? commentChild : auditCommentChild, raw, path);
    const authorId = c.author_id ?? authorFallback;
    // Unreachable through the schemas (the export's requires the author); said, never assumed.
    if (authorId === null) throw new FieldProblem(`${path}.author_id`, 'missing');
    return [{ kind: 'Comment', authorId, public: c.public, channel: channelOf(c.via), rel: relOf(c.via) }];
  }
  if (type === 'ChatStartedEvent' || type === 'ChatEndedEvent') return [compactChatChild(type, raw)];
  // A comment made private (zenpy's and the Java client's CommentPrivacyChangeEvent: `comment_id`,
  // `public`). One without a boolean `public` says nothing the state can use, and costs nothing.
  if (type === 'CommentPrivacyChange')
    return typeof raw.public === 'boolean'
      ? [{ kind: 'CommentPrivacy', public: raw.public }]
      : [{ kind: 'Other', eventType: type }];
  if (Object.hasOwn(AUDIT_FIELD_EVENTS, type))
    return [{ kind: 'Other', eventType: type }, ...AUDIT_FIELD_EVENTS[type]!(raw)];
  if (type !== 'Create' && type !== 'Change') return [{ kind: 'Other', eventType: type }];
  const withPrevious = (field: string, value: unknown): ChildEventRecord => ({
    kind: type,
    field,
    value: toFieldValue(value),
    ...('previous_value' in raw ? { previous: toFieldValue(raw.previous_value) } : {}),
    ...(field === 'tags' ? tagChanges(raw, path) : {}),
  });
  if ('field_name' in raw) {
    const a = parseWith(auditFieldChild, raw, path);
    // The Audits API names a custom field by its bare id ("field_name": "360041597112"); the
    // export's flattened form (custom_ticket_fields) and the view conditions use custom_fields_<id>.
    const field = /^\d+$/.test(a.field_name) ? `custom_fields_${a.field_name}` : a.field_name;
    // A change of no field changes nothing a view reads: kept as an event, never costing the update.
    if (field.trim() === '') return [{ kind: 'Other', eventType: type }];
    return [withPrevious(field, a.value)];
  }
  const children: ChildEventRecord[] = [];
  // A tags change may carry only its added and removed lists: the change is those lists.
  if (!('tags' in raw) && ('added_tags' in raw || 'removed_tags' in raw))
    children.push({ kind: type, field: 'tags', value: null, ...tagChanges(raw, path) });
  for (const [key, value] of Object.entries(raw)) {
    if (CHILD_META_KEYS.has(key) || (key === 'type' && raw.event_type === undefined)) continue;
    if (key.trim() === '') continue; // a change of no field changes nothing a view reads
    if (key === 'custom_ticket_fields' && value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [fieldId, v] of Object.entries(value))
        children.push(withPrevious(`custom_fields_${fieldId}`, v));
    } else {
      children.push(withPrevious(key, value));
    }
  }
  return children;
};

/**
 * A list of users as an Audits-API event names them: user ids (numbers, numeric strings, or objects
 * with `id` / `user_id`). Null when an entry is anything else (an address or a name): such a list
 * cannot be told as user ids, and applying part of it would drop users the ticket holds.
 */
const userIdsOf = (value: unknown): string[] | null => {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) return null;
  const ids: string[] = [];
  for (const entry of value) {
    const userId = positiveIdOf(isObject(entry) ? (entry.id ?? entry.user_id) : entry);
    if (userId === null) return null;
    ids.push(String(userId));
  }
  return ids;
};

/** A whole-list change of the users a ticket holds, from an event's current and previous lists. */
const userListChange =
  (field: 'follower_ids' | 'email_cc_ids', currentKey: string, previousKey: string) =>
  (raw: Record<string, unknown>): ChildEventRecord[] => {
    const current = userIdsOf(raw[currentKey]);
    if (current === null || !(currentKey in raw)) return [];
    const previous = previousKey in raw ? userIdsOf(raw[previousKey]) : null;
    return [{ kind: 'Change', field, value: current, ...(previous === null ? {} : { previous }) }];
  };

/**
 * A satisfaction rating as the fields the views read: the score, whether it has a comment (`body`,
 * some payloads `comment`), and its reason when the event names one (`reason_code`; the
 * Satisfaction Ratings API also says `reason_id`). A rating without a comment clears the one before.
 */
const satisfactionRating = (raw: Record<string, unknown>): ChildEventRecord[] => {
  if (typeof raw.score !== 'string' || raw.score === '') return [];
  const comment = [raw.body, raw.comment].find((c): c is string => typeof c === 'string') ?? null;
  const reason = [raw.reason_code, raw.reason_id].find(
    (r): r is string | number => typeof r === 'string' || typeof r === 'number',
  );
  return [
    { kind: 'Change', field: 'satisfaction_score', value: raw.score },
    { kind: 'Change', field: 'satisfaction_comment', value: comment === '' ? null : comment },
    ...(reason === undefined
      ? []
      : [{ kind: 'Change', field: 'satisfaction_reason_code', value: reason } as const]),
  ];
};

/**
 * A ticket sharing event (the Ticket Audit events reference: `agreement_id`, `action` `shared` or
 * `unshared`, as the open-source clients parse it too). One whose agreement or action cannot be
 * read changes nothing: it stays an event kept by its type.
 */
const ticketSharing = (raw: Record<string, unknown>): ChildEventRecord[] => {
  const agreementId = positiveIdOf(raw.agreement_id);
  if (agreementId === null) return [];
  if (raw.action !== 'shared' && raw.action !== 'unshared') return [];
  return [{ kind: 'Sharing', agreementId, shared: raw.action === 'shared' }];
};

/**
 * The Audits API's own events for CCs, followers and satisfaction (Zendesk's Ticket Audit events
 * reference: "Follower change event", "Email CC change event", "Satisfaction rating event"), read
 * as the field changes the ticket event export carries for the same update (`follower_ids` and
 * `email_cc_ids` as whole lists, `satisfaction_score`, `satisfaction_comment`,
 * `satisfaction_reason_code`), so the view conditions see the same state from either source. The
 * `type` spellings are those of the reference's events and of the open-source clients that parse
 * real audits (`FollowerChange` with `previous_followers` / `current_followers`, `EmailCcChange`
 * with `previous_email_ccs` / `current_email_ccs`, `SatisfactionRating` with `score`, `body`),
 * plus `EmailCCChange`, the clients' class spelling. The same changes as `Change` events on those
 * field names are read like any other field. The event itself is kept by its type, as before (the
 * interaction rules recognise a rating by it). A CC or follower list that names users by address
 * or name rather than id is kept by its type only: it cannot be told as user ids. A "Ticket
 * sharing event" (`TicketSharingEvent`, in the Audits API and the export alike) is a `Sharing`
 * child: it names one agreement, not the whole list.
 */
const AUDIT_FIELD_EVENTS: Readonly<Record<string, (raw: Record<string, unknown>) => ChildEventRecord[]>> = {
  FollowerChange: userListChange('follower_ids', 'current_followers', 'previous_followers'),
  EmailCcChange: userListChange('email_cc_ids', 'current_email_ccs', 'previous_email_ccs'),
  EmailCCChange: userListChange('email_cc_ids', 'current_email_ccs', 'previous_email_ccs'),
  SatisfactionRating: satisfactionRating,
  TicketSharingEvent: ticketSharing,
};

/**
 * A chat session's start or end. The Audits API nests the session under `value` (`chat_id`,
 * `visitor_id`, `history`); the export's flattened form is read the same way, and from the child
 * itself when it carries those keys at the top. The history is reduced to whether the end user
 * wrote in it; the messages themselves are never kept. Nothing here fails the record: a part that
 * is missing or not of the documented type reads as unknown (null).
 */
const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const compactChatChild = (
  type: 'ChatStartedEvent' | 'ChatEndedEvent',
  raw: Record<string, unknown>,
): ChildEventRecord => {
  const session = isObject(raw.value) ? raw.value : raw;
  const chatId =
    typeof session.chat_id === 'string' || typeof session.chat_id === 'number'
      ? String(session.chat_id)
      : null;
  if (type === 'ChatEndedEvent') return { kind: 'ChatEnded', chatId };
  const via = typeof raw.via === 'string' ? raw.via : channelOf(viaObject.safeParse(raw.via).data);
  const messages = Array.isArray(session.history)
    ? session.history.filter(isObject).filter((item) => SENT_ITEM_TYPES.has(String(item.type)))
    : [];
  return {
    kind: 'ChatStarted',
    chatId,
    via: via === '' ? null : via,
    endUserWrote: endUserWroteIn(messages),
  };
};

/**
 * The history items that are something sent: a message, or a file (a photo, a voice note: Zendesk's
 * chat redaction reference names the `ChatFileAttachment` items of a session's history). A
 * customer who only sends a picture wrote in the session; joining or leaving it is not writing.
 */
const SENT_ITEM_TYPES: ReadonlySet<string> = new Set(['ChatMessage', 'ChatFileAttachment']);

/**
 * Actor types of a session's messages. Zendesk's chat history says `end-user` and `agent`; its chat
 * and messaging events spell the customer `end_user`, Zendesk Chat calls the customer a visitor, and
 * Sunshine Conversations' business side is `business`. A message of another or no actor type
 * (`user` is anyone in Zendesk's vocabulary) is unknown.
 */
const CUSTOMER_ACTORS = new Set(['end-user', 'end_user', 'enduser', 'visitor']);
const STAFF_ACTORS = new Set(['agent', 'business', 'system', 'bot', 'ai_agent', 'answer_bot', 'trigger']);

/**
 * Whether the customer wrote in a session: true when a message is theirs, false only when every
 * message is known to be someone else's, null (unknown, so the session counts) otherwise.
 */
const endUserWroteIn = (messages: readonly Record<string, unknown>[]): boolean | null => {
  if (messages.length === 0) return null;
  const actors = messages.map((m) =>
    typeof m.actor_type === 'string' ? m.actor_type.trim().toLowerCase() : '',
  );
  if (actors.some((actor) => CUSTOMER_ACTORS.has(actor))) return true;
  return actors.every((actor) => STAFF_ACTORS.has(actor)) ? false : null;
};

const tagChanges = (raw: Record<string, unknown>, path: string) => {
  const added = parseWith(tagList, raw.added_tags, `${path}.added_tags`);
  const removed = parseWith(tagList, raw.removed_tags, `${path}.removed_tags`);
  return { ...(added ? { addedTags: added } : {}), ...(removed ? { removedTags: removed } : {}) };
};

/**
 * The children of one update. In a creation, the first comment is the ticket's description: it
 * keeps its words as `descriptionTerms` hashes, and which of the integration's views' search words
 * its words contain (`descriptionPartsFound`, when any), for "description contains"; never its text.
 */
const compactChildren = (
  children: readonly Record<string, unknown>[],
  listName: string,
  authorFallback: CommentAuthorFallback,
  searchWords: readonly string[],
): ChildEventRecord[] => {
  const compacted = children.map((child, i) => compactChild(child, `${listName}[${i}]`, authorFallback));
  const flat = compacted.flat();
  if (!flat.some((child) => child.kind === 'Create')) return flat;
  const first = compacted.findIndex((list) => list[0]?.kind === 'Comment');
  if (first < 0) return flat;
  const raw = children[first]!;
  const body = [raw.plain_body, raw.body].find((b): b is string => typeof b === 'string') ?? '';
  return compacted.flatMap((list, i) =>
    i === first ? list.map((child) => ({ ...child, ...descriptionOf(body, searchWords) })) : list,
  );
};

/** A description as the records keep it: its words' hashes, and the search words found in them. */
const descriptionOf = (text: string, searchWords: readonly string[]) => {
  const found = descriptionPartsFound(text, searchWords);
  return { terms: descriptionTerms(text), ...(found.length > 0 ? { partsFound: found } : {}) };
};

const isoOf = (epoch: number): string => new Date(epoch * 1000).toISOString().replace('.000Z', 'Z');
const epochOf = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

// --- incremental ticket events ------------------------------------------------------------------

const rawTicketEvent = z.looseObject({
  id,
  ticket_id: id,
  timestamp: EpochSecondsSchema,
  created_at: isoTimestamp.optional(),
  updater_id: userId,
  via: z.union([z.string(), viaObject]).nullish(),
  // Nothing reads it but the record; singer's tap types it string, integer or null: an id or none.
  via_reference_id: z.unknown().optional(),
  child_events: childList.nullish(),
});

/**
 * `searchWords`: the integration's views' "description contains at least one of / none of" words
 * (`descriptionSearchWords`), which a creation's description is read for.
 */
export const compactTicketEvent = (raw: unknown, searchWords: readonly string[] = []): TicketEventRecord => {
  const e = parseWith(rawTicketEvent, raw);
  return {
    id: e.id,
    ticketId: e.ticket_id,
    timestamp: e.timestamp,
    createdAt: e.created_at ?? isoOf(e.timestamp),
    updaterId: e.updater_id,
    via: typeof e.via === 'string' ? e.via : channelOf(e.via),
    viaReferenceId: positiveIdOf(e.via_reference_id),
    children: compactChildren(e.child_events ?? [], 'child_events', null, searchWords),
  };
};

// --- ticket audits (Audits API) -------------------------------------------------------------------

const rawAudit = z.looseObject({
  id,
  ticket_id: id,
  created_at: isoTimestamp,
  author_id: userId,
  via: z.union([viaObject, z.string()]).nullish(),
  events: childList.nullish(),
});

/**
 * An audit as a ticket event record. The Audits API's `via` is an object, so `via` carries its
 * `via.channel` (e.g. "web", "rule"), not the export's display name ("Web form", "Rule").
 */
export const compactAudit = (raw: unknown, searchWords: readonly string[] = []): TicketEventRecord => {
  const a = parseWith(rawAudit, raw);
  return {
    id: a.id,
    ticketId: a.ticket_id,
    timestamp: epochOf(a.created_at),
    createdAt: a.created_at,
    updaterId: a.author_id,
    via: typeof a.via === 'string' ? a.via : channelOf(a.via),
    viaReferenceId: null,
    children: withAuditRel(compactChildren(a.events ?? [], 'events', a.author_id, searchWords), relOf(a.via)),
  };
};

/**
 * An audit's event carries a via of its own only where it differs from its audit's (Audit events
 * reference), so a comment without one came the audit's way: its rel (an outbound call's
 * `outbound`) is the audit's. Its channel is read from the audit's already (`detectInteraction`).
 */
const withAuditRel = (children: ChildEventRecord[], rel: string | null): ChildEventRecord[] =>
  rel === null
    ? children
    : children.map((child) =>
        child.kind === 'Comment' && child.channel === null && child.rel === null ? { ...child, rel } : child,
      );

// --- incremental tickets ----------------------------------------------------------------------------

const rawTicket = z.looseObject({
  id,
  created_at: isoTimestamp,
  updated_at: isoTimestamp,
  generated_timestamp: EpochSecondsSchema,
  via: viaObject.nullish(),
  status: z.string(),
  priority: nullableText,
  type: nullableText,
  subject: nullableText,
  description: nullableText,
  requester_id: nullableId,
  submitter_id: nullableId,
  assignee_id: nullableId,
  organization_id: nullableId,
  group_id: nullableId,
  brand_id: nullableId,
  ticket_form_id: nullableId,
  custom_status_id: nullableId,
  due_at: isoTimestamp.nullish(),
  tags: z.array(z.string()).nullish(),
  custom_fields: z.array(z.looseObject({ id, value: z.unknown().optional() })).nullish(),
  // Newer than the rest of the record: anything but a string is read as none, never a failure.
  support_type: z.unknown().optional(),
  // The Tickets API's "original recipient e-mail address of the ticket": read as the support type is.
  recipient: z.unknown().optional(),
  // "Is true if any comments are public": anything but a boolean is read as not said.
  is_public: z.unknown().optional(),
});

export const compactTicket = (raw: unknown, searchWords: readonly string[] = []): TicketRecord => {
  const t = parseWith(rawTicket, raw);
  // The description's words only (a deleted ticket's scrubbed record has none worth keeping).
  const description =
    typeof t.description === 'string' && t.description !== '' && t.status !== 'deleted'
      ? descriptionOf(t.description, searchWords)
      : undefined;
  return {
    id: t.id,
    createdAt: t.created_at,
    updatedAt: t.updated_at,
    generatedTimestamp: t.generated_timestamp,
    channel: channelOf(t.via),
    ...(relOf(t.via) !== null ? { rel: relOf(t.via) } : {}),
    status: t.status,
    priority: t.priority ?? null,
    type: t.type ?? null,
    subject: t.subject ?? null,
    requesterId: t.requester_id ?? null,
    submitterId: t.submitter_id ?? null,
    assigneeId: t.assignee_id ?? null,
    organizationId: t.organization_id ?? null,
    groupId: t.group_id ?? null,
    brandId: t.brand_id ?? null,
    ticketFormId: t.ticket_form_id ?? null,
    customStatusId: t.custom_status_id ?? null,
    dueAt: t.due_at ?? null,
    tags: t.tags ?? [],
    customFields: Object.fromEntries(
      (t.custom_fields ?? []).map((f) => [String(f.id), toFieldValue(f.value)]),
    ),
    ...(description !== undefined ? { descriptionTerms: description.terms } : {}),
    ...(description?.partsFound !== undefined ? { descriptionPartsFound: description.partsFound } : {}),
    ...(typeof t.support_type === 'string' && t.support_type.trim() !== ''
      ? { supportType: t.support_type.trim().toLowerCase() }
      : {}),
    ...(typeof t.recipient === 'string' && t.recipient.trim() !== ''
      ? { recipient: t.recipient.trim().toLowerCase() }
      : {}),
    ...(typeof t.is_public === 'boolean' ? { isPublic: t.is_public } : {}),
  };
};

/**
 * A ticket as the Tickets API shows it now (Show Many Tickets). Its JSON is the export's; should it
 * lack `generated_timestamp` (the export's field, which the Tickets API is not documented to carry
 * in every version), the record reflects every update through its `updated_at` second, which is
 * what the field says.
 */
export const compactShownTicket = (raw: unknown, searchWords: readonly string[] = []): TicketRecord => {
  if (raw !== null && typeof raw === 'object' && !('generated_timestamp' in raw) && 'updated_at' in raw) {
    const updatedAt = Date.parse(String((raw as { updated_at: unknown }).updated_at));
    if (!Number.isNaN(updatedAt))
      return compactTicket({ ...raw, generated_timestamp: Math.floor(updatedAt / 1000) }, searchWords);
  }
  return compactTicket(raw, searchWords);
};

// --- incremental users ------------------------------------------------------------------------------

const rawUser = z.looseObject({
  id,
  role: z.string(),
  active: z.boolean(),
  updated_at: isoTimestamp,
  locale_id: nullableId,
  // Ticket sharing: "a shared agent from a different Zendesk Support instance". Anything but true is not.
  shared_agent: z.unknown().optional(),
});

/**
 * The role of a partner account's agent, whatever role the receiving account gives them: their
 * comments synced through a sharing agreement are staff's, not a customer's.
 */
export const SHARED_AGENT_ROLE = 'shared_agent';

export const compactUser = (raw: unknown): UserRecord => {
  const u = parseWith(rawUser, raw);
  return {
    id: u.id,
    role: u.shared_agent === true ? SHARED_AGENT_ROLE : u.role,
    active: u.active,
    updatedAt: u.updated_at,
    ...(u.locale_id !== undefined ? { localeId: u.locale_id } : {}),
  };
};

// --- views ------------------------------------------------------------------------------------------

const rawCondition = z.looseObject({
  field: z.string(),
  operator: z.string(),
  value: z.unknown().optional(),
});
const rawRestriction = z.looseObject({
  type: z.string(),
  id: nullableId,
  ids: z.array(z.number().int()).nullish(),
});
const rawConditionLists = z.looseObject({ all: z.unknown().optional(), any: z.unknown().optional() });
const rawView = z.looseObject({
  id,
  title: z.string(),
  active: z.boolean(),
  updated_at: isoTimestamp,
  position: z.number().int().nullish(),
  // Read on their own below: a view whose conditions or restriction do not fit is unsupported with
  // the reason, listed with the others, never left out of the views as a quarantined record.
  restriction: z.unknown().optional(),
  conditions: z.unknown().optional(),
});

const conditionValue = (value: unknown): ViewCondition['value'] => {
  if (value === undefined) return null;
  if (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  ) {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((v) => (typeof v === 'string' || typeof v === 'number' ? v : JSON.stringify(v)));
  }
  return JSON.stringify(value);
};

const SHOWN_CHARS = 200;
/** Text cut to SHOWN_CHARS characters (whole code points), marked when cut. */
const cut = (text: string): string => {
  const points = [...text];
  return points.length <= SHOWN_CHARS ? text : `${points.slice(0, SHOWN_CHARS).join('')}…`;
};
/** A value a problem quotes, cut short: the reason is for a person, not a copy of the payload. */
const shown = (value: unknown): string => cut(JSON.stringify(value) ?? 'nothing');
/** The most problems one view keeps: enough to say what is wrong, never a copy of a huge view. */
const MAX_VIEW_PROBLEMS = 20;

/**
 * Fields whose conditions Zendesk's conditions reference documents with the operator omitted
 * ("Omit the operator property", zendesk-api.md §4.3): read with the one operator they then mean.
 */
const OPERATOR_WHEN_OMITTED: Readonly<Record<string, string>> = {
  // "Received at" the address.
  recipient: 'is',
  // "Description contains at least one of the following words".
  description_includes_word: 'includes',
};

const omittedOperatorOf = (field: string, operator: unknown): string | undefined =>
  (operator === undefined || operator === null) && Object.hasOwn(OPERATOR_WHEN_OMITTED, field)
    ? OPERATOR_WHEN_OMITTED[field]
    : undefined;

/** Why a condition cannot be read, naming it; null when it can. */
const conditionProblem = (raw: unknown, name: string): string | null => {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return `unreadable condition ${name} (${shown(raw)}): not an object`;
  const { field, operator } = raw as Record<string, unknown>;
  if (typeof field !== 'string')
    return `unreadable condition ${name}: ${field === undefined ? 'no field' : `field is not a string (${shown(field)})`}`;
  if (typeof operator !== 'string' && omittedOperatorOf(field, operator) === undefined)
    return `unreadable condition ${name} (field ${cut(field)}): ${operator === undefined || operator === null ? 'no operator' : `operator is not a string (${shown(operator)})`}`;
  return null;
};

/** The conditions of one list; one that cannot be read is a problem naming it, never a failed page. */
const compactConditions = (list: unknown, listName: 'all' | 'any') => {
  const conditions: ViewCondition[] = [];
  const problems: string[] = [];
  if (list !== undefined && list !== null && !Array.isArray(list))
    return { conditions, problems: [`unreadable conditions.${listName}: not a list (${shown(list)})`] };
  (list ?? []).forEach((raw: unknown, i) => {
    const problem = conditionProblem(raw, `${listName}[${i}]`);
    if (problem !== null) {
      problems.push(problem);
      return;
    }
    const { field, operator, value } = raw as Record<string, unknown>;
    const c = rawCondition.parse({
      field,
      value,
      operator: omittedOperatorOf(String(field), operator) ?? operator,
    });
    conditions.push({ field: c.field, operator: c.operator, value: conditionValue(c.value) });
  });
  return { conditions, problems };
};

/** The view's restriction, or the problem that it cannot be read. */
const compactRestriction = (
  raw: unknown,
): { restriction: NonNullable<ViewRecord['restriction']> | null; problems: string[] } => {
  if (raw === undefined || raw === null) return { restriction: null, problems: [] };
  const parsed = rawRestriction.safeParse(raw);
  if (!parsed.success) return { restriction: null, problems: [`unreadable restriction (${shown(raw)})`] };
  const r = parsed.data;
  return {
    restriction: { type: r.type, ids: [...new Set([...(r.ids ?? []), ...(r.id != null ? [r.id] : [])])] },
    problems: [],
  };
};

/**
 * A view. Its conditions are read one by one: a condition without an operator, or a field or
 * operator that is not a string, becomes a problem of this view (unsupported, with a reason naming
 * the condition) and the rest of the page is read as usual. So do conditions that are not an object
 * of lists and a restriction that does not fit: the view is listed, unsupported, with the reason.
 */
export const compactView = (raw: unknown): ViewRecord => {
  const v = parseWith(rawView, raw);
  const lists = rawConditionLists.safeParse(v.conditions ?? {});
  const all = compactConditions(lists.data?.all, 'all');
  const any = compactConditions(lists.data?.any, 'any');
  const { restriction, problems: restrictionProblems } = compactRestriction(v.restriction);
  const problems = [
    ...(lists.success ? [] : [`unreadable conditions: not an object (${shown(v.conditions)})`]),
    // Zendesk saves no view without conditions (zendesk-api.md §4.2): an answer without them was
    // not read whole, and evaluated as it stands the view would hold every ticket.
    ...(v.conditions === undefined || v.conditions === null ? ["no conditions in Zendesk's answer"] : []),
    ...all.problems,
    ...any.problems,
    ...restrictionProblems,
  ];
  const kept =
    problems.length <= MAX_VIEW_PROBLEMS
      ? problems
      : [...problems.slice(0, MAX_VIEW_PROBLEMS), `and ${problems.length - MAX_VIEW_PROBLEMS} more`];
  return {
    id: v.id,
    title: v.title,
    active: v.active,
    updatedAt: v.updated_at,
    position: v.position ?? null,
    conditions: { all: all.conditions, any: any.conditions },
    ...(restriction ? { restriction } : {}),
    ...(kept.length > 0 ? { problems: kept } : {}),
  };
};

// --- Talk incremental calls -------------------------------------------------------------------------

const rawCall = z.looseObject({
  id,
  created_at: isoTimestamp,
  updated_at: isoTimestamp,
  direction: z.string().min(1),
  phone_number: nullableText,
  ivr_destination_group_name: nullableText,
  agent_id: nullableId,
  completion_status: nullableText,
  talk_time: seconds,
  hold_time: seconds,
  wrap_up_time: seconds,
  wait_time: seconds,
  callback: z.boolean().nullish(),
  // The wire name; the Singer and Airbyte schemas misspell it `exceeded_queue_time` (zendesk-api.md §5.2).
  // Read as true only when it is true: an odd value costs the call no contact, only this flag.
  exceeded_queue_wait_time: z.unknown().optional(),
  customer_requested_voicemail: z.unknown().optional(),
});

export const compactCall = (raw: unknown): CallRecord => {
  const c = parseWith(rawCall, raw);
  return {
    id: c.id,
    createdAt: c.created_at,
    updatedAt: c.updated_at,
    direction: c.direction,
    phoneNumber: c.phone_number ?? null,
    ivrDestinationGroupName: c.ivr_destination_group_name ?? null,
    // Zendesk records 0 for "no agent" on some call shapes; no user has id 0.
    agentId: c.agent_id ? c.agent_id : null,
    completionStatus: c.completion_status ?? null,
    talkTime: c.talk_time ?? null,
    holdTime: c.hold_time ?? null,
    wrapUpTime: c.wrap_up_time ?? null,
    waitTime: c.wait_time ?? null,
    callback: c.callback === true,
    exceededQueueWaitTime: c.exceeded_queue_wait_time === true,
    customerRequestedVoicemail: c.customer_requested_voicemail === true,
  };
};

/** The export-ordering second of a call: the Talk export follows `updated_at`. */
export const callTimestamp = (call: CallRecord): number => epochOf(call.updatedAt);
