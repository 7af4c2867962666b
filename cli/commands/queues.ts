import { Command } from 'commander';
import type { CoverageReport } from '../../shared/pipeline/coverage.js';
import { readCoverage } from '../../shared/pipeline/readback.js';
import type { CliContext } from '../context.js';
import { addDataDirOption, dataDirFrom, findIntegration } from '../install-options.js';
import { withLocalInstall } from '../local-install.js';
import { parsePeriod } from '../options.js';
import { readCompleteUpTo, reportedQueueTotals, type QueueWithTotals } from '../report.js';
import {
  coverageLines,
  freshnessLine,
  integrationHeading,
  lastRunLine,
  sourceQueuesTable,
} from '../render.js';
import type { Integration } from '../../shared/store/integrations-repository.js';

/**
 * `queues` and `coverage`: what the one-shot `import` shows, for an integration of a persistent
 * install: its source queues with their totals over a period, and its coverage, with how far its
 * history is complete.
 */
interface QueuesOptions {
  readonly dataDir?: string;
  readonly from?: string;
  readonly to?: string;
  readonly json?: boolean;
}

/** The `queues --json` document: a contract, so fields are listed one by one. */
export const queuesDocument = (
  name: string,
  period: { from: Date; to: Date },
  completeUpTo: Date | null,
  queues: readonly QueueWithTotals[],
  lastCompletedRun: Integration['lastCompletedRun'] = undefined,
) => ({
  integration: name,
  from: period.from.toISOString(),
  to: period.to.toISOString(),
  completeUpTo: completeUpTo?.toISOString() ?? null,
  lastCompletedRun: lastCompletedRun ?? null,
  queues: queues.map(({ totals: t, ...q }) => ({
    id: q.id,
    name: q.name,
    source: q.source,
    channel: q.channel,
    ...(q.viewId !== undefined ? { viewId: q.viewId } : {}),
    contacts: t.contacts,
    ...(q.source === 'talk'
      ? {
          handled: t.handled,
          handleTimeSeconds: t.handleTimeSeconds,
          ...(t.ahtSeconds !== undefined ? { ahtSeconds: t.ahtSeconds } : {}),
        }
      : {}),
  })),
});

/** The `coverage --json` document. */
export const coverageDocument = (
  name: string,
  completeUpTo: Date | null,
  c: CoverageReport,
  lastCompletedRun: Integration['lastCompletedRun'] = undefined,
) => ({
  integration: name,
  completeUpTo: completeUpTo?.toISOString() ?? null,
  lastCompletedRun: lastCompletedRun ?? null,
  updatesSeen: c.updatesSeen,
  interactionsCounted: c.interactionsCounted,
  interactionsByChannel: { ...c.interactionsByChannel },
  skippedByReason: { ...c.skippedByReason },
  unmappedChannels: { ...c.unmappedChannels },
  callsSeen: c.callsSeen,
  callsCounted: c.callsCounted,
  callsSkipped: { ...c.callsSkipped },
  quarantined: c.quarantined,
  quarantinedByStream: { ...c.quarantinedByStream },
});

export const queuesCommand = (ctx: CliContext): Command =>
  addDataDirOption(
    new Command('queues')
      .description("List an integration's source queues with their view, channel and totals over a period.")
      .argument('<name>'),
  )
    .option(
      '--from <iso>',
      'only intervals starting at or after this (ISO-8601); default the start of the history',
    )
    .option('--to <iso>', 'only intervals starting before this (ISO-8601); default now')
    .option('--json', 'print the queues and their totals as one JSON document')
    .addHelpText(
      'after',
      `
Examples:
  zendesk-wfm queues Acme --data-dir ./wfm-data
  zendesk-wfm queues Acme --data-dir ./wfm-data --from 2026-01-05 --to 2026-01-12 --json`,
    )
    .action(async (name: string, options: QueuesOptions) => {
      const dataDir = dataDirFrom(ctx, options);
      const { from, to } = parsePeriod(options);
      await withLocalInstall({ dataDir, ...ctx.installContext() }, async (install) => {
        const integration = await findIntegration(install, name);
        const period = { from: from ?? new Date(integration.importFrom), to: to ?? ctx.io.now() };
        const [queues, completeUpTo] = await Promise.all([
          reportedQueueTotals(install.pipeline, integration, period),
          readCompleteUpTo(install.pipeline, integration.id),
        ]);
        ctx.out(
          options.json
            ? `${JSON.stringify(queuesDocument(integration.name, period, completeUpTo, queues, integration.lastCompletedRun), null, 2)}\n`
            : [
                integrationHeading(integration),
                `Period: ${period.from.toISOString()} → ${period.to.toISOString()}`,
                freshnessLine(completeUpTo),
                lastRunLine(integration),
                '',
                sourceQueuesTable(queues),
                '',
              ].join('\n'),
        );
      });
    });

export const coverageCommand = (ctx: CliContext): Command =>
  addDataDirOption(
    new Command('coverage')
      .description(
        "Show what an integration's imports counted and why the rest was not: skipped updates by reason, unmapped channels, quarantined records.",
      )
      .argument('<name>'),
  )
    .option('--json', 'print the coverage as one JSON document')
    .addHelpText(
      'after',
      `
Examples:
  zendesk-wfm coverage Acme --data-dir ./wfm-data
  zendesk-wfm coverage Acme --data-dir ./wfm-data --json`,
    )
    .action(async (name: string, options: { dataDir?: string; json?: boolean }) => {
      const dataDir = dataDirFrom(ctx, options);
      await withLocalInstall({ dataDir, ...ctx.installContext() }, async (install) => {
        const integration = await findIntegration(install, name);
        // The counters alone: the queue histories say nothing coverage prints.
        const [coverage, completeUpTo] = await Promise.all([
          readCoverage(install.pipeline.deps, integration.id),
          readCompleteUpTo(install.pipeline, integration.id),
        ]);
        ctx.out(
          options.json
            ? `${JSON.stringify(coverageDocument(integration.name, completeUpTo, coverage, integration.lastCompletedRun), null, 2)}\n`
            : [
                integrationHeading(integration),
                freshnessLine(completeUpTo),
                lastRunLine(integration),
                '',
                coverageLines(coverage),
                '',
              ].join('\n'),
        );
      });
    });
