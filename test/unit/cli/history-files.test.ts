import { describe, expect, it } from '@jest/globals';
import {
  erlangCsv,
  historyCsv,
  historyJson,
  injixoCsv,
  queuesFile,
  secondsCell,
} from '../../../cli/history-files.js';
import { queueSeries, type HistoryQueue, type Per } from '../../../shared/domain/queue-series.js';

const talk: HistoryQueue = {
  name: 'Calls Inbound For Sales',
  channel: 'call',
  source: 'talk',
  intervals: [
    { start: '2026-03-29T00:00:00.000Z', contacts: 3, handled: 3, handleTimeSeconds: 1000 },
    { start: '2026-03-29T01:00:00.000Z', contacts: 1, handled: 0, handleTimeSeconds: 0 },
  ],
};
/** A name with the characters RFC 4180 quotes: a quote, a comma, parentheses. */
const support: HistoryQueue = {
  name: 'Support "Tier 1", EMEA (email)',
  channel: 'email',
  source: 'support',
  viewId: 7,
  intervals: [{ start: '2026-03-29T00:00:00.000Z', contacts: 2, support: { reopens: 1 } }],
  // Four tickets waiting before the period; one more with the interval's contacts; two solved in
  // the quiet interval after it.
  backlogSteps: [
    { start: '2026-03-28T23:30:00.000Z', backlog: 4 },
    { start: '2026-03-29T00:00:00.000Z', backlog: 5 },
    { start: '2026-03-29T00:30:00.000Z', backlog: 3 },
  ],
};
/** The same queue as recorded before reopens and the backlog (queue-history schema 1 or 2). */
const supportBeforeBacklog: HistoryQueue = {
  name: 'Billing (chat)',
  channel: 'chat',
  source: 'support',
  viewId: 8,
  intervals: [{ start: '2026-03-29T00:00:00.000Z', contacts: 2 }],
};

const seriesOf = (queues: HistoryQueue[], per: Per = 'interval', timeZone = 'UTC') =>
  queues.map((q) =>
    queueSeries(q, {
      fromMs: Date.parse('2026-03-29T00:00:00Z'),
      toMs: Date.parse('2026-03-29T01:30:00Z'),
      intervalMinutes: 30,
      per,
      timeZone,
    }),
  );

const lines = (...l: string[]) => `${l.join('\r\n')}\r\n`;

