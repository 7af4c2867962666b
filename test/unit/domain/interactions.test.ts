import { describe, expect, it } from '@jest/globals';
import {
  detectInteraction,
  isInteraction,
  SKIP_REASONS,
  type InteractionVerdict,
} from '../../../shared/domain/interactions.js';
import type { TicketEventRecord } from '../../../shared/domain/records.js';
import {
  ADMIN,
  AGENT,
  changed,
  comment,
  created,
  CUSTOMER,
  LIGHT_AGENT,
  other,
  roleOf,
  SYSTEM,
  UNKNOWN_USER,
  update,
} from './fixtures.js';

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
      'an end-user comment over chat on a ticket created by email: the update’s channel counts',
      update(11, AT, [comment(CUSTOMER, 'chat')], { via: 'Chat' }),
      { kind: 'end_user_comment', viaChannel: 'chat', channel: 'chat' },
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
      update(15, AT, [comment(CUSTOMER, 'line')]),
      { kind: 'end_user_comment', viaChannel: 'line', channel: 'unmapped' },
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
      'a reply by a user with a role the product does not know (treated as staff)',
      update(22, AT, [comment(LIGHT_AGENT, 'web')], { updaterId: LIGHT_AGENT }),
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

  it('covers every skip reason', () => {
    expect(new Set(rows.map(([, , reason]) => reason))).toEqual(new Set(SKIP_REASONS));
  });
});
