import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startLocalStack, type LocalStack } from '../../../local/local-stack.js';
import type { ContactsMessage, Fact } from '../../../shared/messages/contacts.js';
import { aggregateContacts } from '../../../shared/pipeline/aggregator.js';
import { aggregatorDeps } from '../../../shared/pipeline/build-deps.js';
import { documentClientFor } from '../../../shared/store/clients.js';
import { catalogItem, QueueCatalogRepository } from '../../../shared/store/queue-catalog-repository.js';
import { queueIntervalItem } from '../../../shared/store/queue-history-repository.js';
import { localAggregatorClients, partitionItems } from '../../support/local-aggregator.js';

/**
 * Rule (SPEC §6, exactly once; ARCHITECTURE.md "Exactly once"): the aggregator reads a counter
 * before it writes it, except a counter after its kind's latest counter (the integration's marks
 * in the queue catalog), which cannot exist. The marks are raised before any counter past them is
 * written; an integration counted before the marks existed has none, and all its counters are read.
 */
const NOW = new Date('2026-03-02T12:00:00Z');
const QUEUE = {
  id: 'support:7:email',
  name: 'Billing (email)',
  channel: 'email',
  source: 'support',
  viewId: 7,
} as const;
const START = Date.parse('2026-03-01T08:00:00Z');
const intervalAt = (n: number) => new Date(START + n * 900_000).toISOString();

/** One contact in each of the intervals `from` to `to` (quarter hours after 08:00 on 1 March). */
const page = (integrationId: string, pageKey: string, from: number, to: number): ContactsMessage => ({
  version: 2,
  pageKey,
  integrationId,
  facts: Array.from({ length: to - from + 1 }, (_, i): Fact => ({
    kind: 'update_in_view',
    updateId: from * 1000 + i + pageKey.length,
    at: intervalAt(from + i),
    contribution: {
      queue: QUEUE,
      intervalStart: intervalAt(from + i),
      contacts: 1,
      handled: 0,
      handleSeconds: 0,
      support: { reopens: 0, backlogEntered: 0, backlogLeft: 0 },
    },
  })),
});

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(async () => {
  await stack?.stop();
});

/** The aggregator on its grants, noting the queue-history keys each BatchGetItem asks for. */
const aggregator = () => {
  const clients = localAggregatorClients(stack, NOW);
  const historyKeysRead: string[] = [];
  clients.dynamodb.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'BatchGetItemCommand') {
        // The document client's keys, plain or already as attribute values.
        const request = (
          args.input as { RequestItems: Record<string, { Keys: { sk: string | { S: string } }[] }> }
        ).RequestItems;
        for (const { sk } of request[stack.tableNames.queueHistory]?.Keys ?? [])
          historyKeysRead.push(typeof sk === 'string' ? sk : sk.S);
      }
      return next(args);
    },
    { step: 'initialize', name: 'notingHistoryReads' },
  );
  return { deps: aggregatorDeps(clients), historyKeysRead };
};

const contactsByInterval = async (integrationId: string) =>
  (await partitionItems(stack, stack.tableNames.queueHistory, `${integrationId}#${QUEUE.id}`))
    .filter((item) => !String(item.sk).startsWith('backlog#'))
    .map((item) => [item.sk, item.contacts]);

const latestItem = async (integrationId: string) =>
  partitionItems(stack, stack.tableNames.queueCatalog, `${integrationId}#latest`);

describe("the aggregator reads no counter after its kind's latest", () => {
  it('a new integration: its first page reads no counter, a later page only those up to the mark, and every count is right', async () => {
    const integrationId = 'latest-new';
    const first = aggregator();
    await aggregateContacts(first.deps, page(integrationId, 'p1', 0, 3));
    expect(first.historyKeysRead).toEqual([]);
    expect(await latestItem(integrationId)).toEqual([
      { pk: `${integrationId}#latest`, sk: 'counters', support: intervalAt(3) },
    ]);

    // Another instance: intervals 2 and 3 are up to the mark and read; 4 and 5 are after it.
    const second = aggregator();
    await aggregateContacts(second.deps, page(integrationId, 'p2', 2, 5));
    expect(second.historyKeysRead.sort()).toEqual([intervalAt(2), intervalAt(3)]);
    expect((await latestItem(integrationId))[0]?.support).toBe(intervalAt(5));

    // An older page than the mark reads all its counters.
    await aggregateContacts(second.deps, page(integrationId, 'p3-older', 0, 1));
    expect(second.historyKeysRead.slice(2).sort()).toEqual([intervalAt(0), intervalAt(1)]);
    expect((await latestItem(integrationId))[0]?.support).toBe(intervalAt(5));

    expect(await contactsByInterval(integrationId)).toEqual([
      [intervalAt(0), 2],
      [intervalAt(1), 2],
      [intervalAt(2), 2],
      [intervalAt(3), 2],
      [intervalAt(4), 1],
      [intervalAt(5), 1],
    ]);
  });

  it('an integration counted before the marks (queues in its catalog, no marks) reads every counter and gets no marks', async () => {
    const integrationId = 'latest-before-marks';
    const db = documentClientFor(stack.dynamodb);
    await db.send(
      new PutCommand({
        TableName: stack.tableNames.queueCatalog,
        Item: catalogItem(integrationId, QUEUE, 1),
      }),
    );
    await db.send(
      new PutCommand({
        TableName: stack.tableNames.queueHistory,
        Item: queueIntervalItem({
          integrationId,
          queue: QUEUE,
          intervalStart: intervalAt(9),
          contacts: 5,
          handled: 0,
          handleSeconds: 0,
          support: { reopens: 0, backlogEntered: 0, backlogLeft: 0 },
          version: 1,
        }),
      }),
    );
    const { deps, historyKeysRead } = aggregator();
    await aggregateContacts(deps, page(integrationId, 'p1', 8, 9));
    expect(historyKeysRead.sort()).toEqual([intervalAt(8), intervalAt(9)]);
    expect(await latestItem(integrationId)).toEqual([]);
    expect(await contactsByInterval(integrationId)).toEqual([
      [intervalAt(8), 1],
      [intervalAt(9), 6],
    ]);
  });

  it('a mark is only ever raised, and only on an integration that has marks', async () => {
    const db = documentClientFor(stack.dynamodb);
    const catalog = new QueueCatalogRepository(db, stack.tableNames.queueCatalog);
    expect(await catalog.latestCounters('latest-raise')).toEqual({});
    await catalog.raiseLatest('latest-raise', 'talk', intervalAt(4));
    await catalog.raiseLatest('latest-raise', 'talk', intervalAt(2));
    await catalog.raiseLatest('latest-raise', 'backlogDay', '2026-03-01');
    expect(await catalog.latestCounters('latest-raise')).toEqual({
      talk: intervalAt(4),
      backlogDay: '2026-03-01',
    });

    await db.send(
      new PutCommand({
        TableName: stack.tableNames.queueCatalog,
        Item: catalogItem('latest-unmarked', QUEUE, 1),
      }),
    );
    expect(await catalog.latestCounters('latest-unmarked')).toBeNull();
    await catalog.raiseLatest('latest-unmarked', 'support', intervalAt(4));
    expect(await latestItem('latest-unmarked')).toEqual([]);
  });
});
