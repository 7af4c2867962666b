/**
 * Generates the synthetic account from a seed, a size and the clock's anchor: the same three give
 * the same account, update for update. Tickets follow a weekly and intraday rhythm; each ticket
 * lives through creation (with routing triggers in the same update), agent replies, internal notes,
 * customer follow-ups that reopen it, escalation rules, the close automation, and now and then a
 * merge or a deletion. Tickets of the conversation channels (live chat, messaging) live in chat
 * sessions: the creation starts one, the customer writing again starts another (also after a
 * solve), and each ends with a `ChatEndedEvent`, often with the transcript appended. Talk calls
 * follow the same rhythm, through several numbers and IVR groups.
 */
import { Account, AuditKind, Field, STATUSES } from './account.js';
import {
  ACCOUNT_TIME_ZONE,
  AGENT_CHANNEL,
  AWAITING_PARTS_STATUS_ID,
  BRANDS,
  CUSTOMER_REPLIED_STATUS_ID,
  CHANNELS,
  CLOSE_AUTOMATION,
  COMPLETION_STATUSES,
  FIRST_NAMES,
  GROUP_LIST,
  GROUPS,
  LAST_NAMES,
  SOCIAL_CHANNELS,
  TALK_NUMBERS,
  TICKET_FORMS,
  TIME_ZONES,
  TOPICS,
  TRIGGERS,
  FOLLOWING_ADMIN_ID,
  KEY_CONTACT_ID,
  LOCALES,
  SATISFACTION_SCORES,
  SATISFACTION_REASON_CODES,
  NOT_RESOLVED_REASON,
  SHARING_AGREEMENTS,
  accountViews,
  tagIndex,
} from './catalog.js';
import { dayNumber, localDay, shiftDay } from './calendar.js';
import { Rng, cumulative } from './rng.js';
import { CONVERSATION_CHANNELS } from './truth.js';

export type SandboxSize = 'tiny' | 'small' | 'medium' | 'large';

export interface SizeProfile {
  /** Days of history the account spans, ending shortly before the clock's anchor. */
  readonly days: number;
  /** The import window a test or demo should use by default (the last `importDays` days): shorter than the span, so some tickets predate it. */
  readonly importDays: number;
  readonly tickets: number;
  readonly endUsers: number;
  readonly agents: number;
  readonly calls: number;
}

export const SIZE_PROFILES: Readonly<Record<SandboxSize, SizeProfile>> = {
  tiny: { days: 3, importDays: 2, tickets: 90, endUsers: 25, agents: 6, calls: 60 },
  small: { days: 21, importDays: 14, tickets: 900, endUsers: 300, agents: 12, calls: 1_200 },
  medium: { days: 35, importDays: 28, tickets: 25_000, endUsers: 5_000, agents: 40, calls: 20_000 },
  large: { days: 56, importDays: 49, tickets: 240_000, endUsers: 60_000, agents: 150, calls: 120_000 },
};

/** Generated data ends this long before the anchor, so it is all out of the export's last-minute blind spot. */
export const DATA_END_BEFORE_ANCHOR_SECONDS = 120;

export const ADMIN_ID = 400_000_001;
export const FIRST_AGENT_ID = 400_000_101;
export const FIRST_END_USER_ID = 410_000_001;

const DAY = 86_400;
const HOUR = 3_600;
// UTC day of week (0 = Sunday) and hour of day
const WEEKDAY_WEIGHT = [0.3, 1, 0.95, 0.9, 0.9, 0.8, 0.35];
const TICKET_HOUR_WEIGHT = [
  0.15, 0.1, 0.08, 0.08, 0.1, 0.2, 0.4, 0.8, 1.3, 1.6, 1.7, 1.6, 1.3, 1.4, 1.5, 1.4, 1.2, 1, 0.8, 0.7, 0.6,
  0.5, 0.35, 0.2,
];
const CALL_HOUR_WEIGHT = [
  0.02, 0.01, 0.01, 0.01, 0.02, 0.05, 0.2, 0.7, 1.5, 1.9, 2, 1.8, 1.2, 1.5, 1.7, 1.6, 1.3, 0.9, 0.4, 0.2, 0.1,
  0.06, 0.04, 0.03,
];

