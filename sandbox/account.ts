/**
 * The synthetic account in compact form: users, views and tickets as small objects, ticket updates
 * (audits) and their field changes, and Talk calls as typed-array columns. Ticket state is never
 * stored per update; it is folded from a ticket's own updates when a page is rendered or the truth
 * is built, so a million updates cost a few tens of megabytes.
 */
import {
  CALLBACK_FIELD_ID,
  CUSTOM_STATUS_IDS,
  FOLLOW_UP_DATE_FIELD_ID,
  RECIPIENTS,
  SATISFACTION_SCORES,
  TAGS,
  TOPIC_FIELD_ID,
  TOPICS,
  descriptionText,
  type CatalogView,
} from './catalog.js';
import { dayOfNumber } from './calendar.js';
import { Column, float64, int32, lowerBound, uint32, uint8 } from './columns.js';
import type { TicketState } from './truth.js';

export const AuditKind = {
  Create: 1,
  CustomerComment: 2,
  AgentReply: 3,
  InternalNote: 4,
  Rule: 5,
  MergeSource: 6,
  MergeTarget: 7,
  Delete: 8,
  /** The customer starts a chat session on an existing ticket (a `ChatStartedEvent`). */
  ChatStart: 9,
  /**
   * A chat session ends (a `ChatEndedEvent`, by Zendesk itself); `extra` 1 = the transcript is
   * appended as a comment in the same update.
   */
  ChatEnd: 10,
} as const;
export type AuditKind = (typeof AuditKind)[keyof typeof AuditKind];

/** Which ticket field a change sets; values are encoded as numbers (see `decodeValue`). */
export const Field = {
  Subject: 1,
  Requester: 2,
  Organization: 3,
  Status: 4,
  Priority: 5,
  Type: 6,
  Brand: 7,
  Form: 8,
  TagAdd: 9,
  TagRemove: 10,
  Topic: 11,
  Group: 12,
  Assignee: 13,
  /**
   * The due date: a value > 0 is a timestamp (epoch seconds), < 0 a date-only due date (minus its
   * day number, `calendar.ts`), 0 none.
   */
  Due: 14,
  /** The follow-up date custom field: its day number (`calendar.ts`), 0 none. */
  FollowUpDate: 15,
  /** The callback checkbox: 0 never set, 1 checked, 2 unchecked. */
  Callback: 16,
  /** A user copied in (CC'd); a user following the ticket. Values are user ids. */
  CcAdd: 17,
  FollowerAdd: 18,
  /** `satisfaction_score`: an index of `SATISFACTION_SCORES`. */
  Satisfaction: 19,
  /** The rating comes with a comment (1) or without (0). */
  SatisfactionComment: 20,
  /** `recipient`: an index of `RECIPIENTS`. */
  Recipient: 21,
  /**
   * `custom_status_id` set on its own (a status change sets the status's default custom status;
   * this, right after it, another one of that status's category).
   */
  CustomStatus: 22,
  /** `satisfaction_reason_code`: a code of `SATISFACTION_REASON_CODES`, stated with every rating. */
  SatisfactionReason: 23,
  /** The ticket shared through a sharing agreement: its id (a ticket sharing event). */
  Sharing: 24,
} as const;
export type Field = (typeof Field)[keyof typeof Field];

export const STATUSES = ['new', 'open', 'pending', 'hold', 'solved', 'closed', 'deleted'] as const;
export const PRIORITIES = [null, 'low', 'normal', 'high', 'urgent'] as const;
export const TICKET_TYPES = [null, 'question', 'incident', 'problem', 'task'] as const;

export interface User {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  readonly role: 'end-user' | 'agent' | 'admin';
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly timeZone: readonly [string, string];
  readonly organizationId: number | null;
  readonly defaultGroupId: number | null;
  readonly phone: string | null;
  readonly tags: readonly string[];
  readonly lastLoginAt: number | null;
  /** `locale_id`: the user's language (the "Requester language" view condition). */
  readonly localeId: number;
}

