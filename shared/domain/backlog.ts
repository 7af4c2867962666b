/**
 * Issue #20's Support figures beside offered contacts: reopens and the backlog.
 *
 * A **reopen** is a contact that is the customer writing on a solved ticket: an end user's comment
 * or a chat session the customer starts (SPEC §3: a session is the customer writing again) on an
 * update whose ticket was `solved` right before it. A creation is never a reopen, and neither is a
 * follow-up to a closed ticket (Zendesk makes that a new ticket: a creation).
 *
 * The **backlog** of a Support queue at a moment is the tickets in its view at that moment, in its
 * channel. Membership is decided as for contacts: the view's conditions on the ticket's state right
 * after each update, at the update's time, and a ticket leaves the view with the update that takes
 * it out. So a time-based condition ("hours since …") moves a ticket only at its updates: a ticket
 * that would drop out of a view as time passes stays in its backlog until its next update. A
 * ticket's backlog counts in one channel: that of its latest contact counted in a WFM channel (the
 * way the customer last reached the team, where the work goes on). It is in no backlog until its
 * first such contact in the import window; a later contact in another channel moves it from the
 * one channel's queues to the other's in that update.
 */
import type { InteractionKind } from './interactions.js';
import type { WfmChannel } from './channels.js';
import type { SourceQueue } from './queues.js';
import type { BacklogMembership } from './ticket-state.js';

/** Whether a contact is a reopen: the customer writing (not creating) on a ticket solved right before. */
export const isReopen = (interaction: InteractionKind, statusBefore: string | null | undefined): boolean =>
  interaction !== 'creation' && statusBefore === 'solved';

/** The channel a ticket's backlog counts in after an update: its latest counted contact's. */
export const backlogChannel = (
  previous: BacklogMembership | undefined,
  countedIn: WfmChannel | null,
): WfmChannel | null => countedIn ?? previous?.channel ?? null;

export interface BacklogMove {
  /** The ticket's membership after the update; undefined while it has no channel. */
  readonly membership: BacklogMembership | undefined;
  readonly entered: readonly SourceQueue[];
  readonly left: readonly SourceQueue[];
}

/**
 * How one update moves a ticket's backlog: `queuesNow` are the Support queues of the views it is in
 * right after the update, in its backlog channel (none while it has none). A queue it was in and
 * still is in moves nothing. `queueOfView` gives the queue of a view it was in, by the view's
 * current title (the view may have been renamed, deactivated or deleted since the ticket entered).
 */
export const backlogMove = (
  previous: BacklogMembership | undefined,
  channel: WfmChannel | null,
  queuesNow: readonly SourceQueue[],
  queueOfView: (viewId: number, channel: WfmChannel) => SourceQueue,
): BacklogMove => {
  const was = previous === undefined ? [] : previous.viewIds.map((id) => queueOfView(id, previous.channel));
  const now = channel === null ? [] : queuesNow;
  const wasIds = new Set(was.map((q) => q.id));
  const nowIds = new Set(now.map((q) => q.id));
  return {
    membership: channel === null ? undefined : { channel, viewIds: now.map((q) => q.viewId!) },
    entered: now.filter((q) => !wasIds.has(q.id)),
    left: was.filter((q) => !nowIds.has(q.id)),
  };
};
