import { describe, expect, it } from '@jest/globals';
import {
  bucketOf,
  intervalStarts,
  queueSeries,
  type HistoryQueue,
  type Per,
  type SeriesRow,
} from '../../../shared/domain/queue-series.js';
import {
  addDays,
  instantOfLocal,
  localIso,
  mondayOf,
  offsetText,
} from '../../../shared/domain/time-zones.js';

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
      'an interval belongs to the period its start falls in: one starting before --from is out, one starting before --to is in though it ends after it',
      support([
        { start: '2026-01-05T09:45:00.000Z', contacts: 9 },
        { start: '2026-01-05T10:00:00.000Z', contacts: 1 },
        { start: '2026-01-05T10:15:00.000Z', contacts: 2 },
        { start: '2026-01-05T10:30:00.000Z', contacts: 9 },
      ]),
      { from: '2026-01-05T09:50:00Z', to: '2026-01-05T10:20:00Z', minutes: 15, per: 'interval', tz: 'UTC' },
      [
        ['2026-01-05T10:00:00.000Z', 15, 1],
        ['2026-01-05T10:15:00.000Z', 15, 2],
      ],
      ['2026-01-05T10:00:00.000Z', 30, 3],
    ],
    [
      'an interval belongs to the day its start falls in (Asia/Kolkata, 60 min): the one from 23:30 to 00:30 is the earlier day’s, so a day has 24 of them',
      support([
        { start: '2026-01-04T18:00:00.000Z', contacts: 7 },
        { start: '2026-01-04T19:00:00.000Z', contacts: 1 },
        { start: '2026-01-05T18:00:00.000Z', contacts: 2 },
        { start: '2026-01-05T19:00:00.000Z', contacts: 7 },
      ]),
      {
        from: '2026-01-04T18:30:00Z',
        to: '2026-01-05T18:30:00Z',
        minutes: 60,
        per: 'day',
        tz: 'Asia/Kolkata',
      },
      [['2026-01-04T19:00:00.000Z', 24 * 60, 3]],
      ['2026-01-04T19:00:00.000Z', 24 * 60, 3],
    ],
    [
      'an interval belongs to the day its start falls in (Asia/Kathmandu, 30 min): the one from 23:45 to 00:15 is the earlier day’s',
      support([
        { start: '2026-01-04T18:00:00.000Z', contacts: 7 },
        { start: '2026-01-04T18:30:00.000Z', contacts: 1 },
        { start: '2026-01-05T18:00:00.000Z', contacts: 2 },
        { start: '2026-01-05T18:30:00.000Z', contacts: 7 },
      ]),
      {
        from: '2026-01-04T18:15:00Z',
        to: '2026-01-05T18:15:00Z',
        minutes: 30,
        per: 'day',
        tz: 'Asia/Kathmandu',
      },
      [['2026-01-04T18:30:00.000Z', 24 * 60, 3]],
      ['2026-01-04T18:30:00.000Z', 24 * 60, 3],
    ],
    [
      'an interval belongs to the day its start falls in (America/St_Johns -03:30, 60 min)',
      support([
        { start: '2026-01-05T03:00:00.000Z', contacts: 7 },
        { start: '2026-01-05T04:00:00.000Z', contacts: 1 },
        { start: '2026-01-06T03:00:00.000Z', contacts: 2 },
        { start: '2026-01-06T04:00:00.000Z', contacts: 7 },
      ]),
      {
        from: '2026-01-05T03:30:00Z',
        to: '2026-01-06T03:30:00Z',
        minutes: 60,
        per: 'day',
        tz: 'America/St_Johns',
      },
      [['2026-01-05T04:00:00.000Z', 24 * 60, 3]],
      ['2026-01-05T04:00:00.000Z', 24 * 60, 3],
    ],
    [
      'an interval belongs to the day its start falls in (Australia/Lord_Howe at +10:30, its standard time, 60 min)',
      support([
        { start: '2026-07-04T13:00:00.000Z', contacts: 7 },
        { start: '2026-07-04T14:00:00.000Z', contacts: 1 },
        { start: '2026-07-05T13:00:00.000Z', contacts: 2 },
        { start: '2026-07-05T14:00:00.000Z', contacts: 7 },
      ]),
      {
        from: '2026-07-04T13:30:00Z',
        to: '2026-07-05T13:30:00Z',
        minutes: 60,
        per: 'day',
        tz: 'Australia/Lord_Howe',
      },
      [['2026-07-04T14:00:00.000Z', 24 * 60, 3]],
      ['2026-07-04T14:00:00.000Z', 24 * 60, 3],
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
      'an empty period (no interval starts in it) has no rows and a zero total',
      talk([]),
      { from: '2026-01-05T10:05:00Z', to: '2026-01-05T10:15:00Z', minutes: 15, per: 'interval', tz: 'UTC' },
      [],
      ['2026-01-05T10:05:00.000Z', 0, 0, 0, 0, undefined],
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

describe("queueSeries: Support's reopens and backlog", () => {
  const emea = (
    intervals: HistoryQueue['intervals'],
    backlogSteps: HistoryQueue['backlogSteps'],
  ): HistoryQueue => ({ ...support(intervals), ...(backlogSteps ? { backlogSteps } : {}) });
  const step = (start: string, backlog: number) => ({ start, backlog });
  const hour = { from: '2026-01-05T10:00:00Z', to: '2026-01-05T11:00:00Z', minutes: 15, tz: 'UTC' };
  /** A row as [UTC start, reopens, backlog] (undefined: not known). */
  type Figures = [string, number | undefined, number | undefined];
  const figures = (r: SeriesRow): Figures => [new Date(r.startMs).toISOString(), r.reopens, r.backlog];
  const rows: [
    rule: string,
    queue: HistoryQueue,
    options: { from: string; to: string; minutes: number; per: Per; tz: string },
    expected: Figures[],
    total: Figures,
  ][] = [
    [
      'a quiet interval carries the backlog before it on, never zero',
      emea(
        [{ start: '2026-01-05T10:00:00.000Z', contacts: 2, support: { reopens: 1 } }],
        [step('2026-01-05T10:00:00.000Z', 2)],
      ),
      { ...hour, per: 'interval' },
      [
        ['2026-01-05T10:00:00.000Z', 1, 2],
        ['2026-01-05T10:15:00.000Z', 0, 2],
        ['2026-01-05T10:30:00.000Z', 0, 2],
        ['2026-01-05T10:45:00.000Z', 0, 2],
      ],
      ['2026-01-05T10:00:00.000Z', 1, 2],
    ],
    [
      'a step in an interval without contacts (a ticket solved) moves the backlog there',
      emea(
        [{ start: '2026-01-05T10:00:00.000Z', contacts: 3, support: { reopens: 0 } }],
        [step('2026-01-05T10:00:00.000Z', 3), step('2026-01-05T10:30:00.000Z', 1)],
      ),
      { ...hour, per: 'interval' },
      [
        ['2026-01-05T10:00:00.000Z', 0, 3],
        ['2026-01-05T10:15:00.000Z', 0, 3],
        ['2026-01-05T10:30:00.000Z', 0, 1],
        ['2026-01-05T10:45:00.000Z', 0, 1],
      ],
      ['2026-01-05T10:00:00.000Z', 0, 1],
    ],
    [
      'the backlog the period starts with comes from a step before it',
      emea([], [step('2026-01-05T08:15:00.000Z', 7), step('2026-01-05T09:45:00.000Z', 6)]),
      { ...hour, per: 'interval' },
      [
        ['2026-01-05T10:00:00.000Z', 0, 6],
        ['2026-01-05T10:15:00.000Z', 0, 6],
        ['2026-01-05T10:30:00.000Z', 0, 6],
        ['2026-01-05T10:45:00.000Z', 0, 6],
      ],
      ['2026-01-05T10:00:00.000Z', 0, 6],
    ],
    [
      'before the first step the backlog is 0 (no ticket has entered it yet)',
      emea(
        [{ start: '2026-01-05T10:30:00.000Z', contacts: 1, support: { reopens: 0 } }],
        [step('2026-01-05T10:30:00.000Z', 1)],
      ),
      { ...hour, per: 'interval' },
      [
        ['2026-01-05T10:00:00.000Z', 0, 0],
        ['2026-01-05T10:15:00.000Z', 0, 0],
        ['2026-01-05T10:30:00.000Z', 0, 1],
        ['2026-01-05T10:45:00.000Z', 0, 1],
      ],
      ['2026-01-05T10:00:00.000Z', 0, 1],
    ],
    [
      "an hour sums its reopens; its backlog is its last interval's end, not a sum",
      emea(
        [
          { start: '2026-01-05T10:00:00.000Z', contacts: 4, support: { reopens: 1 } },
          { start: '2026-01-05T10:15:00.000Z', contacts: 2, support: { reopens: 2 } },
        ],
        [step('2026-01-05T10:00:00.000Z', 4), step('2026-01-05T10:15:00.000Z', 5)],
      ),
      { from: '2026-01-05T10:00:00Z', to: '2026-01-05T12:00:00Z', minutes: 15, per: 'hour', tz: 'UTC' },
      [
        ['2026-01-05T10:00:00.000Z', 3, 5],
        ['2026-01-05T11:00:00.000Z', 0, 5],
      ],
      ['2026-01-05T10:00:00.000Z', 3, 5],
    ],
    [
      "a day's backlog is its last interval's, a step in its last quiet hour included",
      emea(
        [{ start: '2026-01-05T09:00:00.000Z', contacts: 5, support: { reopens: 2 } }],
        [step('2026-01-05T09:00:00.000Z', 5), step('2026-01-05T23:00:00.000Z', 2)],
      ),
      { from: '2026-01-05T00:00:00Z', to: '2026-01-07T00:00:00Z', minutes: 60, per: 'day', tz: 'UTC' },
      [
        ['2026-01-05T00:00:00.000Z', 2, 2],
        ['2026-01-06T00:00:00.000Z', 0, 2],
      ],
      ['2026-01-05T00:00:00.000Z', 2, 2],
    ],
    [
      "a week's backlog is at its Sunday's end in the time zone; the total's at the period's end",
      emea(
        [
          { start: '2026-01-11T12:00:00.000Z', contacts: 1, support: { reopens: 1 } },
          { start: '2026-01-12T12:00:00.000Z', contacts: 1, support: { reopens: 1 } },
        ],
        [
          step('2026-01-11T12:00:00.000Z', 3),
          // Sunday 23:30 in Berlin is Sunday 22:30 UTC: still the first week.
          step('2026-01-11T22:30:00.000Z', 2),
          step('2026-01-12T12:00:00.000Z', 4),
        ],
      ),
      {
        from: '2026-01-04T23:00:00Z',
        to: '2026-01-13T23:00:00Z',
        minutes: 30,
        per: 'week',
        tz: 'Europe/Berlin',
      },
      [
        ['2026-01-04T23:00:00.000Z', 1, 2],
        ['2026-01-11T23:00:00.000Z', 1, 4],
      ],
      ['2026-01-04T23:00:00.000Z', 2, 4],
    ],
    [
      'an interval with contacts recorded before reopens leaves its row and the total without reopens; the backlog stays known',
      emea(
        [
          { start: '2026-01-05T10:00:00.000Z', contacts: 2 },
          { start: '2026-01-05T11:00:00.000Z', contacts: 1, support: { reopens: 1 } },
        ],
        [step('2026-01-05T11:00:00.000Z', 1)],
      ),
      { from: '2026-01-05T10:00:00Z', to: '2026-01-05T12:00:00Z', minutes: 15, per: 'hour', tz: 'UTC' },
      [
        ['2026-01-05T10:00:00.000Z', undefined, 0],
        ['2026-01-05T11:00:00.000Z', 1, 1],
      ],
      ['2026-01-05T10:00:00.000Z', undefined, 1],
    ],
    [
      'a history recorded before the backlog (no steps) has neither reopens nor backlog: not known, not zero',
      emea([{ start: '2026-01-05T10:00:00.000Z', contacts: 2 }], undefined),
      { ...hour, per: 'hour' },
      [['2026-01-05T10:00:00.000Z', undefined, undefined]],
      ['2026-01-05T10:00:00.000Z', undefined, undefined],
    ],
    [
      'a Talk queue has neither',
      talk([{ start: '2026-01-05T10:00:00.000Z', contacts: 1, handled: 1, handleTimeSeconds: 60 }]),
      { ...hour, per: 'hour' },
      [['2026-01-05T10:00:00.000Z', undefined, undefined]],
      ['2026-01-05T10:00:00.000Z', undefined, undefined],
    ],
    [
      'an empty period: no rows, the total with no reopens and the backlog carried in',
      emea([], [step('2026-01-05T09:00:00.000Z', 3)]),
      { from: '2026-01-05T10:05:00Z', to: '2026-01-05T10:15:00Z', minutes: 15, per: 'interval', tz: 'UTC' },
      [],
      ['2026-01-05T10:05:00.000Z', 0, 3],
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
    expect(series.rows.map(figures)).toEqual(expected);
    expect(figures(series.total)).toEqual(total);
    // The steps are read, not passed on: the series' queue is its description.
    expect(series.queue).not.toHaveProperty('backlogSteps');
  });
});

describe('per-day periods add up to the whole', () => {
  /** A contact in every interval from a day before to a day after, so a lost interval shows. */
  const busy = (fromMs: number, toMs: number, minutes: number): HistoryQueue =>
    support(
      intervalStarts({ fromMs: fromMs - 86_400_000, toMs: toMs + 86_400_000, intervalMinutes: minutes }).map(
        (t) => ({ start: new Date(t).toISOString(), contacts: 1 }),
      ),
    );
  const rows: [
    rule: string,
    zone: string,
    minutes: number,
    firstDay: string,
    days: number[],
    whole: number,
  ][] = [
    [
      'an interval belongs to the day its start falls in (Asia/Kolkata, 60 min)',
      'Asia/Kolkata',
      60,
      '2026-01-05',
      [24, 24, 24],
      72,
    ],
    [
      'an interval belongs to the day its start falls in (Asia/Kathmandu, 30 min)',
      'Asia/Kathmandu',
      30,
      '2026-01-05',
      [48, 48, 48],
      144,
    ],
    [
      'an interval belongs to the day its start falls in (Asia/Kathmandu, 60 min)',
      'Asia/Kathmandu',
      60,
      '2026-01-05',
      [24, 24, 24],
      72,
    ],
    [
      'an interval belongs to the day its start falls in (America/St_Johns, 60 min)',
      'America/St_Johns',
      60,
      '2026-01-05',
      [24, 24, 24],
      72,
    ],
    [
      'an interval belongs to the day its start falls in (Australia/Lord_Howe at +10:30, 60 min)',
      'Australia/Lord_Howe',
      60,
      '2026-07-05',
      [24, 24, 24],
      72,
    ],
    [
      'an interval belongs to the day its start falls in (Australia/Lord_Howe, the 23.5-hour day it springs forward, 60 min)',
      'Australia/Lord_Howe',
      60,
      '2026-10-03',
      [24, 23, 24],
      71,
    ],
  ];
  it.each(rows)('%s', (_rule, zone, minutes, firstDay, days, whole) => {
    const starts = [0, 1, 2, 3].map((n) => instantOfLocal(addDays(firstDay, n), 0, zone));
    const queue = busy(starts[0]!, starts[3]!, minutes);
    const offered = (fromMs: number, toMs: number) =>
      queueSeries(queue, { fromMs, toMs, intervalMinutes: minutes, per: 'day', timeZone: zone }).total
        .offered;
    expect([0, 1, 2].map((n) => offered(starts[n]!, starts[n + 1]!))).toEqual(days);
    expect(offered(starts[0]!, starts[3]!)).toBe(whole);
  });
});

describe('intervalStarts', () => {
  const rows: [
    rule: string,
    from: string,
    to: string,
    minutes: number,
    count: number,
    first: string,
    last: string,
  ][] = [
    [
      'aligns to the interval: a --from inside an interval starts at the next one',
      '2026-01-05T10:05:00Z',
      '2026-01-05T10:45:00Z',
      15,
      2,
      '2026-01-05T10:15:00.000Z',
      '2026-01-05T10:30:00.000Z',
    ],
    [
      'an interval belongs to the period its start falls in: a --to inside an interval keeps it',
      '2026-01-05T10:00:00Z',
      '2026-01-05T10:50:00Z',
      15,
      4,
      '2026-01-05T10:00:00.000Z',
      '2026-01-05T10:45:00.000Z',
    ],
    [
      'every interval of a 23-hour day: 92 quarter-hours (Europe/Berlin, 2026-03-29)',
      '2026-03-28T23:00:00Z',
      '2026-03-29T22:00:00Z',
      15,
      92,
      '2026-03-28T23:00:00.000Z',
      '2026-03-29T21:45:00.000Z',
    ],
    [
      'a day in Asia/Kolkata with 60 min has 24 intervals, the last from 23:30 to 00:30',
      '2026-01-04T18:30:00Z',
      '2026-01-05T18:30:00Z',
      60,
      24,
      '2026-01-04T19:00:00.000Z',
      '2026-01-05T18:00:00.000Z',
    ],
  ];
  it.each(rows)('%s', (_rule, from, to, minutes, count, first, last) => {
    const starts = intervalStarts({ fromMs: ms(from), toMs: ms(to), intervalMinutes: minutes });
    expect([starts.length, starts[0], starts.at(-1)]).toEqual([count, ms(first), ms(last)]);
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