const CHANNEL_CUM = cumulative(CHANNELS.map((c) => c.weight));
const PRIORITY_CUM = cumulative([15, 15, 50, 15, 5]);
const TYPE_CUM = cumulative([25, 40, 20, 5, 10]);
const NUMBER_CUM = cumulative(TALK_NUMBERS.map((n) => n.weight));
const FOLLOW_UP_CHANNELS = ['email', 'web', 'chat', 'native_messaging', 'whatsapp', 'mobile'] as const;
const TOPIC_TAGS: Readonly<Record<(typeof TOPICS)[number], readonly string[]>> = {
  billing: ['invoice', 'refund'],
  technical: ['login', 'password', 'bug'],
  account: ['login', 'feature_request'],
  shipping: ['shipping', 'delay', 'order'],
  returns: ['refund', 'order'],
};

/** Draws instants in [start, end) with weekly and intraday seasonality. */
class SeasonalClock {
  private readonly firstHour: number;
  private readonly cum: number[];

  constructor(
    private readonly start: number,
    private readonly end: number,
    hourWeight: readonly number[],
  ) {
    this.firstHour = Math.floor(start / HOUR);
    const weights: number[] = [];
    for (let h = this.firstHour; h * HOUR < end; h++) {
      const d = new Date(h * HOUR * 1000);
      weights.push(WEEKDAY_WEIGHT[d.getUTCDay()]! * hourWeight[d.getUTCHours()]!);
    }
    this.cum = cumulative(weights);
  }

  draw(rng: Rng): number {
    for (;;) {
      const t = (this.firstHour + rng.weighted(this.cum)) * HOUR + rng.int(0, HOUR - 1);
      if (t >= this.start && t < this.end) return t;
    }
  }
}

const usersOf = (account: Account, rng: Rng, p: SizeProfile) => {
  const start = account.spanStart;
  const person = (i: number) =>
    `${FIRST_NAMES[i % FIRST_NAMES.length]} ${LAST_NAMES[Math.floor(i / 7) % LAST_NAMES.length]}`;
  const staff = (id: number, name: string, role: 'admin' | 'agent', email: string, group: number | null) => {
    const createdAt = start - rng.int(200, 900) * DAY;
    account.addUser({
      id,
      name,
      email,
      role,
      createdAt,
      updatedAt: createdAt + rng.int(1, 150) * DAY,
      timeZone: TIME_ZONES[rng.int(0, 2)]!,
      organizationId: null,
      defaultGroupId: group,
      phone: null,
      tags: [],
      lastLoginAt: start - rng.int(1, 48) * HOUR,
      localeId: LOCALES[0].id,
    });
  };
  staff(ADMIN_ID, 'Ada Admin', 'admin', 'ada.admin@acme.example', GROUPS.support.id);
  staff(ADMIN_ID + 1, 'Ivan Integration', 'admin', 'integration@acme.example', null);
  const agentsByGroup = new Map<number, number[]>(GROUP_LIST.map((g) => [g.id, []]));
  for (let i = 0; i < p.agents; i++) {
    const group = GROUP_LIST[i % GROUP_LIST.length]!.id;
    const name = person(i + 5);
    const email = `${name.toLowerCase().replace(' ', '.')}.${i + 1}@acme.example`;
    staff(FIRST_AGENT_ID + i, name, 'agent', email, group);
    agentsByGroup.get(group)!.push(FIRST_AGENT_ID + i);
  }
  const vip = new Set<number>();
  for (let i = 0; i < p.endUsers; i++) {
    const id = FIRST_END_USER_ID + i;
    const name = person(i);
    const createdAt = start - rng.int(1, 700) * DAY - rng.int(0, DAY - 1);
    const isVip = rng.chance(0.08);
    if (isVip) vip.add(id);
    account.addUser({
      id,
      name,
      email: `${name.toLowerCase().replace(' ', '.')}.${i + 1}@customers.example`,
      role: 'end-user',
      createdAt,
      updatedAt: createdAt + rng.int(0, 100) * HOUR,
      timeZone: TIME_ZONES[rng.int(0, TIME_ZONES.length - 1)]!,
      organizationId: rng.chance(0.3) ? 360_002_001 + rng.int(0, 19) : null,
      defaultGroupId: null,
      phone: rng.chance(0.4) ? `+4915${String(10_000_000 + i).padStart(9, '0')}` : null,
      tags: isVip ? ['vip'] : [],
      lastLoginAt: null,
      // From the user's number, not the random stream: every fifth speaks German, every fifth French.
      localeId: LOCALES[i % 5 === 3 ? 1 : i % 5 === 4 ? 2 : 0].id,
    });
  }
  return { agentsByGroup, vip };
};