export interface View extends CatalogView {
  readonly position: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** A ticket's mutable state while folding its updates. `subject` is an index into the subject list. */
export interface FoldState extends TicketState {
  status: string;
  priority: string | null;
  type: string | null;
  groupId: number | null;
  assigneeId: number | null;
  requesterId: number | null;
  organizationId: number | null;
  brandId: number | null;
  ticketFormId: number | null;
  tags: string[];
  customFields: Record<string, string | null>;
  createdAt: number;
  statusSince: number;
  due: number;
  ccIds: number[];
  followerIds: number[];
  sharingAgreementIds: number[];
  satisfaction: string | null;
  satisfactionCommented: boolean;
  satisfactionReason: number | null;
  recipient: string | null;
  customStatusId: number | null;
  customStatusSince: number;
  assignedAt: number | null;
  updatedAt: number;
  requesterUpdatedAt: number | null;
  assigneeUpdatedAt: number | null;
  description: string | null;
  /** How many public comments the ticket has (Privacy). */
  publicComments: number;
  subject: number;
}

export const emptyState = (createdAt: number): FoldState => ({
  status: 'new',
  priority: null,
  type: null,
  groupId: null,
  assigneeId: null,
  requesterId: null,
  organizationId: null,
  brandId: null,
  ticketFormId: null,
  tags: [],
  customFields: {},
  createdAt,
  statusSince: createdAt,
  due: 0,
  ccIds: [],
  followerIds: [],
  sharingAgreementIds: [],
  satisfaction: null,
  satisfactionCommented: false,
  satisfactionReason: null,
  recipient: null,
  customStatusId: null,
  customStatusSince: createdAt,
  assignedAt: null,
  updatedAt: createdAt,
  requesterUpdatedAt: null,
  assigneeUpdatedAt: null,
  description: null,
  publicComments: 0,
  subject: 0,
});

const TOPIC_KEY = String(TOPIC_FIELD_ID);
const FOLLOW_UP_KEY = String(FOLLOW_UP_DATE_FIELD_ID);
const CALLBACK_KEY = String(CALLBACK_FIELD_ID);
const CALLBACK_VALUES = [null, 'true', 'false'] as const;

export const applyChange = (s: FoldState, field: number, value: number): void => {
  switch (field) {
    case Field.Subject:
      s.subject = value;
      return;
    case Field.Requester:
      s.requesterId = value;
      return;
    case Field.Organization:
      s.organizationId = value || null;
      return;
    case Field.Status:
      s.status = STATUSES[value]!;
      // Zendesk states the status's default custom status with every status change.
      s.customStatusId = CUSTOM_STATUS_IDS[s.status]!;
      return;
    case Field.CustomStatus:
      s.customStatusId = value;
      return;
    case Field.Due:
      s.due = value;
      return;
    case Field.FollowUpDate:
      s.customFields = { ...s.customFields, [FOLLOW_UP_KEY]: value ? dayOfNumber(value) : null };
      return;
    case Field.Callback:
      s.customFields = { ...s.customFields, [CALLBACK_KEY]: CALLBACK_VALUES[value] ?? null };
      return;
    case Field.CcAdd:
      if (!s.ccIds.includes(value)) s.ccIds = [...s.ccIds, value].sort((x, y) => x - y);
      return;
    case Field.FollowerAdd:
      if (!s.followerIds.includes(value)) s.followerIds = [...s.followerIds, value].sort((x, y) => x - y);
      return;
    case Field.Sharing:
      if (!s.sharingAgreementIds.includes(value))
        s.sharingAgreementIds = [...s.sharingAgreementIds, value].sort((x, y) => x - y);
      return;
    case Field.Satisfaction:
      s.satisfaction = SATISFACTION_SCORES[value] ?? null;
      s.satisfactionCommented = false;
      return;
    case Field.SatisfactionComment:
      s.satisfactionCommented = value === 1;
      return;
    case Field.SatisfactionReason:
      s.satisfactionReason = value;
      return;
    case Field.Recipient:
      s.recipient = RECIPIENTS[value] ?? null;
      return;
    case Field.Priority:
      s.priority = PRIORITIES[value] ?? null;
      return;
    case Field.Type:
      s.type = TICKET_TYPES[value] ?? null;
      return;
    case Field.Brand:
      s.brandId = value;
      return;
    case Field.Form:
      s.ticketFormId = value;
      return;
    case Field.TagAdd:
      if (!s.tags.includes(TAGS[value]!)) s.tags = [...s.tags, TAGS[value]!];
      return;
    case Field.TagRemove:
      s.tags = s.tags.filter((t) => t !== TAGS[value]);
      return;
    case Field.Topic:
      s.customFields = { ...s.customFields, [TOPIC_KEY]: value ? TOPICS[value - 1]! : null };
      return;
    case Field.Group:
      s.groupId = value || null;
      return;
    case Field.Assignee:
      s.assigneeId = value || null;
      return;
    default:
      throw new Error(`unknown field code ${field}`);
  }
};

export const cloneState = (s: FoldState): FoldState => ({
  ...s,
  tags: [...s.tags],
  customFields: { ...s.customFields },
  ccIds: [...s.ccIds],
  followerIds: [...s.followerIds],
  sharingAgreementIds: [...s.sharingAgreementIds],
});

export const customStatusId = (status: string): number => CUSTOM_STATUS_IDS[status]!;

export const AUDIT_ID_BASE = 31_000_000_000;
/** Audit ids leave room for their child events' ids (audit id + 1 …). */
export const AUDIT_ID_STRIDE = 20;
export const CALL_ID_BASE = 360_200_000_000;
export const LEG_ID_BASE = 360_300_000_000;
export const callId = (c: number): number => CALL_ID_BASE + 1 + c;
/** Leg codes are `call * 2` (customer leg) and `call * 2 + 1` (agent leg). */
export const legId = (code: number): number => LEG_ID_BASE + 10 + code;

export class Account {
  readonly users: User[] = [];
  readonly usersById = new Map<number, User>();
  readonly views: View[] = [];
  /** Channel names by code; codes index `audit.channel`. */
  readonly channelNames: string[] = [];
  /**
   * Tickets created through a conversation channel whose creation update carries no session start:
   * the session that created the ticket starts in an update of its own right after (a `ChatStart`
   * audit), as a real account may record it.
   */
  readonly creationSessionApart = new Set<number>();
  /** Tickets whose creation's comment is an internal note: no public comment (Privacy) at first. */
  readonly privateCreations = new Set<number>();
  /**
   * Voice tickets an agent's answered outbound call created (Zendesk makes one for a call placed
   * from the call console): via type "Phone call (outbound)", the call's `via.source.rel`
   * `outbound`. No contact: the integration imports incoming calls only.
   */
  readonly outboundCallCreations = new Set<number>();
  private readonly channelCodes = new Map<string, number>();

