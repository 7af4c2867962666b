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

/**
 * Records of a CSV file, each ending with CRLF: the pieces of one file join into the whole.
 * `escape_formulas`: a Support queue's name is a Zendesk view title any admin chooses, and a
 * spreadsheet runs a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return as a
 * formula, quoted or not (OWASP "CSV Injection"). csv-stringify prefixes such a text cell with `'`
 * (as OWASP advises; also their full-width forms, which Apple Numbers reads as the same), in every
 * format and the header alike, and leaves a number cell as it is.
 */
const csvRecords = (records: readonly (readonly Cell[])[]): string =>
  stringify([...records], { record_delimiter: 'windows', quoted_match: /[\r\n]/, escape_formulas: true });

const csv = (header: readonly string[], rows: readonly (readonly Cell[])[]): string =>
  csvRecords([header, ...rows]);

/**
 * A queue's name with its view id (a Talk queue's: its queue id) added, before a Support name's
 * channel: `Support Tickets #360100017 (email)`.
 */
const taggedName = (queue: QueueSeries['queue']): string => {
  const tag = queue.viewId ?? queue.id;
  if (tag === undefined) return queue.name;
  const channel = ` (${queue.channel})`;
  return queue.source === 'support' && queue.name.endsWith(channel)
    ? `${queue.name.slice(0, -channel.length)} #${tag}${channel}`
    : `${queue.name} #${tag}`;
};

/**
 * The names the queues of one csv or injixo file are written under, no two alike. Zendesk lets two
 * views share a title; their queues would then be one queue in a pivot table or in injixo, which
 * keys its queues by name. Names are compared ignoring case, as a pivot table groups them. The
 * first queue of a name keeps it: queues come listed by name, then view id, so that is the oldest
 * view, and an injixo queue mapped to the name before a newer view took the same title goes on
 * receiving the same view's contacts. Each later one gets its view id added, and a warning for
 * the caller to print.
 */
const uniqueNames = () => {
  const owners = new Map<string, { readonly name: string; readonly id?: string | undefined }>();
  const warnings: string[] = [];
  const claim = (name: string, queue: QueueSeries['queue']): string => {
    owners.set(name.toLowerCase(), { name, id: queue.id });
    return name;
  };
  const nameOf = (queue: QueueSeries['queue']): string => {
    const owner = owners.get(queue.name.toLowerCase());
    if (owner === undefined) return claim(queue.name, queue);
    const tagged = taggedName(queue);
    let name = tagged;
    // Only when a view is titled like another's tagged name (`Support Tickets #7`) or nothing tags it.
    for (let n = 2; owners.has(name.toLowerCase()); n += 1) name = `${tagged} ~${n}`;
    warnings.push(
      `${queue.id ?? 'a queue'} is written as "${name}": another queue of the file${owner.id === undefined ? '' : ` (${owner.id})`} is named "${owner.name}" (Zendesk lets views share a title; give them different titles to choose the names)`,
    );
    return claim(name, queue);
  };
  return { nameOf, warnings };
};

/** `value` with its decimal point moved `places` to the right, on the decimal digits it prints as. */
const shifted = (value: number, places: number): number => {
  const [digits, exponent = '0'] = String(value).split('e');
  return Number(`${digits}e${Number(exponent) + places}`);
};

/**
 * `value` rounded half away from zero to `places` decimals, as a reader of its decimal form would:
 * 1.005 is 1.01. `Math.round(value * 100) / 100` gives 1, because 1.005 × 100 is 100.49999999999999
 * in binary, and adding `Number.EPSILON` first is too little from 2 up (2.135 gives 2.13).
 * Shifting the printed digits instead is exact.
 */
export const roundedTo = (value: number, places: number): number =>
  Math.sign(value) * shifted(Math.round(shifted(Math.abs(value), places)), -places);

/** Seconds with at most two decimals (an AHT of 1000 s over 3 calls is 333.33), no trailing zeros. */
export const secondsCell = (value: number): number => roundedTo(value, 2);

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
  'queue_id',
  'view_id',
] as const;

/** A Support row's reopens and backlog; empty for Talk, and where the history did not record them. */
const supportCells = (row: SeriesRow): Cell[] => [row.reopens ?? '', row.backlog ?? ''];