export function generateAccount(seed: number, size: SandboxSize, anchorSeconds: number): Account {
  const p = SIZE_PROFILES[size];
  const end = anchorSeconds - DATA_END_BEFORE_ANCHOR_SECONDS;
  const start = end - p.days * DAY;
  const account = new Account(seed, start, end);
  // one stream per concern, so adding users does not reshuffle every ticket
  const userRng = new Rng(seed * 7 + 1);
  const ticketRng = new Rng(seed * 7 + 2);
  const callRng = new Rng(seed * 7 + 3);
  // chat sessions draw from their own stream, so the rest of the account is what it was without them
  const chatRng = new Rng(seed * 7 + 4);
  const creationSessionRng = new Rng(seed * 7 + 5);
  // the fields of issue 17's view conditions (due dates, date and checkbox fields, CCs, followers,
  // satisfaction, recipient, custom status) draw from their own stream too
  const fieldRng = new Rng(seed * 7 + 6);
  // voicemails still pending and callbacks draw from their own stream, so the calls are otherwise
  // what they were without them
  const callOutcomeRng = new Rng(seed * 7 + 7);
  // phone tickets created pending, on hold or solved, thank-yous kept solved and satisfaction
  // reasons draw from their own stream too
  const statusRng = new Rng(seed * 7 + 8);
  // tickets shared with partner accounts draw from their own stream too
  const sharingRng = new Rng(seed * 7 + 9);
  // tickets an integration opens with an internal note (no public comment) too
  const privacyRng = new Rng(seed * 7 + 10);
  // phone tickets an agent's outbound call created too
  const outboundRng = new Rng(seed * 7 + 11);

  for (const ch of CHANNELS) account.channelCode(ch.name);
  account.channelCode('rule');
  accountViews(end).forEach((v, position) =>
    account.views.push({
      ...v,
      position,
      createdAt: start - (60 - position) * DAY,
      updatedAt: start - (30 - position) * DAY,
    }),
  );
  const { agentsByGroup, vip } = usersOf(account, userRng, p);
  generateTickets(
    account,
    ticketRng,
    chatRng,
    p,
    agentsByGroup,
    vip,
    creationSessionRng,
    fieldRng,
    statusRng,
    sharingRng,
    privacyRng,
    outboundRng,
  );
  account.sealAudits();
  generateCalls(account, callRng, callOutcomeRng, p);
  return account;
}

/** Whether the customer's words through `channel` arrive in chat sessions rather than comments. */
const inSessions = (channel: string): boolean =>
  CONVERSATION_CHANNELS.has(channel) && channel !== 'chat_transcript';

/**
 * Ends a ticket's chat sessions: each ends before the next starts and before the ticket is closed,
 * merged away or deleted, with the transcript appended (by Zendesk itself) in most; now and then one
 * of the customer's messages is also copied into the ticket as a comment through the session's
 * channel. Sessions still running at the end of the data stay open.
 */
function endSessions(
  account: Account,
  rng: Rng,
  ticket: number,
  requester: number,
  sessions: readonly { start: number; channel: string }[],
): void {
  sessions.forEach(({ start, channel }, i) => {
    const cap = Math.min(
      sessions[i + 1]?.start ?? Infinity,
      account.ticketEnded.get(ticket),
      account.spanEnd,
    );
    const ends = Math.min(start + rng.logNormal(12 * 60, 0.7, 120, 45 * 60), cap - 1);
    if (ends <= start + 2) return;
    if (rng.chance(0.2))
      account.addAudit(
        ticket,
        start + rng.int(1, ends - start - 1),
        AuditKind.CustomerComment,
        channel,
        requester,
        [],
        rng.int(0, 4),
      );
    account.addAudit(ticket, ends, AuditKind.ChatEnd, channel, -1, [], rng.chance(0.6) ? 1 : 0);
  });
}

/**
 * When the session that creates a messaging ticket starts. Most creation updates carry it (a
 * `ChatStartedEvent` beside the first message); in about a third it comes in an update of its own
 * one second later, as a real account may record it: the creation's contact all the same, never a
 * second one (README, messaging). Draws from its own stream, so the rest of the account is as it was.
 */
