/** The human-readable output of the commands: aligned plain-text tables, no colour codes. */
import { asaSeconds, serviceLevelPercent } from '../shared/domain/counters.js';
import type { Per, QueueSeries, SeriesRow } from '../shared/domain/queue-series.js';
import { serviceLevelSecondsOf } from '../shared/domain/talk.js';
import { webhookTicketReadsOf } from '../shared/webhook/ticket-reads.js';
import { localIso, localTime, mondayOf } from '../shared/domain/time-zones.js';
import type { PublishedInterval, PublishedQueue } from '../shared/pipeline/readback.js';
import type { Integration } from '../shared/store/integrations-repository.js';
import type { QuarantinedRecord } from '../shared/store/quarantine-repository.js';
import { describePosition } from '../shared/zendesk/positions.js';
import { formatDuration, type ProgressCounts } from './progress.js';
import {
  viewQueues,
  type IntegrationReport,
  type IntegrationSummary,
  type QueueWithTotals,
  type ViewsWithQueues,
} from './report.js';

export type Align = 'left' | 'right';

export const table = (
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly Align[] = [],
): string => {
  // A fold, not Math.max(...cells): a year of intervals is more arguments than a call can take.
  const widths = header.map((h, c) => rows.reduce((w, r) => Math.max(w, (r[c] ?? '').length), h.length));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (align[c] === 'right' ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].map((l) => `  ${l}`).join('\n');
};

export const count = (n: number): string => n.toLocaleString('en-US');

