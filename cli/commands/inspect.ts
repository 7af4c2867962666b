import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { addDataDirOption, dataDirFrom, findIntegration } from '../install-options.js';
import { withLocalInstall } from '../local-install.js';
import { queueSeries, type Per, type QueueSeries } from '../../shared/domain/queue-series.js';
import type { Integration } from '../../shared/store/integrations-repository.js';
import { FORMATS, erlangCsv, queuesFile, queuesFileContent, type HistoryFormat } from '../history-files.js';
import { parsePer, parsePeriod, parseTimeZone } from '../options.js';
import { streamedJsonList } from '../streamed-json.js';
import { readQueueNames } from '../../shared/pipeline/readback.js';
import {
  eachReportedQueue,
  eachShownQueue,
  intervalFloor,
  queueDocument,
  queuesInWindow,
  readCompleteUpTo,
  reportedQueues,
  reportedViews,
  viewsWithQueues,
  type ReportedQueue,
} from '../report.js';
import {
  freshnessLine,
  historyText,
  integrationHeading,
  lastRunLine,
  seriesTable,
  viewsTable,
} from '../render.js';

/** `views` and `history`: what an integration of the local install has published so far. */
export const viewsCommand = (ctx: CliContext): Command =>
  addDataDirOption(
    new Command('views')
      .description("List an integration's Zendesk views with their verdicts and reasons.")
      .argument('<name>'),
  )
    .option('--json', 'print the views as one JSON document')
    .addHelpText(
      'after',
      '\nExamples:\n  zendesk-wfm views Acme --data-dir ./wfm-data\n  zendesk-wfm views Acme --data-dir ./wfm-data --json',
    )
    .action(async (name: string, options: { dataDir?: string; json?: boolean }) => {
      const dataDir = dataDirFrom(ctx, options);
      await withLocalInstall({ dataDir, ...ctx.installContext() }, async (install) => {
        const integration = await findIntegration(install, name);
        const report = await viewsWithQueues(install.pipeline, integration);
        ctx.out(
          options.json
            ? `${JSON.stringify(reportedViews(report), null, 2)}\n`
            : `${integrationHeading(integration)}\n${viewsTable(report)}\n`,
        );
      });
    });

interface HistoryOptions {
  readonly dataDir?: string;
  readonly queue?: string;
  readonly from?: string;
  readonly to?: string;
  readonly json?: boolean;
  readonly withFreshness?: boolean;
  readonly format: HistoryFormat;
  readonly tz?: string;
  readonly per?: Exclude<Per, 'interval'>;
}

const parseFormat = (raw: string): HistoryFormat => {
  const format = FORMATS.find((f) => f === raw.trim());
  if (format === undefined)
    throw new UsageError(`--format must be table, csv, json, injixo or erlang; got "${raw}"`);
  return format;
};

/**
 * The queue `--queue` names: its full name (case-insensitive), or its id (the csv file's
 * `queue_id`, `history --json`'s `id`), which tells apart two queues of one name (Zendesk lets two
 * views share a title). Read by its name; an id keeps only its own queue.
 */
interface QueueChoice {
  readonly asked: string;
  readonly name: string;
  readonly id?: string;
}

const queueChoice = async (
  deps: Parameters<typeof readQueueNames>[0],
  integration: Integration,
  asked: string | undefined,
): Promise<QueueChoice | undefined> => {
  if (asked === undefined) return undefined;
  const wanted = asked.trim().toLowerCase();
  const byId = [...(await readQueueNames(deps, integration.id))].find(([id]) => id.toLowerCase() === wanted);
  return byId === undefined ? { asked, name: asked.trim() } : { asked, name: byId[1], id: byId[0] };
};

const isChosen = (q: { readonly name: string; readonly id?: string }, choice: QueueChoice): boolean =>
  q.name.toLowerCase() === choice.name.toLowerCase() && (choice.id === undefined || q.id === choice.id);

