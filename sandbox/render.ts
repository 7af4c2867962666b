/**
 * Renders the compact account as Zendesk's wire format (snake_case JSON, zendesk-api.md field by
 * field): export events with flattened child events, audits in the Audits API form, tickets, users,
 * views, Talk calls and legs. Everything is derived from the account and the seed, never from the
 * wall clock, so the same seed and anchor give byte-identical bodies.
 */
import {
  Account,
  AuditKind,
  Field,
  callId,
  cloneState,
  customStatusId,
  emptyState,
  legId,
  type FoldState,
  type User,
  type View,
} from './account.js';
import { dayOfNumber, localNoon } from './calendar.js';
import {
  ACCOUNT_TIME_ZONE,
  AGENT_LINES,
  descriptionText,
  subjectText,
  CALLBACK_FIELD_ID,
  FOLLOW_UP_DATE_FIELD_ID,
  LOCALES,
  CLOSE_AUTOMATION,
  COMPLETION_STATUSES,
  voicemailRouteOf,
  CUSTOMER_LINES,
  IVR_GROUP_IDS,
  MERGE_DISPLAY,
  OUTBOUND_CALL_DISPLAY,
  NOTE_LINES,
  RULE_DISPLAY,
  SYSTEM_INFO,
  TAGS,
  TALK_NUMBERS,
  TOPIC_FIELD_ID,
  TRIGGERS,
  viaDisplay,
} from './catalog.js';
import { commentAuthor, commentChannel, hasComment, startsSession } from './ground-truth.js';
import { isUnstatedDefault } from './record-shapes.js';
import { MESSAGING_CHANNELS, SUPPORT_TYPE } from './truth.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export const isoSeconds = (seconds: number): string =>
  new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

const SUPPORT_ADDRESS = 'support@acme.zendesk.com';
const RULE_TITLES = new Map<number, string>(
  [...Object.values(TRIGGERS), CLOSE_AUTOMATION].map((r) => [r.id, r.title]),
);
const TOPIC_KEY = String(TOPIC_FIELD_ID);
const FOLLOW_UP_KEY = String(FOLLOW_UP_DATE_FIELD_ID);
const CALLBACK_KEY = String(CALLBACK_FIELD_ID);

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const formattedPhone = (phone: string) =>
  phone.startsWith('+49')
    ? `+49 ${phone.slice(3, 5)} ${phone.slice(5)}`
    : `${phone.slice(0, 3)} ${phone.slice(3)}`;

export class Renderer {
  constructor(
    private readonly account: Account,
    private readonly baseUrl: string,
  ) {}

  private user(id: number): User | undefined {
    return this.account.usersById.get(id);
  }

  /** `via.source` of an update made through `channel` by `authorId` on a ticket requested by `requesterId`. */
  private source(
    channel: string,
    authorId: number,
    requesterId: number | null,
    outboundCall = false,
  ): JsonObject {
    const author = this.user(authorId);
    const requester = requesterId === null ? undefined : this.user(requesterId);
    const customer = author?.role === 'end-user' ? author : requester;
    switch (channel) {
      case 'email':
        return {
          from: {
            address: author?.email ?? SUPPORT_ADDRESS,
            name: author?.name ?? 'Acme',
            original_recipients: [SUPPORT_ADDRESS],
          },
          to: { address: SUPPORT_ADDRESS, name: 'Acme', email_ccs: [] },
          rel: null,
        };
      case 'voice': {
        const phone = customer?.phone ?? '+4915100000000';
        const caller = {
          phone,
          formatted_phone: formattedPhone(phone),
          name: `Caller ${formattedPhone(phone)}`,
        };
        const line = { phone: '+493030999000', formatted_phone: '+49 30 30999000', name: 'Support line' };
        // An agent's call goes from the support line to the customer (ZD-VIA-OBJ: rel `outbound`).
        return outboundCall
          ? { from: line, to: caller, rel: 'outbound' }
          : { from: caller, to: line, rel: 'inbound' };
      }
      case 'twitter': {
        const handle = (customer?.email ?? 'customer').split('@')[0]!.replace(/\./g, '_');
        return {
          from: {
            profile_url: `https://twitter.com/${handle}`,
            username: handle,
            name: customer?.name ?? handle,
          },
          to: { profile_url: 'https://twitter.com/acme', username: 'acme', name: 'Acme' },
          rel: 'direct_message',
        };
      }
      case 'facebook':
        return {
          from: {
            name: customer?.name ?? 'Customer',
            profile_url: `https://www.facebook.com/${customer?.id ?? 0}`,
            facebook_id: String(customer?.id ?? 0),
          },
          to: { name: 'Acme', profile_url: 'https://www.facebook.com/acme', facebook_id: '100000000000001' },
          rel: 'message',
        };
      default:
        return { from: {}, to: {}, rel: null };
    }
  }

