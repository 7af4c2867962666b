import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { localFunctionClients } from '../../../local/function-clients.js';
import { startLocalStack, type LocalStack } from '../../../local/local-stack.js';
import { silentLogger } from '../../../local/pipeline.js';
import type { HistoryFreshness } from '../../../shared/messages/freshness.js';
import { aggregateContacts } from '../../../shared/pipeline/aggregator.js';
import { aggregatorDeps } from '../../../shared/pipeline/build-deps.js';
import { FUNCTION_GRANTS } from '../../../shared/pipeline/function-grants.js';
import { QueueHistoryRepository } from '../../../shared/store/queue-history-repository.js';
import { documentClientFor } from '../../../shared/store/clients.js';
import { LocalSecretStore } from '../../../shared/store/secret-store.js';
import { streamRecords } from '../../e2e/support.js';

/**
 * Rule (issue #18): the queue-history stream tells how current an integration's history is through
 * one freshness item per integration, written by the aggregator (within its grants) once per run;
 * a run's end delivered late never moves it back, and the same end again streams nothing.
 */
const run = (runId: string, at: string, completeUpTo: string | null): HistoryFreshness => ({
  completeUpTo,
  lastCompletedRun: { runId, at },
});
const R1 = run('r1', '2026-03-02T12:00:05.000Z', '2026-03-02T11:55:00.000Z');
const R2 = run('r2', '2026-03-02T12:05:04.000Z', '2026-03-02T12:00:00.000Z');

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(async () => {
  await stack?.stop();
});

const aggregator = () => {
  const { clients } = localFunctionClients(stack, 'aggregator', FUNCTION_GRANTS.aggregator, {
    secrets: new LocalSecretStore(),
    logger: silentLogger,
    now: () => new Date('2026-03-02T12:10:00Z'),
  });
  return aggregatorDeps(clients);
};
const end = (integrationId: string, freshness: HistoryFreshness) =>
  aggregateContacts(aggregator(), {
    version: 2,
    pageKey: `end-${freshness.lastCompletedRun.runId}`,
    integrationId,
    facts: [],
    freshness,
  });

describe('the freshness item of the queue-history table', () => {
  it("is the last run's end, streamed once per change, never moved back by an older run's end", async () => {
    const repo = new QueueHistoryRepository(documentClientFor(stack.dynamodb), stack.tableNames.queueHistory);
    const streamedBefore = (await streamRecords(stack)).length;
    await end('fresh', R1);
    await end('fresh', R2);
    await end('fresh', R2);
    await end('fresh', R1);
    expect(await repo.freshness('fresh')).toEqual(R2);
    const streamed = (await streamRecords(stack)).slice(streamedBefore);
    expect(streamed.map((r) => [r.eventName, r.dynamodb?.Keys])).toEqual([
      ['INSERT', { pk: { S: 'fresh#freshness' }, sk: { S: 'freshness' } }],
      ['MODIFY', { pk: { S: 'fresh#freshness' }, sk: { S: 'freshness' } }],
    ]);
    expect(streamed[1]?.dynamodb?.NewImage).toEqual({
      pk: { S: 'fresh#freshness' },
      sk: { S: 'freshness' },
      kind: { S: 'freshness' },
      integrationId: { S: 'fresh' },
      completeUpTo: { S: '2026-03-02T12:00:00.000Z' },
      lastCompletedRun: { M: { runId: { S: 'r2' }, at: { S: '2026-03-02T12:05:04.000Z' } } },
    });
  });

  it('has no completeUpTo before the ticket events were read, and is absent before any run ended', async () => {
    const repo = new QueueHistoryRepository(documentClientFor(stack.dynamodb), stack.tableNames.queueHistory);
    expect(await repo.freshness('quiet')).toBeNull();
    await end('quiet', run('r1', '2026-03-02T12:00:05.000Z', null));
    expect(await repo.freshness('quiet')).toEqual(run('r1', '2026-03-02T12:00:05.000Z', null));
  });
});