/** Seconds as `5m 12s` (handle times are read by people who think in minutes). */
export const seconds = (value: number): string => {
  const s = Math.round(value);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60
    ? `${m}m ${String(s % 60).padStart(2, '0')}s`
    : `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
};

const byCount = (record: Readonly<Record<string, number>>): string =>
  Object.entries(record)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([k, v]) => `${k} ${count(v)}`)
    .join(', ');

export const viewsTable = (report: ViewsWithQueues): string => {
  const live = report.views.filter((v) => !v.deleted);
  const supported = live.filter((v) => v.supported).length;
  const personal = live.filter((v) => v.verdict === 'personal').length;
  const rows = live.map((v) => {
    const { queues, noQueuesBecause } = viewQueues(report, v);
    return [
      String(v.id),
      v.title,
      v.active ? 'active' : 'inactive',
      v.excluded ? `${v.verdict}, excluded` : v.verdict,
      queues.length > 0 ? queues.join(', ') : `none (${noQueuesBecause ?? ''})`,
      v.reasons.join('; '),
    ];
  });
  return [
    `Views: ${live.length} (${supported} supported, ${live.length - supported - personal} unsupported${personal > 0 ? `, ${personal} personal` : ''})`,
    rows.length > 0
      ? table(['id', 'title', 'state', 'verdict', 'queues', 'reasons'], rows, ['right'])
      : '  (none yet)',
  ].join('\n');
};

/**
 * The summary's queues (`import`, `demo`): each with its totals over the imported period and, for
 * Support, its reopens and the backlog at the period's end (the tickets a team carries on).
 */
export const queuesTable = (queues: readonly QueueWithTotals[]): string =>
  queueTotalsTable(
    queues,
    { header: 'source', align: 'left', cell: (q) => q.source },
    '  (none)',
    supportColumns(queues),
  );

/**
 * Reopens and backlog at the end, for a table of Support queues' totals; none when no queue has
 * them (Talk only, or a history recorded before them).
 */
const supportColumns = (queues: readonly QueueWithTotals[]): ExtraColumns<QueueWithTotals> => {
  if (!queues.some((q) => q.support?.backlogAtEnd !== undefined)) return { headers: [], cells: () => [] };
  return {
    headers: ['reopens', 'backlog at end'],
    cells: (q) => {
      const t = q.support;
      return [
        t?.reopens !== undefined ? count(t.reopens) : '',
        t?.backlogAtEnd !== undefined ? count(t.backlogAtEnd) : '',
      ];
    },
  };
};

interface ExtraColumns<Q> {
  readonly headers: readonly string[];
  readonly cells: (q: Q) => string[];
}

const CREATION_SOURCE_LABELS: Readonly<Record<string, string>> = {
  ticket_events: 'from the ticket events',
  ticket_audits: "from the ticket's audits",
  ticket_record: 'from the ticket record',
};

/** How many creations were counted from each source, e.g. `1,180 (1,160 from the ticket events, 20 from the ticket record)`. */
const creationSources = (bySource: Readonly<Record<string, number>>): string => {
  const entries = Object.entries(bySource).filter(([, n]) => n !== 0);
  if (entries.length === 0) return 'none';
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  const parts = entries
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([source, n]) => `${count(n)} ${CREATION_SOURCE_LABELS[source] ?? `from ${source}`}`);
  return `${count(total)} (${parts.join(', ')})`;
};

export const coverageLines = (coverage: IntegrationReport['coverage']): string => {
  const unmapped = byCount(coverage.unmappedChannels);
  const skipped = byCount(coverage.skippedByReason);
  return [
    `Unmapped channels: ${unmapped || 'none'}`,
    `Coverage: ${count(coverage.updatesSeen)} ticket updates seen, ${count(coverage.interactionsCounted)} interactions counted` +
      (skipped ? `; skipped: ${skipped}` : ''),
    `Ticket creations: ${creationSources(coverage.creationsBySource)}`,
    `Calls: ${count(coverage.callsSeen)} seen, ${count(coverage.callsCounted)} inbound counted` +
      (Object.keys(coverage.callsSkipped).length > 0
        ? `; not counted: ${byCount(coverage.callsSkipped)}`
        : ''),
    `Quarantined: ${coverage.quarantined === 0 ? 'none' : `${count(coverage.quarantined)} records that did not fit (${byCount(coverage.quarantinedByStream)}), listed by \`zendesk-wfm quarantined\``}`,
  ].join('\n');
};

/** The `quarantined --json` document: one entry per record, the fields listed one by one. */
export const quarantineDocument = (records: readonly QuarantinedRecord[]) =>
  records.map((r) => ({
    stream: r.stream,
    endpoint: r.endpoint,
    recordId: r.recordId,
    ...(r.recordId === null ? { fingerprint: r.fingerprint } : {}),
    field: r.field,
    problem: r.problem,
    position: r.position,
    quarantinedAt: r.quarantinedAt,
  }));

export const quarantineTable = (records: readonly QuarantinedRecord[]): string =>
  records.length === 0
    ? '  (no quarantined records: every record the exports delivered fitted)'
    : table(
        ['stream', 'record', 'field', 'problem', 'page read from', 'quarantined at'],
        records.map((r) => [
          r.stream,
          r.recordId === null ? `(no id; ${r.fingerprint.slice(0, 12)})` : String(r.recordId),
          r.field,
          r.problem,
          r.position === null ? 'the views list' : describePosition(r.position),
          r.quarantinedAt,
        ]),
      );

export const integrationHeading = (i: Integration): string =>
  `Integration "${i.name}" (${i.domain}): grouping ${i.groupingStrategy}, ${i.intervalMinutes}-minute intervals, status ${i.status}${i.statusReason ? ` (${i.statusReason})` : ''}`;

export interface SummaryTiming {
  readonly elapsedMs: number;
  readonly progress: ProgressCounts;
  readonly window: { since: Date; until: Date };
}

/** The summary `import` and `demo` print. */
export const importSummary = (report: IntegrationSummary, timing: SummaryTiming): string =>
  [
    integrationHeading(report.integration),
    `Window: ${timing.window.since.toISOString()} → ${timing.window.until.toISOString()}`,
    '',
    viewsTable(report),
    '',
    queuesTable(report.queues),
    '',
    talkTable(report.queues, serviceLevelSecondsOf(report.integration)),
    '',
    coverageLines(report.coverage),
    '',
    `Took ${formatDuration(timing.elapsedMs)} (${count(timing.progress.pages)} pages, ${count(timing.progress.events)} ticket events${timing.progress.warmUpEvents > 0 ? ` (${count(timing.progress.warmUpEvents)} of them before the window, for ticket state only)` : ''}, ${count(timing.progress.calls)} call records, ${timing.progress.rateLimitWaits} rate-limit waits)`,
    '',
  ].join('\n');

export const integrationsTable = (integrations: readonly Integration[]): string =>
  integrations.length === 0
    ? '  (no integrations; add one with `zendesk-wfm integration add`)'
    : table(
        ['name', 'domain', 'status', 'grouping', 'interval', 'credentials', 'history from'],
        integrations.map((i) => [
          i.name,
          i.domain,
          i.status,
          i.groupingStrategy,
          `${i.intervalMinutes} min`,
          i.credentialKind,
          i.importFrom,
        ]),
      );

/** Where an install keeps the credentials, as `integration show` says it. */
export const LOCAL_CREDENTIALS_STORE = 'the local secret file';

export const integrationDetails = (
  i: Integration,
  warnings: readonly string[],
  freshness: { readonly completeUpTo: Date | null },
  credentialsStore: string = LOCAL_CREDENTIALS_STORE,
): string =>
  [
    `name              ${i.name}`,
    `id                ${i.id}`,
    `domain            ${i.domain}`,
    ...(i.baseUrl ? [`base URL          ${i.baseUrl}`] : []),
    `username          ${i.username}`,
    `credentials       ${i.credentialKind} (stored in ${credentialsStore})`,
    `grouping          ${i.groupingStrategy} (fixed)`,
    `interval          ${i.intervalMinutes} minutes (fixed)`,
    `service level     ${serviceLevelSecondsOf(i)} seconds (fixed)`,
    `webhook reads     ${webhookTicketReadsOf(i)} tickets a minute`,
    `time zone         ${timeZoneLine(i)}`,
    `history from      ${i.importFrom}`,
    `status            ${i.status}${i.statusReason ? ` (${i.statusReason})` : ''}`,
    `complete up to    ${freshness.completeUpTo ? freshness.completeUpTo.toISOString() : 'nothing imported yet'}`,
    `last run          ${i.lastCompletedRun ? `${i.lastCompletedRun.at} (run ${i.lastCompletedRun.runId})` : 'none completed yet'}`,
    `created           ${i.createdAt}`,
    `updated           ${i.updatedAt}`,
    ...warnings.map((w) => `warning: ${w}`),
    '',
  ].join('\n');

/** The zone the views' date conditions are evaluated in, and where it comes from. */
const timeZoneLine = (i: Integration): string =>
  i.timeZoneChosen === true
    ? `${i.timeZone ?? 'UTC'} (chosen)`
    : i.timeZoneUnknown !== undefined
      ? `${i.timeZone ?? 'UTC'} (the account's is not known: see the warning)`
      : i.timeZone !== undefined
        ? `${i.timeZone} (the Zendesk account's)`
        : "UTC (until the first run reads the account's)";

/** One row per interval of the chosen queues, oldest first. */
export const historyTable = (queues: readonly PublishedQueue[]): string => {
  const rows = queues
    .flatMap((q) =>
      q.intervals.map((i) => ({
        start: i.start,
        cells: [
          i.start,
          q.name,
          count(i.contacts),
          i.handled !== undefined ? count(i.handled) : '',
          i.handleTimeSeconds !== undefined ? seconds(i.handleTimeSeconds) : '',
          i.ahtSeconds !== undefined ? seconds(i.ahtSeconds) : '',
          ...supportCells(i),
          ...talkCells(i),
        ],
      })),
    )
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))
    .map((r) => r.cells);
  if (rows.length === 0) return '  (no intervals with contacts)';
  // Talk's columns only when some interval has its figures (not for Support alone, nor for a
  // history recorded before them).
  // Support's columns likewise.
  const talk = queues.some((q) => q.intervals.some((i) => i.talk !== undefined));
  const support = queues.some((q) => q.intervals.some((i) => i.support !== undefined));
  const base = ['interval start', 'queue', 'contacts', 'handled', 'handle time', 'AHT'];
  const shown = [
    ...base.map(() => true),
    ...SUPPORT_HEADERS.map(() => support),
    ...TALK_HEADERS.map(() => talk),
  ];
  const pick = <T>(cells: readonly T[]) => cells.filter((_, n) => shown[n]);
  return table(
    pick([...base, ...SUPPORT_HEADERS, ...TALK_HEADERS]),
    rows.map(pick),
    pick([
      'left' as const,
      'left' as const,
      ...[...base.slice(2), ...SUPPORT_HEADERS, ...TALK_HEADERS].map(() => 'right' as const),
    ]),
  );
};