  private viaObject(
    channel: string,
    authorId: number,
    requesterId: number | null,
    outboundCall = false,
  ): JsonObject {
    return { channel, source: this.source(channel, authorId, requesterId, outboundCall) };
  }

  /** Whether audit `a` creates a ticket through an agent's outbound call. */
  private isOutboundCallCreation(a: number): boolean {
    const acc = this.account;
    return acc.auditKind.get(a) === AuditKind.Create && acc.outboundCallCreations.has(acc.auditTicket.get(a));
  }

  private ruleVia(ruleId: number): JsonObject {
    const automation = ruleId === CLOSE_AUTOMATION.id;
    return {
      channel: 'rule',
      source: {
        from: automation
          ? { id: ruleId, title: RULE_TITLES.get(ruleId) ?? '', deleted: false }
          : { id: ruleId, title: RULE_TITLES.get(ruleId) ?? '', deleted: false, revision_id: 1 },
        to: {},
        rel: automation ? 'automation' : 'trigger',
      },
    };
  }

  commentBody(a: number, before: FoldState): string {
    const extra = this.account.auditExtra.get(a);
    switch (this.account.auditKind.get(a)) {
      case AuditKind.Create:
        return descriptionText(before.subject, extra);
      case AuditKind.CustomerComment:
        return CUSTOMER_LINES[extra % CUSTOMER_LINES.length]!;
      case AuditKind.AgentReply:
        return AGENT_LINES[extra % AGENT_LINES.length]!;
      case AuditKind.InternalNote:
        return NOTE_LINES[extra % NOTE_LINES.length]!;
      case AuditKind.MergeSource:
        return `Request #${this.account.ticketId(this.account.auditTicket.get(a))} was closed and merged into request #${extra}.`;
      case AuditKind.ChatEnd:
        return `Conversation with ${this.user(before.requesterId ?? 0)?.name ?? 'Web User'}\n\n${CUSTOMER_LINES[this.account.auditTicket.get(a) % CUSTOMER_LINES.length]}\n\n${AGENT_LINES[a % AGENT_LINES.length]}`;
      default:
        return `Request #${extra} was closed and merged into this request.`;
    }
  }

  /** Whether audit `a`'s comment (it has one) is public. */
  private commentPublic(a: number): boolean {
    return this.account.addsPublicComment(a);
  }

  /** The chat session audit `a` starts or ends: `chat_id` is the ticket and the starting audit's id. */
  private chatSession(a: number): JsonObject {
    const acc = this.account;
    const t = acc.auditTicket.get(a);
    let start = a;
    if (!startsSession(acc, a))
      for (const x of acc.auditsOfTicket(t)) {
        if (x === a) break;
        if (startsSession(acc, x)) start = x;
      }
    const requester = acc.stateBefore(start).requesterId ?? acc.auditAuthor.get(start);
    return {
      visitor_id: `10502823-${requester}`,
      chat_id: `2109.${acc.ticketId(t)}.${acc.auditId(start)}`,
    };
  }

  /** The `value` of a `ChatStartedEvent`: the session, and its messages in `history`. */
  private chatStartedValue(a: number, requesterId: number | null): JsonObject {
    const acc = this.account;
    const ts = acc.auditTs.get(a) * 1000;
    const customer = this.user(requesterId ?? acc.auditAuthor.get(a));
    const extra = acc.auditExtra.get(a);
    const history: Json[] = [
      {
        chat_index: 0,
        type: 'ChatMessage',
        actor_type: 'end-user',
        actor_id: String(customer?.id ?? 0),
        actor_name: customer?.name ?? 'Web User',
        message: CUSTOMER_LINES[extra % CUSTOMER_LINES.length]!,
        message_id: `${acc.auditId(a).toString(16)}00`,
        timestamp: ts,
        original_message_type: 'text',
      },
      {
        chat_index: 1,
        type: 'ChatMessage',
        actor_type: 'agent',
        actor_name: 'Acme Support',
        message: AGENT_LINES[extra % AGENT_LINES.length]!,
        message_id: `${acc.auditId(a).toString(16)}01`,
        timestamp: ts + 45_000,
        original_message_type: 'text',
      },
    ];
    return { ...this.chatSession(a), history };
  }

  private topDisplay(a: number): string {
    const kind = this.account.auditKind.get(a);
    if (kind === AuditKind.MergeSource || kind === AuditKind.MergeTarget) return MERGE_DISPLAY;
    if (kind === AuditKind.Rule) return RULE_DISPLAY;
    if (this.isOutboundCallCreation(a)) return OUTBOUND_CALL_DISPLAY;
    return viaDisplay(this.account.channelNames[this.account.auditChannel.get(a)]!);
  }

  private topRule(a: number): number | null {
    if (this.account.auditKind.get(a) !== AuditKind.Rule) return null;
    return this.account.changeRule.get(this.account.auditChangeStart.get(a)) || null;
  }