/**
 * One row per queue and interval (or hour, day, week) of the period, then the queue's total row
 * (`total` in place of the start). Support queues have no handled count or handle time: those
 * cells are empty, as is an AHT when nothing was handled. Talk queues have no reopens or backlog.
 * A row's backlog is the tickets waiting at its end; the total's, at the period's end. Every row
 * ends with the queue's id and its view's (empty for Talk): a name can be another queue's.
 */
export const historyCsv = (series: readonly QueueSeries[], timeZone: string): string =>
  queuesFileContent('csv', series, timeZone).content;

/** One queue's rows of the `csv` file, its total last. */
const historyCsvRows = ({ queue, rows, total }: QueueSeries, name: string, timeZone: string): Cell[][] => {
  const described = [name, queue.channel, queue.source];
  // Added after the columns readers already know, so they find those where they were.
  const identified = [queue.id ?? '', queue.viewId ?? ''];
  return [
    ...rows.map((row) => [
      ...described,
      new Date(row.startMs).toISOString(),
      localIso(row.startMs, timeZone),
      row.offered,
      ...talkCells(row),
      ...supportCells(row),
      ...identified,
    ]),
    [...described, 'total', '', total.offered, ...talkCells(total), ...supportCells(total), ...identified],
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
  queuesFileContent('json', series, timeZone).content;

/** One queue of the `json` file. */
const historyJsonQueue = ({ queue, rows, total }: QueueSeries, timeZone: string) => ({
  queue: {
    ...(queue.id !== undefined ? { id: queue.id } : {}),
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
    readonly id?: string;
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
 * it as an interval. Its columns are fixed, so a queue's name is all that tells it apart: two
 * queues of one name are written under two (see `uniqueNames`).
 */
export const injixoCsv = (series: readonly QueueSeries[], timeZone: string): string =>
  queuesFileContent('injixo', series, timeZone).content;

const injixoRows = ({ queue, rows }: QueueSeries, name: string, timeZone: string): Cell[][] =>
  rows.map((row) => [
    name,
    localWallClock(row.startMs, timeZone),
    row.offered,
    row.handled ?? '',
    row.handled === undefined ? '' : roundedTo(row.ahtSeconds ?? 0, 0),
    INJIXO_CHANNELS[queue.channel] ?? queue.channel,
  ]);

/** The formats that hold any number of queues, one after another. */
export type QueuesFileFormat = 'csv' | 'json' | 'injixo';

/**
 * A file of many queues written queue by queue (`add` as each queue's rows are made, then `end`):
 * the pieces written are, joined, the file `historyCsv`, `historyJson` and `injixoCsv` return, so
 * a year of every queue's intervals is never held at once. The header is written at once. `end`
 * returns the warnings for the person running the export: in a csv or injixo file, each queue
 * written under another name because its own was taken (see `uniqueNames`). The json file keeps
 * the names, as it carries each queue's id.
 */
export const queuesFile = (
  format: QueuesFileFormat,
  timeZone: string,
  write: (text: string) => void,
): { readonly add: (series: QueueSeries) => void; readonly end: () => readonly string[] } => {
  if (format === 'json') {
    const list = streamedJsonList<ReturnType<typeof historyJsonQueue>>(write);
    return {
      add: (series) => list.add(historyJsonQueue(series, timeZone)),
      end: () => {
        list.end();
        return [];
      },
    };
  }
  const rowsOf = format === 'csv' ? historyCsvRows : injixoRows;
  const names = uniqueNames();
  write(csvRecords([format === 'csv' ? CSV_HEADER : INJIXO_HEADER]));
  return {
    add: (series) => {
      // A queue without a row is not in the file: its name takes none from another.
      if (format === 'injixo' && series.rows.length === 0) return;
      write(csvRecords(rowsOf(series, names.nameOf(series.queue), timeZone)));
    },
    end: () => [...names.warnings],
  };
};

/** A whole file of many queues, and the warnings `queuesFile`'s `end` gives for it. */
export const queuesFileContent = (
  format: QueuesFileFormat,
  series: readonly QueueSeries[],
  timeZone: string,
): { readonly content: string; readonly warnings: readonly string[] } => {
  const pieces: string[] = [];
  const file = queuesFile(format, timeZone, (text) => pieces.push(text));
  for (const s of series) file.add(s);
  const warnings = file.end();
  return { content: pieces.join(''), warnings };
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
