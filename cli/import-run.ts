/**
 * Runs imports on an open local install until the pipeline is idle. A person's import may take
 * hours on a large account, so the runner's idle timeout is a day, not the tests' two minutes.
 */
import { importRunStart } from '../shared/messages/fetch-job.js';
import type { RunReport } from '../local/runner.js';
import type { Integration } from '../shared/store/integrations-repository.js';
import type { CliContext } from './context.js';
import { CommandFailedError } from './errors.js';
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

/** After a run: a failing integration is the command's failure, with Zendesk's reason. */
export const failIfFailing = async (install: LocalInstall, integrationId: string): Promise<Integration> => {
  const integration = await install.pipeline.deps.repos.integrations.get(integrationId);
  if (!integration)
    throw new CommandFailedError(`integration ${integrationId} disappeared during the import`);
  if (integration.status === 'failing')
    throw new CommandFailedError(
      `the import of "${integration.name}" failed: ${integration.statusReason ?? 'no reason recorded'}`,
    );
  return integration;
};

export const warnAboutParkedMessages = (ctx: CliContext, run: RunReport): void => {
  if (run.failed > 0)
    ctx.warn(
      `${run.failed} message deliveries failed during the run and were retried or parked in a dead-letter queue`,
    );
};