  // audits, by insertion ("temp") index
  readonly auditTicket = int32(1 << 16);
  readonly auditTs = float64(1 << 16);
  readonly auditKind = uint8(1 << 16);
  readonly auditChannel = uint8(1 << 16);
  readonly auditAuthor = int32(1 << 16);
  readonly auditChangeStart = int32(1 << 16);
  readonly auditChangeCount = uint8(1 << 16);
  readonly auditNext = int32(1 << 16);
  /** Merge audits: the other ticket's id; comment audits: which line of text. */
  readonly auditExtra = int32(1 << 16);
  readonly changeField = uint8(1 << 17);
  readonly changeValue = int32(1 << 17);
  /** The trigger or automation that made the change, 0 when the updater made it. */
  readonly changeRule = int32(1 << 17);

  // global time order of audits: position → temp index, and back
  readonly order: Column<Uint32Array> = uint32(1 << 16);
  readonly positionOf: Column<Uint32Array> = uint32(1 << 16);

  // tickets, by index (ticket id = index + 1)
  readonly ticketHead = int32(1 << 12);
  readonly ticketTail = int32(1 << 12);
  readonly ticketCreated = float64(1 << 12);
  readonly ticketLast = float64(1 << 12);
  readonly ticketChannel = uint8(1 << 12);
  /** When the ticket was closed, merged away or deleted (Infinity while it is not). */
  readonly ticketEnded = float64(1 << 12);

