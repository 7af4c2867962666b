import type { Command } from 'commander';
import { normaliseName, type Integration } from '../shared/store/integrations-repository.js';
import type { CliContext } from './context.js';
import { UsageError } from './errors.js';
import type { LocalInstall } from './local-install.js';

import { DATA_DIR_ENV } from './data-dir-env.js';

export const addDataDirOption = (command: Command): Command =>
  command.option('--data-dir <dir>', `the local install's folder (or ${DATA_DIR_ENV})`);

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
