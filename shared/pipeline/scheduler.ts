import type { MessageBus } from '../messages/bus.js';
import { importRunStart } from '../messages/fetch-job.js';
import type { IntegrationsRepository } from '../store/integrations-repository.js';
import type { PipelineLogger } from './deps.js';
import type { Grants } from './grants.js';
import { startsRuns } from './parked-work.js';

export interface SchedulerDeps {
  readonly integrations: Pick<IntegrationsRepository, 'list'>;
  readonly bus: Pick<MessageBus, 'sendFetchJob'>;
  /** Names a run when the schedule's event carries no time. */
  readonly now: () => Date;
  readonly logger: PipelineLogger;
}

export const SCHEDULER_GRANTS: Grants = {
  tables: { integrations: ['Scan'] },
  sendsTo: ['fetchJobs'],
  secrets: {},
};

/**
 * One import run: a fetch job for the first stream of every active integration (but one whose parked
 * work a redrive is moving back: `startsRuns`); the fetch handler
 * chains the others (users → views → ticket events → calls), so each integration's pages enter its
 * FIFO message group in dependency order. Returns the ids of the integrations scheduled.
 */
export const scheduleImports = async (deps: SchedulerDeps, runId: string): Promise<string[]> => {
  const active = (await deps.integrations.list()).filter(startsRuns);
  for (const integration of active) {
    await deps.bus.sendFetchJob(importRunStart(integration.id, runId));
  }
  deps.logger.info('import run scheduled', { runId, integrations: active.length });
  return active.map((i) => i.id);
};
