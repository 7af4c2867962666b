import { Command } from 'commander';
import type { CliContext } from '../../context.js';
import { addCommand } from './add.js';
import {
  deleteCommand,
  listCommand,
  pauseCommand,
  resumeCommand,
  setCredentialsCommand,
  showCommand,
} from './lifecycle.js';
import { example } from './shared.js';
import { updateCommand } from './update.js';

/** `zendesk-wfm integration …`: the integrations of a local install, one function per subcommand. */
export const integrationCommand = (ctx: CliContext): Command => {
  const integration = new Command('integration')
    .description('Manage the integrations of a local install (--data-dir).')
    .addHelpText(
      'after',
      example(`  zendesk-wfm integration list --data-dir ./wfm-data
  zendesk-wfm integration pause Acme --data-dir ./wfm-data`),
    );
  for (const command of [
    addCommand(ctx),
    listCommand(ctx),
    showCommand(ctx),
    pauseCommand(ctx),
    resumeCommand(ctx),
    deleteCommand(ctx),
    setCredentialsCommand(ctx),
    updateCommand(ctx),
  ])
    integration.addCommand(command);
  return integration;
};
