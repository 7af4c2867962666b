import { Command } from 'commander';
import { accountFrom, addAccountOptions, prepareIntegration, type AccountOptions } from '../connection.js';
import type { CliContext } from '../context.js';
import { failIfFailing, importOne, warnAboutParkedMessages } from '../import-run.js';
import { UsageError } from '../errors.js';
import { fixCommand, shellWord } from '../health.js';
import { findIntegration } from '../install-options.js';
import { withLocalInstall } from '../local-install.js';
import { DuplicateIntegrationNameError } from '../../shared/store/integrations-repository.js';
import {
  importWindow,
  parseGrouping,
  parseInterval,
  parseServiceLevel,
  parseWarmUpDays,
  type GroupingStrategy,
  type IntervalMinutes,
} from '../options.js';
import { paceFrom, Progress } from '../progress.js';
import {
  eachShownQueue,
  importDocumentHead,
  integrationSummary,
  intervalFloor,
  queueDocument,
} from '../report.js';
import { streamedJsonList } from '../streamed-json.js';
import { importSummary } from '../render.js';

interface ImportOptions extends AccountOptions {
  readonly grouping: GroupingStrategy;
  readonly interval: IntervalMinutes;
  readonly serviceLevel?: number;
  readonly since?: string;
  readonly until?: string;
  readonly name?: string;
  readonly dataDir?: string;
  readonly json?: boolean;
  readonly warmUpDays?: number;
  readonly includePersonalViews?: boolean;
}

const EXAMPLES = `
Examples:
  # a real account, the API token from the environment (kept out of shell history)
  ZENDESK_API_TOKEN=… zendesk-wfm import --domain example.zendesk.com --username admin@example.com --grouping ivr

  # OAuth client credentials, the last 30 days, one JSON document on stdout
  ZENDESK_OAUTH_CLIENT_SECRET=… zendesk-wfm import --domain example.zendesk.com --username admin@example.com \\
      --oauth-client-id wfm --grouping phone_number --since 2026-01-01 --json > import.json

  # the bundled sandbox (npm run sandbox prints its URL and credentials), kept in ./wfm-data
  zendesk-wfm import --base-url http://127.0.0.1:8080 --username admin@example.com --token … \\
      --grouping ivr --since 2026-02-01T00:00:00Z --until 2026-02-08T00:00:00Z --data-dir ./wfm-data

Without --data-dir everything lives in memory and is gone when the command ends.
--until ends the import there: nothing from then on is counted, and the report and the files end
at the last whole interval before it.`;

export const importCommand = (ctx: CliContext): Command =>
  addAccountOptions(
    new Command('import')
      .description(
        'Import a Zendesk account once through the local pipeline and print its views, source queues and coverage.',
      )
      .requiredOption('--grouping <strategy>', 'Talk queues by "ivr" group or "phone_number"', parseGrouping),
  )
    .option('--since <iso>', 'start of the import (ISO-8601); default 365 days ago')
    .option('--until <iso>', 'end of the import (ISO-8601, exclusive); default now')
    .option('--interval <minutes>', 'interval length: 15, 30 or 60', parseInterval, 15 as IntervalMinutes)
    .option(
      '--service-level <seconds>',
      "Talk's service-level threshold: calls answered within it are in service level; default 20",
      parseServiceLevel,
    )
    .option(
      '--warm-up-days <days>',
      'days of ticket events read before --since to rebuild ticket state (older tickets cost one audits request each); default 7',
      parseWarmUpDays,
    )
    .option(
      '--include-personal-views',
      'count personal views (restricted to one agent) as queues too; default off',
    )
    .option('--name <name>', 'name of the integration; default the domain')
    .option('--data-dir <dir>', 'keep the integration, its history and credentials here (default: in memory)')
    .option('--json', 'print exactly one JSON document on stdout (progress stays on stderr)')
    .addHelpText('after', EXAMPLES)
    .action(async (options: ImportOptions) => {
      const started = Date.now();
      const account = accountFrom(ctx, options);
      const now = ctx.io.now();
      const window = importWindow({ since: options.since, until: options.until }, now);
      const { input, checkCredentials } = await prepareIntegration(ctx, account, {
        name: options.name ?? account.domain,
        groupingStrategy: options.grouping,
        intervalMinutes: options.interval,
        ...(options.serviceLevel !== undefined ? { serviceLevelSeconds: options.serviceLevel } : {}),
        historyDays: window.historyDays,
        ...(options.includePersonalViews === true ? { includePersonalViews: true } : {}),
        ...(options.since !== undefined ? { importFrom: window.since } : {}),
        ...(window.untilGiven ? { importUntil: window.until } : {}),
      });
      const progress = new Progress(ctx.progressOutput(), window, Date.now, paceFrom(options));
      await withLocalInstall(
        {
          ...ctx.installContext(),
          ...(options.dataDir !== undefined ? { dataDir: options.dataDir, create: true } : {}),
          ...(options.exportRequestsPerMinute !== undefined
            ? { exportRequestsPerMinute: options.exportRequestsPerMinute }
            : {}),
          ...(options.warmUpDays !== undefined ? { ticketStateWarmUpDays: options.warmUpDays } : {}),
          logger: progress.logger,
          checkCredentials,
        },
        async (install) => {
          const { integration, checkPending } = await install.service
            .create(input)
            .catch(async (error: unknown) => {
              // The same import run again into its folder, after it was stopped: say what finishes it.
              if (error instanceof DuplicateIntegrationNameError && options.dataDir !== undefined) {
                const sync = `\`zendesk-wfm sync --data-dir ${shellWord(options.dataDir)}\``;
                const existing = await findIntegration(install, error.integrationName);
                // sync imports active integrations only: a paused or failing one needs its fix first.
                const finishedBy =
                  existing.status === 'paused'
                    ? `\`zendesk-wfm integration resume ${shellWord(existing.name)} --data-dir ${shellWord(options.dataDir)}\`, then ${sync}`
                    : existing.status === 'failing'
                      ? `${fixCommand(existing, options.dataDir)}, then ${sync}`
                      : sync;
                throw new UsageError(
                  `--name: an integration named "${error.integrationName}" already exists in ${options.dataDir}${existing.status === 'active' ? '' : ` (${existing.status})`}; an import of it that stopped is finished by ${finishedBy} (see \`zendesk-wfm integration list\`)`,
                  'name',
                );
              }
              throw error;
            });
          if (checkPending !== undefined) ctx.warn(checkPending);
          const run = await importOne(install, integration.id, progress);
          progress.finish();
          warnAboutParkedMessages(ctx, run);
          const imported = await failIfFailing(install, integration.id, options.dataDir);
          // An interval --until falls inside holds only part of what happened in it: left out, as
          // `history` and `report` leave it.
          const shown = window.untilGiven
            ? { to: intervalFloor(window.until, imported.intervalMinutes) }
            : {};
          // Both read the queues one by one: the summary folds each to its totals; the document
          // names them in its views first, then writes each queue's intervals as it reads them.
          const summary = await integrationSummary(install.pipeline, imported, shown);
          if (options.json) {
            const list = streamedJsonList<ReturnType<typeof queueDocument>>((text) => ctx.out(text), {
              fields: importDocumentHead(summary),
              key: 'queues',
            });
            await eachShownQueue(install.pipeline, imported, shown, (q) => list.add(queueDocument(q)));
            list.end();
            return;
          }
          ctx.out(
            importSummary(summary, {
              elapsedMs: Date.now() - started,
              progress: progress.counts(),
              window: { since: new Date(imported.importFrom), until: window.until },
            }),
          );
        },
      );
    });
