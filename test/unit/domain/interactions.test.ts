import { describe, expect, it } from '@jest/globals';
import {
  conversationVerdict,
  detectInteraction,
  isAssigneesComment,
  isInteraction,
  SKIP_REASONS,
  type InteractionVerdict,
} from '../../../shared/domain/interactions.js';
import type { TicketEventRecord } from '../../../shared/domain/records.js';
import { applyUpdate, type TicketState } from '../../../shared/domain/ticket-state.js';
import {
  ADMIN,
  AGENT,
  changed,
  chatEnded,
  chatStarted,
  comment,
  created,
  CUSTOMER,
  OTHER_CUSTOMER,
  LIGHT_AGENT,
  other,
  roleOf,
  SHARED_AGENT,
  SYSTEM,
  UNKNOWN_USER,
  update,
} from '../../support/records.js';

const AT = '2024-06-03T09:01:02Z';

describe('detectInteraction: interactions', () => {
  const rows: [name: string, update: TicketEventRecord, expected: InteractionVerdict][] = [
    [
      'a creation by web form: the comment child’s channel decides, not the display string',
      update(1, AT, [created('status', 'new'), comment(CUSTOMER, 'web')], { via: 'Web form' }),
      { kind: 'creation', viaChannel: 'web', channel: 'email' },
    ],
    [
      'a creation by email',
      update(2, AT, [created('status', 'new'), comment(CUSTOMER, 'email')], { via: 'Mail' }),
      { kind: 'creation', viaChannel: 'email', channel: 'email' },
    ],
    [
      'a creation by an agent (an outbound ticket is still a creation)',
      update(3, AT, [created('status', 'open'), comment(AGENT, 'web')], {
        via: 'Web form',
        updaterId: AGENT,
      }),
      { kind: 'creation', viaChannel: 'web', channel: 'email' },
    ],
    [
      'a creation from a voicemail (a call the customer made)',
      update(84, AT, [created('status', 'new'), comment(CUSTOMER, 'voice', true, 'voicemail')], {
        via: 'Voicemail',
      }),
      { kind: 'creation', viaChannel: 'voice', channel: 'call' },
    ],
    [
      'an inbound call’s comment on an existing ticket: the customer’s call',
      update(85, AT, [comment(CUSTOMER, 'voice', false, 'inbound')], { via: 'Voice', updaterId: AGENT }),
      { kind: 'end_user_comment', viaChannel: 'voice', channel: 'call' },
    ],
    [
      'a rel of outbound on a channel that is no call (an SMS audit) makes no outbound call: the creation counts',
      update(94, AT, [created('status', 'new'), comment(CUSTOMER, null, true, 'outbound')], { via: 'sms' }),
      { kind: 'creation', viaChannel: 'sms', channel: 'social_media' },
    ],
    [
      'a creation from a call',
      update(4, AT, [created('status', 'new'), comment(CUSTOMER, 'voice', true, 'inbound')], {
        via: 'Phone call (inbound)',
      }),
      { kind: 'creation', viaChannel: 'voice', channel: 'call' },
    ],
    [
      'a creation without a comment child: the display string "Mail" stands for email',
      update(5, AT, [created('status', 'new')], { via: 'Mail' }),
      { kind: 'creation', viaChannel: 'email', channel: 'email' },
    ],
    [
      'a creation without a comment child: "Web service" stands for api',
      update(6, AT, [created('status', 'new')], { via: 'Web service' }),
      { kind: 'creation', viaChannel: 'api', channel: 'case' },
    ],
    [
      'a creation through an unknown via: reported by its name, unmapped',
      update(7, AT, [created('status', 'new')], { via: 'Sample ticket' }),
      { kind: 'creation', viaChannel: 'sample_ticket', channel: 'unmapped' },
    ],
    [
      'a creation with no via at all',
      update(8, AT, [created('status', 'new')]),
      { kind: 'creation', viaChannel: null, channel: 'unmapped' },
    ],
    [
      'an end-user comment by email',
      update(9, AT, [comment(CUSTOMER, 'email')], { via: 'Mail' }),
      { kind: 'end_user_comment', viaChannel: 'email', channel: 'email' },
    ],
    [
      'a reopen by the customer (comment + status solved → open in the same update)',
      update(10, AT, [comment(CUSTOMER, 'email'), changed('status', 'open', 'solved')], { via: 'Mail' }),
      { kind: 'end_user_comment', viaChannel: 'email', channel: 'email' },
    ],
    [
      'the customer writing again over chat on a ticket created by email: a chat session, in chat',
      update(11, AT, [chatStarted(), changed('status', 'open', 'pending')], { via: 'Chat' }),
      { kind: 'chat_session', viaChannel: 'chat', channel: 'chat' },
    ],
    [
      'a private end-user comment through the API (an integration relaying the customer) still counts',
      update(89, AT, [comment(CUSTOMER, 'api', false)], { via: 'Web service' }),
      { kind: 'end_user_comment', viaChannel: 'api', channel: 'case' },
    ],
    [
      'a public end-user comment through the web (Help Center) counts',
      update(90, AT, [comment(CUSTOMER, 'web')], { via: 'Web form' }),
      { kind: 'end_user_comment', viaChannel: 'web', channel: 'email' },
    ],
    [
      'a private end-user comment (a CC’d customer’s email reply)',
      update(12, AT, [comment(CUSTOMER, 'email', false)], { via: 'Mail' }),
      { kind: 'end_user_comment', viaChannel: 'email', channel: 'email' },
    ],
    [
      'an end-user comment posted by an agent on the customer’s behalf (author decides)',
      update(13, AT, [comment(CUSTOMER, 'web')], { via: 'Web form', updaterId: AGENT }),
      { kind: 'end_user_comment', viaChannel: 'web', channel: 'email' },
    ],
    [
      'an end-user comment whose comment has no channel: the display string decides',
      update(14, AT, [comment(CUSTOMER, null)], { via: 'Mail' }),
      { kind: 'end_user_comment', viaChannel: 'email', channel: 'email' },
    ],
    [
      'an end-user comment through a channel outside the table',
      update(15, AT, [comment(CUSTOMER, 'mailgun')]),
      { kind: 'end_user_comment', viaChannel: 'mailgun', channel: 'unmapped' },
    ],
  ];

  it.each(rows)('%s', (_name, event, expected) => {
    const verdict = detectInteraction(event, roleOf);
    expect(verdict).toEqual(expected);
    expect(isInteraction(verdict)).toBe(true);
  });
});

