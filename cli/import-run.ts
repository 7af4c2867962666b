/**
 * Runs imports on an open local install until the pipeline is idle. A person's import may take
 * hours on a large account; a run still going after a day is given up as stuck.
 */
import { importRunStart } from '../shared/messages/fetch-job.js';
import type { RunReport } from '../local/runner.js';
import type { Integration } from '../shared/store/integrations-repository.js';
import type { CliContext } from './context.js';
import { CommandFailedError } from './errors.js';
import { exitCodeOf, FAILURE_WORDS, fixCommand } from './health.js';
import type { LocalInstall } from './local-install.js';
import type { Progress } from './progress.js';

export const RUN_TIMEOUT_MS = 24 * 3_600_000;

export const runOptions = (progress: Progress) => ({
  timeoutMs: RUN_TIMEOUT_MS,
  onProgress: progress.onEvent,
});

/** Imports one integration (not the others of the install) until the pipeline is idle. */
export const importOne = async (
  install: LocalInstall,
  integrationId: string,
  progress: Progress,
): Promise<RunReport> => {
  const { deps } = install.pipeline;
  await deps.bus.sendFetchJob(importRunStart(integrationId, `cli-${deps.now().toISOString()}`));
  return install.pipeline.drain(runOptions(progress));
};

/**
 * After a run: a failing integration is the command's failure, with Zendesk's reason, exit 3 when
 * Zendesk refused, and (on an install kept in `dataDir`) the command that fixes it.
 */
export const failIfFailing = async (
  install: LocalInstall,
  integrationId: string,
  dataDir?: string,
): Promise<Integration> => {
  const integration = await install.pipeline.deps.repos.integrations.get(integrationId);
  if (!integration)
    throw new CommandFailedError(`integration ${integrationId} disappeared during the import`);
  if (integration.status === 'failing') {
    const kind = integration.failure?.kind ?? 'work_failed';
    throw new CommandFailedError(
      `the import of "${integration.name}" failed: ${FAILURE_WORDS[kind]} (${integration.statusReason ?? 'no reason recorded'})` +
        (dataDir !== undefined ? `; to fix: ${fixCommand(integration, dataDir)}` : ''),
      exitCodeOf(integration.failure?.kind),
    );
  }
  return integration;
};

/** Work that failed and was done again is said once, in plain words (what kept failing is reported apart). */
export const warnAboutParkedMessages = (ctx: CliContext, run: RunReport): void => {
  if (run.failed > 0)
    ctx.warn(
      `${run.failed} import step${run.failed === 1 ? '' : 's'} failed and ${run.failed === 1 ? 'was' : 'were'} tried again; an integration whose work kept failing is marked failing`,
    );
};
