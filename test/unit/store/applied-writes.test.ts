import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AppliedWrites,
  ConcurrentCounterUpdateError,
  type PlannedWrite,
} from '../../../shared/store/applied-writes.js';

const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddb = mockClient(db);
const writes = new AppliedWrites(db, 'markers');

const put = (n: number, expectedVersion = 0): PlannedWrite => ({
  id: `q#${String(n).padStart(3, '0')}`,
  build: () => ({
    table: 'history',
    item: { pk: `q#${String(n).padStart(3, '0')}`, sk: 's', contacts: n, version: expectedVersion + 1 },
    expectedVersion,
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
    const input = Array.from({ length: 150 }, (_, i) => put(149 - i));
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

  it('writes a known item under its version and a new one only if absent', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await writes.commit('m', [put(1, 3), put(2)], 7);
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems;
    expect(items?.[1]).toEqual({
      Put: {
        TableName: 'history',
        Item: { pk: 'q#001', sk: 's', contacts: 1, version: 4 },
        ConditionExpression: '#version = :expected',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':expected': 3 },
      },
    });
    expect(items?.[2]).toEqual({
      Put: {
        TableName: 'history',
        Item: { pk: 'q#002', sk: 's', contacts: 2, version: 1 },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  });

  it('builds and sends only the chunks not committed before: membership by id alone', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const built: string[] = [];
    const input = Array.from({ length: 150 }, (_, i) => {
      const w = put(i);
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
    await expect(writes.commit('m', [put(1)], 1)).resolves.toBe(0);
    ddb.reset();
    ddb.on(TransactWriteCommand).rejects(cancelled(['None', 'ConditionalCheckFailed']));
    await expect(writes.commit('m', [put(1)], 1)).rejects.toBeInstanceOf(ConcurrentCounterUpdateError);
  });
});