describe('detectInteraction: not interactions', () => {
  const rows: [name: string, update: TicketEventRecord, reason: (typeof SKIP_REASONS)[number]][] = [
    [
      'an agent’s public reply',
      update(20, AT, [comment(AGENT, 'web'), changed('status', 'solved', 'open')], {
        updaterId: AGENT,
        via: 'Web form',
      }),
      'agent_reply',
    ],
    ['an admin’s public reply', update(21, AT, [comment(ADMIN, 'web')], { updaterId: ADMIN }), 'agent_reply'],
    [
      'a ticket an agent’s answered outbound call created: its call comment’s rel is outbound (incoming calls only)',
      update(80, AT, [created('status', 'open'), comment(AGENT, 'voice', false, 'outbound')], {
        via: 'Voice',
        updaterId: AGENT,
      }),
      'outbound_call',
    ],
    [
      'a ticket an outbound call created, by its via type alone ("Phone call (outbound)")',
      update(81, AT, [created('status', 'open'), comment(CUSTOMER, 'voice', false)], {
        via: 'Phone call (outbound)',
      }),
      'outbound_call',
    ],
    [
      'a ticket an outbound call created, by Talk Partner Edition’s via id 46',
      update(82, AT, [created('status', 'open'), comment(CUSTOMER, '46', false)], { via: '46' }),
      'outbound_call',
    ],
    [
      'an outbound call’s comment without a via of its own, on an update through "Phone call (outbound)"',
      update(92, AT, [comment(CUSTOMER, null, false)], { via: 'Phone call (outbound)', updaterId: AGENT }),
      'outbound_call',
    ],
    [
      'an outbound call’s comment that took its audit’s rel, on an update through voice (Audits API)',
      update(93, AT, [comment(CUSTOMER, null, false, 'outbound')], { via: 'voice', updaterId: AGENT }),
      'outbound_call',
    ],
    [
      'an outbound call’s comment on an existing ticket, authored as the customer called',
      update(83, AT, [comment(CUSTOMER, 'voice', false, 'outbound')], { via: 'Voice', updaterId: AGENT }),
      'outbound_call',
    ],
    [
      'a reply by a user with a role the product does not know (treated as staff)',
      update(22, AT, [comment(LIGHT_AGENT, 'web')], { updaterId: LIGHT_AGENT }),
      'agent_reply',
    ],
    [
      'a private comment through the agent interface by an author the users export calls an end user: a former agent’s internal note (end users write no private comments there)',
      update(86, AT, [comment(CUSTOMER, 'web', false)], { updaterId: CUSTOMER, via: 'Web form' }),
      'internal_note',
    ],
    [
      'a private comment through the agent mobile app by such an author: an internal note too',
      update(87, AT, [comment(CUSTOMER, 'mobile', false)], { updaterId: CUSTOMER, via: 'Mobile' }),
      'internal_note',
    ],
    [
      'a private comment through the agent interface whose channel only the update names (no via of its own)',
      update(88, AT, [comment(CUSTOMER, null, false)], { updaterId: CUSTOMER, via: 'Web form' }),
      'internal_note',
    ],
    [
      'a reply by a partner account’s agent synced through ticket sharing (role shared_agent): staff',
      update(91, AT, [comment(SHARED_AGENT, 'web')], { updaterId: SHARED_AGENT }),
      'agent_reply',
    ],
    [
      'an internal note',
      update(23, AT, [comment(AGENT, 'web', false)], { updaterId: AGENT }),
      'internal_note',
    ],
    [
      'an agent’s status change',
      update(24, AT, [changed('status', 'pending', 'open')], { updaterId: AGENT, via: 'Web form' }),
      'agent_update',
    ],
    [
      'an agent’s assignee change',
      update(25, AT, [changed('assignee_id', AGENT, null)], { updaterId: AGENT }),
      'agent_update',
    ],
    [
      'a trigger’s update',
      update(26, AT, [changed('status', 'open', 'new')], {
        updaterId: SYSTEM,
        via: 'Rule',
        viaReferenceId: 360009990,
      }),
      'trigger_or_automation',
    ],
    [
      'an automation’s update',
      update(27, AT, [changed('status', 'closed', 'solved')], { updaterId: SYSTEM, via: 'Automation' }),
      'trigger_or_automation',
    ],
    [
      'a system update (updater -1, no via)',
      update(28, AT, [changed('group_id', null, 360001111)], { updaterId: SYSTEM }),
      'system_update',
    ],
    [
      'a system update (a user deletion)',
      update(29, AT, [changed('requester_id', 1, CUSTOMER)], { updaterId: ADMIN, via: 'User deletion' }),
      'system_update',
    ],
    [
      'a merge (via Merge), even with the customer as comment author',
      update(30, AT, [comment(CUSTOMER, 'merge', false), changed('status', 'closed', 'open')], {
        updaterId: AGENT,
        via: 'Merge',
      }),
      'merge',
    ],
    [
      'a merge recognised by its comment’s channel',
      update(31, AT, [comment(AGENT, 'merge', false)], { updaterId: AGENT, via: 'Web form' }),
      'merge',
    ],
    [
      'a deletion',
      update(32, AT, [changed('status', 'deleted', 'open')], { updaterId: AGENT, via: 'Web form' }),
      'deletion',
    ],
    [
      'a satisfaction rating by the customer',
      update(33, AT, [other('SatisfactionRating')], { updaterId: CUSTOMER, via: 'Web form' }),
      'satisfaction_rating',
    ],
    [
      'a comment by a user the user store does not know',
      update(34, AT, [comment(UNKNOWN_USER, 'email')], { updaterId: UNKNOWN_USER, via: 'Mail' }),
      'unknown_author',
    ],
    [
      'an end user’s update without a comment',
      update(35, AT, [changed('tags', ['vip'], [])], { updaterId: CUSTOMER, via: 'Web form' }),
      'no_comment',
    ],
    [
      'an update by an unknown user without a comment',
      update(36, AT, [], { updaterId: UNKNOWN_USER }),
      'no_comment',
    ],
  ];

  it.each(rows)('%s → %s', (_name, event, reason) => {
    const verdict = detectInteraction(event, roleOf);
    expect(verdict).toEqual({ kind: 'none', reason });
    expect(isInteraction(verdict)).toBe(false);
  });

  it('covers every skip reason (with the messaging and conversation tables below)', () => {
    const messagingReasons = MESSAGING_ROWS.flatMap(([, , verdict]) =>
      verdict.kind === 'none' ? [verdict.reason] : [],
    );
    const conversationReasons = CONVERSATION_ROWS.flatMap(([, , verdicts]) =>
      verdicts.flatMap((v) => (v.startsWith('none:') ? [v.slice('none:'.length)] : [])),
    );
    expect(
      new Set([...rows.map(([, , reason]) => reason), ...messagingReasons, ...conversationReasons]),
    ).toEqual(new Set(SKIP_REASONS));
  });
});

