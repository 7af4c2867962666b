import { channelOf, isLiveConversationChannel, type WfmChannel } from './channels.js';
import type { ChildEventRecord, TicketEventRecord, UserRole } from './records.js';
import type { TicketState } from './ticket-state.js';
import { viaTypeName, viaTypeOf } from './via-types.js';

/**
 * Which ticket updates are interactions (SPEC §3): the ticket's creation, or an update in which an
 * end user adds a comment (which is also how a customer reopens a solved ticket). Everything else
 * is skipped with a stable reason, because coverage is counted per integration and reason.
 *
 * Which `via` decides the channel. An export event carries two: the audit's top-level `via`, a
 * display name of the via *type* ("Web form", "Mail", "Rule"; zendesk-api.md §1.3), and the
 * comment child's `via` object with `channel` (§1.4, §1.6). The comment's `channel` decides:
 * SPEC's channel table is keyed by `via.channel`, which only the object carries; the comment is the
 * interaction itself (the customer's words arrived through that channel); and a ticket's creation
 * channel is its first comment's channel. The top-level display name is the fallback, for an
 * update without a comment child (a creation exported without `include=comment_events`, or by an
 * API call without a description): it is read as a via type and mapped to that type's channel
 * ("Web form" → web, "Mail" → email, "Web service" → api); a display name that is not a known via
 * type is passed on as its snake_case name, so it is reported as an unmapped channel by name.
 *
 * Messaging and live chat (SPEC §3). In Zendesk messaging (native messaging, WhatsApp, Messenger,
 * Instagram DM, LINE, WeChat …) and live chat in the agent workspace, the customer's messages are
 * not comments: a session is a `ChatStartedEvent` whose history holds the messages, closed by a
 * `ChatEndedEvent`, and a transcript may be appended as one comment when it ends. A conversation
 * is one contact: the ticket's creation (a session that creates the ticket is that creation), plus
 * one per later session on the same ticket (`chat_session`), in that session's channel: the
 * `ChatStartedEvent`'s own via (an audit event carries one only when it differs from its audit's),
 * else a customer comment's in the update, else the update's: the first of them that is a channel
 * (mapped or a live conversation channel the table leaves out, such as LINE), so a display name
 * that does not read as a channel gives way to one that does. A session
 * no end user wrote in (an agent's outbound message nobody answered) is not a contact. Never a
 * contact: an end user's comment on the update that ends a session (the transcript), one through
 * the `chat_transcript` channel, and one through a live conversation channel
 * (`isLiveConversationChannel`): such a comment is part of a session, which is counted by its
 * start. A customer's email or web-form comment on a messaging ticket follows the comment rule.
 * Agents' messages and replies are never contacts, whatever the channel.
 *
 * Roles. A comment counts when its *author* is an end user (not the updater: an agent may post on
 * a customer's behalf with the customer as author, which is the customer's contact, unless it is a
 * private comment through the agent interface, below). Private
 * end-user comments count too (a CC'd customer's email reply can become private by account
 * setting; it is still the customer writing), but for one through a channel only staff write
 * private comments in (`AGENT_ONLY_PRIVATE_CHANNELS`). Roles other than `end-user`, including future role
 * names, are treated as staff, as records.ts says. An author whose role is unknown (not in the
 * user store) is not counted: the verdict is `unknown_author`, so the gap is visible in coverage
 * rather than guessed either way. The role is today's (Zendesk keeps no history of roles), so where
 * the ticket's state is known a comment by its assignee is an agent's reply whatever role its
 * author has now (`stateSkipReason`): Zendesk assigns tickets to agents only.
 */
export type RoleLookup = (userId: number) => UserRole | string | undefined;

export const INTERACTION_KINDS = ['creation', 'end_user_comment', 'chat_session'] as const;

export type InteractionKind = (typeof INTERACTION_KINDS)[number];