function creationSessionStart(
  account: Account,
  rng: Rng,
  ticket: number,
  created: number,
  channel: string,
  requester: number,
): number {
  if (!rng.chance(0.3) || created + 1 >= account.spanEnd) return created;
  account.creationSessionApart.add(ticket);
  account.addAudit(ticket, created + 1, AuditKind.ChatStart, channel, requester, [], rng.int(0, 4));
  return created + 1;
}

function generateTickets(
  account: Account,
  rng: Rng,
  chatRng: Rng,
  p: SizeProfile,
  agentsByGroup: Map<number, number[]>,
  vip: Set<number>,
  creationSessionRng: Rng,
  fieldRng: Rng,
  statusRng: Rng,
  sharingRng: Rng,
  privacyRng: Rng,
  outboundRng: Rng,
): void {
  const { spanStart: start, spanEnd: end } = account;
  const clock = new SeasonalClock(start, end, TICKET_HOUR_WEIGHT);
  const created = new Float64Array(p.tickets);
  for (let i = 0; i < p.tickets; i++) created[i] = clock.draw(rng);
  created.sort();
  const channelOf = new Uint8Array(p.tickets);
  // every channel occurs, even in the tiniest account; the rest follow the channel mix
  for (let i = 0; i < p.tickets; i++) channelOf[i] = i < CHANNELS.length ? i : rng.weighted(CHANNEL_CUM);
  // bulk imports through the API: several tickets created in the same second
  const api = CHANNELS.findIndex((c) => c.name === 'api');
  for (let i = 0; i < p.tickets; i++) {
    if (channelOf[i] !== api || !rng.chance(0.35)) continue;
    const n = rng.int(2, 4);
    for (let k = 1; k <= n && i + k < p.tickets; k++) {
      created[i + k] = created[i]!;
      channelOf[i + k] = api;
    }
    i += n;
  }
  const allAgents = [...agentsByGroup.values()].flat();
  const agentOf = (group: number) => {
    const list = agentsByGroup.get(group);
    return list && list.length > 0 ? rng.pick(list) : rng.pick(allAgents);
  };
  const requesterOf = () => FIRST_END_USER_ID + Math.floor(p.endUsers * rng.float() ** 2);

  for (let t = 0; t < p.tickets; t++) {
    const c = created[t]!;
    const channel = CHANNELS[channelOf[t]!]!.name;
    const ticket = account.addTicket(c, channel);
    const requester = requesterOf();
    const topic = rng.chance(0.1) ? 0 : rng.int(1, TOPICS.length);
    const priority = rng.weighted(PRIORITY_CUM);
    const type = rng.weighted(TYPE_CUM);
    const tags = new Set<string>();
    if (topic && rng.chance(0.6)) tags.add(rng.pick(TOPIC_TAGS[TOPICS[topic - 1]!]));
    if (rng.chance(0.05)) tags.add('pricing');
    if (SOCIAL_CHANNELS.has(channel) && rng.chance(0.06)) tags.add('spam');
    const user = account.usersById.get(requester)!;

    const changes: [number, number, number][] = [
      [Field.Subject, (topic ? topic - 1 : 2) * 4 + rng.int(0, 3), 0],
      [Field.Requester, requester, 0],
    ];
    if (user.organizationId) changes.push([Field.Organization, user.organizationId, 0]);
    const createdStatus = creationStatus(statusRng, channel);
    changes.push([Field.Status, STATUSES.indexOf(createdStatus), 0]);
    if (priority) changes.push([Field.Priority, priority, 0]);
    if (type) changes.push([Field.Type, type, 0]);
    changes.push([Field.Brand, rng.chance(0.8) ? BRANDS[0].id : BRANDS[1].id, 0]);
    changes.push([Field.Form, rng.chance(0.85) ? TICKET_FORMS[0] : TICKET_FORMS[1], 0]);
    for (const tag of tags) changes.push([Field.TagAdd, tagIndex(tag), 0]);
    if (topic) changes.push([Field.Topic, topic, 0]);
    let group = 0;
    if (channel === 'api' && rng.chance(0.4)) {
      group = rng.pick(GROUP_LIST).id;
      changes.push([Field.Group, group, 0]);
    }
    if (!group && rng.chance(0.88)) {
      const topicName = topic ? TOPICS[topic - 1] : null;
      const [g, rule] =
        topicName === 'billing'
          ? [GROUPS.billing.id, TRIGGERS.routeBilling.id]
          : topicName === 'technical'
            ? [priority === 4 ? GROUPS.senior.id : GROUPS.technical.id, TRIGGERS.routeTechnical.id]
            : SOCIAL_CHANNELS.has(channel)
              ? [GROUPS.social.id, TRIGGERS.routeSocial.id]
              : tags.has('pricing')
                ? [GROUPS.sales.id, TRIGGERS.routeSales.id]
                : [GROUPS.support.id, TRIGGERS.routeDefault.id];
      group = g;
      changes.push([Field.Group, g, rule]);
    }
    if (vip.has(requester)) changes.push([Field.TagAdd, tagIndex('vip'), TRIGGERS.tagVip.id]);
    changes.push(...creationFields(fieldRng, c, channel, type));
    // Some email arrives through the retail partner's sharing agreement: received from it.
    if (channel === 'email' && sharingRng.chance(0.06))
      changes.push([Field.Sharing, SHARING_AGREEMENTS.receivedFrom.id, 0]);
    const creator =
      channel === 'voice'
        ? agentOf(group || GROUPS.support.id)
        : channel === 'api' && rng.chance(0.5)
          ? ADMIN_ID + 1
          : requester;
    // An integration's ticket opened with an internal note has no public comment (Privacy) until
    // someone replies publicly.
    if (creator === ADMIN_ID + 1 && privacyRng.chance(0.5)) account.privateCreations.add(ticket);
    // An agent's call placed from the call console and answered makes a ticket of its own.
    if (channel === 'voice' && outboundRng.chance(0.15)) account.outboundCallCreations.add(ticket);
    account.addAudit(ticket, c, AuditKind.Create, channel, creator, changes, rng.int(0, 4));
    const sessions: { start: number; channel: string }[] = inSessions(channel)
      ? [{ start: creationSessionStart(account, creationSessionRng, ticket, c, channel, requester), channel }]
      : [];

    let at = c;
    let currentPriority = priority;
    const emit = (
      delay: number,
      kind: AuditKind,
      ch: string,
      author: number,
      ch2: [number, number, number][],
      extra = 0,
    ): boolean => {
      const ts = at + Math.max(1, delay);
      if (ts >= end) return false;
      at = ts;
      account.addAudit(ticket, ts, kind, ch, author, ch2, extra);
      return true;
    };
    // The customer writes again: a comment, or a new chat session through a conversation channel.
    const customerWrites = (delay: number, ch: string, reopen: [number, number, number][], extra: number) => {
      const session = inSessions(ch);
      if (
        !emit(delay, session ? AuditKind.ChatStart : AuditKind.CustomerComment, ch, requester, reopen, extra)
      )
        return false;
      if (session) sessions.push({ start: at, channel: ch });
      return true;
    };

    if (rng.chance(0.08) && currentPriority < 3) {
      emit(rng.int(60, 1800), AuditKind.Rule, 'rule', -1, [
        [Field.Priority, 3, TRIGGERS.escalate.id],
        [Field.TagAdd, tagIndex('escalated'), TRIGGERS.escalate.id],
      ]);
      currentPriority = 3;
    }

    let assignee = 0;
    let sharedWithLogistics = false;
    const spam = tags.has('spam');
    for (let round = 0; ; round++) {
      if (round === 0 && rng.chance(spam ? 0.8 : 0.004)) {
        if (
          emit(rng.logNormal(2 * HOUR, 0.8, 120, 2 * DAY), AuditKind.Delete, AGENT_CHANNEL, agentOf(group), [
            [Field.Status, STATUSES.indexOf('deleted'), 0],
          ])
        )
          account.ticketEnded.set(ticket, at);
        break;
      }
      if (round === 0 && t > 20 && rng.chance(0.012)) {
        const mergeAt = at + rng.int(600, 6 * HOUR);
        const target = t - rng.int(1, 20);
        if (
          mergeAt < end &&
          account.ticketEnded.get(target) > mergeAt &&
          account.ticketCreated.get(target) < mergeAt
        ) {
          const agent = agentOf(group);
          emit(
            mergeAt - at,
            AuditKind.MergeSource,
            AGENT_CHANNEL,
            agent,
            [[Field.Status, STATUSES.indexOf('closed'), 0]],
            target + 1,
          );
          account.addAudit(target, mergeAt, AuditKind.MergeTarget, AGENT_CHANNEL, agent, [], ticket + 1);
          account.ticketEnded.set(ticket, mergeAt);
          break;
        }
      }
      const agent = assignee || agentOf(group || GROUPS.support.id);
      if (
        rng.chance(0.2) &&
        !emit(rng.int(300, 2 * HOUR), AuditKind.InternalNote, AGENT_CHANNEL, agent, [], rng.int(0, 3))
      )
        break;
      const reply: [number, number, number][] = [];
      if (!assignee) reply.push([Field.Assignee, (assignee = agent), 0]);
      if (!group) reply.push([Field.Group, (group = GROUPS.support.id), 0]);
      const solves = rng.chance(0.6);
      const replyStatus = solves ? 'solved' : 'pending';
      // A phone ticket the agent created in this status: the first reply leaves it as it is.
      if (round > 0 || replyStatus !== createdStatus)
        reply.push([Field.Status, STATUSES.indexOf(replyStatus), 0]);
      reply.push(...replyFields(fieldRng, solves));
      // Now and then the agent shares an unsolved ticket with the logistics partner: sent to it.
      if (!solves && !sharedWithLogistics && sharingRng.chance(0.05)) {
        reply.push([Field.Sharing, SHARING_AGREEMENTS.sentTo.id, 0]);
        sharedWithLogistics = true;
      }
      if (
        !emit(
          rng.logNormal(2.5 * HOUR, 1, 120, 3 * DAY),
          AuditKind.AgentReply,
          AGENT_CHANNEL,
          agent,
          reply,
          rng.int(0, 4),
        )
      )
        break;
      const followUpChannel = () =>
        channel === 'voice'
          ? rng.chance(0.7)
            ? 'email'
            : 'voice'
          : rng.chance(0.85)
            ? channel
            : rng.pick(FOLLOW_UP_CHANNELS);
      const reopen: [number, number, number][] = [
        [Field.Status, STATUSES.indexOf('open'), 0],
        ...(fieldRng.chance(0.4)
          ? [[Field.CustomStatus, CUSTOMER_REPLIED_STATUS_ID, TRIGGERS.customerReplied.id] as Change]
          : []),
        ...(solves ? withReason(statusRng, ratingFields(fieldRng)) : []),
      ];
      if (!solves) {
        if (rng.chance(0.7)) {
          if (
            !customerWrites(
              rng.logNormal(5 * HOUR, 0.9, 60, 4 * DAY),
              followUpChannel(),
              reopen,
              rng.int(0, 4),
            )
          )
            break;
          continue;
        }
        if (
          !emit(
            rng.logNormal(DAY, 0.5, HOUR, 5 * DAY),
            AuditKind.AgentReply,
            AGENT_CHANNEL,
            agent,
            [[Field.Status, STATUSES.indexOf('solved'), 0]],
            rng.int(0, 4),
          )
        )
          break;
      }
      if (round < 4 && rng.chance(round === 0 ? 0.25 : 0.12)) {
        if (
          !customerWrites(
            rng.logNormal(1.5 * DAY, 0.8, 10 * 60, 3.5 * DAY),
            followUpChannel(),
            reopen,
            rng.int(0, 4),
          )
        )
          break;
        continue;
      }
      const closeAt = at + 4 * DAY;
      // Now and then the customer thanks the agent before the close, and a trigger keeps the ticket
      // solved (Zendesk reopens it on the customer's comment; the trigger solves it again in the same
      // update, so the update changes no status): a contact on a solved ticket.
      if (statusRng.chance(0.3))
        customerWrites(
          statusRng.logNormal(DAY, 0.6, 10 * 60, 3.5 * DAY),
          channel === 'voice' ? 'email' : channel,
          [[Field.TagAdd, tagIndex('thanks'), TRIGGERS.keepSolved.id]],
          2,
        );
      if (
        emit(closeAt - at, AuditKind.Rule, 'rule', -1, [
          [Field.Status, STATUSES.indexOf('closed'), CLOSE_AUTOMATION.id],
        ])
      )
        account.ticketEnded.set(ticket, at);
      break;
    }
    endSessions(account, chatRng, ticket, requester, sessions);
  }
}

