import { describe, expect, it } from '@jest/globals';
import {
  bucketOf,
  intervalStarts,
  queueSeries,
  type HistoryQueue,
  type Per,
  type SeriesRow,
} from '../../../shared/domain/queue-series.js';
import { localIso, mondayOf, offsetText } from '../../../shared/domain/time-zones.js';

const ms = (iso: string) => Date.parse(iso);

const talk = (intervals: HistoryQueue['intervals']): HistoryQueue => ({
  name: 'Calls Inbound For Sales',
  channel: 'call',
  source: 'talk',
  intervals,
});
const support = (intervals: HistoryQueue['intervals']): HistoryQueue => ({
  name: 'Support "Tier 1", EMEA (email)',
  channel: 'email',
  source: 'support',
  viewId: 7,
  intervals,
});

/** A row as [UTC start, minutes, offered, handled, handle time, AHT] (undefined: not a Talk number). */
type Flat = [string, number, number, number?, number?, number?];
const flat = (r: SeriesRow): Flat => {
  const row: Flat = [new Date(r.startMs).toISOString(), r.minutes, r.offered];
  if (r.handled !== undefined) row.push(r.handled, r.handleTimeSeconds, r.ahtSeconds);
  return row;
};

describe('queueSeries', () => {
  const rows: [
    rule: string,
    queue: HistoryQueue,
    options: { from: string; to: string; minutes: number; per: Per; tz: string },
    expected: Flat[],
    total: Flat,
  ][] = [
    [
      'every interval of the period is a row; a missing Talk interval is zeros with no AHT',
      talk([{ start: '2026-01-05T10:15:00.000Z', contacts: 3, handled: 2, handleTimeSeconds: 500 }]),
      { from: '2026-01-05T10:00:00Z', to: '2026-01-05T10:45:00Z', minutes: 15, per: 'interval', tz: 'UTC' },
      [
        ['2026-01-05T10:00:00.000Z', 15, 0, 0, 0, undefined],
        ['2026-01-05T10:15:00.000Z', 15, 3, 2, 500, 250],
        ['2026-01-05T10:30:00.000Z', 15, 0, 0, 0, undefined],
      ],
      ['2026-01-05T10:00:00.000Z', 45, 3, 2, 500, 250],
    ],
    [
      'a Support queue carries offered only (no handled, no handle time)',
      support([{ start: '2026-01-05T10:00:00.000Z', contacts: 4 }]),
      { from: '2026-01-05T10:00:00Z', to: '2026-01-05T11:00:00Z', minutes: 30, per: 'interval', tz: 'UTC' },
      [
        ['2026-01-05T10:00:00.000Z', 30, 4],
        ['2026-01-05T10:30:00.000Z', 30, 0],
      ],
      ['2026-01-05T10:00:00.000Z', 60, 4],
    ],
    [
      'the period keeps whole intervals only: a start before --from and one ending after --to are left out',
      support([
        { start: '2026-01-05T09:45:00.000Z', contacts: 9 },
        { start: '2026-01-05T10:00:00.000Z', contacts: 1 },
        { start: '2026-01-05T10:15:00.000Z', contacts: 9 },
      ]),
      { from: '2026-01-05T09:50:00Z', to: '2026-01-05T10:20:00Z', minutes: 15, per: 'interval', tz: 'UTC' },
      [['2026-01-05T10:00:00.000Z', 15, 1]],
      ['2026-01-05T10:00:00.000Z', 15, 1],
    ],
    [
      'an hour sums its intervals; AHT of a sum is handle time over handled, not an average of AHTs',
      talk([
        { start: '2026-01-05T10:00:00.000Z', contacts: 1, handled: 1, handleTimeSeconds: 100 },
        { start: '2026-01-05T10:15:00.000Z', contacts: 3, handled: 3, handleTimeSeconds: 900 },
      ]),
      { from: '2026-01-05T10:00:00Z', to: '2026-01-05T11:00:00Z', minutes: 15, per: 'hour', tz: 'UTC' },
      [['2026-01-05T10:00:00.000Z', 60, 4, 4, 1000, 250]],
      ['2026-01-05T10:00:00.000Z', 60, 4, 4, 1000, 250],
    ],
    [
      'days are calendar days of the time zone: Europe/Berlin in winter starts at 23:00 UTC',
      support([
        { start: '2026-01-05T22:45:00.000Z', contacts: 1 },
        { start: '2026-01-05T23:00:00.000Z', contacts: 2 },
      ]),
      {
        from: '2026-01-05T22:00:00Z',
        to: '2026-01-06T00:00:00Z',
        minutes: 15,
        per: 'day',
        tz: 'Europe/Berlin',
      },
      [
        ['2026-01-05T22:00:00.000Z', 60, 1],
        ['2026-01-05T23:00:00.000Z', 60, 2],
      ],
      ['2026-01-05T22:00:00.000Z', 120, 3],
    ],
    [
      'the day the clocks go forward has 23 hours (Europe/Berlin, 2026-03-29)',
      support([{ start: '2026-03-29T12:00:00.000Z', contacts: 5 }]),
      {
        from: '2026-03-28T23:00:00Z',
        to: '2026-03-30T22:00:00Z',
        minutes: 60,
        per: 'day',
        tz: 'Europe/Berlin',
      },
      [
        ['2026-03-28T23:00:00.000Z', 23 * 60, 5],
        ['2026-03-29T22:00:00.000Z', 24 * 60, 0],
      ],
      ['2026-03-28T23:00:00.000Z', 47 * 60, 5],
    ],
    [
      'the day the clocks go back has 25 hours (Europe/Berlin, 2026-10-25)',
      support([{ start: '2026-10-25T00:30:00.000Z', contacts: 1 }]),
      {
        from: '2026-10-24T22:00:00Z',
        to: '2026-10-25T23:00:00Z',
        minutes: 30,
        per: 'day',
        tz: 'Europe/Berlin',
      },
      [['2026-10-24T22:00:00.000Z', 25 * 60, 1]],
      ['2026-10-24T22:00:00.000Z', 25 * 60, 1],
    ],
    [
      'the hour a clock goes back is two hours (02:00+02:00 and 02:00+01:00), never one of 120 minutes',
      support([
        { start: '2026-10-25T00:00:00.000Z', contacts: 1 },
        { start: '2026-10-25T01:00:00.000Z', contacts: 2 },
      ]),
      {
        from: '2026-10-25T00:00:00Z',
        to: '2026-10-25T02:00:00Z',
        minutes: 30,
        per: 'hour',
        tz: 'Europe/Berlin',
      },
      [
        ['2026-10-25T00:00:00.000Z', 60, 1],
        ['2026-10-25T01:00:00.000Z', 60, 2],
      ],
      ['2026-10-25T00:00:00.000Z', 120, 3],
    ],
    [
      'weeks start on Monday in the time zone (America/New_York: Monday 00:00 is 05:00 UTC)',
      support([
        { start: '2026-01-05T04:00:00.000Z', contacts: 1 },
        { start: '2026-01-05T05:00:00.000Z', contacts: 2 },
        { start: '2026-01-11T23:00:00.000Z', contacts: 4 },
      ]),
      {
        from: '2026-01-05T04:00:00Z',
        to: '2026-01-12T00:00:00Z',
        minutes: 60,
        per: 'week',
        tz: 'America/New_York',
      },
      [
        ['2026-01-05T04:00:00.000Z', 60, 1],
        ['2026-01-05T05:00:00.000Z', 163 * 60, 6],
      ],
      ['2026-01-05T04:00:00.000Z', 164 * 60, 7],
    ],
    [
      'an empty period has no rows and a zero total',
      talk([]),
      { from: '2026-01-05T10:00:00Z', to: '2026-01-05T10:10:00Z', minutes: 15, per: 'interval', tz: 'UTC' },
      [],
      ['2026-01-05T10:00:00.000Z', 0, 0, 0, 0, undefined],
    ],
  ];

  it.each(rows)('%s', (_rule, queue, o, expected, total) => {
    const series = queueSeries(queue, {
      fromMs: ms(o.from),
      toMs: ms(o.to),
      intervalMinutes: o.minutes,
      per: o.per,
      timeZone: o.tz,
    });
    expect(series.rows.map(flat)).toEqual(expected);
    expect(flat(series.total)).toEqual(total);
    const { intervals: _intervals, ...described } = queue;
    expect(series.queue).toEqual(described);
  });
});