export interface Interaction {
  readonly kind: InteractionKind;
  /** The Zendesk channel name (the key of the channel table), null when the update names none. */
  readonly viaChannel: string | null;
  readonly channel: WfmChannel | 'unmapped';
}

export const SKIP_REASONS = [
  /** A public comment by an agent or admin. */
  'agent_reply',
  /** A private comment (internal note) by an agent or admin. */
  'internal_note',
  /** An agent's or admin's change without a comment (status, assignee, group, tags …). */
  'agent_update',
  /** A change made by a trigger or an automation (via type `rule`). */
  'trigger_or_automation',
  /** A change made by Zendesk itself (updater -1, or a system via type such as user_deletion). */
  'system_update',
  'merge',
  'deletion',
  'satisfaction_rating',
  /** A comment whose author is not in the user store: not guessed, reported. */
  'unknown_author',
  /** An update by an end user or an unknown user, with no comment (nothing the customer wrote). */
  'no_comment',
  /** An end user's comment added as a chat session ended, or through `chat_transcript`: the session's transcript. */
  'chat_transcript',
  /** An end user's comment through a live conversation channel: a message of a session, counted by the session's start. */
  'chat_message',
  /** A chat session in which no end user wrote (an agent's outbound message nobody answered). */
  'chat_without_customer',
  /**
   * The first chat session of a ticket created through a conversation channel, in an update of its
   * own after the creation's: the creation's contact, counted with the creation (`conversationVerdict`).
   */
  'creation_session',
  /**
   * A comment by the ticket's assignee whom Zendesk's users export now calls an end user: Zendesk
   * assigns tickets to agents only, so the author was an agent when they wrote (an agent
   * downgraded since, as Zendesk advises for one who leaves), and it is their reply.
   */
  'assignee_comment',
  /**
   * A ticket created by a call an agent placed, or a call's comment on one (via type "Phone call
   * (outbound)", or a voice comment whose `via.source.rel` is `outbound`): the integration imports
   * incoming calls only.
   */
  'outbound_call',
] as const;

export type SkipReason = (typeof SKIP_REASONS)[number];

export interface NotAnInteraction {
  readonly kind: 'none';
  readonly reason: SkipReason;
}

export type InteractionVerdict = Interaction | NotAnInteraction;

export const isInteraction = (verdict: InteractionVerdict): verdict is Interaction => verdict.kind !== 'none';

/** Zendesk's own updater id. */
export const SYSTEM_USER_ID = -1;

const TRIGGER_VIA_TYPES: ReadonlySet<string> = new Set(['rule', 'automation', 'trigger']);
const MERGE_VIA_TYPES: ReadonlySet<string> = new Set(['merge', 'user_merge']);
const SYSTEM_VIA_TYPES: ReadonlySet<string> = new Set([
  'linked_problem',
  'group_deletion',
  'user_change',
  'user_deletion',
  'group_change',
  'resource_push',
  'automatic_solution_suggestions',
]);

type CommentChild = Extract<ChildEventRecord, { kind: 'Comment' }>;
type ChatStartedChild = Extract<ChildEventRecord, { kind: 'ChatStarted' }>;

const commentsOf = (update: TicketEventRecord): CommentChild[] =>
  update.children.filter((child): child is CommentChild => child.kind === 'Comment');

/** The via type an update came through, from its top-level display name (null when absent). */
const updateViaType = (update: TicketEventRecord): string | null => {
  if (update.via === null || update.via.trim() === '') return null;
  return viaTypeOf(update.via)?.type ?? viaTypeName(update.via);
};

/** The Zendesk channel the top-level display name stands for, when there is no comment to ask. */
const channelOfDisplayName = (via: string | null): string | null => {
  if (via === null || via.trim() === '') return null;
  const viaType = viaTypeOf(via);
  if (viaType === undefined) return viaTypeName(via);
  return viaType.channel ?? viaType.type;
};

