import { describe, expect, it } from '@jest/globals';
import type { SupportFigures } from '../../../shared/domain/counters.js';
import type { QueueRef } from '../../../shared/messages/contacts.js';
import { readQueuesWithBacklog, type ReadbackDeps } from '../../../shared/pipeline/readback.js';
import type { QueueInterval } from '../../../shared/store/queue-history-repository.js';
import type { StoredView } from '../../../shared/store/views-repository.js';

/**
 * Rule (issue #20): a queue is published once its history holds a contact, or, for Support, a
 * ticket that entered or left its backlog. A view that tickets reach only through agents' updates
 * (pending, escalated) has a backlog and no contact: it is listed with no interval and its backlog
 * steps, so the files, `--per` and the summary show the backlog a planner staffs for.
 */
const INTEGRATION = 'acme';
const view = (id: number, title: string): StoredView => ({
  view: {
    id,
    title,
    active: true,
    updatedAt: '2026-03-01T00:00:00Z',
    position: id,
    conditions: { all: [], any: [] },
  },
  supported: true,
  reasons: [],
  deleted: false,
  verdict: 'supported',
  excluded: false,
});

const supportQueue = (viewId: number, title: string, channel: string): QueueRef => ({
  id: `support:${viewId}:${channel}`,
  name: `${title} (${channel})`,
  channel,
  source: 'support',
  viewId,
});
const talkQueue: QueueRef = {
  id: 'talk:ivr:Billing',
  name: 'Calls Inbound For Billing',
  channel: 'call',
  source: 'talk',
};

const interval = (
  queue: QueueRef,
  intervalStart: string,
  contacts: number,
  support?: SupportFigures,
): QueueInterval => ({
  integrationId: INTEGRATION,
  queue,
  intervalStart,
  contacts,
  handled: 0,
  handleSeconds: 0,
  ...(support !== undefined ? { support } : {}),
  version: 1,
});

const PENDING = supportQueue(2, 'Pending', 'email');
const NEW = supportQueue(1, 'New', 'email');
const MOVED_AWAY = supportQueue(3, 'Moved away', 'chat');

const depsWith = (histories: ReadonlyMap<QueueRef, readonly QueueInterval[]>): ReadbackDeps => ({
  catalog: { list: async () => [...histories.keys()].map((queue) => ({ queue, version: 1 })) },
  views: { list: async () => [view(1, 'New'), view(2, 'Pending'), view(3, 'Moved away')] },
  queueHistory: {
    intervals: async (_integrationId: string, queueId: string) =>
      [...histories].find(([q]) => q.id === queueId)?.[1].slice() ?? [],
  },
  coverage: { list: async () => [] },
  quarantine: { list: async () => [] },
});

describe('readQueuesWithBacklog: which queues are published', () => {
  const histories = new Map<QueueRef, readonly QueueInterval[]>([
    [
      NEW,
      [
        interval(NEW, '2026-03-01T09:00:00.000Z', 2, { reopens: 0, backlogEntered: 2, backlogLeft: 0 }),
        interval(NEW, '2026-03-01T09:15:00.000Z', 0, { reopens: 0, backlogEntered: 0, backlogLeft: 2 }),
      ],
    ],
    [
      PENDING,
      [
        interval(PENDING, '2026-03-01T09:15:00.000Z', 0, { reopens: 0, backlogEntered: 2, backlogLeft: 0 }),
        interval(PENDING, '2026-03-01T11:00:00.000Z', 0, { reopens: 0, backlogEntered: 0, backlogLeft: 1 }),
      ],
    ],
    // A correction moved its one contact to another queue: nothing left to show.
    [
      MOVED_AWAY,
      [
        interval(MOVED_AWAY, '2026-03-01T09:00:00.000Z', 0, {
          reopens: 0,
          backlogEntered: 0,
          backlogLeft: 0,
        }),
      ],
    ],
    // A call whose later version moved it to another interval leaves a zero behind.
    [talkQueue, [interval(talkQueue, '2026-03-01T09:00:00.000Z', 0)]],
  ]);

  it.each([
    [
      'a Support queue with contacts: its intervals with contacts, each with the backlog at its end',
      'New (email)',
      {
        intervals: [
          {
            start: '2026-03-01T09:00:00.000Z',
            contacts: 2,
            support: { reopens: 0, backlogEntered: 2, backlogLeft: 0 },
            backlog: 2,
          },
        ],
        backlogSteps: [
          { start: '2026-03-01T09:00:00.000Z', backlog: 2 },
          { start: '2026-03-01T09:15:00.000Z', backlog: 0 },
        ],
      },
    ],
    [
      'a Support queue with backlog moves and no contact: no interval, its backlog steps',
      'Pending (email)',
      {
        intervals: [],
        backlogSteps: [
          { start: '2026-03-01T09:15:00.000Z', backlog: 2 },
          { start: '2026-03-01T11:00:00.000Z', backlog: 1 },
        ],
      },
    ],
  ])('%s', async (_rule, name, expected) => {
    const published = await readQueuesWithBacklog(depsWith(histories), INTEGRATION);
    const found = published.find(({ queue }) => queue.name === name);
    expect(found && { intervals: found.queue.intervals, backlogSteps: found.backlogSteps }).toEqual(expected);
  });

  it('leaves out a Support queue whose history moved nothing, and a Talk queue without a call', async () => {
    const published = await readQueuesWithBacklog(depsWith(histories), INTEGRATION);
    expect(published.map(({ queue }) => queue.name)).toEqual(['New (email)', 'Pending (email)']);
  });
});
