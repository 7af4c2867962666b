import { Command } from 'commander';
import {
  accountFrom,
  addAccountOptions,
  addCredentialOptions,
  cliCredentialChecker,
  prepareIntegration,
  warnIfApiToken,
  type AccountOptions,
} from '../connection.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { failIfFailing, runOptions, setImportWindow } from '../import-run.js';
import { addDataDirOption, dataDirFrom, findIntegration } from '../install-options.js';
import { withLocalInstall } from '../local-install.js';
import { collectViewIds, WEBHOOK_SECRET_ENV } from '../options.js';
import {
  credentialsFrom,
  importWindow,
  parseGrouping,
  parseInterval,
  secretsOf,
  type CredentialOptions,
  type GroupingStrategy,
  type IntervalMinutes,
} from '../options.js';
import { Progress } from '../progress.js';
import { integrationDetails, integrationsTable } from '../render.js';

interface DataDirOptions {
  readonly dataDir?: string;
}

interface AddOptions extends AccountOptions, DataDirOptions {
  readonly webhookSigningSecret?: string;
  readonly name: string;
  readonly grouping: GroupingStrategy;
  readonly interval: IntervalMinutes;
  readonly since?: string;
  readonly includePersonalViews?: boolean;
}

const ADD_EXAMPLES = `
Examples:
  ZENDESK_OAUTH_CLIENT_SECRET=… zendesk-wfm integration add --data-dir ./wfm-data --name Acme \\
      --domain acme.zendesk.com --username admin@acme.com --oauth-client-id wfm --grouping ivr
  zendesk-wfm integration add --data-dir ./wfm-data --name Sandbox --base-url http://127.0.0.1:8080 \\
      --username admin@example.com --token … --grouping phone_number --interval 30 --since 2026-01-01

The credentials are checked against Zendesk first; nothing is saved when they are refused.
The grouping strategy and the interval cannot be changed later. Import with \`zendesk-wfm sync\`.`;

const example = (lines: string): string => `\nExamples:\n${lines}`;