  private system(a: number): JsonObject {
    const author = this.user(this.account.auditAuthor.get(a));
    if (
      !author ||
      author.role !== 'end-user' ||
      this.account.channelNames[this.account.auditChannel.get(a)] !== 'web'
    )
      return {};
    const s = SYSTEM_INFO[author.id % SYSTEM_INFO.length]!;
    return { ...s, ip_address: `198.51.100.${author.id % 250}` };
  }

  /**
   * Walks an audit's changes from the state before it, calling `emit` once per child event: a
   * field, its new value, the value before, and the rule that made it (0 = the updater). A
   * creation's own tags form one child; each rule's tag changes form one child.
   */
  private walkChanges(
    a: number,
    before: FoldState,
    emit: (
      field: number,
      next: FoldState,
      prev: FoldState,
      rule: number,
      added: string[],
      removed: string[],
    ) => void,
  ): FoldState {
    const acc = this.account;
    let state = cloneState(before);
    const start = acc.auditChangeStart.get(a);
    const end = start + acc.auditChangeCount.get(a);
    for (let k = start; k < end;) {
      const field = acc.changeField.get(k);
      const rule = acc.changeRule.get(k);
      const prev = cloneState(state);
      if (field === Field.TagAdd || field === Field.TagRemove) {
        const added: string[] = [];
        const removed: string[] = [];
        while (k < end && acc.changeRule.get(k) === rule) {
          const f = acc.changeField.get(k);
          if (f !== Field.TagAdd && f !== Field.TagRemove) break;
          (f === Field.TagAdd ? added : removed).push(TAGS[acc.changeValue.get(k)]!);
          acc.applyChangeTo(state, k);
          k++;
        }
        emit(Field.TagAdd, state, prev, rule, added, removed);
        continue;
      }
      acc.applyChangeTo(state, k);
      emit(field, state, prev, rule, [], []);
      // Zendesk states the custom status with every status change: the status's default one,
      // unless the update sets another right after.
      if (field === Field.Status && (k + 1 >= end || acc.changeField.get(k + 1) !== Field.CustomStatus))
        emit(Field.CustomStatus, state, prev, rule, [], []);
      state = cloneState(state);
      k++;
    }
    return state;
  }

  /** One event of the incremental ticket event export; returns it and the state after it. */
  exportEvent(
    a: number,
    before: FoldState,
    includeComments: boolean,
  ): { event: JsonObject; after: FoldState } {
    const acc = this.account;
    const id = acc.auditId(a);
    const ts = acc.auditTs.get(a);
    const kind = acc.auditKind.get(a);
    const display = this.topDisplay(a);
    const comment = hasComment(acc, a);
    const isCreate = kind === AuditKind.Create;
    const children: JsonObject[] = [];
    let childId = id;
    const t = acc.auditTicket.get(a);
    const after = this.walkChanges(a, before, (field, next, prev, rule, added, removed) => {
      if (isUnstatedDefault(acc, a, field, next, rule) || isSilent(field, next)) return;
      const child: JsonObject = {
        id: ++childId,
        via: rule ? RULE_DISPLAY : display,
        via_reference_id: rule || null,
      };
      if (comment) {
        child.comment_present = true;
        child.comment_public = this.commentPublic(a);
      }
      const create = isCreate && rule === 0;
      child.event_type = create ? 'Create' : 'Change';
      if (field === Field.Sharing) {
        // Not a field change: Zendesk's own event, naming the agreement the ticket is shared through.
        Object.assign(child, sharingEvent(next, prev), { event_type: 'TicketSharingEvent' });
      } else if (field === Field.TagAdd && rule) {
        // A trigger's tags change as only the tags it added and removed (no `tags`, no previous
        // value): a shape the export may send, which a reader must apply as those two lists.
        Object.assign(child, { added_tags: added, removed_tags: removed });
      } else {
        Object.assign(child, flatValue(field, next, added, removed, t));
        if (!create) child.previous_value = fieldValue(field, prev, t);
      }
      children.push(child);
    });
    const channel = acc.channelNames[acc.auditChannel.get(a)]!;
    // Flattened like every child that is not a comment (zendesk-api.md §1.4): its channel as a
    // display name, the messaging channel's own name where Zendesk gives it one ("Messaging").
    if (startsSession(acc, a))
      children.push({
        id: ++childId,
        via: viaDisplay(channel),
        via_reference_id: null,
        event_type: 'ChatStartedEvent',
        value: this.chatStartedValue(a, after.requesterId),
      });
    if (kind === AuditKind.ChatEnd)
      children.push({
        id: ++childId,
        via: display,
        via_reference_id: null,
        event_type: 'ChatEndedEvent',
        value: { ...this.chatSession(a), is_served: true },
      });
    if (comment && includeComments) {
      const author = commentAuthor(acc, a, after.requesterId);
      const body = this.commentBody(a, after);
      children.push({
        id: ++childId,
        via: this.viaObject(
          commentChannel(acc, a),
          author,
          after.requesterId,
          this.isOutboundCallCreation(a),
        ),
        via_reference_id: null,
        type: 'Comment',
        author_id: author,
        body,
        html_body: `<div class="zd-comment" dir="auto"><p>${escapeHtml(body)}</p></div>`,
        plain_body: body,
        public: this.commentPublic(a),
        attachments: [],
        audit_id: id,
        created_at: isoSeconds(ts),
        event_type: 'Comment',
      });
    }
    return {
      event: {
        id,
        ticket_id: acc.ticketId(acc.auditTicket.get(a)),
        timestamp: ts,
        created_at: isoSeconds(ts),
        updater_id: acc.auditAuthor.get(a),
        via: display,
        via_reference_id: this.topRule(a),
        system: this.system(a),
        metadata: {},
        event_type: 'Audit',
        child_events: children,
      },
      after,
    };
  }

