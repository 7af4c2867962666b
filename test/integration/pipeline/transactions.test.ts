import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startLocalStack, type LocalStack } from '../../../local/local-stack.js';
import {
  AppliedWrites,
  ConcurrentCounterUpdateError,
  writerTag,
} from '../../../shared/store/applied-writes.js';
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

  it('applies a chunk once, skips it when repeated, and refuses a counter that moved since it was read, each counter under its version', async () => {
    const db = documentClientFor(stack.dynamodb);
    const writes = new AppliedWrites(db, stack.tableNames.appliedMarkers);
    const table = stack.tableNames.queueHistory;
    const key = { pk: 'i#q', sk: '2026-01-05T10:00:00.000Z' };
    const put = (contacts: number, expectedVersion: number, writtenBy?: string[]) => ({
      id: 'i#q',
      writers: () => (writtenBy !== undefined ? { writtenBy } : {}),
      build: () => ({ table, item: { ...key, contacts, version: expectedVersion + 1 }, expectedVersion }),
    });
    // A new counter is created in a batch, tagged with its message.
    await expect(writes.commit('i#page1', [put(1, 0)], 1)).resolves.toBe(1);
    const tag1 = writerTag('i#page1');
    const tag2 = writerTag('i#page2');
    const stored = async () => (await db.send(new GetCommand({ TableName: table, Key: key }))).Item;
    await expect(stored()).resolves.toEqual({ ...key, contacts: 1, version: 1, writtenBy: [tag1] });
    // Repeated: its marker says it was committed.
    await expect(writes.commit('i#page1', [put(1, 0)], 1)).resolves.toBe(0);
    // Changed under its version, by a put of its own; the new writer's tag replaces the finished one's.
    await expect(writes.commit('i#page2', [put(2, 1, [tag1])], 1)).resolves.toBe(1);
    await expect(stored()).resolves.toEqual({ ...key, contacts: 2, version: 2, writtenBy: [tag2] });
    // Read at version 1, but page2 moved it to 2 since: refused, nothing written, no marker.
    await expect(writes.commit('i#page3', [put(7, 1, [tag1])], 1)).rejects.toBeInstanceOf(
      ConcurrentCounterUpdateError,
    );
    await expect(stored()).resolves.toEqual({ ...key, contacts: 2, version: 2, writtenBy: [tag2] });
    // An unfinished writer's tag is kept behind the new one.
    await expect(writes.commit('i#page4', [put(3, 2, [tag2])], 1, new Set(), new Set([tag2]))).resolves.toBe(
      1,
    );
    await expect(stored()).resolves.toEqual({
      ...key,
      contacts: 3,
      version: 3,
      writtenBy: [writerTag('i#page4'), tag2],
    });
    expect([...(await writes.committedChunks('i#page2', 2))]).toEqual([0]);
    expect([...(await writes.committedChunks('i#page3', 1))]).toEqual([]);
  });

  it('lists a message as writing under its chunk marker, and finds it unfinished until its marker is put', async () => {
    const db = documentClientFor(stack.dynamodb);
    const writes = new AppliedWrites(db, stack.tableNames.appliedMarkers);
    await writes.beginWriting('w', 'w#updates:ab#days', 'w#updates:ab');
    await writes.beginWriting('w', 'w#updates:cd#days', 'w#updates:cd');
    expect([...(await writes.unfinishedWriterTags('w', 'w#updates:cd'))]).toEqual([
      writerTag('w#updates:ab#days'),
    ]);
    // Its marker put, its entry is found finished and removed by the next message's look.
    await writes.markApplied('w#updates:ab', 1);
    expect([...(await writes.unfinishedWriterTags('w', 'w#updates:cd'))]).toEqual([]);
    await writes.endWriting('w', 'w#updates:cd#days');
    const left = await db.send(
      new GetCommand({ TableName: stack.tableNames.appliedMarkers, Key: { pk: 'w#writing' } }),
    );
    expect(left.Item).toEqual({ pk: 'w#writing' });
  });
});
