import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { addDataDirOption, dataDirFrom, findIntegration } from '../install-options.js';
import { withLocalInstall } from '../local-install.js';
import { parsePeriod } from '../options.js';
import { importDocument, integrationReport, readCompleteUpTo } from '../report.js';
import { freshnessLine, historyTable, integrationHeading, lastRunLine, viewsTable } from '../render.js';

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
      await withLocalInstall({ dataDir, env: ctx.io.env, lender: ctx.io.lender }, async (install) => {
        const integration = await findIntegration(install, name);
        const report = await integrationReport(install.pipeline, integration);
        ctx.out(
          options.json
            ? `${JSON.stringify(importDocument(report).views, null, 2)}\n`
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
}

export const historyCommand = (ctx: CliContext): Command =>
  addDataDirOption(
    new Command('history')
      .description("Show an integration's queue history, one row per interval.")
      .argument('<name>'),
  )
    .option('--queue <queue>', 'only this source queue (its full name, case-insensitive)')
    .option('--from <iso>', 'only intervals starting at or after this (ISO-8601)')
    .option('--to <iso>', 'only whole intervals ending by this (ISO-8601)')
    .option('--json', 'print the queues and their intervals as one JSON document')
    .addHelpText(
      'after',
      `
Examples:
  zendesk-wfm history Acme --data-dir ./wfm-data --from 2026-01-05 --to 2026-01-06
  zendesk-wfm history Acme --data-dir ./wfm-data --queue "Calls Inbound For Senior Agents" --json`,
    )
    .action(async (name: string, options: HistoryOptions) => {
      const dataDir = dataDirFrom(ctx, options);
      const { from, to } = parsePeriod(options);
      await withLocalInstall({ dataDir, env: ctx.io.env, lender: ctx.io.lender }, async (install) => {
        const integration = await findIntegration(install, name);
        const report = await integrationReport(install.pipeline, integration, {
          ...(from ? { from } : {}),
          ...(to ? { to } : {}),
        });
        let queues = report.queues;
        if (options.queue !== undefined) {
          const wanted = options.queue.trim().toLowerCase();
          const all = (await integrationReport(install.pipeline, integration)).queues;
          if (!all.some((q) => q.name.toLowerCase() === wanted))
            throw new UsageError(
              `--queue: "${options.queue}" is not a source queue of "${integration.name}" (see \`zendesk-wfm history ${integration.name}\` for the queue names)`,
            );
          queues = queues.filter((q) => q.name.toLowerCase() === wanted);
        }
        // `--json` stays the list of queues it has always been (a contract); the freshness is in
        // `queues --json`, `coverage --json` and `explain --json`.
        ctx.out(
          options.json
            ? `${JSON.stringify(importDocument({ ...report, queues }).queues, null, 2)}\n`
            : `${integrationHeading(integration)}\n${freshnessLine(await readCompleteUpTo(install.pipeline, integration.id))}\n${lastRunLine(integration)}\n${historyTable(queues)}\n`,
        );
      });
    });