  /** One audit in the Audits API form (`field_name` / `value`); returns it and the state after it. */
  audit(a: number, before: FoldState): { audit: JsonObject; after: FoldState } {
    const acc = this.account;
    const id = acc.auditId(a);
    const kind = acc.auditKind.get(a);
    const author = acc.auditAuthor.get(a);
    const channel = acc.channelNames[acc.auditChannel.get(a)]!;
    const isCreate = kind === AuditKind.Create;
    const events: JsonObject[] = [];
    let childId = id;
    const t = acc.auditTicket.get(a);
    // The customer's rating, as one Satisfaction rating event that its comment and reason fill in.
    let rating: JsonObject | null = null;
    const after = this.walkChanges(a, before, (field, next, prev, rule, added, removed) => {
      if (isUnstatedDefault(acc, a, field, next, rule) || isSilent(field, next)) return;
      const own = ownAuditEvent(field, next, prev, rule, t, rating);
      if (own !== null) {
        if (own !== rating) events.push({ id: ++childId, ...own });
        if (own.type === 'SatisfactionRating') rating = own;
        return;
      }
      const create = isCreate && rule === 0;
      const e: JsonObject = {
        id: ++childId,
        type: create ? 'Create' : 'Change',
        field_name: auditFieldName(field, t),
        value: auditValue(field, next, t),
      };
      if (!create) e.previous_value = auditValue(field, prev, t);
      if (rule) e.via = this.ruleVia(rule);
      if (field === Field.TagAdd) Object.assign(e, { added_tags: added, removed_tags: removed });
      events.push(e);
    });
    if (startsSession(acc, a))
      events.push({
        id: ++childId,
        type: 'ChatStartedEvent',
        value: this.chatStartedValue(a, after.requesterId),
      });
    if (kind === AuditKind.ChatEnd)
      events.push({
        id: ++childId,
        type: 'ChatEndedEvent',
        value: { ...this.chatSession(a), is_served: true },
      });
    if (hasComment(acc, a)) {
      const body = this.commentBody(a, after);
      const commentVia = commentChannel(acc, a);
      events.push({
        id: ++childId,
        type: 'Comment',
        ...(commentVia === channel ? {} : { via: this.viaObject(commentVia, author, after.requesterId) }),
        author_id: commentAuthor(acc, a, after.requesterId),
        body,
        html_body: `<div class="zd-comment" dir="auto"><p>${escapeHtml(body)}</p></div>`,
        plain_body: body,
        public: this.commentPublic(a),
        attachments: [],
        audit_id: id,
      });
    }
    const rule = this.topRule(a);
    return {
      audit: {
        id,
        ticket_id: acc.ticketId(acc.auditTicket.get(a)),
        created_at: isoSeconds(acc.auditTs.get(a)),
        author_id: author,
        metadata: { system: this.system(a), custom: {} },
        via: rule
          ? this.ruleVia(rule)
          : this.viaObject(channel, author, after.requesterId, this.isOutboundCallCreation(a)),
        events,
      },
      after,
    };
  }

  /** The ticket record as the incremental ticket export shows it: every update folded in. */
  ticket(t: number): JsonObject {
    return this.ticketRecord(t, this.account.finalState(t), this.account.ticketLast.get(t));
  }

  /**
   * The ticket record as it stood at `asOf` (epoch seconds): its updates up to that second and none
   * later, `updated_at` / `generated_timestamp` the last of them; null before its creation. Once
   * `asOf` is past every update it is the export's record.
   */
  ticketAt(t: number, asOf: number): JsonObject | null {
    if (asOf >= this.account.ticketLast.get(t)) return this.ticket(t);
    const s = this.account.stateAt(t, asOf);
    return s === null ? null : this.ticketRecord(t, s, s.updatedAt);
  }

