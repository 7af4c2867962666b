import { STREAMS } from '../messages/streams.js';
import type { PipelineDeps } from './deps.js';

/**
 * One import run: a fetch job for the first stream of every active integration; the fetch handler
 * chains the others (users → views → ticket events → calls), so each integration's pages enter its
 * FIFO message group in dependency order. Returns the ids of the integrations scheduled.
 */
export const scheduleImports = async (deps: PipelineDeps, runId: string): Promise<string[]> => {
  const active = (await deps.repos.integrations.list()).filter((i) => i.status === 'active');
  for (const integration of active) {
    await deps.bus.sendFetchJob({
      version: 1,
      integrationId: integration.id,
      stream: STREAMS[0],
      chain: true,
      runId,
    });
  }
  deps.logger.info('import run scheduled', { runId, integrations: active.length });
  return active.map((i) => i.id);
};