// SPEC §3, messaging and live chat: a conversation is one contact (the creation), plus one per
// later session the customer starts on the ticket, in that session's channel; its messages and its
// end-of-chat transcript are never further contacts.
const MESSAGING_ROWS: [name: string, update: TicketEventRecord, expected: InteractionVerdict][] = [
  [
    'creation of a messaging ticket = 1 contact (its session starts in the same update)',
    update(
      40,
      AT,
      [created('status', 'new'), comment(CUSTOMER, 'native_messaging'), chatStarted('native_messaging')],
      { via: 'Native messaging' },
    ),
    { kind: 'creation', viaChannel: 'native_messaging', channel: 'chat' },
  ],
  [
    'creation of a WhatsApp ticket without a comment: the session’s channel = 1 contact',
    update(41, AT, [created('status', 'new'), chatStarted('whatsapp')], { via: 'WhatsApp' }),
    { kind: 'creation', viaChannel: 'whatsapp', channel: 'social_media' },
  ],
  [
    'a message within a session (a customer message copied in as a messaging comment) = 0',
    update(42, AT, [comment(CUSTOMER, 'native_messaging')], { via: 'Native messaging' }),
    { kind: 'none', reason: 'chat_message' },
  ],
  [
    'a message within a live-chat session recorded as a comment = 0',
    update(43, AT, [comment(CUSTOMER, 'chat')], { via: 'Chat' }),
    { kind: 'none', reason: 'chat_message' },
  ],
  [
    'a message within a session through a Sunshine Conversations channel = 0',
    update(44, AT, [comment(CUSTOMER, 'sunshine_conversations_facebook_messenger')]),
    { kind: 'none', reason: 'chat_message' },
  ],
  [
    'a session’s update without a comment by the customer (messages live in the history) = 0',
    update(45, AT, [other('Notification')], { via: 'Native messaging' }),
    { kind: 'none', reason: 'no_comment' },
  ],
  [
    'transcript comment on the update that ends the session = 0',
    update(46, AT, [chatEnded(), comment(CUSTOMER, 'native_messaging')], {
      via: 'Native messaging',
      updaterId: SYSTEM,
    }),
    { kind: 'none', reason: 'chat_transcript' },
  ],
  [
    'transcript comment at the chat’s end even through email (the chat end decides) = 0',
    update(47, AT, [chatEnded(), comment(CUSTOMER, 'email')], { via: 'Mail' }),
    { kind: 'none', reason: 'chat_transcript' },
  ],
  [
    'transcript comment through the chat_transcript channel = 0',
    update(48, AT, [comment(CUSTOMER, 'chat_transcript')], { via: 'Chat Transcript', updaterId: SYSTEM }),
    { kind: 'none', reason: 'chat_transcript' },
  ],
  [
    'a message whose channel is a numeric via id (29 = chat) = 0',
    update(49, AT, [comment(CUSTOMER, '29')], { via: 'Chat' }),
    { kind: 'none', reason: 'chat_message' },
  ],
  [
    'the update that ends a session without a transcript (Zendesk itself) = 0',
    update(50, AT, [chatEnded()], { updaterId: SYSTEM }),
    { kind: 'none', reason: 'system_update' },
  ],
  [
    'an agent’s reply that ends the session (status solved) stays an agent reply = 0',
    update(51, AT, [chatEnded(), comment(AGENT, 'web'), changed('status', 'solved', 'open')], {
      via: 'Web form',
      updaterId: AGENT,
    }),
    { kind: 'none', reason: 'agent_reply' },
  ],
  [
    'a new ChatStartedEvent on an existing ticket = 1 in its session’s channel (the event’s own via)',
    update(52, AT, [chatStarted('whatsapp')], { via: 'Native messaging' }),
    { kind: 'chat_session', viaChannel: 'whatsapp', channel: 'social_media' },
  ],
  [
    'a new session without a via of its own: the update’s via decides',
    update(53, AT, [chatStarted(null)], { via: 'WhatsApp' }),
    { kind: 'chat_session', viaChannel: 'whatsapp', channel: 'social_media' },
  ],
  [
    'a new session whose export via is a display name (“Chat”)',
    update(54, AT, [chatStarted('Chat')], { via: 'Chat' }),
    { kind: 'chat_session', viaChannel: 'chat', channel: 'chat' },
  ],
  [
    'a new session without any via: a comment of the customer in the update names the channel',
    update(55, AT, [chatStarted(null), comment(CUSTOMER, 'instagram_dm')]),
    { kind: 'chat_session', viaChannel: 'instagram_dm', channel: 'social_media' },
  ],
  [
    'a new session whose via does not read as a channel (“Conversations”): the update’s known via decides',
    update(64, AT, [chatStarted('Conversations')], { via: 'Chat' }),
    { kind: 'chat_session', viaChannel: 'chat', channel: 'chat' },
  ],
  [
    'a new session where no via reads as a channel: reported by the session’s own name, unmapped',
    update(65, AT, [chatStarted('Conversations')], { via: 'Conversations' }),
    { kind: 'chat_session', viaChannel: 'conversations', channel: 'unmapped' },
  ],
  [
    'a session the export names by its messaging channel’s own name (“Messaging”): native messaging = 1, chat',
    update(69, AT, [chatStarted('Messaging')], { via: 'Messaging' }),
    { kind: 'chat_session', viaChannel: 'native_messaging', channel: 'chat' },
  ],
  [
    'a session named “Facebook Messenger” (the channel’s name in Zendesk) = 1, social media',
    update(74, AT, [chatStarted('Facebook Messenger')], { via: 'Facebook Messenger' }),
    {
      kind: 'chat_session',
      viaChannel: 'sunshine_conversations_facebook_messenger',
      channel: 'social_media',
    },
  ],
  [
    'a session named “Instagram Direct” (the channel’s name in Zendesk) = 1, social media',
    update(75, AT, [chatStarted('Instagram Direct')], { via: 'Instagram Direct' }),
    { kind: 'chat_session', viaChannel: 'instagram_dm', channel: 'social_media' },
  ],
  [
    'a new session whose history does not say who wrote (no messages) = 1',
    update(56, AT, [chatStarted('native_messaging', null)]),
    { kind: 'chat_session', viaChannel: 'native_messaging', channel: 'chat' },
  ],
  [
    're-engagement after a solve: the customer’s new session reopens the ticket = 1',
    update(57, AT, [chatStarted('native_messaging'), changed('status', 'open', 'solved')], {
      via: 'Native messaging',
    }),
    { kind: 'chat_session', viaChannel: 'native_messaging', channel: 'chat' },
  ],
  [
    'a new session through a channel outside the table (LINE) = 1, unmapped',
    update(58, AT, [chatStarted('line')], { via: 'LINE' }),
    { kind: 'chat_session', viaChannel: 'line', channel: 'unmapped' },
  ],
  [
    'a LINE session inside a native messaging audit (Audits API): the session’s own channel decides = 1, unmapped',
    update(66, AT, [chatStarted('line')], { via: 'Native messaging' }),
    { kind: 'chat_session', viaChannel: 'line', channel: 'unmapped' },
  ],
  [
    'a WeChat session in an update through the Web Widget (export): the session’s channel decides = 1, unmapped',
    update(67, AT, [chatStarted('WeChat')], { via: 'Web Widget' }),
    { kind: 'chat_session', viaChannel: 'wechat', channel: 'unmapped' },
  ],
  [
    'a Sunshine Conversations channel outside the table keeps its name even beside a customer’s email = 1, unmapped',
    update(68, AT, [chatStarted('sunshine_conversations_twitter_dm'), comment(CUSTOMER, 'email')], {
      via: 'Mail',
    }),
    { kind: 'chat_session', viaChannel: 'sunshine_conversations_twitter_dm', channel: 'unmapped' },
  ],
  [
    'a session no end user wrote in (an agent’s outbound message) = 0',
    update(59, AT, [chatStarted('whatsapp', false)], { via: 'WhatsApp', updaterId: AGENT }),
    { kind: 'none', reason: 'chat_without_customer' },
  ],
  [
    'a customer’s email comment on a messaging ticket follows the comment rule = 1, email',
    update(60, AT, [comment(CUSTOMER, 'email'), changed('status', 'open', 'pending')], { via: 'Mail' }),
    { kind: 'end_user_comment', viaChannel: 'email', channel: 'email' },
  ],
  [
    'a customer’s web-form comment beside a messaging comment: the web-form comment counts = 1',
    update(61, AT, [comment(CUSTOMER, 'native_messaging'), comment(CUSTOMER, 'web')]),
    { kind: 'end_user_comment', viaChannel: 'web', channel: 'email' },
  ],
  [
    'an agent’s reply on a messaging ticket = 0 (as for any channel)',
    update(62, AT, [comment(AGENT, 'native_messaging')], { via: 'Native messaging', updaterId: AGENT }),
    { kind: 'none', reason: 'agent_reply' },
  ],
  [
    'a merge carrying a session stays a merge = 0',
    update(63, AT, [chatStarted('chat'), comment(AGENT, 'merge', false)], { via: 'Merge', updaterId: AGENT }),
    { kind: 'none', reason: 'merge' },
  ],
];

