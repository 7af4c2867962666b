import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectedQueues } from '../../sandbox/index.js';
import { importOnce } from '../../local/import.js';
import { queueDepth } from '../../local/runner.js';
import { ALL_QUEUES } from '../../shared/messages/queues.js';
import { integrationInput, startWorld, type World } from './support.js';

/**
 * Rule (issue "rate limits downstream of fetch"): a 429 met by the view classifier's audits request
 * is handled as the fetch stage handles its own: the message's visibility is set to Retry-After
 * before its batch item failure is reported, so the integration's FIFO group resumes when Zendesk
 * allows — no retry storm, no dead letter — and the import still publishes the ground truth.
 */
const AUDITS = '/api/v2/tickets/';
const RETRY_AFTER = 2;

describe('an import whose audits requests Zendesk rate-limits, with the sandbox’s rate limits on', () => {
  let world: World;
  beforeAll(async () => {
    // No warm-up: every ticket older than the window gets its audits read.
    world = await startWorld(
      'tiny',
      7,
      { ticketStateWarmUpDays: 0 },
      {},
      { incrementalPerMinute: 10_000, accountPerMinute: 100_000 },
    );
  });
  afterAll(async () => {
    await world?.stop();
  });

  it('retries the refused page after Retry-After, at most once per message, and publishes the ground truth', async () => {
    world.sandbox.injectFault({
      kind: 'rateLimit',
      retryAfterSeconds: RETRY_AFTER,
      pathPrefix: AUDITS,
      times: 3,
    });
    const deliveries = new Map<string, number>();
    const result = await importOnce(world.pipeline, integrationInput(world), {
      newId: () => 'acme',
      onDelivery: (queue, r) => {
        if (queue === 'updates') deliveries.set(r.messageId, (deliveries.get(r.messageId) ?? 0) + 1);
      },
    });

    expect(result.queues).toEqual(
      expectedQueues(world.sandbox.truth, {
        groupingStrategy: 'ivr',
        intervalMinutes: 15,
        since: result.integration.integration.importFrom,
        until: world.sandbox.now().toISOString(),
      }),
    );
    const delayedLogs = world.logs.filter(
      (l) => l.message === 'rate limited by Zendesk: messages visible again after Retry-After',
    );
    expect(delayedLogs.length).toBeGreaterThan(0);
    expect(
      new Set(delayedLogs.map((l) => JSON.stringify([l.extra?.queue, l.extra?.retryAfterSeconds]))),
    ).toEqual(new Set([JSON.stringify(['updates', RETRY_AFTER])]));
    // Each refused message came back once, when Zendesk allowed: no storm of receives.
    expect(Math.max(...deliveries.values())).toBe(2);
    const parked = await Promise.all(
      ALL_QUEUES.map((q) => queueDepth({ sqs: world.stack.sqs, queueUrls: world.stack.dlqUrls }, q.key)),
    );
    expect(parked).toEqual(ALL_QUEUES.map(() => 0));
  });
});
