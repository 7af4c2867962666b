import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startLocalStack, type LocalStack } from '../../../local/local-stack.js';
import type { SupportFigures } from '../../../shared/domain/counters.js';
import type { QueueRef } from '../../../shared/messages/contacts.js';
import { batchPut, type Item } from '../../../shared/store/batch.js';
import { documentClientFor } from '../../../shared/store/clients.js';
import {
  backlogDayItem,
  neededForWindow,
  queueIntervalItem,
  QueueHistoryRepository,
  type IntervalWindow,
  type QueueInterval,
} from '../../../shared/store/queue-history-repository.js';

/**
 * Rule (reports of a period): a window of a queue's history is read without the rest of it, and
 * carries the same backlog in. `intervalsIn` returns exactly the intervals starting in the window
 * and, before it, those whose backlog moved (from the backlog days, and from the schema 3–4 items
 * that counted moves themselves), as `intervals` would give them.
 */
const INTEGRATION = 'acme';
const SUPPORT: QueueRef = {
  id: 'support:7:email',
  name: 'Open (email)',
  channel: 'email',
  source: 'support',
  viewId: 7,
};
const TALK: QueueRef = {
  id: 'talk:ivr:Billing',
  name: 'Calls Inbound For Billing',
  channel: 'call',
  source: 'talk',
};
const at = (day: number, time: string) => `2026-03-0${day}T${time}:00.000Z`;
const figures = (reopens: number, entered = 0, left = 0): SupportFigures => ({
  reopens,
  backlogEntered: entered,
  backlogLeft: left,
});

const interval = (queue: QueueRef, intervalStart: string, contacts: number, support?: SupportFigures): Item =>
  queueIntervalItem({
    integrationId: INTEGRATION,
    queue,
    intervalStart,
    contacts,
    handled: 0,
    handleSeconds: 0,
    ...(support !== undefined ? { support } : {}),
    version: 1,
  });

const backlogDay = (day: string, entered: Record<string, number>, left: Record<string, number>): Item =>
  backlogDayItem({ integrationId: INTEGRATION, queue: SUPPORT, day, moves: { entered, left }, version: 1 });

let stack: LocalStack;
let repo: QueueHistoryRepository;
beforeAll(async () => {
  stack = await startLocalStack();
  const db = documentClientFor(stack.dynamodb);
  repo = new QueueHistoryRepository(db, stack.tableNames.queueHistory);
  await batchPut(db, stack.tableNames.queueHistory, [
    // A schema 3 item that stored its zero moves, and a schema 4 item that counted its moves
    // itself, long before the window.
    {
      ...interval(SUPPORT, at(1, '07:00'), 1, figures(0)),
      support: { reopens: 0, backlogEntered: 0, backlogLeft: 0 },
      schemaVersion: 3,
    },
    { ...interval(SUPPORT, at(1, '08:00'), 2, figures(0, 2, 0)), schemaVersion: 4 },
    interval(SUPPORT, at(1, '09:00'), 3, figures(1)),
    interval(SUPPORT, at(2, '09:00'), 1, figures(0)),
    interval(SUPPORT, at(2, '10:00'), 4, figures(2)),
    interval(SUPPORT, at(3, '09:00'), 5, figures(0)),
    backlogDay('2026-03-01', { '09:00': 3 }, { '23:45': 1 }),
    // Moves on the window's first and last day, before, in and after it.
    backlogDay('2026-03-02', { '08:45': 1, '10:00': 2 }, { '09:00': 1, '11:00': 4 }),
    backlogDay('2026-03-03', { '09:00': 6 }, {}),
    interval(TALK, at(1, '09:00'), 0),
    interval(TALK, at(2, '09:00'), 0),
  ]);
});
afterAll(async () => {
  await stack?.stop();
});