/** The queues `--queue` names (`queueChoice`), or all of them. */
const selectQueues = <Q extends { readonly name: string; readonly id?: string }>(
  all: readonly Q[],
  choice: QueueChoice | undefined,
  integration: Integration,
): Q[] => {
  if (choice === undefined) return [...all];
  const chosen = all.filter((q) => isChosen(q, choice));
  if (chosen.length === 0)
    throw new UsageError(
      `--queue: "${choice.asked}" is not a source queue of "${integration.name}" (see \`zendesk-wfm history ${integration.name}\` for the queue names)`,
    );
  return chosen;
};

/** How `--queue` names a queue to choose: by its name, with its id where another queue has that name. */
const queueLabels = (queues: readonly { readonly name: string; readonly id?: string }[]): string[] =>
  queues.map((q) =>
    q.id !== undefined && queues.filter((o) => o.name.toLowerCase() === q.name.toLowerCase()).length > 1
      ? `"${q.id}" (${q.name})`
      : `"${q.name}"`,
  );

/**
 * `history --json --with-freshness`: the queues exactly as `history --json` lists them, inside one
 * document with how current they are (the fields `queues --json` gives them). Plain `--json` stays
 * the bare list it has always been, so a consumer that reads it keeps working.
 */
export const historyDocument = (
  integration: Pick<Integration, 'name' | 'lastCompletedRun'>,
  completeUpTo: Date | null,
  queues: readonly ReturnType<typeof queueDocument>[],
) => ({
  integration: integration.name,
  completeUpTo: completeUpTo?.toISOString() ?? null,
  lastCompletedRun: integration.lastCompletedRun ?? null,
  queues,
});

/** What `--format`, `--per` and `--json` allow together, checked before the install is opened. */
const checkCombination = (options: HistoryOptions): void => {
  if (options.withFreshness && !options.json)
    throw new UsageError(
      '--with-freshness shapes the --json document: give it with --json (the table prints the freshness already)',
    );
  if (options.json && (options.format !== 'table' || options.per !== undefined))
    throw new UsageError(
      `--json prints the stored intervals as they are: give it without ${options.format !== 'table' ? `--format ${options.format}` : '--per'}`,
    );
  if (options.format === 'injixo' && (options.per === 'day' || options.per === 'week'))
    throw new UsageError(
      `--per ${options.per}: injixo imports intervals of 15, 30 or 60 minutes; use --per hour or none with --format injixo`,
    );
};

