import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readBack } from '../../local/import.js';
import { signWebhook } from '../../shared/webhook/signature.js';
import { startServedWorld, worldTruth, type ServedWorld } from './support.js';

const SECRET = 'e2e-webhook-read-now-secret';

/**
 * README "Near-real-time updates": a webhook naming a ticket has the ticket read now (its audits,
 * which Zendesk lists at once), so its update is counted while the export still holds it back; the
 * export's copy of the same updates, read later, counts nothing again.
 */
describe("local mode: a webhook's ticket is counted from its audits before the export shows it, and once", () => {
  let served: ServedWorld;

  beforeAll(async () => {
    // The import a webhook starts runs at once, but the sandbox's export still holds back its last
    // minute: only the ticket's read can count what the webhook announced.
    served = await startServedWorld(SECRET);
  });
  afterAll(async () => {
    await served?.stop();
  });

  const queues = async () => (await readBack(served.world.pipeline, served.integrationId)).queues;
  const coverage = async () => (await readBack(served.world.pipeline, served.integrationId)).coverage;

  it('counts a new ticket and a comment on a known one within the minute the export holds back, then never again', async () => {
    const { world, server, integrationId, since, until } = served;
    const before = await queues();
    const coverageBefore = await coverage();
    // A customer writes again on a ticket the import knows (the first one still open to comments).
    const known = [...new Set(world.sandbox.truth.interactions.map((i) => i.ticketId))];
    let commented: number | undefined;
    for (const ticketId of known) {
      try {
        world.sandbox.addCustomerComment(ticketId, 'web');
        commented = ticketId;
        break;
      } catch {
        // closed or deleted: the next one
      }
    }
    expect(commented).toBeDefined();
    const created = world.sandbox.createTicket({ channel: 'email' });
    expect(await world.sandbox.webhooksSettled()).toEqual({ delivered: 2, failed: 0 });
    const expected = worldTruth(world, since);
    expect(expected).not.toEqual(before);

    await until(async () => isDeepStrictEqual(await queues(), expected));
    expect(await queues()).toEqual(expected);
    const counted = await coverage();
    // The creation was counted from its audit, and the comment and the creation as interactions.
    expect(counted.creationsBySource).toEqual({
      ...coverageBefore.creationsBySource,
      ticket_audits: (coverageBefore.creationsBySource.ticket_audits ?? 0) + 1,
    });
    expect(counted.interactionsCounted).toBe(coverageBefore.interactionsCounted + 2);
    expect(created).toBeGreaterThan(0);

    // The export's minute passes and an import reads the same updates: nothing is counted twice.
    const runBefore = (await world.pipeline.deps.integrations.get(integrationId))?.lastCompletedRun;
    world.sandbox.advanceClock(65);
    const at = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const body = '{"type":"zen:event-type:user.created","subject":"zen:user:1"}';
    const answer = await fetch(`${server.url}/integrations/${integrationId}/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-zendesk-webhook-signature': signWebhook(SECRET, at, body),
        'x-zendesk-webhook-signature-timestamp': at,
      },
      body,
    });
    expect(answer.status).toBe(202);
    await until(async () => {
      const run = (await world.pipeline.deps.integrations.get(integrationId))?.lastCompletedRun;
      return run !== undefined && run.at !== runBefore?.at;
    });
    expect(await queues()).toEqual(worldTruth(world, since));
    expect(await coverage()).toEqual(counted);
  });
});