/** A channel as a name: a numeric via id (`"29"`) is read through the via-type table, a name is kept. */
const viaChannelName = (channel: string | null): string | null => {
  if (channel === null || !/^\d+$/.test(channel.trim())) return channel;
  return viaTypeOf(channel)?.channel ?? channel;
};

/**
 * Whether a name is a channel Zendesk has: one the channel table maps, or a live conversation
 * channel it leaves out (LINE, WeChat, Telegram …). A display name such as "Messaging" is neither.
 */
const isChannelName = (name: string): boolean =>
  channelOf(name) !== 'unmapped' || isLiveConversationChannel(viaChannelName(name));

/**
 * The first candidate that is a channel (`isChannelName`); when none is, the first one given. The
 * export names a session's channel by a display name that may not read as a channel, and then a
 * comment's via object, which carries the channel itself, or the update's decides. A session's own
 * channel that the table leaves out still decides (Audit events reference: an event carries its own
 * via when it differs from its audit's), so it is reported unmapped by name, never counted in the
 * channel of the update around it.
 */
const firstChannel = (candidates: readonly (string | null | undefined)[]): string | null => {
  const given = candidates.filter((c): c is string => c !== null && c !== undefined);
  return given.find(isChannelName) ?? given[0] ?? null;
};

const interaction = (kind: InteractionKind, viaChannel: string | null): Interaction => ({
  kind,
  viaChannel,
  channel: channelOf(viaChannel),
});

const none = (reason: SkipReason): NotAnInteraction => ({ kind: 'none', reason });

const isDeletion = (update: TicketEventRecord): boolean =>
  update.children.some(
    (child) =>
      (child.kind === 'Create' || child.kind === 'Change') &&
      child.field === 'status' &&
      child.value === 'deleted',
  );

const isMerge = (update: TicketEventRecord, comments: readonly CommentChild[]): boolean => {
  const viaType = updateViaType(update);
  if (viaType !== null && MERGE_VIA_TYPES.has(viaType)) return true;
  return comments.some((comment) => {
    if (comment.channel === null) return false;
    const commentViaType = viaTypeOf(comment.channel)?.type ?? viaTypeName(comment.channel);
    return MERGE_VIA_TYPES.has(commentViaType);
  });
};

/**
 * Channels through which only staff write private comments: the agent interface (`web`: an end
 * user's Help Center and web form comments are public) and the agent mobile app (`mobile`). A
 * private comment there by an author the users export calls an end user is a former agent's
 * internal note (Zendesk advises downgrading an agent who leaves; it keeps no history of roles),
 * never a customer writing. A CC'd customer's private reply comes by email; an API's private
 * comment may be an integration relaying the customer, so neither is read this way.
 */
const AGENT_ONLY_PRIVATE_CHANNELS: ReadonlySet<string> = new Set(['web', 'mobile']);

/** Via types of a call an agent placed: Talk's and Talk Partner Edition's (zendesk-api.md §4.4). */
const OUTBOUND_CALL_VIA_TYPES: ReadonlySet<string> = new Set([
  'phone_call_outbound',
  'api_phone_call_outbound',
]);

/**
 * Whether a via names a call an agent placed: a voice channel whose `source.rel` is `outbound`
 * (zendesk-api.md §1.6: a call's rel is `voicemail`, `inbound` or `outbound`), or an outbound call's
 * own via type (a type name, a display name such as "Phone call (outbound)", or its id). A ticket's
 * record and a comment carry the channel and rel of the same via object; with no channel named,
 * nothing says it was a call.
 */
export const isOutboundCall = (channel: string | null, rel: string | null | undefined): boolean => {
  if (channel === null || channel.trim() === '') return false;
  const viaType = viaTypeOf(channel);
  if (OUTBOUND_CALL_VIA_TYPES.has(viaType?.type ?? viaTypeName(channel))) return true;
  return rel === 'outbound' && (viaType?.channel ?? viaTypeName(channel)) === 'voice';
};