const SUPPORT_HEADERS = ['reopens', 'backlog in', 'backlog out', 'backlog'];

/** A Support interval's figures; empty cells for Talk, and for an interval recorded before them. */
const supportCells = (i: PublishedInterval): string[] =>
  i.support === undefined
    ? SUPPORT_HEADERS.map(() => '')
    : [
        count(i.support.reopens),
        count(i.support.backlogEntered),
        count(i.support.backlogLeft),
        count(i.backlog ?? 0),
      ];

const TALK_HEADERS = [
  'abandoned queue',
  'abandoned IVR',
  'abandoned voicemail',
  'abandoned hold',
  'failed',
  'not answered',
  'unknown status',
  'callbacks',
  'SL %',
  'ASA',
];

/** A Talk interval's figures; empty cells for Support, and for an interval recorded before them. */
const talkCells = (i: PublishedInterval): string[] =>
  i.talk === undefined
    ? TALK_HEADERS.map(() => '')
    : [
        count(i.talk.abandonedInQueue),
        count(i.talk.abandonedInIvr),
        count(i.talk.abandonedInVoicemail),
        count(i.talk.abandonedOnHold),
        count(i.talk.failed),
        count(i.talk.notAnswered),
        count(i.talk.unknownStatus),
        count(i.talk.callbacks),
        i.serviceLevelPercent !== undefined ? `${i.serviceLevelPercent.toFixed(1)}%` : '',
        i.asaSeconds !== undefined ? seconds(i.asaSeconds) : '',
      ];

