import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startLocalStack, type LocalStack } from '../../../local/local-stack.js';
import { documentClientFor } from '../../../shared/store/clients.js';
import { ImportRunsRepository } from '../../../shared/store/import-runs-repository.js';
import { IntegrationsRepository } from '../../../shared/store/integrations-repository.js';
import { TABLES } from '../../../shared/store/tables.js';

/** Rule (one import run at a time per integration): whose turn it is, kept with conditional writes. */
describe('ImportRunsRepository keeps whose turn it is to read an integration, on DynamoDB Local', () => {
  let stack: LocalStack;
  let db: DynamoDBDocumentClient;
  let runs: ImportRunsRepository;
  beforeAll(async () => {
    stack = await startLocalStack({ tables: [TABLES.integrations], queues: [] });
    db = documentClientFor(stack.dynamodb);
    runs = new ImportRunsRepository(db, stack.tableNames.integrations);
  });
  afterAll(async () => {
    await stack?.stop();
  });
  const item = async (integrationId: string) =>
    (
      await db.send(
        new GetCommand({
          TableName: stack.tableNames.integrations,
          Key: { pk: `import-run#${integrationId}` },
          ConsistentRead: true,
        }),
      )
    ).Item;

  it('a free turn is taken; another run is refused and queued; at the end the turn goes to the latest run queued', async () => {
    expect(await runs.claim('a', 'r1', 1000, 0)).toBe(true);
    expect(await runs.claim('a', 'r1', 1010, 0)).toBe(true);
    expect(await runs.claim('a', 'r2', 1020, 0)).toBe(false);
    expect(await runs.queue('a', 'r2', 0)).toBe(true);
    expect(await runs.queue('a', 'r3', 0)).toBe(true);
    // A run never queues behind itself.
    expect(await runs.queue('a', 'r1', 0)).toBe(false);
    expect(await item('a')).toEqual({
      pk: 'import-run#a',
      type: 'import-run',
      runId: 'r1',
      beat: 1010,
      next: 'r3',
    });
    expect(await runs.finish('a', 'r1')).toBe('r3');
    // Handed on without a beat: r3's job takes it when it comes, and any start may take it before.
    expect(await item('a')).toEqual({ pk: 'import-run#a', type: 'import-run', runId: 'r3', beat: 0 });
    expect(await runs.claim('a', 'r3', 1110, 100)).toBe(true);
    expect(await runs.claim('a', 'r1', 1110, 100)).toBe(false);
    expect(await runs.finish('a', 'r3')).toBeNull();
    expect(await item('a')).toEqual({ pk: 'import-run#a', type: 'import-run' });
    expect(await runs.claim('a', 'r4', 1300, 0)).toBe(true);
  });

  it('a turn whose last beat is before the staleness bound is taken over, and nothing queues behind it', async () => {
    expect(await runs.claim('b', 'r1', 1000, 0)).toBe(true);
    expect(await runs.queue('b', 'r2', 1001)).toBe(false);
    expect(await runs.claim('b', 'r2', 2000, 1000)).toBe(false);
    expect(await runs.claim('b', 'r2', 2000, 1001)).toBe(true);
    // The run that lost its turn ends nothing, and hands nothing on.
    expect(await runs.finish('b', 'r1')).toBeNull();
    expect((await item('b'))?.runId).toBe('r2');
  });

  it('a turn handed on is taken by any start until its run’s job beats (a death before that job was sent)', async () => {
    expect(await runs.claim('d', 'r1', 1000, 100)).toBe(true);
    expect(await runs.queue('d', 'r2', 100)).toBe(true);
    expect(await runs.finish('d', 'r1')).toBe('r2');
    expect(await runs.claim('d', 'r3', 1100, 200)).toBe(true);
    // r2's job, if it was sent after all, queues behind r3.
    expect(await runs.claim('d', 'r2', 1110, 210)).toBe(false);
    expect(await runs.queue('d', 'r2', 210)).toBe(true);
  });

  it('release ends the holder’s turn and drops what was queued; by another run it changes nothing', async () => {
    expect(await runs.claim('c', 'r1', 1000, 0)).toBe(true);
    expect(await runs.queue('c', 'r2', 0)).toBe(true);
    await runs.release('c', 'r2');
    expect((await item('c'))?.runId).toBe('r1');
    await runs.release('c', 'r1');
    expect(await item('c')).toEqual({ pk: 'import-run#c', type: 'import-run' });
  });

  it('its items are not integrations', async () => {
    expect(await new IntegrationsRepository(db, stack.tableNames.integrations).list()).toEqual([]);
  });
});
