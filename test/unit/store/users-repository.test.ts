import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { UsersRepository } from '../../../shared/store/users-repository.js';

const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddb = mockClient(db);
let repo: UsersRepository;

describe('UsersRepository', () => {
  beforeEach(() => {
    ddb.reset();
    // A new instance per test: an instance keeps the users it read.
    repo = new UsersRepository(db, 'users');
  });

  it('writes only new or changed users and never goes back to an older version', async () => {
    ddb.on(BatchGetCommand).resolves({
      Responses: {
        users: [
          { pk: 'i1#1', sk: 'user', role: 'end-user', active: true, updatedAt: '2026-01-01T00:00:00Z' },
          { pk: 'i1#2', sk: 'user', role: 'agent', active: true, updatedAt: '2026-03-01T00:00:00Z' },
        ],
      },
    });
    ddb.on(BatchWriteCommand).resolves({});
    const written = await repo.upsert('i1', [
      { id: 1, role: 'end-user', active: true, updatedAt: '2026-01-01T00:00:00Z' }, // unchanged
      { id: 2, role: 'end-user', active: true, updatedAt: '2026-02-01T00:00:00Z' }, // older than stored
      { id: 3, role: 'admin', active: true, updatedAt: '2026-02-01T00:00:00Z' }, // new
    ]);
    expect(written).toBe(1);
    expect(ddb.commandCalls(BatchWriteCommand)[0]?.args[0].input).toEqual({
      RequestItems: {
        users: [
          {
            PutRequest: {
              Item: {
                pk: 'i1#3',
                sk: 'user',
                role: 'admin',
                active: true,
                updatedAt: '2026-02-01T00:00:00Z',
              },
            },
          },
        ],
      },
    });
  });

  it("keeps a user's language and reads it back for the Requester language condition", async () => {
    ddb.on(BatchGetCommand).resolves({
      Responses: {
        users: [
          { pk: 'i1#1', sk: 'user', role: 'end-user', active: true, updatedAt: '2026-01-01T00:00:00Z' },
        ],
      },
    });
    ddb.on(BatchWriteCommand).resolves({});
    // Same version, a language now known: written.
    expect(
      await repo.upsert('i1', [
        { id: 1, role: 'end-user', active: true, updatedAt: '2026-01-01T00:00:00Z', localeId: 8 },
      ]),
    ).toBe(1);
    expect(
      ddb.commandCalls(BatchWriteCommand)[0]?.args[0].input.RequestItems?.users?.[0]?.PutRequest?.Item,
    ).toEqual({
      pk: 'i1#1',
      sk: 'user',
      role: 'end-user',
      active: true,
      updatedAt: '2026-01-01T00:00:00Z',
      localeId: 8,
    });
    ddb.reset();
    ddb.on(BatchGetCommand).resolves({
      Responses: {
        users: [
          { pk: 'i1#1', sk: 'user', role: 'end-user', localeId: 8 },
          { pk: 'i1#2', sk: 'user', role: 'agent' },
        ],
      },
    });
    await expect(repo.locales('i1', [1, 2, 3])).resolves.toEqual(new Map([[1, 8]]));
  });

  it('retries keys DynamoDB left unprocessed', async () => {
    ddb
      .on(BatchGetCommand)
      // The integration's users version first: none.
      .resolvesOnce({ Responses: { users: [] } })
      .resolvesOnce({
        Responses: { users: [{ pk: 'i1#1', sk: 'user', role: 'end-user' }] },
        UnprocessedKeys: { users: { Keys: [{ pk: 'i1#2', sk: 'user' }] } },
      })
      .resolvesOnce({ Responses: { users: [{ pk: 'i1#2', sk: 'user', role: 'agent' }] } });
    await expect(repo.roles('i1', [1, 2, 3])).resolves.toEqual(
      new Map([
        [1, 'end-user'],
        [2, 'agent'],
      ]),
    );
    expect(ddb.commandCalls(BatchGetCommand)[2]?.args[0].input).toEqual({
      RequestItems: { users: { Keys: [{ pk: 'i1#2', sk: 'user' }], ConsistentRead: true } },
    });
  });
});
