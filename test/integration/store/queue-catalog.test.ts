import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startLocalStack, type LocalStack } from '../../../local/local-stack.js';
import type { QueueRef } from '../../../shared/messages/contacts.js';
import { documentClientFor } from '../../../shared/store/clients.js';
import { QueueCatalogRepository } from '../../../shared/store/queue-catalog-repository.js';
import { TABLES } from '../../../shared/store/tables.js';

/** A client that notes each request: its command and, for a put, the queue it puts. */
const recordingRequests = (db: DynamoDBDocumentClient) => {
  const requests: string[] = [];
  const client = {
    send: (command: { constructor: { name: string }; input: { Item?: { sk?: string } } }) => {
      const name = command.constructor.name;
      requests.push(name === 'PutCommand' ? `put ${command.input.Item?.sk}` : name);
      return db.send(command as never);
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, requests };
};

const queue = (id: string, name: string): QueueRef => ({
  id,
  name,
  channel: 'email',
  source: 'support',
  viewId: 7,
});

describe('QueueCatalogRepository registers each queue once per instance, on DynamoDB Local', () => {
  let stack: LocalStack;
  let db: DynamoDBDocumentClient;
  beforeAll(async () => {
    stack = await startLocalStack({ tables: [TABLES.queueCatalog], queues: [] });
    db = documentClientFor(stack.dynamodb);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('reads an integration’s catalog once, then puts only the queues it has not seen there; an entry put by another instance keeps its first name', async () => {
    const other = new QueueCatalogRepository(db, stack.tableNames.queueCatalog);
    await other.register('catalog', [queue('a', 'A (email)')]);

    const { client, requests } = recordingRequests(db);
    const catalog = new QueueCatalogRepository(client, stack.tableNames.queueCatalog);
    await catalog.register('catalog', [queue('a', 'A renamed (email)'), queue('b', 'B (email)')]);
    await catalog.register('catalog', [queue('a', 'A (email)'), queue('b', 'B (email)')]);
    // Put by another instance after this one read the catalog: put again, refused, kept as it was.
    await other.register('catalog', [queue('c', 'C (email)')]);
    await catalog.register('catalog', [queue('b', 'B (email)'), queue('c', 'C again (email)')]);
    await catalog.register('catalog', [queue('c', 'C (email)')]);

    expect(requests).toEqual(['QueryCommand', 'put b', 'put c']);
    expect((await catalog.list('catalog')).map((entry) => [entry.queue.id, entry.queue.name])).toEqual([
      ['a', 'A (email)'],
      ['b', 'B (email)'],
      ['c', 'C (email)'],
    ]);
  });

  it('a put that fails is not remembered: the next registration puts it again', async () => {
    let fail = true;
    const client = {
      send: (command: { constructor: { name: string } }) =>
        fail && command.constructor.name === 'PutCommand'
          ? Promise.reject(new Error('process died'))
          : db.send(command as never),
    } as unknown as DynamoDBDocumentClient;
    const catalog = new QueueCatalogRepository(client, stack.tableNames.queueCatalog);
    await expect(catalog.register('failing', [queue('x', 'X (email)')])).rejects.toThrow('process died');
    fail = false;
    await catalog.register('failing', [queue('x', 'X (email)')]);
    expect((await catalog.list('failing')).map((entry) => entry.queue.id)).toEqual(['x']);
  });

  it('hasMarks (read only): true once an integration was counted from an empty catalog with the marks, false for one with queues from before them', async () => {
    const catalog = new QueueCatalogRepository(db, stack.tableNames.queueCatalog);
    expect(await catalog.hasMarks('fresh')).toBe(false);
    await catalog.latestCounters('fresh');
    expect(await catalog.hasMarks('fresh')).toBe(true);
    await catalog.register('before-marks', [queue('support:7:email', 'Open (email)')]);
    expect(await catalog.latestCounters('before-marks')).toBeNull();
    expect(await catalog.hasMarks('before-marks')).toBe(false);
  });
});