describe('detectInteraction: messaging conversations', () => {
  it.each(MESSAGING_ROWS)('%s', (_name, event, expected) => {
    expect(detectInteraction(event, roleOf)).toEqual(expected);
  });
});

// SPEC §3 (issue 16), messaging: the first session of a conversation is the creation's contact
// whether it arrives in the creation update or in a later one; a later session the customer starts
// is a new contact. A ticket's updates in order, each judged with the ticket's state before it.
const T1 = '2024-06-03T09:00:00Z';
const T2 = '2024-06-03T09:00:01Z';
const T3 = '2024-06-03T09:20:00Z';
const T4 = '2024-06-04T11:00:00Z';
const messagingCreation = (id: number, at: string, withSession: boolean, channel = 'native_messaging') =>
  update(
    id,
    at,
    [created('status', 'new'), comment(CUSTOMER, channel), ...(withSession ? [chatStarted(channel)] : [])],
    { via: 'Native messaging' },
  );
const sessionStart = (id: number, at: string, channel = 'native_messaging') =>
  update(id, at, [chatStarted(channel)], { via: 'Native messaging' });
const sessionEnd = (id: number, at: string) =>
  update(id, at, [chatEnded()], { via: 'Native messaging', updaterId: SYSTEM });

const CONVERSATION_ROWS: [name: string, updates: TicketEventRecord[], verdicts: string[]][] = [
  [
    'the session in the creation update is the creation: 1 contact',
    [messagingCreation(70, T1, true), sessionEnd(71, T3)],
    ['creation', 'none:system_update'],
  ],
  [
    'the first session in its own update right after the creation is the creation’s: still 1 contact',
    [messagingCreation(70, T1, false), sessionStart(71, T2), sessionEnd(72, T3)],
    ['creation', 'none:creation_session', 'none:system_update'],
  ],
  [
    'a later session the customer starts (after the creation’s, in the creation update) is a new contact',
    [messagingCreation(70, T1, true), sessionEnd(71, T3), sessionStart(72, T4)],
    ['creation', 'none:system_update', 'chat_session'],
  ],
  [
    'a later session after the creation’s own late session is a new contact',
    [messagingCreation(70, T1, false), sessionStart(71, T2), sessionEnd(72, T3), sessionStart(73, T4)],
    ['creation', 'none:creation_session', 'none:system_update', 'chat_session'],
  ],
  [
    'the creation’s session ended unseen: the next session is a new contact',
    [messagingCreation(70, T1, false), sessionEnd(71, T3), sessionStart(72, T4)],
    ['creation', 'none:system_update', 'chat_session'],
  ],
  [
    'the creation’s session never came and the ticket was solved: a session days later is a new contact',
    [
      messagingCreation(70, T1, false),
      update(71, T3, [changed('status', 'solved', 'new')], { via: 'Web form', updaterId: AGENT }),
      sessionStart(72, T4),
    ],
    ['creation', 'none:agent_update', 'chat_session'],
  ],
  [
    'a ticket created solved: a later update that changes no status does not end the wait, the session is still the creation’s',
    [
      update(70, T1, [created('status', 'solved'), comment(CUSTOMER, 'native_messaging')], {
        via: 'Native messaging',
      }),
      update(71, T1, [changed('priority', 'high', 'normal')], { via: 'Rule', updaterId: SYSTEM }),
      sessionStart(72, T2),
    ],
    ['creation', 'none:trigger_or_automation', 'none:creation_session'],
  ],
  [
    'the creation’s session waits through updates that do not solve the ticket (a bot’s tags, an assignment)',
    [
      messagingCreation(70, T1, false),
      update(71, T1, [changed('status', 'open', 'new')], { via: 'Web form', updaterId: AGENT }),
      sessionStart(72, T2),
    ],
    ['creation', 'none:agent_update', 'none:creation_session'],
  ],
  [
    'an agent downgraded to end user since (Zendesk keeps no role history) replies on the ticket assigned to them: their reply, no contact',
    [
      update(70, T1, [created('status', 'new'), comment(CUSTOMER, 'email')], { via: 'Mail' }),
      update(71, T3, [changed('assignee_id', OTHER_CUSTOMER, null), comment(OTHER_CUSTOMER, 'web')], {
        via: 'Web form',
        updaterId: OTHER_CUSTOMER,
      }),
      update(72, T4, [comment(CUSTOMER, 'email')], { via: 'Mail' }),
    ],
    ['creation', 'none:assignee_comment', 'end_user_comment'],
  ],
  [
    'a ticket created by email: its first session is a new contact',
    [
      update(70, T1, [created('status', 'new'), comment(CUSTOMER, 'email')], { via: 'Mail' }),
      sessionStart(71, T2),
    ],
    ['creation', 'chat_session'],
  ],
  [
    'a transcript ticket (chat_transcript) is no conversation of its own: a first session is a new contact',
    [messagingCreation(70, T1, false, 'chat_transcript'), sessionStart(71, T2, 'chat')],
    ['creation', 'chat_session'],
  ],
];