/**
 * A comment of an outbound call: one without a via of its own came its update's way (an audit's
 * event carries a via only where it differs from its audit's), so the update's names its channel.
 */
const isOutboundCallComment = (comment: CommentChild, update: TicketEventRecord): boolean =>
  isOutboundCall(comment.channel ?? update.via, comment.rel);

/** An update through an outbound call: its via type says so, or its first comment, the call's. */
export const isOutboundCallUpdate = (
  update: TicketEventRecord,
  comments: readonly CommentChild[] = commentsOf(update),
): boolean => {
  const viaType = updateViaType(update);
  if (viaType !== null && OUTBOUND_CALL_VIA_TYPES.has(viaType)) return true;
  return comments[0] !== undefined && isOutboundCallComment(comments[0], update);
};

const isSatisfactionRating = (update: TicketEventRecord): boolean =>
  update.children.some((child) => child.kind === 'Other' && /satisfaction/i.test(child.eventType));

/** A creation's channel: its first comment's, else its session's, else the update's display name. */
export const creationChannelOf = (update: TicketEventRecord): string | null => {
  const session = update.children.find((child): child is ChatStartedChild => child.kind === 'ChatStarted');
  return (
    commentsOf(update)[0]?.channel ??
    (session === undefined ? null : channelOfDisplayName(session.via)) ??
    channelOfDisplayName(update.via)
  );
};

const startsSession = (update: TicketEventRecord): boolean =>
  update.children.some((child) => child.kind === 'ChatStarted');

/**
 * Whether a creation leaves its conversation's first session to come: the ticket is created through
 * a live conversation channel (a transcript, `chat_transcript`, is no conversation of its own) and
 * the creation update carries no `ChatStartedEvent`. A real account may record the session that
 * created the ticket in its own update right after the creation's.
 */
export const awaitsCreationSession = (creation: TicketEventRecord): boolean => {
  if (!creation.children.some((child) => child.kind === 'Create') || startsSession(creation)) return false;
  const channel = viaChannelName(creationChannelOf(creation));
  return channel !== 'chat_transcript' && isLiveConversationChannel(channel);
};

/**
 * What an interaction is once its ticket's state has its say (`detectInteraction` judges one update
 * alone): the reason it is no contact after all, or null. Messaging (SPEC §3): the first session of
 * a conversation is the creation's contact, whether it arrives in the creation update or in a later
 * one (`creationSessionPending`, ticket-state.ts), so a session the creation still awaits is none of
 * its own. Roles: a comment by the ticket's assignee before or after the update is an agent's reply
 * (`isAssigneesComment`).
 */
export const stateSkipReason = (
  interaction: InteractionKind,
  update: TicketEventRecord,
  before: Pick<TicketState, 'creationSessionPending' | 'assigneeId'> | undefined,
  after: Pick<TicketState, 'assigneeId'>,
): SkipReason | null => {
  if (interaction === 'chat_session' && isCreationSession(update, before)) return 'creation_session';
  if (
    interaction === 'end_user_comment' &&
    isAssigneesComment(update, [before?.assigneeId, after.assigneeId])
  )
    return 'assignee_comment';
  return null;
};

/** An update's verdict with its ticket's state's say (`stateSkipReason`). */
export const conversationVerdict = (
  verdict: InteractionVerdict,
  update: TicketEventRecord,
  before: Pick<TicketState, 'creationSessionPending' | 'assigneeId'> | undefined,
  after: Pick<TicketState, 'assigneeId'>,
): InteractionVerdict => {
  const reason = verdict.kind === 'none' ? null : stateSkipReason(verdict.kind, update, before, after);
  return reason === null ? verdict : none(reason);
};

/**
 * Whether every comment of an update is by the ticket's assignee, before or after the update (an
 * agent who takes the ticket as they reply): a comment judged an end user's by today's role is then
 * an agent's reply (`assignee_comment`). The users export keeps no history of roles; an assignment
 * is the one record of a user having been an agent.
 */
