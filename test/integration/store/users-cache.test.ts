import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startLocalStack, type LocalStack } from '../../../local/local-stack.js';
import { documentClientFor } from '../../../shared/store/clients.js';
import { TABLES } from '../../../shared/store/tables.js';
import { UsersRepository } from '../../../shared/store/users-repository.js';
import type { Item } from '../../../shared/store/batch.js';

/** A client that notes, per BatchGetItem, the partition keys it asked for. */
const recordingReads = (db: DynamoDBDocumentClient) => {
  const reads: string[][] = [];
  let failVersion = false;
  const client = {
    send: (command: {
      constructor: { name: string };
      input: { RequestItems?: Record<string, { Keys?: Item[] } | { PutRequest?: { Item: Item } }[]> };
    }) => {
      for (const request of Object.values(command.input.RequestItems ?? {})) {
        if (!Array.isArray(request) && request.Keys) reads.push(request.Keys.map((k) => String(k.pk)));
        if (failVersion && Array.isArray(request) && request.some((r) => r.PutRequest?.Item.sk === 'version'))
          return Promise.reject(new Error('process died'));
      }
      return db.send(command as never);
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, reads, failVersionPut: (fail: boolean) => (failVersion = fail) };
};

const user = (id: number, role: string, updatedAt: string, localeId?: number) => ({
  id,
  role,
  active: true,
  updatedAt,
  ...(localeId !== undefined ? { localeId } : {}),
});

describe('UsersRepository keeps the users it read while the integration’s users are unchanged, on DynamoDB Local', () => {
  let stack: LocalStack;
  let db: DynamoDBDocumentClient;
  beforeAll(async () => {
    stack = await startLocalStack({ tables: [TABLES.users], queues: [] });
    db = documentClientFor(stack.dynamodb);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('a user read once is read from memory: the next page asks only for the version and the users it does not hold', async () => {
    const writer = new UsersRepository(db, stack.tableNames.users);
    await writer.upsert('memory', [
      user(1, 'end-user', '2026-01-01T00:00:00Z', 8),
      user(2, 'agent', '2026-01-01T00:00:00Z'),
    ]);
    const { client, reads } = recordingReads(db);
    const reader = new UsersRepository(client, stack.tableNames.users);
    expect(await reader.roles('memory', [1, 2])).toEqual(
      new Map([
        [1, 'end-user'],
        [2, 'agent'],
      ]),
    );
    expect(await reader.roles('memory', [1, 2, 3])).toEqual(
      new Map([
        [1, 'end-user'],
        [2, 'agent'],
      ]),
    );
    expect(await reader.locales('memory', [1, 2])).toEqual(new Map([[1, 8]]));
    expect(reads).toEqual([
      ['memory#users'],
      ['memory#1', 'memory#2'],
      ['memory#users'],
      ['memory#3'],
      ['memory#users'],
    ]);
  });

  it('a user never found is asked for again, and found once stored', async () => {
    const { client, reads } = recordingReads(db);
    const reader = new UsersRepository(client, stack.tableNames.users);
    expect(await reader.roles('absent', [5])).toEqual(new Map());
    // Stored without a new version (as by code before the version was kept): still found.
    await db.send(
      new PutCommand({
        TableName: stack.tableNames.users,
        Item: {
          pk: 'absent#5',
          sk: 'user',
          role: 'end-user',
          active: true,
          updatedAt: '2026-01-01T00:00:00Z',
        },
      }),
    );
    expect(await reader.roles('absent', [5])).toEqual(new Map([[5, 'end-user']]));
    expect(reads).toEqual([['absent#users'], ['absent#5'], ['absent#users'], ['absent#5']]);
  });

  it('a write of users by another instance makes every reader read them again', async () => {
    const writer = new UsersRepository(db, stack.tableNames.users);
    const reader = new UsersRepository(db, stack.tableNames.users);
    await writer.upsert('changed', [user(7, 'end-user', '2026-01-01T00:00:00Z', 8)]);
    expect(await reader.roles('changed', [7])).toEqual(new Map([[7, 'end-user']]));
    expect(await reader.locales('changed', [7])).toEqual(new Map([[7, 8]]));
    await writer.upsert('changed', [user(7, 'agent', '2026-02-01T00:00:00Z', 9)]);
    expect(await reader.roles('changed', [7])).toEqual(new Map([[7, 'agent']]));
    expect(await reader.locales('changed', [7])).toEqual(new Map([[7, 9]]));
  });

  it('a write that died before its version: the redelivered write, though it changes nothing, puts one', async () => {
    const { client, failVersionPut } = recordingReads(db);
    const writer = new UsersRepository(client, stack.tableNames.users);
    const reader = new UsersRepository(db, stack.tableNames.users);
    await writer.upsert('crash', [user(4, 'end-user', '2026-01-01T00:00:00Z')]);
    expect(await reader.roles('crash', [4])).toEqual(new Map([[4, 'end-user']]));
    failVersionPut(true);
    await expect(writer.upsert('crash', [user(4, 'agent', '2026-02-01T00:00:00Z')])).rejects.toThrow(
      'process died',
    );
    // The user changed, the version did not: the reader still holds the old role.
    expect(await reader.roles('crash', [4])).toEqual(new Map([[4, 'end-user']]));
    failVersionPut(false);
    expect(await writer.upsert('crash', [user(4, 'agent', '2026-02-01T00:00:00Z')])).toBe(0);
    expect(await reader.roles('crash', [4])).toEqual(new Map([[4, 'agent']]));
  });

  it('past its limit an instance forgets every user it held and reads them again', async () => {
    const writer = new UsersRepository(db, stack.tableNames.users);
    await writer.upsert(
      'limit',
      [1, 2, 3].map((id) => user(id, 'end-user', '2026-01-01T00:00:00Z')),
    );
    const { client, reads } = recordingReads(db);
    const reader = new UsersRepository(client, stack.tableNames.users, 2);
    await reader.roles('limit', [1, 2]);
    await reader.roles('limit', [3]);
    await reader.roles('limit', [1, 3]);
    expect(reads).toEqual([
      ['limit#users'],
      ['limit#1', 'limit#2'],
      ['limit#users'],
      ['limit#3'],
      ['limit#users'],
      ['limit#1'],
    ]);
  });
});