export const integrationCommand = (ctx: CliContext): Command => {
  const integration = new Command('integration')
    .description('Manage the integrations of a local install (--data-dir).')
    .addHelpText(
      'after',
      example(`  zendesk-wfm integration list --data-dir ./wfm-data
  zendesk-wfm integration pause Acme --data-dir ./wfm-data`),
    );

  integration.addCommand(
    addAccountOptions(
      addDataDirOption(
        new Command('add')
          .description('Add an integration (credentials checked first) to the local install.')
          .requiredOption('--name <name>', 'a unique name for the integration')
          .requiredOption(
            '--grouping <strategy>',
            'Talk queues by "ivr" group or "phone_number" (fixed)',
            parseGrouping,
          ),
      ),
    )
      .option(
        '--interval <minutes>',
        'interval length: 15, 30 or 60 (fixed)',
        parseInterval,
        15 as IntervalMinutes,
      )
      .option('--since <iso>', 'start of the history to import (ISO-8601); default 365 days ago')
      .option(
        '--include-personal-views',
        'count personal views (restricted to one agent) as queues too; default off',
      )
      .option(
        '--webhook-signing-secret <secret>',
        `the signing secret of the Zendesk webhook that notifies \`zendesk-wfm serve\` (or ${WEBHOOK_SECRET_ENV})`,
      )
      .addHelpText('after', ADD_EXAMPLES)
      .action(async (options: AddOptions) => {
        const dataDir = dataDirFrom(ctx, options);
        const account = accountFrom(ctx, options);
        const signingSecret = options.webhookSigningSecret ?? ctx.io.env[WEBHOOK_SECRET_ENV];
        if (signingSecret !== undefined && signingSecret.trim().length < 8)
          throw new UsageError(
            '--webhook-signing-secret: at least 8 characters (copy it from the webhook in Zendesk)',
          );
        ctx.redactor.add(signingSecret);
        const window = importWindow({ since: options.since }, ctx.io.now());
        const { input, checkCredentials } = await prepareIntegration(ctx, account, {
          name: options.name,
          groupingStrategy: options.grouping,
          intervalMinutes: options.interval,
          ...(options.includePersonalViews === true ? { includePersonalViews: true } : {}),
          historyDays: window.historyDays,
        });
        await withLocalInstall({ dataDir, create: true, checkCredentials }, async (install) => {
          const created = (await install.service.create(input)).integration;
          const saved = await setImportWindow(
            install,
            created,
            options.since !== undefined ? { since: window.since } : {},
          );
          if (signingSecret !== undefined) await install.webhookSecrets.put(saved.id, signingSecret);
          ctx.out(
            `Added integration "${saved.name}" (${saved.domain}), importing from ${saved.importFrom}.\n` +
              `Import it with: zendesk-wfm sync --data-dir ${dataDir}\n`,
          );
        });
      }),
  );

  integration.addCommand(
    addDataDirOption(new Command('list').description('List the integrations of the local install.'))
      .option('--json', 'print the integrations as one JSON document')
      .addHelpText('after', example('  zendesk-wfm integration list --data-dir ./wfm-data'))
      .action(async (options: DataDirOptions & { json?: boolean }) => {
        const dataDir = dataDirFrom(ctx, options);
        await withLocalInstall({ dataDir }, async (install) => {
          const all = await install.service.list();
          ctx.out(options.json ? `${JSON.stringify(all, null, 2)}\n` : `${integrationsTable(all)}\n`);
        });
      }),
  );

  integration.addCommand(
    addDataDirOption(
      new Command('show').description('Show one integration: settings, status and why.').argument('<name>'),
    )
      .addHelpText('after', example('  zendesk-wfm integration show Acme --data-dir ./wfm-data'))
      .action(async (name: string, options: DataDirOptions) => {
        const dataDir = dataDirFrom(ctx, options);
        await withLocalInstall({ dataDir }, async (install) => {
          const found = await findIntegration(install, name);
          const { warnings } = await install.service.get(found.id);
          ctx.out(integrationDetails(found, warnings));
        });
      }),
  );

  integration.addCommand(
    addDataDirOption(new Command('pause').description('Stop importing an integration.').argument('<name>'))
      .addHelpText('after', example('  zendesk-wfm integration pause Acme --data-dir ./wfm-data'))
      .action(async (name: string, options: DataDirOptions) => {
        const dataDir = dataDirFrom(ctx, options);
        await withLocalInstall({ dataDir }, async (install) => {
          const paused = await install.service.pause((await findIntegration(install, name)).id);
          ctx.out(`Paused "${paused.name}"; \`integration resume\` imports what was missed.\n`);
        });
      }),
  );

  integration.addCommand(
    addDataDirOption(
      new Command('resume')
        .description('Resume a paused or failing integration and import what was missed.')
        .argument('<name>'),
    )
      .addHelpText('after', example('  zendesk-wfm integration resume Acme --data-dir ./wfm-data'))
      .action(async (name: string, options: DataDirOptions) => {
        const dataDir = dataDirFrom(ctx, options);
        const now = ctx.io.now();
        const progress = new Progress(ctx.progressOutput(), { since: now, until: now });
        await withLocalInstall({ dataDir, logger: progress.logger }, async (install) => {
          const resumed = await install.service.resume((await findIntegration(install, name)).id);
          // resume() queues an import run; the emulated queue lives only as long as this command.
          await install.pipeline.drain(runOptions(progress));
          progress.finish();
          await failIfFailing(install, resumed.id, dataDir);
          ctx.out(`Resumed "${resumed.name}" and imported what was missed.\n`);
        });
      }),
  );

  integration.addCommand(
    addDataDirOption(
      new Command('delete')
        .description('Delete an integration and its stored credentials; its queue history is kept.')
        .argument('<name>'),
    )
      .addHelpText('after', example('  zendesk-wfm integration delete Acme --data-dir ./wfm-data'))
      .action(async (name: string, options: DataDirOptions) => {
        const dataDir = dataDirFrom(ctx, options);
        await withLocalInstall({ dataDir }, async (install) => {
          const deleted = await install.service.delete((await findIntegration(install, name)).id);
          await install.webhookSecrets.delete(deleted.id);
          ctx.out(`Deleted "${deleted.name}"; its credentials are removed, its queue history is kept.\n`);
        });
      }),
  );

  integration.addCommand(
    addCredentialOptions(
      addDataDirOption(
        new Command('set-credentials')
          .description(
            'Replace the credentials (e.g. an API token by OAuth); they are checked first, history and settings are kept.',
          )
          .argument('<name>'),
      ),
    )
      .addHelpText(
        'after',
        example(`  ZENDESK_OAUTH_CLIENT_SECRET=… zendesk-wfm integration set-credentials Acme --data-dir ./wfm-data \\
      --oauth-client-id wfm`),
      )
      .action(async (name: string, options: DataDirOptions & CredentialOptions) => {
        const dataDir = dataDirFrom(ctx, options);
        const credentials = credentialsFrom(options, ctx.io.env);
        ctx.redactor.add(...secretsOf(credentials));
        warnIfApiToken(ctx, credentials);
        await withLocalInstall({ dataDir, checkCredentials: cliCredentialChecker(ctx) }, async (install) => {
          const found = await findIntegration(install, name);
          const { integration: saved } = await install.service.replaceCredentials(found.id, credentials);
          ctx.out(
            `Replaced the credentials of "${saved.name}" (${saved.credentialKind}); status ${saved.status}.\n`,
          );
        });
      }),
  );

  integration.addCommand(
    addDataDirOption(
      new Command('update')
        .description(
          "Change an integration's settings. The grouping strategy and the interval are fixed once saved.",
        )
        .argument('<name>'),
    )
      .option('--grouping <strategy>', '"ivr" or "phone_number" (refused unless unchanged)', parseGrouping)
      .option('--interval <minutes>', '15, 30 or 60 (refused unless unchanged)', parseInterval)
      .option(
        '--exclude-view <id>',
        'keep this view out of the queues (repeatable; it keeps its verdict and counts nothing)',
        collectViewIds('--exclude-view'),
      )
      .option(
        '--include-view <id>',
        'count this view again, or a personal view (repeatable; its history is replayed at the next import)',
        collectViewIds('--include-view'),
      )
      .addHelpText(
        'after',
        example(
          '  zendesk-wfm integration update Acme --data-dir ./wfm-data --grouping ivr\n  zendesk-wfm integration update Acme --data-dir ./wfm-data --exclude-view 360100001',
        ),
      )
      .action(
        async (
          name: string,
          options: DataDirOptions & {
            grouping?: GroupingStrategy;
            interval?: IntervalMinutes;
            excludeView?: number[];
            includeView?: number[];
          },
        ) => {
          const dataDir = dataDirFrom(ctx, options);
          const viewChoices = options.excludeView !== undefined || options.includeView !== undefined;
          if (options.grouping === undefined && options.interval === undefined && !viewChoices)
            throw new UsageError(
              'nothing to change: give --grouping, --interval, --exclude-view or --include-view',
            );
          await withLocalInstall({ dataDir }, async (install) => {
            const found = await findIntegration(install, name);
            if (viewChoices) {
              const chosen = await install.service.chooseViews(found.id, {
                ...(options.excludeView ? { exclude: options.excludeView } : {}),
                ...(options.includeView ? { include: options.includeView } : {}),
              });
              ctx.out(
                `"${chosen.name}": views excluded ${JSON.stringify(chosen.excludedViewIds ?? [])}, included ${JSON.stringify(chosen.includedViewIds ?? [])}; applied at the next import.\n`,
              );
              if (options.grouping === undefined && options.interval === undefined) return;
            }
            const saved = await install.service.update(found.id, {
              ...(options.grouping !== undefined ? { groupingStrategy: options.grouping } : {}),
              ...(options.interval !== undefined ? { intervalMinutes: options.interval } : {}),
            });
            ctx.out(
              `"${saved.name}" is unchanged: grouping ${saved.groupingStrategy}, ${saved.intervalMinutes}-minute intervals.\n`,
            );
          });
        },
      ),
  );
  return integration;
};