/**
 * The Talk queues' figures over the whole period (the demo's and import's summary): abandoned by
 * where, unknown statuses, callbacks, service level and speed of answer from the summed figures.
 */
export const talkTable = (queues: readonly QueueWithTotals[], serviceLevelSeconds: number): string => {
  const rows = queues
    .filter((q) => q.source === 'talk')
    .map((q) => {
      const t = q.talk;
      const sl = t && serviceLevelPercent(t);
      const asa = t && asaSeconds(t);
      return [
        q.name,
        count(q.totals.contacts),
        ...(t
          ? [
              count(t.abandonedInQueue),
              count(t.abandonedInIvr),
              count(t.abandonedInVoicemail),
              count(t.abandonedOnHold),
              count(t.failed),
              count(t.notAnswered),
              count(t.unknownStatus),
              count(t.callbacks),
            ]
          : ['', '', '', '', '', '', '', '']),
        sl !== undefined ? `${sl.toFixed(1)}%` : '',
        asa !== undefined ? seconds(asa) : '',
      ];
    });
  return [
    `Talk (service level: answered within ${serviceLevelSeconds} s)`,
    rows.length > 0
      ? table(['queue', 'calls', ...TALK_HEADERS], rows, [
          'left',
          'right',
          ...TALK_HEADERS.map(() => 'right' as const),
        ])
      : '  (no inbound calls in this period)',
  ].join('\n');
};

/** `queues`: every source queue with its view, channel and totals over the period. */
export const sourceQueuesTable = (queues: readonly QueueWithTotals[]): string =>
  queueTotalsTable(
    queues,
    {
      header: 'view',
      align: 'right',
      cell: (q) => (q.viewId !== undefined ? String(q.viewId) : `(${q.source})`),
    },
    '  (none with contacts in this period)',
  );