type Change = [field: number, value: number, rule: number];

/**
 * A creation's fields for issue 17's view conditions: the address an email was received at; a due
 * date on tasks and some others (the due-date conditions read a task's only), as a timestamp about
 * a day ahead or as a date only (either is 12:00 on its day in the account's time zone);
 * a follow-up date near the creation's day in the account's time zone; the callback checkbox,
 * checked or unchecked (unchecked equals never set).
 */
function creationFields(rng: Rng, created: number, channel: string, type: number): Change[] {
  const out: Change[] = [];
  if (channel === 'email') out.push([Field.Recipient, rng.chance(0.3) ? 1 : 0, 0]);
  if (type === 4 || rng.chance(0.25)) {
    const day = localDay(created, ACCOUNT_TIME_ZONE.iana);
    out.push([
      Field.Due,
      rng.chance(0.5) ? created + 24 * HOUR + rng.int(0, 2 * HOUR) : -dayNumber(shiftDay(day, rng.int(0, 2))),
      0,
    ]);
  }
  if (rng.chance(0.4)) {
    const day = localDay(created, ACCOUNT_TIME_ZONE.iana);
    out.push([Field.FollowUpDate, dayNumber(shiftDay(day, rng.int(-3, 3))), 0]);
  }
  if (rng.chance(0.35)) out.push([Field.Callback, rng.chance(0.6) ? 1 : 2, 0]);
  return out;
}