describe('conversationVerdict: the first session of a conversation is the creation’s contact', () => {
  it.each(CONVERSATION_ROWS)('%s', (_name, updates, expected) => {
    let state: TicketState | undefined;
    const verdicts = updates.map((u) => {
      const before = state;
      state = applyUpdate(state, u);
      const verdict = conversationVerdict(detectInteraction(u, roleOf), u, before, state);
      return verdict.kind === 'none' ? `none:${verdict.reason}` : verdict.kind;
    });
    expect(verdicts).toEqual(expected);
  });
});

// An assignment is the one record of a past role: Zendesk assigns tickets to agents only, so a
// comment by the ticket's assignee is an agent's reply whatever role the users export says now.
describe('isAssigneesComment: a comment by the ticket’s assignee is an agent’s', () => {
  const DOWNGRADED = OTHER_CUSTOMER;
  const rows: [rule: string, event: TicketEventRecord, assignees: (number | null)[], expected: boolean][] = [
    [
      'the assignee before the update wrote it',
      update(80, AT, [comment(DOWNGRADED, 'web')]),
      [DOWNGRADED, DOWNGRADED],
      true,
    ],
    [
      'the update assigns the ticket to its author (an agent takes it as they reply)',
      update(81, AT, [comment(DOWNGRADED, 'web')]),
      [null, DOWNGRADED],
      true,
    ],
    [
      'someone else is assigned: the comment is judged by its author’s role',
      update(82, AT, [comment(CUSTOMER, 'email')]),
      [AGENT, AGENT],
      false,
    ],
    ['no one is assigned', update(83, AT, [comment(CUSTOMER, 'email')]), [null, null], false],
    [
      'the customer writes beside the assignee: not every comment is the assignee’s',
      update(84, AT, [comment(DOWNGRADED, 'web'), comment(CUSTOMER, 'email')]),
      [DOWNGRADED, DOWNGRADED],
      false,
    ],
    [
      'an update without a comment is no comment of anyone',
      update(85, AT, [changed('status', 'open', 'new')]),
      [DOWNGRADED, DOWNGRADED],
      false,
    ],
  ];
  it.each(rows)('%s', (_rule, event, assignees, expected) => {
    expect(isAssigneesComment(event, assignees)).toBe(expected);
  });
});
