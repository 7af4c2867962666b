/**
 * Builds the ground truth from the account by replaying every ticket's updates in order and
 * applying the rules of truth.ts: which updates are interactions, their channel, the supported
 * active views the ticket is in right after each one, and each call's final contribution.
 */
import { Account, AuditKind, callId, emptyState } from './account.js';
import {
  ACCOUNT_TIME_ZONE,
  CALLBACK_FIELD_ID,
  COMPLETION_STATUSES,
  FOLLOW_UP_DATE_FIELD_ID,
  TALK_NUMBERS,
  voicemailRouteOf,
} from './catalog.js';
import {
  CONVERSATION_CHANNELS,
  callOutcome,
  isInteraction,
  isReopen,
  ticketInView,
  unsupportedKindsOf,
  wfmChannelOf,
  type GroundTruth,
  type TruthBacklogStep,
  type TruthCall,
  type TruthInteraction,
  type FieldTypes,
  type TruthView,
  type ViewContext,
} from './truth.js';

const COMMENT_KINDS = new Set<number>([
  AuditKind.Create,
  AuditKind.CustomerComment,
  AuditKind.AgentReply,
  AuditKind.InternalNote,
  AuditKind.MergeSource,
  AuditKind.MergeTarget,
]);

/** Whether audit `a` carries a comment: the comment kinds, and a session's end with its transcript. */
export const hasComment = (account: Account, a: number): boolean => {
  const kind = account.auditKind.get(a);
  return COMMENT_KINDS.has(kind) || (kind === AuditKind.ChatEnd && account.auditExtra.get(a) === 1);
};

/** The author of audit `a`'s comment: a transcript's is the customer, whoever ends the session. */
export const commentAuthor = (account: Account, a: number, requesterId: number | null): number =>
  account.auditKind.get(a) === AuditKind.ChatEnd && requesterId !== null
    ? requesterId
    : account.auditAuthor.get(a);

/** The `via.channel` of audit `a`'s comment: a live chat's transcript comes through `chat_transcript`. */
export const commentChannel = (account: Account, a: number): string => {
  const channel = account.channelNames[account.auditChannel.get(a)]!;
  return account.auditKind.get(a) === AuditKind.ChatEnd && channel === 'chat' ? 'chat_transcript' : channel;
};

/**
 * Whether a chat session starts in audit `a` (a `ChatStartedEvent`): a customer's new session, or
 * the creation of a ticket through a conversation channel (not a transcript ticket).
 */
export const startsSession = (account: Account, a: number): boolean => {
  const kind = account.auditKind.get(a);
  const channel = account.channelNames[account.auditChannel.get(a)]!;
  return (
    kind === AuditKind.ChatStart ||
    (kind === AuditKind.Create &&
      CONVERSATION_CHANNELS.has(channel) &&
      channel !== 'chat_transcript' &&
      !account.creationSessionApart.has(account.auditTicket.get(a)))
  );
};

/** The account's time zone and its requesters' languages, as its views read them. */
export const viewContextOf = (account: Account): ViewContext => ({
  timeZone: ACCOUNT_TIME_ZONE.iana,
  localeOf: (userId) => account.usersById.get(userId)?.localeId ?? null,
});

/** The account's custom fields by type. */
export const FIELD_TYPES: FieldTypes = {
  dateFields: new Set([String(FOLLOW_UP_DATE_FIELD_ID)]),
  checkboxFields: new Set([String(CALLBACK_FIELD_ID)]),
};

const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

export function truthViews(account: Account): TruthView[] {
  return account.views.map((v) => {
    const kinds = unsupportedKindsOf(v.conditions);
    return {
      id: v.id,
      title: v.title,
      active: v.active,
      supported: kinds.length === 0 && v.personalTo === undefined,
      unsupportedKinds: kinds,
      personal: v.personalTo !== undefined,
    };
  });
}

