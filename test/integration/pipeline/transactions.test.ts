import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startLocalStack, type LocalStack } from '../../../local/local-stack.js';
import { AppliedWrites, ConcurrentCounterUpdateError } from '../../../shared/store/applied-writes.js';
import { documentClientFor } from '../../../shared/store/clients.js';
import { cancellationCodes } from '../../../shared/store/errors.js';

describe('guarded counter writes on DynamoDB Local', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('reports a failed condition as TransactionCanceledException with one reason per action, in order', async () => {
    const db = documentClientFor(stack.dynamodb);
    const markers = stack.tableNames.appliedMarkers;
    const history = stack.tableNames.queueHistory;
    await db.send(
      new TransactWriteCommand({ TransactItems: [{ Put: { TableName: markers, Item: { pk: 'm1' } } }] }),
    );
    const error = await db
      .send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: history, Item: { pk: 'q', sk: 's', contacts: 1 } } },
            {
              Put: {
                TableName: markers,
                Item: { pk: 'm1' },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect((error as Error).name).toBe('TransactionCanceledException');
    expect(cancellationCodes(error)).toEqual(['None', 'ConditionalCheckFailed']);
  });

  it('applies a chunk once, skips it when repeated, and refuses a counter that moved since it was read', async () => {
    const db = documentClientFor(stack.dynamodb);
    const writes = new AppliedWrites(db, stack.tableNames.appliedMarkers);
    const table = stack.tableNames.queueHistory;
    const put = (contacts: number, expectedVersion: number) => ({
      id: 'i#q',
      build: () => ({
        table,
        item: { pk: 'i#q', sk: '2026-01-05T10:00:00.000Z', contacts, version: expectedVersion + 1 },
        expectedVersion,
      }),
    });
    await expect(writes.commit('i#page1', [put(1, 0)], 1)).resolves.toBe(1);
    await expect(writes.commit('i#page1', [put(1, 0)], 1)).resolves.toBe(0);
    await expect(writes.commit('i#page2', [put(5, 0)], 1)).rejects.toBeInstanceOf(
      ConcurrentCounterUpdateError,
    );
    await expect(writes.commit('i#page2', [put(2, 1)], 1)).resolves.toBe(1);
    expect([...(await writes.committedChunks('i#page2', 2))]).toEqual([0]);
  });
});
