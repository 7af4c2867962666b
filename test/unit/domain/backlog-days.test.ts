import { describe, expect, it } from '@jest/globals';
import {
  addBacklogMoves,
  backlogDayOf,
  intervalsOfBacklogDay,
  type BacklogDayMoves,
  type IntervalBacklogMoves,
} from '../../../shared/domain/backlog-days.js';
import {
  withBacklogDays,
  type BacklogDay,
  type QueueInterval,
} from '../../../shared/store/queue-history-repository.js';

const QUEUE = {
  id: 'support:7:email',
  name: 'Open (email)',
  channel: 'email',
  source: 'support',
  viewId: 7,
} as const;
const at = (time: string, entered: number, left: number): IntervalBacklogMoves => ({
  intervalStart: `2026-03-01T${time}:00.000Z`,
  entered,
  left,
});

describe('backlog moves kept per queue and UTC day (queue-history schema 5)', () => {
  it.each<[string, BacklogDayMoves | undefined, IntervalBacklogMoves[], BacklogDayMoves]>([
    ['a first move makes the day', undefined, [at('09:15', 1, 0)], { entered: { '09:15': 1 }, left: {} }],
    [
      "moves of the day's intervals are kept by the interval's UTC start time, in time order",
      { entered: { '23:45': 1 }, left: {} },
      [at('10:00', 2, 0), at('00:00', 0, 1)],
      { entered: { '10:00': 2, '23:45': 1 }, left: { '00:00': 1 } },
    ],
    [
      'moves of one interval add up',
      { entered: { '09:15': 1 }, left: { '09:15': 1 } },
      [at('09:15', 2, 1)],
      { entered: { '09:15': 3 }, left: { '09:15': 2 } },
    ],
    [
      'a correction that takes a move back to 0 drops the entry: a day reads the same however it came',
      { entered: { '09:15': 1, '10:00': 1 }, left: {} },
      [at('09:15', -1, 0)],
      { entered: { '10:00': 1 }, left: {} },
    ],
    [
      'a zero move changes nothing',
      { entered: {}, left: { '11:30': 2 } },
      [at('11:30', 0, 0)],
      { entered: {}, left: { '11:30': 2 } },
    ],
  ])('%s', (_rule, day, moves, expected) => {
    expect(addBacklogMoves(day, moves, 'queue q day d')).toEqual(expected);
    expect(Object.keys(addBacklogMoves(day, moves, 'queue q day d').entered)).toEqual(
      Object.keys(expected.entered),
    );
  });

  it('a move below zero is a bookkeeping bug, named with its queue, day and time', () => {
    expect(() =>
      addBacklogMoves({ entered: {}, left: {} }, [at('09:15', 0, -1)], 'queue q day 2026-03-01'),
    ).toThrow('queue q day 2026-03-01 09:15: backlog moves would become negative');
  });

  it.each([
    ['the first interval of a UTC day', '2026-03-01T00:00:00.000Z', '2026-03-01'],
    ['the last 15 minutes of a UTC day', '2026-03-01T23:45:00.000Z', '2026-03-01'],
  ])('%s is in that day', (_rule, start, day) => {
    expect(backlogDayOf(start)).toBe(day);
  });

  it.each([
    ['without milliseconds', '2026-03-01T10:15:00Z'],
    ['with an offset', '2026-03-01T11:15:00.000+01:00'],
  ])('an interval start not as bucketStart writes it (%s) is refused, named', (_rule, start) => {
    expect(() => backlogDayOf(start)).toThrow(
      `intervalStart ${start} is not an interval start as bucketStart writes it`,
    );
  });

  it("lists a day's intervals in time order, as bucketStart writes their starts", () => {
    expect(
      intervalsOfBacklogDay('2026-03-01', { entered: { '10:00': 2 }, left: { '09:15': 1, '10:00': 1 } }),
    ).toEqual([
      { intervalStart: '2026-03-01T09:15:00.000Z', entered: 0, left: 1 },
      { intervalStart: '2026-03-01T10:00:00.000Z', entered: 2, left: 1 },
    ]);
  });
});

describe('a queue read with its backlog days (withBacklogDays)', () => {
  const interval = (
    intervalStart: string,
    contacts: number,
    support?: QueueInterval['support'],
  ): QueueInterval => ({
    integrationId: 'acme',
    queue: QUEUE,
    intervalStart,
    contacts,
    handled: 0,
    handleSeconds: 0,
    ...(support ? { support } : {}),
    schemaVersion: 5,
    version: 3,
  });
  const day = (d: string, moves: BacklogDayMoves): BacklogDay => ({
    integrationId: 'acme',
    queue: QUEUE,
    day: d,
    moves,
    schemaVersion: 5,
    version: 2,
  });

  it.each<[string, QueueInterval[], BacklogDay[], [string, number, QueueInterval['support'], number][]]>([
    [
      'an interval with contacts and moves gets its moves, keeping its reopens and version',
      [interval('2026-03-01T09:15:00.000Z', 2, { reopens: 1, backlogEntered: 0, backlogLeft: 0 })],
      [day('2026-03-01', { entered: { '09:15': 2 }, left: {} })],
      [['2026-03-01T09:15:00.000Z', 2, { reopens: 1, backlogEntered: 2, backlogLeft: 0 }, 3]],
    ],
    [
      'an interval with moves only is listed with 0 contacts and version 0 (no item of its own)',
      [],
      [day('2026-03-01', { entered: {}, left: { '09:30': 1 } })],
      [['2026-03-01T09:30:00.000Z', 0, { reopens: 0, backlogEntered: 0, backlogLeft: 1 }, 0]],
    ],
    [
      'a schema 3–4 interval that counted moves itself gets the day’s added to them',
      [interval('2026-03-01T09:15:00.000Z', 1, { reopens: 0, backlogEntered: 3, backlogLeft: 1 })],
      [day('2026-03-01', { entered: { '09:15': 1 }, left: {} })],
      [['2026-03-01T09:15:00.000Z', 1, { reopens: 0, backlogEntered: 4, backlogLeft: 1 }, 3]],
    ],
    [
      'an interval without moves is left as it is; all in time order across days',
      [
        interval('2026-03-02T08:00:00.000Z', 1, { reopens: 0, backlogEntered: 0, backlogLeft: 0 }),
        interval('2026-03-01T07:00:00.000Z', 4),
      ],
      [
        day('2026-03-02', { entered: { '00:00': 1 }, left: {} }),
        day('2026-03-01', { entered: {}, left: { '23:45': 1 } }),
      ],
      [
        ['2026-03-01T07:00:00.000Z', 4, undefined, 3],
        ['2026-03-01T23:45:00.000Z', 0, { reopens: 0, backlogEntered: 0, backlogLeft: 1 }, 0],
        ['2026-03-02T00:00:00.000Z', 0, { reopens: 0, backlogEntered: 1, backlogLeft: 0 }, 0],
        ['2026-03-02T08:00:00.000Z', 1, { reopens: 0, backlogEntered: 0, backlogLeft: 0 }, 3],
      ],
    ],
  ])('%s', (_rule, intervals, days, expected) => {
    expect(
      withBacklogDays(intervals, days).map((i) => [i.intervalStart, i.contacts, i.support, i.version]),
    ).toEqual(expected);
  });
});