export function buildTruth(account: Account): GroundTruth {
  const views = truthViews(account);
  const counted = account.views.filter((_, i) => views[i]!.active && views[i]!.supported);
  const found: { position: number; item: TruthInteraction }[] = [];
  const backlogSteps: TruthBacklogStep[] = [];
  const context = viewContextOf(account);
  const unmapped: Record<string, number> = {};

  for (let t = 0; t < account.ticketCount; t++) {
    const state = emptyState(account.ticketCreated.get(t));
    // The creation's session, when its creation update did not start it, is still to come.
    let creationSessionToCome = false;
    // The views the ticket was in after its previous update: a step is kept where they change.
    let inViews = '';
    for (let a = account.ticketHead.get(t); a >= 0; a = account.auditNext.get(a)) {
      const statusBefore = state.status;
      account.applyAudit(state, a);
      const at = account.auditTs.get(a);
      const viewIds = counted
        .filter((v) => ticketInView(v.conditions, state, at, context, FIELD_TYPES))
        .map((v) => v.id);
      const kind = account.auditKind.get(a);
      const comment = hasComment(account, a);
      const facts = {
        isCreation: kind === AuditKind.Create,
        isOutboundCallCreation: kind === AuditKind.Create && account.outboundCallCreations.has(t),
        commentAuthorRole: comment ? account.roleOf(commentAuthor(account, a, state.requesterId)) : null,
        commentChannel: comment ? commentChannel(account, a) : null,
        startsCustomerSession: kind === AuditKind.ChatStart,
        continuesCreationSession: kind === AuditKind.ChatStart && creationSessionToCome,
        endsSession: kind === AuditKind.ChatEnd,
      };
      if (kind === AuditKind.Create)
        creationSessionToCome =
          account.creationSessionApart.has(t) &&
          CONVERSATION_CHANNELS.has(account.channelNames[account.auditChannel.get(a)]!);
      else if (kind === AuditKind.ChatStart || kind === AuditKind.ChatEnd) creationSessionToCome = false;
      const interaction = isInteraction(facts);
      const viaChannel = account.channelNames[account.auditChannel.get(a)]!;
      const wfmChannel = wfmChannelOf(viaChannel);
      if (interaction || viewIds.join() !== inViews)
        backlogSteps.push({
          ticketId: account.ticketId(t),
          at: iso(at),
          viewIds,
          channel: interaction ? wfmChannel : null,
        });
      inViews = viewIds.join();
      if (!interaction) continue;
      if (wfmChannel === null) unmapped[viaChannel] = (unmapped[viaChannel] ?? 0) + 1;
      found.push({
        position: account.positionOf.get(a),
        item: {
          ticketId: account.ticketId(t),
          auditId: account.auditId(a),
          at: iso(at),
          viaChannel,
          wfmChannel,
          viewIds,
          reopen: isReopen(facts.isCreation, statusBefore),
        },
      });
    }
  }
  found.sort((x, y) => x.position - y.position);

  const calls: TruthCall[] = [];
  for (let c = 0; c < account.callCount; c++) {
    const talk = account.callTalk.get(c);
    const agent = account.callAgent.get(c);
    const inbound = account.callInbound.get(c) === 1;
    const completionStatus = COMPLETION_STATUSES[account.callStatus.get(c)]!;
    const { handled, handleSeconds } = callOutcome({
      direction: inbound ? 'inbound' : 'outbound',
      agentId: agent === 0 ? null : agent,
      completionStatus,
      talkTime: talk < 0 ? null : talk,
      holdTime: account.callHold.get(c),
      wrapUpTime: account.callWrap.get(c),
    });
    const ivr = account.callIvr.get(c);
    const voicemailRoute = voicemailRouteOf(completionStatus, account.callWait.get(c), c);
    calls.push({
      id: callId(c),
      at: iso(account.callCreated.get(c)),
      direction: inbound ? 'inbound' : 'outbound',
      ivrGroup: ivr < 0 ? null : account.ivrGroupNames[ivr]!,
      phoneNumber: TALK_NUMBERS[account.callNumber.get(c)]!.phone,
      handled,
      handleSeconds,
      completionStatus,
      waitSeconds: account.callWait.get(c),
      callback: account.callCallback.get(c) === 1,
      voicemailAfterQueue: voicemailRoute === 'requested' || voicemailRoute === 'queue_timeout',
    });
  }
  return {
    interactions: found.map((f) => f.item),
    calls,
    views,
    unmappedChannels: unmapped,
    backlogSteps,
  };
}
