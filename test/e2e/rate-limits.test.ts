import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { importOnce } from '../../local/import.js';
import { queueDepth } from '../../local/runner.js';
import { ALL_QUEUES, QUEUES } from '../../shared/messages/queues.js';
import { integrationInput, startWorld, worldTruth, type World } from './support.js';

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

    expect(result.queues).toEqual(worldTruth(world, result.integration.integration.importFrom));
    const delayedLogs = world.logs.filter(
      (l) => l.message === 'rate limited by Zendesk: messages visible again after Retry-After',
    );
    expect(delayedLogs.length).toBeGreaterThan(0);
    expect(
      new Set(delayedLogs.map((l) => JSON.stringify([l.extra?.queue, l.extra?.retryAfterSeconds]))),
    ).toEqual(new Set([JSON.stringify(['updates', RETRY_AFTER])]));
    // Each refused message came back once, when Zendesk allowed: no storm of receives.
    expect(Math.max(...deliveries.values())).toBe(2);
    // A refusal costs the request refused, never the audits its page had already read: every
    // ticket's audits were asked once, and the refused ones once more.
    const audits = world.sandbox.requestedPaths().filter((p) => /^\/api\/v2\/tickets\/\d+\/audits/.test(p));
    expect(audits.length - new Set(audits).size).toBe(3);
    const parked = await Promise.all(
      ALL_QUEUES.map((q) => queueDepth({ sqs: world.stack.sqs, queueUrls: world.stack.dlqUrls }, q.key)),
    );
    expect(parked).toEqual(ALL_QUEUES.map(() => 0));
  });
});

/**
 * Rule: a 503 that says when to come back (Zendesk's maintenance; Zendesk's own Ruby client waits it
 * out like a 429) is a wait as a 429 is, never a failed delivery: more of them than a message may
 * fail end in an exact, complete import with nothing parked.
 */
describe('an import whose audits requests Zendesk answers 503 with Retry-After (maintenance)', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld('tiny', 7, { ticketStateWarmUpDays: 0 });
  });
  afterAll(async () => {
    await world?.stop();
  });

  it('waits each one out as Retry-After says and publishes the ground truth; nothing parked', async () => {
    const UNAVAILABLE = QUEUES.updates.maxFailedDeliveries + 2;
    world.sandbox.injectFault({
      kind: 'status',
      status: 503,
      retryAfterSeconds: 1,
      pathPrefix: AUDITS,
      times: UNAVAILABLE,
    });
    const result = await importOnce(world.pipeline, integrationInput(world), { newId: () => 'acme' });

    expect(result.queues).toEqual(worldTruth(world, result.integration.integration.importFrom));
    const waits = world.logs.filter(
      (l) => l.message === 'rate limited by Zendesk: messages visible again after Retry-After',
    );
    expect(new Set(waits.map((l) => JSON.stringify([l.extra?.queue, l.extra?.retryAfterSeconds])))).toEqual(
      new Set([JSON.stringify(['updates', 1])]),
    );
    const audits = world.sandbox.requestedPaths().filter((p) => /^\/api\/v2\/tickets\/\d+\/audits/.test(p));
    // Each 503 was asked once, not retried at once: every ticket's audits once, and the refused once more.
    expect(audits.length - new Set(audits).size).toBe(UNAVAILABLE);
    const parked = await Promise.all(
      ALL_QUEUES.map((q) => queueDepth({ sqs: world.stack.sqs, queueUrls: world.stack.dlqUrls }, q.key)),
    );
    expect(parked).toEqual(ALL_QUEUES.map(() => 0));
  });
});

/**
 * Rule (issue 16, "429 anywhere is a wait, never a refusal"): SQS counts every receive, but a
 * receive Zendesk's rate limit refused is not a failure — the consumer keeps its own count of
 * failed deliveries — so a sustained 429 on Show Many Users, for more receives than a message may
 * fail, ends in an exact, complete import with nothing parked.
 */
const SHOW_MANY = '/api/v2/users/show_many';
const USERS_EXPORT = '/api/v2/incremental/users';

describe('an import whose Show Many Users request Zendesk refuses for longer than a message may fail', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld('tiny', 7);
  });
  afterAll(async () => {
    await world?.stop();
  });

  it('waits through 7 refusals of one message (its failure limit is 5) and publishes the ground truth; nothing parked', async () => {
    const { sandbox } = world;
    const auth = `Basic ${Buffer.from(`${sandbox.credentials.email}/token:${sandbox.credentials.apiToken}`).toString('base64')}`;
    const users = (await (
      await fetch(`${sandbox.baseUrl}${USERS_EXPORT}/cursor.json?start_time=0`, {
        headers: { Authorization: auth },
      })
    ).json()) as { users: { id: number; role: string }[] };
    const requesterId = users.users.find((u) => u.role === 'end-user')!.id;
    // The user export cannot deliver this customer (their record is quarantined), so the channel
    // mapper looks them up by id when their comments come: Show Many Users, which Zendesk refuses.
    sandbox.injectFault({
      kind: 'dropField',
      pathPrefix: USERS_EXPORT,
      list: 'users',
      recordId: requesterId,
      path: 'role',
      times: 10_000,
    });
    sandbox.createTicket({ channel: 'email', requesterId });
    sandbox.advanceClock(120);
    const REFUSALS = QUEUES.changes.maxFailedDeliveries + 2;
    sandbox.injectFault({ kind: 'rateLimit', retryAfterSeconds: 1, pathPrefix: SHOW_MANY, times: REFUSALS });

    const deliveries = new Map<string, number>();
    const result = await importOnce(world.pipeline, integrationInput(world), {
      newId: () => 'acme',
      onDelivery: (queue, r) => {
        if (queue === 'changes') deliveries.set(r.messageId, (deliveries.get(r.messageId) ?? 0) + 1);
      },
    });

    expect(result.queues).toEqual(worldTruth(world, result.integration.integration.importFrom));
    // The page that named the customer first came back after each refusal, and then succeeded.
    expect(sandbox.requestCount(SHOW_MANY)).toBe(REFUSALS + 1);
    expect(Math.max(...deliveries.values())).toBe(REFUSALS + 1);
    const integration = await world.pipeline.deps.repos.integrations.get('acme');
    expect([integration?.status, integration?.statusReason, integration?.parked]).toEqual([
      'active',
      null,
      undefined,
    ]);
    const parked = await Promise.all(
      ALL_QUEUES.map((q) => queueDepth({ sqs: world.stack.sqs, queueUrls: world.stack.dlqUrls }, q.key)),
    );
    expect(parked).toEqual(ALL_QUEUES.map(() => 0));
  });
});
