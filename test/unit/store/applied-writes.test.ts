import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AppliedWrites,
  ConcurrentCounterUpdateError,
  creationTag,
  storedCreatedBy,
  withCreatedBy,
  type PlannedWrite,
} from '../../../shared/store/applied-writes.js';

const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddb = mockClient(db);
const writes = new AppliedWrites(db, 'markers');

const put = (n: number, expectedVersion = 0, createdBy?: string): PlannedWrite => ({
  id: `q#${String(n).padStart(3, '0')}`,
  build: () => ({
    table: 'history',
    item: { pk: `q#${String(n).padStart(3, '0')}`, sk: 's', contacts: n, version: expectedVersion + 1 },
    expectedVersion,
    ...(createdBy !== undefined ? { createdBy } : {}),
  }),
});

const cancelled = (codes: string[]) =>
  Object.assign(new Error('cancelled'), {
    name: 'TransactionCanceledException',
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('AppliedWrites.commit', () => {
  beforeEach(() => {
    ddb.reset();
  });

  it('sorts the writes and commits them 99 at a time, each chunk with its own marker', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const input = Array.from({ length: 150 }, (_, i) => put(149 - i, 1));
    await expect(writes.commit('i1#page', input, 99)).resolves.toBe(2);
    const calls = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems ?? []);
    expect(calls.map((items) => items.length)).toEqual([100, 52]);
    expect(calls[0]?.[0]).toEqual({
      Put: {
        TableName: 'markers',
        Item: { pk: 'i1#page#0', expiresAt: 99 },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
    expect(calls[1]?.[0]?.Put?.Item).toEqual({ pk: 'i1#page#1', expiresAt: 99 });
    expect(calls[0]?.[1]?.Put?.Item?.pk).toBe('q#000');
    expect(calls[1]?.[51]?.Put?.Item?.pk).toBe('q#149');
  });

  it('puts a known item under its version in the chunk’s transaction; creates a new one before it, in a batch, tagged with the chunk', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(BatchWriteCommand).resolves({});
    await writes.commit('m', [put(1, 3), put(2)], 7);
    expect(ddb.calls().map((c) => c.args[0].constructor.name)).toEqual([
      'BatchWriteCommand',
      'TransactWriteCommand',
    ]);
    expect(ddb.commandCalls(BatchWriteCommand)[0]?.args[0].input.RequestItems).toEqual({
      history: [
        {
          PutRequest: {
            Item: { pk: 'q#002', sk: 's', contacts: 2, version: 1, createdBy: creationTag('m') },
          },
        },
      ],
    });
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems;
    expect(items).toHaveLength(2);
    expect(items?.[1]).toEqual({
      Put: {
        TableName: 'history',
        Item: { pk: 'q#001', sk: 's', contacts: 1, version: 4 },
        ConditionExpression: '#version = :expected',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':expected': 3 },
      },
    });
  });

  it('commits a chunk of new items alone with its marker’s conditional put, after creating them: no transaction', async () => {
    ddb.on(BatchWriteCommand).resolves({});
    ddb.on(PutCommand).resolves({});
    await expect(writes.commit('m', [put(1), put(2)], 7)).resolves.toBe(1);
    expect(ddb.calls().map((c) => c.args[0].constructor.name)).toEqual(['BatchWriteCommand', 'PutCommand']);
    expect(ddb.commandCalls(PutCommand)[0]?.args[0].input).toEqual({
      TableName: 'markers',
      Item: { pk: 'm#0', expiresAt: 7 },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('writes nothing again of an item its chunk created on an earlier attempt; an update keeps the item’s tag', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await writes.commit('m', [put(1, 1, creationTag('m')), put(2, 4, 'another chunk')], 7);
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(0);
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems;
    expect(items?.map((i) => i.Put?.Item)).toEqual([
      { pk: 'm#0', expiresAt: 7 },
      { pk: 'q#002', sk: 's', contacts: 2, version: 5, createdBy: 'another chunk' },
    ]);
  });

  it('builds and sends only the chunks not committed before: membership by id alone', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const built: string[] = [];
    const input = Array.from({ length: 150 }, (_, i) => {
      const w = put(i, 1);
      return { id: w.id, build: () => (built.push(w.id), w.build()) };
    });
    await expect(writes.commit('m', input, 1, new Set([0]))).resolves.toBe(1);
    const calls = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems ?? []);
    expect(calls.map((items) => items[0]?.Put?.Item?.pk)).toEqual(['m#1']);
    expect(built).toEqual(input.slice(99).map((w) => w.id));
  });

  it('skips a chunk whose marker exists and fails when a counter moved underneath', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(['ConditionalCheckFailed', 'None']))
      .resolves({});
    await expect(writes.commit('m', [put(1, 1)], 1)).resolves.toBe(0);
    ddb.reset();
    ddb.on(TransactWriteCommand).rejects(cancelled(['None', 'ConditionalCheckFailed']));
    await expect(writes.commit('m', [put(1, 1)], 1)).rejects.toBeInstanceOf(ConcurrentCounterUpdateError);
    ddb.reset();
    ddb.on(BatchWriteCommand).resolves({});
    ddb
      .on(PutCommand)
      .rejects(Object.assign(new Error('exists'), { name: 'ConditionalCheckFailedException' }));
    await expect(writes.commit('m', [put(1)], 1)).resolves.toBe(0);
  });
});

describe('a counter’s creation tag, read with it and passed on by its next write', () => {
  it('reads the item’s tag, and nothing when the item has none or a stray value', () => {
    expect(withCreatedBy({ count: 3 }, { createdBy: 'abc' })).toEqual({ count: 3, createdBy: 'abc' });
    expect(withCreatedBy({ count: 3 }, {})).toEqual({ count: 3 });
    expect(withCreatedBy({ count: 3 }, { createdBy: 7 })).toEqual({ count: 3 });
  });
  it('passes on the tag of the counter a write was computed from, and none for a new one', () => {
    expect(storedCreatedBy({ createdBy: 'abc' })).toEqual({ createdBy: 'abc' });
    expect(storedCreatedBy({})).toEqual({});
    expect(storedCreatedBy(undefined)).toEqual({});
  });
});