  private ticketRecord(t: number, s: FoldState, last: number): JsonObject {
    const acc = this.account;
    const id = acc.ticketId(t);
    const channel = acc.channelNames[acc.ticketChannel.get(t)]!;
    const head = acc.ticketHead.get(t);
    const creator = acc.auditAuthor.get(head);
    const url = `${this.baseUrl}/api/v2/tickets/${id}.json`;
    const via = this.viaObject(channel, creator, s.requesterId, acc.outboundCallCreations.has(t));
    if (s.status === 'deleted') {
      return {
        id,
        url,
        via,
        created_at: isoSeconds(acc.ticketCreated.get(t)),
        updated_at: isoSeconds(last),
        generated_timestamp: last,
        subject: 'SCRUBBED',
        raw_subject: 'SCRUBBED',
        description: 'X',
        status: 'deleted',
        tags: [],
        custom_fields: [],
      };
    }
    const subject = subjectText(s.subject);
    const callback = s.customFields[CALLBACK_KEY] ?? null;
    const custom = [
      { id: TOPIC_FIELD_ID, value: s.customFields[TOPIC_KEY] ?? null },
      { id: FOLLOW_UP_DATE_FIELD_ID, value: s.customFields[FOLLOW_UP_KEY] ?? null },
      // The ticket record shows a checkbox as a boolean, unchecked when never set.
      { id: CALLBACK_FIELD_ID, value: callback === 'true' },
    ];
    const due = dueValue(s.due);
    return {
      id,
      url,
      external_id: null,
      via,
      created_at: isoSeconds(acc.ticketCreated.get(t)),
      updated_at: isoSeconds(last),
      generated_timestamp: last,
      type: s.type,
      subject,
      raw_subject: subject,
      description: this.commentBody(head, s),
      priority: s.priority,
      status: s.status,
      custom_status_id: s.customStatusId ?? customStatusId(s.status),
      recipient: s.recipient,
      requester_id: s.requesterId,
      submitter_id: creator,
      assignee_id: s.assigneeId,
      organization_id: s.organizationId,
      group_id: s.groupId,
      // With CCs and followers on, Zendesk's collaborators are both.
      collaborator_ids: [...new Set([...s.ccIds, ...s.followerIds])].sort((a, b) => a - b),
      follower_ids: [...s.followerIds],
      email_cc_ids: [...s.ccIds],
      forum_topic_id: null,
      problem_id: null,
      has_incidents: false,
      is_public: s.publicComments > 0,
      // The record's due date is always a timestamp: a date-only one is 12:00 in the account's zone.
      due_at:
        due === null
          ? null
          : isoSeconds(due < 0 ? localNoon(dayOfNumber(-due), ACCOUNT_TIME_ZONE.iana) : due),
      tags: [...s.tags],
      custom_fields: custom,
      fields: custom,
      satisfaction_rating: {
        score: s.satisfaction ?? 'unoffered',
        ...(s.satisfactionReason === null ? {} : { reason_code: s.satisfactionReason }),
      },
      sharing_agreement_ids: [...s.sharingAgreementIds],
      followup_ids: [],
      ticket_form_id: s.ticketFormId,
      brand_id: s.brandId,
      allow_channelback: false,
      allow_attachments: true,
      from_messaging_channel: MESSAGING_CHANNELS.has(channel),
      support_type: SUPPORT_TYPE,
    };
  }

  userJson(u: User): JsonObject {
    const admin = u.role === 'admin';
    return {
      id: u.id,
      url: `${this.baseUrl}/api/v2/users/${u.id}.json`,
      name: u.name,
      email: u.email,
      created_at: isoSeconds(u.createdAt),
      updated_at: isoSeconds(u.updatedAt),
      time_zone: u.timeZone[0],
      iana_time_zone: u.timeZone[1],
      phone: u.phone,
      shared_phone_number: null,
      photo: null,
      locale_id: u.localeId,
      locale: LOCALES.find((l) => l.id === u.localeId)?.locale ?? 'en-US',
      organization_id: u.organizationId,
      role: u.role,
      verified: true,
      external_id: null,
      tags: [...u.tags],
      alias: null,
      active: true,
      shared: false,
      shared_agent: false,
      last_login_at: u.lastLoginAt === null ? null : isoSeconds(u.lastLoginAt),
      two_factor_auth_enabled: null,
      signature: null,
      details: null,
      notes: null,
      role_type: admin ? 4 : null,
      custom_role_id: null,
      moderator: u.role !== 'end-user',
      ticket_restriction: u.role === 'end-user' ? 'requested' : null,
      only_private_comments: false,
      restricted_agent: u.role === 'agent',
      suspended: false,
      default_group_id: u.defaultGroupId,
      report_csv: admin,
      user_fields: {},
      chat_only: false,
    };
  }