  // calls, by index
  readonly callCreated = float64(1 << 12);
  readonly callUpdated = float64(1 << 12);
  readonly callInbound = uint8(1 << 12);
  readonly callNumber = uint8(1 << 12);
  /** Index into `ivrGroupNames`, -1 when the call went through no IVR. */
  readonly callIvr = int32(1 << 12);
  readonly callAgent = int32(1 << 12);
  readonly callCustomer = int32(1 << 12);
  readonly callStatus = uint8(1 << 12);
  readonly callIvrTime = int32(1 << 12);
  readonly callWait = int32(1 << 12);
  /** -1 encodes Zendesk's null (failed calls). */
  readonly callTalk = int32(1 << 12);
  readonly callHold = int32(1 << 12);
  readonly callWrap = int32(1 << 12);
  /** 1: the call was started by the customer's callback request (`callback: true`). */
  readonly callCallback = uint8(1 << 12);
  readonly ivrGroupNames: string[] = [];

  private ticketOrderCache: Uint32Array | null = null;
  private callOrderCache: Uint32Array | null = null;
  private legOrderCache: Float64Array | null = null;
  /** Bumped on every change; caches of derived data (truth, orders) compare it. */
  version = 0;

  constructor(
    readonly seed: number,
    /** Epoch seconds the generated data starts at and ends before. */
    readonly spanStart: number,
    readonly spanEnd: number,
  ) {}

  channelCode(name: string): number {
    let code = this.channelCodes.get(name);
    if (code === undefined) {
      code = this.channelNames.length;
      if (code > 255) throw new Error('too many distinct channels');
      this.channelNames.push(name);
      this.channelCodes.set(name, code);
    }
    return code;
  }

  addUser(u: User): void {
    this.users.push(u);
    this.usersById.set(u.id, u);
  }

  roleOf(userId: number): User['role'] | null {
    return this.usersById.get(userId)?.role ?? null;
  }

  get ticketCount(): number {
    return this.ticketHead.length;
  }

  get auditCount(): number {
    return this.auditTicket.length;
  }

  get callCount(): number {
    return this.callCreated.length;
  }

  addTicket(createdAt: number, channel: string): number {
    const t = this.ticketHead.push(-1);
    this.ticketTail.push(-1);
    this.ticketCreated.push(createdAt);
    this.ticketLast.push(createdAt);
    this.ticketChannel.push(this.channelCode(channel));
    this.ticketEnded.push(Infinity);
    this.version++;
    return t;
  }

  /**
   * Adds an audit to a ticket, in time order among the ticket's audits (a merge can add one to an
   * older ticket between its existing ones). Changes are `[field, value, ruleId]` triples.
   */
  addAudit(
    ticket: number,
    ts: number,
    kind: AuditKind,
    channel: string,
    author: number,
    changes: readonly (readonly [number, number, number])[],
    extra = 0,
  ): number {
    const a = this.auditTicket.push(ticket);
    this.auditTs.push(ts);
    this.auditKind.push(kind);
    this.auditChannel.push(this.channelCode(channel));
    this.auditAuthor.push(author);
    this.auditChangeStart.push(this.changeField.length);
    this.auditChangeCount.push(changes.length);
    this.auditExtra.push(extra);
    for (const [field, value, rule] of changes) {
      this.changeField.push(field);
      this.changeValue.push(value);
      this.changeRule.push(rule);
    }
    this.auditNext.push(-1);
    const tail = this.ticketTail.get(ticket);
    if (tail < 0) {
      this.ticketHead.set(ticket, a);
      this.ticketTail.set(ticket, a);
    } else if (this.auditTs.get(tail) <= ts) {
      this.auditNext.set(tail, a);
      this.ticketTail.set(ticket, a);
    } else {
      let prev = -1;
      let cur = this.ticketHead.get(ticket);
      while (cur >= 0 && this.auditTs.get(cur) <= ts) {
        prev = cur;
        cur = this.auditNext.get(cur);
      }
      this.auditNext.set(a, cur);
      if (prev < 0) this.ticketHead.set(ticket, a);
      else this.auditNext.set(prev, a);
    }
    if (ts > this.ticketLast.get(ticket)) this.ticketLast.set(ticket, ts);
    this.ticketOrderCache = null;
    this.version++;
    return a;
  }