describe('history files', () => {
  const rows: [rule: string, actual: () => string, expected: string][] = [
    [
      'csv: one row per queue and interval, UTC and local start, zeros for quiet intervals, a total row per queue; RFC 4180 quoting and CRLF',
      () => historyCsv(seriesOf([support, talk]), 'Europe/Berlin'),
      lines(
        'queue,channel,source,interval_start_utc,interval_start_local,offered,handled,handle_time_seconds,aht_seconds,reopens,backlog',
        '"Support ""Tier 1"", EMEA (email)",email,support,2026-03-29T00:00:00.000Z,2026-03-29T01:00:00+01:00,2,,,,1,5',
        '"Support ""Tier 1"", EMEA (email)",email,support,2026-03-29T00:30:00.000Z,2026-03-29T01:30:00+01:00,0,,,,0,3',
        '"Support ""Tier 1"", EMEA (email)",email,support,2026-03-29T01:00:00.000Z,2026-03-29T03:00:00+02:00,0,,,,0,3',
        '"Support ""Tier 1"", EMEA (email)",email,support,total,,2,,,,1,3',
        'Calls Inbound For Sales,call,talk,2026-03-29T00:00:00.000Z,2026-03-29T01:00:00+01:00,3,3,1000,333.33,,',
        'Calls Inbound For Sales,call,talk,2026-03-29T00:30:00.000Z,2026-03-29T01:30:00+01:00,0,0,0,,,',
        'Calls Inbound For Sales,call,talk,2026-03-29T01:00:00.000Z,2026-03-29T03:00:00+02:00,1,0,0,,,',
        'Calls Inbound For Sales,call,talk,total,,4,3,1000,333.33,,',
      ),
    ],
    [
      'csv --per hour: sums in the time zone; AHT of the sum is handle time over handled',
      () => historyCsv(seriesOf([talk], 'hour', 'Europe/Berlin'), 'Europe/Berlin'),
      lines(
        'queue,channel,source,interval_start_utc,interval_start_local,offered,handled,handle_time_seconds,aht_seconds,reopens,backlog',
        'Calls Inbound For Sales,call,talk,2026-03-29T00:00:00.000Z,2026-03-29T01:00:00+01:00,3,3,1000,333.33,,',
        'Calls Inbound For Sales,call,talk,2026-03-29T01:00:00.000Z,2026-03-29T03:00:00+02:00,1,0,0,,,',
        'Calls Inbound For Sales,call,talk,total,,4,3,1000,333.33,,',
      ),
    ],
    [
      "csv --per hour of a Support queue: reopens summed, the backlog at the hour's last interval's end (a quiet interval carries it on); the total's at the period's end",
      () => historyCsv(seriesOf([support], 'hour', 'UTC'), 'UTC'),
      lines(
        'queue,channel,source,interval_start_utc,interval_start_local,offered,handled,handle_time_seconds,aht_seconds,reopens,backlog',
        '"Support ""Tier 1"", EMEA (email)",email,support,2026-03-29T00:00:00.000Z,2026-03-29T00:00:00+00:00,2,,,,1,3',
        '"Support ""Tier 1"", EMEA (email)",email,support,2026-03-29T01:00:00.000Z,2026-03-29T01:00:00+00:00,0,,,,0,3',
        '"Support ""Tier 1"", EMEA (email)",email,support,total,,2,,,,1,3',
      ),
    ],
    [
      'csv of a Support history recorded before reopens and the backlog: those cells empty (not known), never 0',
      () => historyCsv(seriesOf([supportBeforeBacklog], 'hour', 'UTC'), 'UTC'),
      lines(
        'queue,channel,source,interval_start_utc,interval_start_local,offered,handled,handle_time_seconds,aht_seconds,reopens,backlog',
        'Billing (chat),chat,support,2026-03-29T00:00:00.000Z,2026-03-29T00:00:00+00:00,2,,,,,',
        'Billing (chat),chat,support,2026-03-29T01:00:00.000Z,2026-03-29T01:00:00+00:00,0,,,,,',
        'Billing (chat),chat,support,total,,2,,,,,',
      ),
    ],
    [
      "injixo: queue, wall-clock timestamp in the zone, offered, handled, whole-second AHT (0 when none handled), injixo's channel names; Support's unknown handled/AHT empty; no total row",
      () => injixoCsv(seriesOf([support, talk]), 'UTC'),
      lines(
        'queue,timestamp,offered,handled,aht,channel',
        '"Support ""Tier 1"", EMEA (email)",2026-03-29 00:00:00,2,,,emails',
        '"Support ""Tier 1"", EMEA (email)",2026-03-29 00:30:00,0,,,emails',
        '"Support ""Tier 1"", EMEA (email)",2026-03-29 01:00:00,0,,,emails',
        'Calls Inbound For Sales,2026-03-29 00:00:00,3,3,333,calls',
        'Calls Inbound For Sales,2026-03-29 00:30:00,0,0,0,calls',
        'Calls Inbound For Sales,2026-03-29 01:00:00,1,0,0,calls',
      ),
    ],
    [
      'erlang: local start with offset, volume, AHT seconds (0 when none handled), interval minutes',
      () => erlangCsv(seriesOf([talk])[0]!, 'Europe/Berlin'),
      lines(
        'interval_start,volume,aht_seconds,interval_minutes',
        '2026-03-29T01:00:00+01:00,3,333.33,30',
        '2026-03-29T01:30:00+01:00,0,0,30',
        '2026-03-29T03:00:00+02:00,1,0,30',
      ),
    ],
    [
      'erlang --per day: the row covers the minutes of the period in that day',
      () => erlangCsv(seriesOf([talk], 'day', 'Europe/Berlin')[0]!, 'Europe/Berlin'),
      lines('interval_start,volume,aht_seconds,interval_minutes', '2026-03-29T01:00:00+01:00,4,333.33,90'),
    ],
    [
      'erlang of a Support queue: no handle time, so no AHT',
      () => erlangCsv(seriesOf([support])[0]!, 'UTC'),
      lines(
        'interval_start,volume,aht_seconds,interval_minutes',
        '2026-03-29T00:00:00+00:00,2,,30',
        '2026-03-29T00:30:00+00:00,0,,30',
        '2026-03-29T01:00:00+00:00,0,,30',
      ),
    ],
    [
      'a line break in a queue name is quoted, not a new record',
      () =>
        injixoCsv(
          seriesOf([{ ...support, name: 'Two\nlines' }]).map((s) => ({ ...s, rows: s.rows.slice(0, 1) })),
          'UTC',
        ),
      lines('queue,timestamp,offered,handled,aht,channel', '"Two\nlines",2026-03-29 00:00:00,2,,,emails'),
    ],
  ];
  it.each(rows)('%s', (_rule, actual, expected) => {
    expect(actual()).toBe(expected);
  });

  it('json: the csv rows as typed fields, every interval of the period and the total per queue; a field absent where the csv cell is empty', () => {
    const at = (utc: string, local: string) => ({ start: utc, startLocal: local, minutes: 30 });
    expect(JSON.parse(historyJson(seriesOf([support, talk]), 'Europe/Berlin'))).toEqual([
      {
        queue: { name: 'Support "Tier 1", EMEA (email)', channel: 'email', source: 'support', viewId: 7 },
        rows: [
          {
            ...at('2026-03-29T00:00:00.000Z', '2026-03-29T01:00:00+01:00'),
            offered: 2,
            reopens: 1,
            backlog: 5,
          },
          {
            ...at('2026-03-29T00:30:00.000Z', '2026-03-29T01:30:00+01:00'),
            offered: 0,
            reopens: 0,
            backlog: 3,
          },
          {
            ...at('2026-03-29T01:00:00.000Z', '2026-03-29T03:00:00+02:00'),
            offered: 0,
            reopens: 0,
            backlog: 3,
          },
        ],
        total: {
          ...at('2026-03-29T00:00:00.000Z', '2026-03-29T01:00:00+01:00'),
          minutes: 90,
          offered: 2,
          reopens: 1,
          backlog: 3,
        },
      },
      {
        queue: { name: 'Calls Inbound For Sales', channel: 'call', source: 'talk' },
        rows: [
          {
            ...at('2026-03-29T00:00:00.000Z', '2026-03-29T01:00:00+01:00'),
            offered: 3,
            handled: 3,
            handleTimeSeconds: 1000,
            ahtSeconds: 1000 / 3,
          },
          {
            ...at('2026-03-29T00:30:00.000Z', '2026-03-29T01:30:00+01:00'),
            offered: 0,
            handled: 0,
            handleTimeSeconds: 0,
          },
          {
            ...at('2026-03-29T01:00:00.000Z', '2026-03-29T03:00:00+02:00'),
            offered: 1,
            handled: 0,
            handleTimeSeconds: 0,
          },
        ],
        total: {
          ...at('2026-03-29T00:00:00.000Z', '2026-03-29T01:00:00+01:00'),
          minutes: 90,
          offered: 4,
          handled: 3,
          handleTimeSeconds: 1000,
          ahtSeconds: 1000 / 3,
        },
      },
    ]);
  });

  const cells: [rule: string, value: number, expected: string][] = [
    ['whole seconds stay whole', 300, '300'],
    ['two decimals at most', 1000 / 3, '333.33'],
    ['no trailing zeros', 12.5, '12.5'],
  ];
  it.each(cells)('seconds: %s', (_rule, value, expected) => {
    expect(secondsCell(value)).toBe(expected);
  });
});