export const historyCommand = (ctx: CliContext): Command =>
  addDataDirOption(
    new Command('history')
      .description(
        "Show an integration's queue history, one row per interval; or write it as CSV for a spreadsheet, injixo or an Erlang-C tool.",
      )
      .argument('<name>'),
  )
    .option(
      '--queue <queue>',
      "only this source queue: its full name (case-insensitive), or its id (the csv file's queue_id) where two share a name",
    )
    .option(
      '--from <iso>',
      'only intervals starting at or after this (ISO-8601; a date is midnight in --tz, the first instant of that day); for --per and the files, default the start of the history',
    )
    .option(
      '--to <iso>',
      'only intervals starting before this (ISO-8601; a date is midnight in --tz, the first instant of that day); for --per and the files, default and at most how far the history is complete',
    )
    .option('--json', 'print the queues and their intervals as one JSON document (a list of queues)')
    .option(
      '--with-freshness',
      'with --json: one object with completeUpTo, lastCompletedRun and the queues, instead of the bare list',
    )
    .option(
      '--format <format>',
      'table, csv (one row per queue and interval, with totals), json (the csv rows as one JSON document), injixo (its CSV integration) or erlang (one queue, for Erlang-C tools); the files have every interval of the period, quiet ones as zeros',
      parseFormat,
      'table',
    )
    .option('--tz <zone>', 'IANA time zone for local times, days and weeks (default UTC)', parseTimeZone)
    .option(
      '--per <unit>',
      'sum to hour, day or week (from Monday) in --tz, each queue with a total row',
      parsePer,
    )
    .addHelpText(
      'after',
      `
Examples:
  zendesk-wfm history Acme --data-dir ./wfm-data --from 2026-01-05 --to 2026-01-06
  zendesk-wfm history Acme --data-dir ./wfm-data --queue "Calls Inbound For Senior Agents" --json
  zendesk-wfm history Acme --data-dir ./wfm-data --json --with-freshness
  zendesk-wfm history Acme --data-dir ./wfm-data --per day --tz Europe/Berlin
  zendesk-wfm history Acme --data-dir ./wfm-data --format csv --tz Europe/Berlin > history.csv
  zendesk-wfm history Acme --data-dir ./wfm-data --format json --per hour > history.json
  zendesk-wfm history Acme --data-dir ./wfm-data --format injixo --from 2026-01-01 --to 2026-02-01 > injixo.csv
  zendesk-wfm history Acme --data-dir ./wfm-data --format erlang --queue "Calls Inbound For Senior Agents" > erlang.csv`,
    )
    .action(async (name: string, options: HistoryOptions) => {
      const dataDir = dataDirFrom(ctx, options);
      checkCombination(options);
      const timeZone = options.tz ?? 'UTC';
      const { from, to } = parsePeriod(options, timeZone);
      await withLocalInstall({ dataDir, ...ctx.installContext() }, async (install) => {
        const integration = await findIntegration(install, name);
        const completeUpTo = await readCompleteUpTo(install.pipeline, integration.id);
        const choice = await queueChoice(install.pipeline.deps, integration, options.queue);
        if (options.format === 'table' && options.per === undefined) {
          const window = { ...(from ? { from } : {}), ...(to ? { to } : {}) };
          if (options.json && options.queue === undefined) {
            // Every queue's intervals: written queue by queue as each is read, never held at once.
            const { queues: _written, ...fields } = historyDocument(integration, completeUpTo, []);
            const list = streamedJsonList<ReturnType<typeof queueDocument>>(
              (text) => ctx.out(text),
              options.withFreshness ? { fields, key: 'queues' } : undefined,
            );
            await eachShownQueue(install.pipeline, integration, window, (q) => list.add(queueDocument(q)));
            list.end();
            return;
          }
          // Every queue with a history, to check --queue against; then those the period shows.
          const withHistory = await reportedQueues(install.pipeline, integration, window, choice?.name);
          selectQueues(withHistory, choice, integration);
          const shown = queuesInWindow(withHistory, window);
          const queues = choice === undefined ? shown : shown.filter((q) => isChosen(q, choice));
          // `--json` alone stays the list of queues it has always been (a contract); the freshness
          // comes with it in one document when asked for (`--with-freshness`).
          const listed = queues.map(queueDocument);
          ctx.out(
            options.json
              ? `${JSON.stringify(options.withFreshness ? historyDocument(integration, completeUpTo, listed) : listed, null, 2)}\n`
              : historyText(integration, completeUpTo, queues),
          );
          return;
        }
        // Every queue with a history, the quiet ones included: a file has every interval of its period.
        const period = historyPeriod(integration, { from, to }, completeUpTo, ctx.io.now());
        const cut = periodCutWarning(period);
        if (cut !== undefined) ctx.warn(cut);
        const seriesOf = (q: ReportedQueue) =>
          queueSeries(q, {
            fromMs: period.from.getTime(),
            toMs: period.to.getTime(),
            intervalMinutes: integration.intervalMinutes,
            per: options.per ?? 'interval',
            timeZone,
          });
        const format = options.format;
        if (options.queue === undefined && (format === 'csv' || format === 'json' || format === 'injixo')) {
          // Every queue's rows, written as each queue is read: a year of a large account's
          // intervals (every one a row, the quiet ones too) is never held at once.
          const file = queuesFile(format, timeZone, (text) => ctx.out(text));
          await eachReportedQueue(install.pipeline, integration, period, undefined, (q) =>
            file.add(seriesOf(q)),
          );
          for (const warning of file.end()) ctx.warn(warning);
          return;
        }
        // Each queue becomes its rows as it is read: its stored intervals are not held beside them.
        const series: QueueSeries[] = [];
        await eachReportedQueue(install.pipeline, integration, period, choice?.name, (q) => {
          if (choice === undefined || isChosen(q, choice)) series.push(seriesOf(q));
        });
        const queues = selectQueues(
          series.map((s) => s.queue),
          choice,
          integration,
        );
        if (format === 'csv' || format === 'json' || format === 'injixo') {
          const { content, warnings } = queuesFileContent(format, series, timeZone);
          for (const warning of warnings) ctx.warn(warning);
          return ctx.out(content);
        }
        if (options.format === 'erlang') {
          const [only] = series;
          if (only === undefined || series.length > 1)
            throw new UsageError(
              `--format erlang writes one queue (Erlang-C staffs one queue at a time): choose it with --queue, one of ${queueLabels(queues).join(', ') || '(none yet)'}`,
            );
          return ctx.out(erlangCsv(only, timeZone));
        }
        ctx.out(
          [
            integrationHeading(integration),
            `Period: ${period.from.toISOString()} → ${period.to.toISOString()}`,
            freshnessLine(completeUpTo),
            lastRunLine(integration),
            seriesTable(series, options.per ?? 'interval', timeZone),
            '',
          ].join('\n'),
        );
      });
    });

