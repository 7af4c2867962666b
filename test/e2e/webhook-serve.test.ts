import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { importOnce, readBack } from '../../local/import.js';
import { serveLocal, type LocalServer } from '../../local/serve.js';
import { LocalWebhookSecretStore } from '../../shared/store/webhook-secret-store.js';
import { integrationInput, startWorld, worldTruth, type World } from './support.js';

const SECRET = 'e2e-webhook-signing-secret';

describe('local mode: a Zendesk webhook brings a new ticket into the queue history without waiting for the schedule', () => {
  let world: World;
  let server: LocalServer;
  let integrationId: string;
  let since: string;
  // Each round of work the server delivers wakes the test up to look at the queues again.
  let drained: () => void = () => undefined;
  const nextDrain = () => new Promise<void>((resolve) => (drained = resolve));

  beforeAll(async () => {
    world = await startWorld('tiny');
    // Its webhooks read no ticket at once: only the import they start can count the new ticket
    // (the ticket's read has a test of its own, webhook-read-now.test.ts).
    const imported = await importOnce(
      world.pipeline,
      { ...integrationInput(world), webhookTicketReadsPerMinute: 0 },
      { newId: () => 'acme' },
    );
    integrationId = imported.integration.integration.id;
    since = imported.integration.integration.importFrom;
    const signingSecrets = new LocalWebhookSecretStore();
    await signingSecrets.put(integrationId, SECRET);
    server = await serveLocal(world.stack, world.pipeline, {
      signingSecrets,
      logger: world.pipeline.deps.logger,
      scheduleEveryMs: 0,
      syncOnStart: false,
      coalesceSeconds: 1,
      // The test moves the sandbox's clock past the export's minute itself (advanceClock below).
      exportLagSeconds: 0,
      onDrained: () => drained(),
    });
    world.sandbox.configureWebhook({
      url: `${server.url}/integrations/${integrationId}/webhook`,
      signingSecret: SECRET,
    });
  });
  afterAll(async () => {
    await server?.stop();
    await world?.stop();
  });

  it('counts the ticket in its queues on the import its webhook starts (the schedule is off)', async () => {
    const expected = () => worldTruth(world, since);
    const before = (await readBack(world.pipeline, integrationId)).queues;
    const ticketId = world.sandbox.createTicket({ channel: 'email' });
    // Zendesk's export holds back the most recent minute; move the sandbox past it.
    world.sandbox.advanceClock(65);
    expect(await world.sandbox.webhooksSettled()).toEqual({ delivered: 1, failed: 0 });
    const created = world.sandbox.truth.interactions.find((i) => i.ticketId === ticketId);
    expect(created?.viewIds.length).toBeGreaterThan(0);
    expect(expected()).not.toEqual(before);

    let queues = before;
    for (;;) {
      // Armed before reading, so a round that ends while the queues are read is not missed.
      const drainedAgain = nextDrain();
      queues = (await readBack(world.pipeline, integrationId)).queues;
      if (JSON.stringify(queues) !== JSON.stringify(before)) break;
      await drainedAgain;
    }
    expect(queues).toEqual(expected());
  });
});