describe('a file of many queues written queue by queue', () => {
  it.each(['csv', 'injixo', 'json'] as const)(
    '%s: the header at once, each queue as it is added, and the pieces join into the whole file',
    (format) => {
      const [first, second] = seriesOf([support, talk], 'interval', 'Europe/Berlin');
      const pieces: string[] = [];
      const file = queuesFile(format, 'Europe/Berlin', (text) => pieces.push(text));
      const whole = { csv: historyCsv, injixo: injixoCsv, json: historyJson }[format];
      // A CSV's header is written before any queue is read; a JSON list waits for its first one.
      expect(pieces).toEqual(format === 'json' ? [] : [whole([], 'Europe/Berlin')]);
      file.add(first!);
      const afterFirst = pieces.join('');
      // Only the first queue so far: the file holds its rows and nothing of the second's.
      expect(afterFirst).toContain('Support');
      expect(afterFirst).not.toContain('Calls Inbound For Sales');
      file.add(second!);
      file.end();
      expect(pieces.join('')).toBe(whole([first!, second!], 'Europe/Berlin'));
    },
  );

  it.each(['csv', 'injixo', 'json'] as const)('%s without a queue is the file of none', (format) => {
    const pieces: string[] = [];
    const file = queuesFile(format, 'UTC', (text) => pieces.push(text));
    file.end();
    expect(pieces.join('')).toBe(
      format === 'json'
        ? '[]\n'
        : format === 'csv'
          ? lines(
              'queue,channel,source,interval_start_utc,interval_start_local,offered,handled,handle_time_seconds,aht_seconds,reopens,backlog',
            )
          : lines('queue,timestamp,offered,handled,aht,channel'),
    );
  });
});
