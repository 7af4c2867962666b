import { Command } from 'commander';
import type { CoverageReport } from '../../shared/pipeline/coverage.js';
import { readCoverage } from '../../shared/pipeline/readback.js';
import type { CliContext } from '../context.js';
import { CommandFailedError, type ExitCode } from '../errors.js';
import { healthLine, healthOf, newContacts, type IntegrationHealth } from '../health.js';
import { readCompleteUpTo } from '../report.js';
import { runOptions, warnAboutParkedMessages } from '../import-run.js';
import { addDataDirOption, addExportPaceOptions, dataDirFrom } from '../install-options.js';
import { withLocalInstall } from '../local-install.js';
import { formatDuration, paceFrom, Progress } from '../progress.js';
import { count, table } from '../render.js';

const EXAMPLES = `
Examples:
  zendesk-wfm sync --data-dir ./wfm-data
  ZENDESK_WFM_DATA_DIR=./wfm-data zendesk-wfm sync     # e.g. every 5 minutes from cron

Each run continues from where the last one stopped: nothing is counted twice.`;

/** `zendesk-wfm sync`: one scheduled run of every active integration, until the pipeline is idle. */
export const syncCommand = (ctx: CliContext): Command =>
  addExportPaceOptions(
    addDataDirOption(
      new Command('sync').description('Bring every active integration of the local install up to date.'),
    ),
  )
    .addHelpText('after', EXAMPLES)
    .action(
      async (options: { dataDir?: string; exportRequestsPerMinute?: number; exportPageSize?: number }) => {
        const dataDir = dataDirFrom(ctx, options);
        const started = Date.now();
        const now = ctx.io.now();
        const progress = new Progress(
          ctx.progressOutput(),
          {
            since: new Date(now.getTime() - 86_400_000),
            until: now,
          },
          Date.now,
          paceFrom(options),
        );
        await withLocalInstall(
          {
            dataDir,
            // Under serve, its pipeline runs the sync at serve's pace (a pace given is said not applied).
            ...ctx.installContext(),
            logger: progress.logger,
            ...(options.exportRequestsPerMinute !== undefined
              ? { exportRequestsPerMinute: options.exportRequestsPerMinute }
              : {}),
            ...(options.exportPageSize !== undefined ? { exportPageSize: options.exportPageSize } : {}),
          },
          async (install) => {
            const { deps } = install.pipeline;
            const before = await install.service.list();
            const active = before.filter((i) => i.status === 'active');
            if (active.length > 0)
              progress.measureAgainst({
                since: new Date(Math.min(...active.map((i) => Date.parse(i.importFrom)))),
                until: now,
              });
            const coverageBefore = new Map<string, CoverageReport>();
            for (const i of before) coverageBefore.set(i.id, await readCoverage(deps, i.id));
            const run = await install.pipeline.sync(runOptions(progress));
            progress.finish();
            warnAboutParkedMessages(ctx, run);
            const after = await install.service.list();
            const rows: string[][] = [];
            const lines: string[] = [];
            const failing: IntegrationHealth[] = [];
            for (const i of after) {
              const was = coverageBefore.get(i.id);
              const current = await readCoverage(deps, i.id);
              rows.push([
                i.name,
                i.status,
                `+${count(current.updatesSeen - (was?.updatesSeen ?? 0))}`,
                `+${count(current.interactionsCounted - (was?.interactionsCounted ?? 0))}`,
                `+${count(current.callsCounted - (was?.callsCounted ?? 0))}`,
                `+${count(current.quarantined - (was?.quarantined ?? 0))}`,
              ]);
              const health = healthOf({
                integration: i,
                newContacts: newContacts(was, current),
                completeUpTo: await readCompleteUpTo(install.pipeline, i.id),
                now: ctx.io.now(),
                dataDir,
              });
              if (health.failure) failing.push(health);
              lines.push(healthLine(health, ctx.io.now()));
            }
            ctx.out(
              after.length === 0
                ? 'No integrations to sync; add one with `zendesk-wfm integration add`.\n'
                : `${table(['integration', 'status', 'updates', 'interactions', 'calls', 'quarantined'], rows, ['left', 'left', 'right', 'right', 'right', 'right'])}\n` +
                    lines.map((l) => `${l}\n`).join('') +
                    `Synced in ${formatDuration(Date.now() - started)}.\n`,
            );
            if (failing.length > 0)
              throw new CommandFailedError(
                failing
                  .map(
                    (h) =>
                      `"${h.name}" is failing: ${h.failure!.words} (${h.failure!.reason}); to fix: ${h.failure!.fix}`,
                  )
                  .join('; '),
                // Zendesk's refusal wins: the person must act on the account, not wait.
                Math.max(...failing.map((h) => h.failure!.exitCode)) as ExitCode,
              );
          },
        );
      },
    );
