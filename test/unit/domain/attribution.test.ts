import { describe, expect, it } from '@jest/globals';
import { queuesForInteraction, type ClassifiedView } from '../../../shared/domain/attribution.js';
import {
  contributionDelta,
  supportContribution,
  type Contribution,
} from '../../../shared/domain/counters.js';
import { detectInteraction, isInteraction } from '../../../shared/domain/interactions.js';
import type { TicketEventRecord, ViewCondition, ViewRecord } from '../../../shared/domain/records.js';
import { applyUpdate, type TicketState } from '../../../shared/domain/ticket-state.js';
import { classifyView } from '../../../shared/domain/view-support.js';
import {
  AGENT,
  changed,
  chatStarted,
  comment,
  created,
  CUSTOMER,
  roleOf,
  SYSTEM,
  update,
} from '../../support/records.js';

const cond = (field: string, operator: string, value: string): ViewCondition => ({ field, operator, value });
const view = (id: number, title: string, all: ViewCondition[], active = true): ViewRecord => ({
  id,
  title,
  active,
  updatedAt: '2024-05-01T00:00:00Z',
  position: id,
  conditions: { all, any: [] },
});
const classified = (...views: ViewRecord[]): ClassifiedView[] =>
  views.map((v) => ({ view: v, supported: classifyView(v).supported }));

const UNSOLVED = view(1, 'Support Tickets', [cond('status', 'less_than', 'solved')]);
const BILLING = view(2, 'Billing', [
  cond('status', 'less_than', 'solved'),
  cond('group_id', 'is', '360001111'),
]);
const SOLVED = view(3, 'Solved', [cond('status', 'is', 'solved')]);
const MINE = view(4, 'My tickets', [cond('assignee_id', 'is', 'current_user')]);
const INACTIVE = view(5, 'Old unsolved', [cond('status', 'less_than', 'solved')], false);

/** Runs a ticket's updates as the pipeline will: state first, then interaction, then its queues. */
const count = (views: ClassifiedView[], updates: TicketEventRecord[]): Contribution[] => {
  let state: TicketState | undefined;
  const contributions: Contribution[] = [];
  for (const event of updates) {
    state = applyUpdate(state, event, roleOf);
    const verdict = detectInteraction(event, roleOf);
    if (!isInteraction(verdict) || verdict.channel === 'unmapped') continue;
    for (const queue of queuesForInteraction(views, state, event.createdAt, verdict.channel)) {
      contributions.push(supportContribution(queue.id, event.createdAt, 15));
    }
  }
  // Summed per (queue, interval), as the aggregator writes them.
  return contributionDelta([], contributions);
};

const emailCreation = (group: string | null = null): TicketEventRecord =>
  update(
    1,
    '2024-06-03T09:01:02Z',
    [
      created('status', 'new'),
      created('group_id', group),
      created('requester_id', CUSTOMER),
      comment(CUSTOMER, 'email'),
    ],
    { via: 'Mail' },
  );

describe('seed example', () => {
  it('email, agent solves, customer replies two days later → exactly two email contacts', () => {
    const updates = [
      emailCreation(),
      update(2, '2024-06-03T10:20:00Z', [comment(AGENT, 'web'), changed('status', 'solved', 'new')], {
        updaterId: AGENT,
        via: 'Web form',
      }),
      update(3, '2024-06-05T10:31:00Z', [comment(CUSTOMER, 'email'), changed('status', 'open', 'solved')], {
        via: 'Mail',
      }),
    ];
    const verdicts = updates.map((event) => detectInteraction(event, roleOf));
    expect(verdicts).toEqual([
      { kind: 'creation', viaChannel: 'email', channel: 'email' },
      { kind: 'none', reason: 'agent_reply' },
      { kind: 'end_user_comment', viaChannel: 'email', channel: 'email' },
    ]);
    expect(count(classified(UNSOLVED), updates)).toEqual([
      {
        queueId: 'support:1:email',
        intervalStart: '2024-06-03T09:00:00.000Z',
        contacts: 1,
        handled: 0,
        handleSeconds: 0,
      },
      {
        queueId: 'support:1:email',
        intervalStart: '2024-06-05T10:30:00.000Z',
        contacts: 1,
        handled: 0,
        handleSeconds: 0,
      },
    ]);
  });
});

describe('queuesForInteraction', () => {
  it('counts a ticket matching two supported views in both', () => {
    expect(count(classified(UNSOLVED, BILLING), [emailCreation('360001111')])).toEqual([
      {
        queueId: 'support:1:email',
        intervalStart: '2024-06-03T09:00:00.000Z',
        contacts: 1,
        handled: 0,
        handleSeconds: 0,
      },
      {
        queueId: 'support:2:email',
        intervalStart: '2024-06-03T09:00:00.000Z',
        contacts: 1,
        handled: 0,
        handleSeconds: 0,
      },
    ]);
  });

  it('counts an interaction whose post-update state matches no view nowhere', () => {
    expect(count(classified(SOLVED, BILLING), [emailCreation()])).toEqual([]);
  });

  it('evaluates the state after the update, including a trigger’s change in the same update', () => {
    const reply = update(
      2,
      '2024-06-04T08:00:00Z',
      [chatStarted('chat'), changed('group_id', 360001111, null)],
      {
        via: 'Chat',
      },
    );
    expect(count(classified(BILLING), [emailCreation(), reply])).toEqual([
      {
        queueId: 'support:2:chat',
        intervalStart: '2024-06-04T08:00:00.000Z',
        contacts: 1,
        handled: 0,
        handleSeconds: 0,
      },
    ]);
  });

  it('ignores unsupported and inactive views', () => {
    expect(count(classified(MINE, INACTIVE), [emailCreation()])).toEqual([]);
    const state = applyUpdate(undefined, emailCreation());
    expect(
      queuesForInteraction(classified(UNSOLVED, MINE, INACTIVE), state, '2024-06-03T09:01:02Z', 'email'),
    ).toEqual([
      {
        id: 'support:1:email',
        name: 'Support Tickets (email)',
        channel: 'email',
        source: 'support',
        viewId: 1,
      },
    ]);
  });

  it('does not count an agent update or a trigger, even when the ticket is in a view', () => {
    const updates = [
      emailCreation(),
      update(2, '2024-06-03T10:00:00Z', [changed('status', 'open', 'new')], {
        updaterId: SYSTEM,
        via: 'Rule',
      }),
      update(3, '2024-06-03T11:00:00Z', [changed('status', 'pending', 'open')], { updaterId: AGENT }),
    ];
    expect(count(classified(UNSOLVED), updates)).toEqual([
      {
        queueId: 'support:1:email',
        intervalStart: '2024-06-03T09:00:00.000Z',
        contacts: 1,
        handled: 0,
        handleSeconds: 0,
      },
    ]);
  });
});
