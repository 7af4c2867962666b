import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { queueSeries, type Per, type QueueSeries } from '../../shared/domain/queue-series.js';
import type { CliContext } from '../context.js';
import { CommandFailedError, UsageError } from '../errors.js';
import { addDataDirOption, dataDirFrom, findIntegration } from '../install-options.js';
import { withLocalInstall } from '../local-install.js';
import { parsePer, parsePeriod, parseTimeZone } from '../options.js';
import { readViewVerdicts } from '../../shared/pipeline/readback.js';
import { eachReportedQueue, readCompleteUpTo, reportedViews } from '../report.js';
import { reportHtml } from '../report-html.js';
import { historyPeriod } from './inspect.js';

interface ReportOptions {
  readonly dataDir?: string;
  readonly out?: string;
  readonly from?: string;
  readonly to?: string;
  readonly tz?: string;
  readonly per?: Exclude<Per, 'interval'>;
}

const HOUR_MS = 3_600_000;

/**
 * The chart's bars when `--per` is not given: hours for up to two days, days for up to three
 * months, weeks beyond, so a chart has between a few dozen and about a hundred bars.
 */
export const defaultPer = (period: { from: Date; to: Date }): Exclude<Per, 'interval'> => {
  const hours = (period.to.getTime() - period.from.getTime()) / HOUR_MS;
  return hours <= 48 ? 'hour' : hours <= 92 * 24 ? 'day' : 'week';
};

/** Written beside its place and renamed into it: a reader never finds half a report. */
const writeWhole = (path: string, content: string): void => {
  const partial = `${path}.partial`;
  try {
    writeFileSync(partial, content, 'utf8');
    renameSync(partial, path);
  } catch (error) {
    rmSync(partial, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    throw new CommandFailedError(`--out: cannot write ${path} (${code ?? (error as Error).message})`);
  }
};

export const reportCommand = (ctx: CliContext): Command =>
  addDataDirOption(
    new Command('report')
      .description(
        'Write one self-contained HTML page (no network needed) with the integration, its views, its queues and a chart of each over a period.',
      )
      .argument('<name>'),
  )
    .option('--out <file>', 'the HTML file to write (replaced if it exists)')
    .option(
      '--from <iso>',
      'start of the period (ISO-8601; a date is midnight in --tz); default the start of the history',
    )
    .option(
      '--to <iso>',
      'end of the period (ISO-8601; a date is midnight in --tz); default how far the history is complete',
    )
    .option('--tz <zone>', 'IANA time zone for the charts, days and weeks (default UTC)', parseTimeZone)
    .option(
      '--per <unit>',
      'bars per hour, day or week (default: hours up to 2 days, days up to 3 months, else weeks)',
      parsePer,
    )
    .addHelpText(
      'after',
      `
Examples:
  zendesk-wfm report Acme --data-dir ./wfm-data --out report.html
  zendesk-wfm report Acme --data-dir ./wfm-data --out january.html --from 2026-01-01 --to 2026-02-01 --tz Europe/Berlin --per day`,
    )
    .action(async (name: string, options: ReportOptions) => {
      const dataDir = dataDirFrom(ctx, options);
      if (options.out === undefined || options.out.trim() === '')
        throw new UsageError('--out is required: the HTML file to write, e.g. --out report.html');
      const out = resolve(options.out);
      const timeZone = options.tz ?? 'UTC';
      const given = parsePeriod(options, timeZone);
      await withLocalInstall({ dataDir, ...ctx.installContext() }, async (install) => {
        const integration = await findIntegration(install, name);
        const completeUpTo = await readCompleteUpTo(install.pipeline, integration.id);
        const period = historyPeriod(integration, given, completeUpTo, ctx.io.now());
        const per = options.per ?? defaultPer(period);
        // Only the period's intervals and the backlog carried into it: a year of a large account is
        // hundreds of thousands of intervals, and a chart of one month needs none of the others. Each
        // queue becomes its bars as it is read, its intervals not held beside them. Every queue with a
        // history is listed, a quiet one with empty bars, as the views table names them.
        const series: QueueSeries[] = [];
        const [views] = await Promise.all([
          readViewVerdicts(install.pipeline.deps, integration.id),
          eachReportedQueue(install.pipeline, integration, period, undefined, (q) => {
            series.push(
              queueSeries(q, {
                fromMs: period.from.getTime(),
                toMs: period.to.getTime(),
                intervalMinutes: integration.intervalMinutes,
                per,
                timeZone,
              }),
            );
          }),
        ]);
        const queues = series.map((s) => s.queue);
        const html = reportHtml({
          integration: {
            name: integration.name,
            domain: integration.domain,
            status: integration.status,
            ...(integration.statusReason ? { statusReason: integration.statusReason } : {}),
            groupingStrategy: integration.groupingStrategy,
            intervalMinutes: integration.intervalMinutes,
          },
          completeUpTo: completeUpTo?.toISOString() ?? null,
          lastCompletedRun: integration.lastCompletedRun ?? null,
          period: { from: period.from.toISOString(), to: period.to.toISOString() },
          timeZone,
          per,
          generatedAt: ctx.io.now().toISOString(),
          views: reportedViews({ views, queues }),
          queues: series,
        });
        writeWhole(out, html);
        ctx.out(
          `Wrote ${out}: ${queues.length} queues, ${period.from.toISOString()} → ${period.to.toISOString()} per ${per} in ${timeZone}\n`,
        );
      });
    });
