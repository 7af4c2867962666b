/**
 * The files `history --format` writes: a queue history as CSV for a spreadsheet, for injixo's CSV
 * integration, and for Erlang-C staffing tools. Plain data in, file content out; every file is
 * RFC 4180 (comma separated, CRLF line ends, a field with a comma, quote or line break quoted with
 * its quotes doubled), written by csv-stringify.
 */
import { stringify } from 'csv-stringify/sync';
import type { QueueSeries, SeriesRow } from '../shared/domain/queue-series.js';
import { localIso, localWallClock } from '../shared/domain/time-zones.js';
import { streamedJsonList } from './streamed-json.js';

export const FORMATS = ['table', 'csv', 'json', 'injixo', 'erlang'] as const;
export type HistoryFormat = (typeof FORMATS)[number];

type Cell = string | number;

/** Records of a CSV file, each ending with CRLF: the pieces of one file join into the whole. */
const csvRecords = (records: readonly (readonly Cell[])[]): string =>
  stringify([...records], { record_delimiter: 'windows', quoted_match: /[\r\n]/ });

const csv = (header: readonly string[], rows: readonly (readonly Cell[])[]): string =>
  csvRecords([header, ...rows]);

/** Seconds with at most two decimals (an AHT of 1000 s over 3 calls is 333.33), no trailing zeros. */
export const secondsCell = (value: number): string => String(Math.round(value * 100) / 100);

const talkCells = (row: SeriesRow): Cell[] =>
  row.handled === undefined
    ? ['', '', '']
    : [
        row.handled,
        secondsCell(row.handleTimeSeconds ?? 0),
        row.ahtSeconds === undefined ? '' : secondsCell(row.ahtSeconds),
      ];

export const CSV_HEADER = [
  'queue',
  'channel',
  'source',
  'interval_start_utc',
  'interval_start_local',
  'offered',
  'handled',
  'handle_time_seconds',
  'aht_seconds',
  'reopens',
  'backlog',
] as const;

/** A Support row's reopens and backlog; empty for Talk, and where the history did not record them. */
const supportCells = (row: SeriesRow): Cell[] => [row.reopens ?? '', row.backlog ?? ''];

/**
 * One row per queue and interval (or hour, day, week) of the period, then the queue's total row
 * (`total` in place of the start). Support queues have no handled count or handle time: those
 * cells are empty, as is an AHT when nothing was handled. Talk queues have no reopens or backlog.
 * A row's backlog is the tickets waiting at its end; the total's, at the period's end.
 */
export const historyCsv = (series: readonly QueueSeries[], timeZone: string): string =>
  whole('csv', series, timeZone);

/** One queue's rows of the `csv` file, its total last. */
const historyCsvRows = ({ queue, rows, total }: QueueSeries, timeZone: string): Cell[][] => {
  const described = [queue.name, queue.channel, queue.source];
  return [
    ...rows.map((row) => [
      ...described,
      new Date(row.startMs).toISOString(),
      localIso(row.startMs, timeZone),
      row.offered,
      ...talkCells(row),
      ...supportCells(row),
    ]),
    [...described, 'total', '', total.offered, ...talkCells(total), ...supportCells(total)],
  ];
};

/** A row of the `json` file: the CSV's cells as typed fields, absent where the CSV's are empty. */
const jsonRow = (row: SeriesRow, timeZone: string) => ({
  start: new Date(row.startMs).toISOString(),
  startLocal: localIso(row.startMs, timeZone),
  minutes: row.minutes,
  offered: row.offered,
  ...(row.handled !== undefined
    ? { handled: row.handled, handleTimeSeconds: row.handleTimeSeconds ?? 0 }
    : {}),
  ...(row.ahtSeconds !== undefined ? { ahtSeconds: row.ahtSeconds } : {}),
  ...(row.reopens !== undefined ? { reopens: row.reopens } : {}),
  ...(row.backlog !== undefined ? { backlog: row.backlog } : {}),
});

/**
 * The CSV's rows as one JSON document, for a program (and the console's charts): per queue, every
 * interval (or hour, day, week) of the period with the same figures, quiet ones included, and the
 * total. Unlike `--json` (the stored intervals with contacts, as they are), a row exists for every
 * interval, and a Support row carries the backlog at its end.
 */
export const historyJson = (series: readonly QueueSeries[], timeZone: string): string =>
  whole('json', series, timeZone);