export const isAssigneesComment = (
  update: TicketEventRecord,
  assignees: readonly (number | null | undefined)[],
): boolean => {
  const comments = commentsOf(update);
  return (
    comments.length > 0 &&
    comments.every((comment) =>
      assignees.some((id) => id !== null && id !== undefined && id === comment.authorId),
    )
  );
};

/** Whether this update starts the session its ticket's creation still awaits (see `conversationVerdict`). */
export const isCreationSession = (
  update: TicketEventRecord,
  before: { readonly creationSessionPending?: boolean } | undefined,
): boolean => before?.creationSessionPending === true && startsSession(update);

/**
 * Decides whether one ticket update is an interaction. The checks run in a fixed order so each
 * update gets exactly one verdict: creation first (a creation is always a contact, whoever made
 * it, unless an agent's outbound call made it), then deletion and merge (their comments are bookkeeping, not customer contact), then a
 * chat session's start, then an end-user comment that is not part of a session, then why it is
 * not one.
 */
export const detectInteraction = (update: TicketEventRecord, roleOf: RoleLookup): InteractionVerdict => {
  const comments = commentsOf(update);
  const fallbackChannel = channelOfDisplayName(update.via);
  const session = update.children.find((child): child is ChatStartedChild => child.kind === 'ChatStarted');
  const sessionChannel = session === undefined ? null : channelOfDisplayName(session.via);

  if (update.children.some((child) => child.kind === 'Create')) {
    if (isOutboundCallUpdate(update, comments)) return none('outbound_call');
    return interaction('creation', creationChannelOf(update));
  }
  if (isDeletion(update)) return none('deletion');
  if (isMerge(update, comments)) return none('merge');

  const channelOfComment = (comment: CommentChild) => comment.channel ?? fallbackChannel;
  const customerComments = comments.filter(
    (comment) =>
      roleOf(comment.authorId) === 'end-user' &&
      !(
        comment.public === false &&
        AGENT_ONLY_PRIVATE_CHANNELS.has(viaChannelName(channelOfComment(comment)) ?? '')
      ),
  );
  if (session !== undefined) {
    if (session.endUserWrote === false) return none('chat_without_customer');
    return interaction(
      'chat_session',
      firstChannel([sessionChannel, customerComments[0]?.channel, fallbackChannel]),
    );
  }

  const endsSession = update.children.some((child) => child.kind === 'ChatEnded');
  const isTranscript = (comment: CommentChild) =>
    endsSession || viaChannelName(channelOfComment(comment)) === 'chat_transcript';
  const contact = customerComments.find(
    (comment) =>
      !isTranscript(comment) &&
      !isOutboundCallComment(comment, update) &&
      !isLiveConversationChannel(viaChannelName(channelOfComment(comment))),
  );
  if (contact !== undefined) return interaction('end_user_comment', channelOfComment(contact));
  if (customerComments.length > 0) {
    if (customerComments.some(isTranscript)) return none('chat_transcript');
    return none(
      customerComments.some((comment) => isOutboundCallComment(comment, update))
        ? 'outbound_call'
        : 'chat_message',
    );
  }

  if (comments.length > 0) {
    if (comments.some((comment) => roleOf(comment.authorId) === undefined)) return none('unknown_author');
    return none(comments.some((comment) => comment.public) ? 'agent_reply' : 'internal_note');
  }

  if (isSatisfactionRating(update)) return none('satisfaction_rating');
  const viaType = updateViaType(update);
  if (viaType !== null && TRIGGER_VIA_TYPES.has(viaType)) return none('trigger_or_automation');
  if (update.updaterId === SYSTEM_USER_ID || (viaType !== null && SYSTEM_VIA_TYPES.has(viaType))) {
    return none('system_update');
  }
  const updaterRole = roleOf(update.updaterId);
  if (updaterRole !== undefined && updaterRole !== 'end-user') return none('agent_update');
  return none('no_comment');
};
