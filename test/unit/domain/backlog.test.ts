import { describe, expect, it } from '@jest/globals';
import { backlogChannel, backlogMove, isReopen } from '../../../shared/domain/backlog.js';
import type { WfmChannel } from '../../../shared/domain/channels.js';
import type { InteractionKind } from '../../../shared/domain/interactions.js';
import { supportQueue, type SourceQueue } from '../../../shared/domain/queues.js';
import type { BacklogMembership } from '../../../shared/domain/ticket-state.js';

const inbox = { id: 1, title: 'Inbox' };
const vip = { id: 2, title: 'VIP' };
/** The views' current titles, as the view classifier gives a queue a ticket was in. */
const titles = new Map([
  [inbox.id, inbox.title],
  [vip.id, vip.title],
]);
const queueOfView = (viewId: number, channel: WfmChannel) =>
  supportQueue({ id: viewId, title: titles.get(viewId)! }, channel);

describe('isReopen: a customer writing on a solved ticket', () => {
  it.each<[string, InteractionKind, string | null | undefined, boolean]>([
    ["a customer's comment on a solved ticket is a reopen", 'end_user_comment', 'solved', true],
    ['a chat session the customer starts on a solved ticket is a reopen', 'chat_session', 'solved', true],
    ["a customer's comment on an open ticket is no reopen", 'end_user_comment', 'open', false],
    ["a customer's comment on a pending ticket is no reopen", 'end_user_comment', 'pending', false],
    [
      'a comment on a closed ticket is no reopen (Zendesk makes a follow-up a new ticket)',
      'end_user_comment',
      'closed',
      false,
    ],
    ['a creation is never a reopen', 'creation', 'solved', false],
    ['an update on a ticket whose status is unknown is no reopen', 'end_user_comment', undefined, false],
  ])('%s', (_rule, kind, statusBefore, expected) => {
    expect(isReopen(kind, statusBefore)).toBe(expected);
  });
});

describe("backlogChannel: the channel a ticket's backlog counts in", () => {
  const emailMembership: BacklogMembership = { channel: 'email', viewIds: [] };
  it.each<[string, BacklogMembership | undefined, 'email' | 'chat' | null, string | null]>([
    ["a contact counted in a channel sets the ticket's backlog channel", undefined, 'chat', 'chat'],
    ['a later contact in another channel moves the backlog to that channel', emailMembership, 'chat', 'chat'],
    ['an update that is no counted contact keeps the channel', emailMembership, null, 'email'],
    ['a ticket without a counted contact has no backlog channel', undefined, null, null],
  ])('%s', (_rule, previous, counted, expected) => {
    expect(backlogChannel(previous, counted)).toBe(expected);
  });
});

describe('backlogMove: how an update moves a ticket between backlogs', () => {
  const inboxEmail = supportQueue(inbox, 'email');
  const vipEmail = supportQueue(vip, 'email');
  const inboxChat = supportQueue(inbox, 'chat');
  const inEmail = (...queues: SourceQueue[]): BacklogMembership => ({
    channel: 'email',
    viewIds: queues.map((q) => q.viewId!),
  });
  it.each<
    [
      string,
      BacklogMembership | undefined,
      'email' | 'chat' | null,
      SourceQueue[],
      { entered: string[]; left: string[]; membership: BacklogMembership | undefined },
    ]
  >([
    [
      'a ticket enters the backlog of each view it is in after the update',
      undefined,
      'email',
      [inboxEmail, vipEmail],
      { entered: [inboxEmail.id, vipEmail.id], left: [], membership: inEmail(inboxEmail, vipEmail) },
    ],
    [
      'a ticket still in a view moves nothing',
      inEmail(inboxEmail),
      'email',
      [inboxEmail],
      { entered: [], left: [], membership: inEmail(inboxEmail) },
    ],
    [
      'a ticket leaves the backlog of a view with the update that takes it out',
      inEmail(inboxEmail, vipEmail),
      'email',
      [vipEmail],
      { entered: [], left: [inboxEmail.id], membership: inEmail(vipEmail) },
    ],
    [
      "a contact in another channel moves the ticket to that channel's queue of the same view",
      inEmail(inboxEmail),
      'chat',
      [inboxChat],
      {
        entered: [inboxChat.id],
        left: [inboxEmail.id],
        membership: { channel: 'chat', viewIds: [inbox.id] },
      },
    ],
    [
      'a ticket without a backlog channel is in no backlog, whatever views it is in',
      undefined,
      null,
      [inboxEmail],
      { entered: [], left: [], membership: undefined },
    ],
  ])('%s', (_rule, previous, channel, queuesNow, expected) => {
    const move = backlogMove(previous, channel, queuesNow, queueOfView);
    expect({
      entered: move.entered.map((q) => q.id),
      left: move.left.map((q) => q.id),
      membership: move.membership,
    }).toEqual(expected);
  });

  it("a ticket leaves the queue of a view renamed or deleted since it entered under the view's current title (SPEC §3: the name follows the title)", () => {
    const renamed = (viewId: number, channel: WfmChannel) =>
      supportQueue({ id: viewId, title: viewId === inbox.id ? 'Inbox (old mail)' : 'VIP' }, channel);
    const move = backlogMove({ channel: 'email', viewIds: [inbox.id, vip.id] }, 'email', [vipEmail], renamed);
    expect(move.left).toEqual([
      {
        id: 'support:1:email',
        name: 'Inbox (old mail) (email)',
        channel: 'email',
        source: 'support',
        viewId: 1,
      },
    ]);
    expect(move.entered).toEqual([]);
  });
});