  /** Sorts all audits by (time, insertion) and numbers them: audit ids grow with time. */
  sealAudits(): void {
    const n = this.auditCount;
    const keys = new Float64Array(n);
    const ts = this.auditTs.view();
    // time relative to the span start (< 2^27 s) times 2^26 slots for the insertion index: exact in a double
    for (let a = 0; a < n; a++) keys[a] = (ts[a]! - this.spanStart) * 67_108_864 + a;
    if (n >= 67_108_864) throw new Error('too many audits');
    keys.sort();
    for (let p = 0; p < n; p++) {
      const a = keys[p]! % 67_108_864;
      this.order.push(a);
    }
    for (let p = 0; p < n; p++) this.positionOf.push(0);
    for (let p = 0; p < n; p++) this.positionOf.set(this.order.get(p), p);
  }

  /** Records an audit appended after sealing (mutations happen at the clock's now, after everything else). */
  appendToOrder(a: number): void {
    this.order.push(a);
    this.positionOf.push(this.order.length - 1);
  }

  auditId(a: number): number {
    return AUDIT_ID_BASE + this.positionOf.get(a) * AUDIT_ID_STRIDE;
  }

  ticketId(t: number): number {
    return t + 1;
  }

  ticketIndex(id: number): number | null {
    return Number.isInteger(id) && id >= 1 && id <= this.ticketCount ? id - 1 : null;
  }

  /** Audit temp indices of one ticket, in time order. */
  auditsOfTicket(t: number): number[] {
    const out: number[] = [];
    for (let a = this.ticketHead.get(t); a >= 0; a = this.auditNext.get(a)) out.push(a);
    return out;
  }

  applyChangeTo(s: FoldState, k: number): void {
    applyChange(s, this.changeField.get(k), this.changeValue.get(k));
  }

  applyAudit(s: FoldState, a: number): void {
    const start = this.auditChangeStart.get(a);
    const end = start + this.auditChangeCount.get(a);
    const status = s.status;
    const customStatus = s.customStatusId;
    const assignee = s.assigneeId;
    for (let k = start; k < end; k++) applyChange(s, this.changeField.get(k), this.changeValue.get(k));
    // When the ticket entered its status (custom status): the "hours since open / pending / …"
    // and "hours since <custom status>" conditions.
    const ts = this.auditTs.get(a);
    if (s.status !== status) s.statusSince = ts;
    if (s.customStatusId !== customStatus) s.customStatusSince = ts;
    // When the assignee was set, the ticket last updated, by its requester, by its assignee.
    if (s.assigneeId !== assignee) s.assignedAt = s.assigneeId === null ? null : ts;
    s.updatedAt = ts;
    const author = this.auditAuthor.get(a);
    if (author === s.requesterId) s.requesterUpdatedAt = ts;
    if (author === s.assigneeId) s.assigneeUpdatedAt = ts;
    // The description is the creation's comment.
    if (this.auditKind.get(a) === AuditKind.Create)
      s.description = descriptionText(s.subject, this.auditExtra.get(a));
    if (this.addsPublicComment(a)) s.publicComments += 1;
  }