  view(v: View): JsonObject {
    const column = (id: string, title: string) => ({ id, title, filterable: false, sortable: true });
    return {
      url: `${this.baseUrl}/api/v2/views/${v.id}.json`,
      id: v.id,
      title: v.title,
      raw_title: v.rawTitle ?? v.title,
      description: null,
      active: v.active,
      default: v.isDefault ?? false,
      position: v.position,
      created_at: isoSeconds(v.createdAt),
      updated_at: isoSeconds(v.updatedAt),
      restriction:
        v.personalTo === undefined ? null : { type: 'User', id: v.personalTo, ids: [v.personalTo] },
      execution: {
        group_by: 'status',
        group_order: 'asc',
        sort_by: 'created',
        sort_order: 'desc',
        group: { id: 'status', title: 'Status', order: 'asc' },
        sort: { id: 'created', title: 'Requested', order: 'desc' },
        columns: [column('subject', 'Subject'), column('requester', 'Requester')],
        fields: [column('subject', 'Subject'), column('requester', 'Requester')],
        custom_fields: [],
      },
      conditions: {
        all: v.conditions.all.map((c) => ({ field: c.field, operator: c.operator, value: c.value })),
        any: v.conditions.any.map((c) => ({ field: c.field, operator: c.operator, value: c.value })),
      },
      watchable: true,
    };
  }

  call(c: number): JsonObject {
    const acc = this.account;
    const inbound = acc.callInbound.get(c) === 1;
    const number = TALK_NUMBERS[acc.callNumber.get(c)]!;
    const ivr = acc.callIvr.get(c);
    const ivrGroup = ivr < 0 ? null : acc.ivrGroupNames[ivr]!;
    const agent = acc.callAgent.get(c);
    const talkRaw = acc.callTalk.get(c);
    const talk = talkRaw < 0 ? null : talkRaw;
    const hold = acc.callHold.get(c);
    const wrap = acc.callWrap.get(c);
    const wait = acc.callWait.get(c);
    const ivrTime = acc.callIvrTime.get(c);
    const status = COMPLETION_STATUSES[acc.callStatus.get(c)]!;
    const answered = agent !== 0 && (talk ?? 0) > 0;
    const duration = ivrTime + wait + (talk ?? 0) + hold;
    const customer = acc.callCustomer.get(c);
    const voicemailRoute = voicemailRouteOf(status, wait, c);
    return {
      id: callId(c),
      created_at: isoSeconds(acc.callCreated.get(c)),
      updated_at: isoSeconds(acc.callUpdated.get(c)),
      direction: inbound ? 'inbound' : 'outbound',
      phone_number: number.phone,
      phone_number_id: number.id,
      line: null,
      line_id: null,
      line_type: number.phone === null ? 'digital' : null,
      call_channel: null,
      customer_id: customer || null,
      agent_id: agent || null,
      ticket_id: null,
      call_group_id: ivrGroup ? IVR_GROUP_IDS[ivrGroup]! : inbound ? 360_001_101 : null,
      default_group: answered,
      ivr_action: ivrGroup ? String(number.ivrGroups.indexOf(ivrGroup) + 1) : null,
      ivr_destination_group_name: ivrGroup,
      ivr_hops: ivrGroup ? 1 : null,
      ivr_time_spent: ivrGroup ? ivrTime : null,
      ivr_routed_to: null,
      duration,
      wait_time: wait,
      time_to_answer: answered && inbound ? wait : null,
      talk_time: talk,
      hold_time: hold,
      wrap_up_time: wrap,
      consultation_time: 0,
      recording_time: answered ? (talk ?? 0) + hold : 0,
      not_recording_time: 0,
      recording_control_interactions: 0,
      completion_status: status,
      callback: acc.callCallback.get(c) === 1,
      callback_source: acc.callCallback.get(c) === 1 ? 'queue' : null,
      voicemail: status === 'abandoned_in_voicemail' || status === 'pending_voicemail',
      customer_requested_voicemail: voicemailRoute === 'requested',
      outside_business_hours: false,
      exceeded_queue_wait_time: voicemailRoute === 'queue_timeout',
      overflowed: false,
      overflowed_to: null,
      minutes_billed: Math.ceil(duration / 60),
      call_charge: (Math.ceil(duration / 60) * 0.012).toFixed(3),
      call_recording_consent: 'always',
      call_recording_consent_action: null,
      call_recording_consent_keypress: null,
      quality_issues: [status === 'failed' ? 'information_not_available' : 'none'],
    };
  }

  /** When a leg record was last updated (epoch seconds). */
  legUpdated = (code: number): number => {
    const c = code >> 1;
    const acc = this.account;
    if (code & 1) return acc.callUpdated.get(c);
    return (
      acc.callCreated.get(c) +
      acc.callIvrTime.get(c) +
      acc.callWait.get(c) +
      Math.max(0, acc.callTalk.get(c)) +
      acc.callHold.get(c)
    );
  };