/** Each queue's totals over the period, one row a queue; the second column says where it comes from. */
const queueTotalsTable = <Q extends QueueWithTotals>(
  queues: readonly Q[],
  origin: { header: string; align: 'left' | 'right'; cell: (q: Q) => string },
  none: string,
  extra: ExtraColumns<Q> = { headers: [], cells: () => [] },
): string => {
  const rows = queues.map((q) => {
    const t = q.totals;
    return [
      q.name,
      origin.cell(q),
      q.channel,
      count(t.contacts),
      q.source === 'talk' ? count(t.handled) : '',
      t.ahtSeconds !== undefined ? seconds(t.ahtSeconds) : '',
      ...extra.cells(q),
    ];
  });
  const total = queues.reduce((sum, q) => sum + q.totals.contacts, 0);
  return [
    `Source queues: ${queues.length} (${count(total)} contacts; a contact counts in every view it is in)`,
    rows.length > 0
      ? table(['queue', origin.header, 'channel', 'contacts', 'handled', 'AHT', ...extra.headers], rows, [
          'left',
          origin.align,
          'left',
          'right',
          'right',
          'right',
          ...extra.headers.map(() => 'right' as const),
        ])
      : none,
  ].join('\n');
};

/** How far the history is complete, for a person. */
export const freshnessLine = (completeUpTo: Date | null): string =>
  `Complete up to: ${completeUpTo ? completeUpTo.toISOString() : 'nothing imported yet'}`;

/** The last run that read every stream to its end (`Integration.lastCompletedRun`). */
export const lastRunLine = (integration: Integration): string =>
  `Last completed run: ${integration.lastCompletedRun ? `${integration.lastCompletedRun.at} (run ${integration.lastCompletedRun.runId})` : 'none yet'}`;

/** `history` for a person: the integration, how far its history is complete, then the intervals. */
export const historyText = (
  integration: Integration,
  completeUpTo: Date | null,
  queues: readonly PublishedQueue[],
): string =>
  `${integrationHeading(integration)}\n${freshnessLine(completeUpTo)}\n${lastRunLine(integration)}\n${historyTable(queues)}\n`;

/**
 * `history --per`: each queue's hours, days or weeks of the period in the time zone (the quiet
 * ones as zeros), then its total. An hour or interval reads as its local start with the offset; a
 * day as its date; a week as the date of its Monday. Support queues add reopens and the backlog
 * at the row's end (the total's: at the period's end).
 */
export const seriesTable = (series: readonly QueueSeries[], per: Per, timeZone: string): string => {
  // A week reads as its Monday even when the period starts later in it.
  const label = (startMs: number): string =>
    per === 'week'
      ? mondayOf(localTime(startMs, timeZone).date)
      : per === 'day'
        ? localTime(startMs, timeZone).date
        : localIso(startMs, timeZone);
  // Support's columns only when a queue shown has them (not for Talk alone, nor for a history
  // recorded before them).
  const support = series.some((s) => s.total.backlog !== undefined);
  const cells = (row: SeriesRow): string[] => [
    count(row.offered),
    row.handled !== undefined ? count(row.handled) : '',
    row.handleTimeSeconds !== undefined ? seconds(row.handleTimeSeconds) : '',
    row.ahtSeconds !== undefined ? seconds(row.ahtSeconds) : '',
    ...(support
      ? [
          row.reopens !== undefined ? count(row.reopens) : '',
          row.backlog !== undefined ? count(row.backlog) : '',
        ]
      : []),
  ];
  const rows = series.flatMap(({ queue, rows: bucketed, total }) => [
    ...bucketed.map((row) => [label(row.startMs), queue.name, ...cells(row)]),
    ['total', queue.name, ...cells(total)],
  ]);
  if (rows.length === 0) return '  (no queues with a history)';
  const start = per === 'week' ? 'week from Monday' : per === 'day' ? 'day' : `${per} start`;
  const header = [
    `${start} (${timeZone})`,
    'queue',
    'contacts',
    'handled',
    'handle time',
    'AHT',
    ...(support ? ['reopens', 'backlog'] : []),
  ];
  return table(header, rows, ['left', 'left', ...header.slice(2).map(() => 'right' as const)]);
};