describe('QueueHistoryRepository.intervalsIn', () => {
  it('reads the window and, before it, the intervals whose backlog moved (day items and a schema 4 item), with their moves only', async () => {
    const read = await repo.intervalsIn(INTEGRATION, SUPPORT.id, {
      from: at(2, '09:00'),
      before: at(2, '11:00'),
    });
    expect(read.map((i) => [i.intervalStart, i.contacts, i.support])).toEqual([
      [at(1, '08:00'), 2, figures(0, 2, 0)],
      [at(1, '09:00'), 0, figures(0, 3, 0)],
      [at(1, '23:45'), 0, figures(0, 0, 1)],
      [at(2, '08:45'), 0, figures(0, 1, 0)],
      [at(2, '09:00'), 1, figures(0, 0, 1)],
      [at(2, '10:00'), 4, figures(2, 2, 0)],
    ]);
  });

  it.each<[string, IntervalWindow]>([
    ['a window inside one day', { from: at(2, '09:00'), before: at(2, '11:00') }],
    ['a window that ends on a move (excluded)', { from: at(2, '08:45'), before: at(2, '11:00') }],
    ['a window from a start only', { from: at(2, '10:00') }],
    ['a window up to an end only', { before: at(2, '09:00') }],
    ['a window after the whole history', { from: at(4, '00:00') }],
    ['a window before the whole history', { before: at(1, '00:00') }],
    [
      'a window without a whole interval (it ends in the interval it starts in)',
      { from: at(2, '10:07'), before: at(2, '10:00') },
    ],
    [
      'a window after the history is complete (its end before its start)',
      { from: at(4, '00:00'), before: at(3, '00:00') },
    ],
  ])("%s: the whole history's intervals in it, and its moves before it", async (_rule, window) => {
    const whole = (await repo.intervals(INTEGRATION, SUPPORT.id)).filter((i) => neededForWindow(i, window));
    const read = await repo.intervalsIn(INTEGRATION, SUPPORT.id, window);
    const inWindow = (i: QueueInterval) => window.from === undefined || i.intervalStart >= window.from;
    expect(read.filter(inWindow)).toEqual(whole.filter(inWindow));
    const moves = (i: QueueInterval) => [i.intervalStart, i.support?.backlogEntered, i.support?.backlogLeft];
    expect(read.filter((i) => !inWindow(i)).map(moves)).toEqual(whole.filter((i) => !inWindow(i)).map(moves));
  });

  it('a history begun with schema 5 (backlog days only): earlier interval items are not looked through for moves', async () => {
    const read = await repo.intervalsIn(
      INTEGRATION,
      SUPPORT.id,
      { from: at(2, '09:00'), before: at(2, '11:00') },
      'days',
    );
    expect(read.map((i) => [i.intervalStart, i.contacts, i.support])).toEqual([
      [at(1, '09:00'), 0, figures(0, 3, 0)],
      [at(1, '23:45'), 0, figures(0, 0, 1)],
      [at(2, '08:45'), 0, figures(0, 1, 0)],
      [at(2, '09:00'), 1, figures(0, 0, 1)],
      [at(2, '10:00'), 4, figures(2, 2, 0)],
    ]);
  });

  it('a Talk queue (no backlog): the window only', async () => {
    const read = await repo.intervalsIn(INTEGRATION, TALK.id, { from: at(2, '00:00') }, 'none');
    expect(read.map((i) => [i.intervalStart, i.contacts])).toEqual([[at(2, '09:00'), 0]]);
  });

  it.each([
    ['a Support queue', SUPPORT.id, true],
    ['a Talk queue', TALK.id, false],
    ['a queue with no item', 'support:8:email', false],
  ])('hasSupportFigures: %s', async (_rule, queueId, expected) => {
    expect(await repo.hasSupportFigures(INTEGRATION, queueId)).toBe(expected);
  });

  it.each([
    ['a Support queue with contacts', SUPPORT.id, true],
    ['a Talk queue whose every interval was moved away (0 contacts)', TALK.id, false],
    ['a queue with no item', 'support:8:email', false],
  ])('hasContactOrMove: %s', async (_rule, queueId, expected) => {
    expect(await repo.hasContactOrMove(INTEGRATION, queueId)).toBe(expected);
  });

  it('hasContactOrMove: a queue whose only items are backlog days has moves', async () => {
    const queue: QueueRef = { ...SUPPORT, id: 'support:9:email', viewId: 9 };
    const db = documentClientFor(stack.dynamodb);
    await batchPut(db, stack.tableNames.queueHistory, [
      backlogDayItem({
        integrationId: INTEGRATION,
        queue,
        day: '2026-03-01',
        moves: { entered: { '09:00': 1 }, left: {} },
        version: 1,
      }),
    ]);
    expect(await repo.hasContactOrMove(INTEGRATION, queue.id)).toBe(true);
    expect(await repo.hasSupportFigures(INTEGRATION, queue.id)).toBe(true);
  });
});