/**
 * An agent reply's fields: now and then it copies in the key contact or another customer, the admin
 * follows the ticket, a reply that leaves the ticket pending puts it in the "Awaiting parts" custom
 * status, and a solve offers the satisfaction survey (a trigger).
 */
function replyFields(rng: Rng, solves: boolean): Change[] {
  const out: Change[] = [];
  if (rng.chance(0.12)) out.push([Field.CcAdd, rng.chance(0.5) ? KEY_CONTACT_ID : KEY_CONTACT_ID + 1, 0]);
  if (rng.chance(0.1)) out.push([Field.FollowerAdd, FOLLOWING_ADMIN_ID, 0]);
  if (!solves && rng.chance(0.35)) out.push([Field.CustomStatus, AWAITING_PARTS_STATUS_ID, 0]);
  if (solves && rng.chance(0.7))
    out.push([Field.Satisfaction, SATISFACTION_SCORES.indexOf('offered'), TRIGGERS.offerSurvey.id]);
  return out;
}

/** A customer writing again after a solve sometimes rates the ticket first, with or without a comment. */
function ratingFields(rng: Rng): Change[] {
  if (!rng.chance(0.5)) return [];
  const score = SATISFACTION_SCORES.indexOf(rng.chance(0.5) ? 'good' : 'bad');
  return [
    [Field.Satisfaction, score, 0],
    [Field.SatisfactionComment, rng.chance(0.5) ? 1 : 0, 0],
  ];
}

