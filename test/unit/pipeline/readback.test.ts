import { describe, expect, it } from '@jest/globals';
import type { SupportFigures } from '../../../shared/domain/counters.js';
import type { QueueRef } from '../../../shared/messages/contacts.js';
import {
  readPublishedQueues,
  readQueueNames,
  readQueuesWithBacklog,
  type ReadbackDeps,
} from '../../../shared/pipeline/readback.js';
import {
  neededForWindow,
  type BacklogSources,
  type IntervalWindow,
  type QueueInterval,
} from '../../../shared/store/queue-history-repository.js';
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
const LATER = supportQueue(4, 'Later', 'email');

const historyOf = (histories: ReadonlyMap<QueueRef, readonly QueueInterval[]>, queueId: string) =>
  [...histories].find(([q]) => q.id === queueId)?.[1].slice() ?? [];

const depsWith = (
  histories: ReadonlyMap<QueueRef, readonly QueueInterval[]>,
  { marked = false, asked = new Map<string, BacklogSources>() } = {},
): ReadbackDeps => ({
  catalog: {
    list: async () => [...histories.keys()].map((queue) => ({ queue, version: 1 })),
    hasMarks: async () => marked,
  },
  views: {
    list: async () => [view(1, 'New'), view(2, 'Pending'), view(3, 'Moved away'), view(4, 'Later')],
  },
  queueHistory: {
    intervals: async (_integrationId: string, queueId: string) => historyOf(histories, queueId),
    intervalsIn: async (
      _integrationId: string,
      queueId: string,
      window: IntervalWindow,
      backlogIn?: BacklogSources,
    ) => {
      if (backlogIn !== undefined) asked.set(queueId, backlogIn);
      return historyOf(histories, queueId).filter((i) => neededForWindow(i, window));
    },
    hasSupportFigures: async (_integrationId: string, queueId: string) =>
      historyOf(histories, queueId).some((i) => i.support !== undefined),
    hasContactOrMove: async (_integrationId: string, queueId: string) =>
      historyOf(histories, queueId).some(
        (i) => i.contacts > 0 || (i.support?.backlogEntered ?? 0) > 0 || (i.support?.backlogLeft ?? 0) > 0,
      ),
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

  it('gives each queue its catalog id, which the published form does not carry', async () => {
    const published = await readQueuesWithBacklog(depsWith(histories), INTEGRATION);
    expect(published.map(({ id, queue }) => [id, queue.name])).toEqual([
      ['support:1:email', 'New (email)'],
      ['support:2:email', 'Pending (email)'],
    ]);
  });

  it('readPublishedQueues lists the same queues without reading their histories', async () => {
    expect(await readPublishedQueues(depsWith(histories), INTEGRATION)).toEqual([
      { name: 'New (email)', channel: 'email', source: 'support', viewId: 1 },
      { name: 'Pending (email)', channel: 'email', source: 'support', viewId: 2 },
    ]);
  });
});

describe('readQueueNames', () => {
  it("names every catalogued queue by its id, a Support queue after its view's current title, from the catalog and views alone", async () => {
    const renamed = supportQueue(1, 'New before the rename', 'email');
    const { catalog, views } = depsWith(
      new Map([
        [renamed, []],
        [talkQueue, []],
        [MOVED_AWAY, []],
      ]),
    );
    const names = await readQueueNames({ catalog, views }, INTEGRATION);
    expect([...names]).toEqual([
      ['support:1:email', 'New (email)'],
      ['talk:ivr:Billing', 'Calls Inbound For Billing'],
      ['support:3:chat', 'Moved away (chat)'],
    ]);
  });
});

describe('readQueuesWithBacklog in a window: only what the window needs is read, the same backlog is carried in', () => {
  const day = (n: number, time: string) => `2026-03-0${n}T${time}:00.000Z`;
  const moves = (entered: number, left: number, reopens = 0): SupportFigures => ({
    reopens,
    backlogEntered: entered,
    backlogLeft: left,
  });
  // Day 1 and 3 outside the window, day 2 09:00–12:00 inside.
  const histories = new Map<QueueRef, readonly QueueInterval[]>([
    [
      NEW,
      [
        interval(NEW, day(1, '09:00'), 3, moves(3, 0)),
        interval(NEW, day(1, '10:00'), 1, moves(0, 0, 1)),
        interval(NEW, day(1, '23:45'), 0, moves(0, 1)),
        interval(NEW, day(2, '09:00'), 2, moves(2, 0)),
        interval(NEW, day(2, '11:45'), 0, moves(0, 3)),
        interval(NEW, day(2, '12:00'), 5, moves(5, 0)),
        interval(NEW, day(3, '08:00'), 1, moves(0, 0)),
      ],
    ],
    // Quiet in the window, with contacts before it: listed with no interval, as without a window.
    [PENDING, [interval(PENDING, day(1, '09:00'), 1, moves(0, 0))]],
    // Its history begins after the window: it has Support's figures, no ticket waiting in the window.
    [LATER, [interval(LATER, day(3, '10:00'), 2, moves(1, 0))]],
    // Its only contact was moved away: not listed, with a window or without.
    [MOVED_AWAY, [interval(MOVED_AWAY, day(3, '09:00'), 0, moves(0, 0))]],
    [talkQueue, [interval(talkQueue, day(3, '09:00'), 2)]],
  ]);
  const window = { from: day(2, '09:00'), before: day(2, '12:00') };

  it('a queue with contacts in the window: its intervals there, each with the backlog the whole history gives', async () => {
    const [windowed, whole] = await Promise.all([
      readQueuesWithBacklog(depsWith(histories), INTEGRATION, { window }),
      readQueuesWithBacklog(depsWith(histories), INTEGRATION),
    ]);
    const newIn = (read: typeof whole) => read.find(({ queue }) => queue.name === 'New (email)');
    expect(newIn(windowed)?.queue.intervals).toEqual([
      { start: day(2, '09:00'), contacts: 2, support: moves(2, 0), backlog: 4 },
    ]);
    expect(newIn(windowed)?.queue.intervals).toEqual(
      newIn(whole)?.queue.intervals.filter((i) => i.start >= window.from && i.start < window.before),
    );
    // Before the window, only the intervals where the backlog moved: the level carried in is 2.
    expect(newIn(windowed)?.backlogSteps).toEqual([
      { start: day(1, '09:00'), backlog: 3 },
      { start: day(1, '23:45'), backlog: 2 },
      { start: day(2, '09:00'), backlog: 4 },
      { start: day(2, '11:45'), backlog: 1 },
    ]);
  });

  it('lists the same queues as without a window: a queue quiet in it keeps its place with no interval', async () => {
    const windowed = await readQueuesWithBacklog(depsWith(histories), INTEGRATION, { window });
    expect(windowed.map(({ queue }) => [queue.name, queue.intervals.length])).toEqual([
      ['Calls Inbound For Billing', 0],
      ['Later (email)', 0],
      ['New (email)', 1],
      ['Pending (email)', 0],
    ]);
    const whole = await readQueuesWithBacklog(depsWith(histories), INTEGRATION);
    expect(whole.map(({ queue }) => queue.name)).toEqual(windowed.map(({ queue }) => queue.name));
    expect((await readPublishedQueues(depsWith(histories), INTEGRATION)).map((q) => q.name)).toEqual(
      windowed.map(({ queue }) => queue.name),
    );
  });

  it.each<[string, boolean, Record<string, BacklogSources>]>([
    [
      'a history begun with the latest-counter marks (schema 5 on) has its moves in backlog days only; a Talk queue has none',
      true,
      {
        [NEW.id]: 'days',
        [PENDING.id]: 'days',
        [LATER.id]: 'days',
        [MOVED_AWAY.id]: 'days',
        [talkQueue.id]: 'none',
      },
    ],
    [
      'an older history may have schema 3–4 interval items that counted moves: they are looked for too',
      false,
      {
        [NEW.id]: 'days and items',
        [PENDING.id]: 'days and items',
        [LATER.id]: 'days and items',
        [MOVED_AWAY.id]: 'days and items',
        [talkQueue.id]: 'none',
      },
    ],
  ])('where the backlog carried in is read from: %s', async (_rule, marked, expected) => {
    const asked = new Map<string, BacklogSources>();
    await readQueuesWithBacklog(depsWith(histories, { marked, asked }), INTEGRATION, { window });
    expect(Object.fromEntries(asked)).toEqual(expected);
  });

  it('a queue asked for by name (any case) is the only one read', async () => {
    const asked = new Map<string, BacklogSources>();
    const read = await readQueuesWithBacklog(depsWith(histories, { marked: true, asked }), INTEGRATION, {
      window,
      named: ' new (EMAIL) ',
    });
    expect(read.map(({ queue }) => queue.name)).toEqual(['New (email)']);
    expect([...asked.keys()]).toEqual([NEW.id]);
  });

  it('a Support queue whose history begins after the window keeps its figures recorded: no step, no backlog in the window', async () => {
    const windowed = await readQueuesWithBacklog(depsWith(histories), INTEGRATION, { window });
    const later = windowed.find(({ queue }) => queue.name === 'Later (email)');
    expect(later).toEqual({
      id: 'support:4:email',
      queue: { name: 'Later (email)', channel: 'email', source: 'support', viewId: 4, intervals: [] },
      backlogSteps: [],
    });
  });
});