/**
 * Where a history's intervals stop holding everything that happened in them: the start of the
 * interval `Complete up to` falls in (that interval holds only part of its contacts yet), or of
 * the one now falls in before anything is imported. An import of a past period counts nothing from
 * its end (`importUntil`) on, and a run that completed read the ticket events past that end: it is
 * complete to its end once a run has completed, however far the page that reached it took the
 * export's position (which would otherwise add never-imported intervals after the end).
 */
export const historyEnd = (
  integration: Pick<Integration, 'importUntil' | 'lastCompletedRun' | 'intervalMinutes'>,
  completeUpTo: Date | null,
  now: Date,
): { readonly completeUpTo: Date; readonly end: Date } => {
  const until = integration.importUntil === undefined ? undefined : new Date(integration.importUntil);
  const known = completeUpTo ?? now;
  const complete =
    until !== undefined && (integration.lastCompletedRun !== undefined || until.getTime() < known.getTime())
      ? until
      : known;
  return { completeUpTo: complete, end: intervalFloor(complete, integration.intervalMinutes) };
};

export interface HistoryPeriod {
  readonly from: Date;
  readonly to: Date;
  /**
   * When the `to` asked for is later than the history is complete: how far it is (`historyEnd`).
   * The period then ends at the last interval complete (or at its start, when none of it is).
   */
  readonly cut?: { readonly asked: Date; readonly completeUpTo: Date };
}

/**
 * The period `--per` and the files cover: `--from` / `--to` when given; otherwise from the start of
 * the history (the integration's import start) to how far it is complete. Never past that end: an
 * interval not imported written as 0 reads as a quiet interval, and a forecaster takes it for a
 * real trough (a WFM tool reads a missing interval as "no data").
 */
export const historyPeriod = (
  integration: Pick<Integration, 'importFrom' | 'importUntil' | 'lastCompletedRun' | 'intervalMinutes'>,
  given: { from?: Date | undefined; to?: Date | undefined },
  completeUpTo: Date | null,
  now: Date,
): HistoryPeriod => {
  const from = given.from ?? new Date(integration.importFrom);
  const known = historyEnd(integration, completeUpTo, now);
  if (given.to !== undefined && given.to.getTime() <= known.end.getTime()) return { from, to: given.to };
  // An empty period rather than one that ends before it starts.
  const to = new Date(Math.max(from.getTime(), known.end.getTime()));
  return {
    from,
    to,
    ...(given.to !== undefined ? { cut: { asked: given.to, completeUpTo: known.completeUpTo } } : {}),
  };
};

/** The one line that says a period was ended before the `--to` asked for, naming the end used. */
export const periodCutWarning = (period: HistoryPeriod): string | undefined =>
  period.cut === undefined
    ? undefined
    : `--to ${period.cut.asked.toISOString()} is later than the history is complete (${period.cut.completeUpTo.toISOString()}): the period ends at ${period.to.toISOString()}${period.to.getTime() <= period.from.getTime() ? ', its start: none of it is written' : ''}; the intervals after it are not written: they are not imported, and a zero would read as a quiet interval`;
