import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startLocalStack, type LocalStack } from '../../../local/local-stack.js';
import type { ContactsMessage, Fact } from '../../../shared/messages/contacts.js';
import { aggregateContacts } from '../../../shared/pipeline/aggregator.js';
import { WRITES_PER_CHUNK } from '../../../shared/store/applied-writes.js';
import { documentClientFor } from '../../../shared/store/clients.js';
import { QueueHistoryRepository, queueIntervalItem } from '../../../shared/store/queue-history-repository.js';
import { localAggregatorDeps, partitionItems } from '../../support/local-aggregator.js';

/**
 * Rule (SPEC §6, exactly once, across an upgrade): a message whose counters an aggregator before
 * queue-history schema 5 began to commit (a page parked in the dead-letter queue or the local
 * journal, redriven after the upgrade) is finished as that attempt planned it, every backlog move in
 * its interval's item: planned anew with backlog days, its chunks would hold other counters than
 * the committed ones, and some would be counted twice or not at all.
 */
const NOW = new Date('2026-03-02T12:00:00Z');
const QUEUE = {
  id: 'support:9:email',
  name: 'Waiting (email)',
  channel: 'email',
  source: 'support',
  viewId: 9,
} as const;
const FIRST = Date.parse('2026-03-01T00:00:00Z');

/** 150 updates, each only moving a ticket out of the queue's backlog, each in an interval of its own. */
const moves = (): Fact[] =>
  Array.from({ length: 150 }, (_, i) => {
    const intervalStart = new Date(FIRST + i * 900_000).toISOString();
    return {
      kind: 'update_in_view',
      updateId: i + 1,
      at: intervalStart,
      contribution: {
        queue: QUEUE,
        intervalStart,
        contacts: 0,
        handled: 0,
        handleSeconds: 0,
        support: { reopens: 0, backlogEntered: 0, backlogLeft: 1 + (i % 3) },
      },
    };
  });
const message = (integrationId: string): ContactsMessage => ({
  version: 2,
  pageKey: 'updates-1',
  integrationId,
  facts: moves(),
});

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(async () => {
  await stack?.stop();
});

const deps = () => localAggregatorDeps(stack, NOW);
const documents = () => documentClientFor(stack.dynamodb);
const partition = (integrationId: string) =>
  partitionItems(stack, stack.tableNames.queueHistory, `${integrationId}#${QUEUE.id}`);
const marker = (pk: string) => partitionItems(stack, stack.tableNames.appliedMarkers, pk);
const read = (integrationId: string) =>
  new QueueHistoryRepository(documents(), stack.tableNames.queueHistory).intervals(integrationId, QUEUE.id);

describe('the aggregator finishing a message an aggregator before schema 5 began', () => {
  it('needs two chunks under the plan before schema 5', () => {
    expect(moves().length).toBeGreaterThan(WRITES_PER_CHUNK);
  });

  it('finishes its second chunk of interval items, counts each move once, and writes no backlog day', async () => {
    const integrationId = 'upgraded';
    // What the earlier aggregator left: its first chunk (the first 99 intervals in id order, each
    // move in its interval's item, schema 4) and that chunk's marker; then it died.
    for (const fact of moves().slice(0, WRITES_PER_CHUNK)) {
      if (fact.kind !== 'update_in_view') continue;
      const c = fact.contribution;
      await documents().send(
        new PutCommand({
          TableName: stack.tableNames.queueHistory,
          Item: {
            ...queueIntervalItem({
              integrationId,
              queue: QUEUE,
              intervalStart: c.intervalStart,
              contacts: 0,
              handled: 0,
              handleSeconds: 0,
              support: c.support!,
              version: 1,
            }),
            schemaVersion: 4,
          },
        }),
      );
    }
    await documents().send(
      new PutCommand({
        TableName: stack.tableNames.appliedMarkers,
        Item: { pk: `${integrationId}#updates-1#0`, expiresAt: 1 },
      }),
    );

    await aggregateContacts(deps(), message(integrationId));

    const items = await partition(integrationId);
    expect(items.filter((i) => i.kind !== undefined)).toEqual([]);
    expect(items).toHaveLength(150);
    expect(items.filter((i) => i.schemaVersion === 5)).toHaveLength(150 - WRITES_PER_CHUNK);
    expect((await read(integrationId)).map((i) => [i.intervalStart, i.support?.backlogLeft])).toEqual(
      Array.from({ length: 150 }, (_, i) => [new Date(FIRST + i * 900_000).toISOString(), 1 + (i % 3)]),
    );
    expect(await marker(`${integrationId}#updates-1`)).toHaveLength(1);
    expect(await marker(`${integrationId}#updates-1#1`)).toHaveLength(1);
    expect(await marker(`${integrationId}#updates-1#days#0`)).toEqual([]);
  });

  it('a message no earlier aggregator began keeps its moves in backlog days, read the same', async () => {
    await aggregateContacts(deps(), message('fresh'));
    const items = await partition('fresh');
    // 150 quarter hours from midnight: two UTC days, no interval with a contact.
    expect(items.map((i) => [i.sk, i.kind])).toEqual([
      ['backlog#2026-03-01', 'backlogDay'],
      ['backlog#2026-03-02', 'backlogDay'],
    ]);
    expect(await marker('fresh#updates-1#days#0')).toHaveLength(1);
    expect(await marker('fresh#updates-1#0')).toEqual([]);
    const figures = async (id: string) =>
      (await read(id)).map((i) => [i.intervalStart, i.contacts, i.support]);
    expect(await figures('fresh')).toEqual(await figures('upgraded'));
  });
});
