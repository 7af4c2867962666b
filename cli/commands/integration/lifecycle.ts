import { Command } from 'commander';
import { addCredentialOptions, cliCredentialChecker, warnIfApiToken } from '../../connection.js';
import type { CliContext } from '../../context.js';
import { failIfFailing, runOptions } from '../../import-run.js';
import { addDataDirOption, dataDirFrom, findIntegration } from '../../install-options.js';
import { withLocalInstall } from '../../local-install.js';
import { credentialsFrom, secretsOf, type CredentialOptions } from '../../options.js';
import { Progress } from '../../progress.js';
import { behindWarning, healthLine, healthOf, shellWord } from '../../health.js';
import { integrationDetails, integrationsTable } from '../../render.js';
import { readCompleteUpTo } from '../../report.js';
import { type DataDirOptions, example } from './shared.js';

/** `integration list|show|pause|resume|delete|set-credentials`: one function per subcommand. */
export const listCommand = (ctx: CliContext): Command =>
  addDataDirOption(new Command('list').description('List the integrations of the local install.'))
    .option('--json', 'print the integrations as one JSON document')
    .addHelpText('after', example('  zendesk-wfm integration list --data-dir ./wfm-data'))
    .action(async (options: DataDirOptions & { json?: boolean }) => {
      const dataDir = dataDirFrom(ctx, options);
      await withLocalInstall({ dataDir, ...ctx.installContext() }, async (install) => {
        const all = await install.service.list();
        ctx.out(options.json ? `${JSON.stringify(all, null, 2)}\n` : `${integrationsTable(all)}\n`);
      });
    });

export const showCommand = (ctx: CliContext): Command =>
  addDataDirOption(
    new Command('show').description('Show one integration: settings, status and why.').argument('<name>'),
  )
    .option(
      '--json',
      'print the integration, its warnings and how far its history is complete as one JSON document',
    )
    .addHelpText(
      'after',
      example(`  zendesk-wfm integration show Acme --data-dir ./wfm-data
  zendesk-wfm integration show Acme --data-dir ./wfm-data --json`),
    )
    .action(async (name: string, options: DataDirOptions & { json?: boolean }) => {
      const dataDir = dataDirFrom(ctx, options);
      await withLocalInstall({ dataDir, ...ctx.installContext() }, async (install) => {
        const found = await findIntegration(install, name);
        const { warnings } = await install.service.get(found.id);
        const completeUpTo = await readCompleteUpTo(install.pipeline, found.id);
        const now = ctx.io.now();
        const health = healthOf({ integration: found, newContacts: 0, completeUpTo, now, dataDir });
        // A failing integration: since when, why in plain words, and the command that fixes it.
        const failing = health.state === 'failing' ? healthLine(health, now) : undefined;
        const behind = behindWarning(
          health,
          now,
          `run \`zendesk-wfm sync --data-dir ${shellWord(dataDir)}\`, or keep \`zendesk-wfm serve\` running to stay current`,
        );
        const said = [...(failing ? [failing] : []), ...(behind ? [behind] : []), ...warnings];
        ctx.out(
          options.json
            ? `${JSON.stringify({ integration: found, warnings: said, completeUpTo: completeUpTo?.toISOString() ?? null }, null, 2)}\n`
            : integrationDetails(found, said, { completeUpTo }),
        );
      });
    });

export const pauseCommand = (ctx: CliContext): Command =>
  addDataDirOption(new Command('pause').description('Stop importing an integration.').argument('<name>'))
    .addHelpText('after', example('  zendesk-wfm integration pause Acme --data-dir ./wfm-data'))
    .action(async (name: string, options: DataDirOptions) => {
      const dataDir = dataDirFrom(ctx, options);
      await withLocalInstall({ dataDir, ...ctx.installContext() }, async (install) => {
        const paused = await install.service.pause((await findIntegration(install, name)).id);
        ctx.out(`Paused "${paused.name}"; \`integration resume\` imports what was missed.\n`);
      });
    });

export const resumeCommand = (ctx: CliContext): Command =>
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
      await withLocalInstall(
        { dataDir, ...ctx.installContext(), logger: progress.logger },
        async (install) => {
          const resumed = await install.service.resume((await findIntegration(install, name)).id);
          // resume() queues an import run; the emulated queue lives only as long as this command.
          await install.pipeline.drain(runOptions(progress));
          progress.finish();
          await failIfFailing(install, resumed.id, dataDir);
          ctx.out(`Resumed "${resumed.name}" and imported what was missed.\n`);
        },
      );
    });

export const deleteCommand = (ctx: CliContext): Command =>
  addDataDirOption(
    new Command('delete')
      .description('Delete an integration and its stored credentials; its queue history is kept.')
      .argument('<name>'),
  )
    .addHelpText('after', example('  zendesk-wfm integration delete Acme --data-dir ./wfm-data'))
    .action(async (name: string, options: DataDirOptions) => {
      const dataDir = dataDirFrom(ctx, options);
      await withLocalInstall({ dataDir, ...ctx.installContext() }, async (install) => {
        const deleted = await install.service.delete((await findIntegration(install, name)).id, (id) =>
          install.webhookSecrets.delete(id),
        );
        ctx.out(`Deleted "${deleted.name}"; its credentials are removed, its queue history is kept.\n`);
      });
    });

export const setCredentialsCommand = (ctx: CliContext): Command =>
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
      await withLocalInstall(
        { dataDir, ...ctx.installContext(), checkCredentials: cliCredentialChecker(ctx) },
        async (install) => {
          const found = await findIntegration(install, name);
          const { integration: saved, checkPending } = await install.service.replaceCredentials(
            found.id,
            credentials,
          );
          if (checkPending !== undefined) ctx.warn(checkPending);
          ctx.out(
            `Replaced the credentials of "${saved.name}" (${saved.credentialKind}); status ${saved.status}.\n`,
          );
        },
      );
    });
