import type { Command } from 'commander';
import { normaliseName, type Integration } from '../shared/store/integrations-repository.js';
import type { CliContext } from './context.js';
import { UsageError } from './errors.js';
import type { LocalInstall } from './local-install.js';

import { DATA_DIR_ENV } from './data-dir-env.js';
import { parseIntegerInRange, parsePositiveInteger } from './options.js';

export const addDataDirOption = (command: Command): Command =>
  command.option('--data-dir <dir>', `the local install's folder (or ${DATA_DIR_ENV})`);

/**
 * How fast the local install reads Zendesk's incremental exports, for the commands that run it
 * (`serve`, `sync`): Zendesk's limit per minute and the records per page.
 */
export const addExportPaceOptions = (command: Command): Command =>
  command
    .option(
      '--export-requests-per-minute <n>',
      "requests per minute to Zendesk's incremental exports (Zendesk allows 10; more with the High Volume API add-on)",
      parsePositiveInteger('--export-requests-per-minute'),
    )
    .option(
      '--export-page-size <n>',
      'records per export page, 1 to 1000 (default 1000, the most Zendesk sends)',
      parseIntegerInRange('--export-page-size', 1, 1000),
    );

export const dataDirFrom = (ctx: CliContext, options: { dataDir?: string }): string => {
  const dir = options.dataDir ?? ctx.io.env[DATA_DIR_ENV];
  if (dir === undefined || dir.trim() === '')
    throw new UsageError(
      `--data-dir is required: the folder of the local install (e.g. --data-dir ./wfm-data, or set ${DATA_DIR_ENV})`,
    );
  return dir;
};

/** An integration by its name (case-insensitive, trimmed, as names are unique). */
export const findIntegration = async (install: LocalInstall, name: string): Promise<Integration> => {
  const all = await install.service.list();
  const found = all.find((i) => normaliseName(i.name) === normaliseName(name));
  if (found) return found;
  const known = all.map((i) => `"${i.name}"`).join(', ');
  throw new UsageError(
    `NAME: no integration named "${name}" in this install (${known ? `there are ${known}` : 'it has none'}; see \`zendesk-wfm integration list\`)`,
  );
};