/**
 * The status a ticket is created in: new, except a phone ticket the agent now and then submits
 * pending, on hold or solved while creating it.
 */
function creationStatus(rng: Rng, channel: string): (typeof STATUSES)[number] {
  if (channel !== 'voice' || !rng.chance(0.6)) return 'new';
  return rng.pick(['pending', 'hold', 'solved'] as const);
}

/**
 * A rating states its reason (`satisfaction_reason_code`): a bad one the customer's pick, a good one
 * "no reason provided" (0), so a new rating never leaves an earlier rating's reason behind.
 */
function withReason(rng: Rng, rating: Change[]): Change[] {
  if (rating.length === 0) return rating;
  const bad = rating[0]![1] === SATISFACTION_SCORES.indexOf('bad');
  const reason = bad ? (rng.chance(0.4) ? NOT_RESOLVED_REASON : rng.pick(SATISFACTION_REASON_CODES)) : 0;
  return [...rating, [Field.SatisfactionReason, reason, 0]];
}

function generateCalls(account: Account, rng: Rng, outcomeRng: Rng, p: SizeProfile): void {
  const { spanStart: start, spanEnd: end } = account;
  const clock = new SeasonalClock(start, end, CALL_HOUR_WEIGHT);
  const created = new Float64Array(p.calls);
  for (let i = 0; i < p.calls; i++) created[i] = clock.draw(rng);
  created.sort();
  for (const n of TALK_NUMBERS)
    for (const g of n.ivrGroups) if (!account.ivrGroupNames.includes(g)) account.ivrGroupNames.push(g);
  const agents = account.users.filter((u) => u.role === 'agent').map((u) => u.id);
  const endUsers = account.users.filter((u) => u.role === 'end-user').map((u) => u.id);
  const inboundCum = cumulative([78, 9, 4, 5, 2, 2]);

  for (let i = 0; i < p.calls; i++) {
    const c = created[i]!;
    const inbound = rng.chance(0.85);
    const numberIdx = rng.weighted(NUMBER_CUM);
    const number = TALK_NUMBERS[numberIdx]!;
    const ivr =
      inbound && number.ivrGroups.length > 0 && rng.chance(0.92) ? rng.pick(number.ivrGroups) : null;
    let status = 0;
    let agent = 0;
    let ivrTime = ivr ? rng.int(5, 45) : 0;
    let wait = 0;
    let talk = 0;
    let hold = 0;
    let wrap = 0;
    if (inbound) {
      status = rng.weighted(inboundCum);
      if (status === 2 && !ivr) status = 1;
      // A third of the queue abandons carry a status Zendesk does not document (by index: no draw shifts).
      if (COMPLETION_STATUSES[status] === 'abandoned_in_queue' && i % 3 === 0)
        status = COMPLETION_STATUSES.indexOf('dropped');
      const outcome = COMPLETION_STATUSES[status];
      if (outcome === 'abandoned_in_ivr') ivrTime = rng.int(20, 90);
      wait = outcome === 'abandoned_in_ivr' ? 0 : rng.logNormal(45, 0.8, 3, 900);
      if (outcome === 'completed' || outcome === 'abandoned_on_hold') {
        agent = rng.pick(agents);
        talk = rng.logNormal(outcome === 'completed' ? 300 : 120, 0.7, 20, 3600);
        hold =
          outcome === 'abandoned_on_hold'
            ? rng.logNormal(120, 0.6, 30, 900)
            : rng.chance(0.35)
              ? rng.logNormal(45, 0.8, 5, 600)
              : 0;
        wrap = rng.logNormal(60, 0.8, 5, 900);
      } else if (outcome === 'failed' && i % 2 === 0) {
        // Half the calls that did not connect: the caller left in a transition stage
        // (derived from the index, so no draw shifts another call's).
        status = COMPLETION_STATUSES.indexOf('not_answered');
      } else if (outcome === 'failed') {
        talk = -1;
      }
    } else {
      agent = rng.pick(agents);
      talk = rng.chance(0.8) ? rng.logNormal(180, 0.7, 10, 2400) : 0;
      wrap = talk > 0 ? rng.logNormal(40, 0.8, 5, 600) : 0;
    }
    // some records are updated long after the call, when the agent finally ends wrap-up
    const late = rng.chance(0.03) ? rng.int(600, 3600) : 0;
    const updated = c + ivrTime + wait + Math.max(talk, 0) + hold + wrap + late + 1;
    // two draws for every call, whatever it is, so one call's outcome never shifts another's
    const pendingVoicemail = outcomeRng.chance(0.4);
    const callback = outcomeRng.chance(0.08);
    if (inbound && COMPLETION_STATUSES[status] === 'abandoned_in_voicemail' && pendingVoicemail)
      status = COMPLETION_STATUSES.indexOf('pending_voicemail');
    const byCallback =
      inbound && callback && ['completed', 'abandoned_in_queue'].includes(COMPLETION_STATUSES[status]!);
    if (updated >= end) continue;
    account.callCreated.push(c);
    account.callUpdated.push(updated);
    account.callInbound.push(inbound ? 1 : 0);
    account.callNumber.push(numberIdx);
    account.callIvr.push(ivr ? account.ivrGroupNames.indexOf(ivr) : -1);
    account.callAgent.push(agent);
    account.callCustomer.push(rng.chance(0.05) ? 0 : rng.pick(endUsers));
    account.callStatus.push(status);
    account.callIvrTime.push(ivrTime);
    account.callWait.push(wait);
    account.callTalk.push(talk);
    account.callHold.push(hold);
    account.callWrap.push(wrap);
    account.callCallback.push(byCallback ? 1 : 0);
  }
}