  leg(code: number): JsonObject {
    const acc = this.account;
    const c = code >> 1;
    const agentLeg = (code & 1) === 1;
    const created = acc.callCreated.get(c);
    const talk = Math.max(0, acc.callTalk.get(c));
    const hold = acc.callHold.get(c);
    const answeredAt = created + acc.callIvrTime.get(c) + acc.callWait.get(c);
    const status = COMPLETION_STATUSES[acc.callStatus.get(c)]!;
    if (!agentLeg) {
      const customer = acc.callCustomer.get(c);
      return {
        id: legId(code),
        call_id: callId(c),
        created_at: isoSeconds(created),
        updated_at: isoSeconds(this.legUpdated(code)),
        agent_id: 0,
        user_id: customer || null,
        type: 'customer',
        available_via: null,
        duration: this.legUpdated(code) - created,
        talk_time: 0,
        hold_time: 0,
        wrap_up_time: null,
        completion_status: status === 'completed' ? 'completed' : 'customer_hang_up',
        minutes_billed: null,
        call_charge: '0.0',
        quality_issues: ['none'],
      };
    }
    const agent = acc.callAgent.get(c);
    return {
      id: legId(code),
      call_id: callId(c),
      created_at: isoSeconds(answeredAt),
      updated_at: isoSeconds(acc.callUpdated.get(c)),
      agent_id: agent,
      user_id: agent,
      type: 'agent',
      available_via: 'browser',
      duration: talk + hold,
      talk_time: talk,
      hold_time: hold,
      wrap_up_time: acc.callWrap.get(c),
      consultation_from: null,
      consultation_to: null,
      consultation_time: null,
      conference_from: null,
      conference_to: null,
      conference_time: null,
      transferred_from: null,
      transferred_to: null,
      forwarded_to: null,
      completion_status: talk > 0 ? 'completed' : 'agent_missed',
      minutes_billed: Math.ceil((talk + hold) / 60),
      call_charge: (Math.ceil((talk + hold) / 60) * 0.01).toFixed(3),
      quality_issues: ['none'],
    };
  }

  /** Folds a ticket from its first update to just before `a` (used when a page starts mid-ticket). */
  stateBefore(a: number): FoldState {
    return this.account.stateBefore(a);
  }

  initialState(t: number): FoldState {
    return emptyState(this.account.ticketCreated.get(t));
  }
}

const FLAT_KEYS: Readonly<Record<number, string>> = {
  [Field.Subject]: 'subject',
  [Field.Requester]: 'requester_id',
  [Field.Organization]: 'organization_id',
  [Field.Status]: 'status',
  [Field.Priority]: 'priority',
  [Field.Type]: 'type',
  [Field.Brand]: 'brand_id',
  [Field.Form]: 'ticket_form_id',
  [Field.Group]: 'group_id',
  [Field.Assignee]: 'assignee_id',
  [Field.CcAdd]: 'email_cc_ids',
  [Field.FollowerAdd]: 'follower_ids',
  [Field.Satisfaction]: 'satisfaction_score',
  [Field.SatisfactionComment]: 'satisfaction_comment',
  [Field.SatisfactionReason]: 'satisfaction_reason_code',
  [Field.Recipient]: 'recipient',
  [Field.CustomStatus]: 'custom_status_id',
};

const CUSTOM_FIELD_KEYS: Readonly<Record<number, string>> = {
  [Field.Topic]: TOPIC_KEY,
  [Field.FollowUpDate]: FOLLOW_UP_KEY,
  [Field.Callback]: CALLBACK_KEY,
};

/**
 * The due date's field name: Zendesk's ticket field is `due_at`, its documentation and some
 * payloads say `due_date`; every other ticket here uses the second spelling.
 */
const dueKey = (t: number): string => (t % 2 === 0 ? 'due_at' : 'due_date');

/** `Field.Due`'s value: null, or > 0 a timestamp, < 0 a date-only day (its number negated). */
const dueValue = (due: number): number | null => (due === 0 ? null : due);

/** A satisfaction comment only when there is one: a rating without one says nothing of it. */
const isSilent = (field: number, next: FoldState): boolean =>
  field === Field.SatisfactionComment && !next.satisfactionCommented;

const SATISFACTION_COMMENT = 'Quick and friendly, thank you.';

/**
 * A checkbox as Zendesk may send it: `true` / `false` on even tickets, `"1"` / `"0"` on odd ones
 * (both encodings occur); never set is null.
 */
const checkboxValue = (value: string | null, t: number): Json => {
  if (value === null) return null;
  if (t % 2 === 0) return value === 'true';
  return value === 'true' ? '1' : '0';
};

