import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { addDataDirOption, dataDirFrom, findIntegration } from '../install-options.js';
import { withLocalInstall } from '../local-install.js';
import { integrationHeading, quarantineDocument, quarantineTable } from '../render.js';

/** `quarantined`: the records an integration's exports left out because they did not fit. */
export const quarantinedCommand = (ctx: CliContext): Command =>
  addDataDirOption(
    new Command('quarantined')
      .description(
        "List the records an integration's exports quarantined: each did not fit (the field and the problem are named) and was left out on its own while the rest of its page was counted.",
      )
      .argument('<name>'),
  )
    .option('--json', 'print the quarantined records as one JSON document')
    .addHelpText(
      'after',
      '\nExamples:\n  zendesk-wfm quarantined Acme --data-dir ./wfm-data\n  zendesk-wfm quarantined Acme --data-dir ./wfm-data --json',
    )
    .action(async (name: string, options: { dataDir?: string; json?: boolean }) => {
      const dataDir = dataDirFrom(ctx, options);
      await withLocalInstall({ dataDir, ...ctx.installContext() }, async (install) => {
        const integration = await findIntegration(install, name);
        const records = await install.pipeline.deps.repos.quarantine.list(integration.id);
        ctx.out(
          options.json
            ? `${JSON.stringify(quarantineDocument(records), null, 2)}\n`
            : `${integrationHeading(integration)}\n${quarantineTable(records)}\n`,
        );
      });
    });
