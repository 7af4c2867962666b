import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { CursorConflictError, CursorsRepository } from '../../../shared/store/cursors-repository.js';

const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddb = mockClient(db);
const repo = new CursorsRepository(db, 'cursors');

describe('CursorsRepository', () => {
  beforeEach(() => {
    ddb.reset();
  });

  it('reads a stream position with a consistent read', async () => {
    ddb
      .on(GetCommand)
      .resolves({ Item: { pk: 'i1', sk: 'calls', position: { startTime: 1700000000 }, seq: 4 } });
    await expect(repo.get('i1', 'calls')).resolves.toEqual({ position: { startTime: 1700000000 }, seq: 4 });
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: 'cursors',
      Key: { pk: 'i1', sk: 'calls' },
      ConsistentRead: true,
    });
  });

  it('creates the first position only when no cursor exists', async () => {
    ddb.on(PutCommand).resolves({});
    await expect(
      repo.advance('i1', 'users', 0, { cursor: 'abc' }, '2026-01-05T10:00:00.000Z'),
    ).resolves.toEqual({ position: { cursor: 'abc' }, seq: 1 });
    expect(ddb.commandCalls(PutCommand)[0]?.args[0].input).toEqual({
      TableName: 'cursors',
      Item: {
        pk: 'i1',
        sk: 'users',
        position: { cursor: 'abc' },
        seq: 1,
        updatedAt: '2026-01-05T10:00:00.000Z',
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('advances from the seq it read, and refuses when another writer moved the cursor', async () => {
    ddb
      .on(PutCommand)
      .rejects(Object.assign(new Error('failed'), { name: 'ConditionalCheckFailedException' }));
    await expect(repo.advance('i1', 'calls', 4, { startTime: 5 }, 'x')).rejects.toBeInstanceOf(
      CursorConflictError,
    );
    expect(ddb.commandCalls(PutCommand)[0]?.args[0].input).toEqual({
      TableName: 'cursors',
      Item: { pk: 'i1', sk: 'calls', position: { startTime: 5 }, seq: 5, updatedAt: 'x' },
      ConditionExpression: 'seq = :from',
      ExpressionAttributeValues: { ':from': 4 },
    });
  });
});
