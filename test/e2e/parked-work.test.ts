import { afterEach, describe, expect, it } from '@jest/globals';
import { redriveAndRun } from '../../local/dead-letters.js';
import { importOnce, readBack } from '../../local/import.js';
import { queueDepth } from '../../local/runner.js';
import type { QueueKey } from '../../shared/messages/queues.js';
import { IntegrationService } from '../../shared/pipeline/integrations.js';
import { integrationInput, startWorld, worldTruth, type World } from './support.js';

/**
 * Dead letters are never silent (issue: a local install loses nothing): work that fails every
 * delivery is parked with its integration marked failing, later work of that integration in the
 * same queue waits behind it, and a redrive once the cause is fixed gives the exact history.
 */
const dlqDepth = (world: World, queue: QueueKey): Promise<number> =>
  queueDepth({ sqs: world.stack.sqs, queueUrls: world.stack.dlqUrls }, queue);

const redrive = (world: World) => {
  const { deps } = world.pipeline;
  const service = new IntegrationService(world.pipeline.admin);
  return redriveAndRun(world.stack, {
    integrations: deps.repos.integrations,
    now: deps.now,
    resume: (id) => service.resume(id),
    drain: () => world.pipeline.drain({ failedVisibilitySeconds: 0 }),
  });
};

describe('work that fails every delivery', () => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.stop();
    world = undefined;
  });

  it('Zendesk answering 503 on the ticket-event export for good: failing with the reason, then a redrive gives the exact history', async () => {
    world = await startWorld('tiny', 7);
    world.sandbox.injectFault({
      kind: 'status',
      status: 503,
      pathPrefix: '/api/v2/incremental/ticket_events',
      times: 10_000,
    });
    const result = await importOnce(world.pipeline, integrationInput(world), {
      newId: () => 'acme',
      failedVisibilitySeconds: 0,
    });
    const failing = await world.pipeline.deps.repos.integrations.get('acme');
    expect(failing?.status).toBe('failing');
    expect(failing?.parked?.map((p) => [p.queue, p.concerns])).toEqual([
      ['fetchJobs', 'the ticket_events stream'],
    ]);
    expect(failing?.statusReason).toMatch(
      /^the import stopped at reading from Zendesk since 2026-03-02T\d\d:\d\d:\d\d\.\d{3}Z: Zendesk \/api\/v2\/incremental\/ticket_events still failing after 4 attempts: status 503 \(the ticket_events stream\); its work is kept: fix the cause, then run `zendesk-wfm redrive`$/,
    );
    // Zendesk answered 503s: what kind of failure it is, since the first parked delivery.
    expect(failing?.failure).toEqual({ kind: 'zendesk_errors', since: failing?.parked?.[0]?.since });
    expect(result.queues).not.toEqual(worldTruth(world, result.integration.integration.importFrom));

    world.sandbox.clearFaults();
    const { moved } = await redrive(world);
    expect(moved).toEqual({ fetchJobs: 1, changes: 0, updates: 0, contacts: 0 });
    const after = await world.pipeline.deps.repos.integrations.get('acme');
    expect([after?.status, after?.statusReason, after?.parked]).toEqual(['active', null, undefined]);
    expect((await readBack(world.pipeline, 'acme')).queues).toEqual(
      worldTruth(world, result.integration.integration.importFrom),
    );
    expect(await dlqDepth(world, 'fetchJobs')).toBe(0);
  });

  it('500 on every audits request: the page waits in the view classifier, later pages behind it in order, and a redrive gives the exact history', async () => {
    // No warm-up: every ticket created before the window needs its audits.
    world = await startWorld('tiny', 7, { ticketStateWarmUpDays: 0 });
    world.sandbox.injectFault({
      kind: 'status',
      status: 500,
      pathPrefix: '/api/v2/tickets/',
      times: 10_000,
    });
    const result = await importOnce(world.pipeline, integrationInput(world), {
      newId: () => 'acme',
      failedVisibilitySeconds: 0,
    });
    const since = result.integration.integration.importFrom;
    const failing = await world.pipeline.deps.repos.integrations.get('acme');
    expect(failing?.status).toBe('failing');
    expect(failing?.parked?.map((p) => p.queue)).toEqual(['updates']);
    expect(failing?.statusReason).toMatch(/^the import stopped at placing updates in views since /);
    const parkedUpdates = await dlqDepth(world, 'updates');
    expect(parkedUpdates).toBeGreaterThan(0);

    world.sandbox.clearFaults();
    const { moved } = await redrive(world);
    expect(moved.updates).toBe(parkedUpdates);
    expect((await readBack(world.pipeline, 'acme')).queues).toEqual(worldTruth(world, since));
    expect((await world.pipeline.deps.repos.integrations.get('acme'))?.status).toBe('active');
  });
});
