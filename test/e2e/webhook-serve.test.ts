import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readBack } from '../../local/import.js';
import { startServedWorld, worldTruth, type ServedWorld } from './support.js';

const SECRET = 'e2e-webhook-signing-secret';

describe('local mode: a Zendesk webhook brings a new ticket into the queue history without waiting for the schedule', () => {
  let served: ServedWorld;

  beforeAll(async () => {
    // Its webhooks read no ticket at once: only the import they start can count the new ticket
    // (the ticket's read has a test of its own, webhook-read-now.test.ts).
    served = await startServedWorld(SECRET, { webhookTicketReadsPerMinute: 0 });
  });
  afterAll(async () => {
    await served?.stop();
  });

  it('counts the ticket in its queues on the import its webhook starts (the schedule is off)', async () => {
    const { world, integrationId, since } = served;
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
    await served.until(async () => {
      queues = (await readBack(world.pipeline, integrationId)).queues;
      return JSON.stringify(queues) !== JSON.stringify(before);
    });
    expect(queues).toEqual(expected());
  });
});
