import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { importOnce, readBack } from '../../local/import.js';
import { ENDPOINTS } from '../../shared/zendesk/client.js';
import { integrationInput, startWorld, worldTruth, type World } from './support.js';

const EXPORTS = [
  ENDPOINTS.users,
  ENDPOINTS.views,
  ENDPOINTS.tickets,
  ENDPOINTS.ticketEvents,
  ENDPOINTS.calls,
];
const requestsByExport = (world: World) =>
  Object.fromEntries(EXPORTS.map((path) => [path, world.sandbox.requestCount(path)]));

/**
 * Rule (one import run at a time per integration): runs started while a run reads (the schedule,
 * webhooks' windows, a resume) do not read the same streams beside it, racing it to the same pages
 * and spending Zendesk's export budget twice. They are queued behind it, and one run after it
 * reads what came meanwhile: exactly the requests of two runs one after the other.
 */
describe('runs started while an import run reads the same integration', () => {
  let coalesced: World;
  let sequential: World;
  beforeAll(async () => {
    [coalesced, sequential] = await Promise.all([startWorld('tiny'), startWorld('tiny')]);
  });
  afterAll(async () => {
    await Promise.all([coalesced?.stop(), sequential?.stop()]);
  });

  it('wait for it, then run once: the requests of two runs back to back, and the exact history', async () => {
    await importOnce(sequential.pipeline, integrationInput(sequential), { newId: () => 'acme' });
    await sequential.pipeline.sync({ runId: 'extra-3' });

    let started: Promise<unknown> | undefined;
    const result = await importOnce(coalesced.pipeline, integrationInput(coalesced), {
      newId: () => 'acme',
      // Three starts while the first run reads its ticket events.
      onProgress: (event) => {
        if (started === undefined && event.kind === 'page_fetched' && event.stream === 'ticket_events')
          started = (async () => {
            for (const runId of ['extra-1', 'extra-2', 'extra-3']) await coalesced.pipeline.schedule(runId);
          })();
      },
    });
    await started;

    expect(requestsByExport(coalesced)).toEqual(requestsByExport(sequential));
    // The fetch function takes up to five jobs at once, so the starts queue in any order; the one
    // queued last (the latest ask is kept) is the run that reads after the first.
    const queued = coalesced.logs
      .filter((l) => l.message === 'import run queued behind the run reading now')
      .map((l) => l.extra?.runId as string);
    expect([...queued].sort()).toEqual(['extra-1', 'extra-2', 'extra-3']);
    const integration = await coalesced.pipeline.deps.integrations.get('acme');
    expect(queued).toContain(integration?.lastCompletedRun?.runId);
    const since = result.integration.integration.importFrom;
    expect((await readBack(coalesced.pipeline, 'acme')).queues).toEqual(worldTruth(coalesced, since));
  }, 600_000);
});