  /**
   * Whether audit `a` adds a public comment: a creation (unless opened with an internal note), a
   * customer's comment, an agent's reply, a session's transcript. Internal notes and merge
   * comments are private.
   */
  addsPublicComment(a: number): boolean {
    const kind = this.auditKind.get(a);
    if (kind === AuditKind.Create) return !this.privateCreations.has(this.auditTicket.get(a));
    return (
      kind === AuditKind.CustomerComment ||
      kind === AuditKind.AgentReply ||
      (kind === AuditKind.ChatEnd && this.auditExtra.get(a) === 1)
    );
  }

  /** The ticket's state just before audit `a`. */
  stateBefore(a: number): FoldState {
    const t = this.auditTicket.get(a);
    const s = emptyState(this.ticketCreated.get(t));
    for (let x = this.ticketHead.get(t); x >= 0 && x !== a; x = this.auditNext.get(x)) this.applyAudit(s, x);
    return s;
  }

  /** The ticket's current state. */
  finalState(t: number): FoldState {
    const s = emptyState(this.ticketCreated.get(t));
    for (let x = this.ticketHead.get(t); x >= 0; x = this.auditNext.get(x)) this.applyAudit(s, x);
    return s;
  }

  /**
   * The ticket's state at `asOf` (epoch seconds): folded through its updates up to and including
   * that second, none later; null when its creation is later (the ticket does not exist yet).
   */
  stateAt(t: number, asOf: number): FoldState | null {
    const head = this.ticketHead.get(t);
    if (head < 0 || this.auditTs.get(head) > asOf) return null;
    const s = emptyState(this.ticketCreated.get(t));
    for (let x = head; x >= 0 && this.auditTs.get(x) <= asOf; x = this.auditNext.get(x))
      this.applyAudit(s, x);
    return s;
  }

  /** Tickets by (last update, id): the incremental ticket export's order. */
  ticketOrder(): Uint32Array {
    if (!this.ticketOrderCache || this.ticketOrderCache.length !== this.ticketCount) {
      this.ticketOrderCache = this.sortedBy(this.ticketCount, (t) => this.ticketLast.get(t));
    }
    return this.ticketOrderCache;
  }

  /** Calls by (last update, id): the Talk export's order. */
  callOrder(): Uint32Array {
    if (!this.callOrderCache)
      this.callOrderCache = this.sortedBy(this.callCount, (c) => this.callUpdated.get(c));
    return this.callOrderCache;
  }

  /** Legs as `call * 2 + (0 customer | 1 agent)` codes, by (updated_at, id); unanswered calls have no agent leg. */
  legOrder(legUpdated: (code: number) => number): Float64Array {
    if (!this.legOrderCache) {
      const codes: number[] = [];
      for (let c = 0; c < this.callCount; c++) {
        codes.push(c * 2);
        if (this.callAgent.get(c) !== 0) codes.push(c * 2 + 1);
      }
      codes.sort((x, y) => legUpdated(x) - legUpdated(y) || x - y);
      this.legOrderCache = Float64Array.from(codes);
    }
    return this.legOrderCache;
  }

  invalidateCallOrder(): void {
    this.callOrderCache = null;
    this.legOrderCache = null;
    this.version++;
  }

  private sortedBy(n: number, tsOf: (i: number) => number): Uint32Array {
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = (tsOf(i) - this.spanStart + 1e8) * 4_194_304 + i;
    if (n >= 4_194_304) throw new Error('too many records to order');
    keys.sort();
    const out = new Uint32Array(n);
    for (let p = 0; p < n; p++) out[p] = keys[p]! % 4_194_304;
    return out;
  }

  /** The first audit position whose time is ≥ `ts`. */
  firstAuditPositionAt(ts: number): number {
    return lowerBound(this.order.length, (p) => this.auditTs.get(this.order.get(p)), ts);
  }
}

export type { Column };