const fieldValue = (field: number, s: FoldState, t: number): Json => {
  switch (field) {
    case Field.Subject:
      return subjectText(s.subject);
    case Field.Requester:
      return s.requesterId;
    case Field.Organization:
      return s.organizationId;
    case Field.Status:
      return s.status;
    case Field.Priority:
      return s.priority;
    case Field.Type:
      return s.type;
    case Field.Brand:
      return s.brandId;
    case Field.Form:
      return s.ticketFormId;
    case Field.Group:
      return s.groupId;
    case Field.Assignee:
      return s.assigneeId;
    case Field.Topic:
      return s.customFields[TOPIC_KEY] ?? null;
    case Field.FollowUpDate:
      return s.customFields[FOLLOW_UP_KEY] ?? null;
    case Field.Callback:
      return checkboxValue(s.customFields[CALLBACK_KEY] ?? null, t);
    case Field.Due: {
      const due = dueValue(s.due);
      return due === null ? null : due > 0 ? isoSeconds(due) : dayOfNumber(-due);
    }
    case Field.CcAdd:
      return [...s.ccIds];
    case Field.FollowerAdd:
      return [...s.followerIds];
    case Field.Satisfaction:
      return s.satisfaction;
    case Field.SatisfactionComment:
      return s.satisfactionCommented ? SATISFACTION_COMMENT : null;
    case Field.SatisfactionReason:
      return s.satisfactionReason;
    case Field.Recipient:
      return s.recipient;
    case Field.CustomStatus:
      return s.customStatusId;
    default:
      return [...s.tags];
  }
};

const flatValue = (
  field: number,
  s: FoldState,
  added: string[],
  removed: string[],
  t: number,
): JsonObject => {
  if (field === Field.TagAdd) return { tags: [...s.tags], added_tags: added, removed_tags: removed };
  const custom = CUSTOM_FIELD_KEYS[field];
  if (custom !== undefined) return { custom_ticket_fields: { [custom]: fieldValue(field, s, t) } };
  if (field === Field.Due) return { [dueKey(t)]: fieldValue(field, s, t) };
  return { [FLAT_KEYS[field]!]: fieldValue(field, s, t) };
};

/**
 * On odd tickets, the Audits API carries CCs, followers and the customer's rating in the events of
 * their own that Zendesk's Ticket Audit events reference documents (Email CC change, Follower
 * change, Satisfaction rating), on even tickets as `Change` events on their field names. The lists
 * name users by id: whether Zendesk names them by id or by address is not confirmed (README). A
 * satisfaction offer (a trigger's change) stays a `Change`. Null: the change is not one of these.
 */
const ownAuditEvent = (
  field: number,
  next: FoldState,
  prev: FoldState,
  rule: number,
  t: number,
  rating: JsonObject | null,
): JsonObject | null => {
  if (field === Field.Sharing) return { type: 'TicketSharingEvent', ...sharingEvent(next, prev) };
  if (t % 2 === 0) return null;
  switch (field) {
    case Field.CcAdd:
      return {
        type: 'EmailCcChange',
        previous_email_ccs: [...prev.ccIds],
        current_email_ccs: [...next.ccIds],
      };
    case Field.FollowerAdd:
      return {
        type: 'FollowerChange',
        previous_followers: [...prev.followerIds],
        current_followers: [...next.followerIds],
      };
    case Field.Satisfaction:
      if (rule !== 0 || (next.satisfaction !== 'good' && next.satisfaction !== 'bad')) return null;
      return { type: 'SatisfactionRating', score: next.satisfaction, assignee_id: next.assigneeId, body: '' };
    case Field.SatisfactionComment:
      if (rating === null) return null;
      rating.body = SATISFACTION_COMMENT;
      return rating;
    case Field.SatisfactionReason:
      if (rating === null) return null;
      rating.reason_code = next.satisfactionReason;
      return rating;
    default:
      return null;
  }
};

/**
 * A ticket sharing event (the Ticket Audit events reference: `agreement_id`, `action`): the
 * agreement the change added to the ticket's, shared.
 */
const sharingEvent = (next: FoldState, prev: FoldState): JsonObject => ({
  agreement_id: next.sharingAgreementIds.find((id) => !prev.sharingAgreementIds.includes(id)) ?? null,
  action: 'shared',
});

const auditFieldName = (field: number, t: number): string => {
  if (field === Field.TagAdd) return 'tags';
  if (field === Field.Due) return dueKey(t);
  return CUSTOM_FIELD_KEYS[field] ?? FLAT_KEYS[field]!;
};

/**
 * The Audits API sends values as strings (ids and checkboxes included), tags and id lists as arrays,
 * and null for an empty field.
 */
const auditValue = (field: number, s: FoldState, t: number): Json => {
  const v = fieldValue(field, s, t);
  if (v === null || Array.isArray(v)) return v;
  return String(v);
};