describe('intervalStarts', () => {
  it('aligns to the interval: a --from inside an interval starts at the next one', () => {
    expect(
      intervalStarts({
        fromMs: ms('2026-01-05T10:05:00Z'),
        toMs: ms('2026-01-05T10:45:00Z'),
        intervalMinutes: 15,
      }).map((t) => new Date(t).toISOString()),
    ).toEqual(['2026-01-05T10:15:00.000Z', '2026-01-05T10:30:00.000Z']);
  });
});

describe('bucketOf', () => {
  const rows: [rule: string, at: string, per: Per, tz: string, expected: string][] = [
    [
      'an interval is its own bucket',
      '2026-01-05T10:15:00Z',
      'interval',
      'UTC',
      String(ms('2026-01-05T10:15:00Z')),
    ],
    ['an hour carries its offset', '2026-10-25T00:30:00Z', 'hour', 'Europe/Berlin', '2026-10-25T2+02:00'],
    [
      'the repeated hour has the other offset',
      '2026-10-25T01:30:00Z',
      'hour',
      'Europe/Berlin',
      '2026-10-25T2+01:00',
    ],
    ['a day is the local date', '2026-01-05T23:30:00Z', 'day', 'Europe/Berlin', '2026-01-06'],
    [
      'a Sunday belongs to the week of the Monday before',
      '2026-01-11T12:00:00Z',
      'week',
      'UTC',
      '2026-01-05',
    ],
    ['a half-hour zone reads its own date', '2026-01-05T18:45:00Z', 'day', 'Asia/Kolkata', '2026-01-06'],
  ];
  it.each(rows)('%s', (_rule, at, per, tz, expected) => {
    expect(bucketOf(ms(at), per, tz)).toBe(expected);
  });
});

describe('time zone texts', () => {
  const rows: [rule: string, actual: () => string, expected: string][] = [
    [
      'local ISO carries the summer offset',
      () => localIso(ms('2026-03-29T01:00:00Z'), 'Europe/Berlin'),
      '2026-03-29T03:00:00+02:00',
    ],
    [
      'local ISO of a half-hour zone',
      () => localIso(ms('2026-01-01T10:00:00Z'), 'Asia/Kolkata'),
      '2026-01-01T15:30:00+05:30',
    ],
    ['a negative offset', () => offsetText(-210), '-03:30'],
    ['UTC is +00:00', () => offsetText(0), '+00:00'],
    ['the Monday of a Sunday', () => mondayOf('2026-03-29'), '2026-03-23'],
    ['the Monday of a Monday is itself', () => mondayOf('2026-03-23'), '2026-03-23'],
    ['the Monday across a year end', () => mondayOf('2027-01-01'), '2026-12-28'],
  ];
  it.each(rows)('%s', (_rule, actual, expected) => {
    expect(actual()).toBe(expected);
  });
});