/** One queue of the `json` file. */
const historyJsonQueue = ({ queue, rows, total }: QueueSeries, timeZone: string) => ({
  queue: {
    name: queue.name,
    channel: queue.channel,
    source: queue.source,
    ...(queue.viewId !== undefined ? { viewId: queue.viewId } : {}),
  },
  rows: rows.map((row) => jsonRow(row, timeZone)),
  total: jsonRow(total, timeZone),
});

/** The `json` file's document, as a reader (the console) takes it. */
export type HistoryJson = ReadonlyArray<{
  readonly queue: {
    readonly name: string;
    readonly channel: string;
    readonly source: 'support' | 'talk';
    readonly viewId?: number;
  };
  readonly rows: readonly ReturnType<typeof jsonRow>[];
  readonly total: ReturnType<typeof jsonRow>;
}>;

/**
 * injixo's names for channels (its CSV integration accepts calls, emails, chats, documents, cases,
 * social_media), from the WFM channels of SPEC §3: one to one, `documents` unused.
 */
export const INJIXO_CHANNELS: Readonly<Record<string, string>> = {
  call: 'calls',
  email: 'emails',
  chat: 'chats',
  social_media: 'social_media',
  case: 'cases',
};

export const INJIXO_HEADER = ['queue', 'timestamp', 'offered', 'handled', 'aht', 'channel'] as const;

/**
 * injixo's CSV integration, contact data by interval: the columns of its SQL mapping (queue,
 * timestamp as `YYYY-MM-DD hh:mm:ss` in the integration's time zone, offered, handled, aht in
 * seconds, channel). AHT is whole seconds (its column mapping reads seconds as whole numbers) and 0
 * when nothing was handled (injixo wants AHT ≥ 0). A Support queue has no handled count or handle
 * time: those cells are empty, which injixo imports as "no data". No total row: injixo would read
 * it as an interval.
 */
export const injixoCsv = (series: readonly QueueSeries[], timeZone: string): string =>
  whole('injixo', series, timeZone);

const injixoRows = ({ queue, rows }: QueueSeries, timeZone: string): Cell[][] =>
  rows.map((row) => [
    queue.name,
    localWallClock(row.startMs, timeZone),
    row.offered,
    row.handled ?? '',
    row.handled === undefined ? '' : Math.round(row.ahtSeconds ?? 0),
    INJIXO_CHANNELS[queue.channel] ?? queue.channel,
  ]);

/** The formats that hold any number of queues, one after another. */
export type QueuesFileFormat = 'csv' | 'json' | 'injixo';

/**
 * A file of many queues written queue by queue (`add` as each queue's rows are made, then `end`):
 * the pieces written are, joined, the file `historyCsv`, `historyJson` and `injixoCsv` return, so
 * a year of every queue's intervals is never held at once. The header is written at once.
 */
export const queuesFile = (
  format: QueuesFileFormat,
  timeZone: string,
  write: (text: string) => void,
): { readonly add: (series: QueueSeries) => void; readonly end: () => void } => {
  if (format === 'json') {
    const list = streamedJsonList<ReturnType<typeof historyJsonQueue>>(write);
    return { add: (series) => list.add(historyJsonQueue(series, timeZone)), end: () => list.end() };
  }
  const rowsOf = format === 'csv' ? historyCsvRows : injixoRows;
  write(csvRecords([format === 'csv' ? CSV_HEADER : INJIXO_HEADER]));
  return {
    add: (series) => {
      const rows = rowsOf(series, timeZone);
      if (rows.length > 0) write(csvRecords(rows));
    },
    end: () => undefined,
  };
};

const whole = (format: QueuesFileFormat, series: readonly QueueSeries[], timeZone: string): string => {
  const pieces: string[] = [];
  const file = queuesFile(format, timeZone, (text) => pieces.push(text));
  for (const s of series) file.add(s);
  file.end();
  return pieces.join('');
};

export const ERLANG_HEADER = ['interval_start', 'volume', 'aht_seconds', 'interval_minutes'] as const;

/**
 * One queue's workload for an Erlang-C tool (pyworkforce's ErlangC takes transactions, aht and
 * interval per row): interval start in the time zone with its offset, volume offered, AHT in
 * seconds (0 when nothing was handled; empty for a Support queue, which has no handle time) and the
 * row's minutes (a day with a daylight-saving change has 1380 or 1500). No total row.
 */
export const erlangCsv = (series: QueueSeries, timeZone: string): string =>
  csv(
    ERLANG_HEADER,
    series.rows.map((row) => [
      localIso(row.startMs, timeZone),
      row.offered,
      row.handled === undefined ? '' : secondsCell(row.ahtSeconds ?? 0),
      row.minutes,
    ]),
  );
