import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startLocalStack, type LocalStack } from '../../../local/local-stack.js';
import { NO_TALK_FIGURES, type SupportFigures } from '../../../shared/domain/counters.js';
import type { ContactsMessage } from '../../../shared/messages/contacts.js';
import { aggregateContacts } from '../../../shared/pipeline/aggregator.js';
import { readQueueHistories } from '../../../shared/pipeline/readback.js';
import { QueueHistoryRepository } from '../../../shared/store/queue-history-repository.js';
import { documentClientFor } from '../../../shared/store/clients.js';
import { catalogItem } from '../../../shared/store/queue-catalog-repository.js';
import { localAggregatorDeps, partitionItems } from '../../support/local-aggregator.js';

/**
 * Rule (issue #20): the queue-history record's schema is raised to 2 for Talk's figures, to 3
 * for Support's, to 4 for Talk's failed and not-answered calls and to 5 for Support's backlog moves
 * kept per queue and UTC day, and an interval written by an earlier schema stays readable: its
 * figures are absent (not recorded), not zero, and the next write of that interval adds them to
 * what it already counted.
 */
const NOW = new Date('2026-03-02T12:00:00Z');
const QUEUE = {
  id: 'talk:ivr:Billing',
  name: 'Calls Inbound For Billing',
  channel: 'call',
  source: 'talk',
} as const;
const START = '2026-03-01T09:00:00.000Z';

let stack: LocalStack;
const documents = () => documentClientFor(stack.dynamodb);
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(async () => {
  await stack?.stop();
});

const deps = () => localAggregatorDeps(stack, NOW);

/** A Talk interval item as an earlier schema wrote it: its key and queue, then `fields`. */
const putTalkInterval = async (integrationId: string, fields: Record<string, unknown>) => {
  await documents().send(
    new PutCommand({
      TableName: stack.tableNames.queueHistory,
      Item: {
        pk: `${integrationId}#${QUEUE.id}`,
        sk: START,
        integrationId,
        queueId: QUEUE.id,
        queueName: QUEUE.name,
        channel: 'call',
        source: 'talk',
        intervalStart: START,
        ...fields,
      },
    }),
  );
};

/** An interval exactly as schema 1 wrote it: two calls, one handled, no Talk figures. */
const putSchema1Interval = async (integrationId: string) => {
  await putTalkInterval(integrationId, {
    contacts: 2,
    handled: 1,
    handleSeconds: 300,
    ahtSeconds: 300,
    schemaVersion: 1,
    version: 3,
  });
  await documents().send(
    new PutCommand({ TableName: stack.tableNames.queueCatalog, Item: catalogItem(integrationId, QUEUE, 1) }),
  );
};

describe('queue history schema 2', () => {
  it('reads a schema 1 interval with its counters and without Talk figures', async () => {
    await putSchema1Interval('old');
    const repo = new QueueHistoryRepository(documents(), stack.tableNames.queueHistory);
    expect(await repo.intervals('old', QUEUE.id)).toEqual([
      {
        integrationId: 'old',
        queue: QUEUE,
        intervalStart: START,
        contacts: 2,
        handled: 1,
        handleSeconds: 300,
        ahtSeconds: 300,
        schemaVersion: 1,
        version: 3,
      },
    ]);
  });

  it('a call counted into a schema 1 interval writes the current schema with its figures added', async () => {
    await putSchema1Interval('upgrade');
    const talk = { ...NO_TALK_FIGURES, abandonedInQueue: 1, serviceLevelOffered: 1 };
    const message: ContactsMessage = {
      version: 2,
      pageKey: 'calls-1',
      integrationId: 'upgrade',
      facts: [
        {
          kind: 'call',
          callId: 7,
          updatedAt: '2026-03-01T09:05:00.000Z',
          contribution: {
            queue: QUEUE,
            intervalStart: START,
            contacts: 1,
            handled: 0,
            handleSeconds: 0,
            talk,
          },
          outcome: { kind: 'counted' },
        },
      ],
    };
    await aggregateContacts(deps(), message);
    const repo = new QueueHistoryRepository(documents(), stack.tableNames.queueHistory);
    const [interval] = await repo.intervals('upgrade', QUEUE.id);
    expect(interval).toMatchObject({
      contacts: 3,
      handled: 1,
      handleSeconds: 300,
      talk,
      schemaVersion: 5,
      version: 4,
    });
    // SL % 0 (one offered, none within), no ASA (nothing answered that is timed)
    const [queue] = await readQueueHistories(
      {
        catalog: { list: async () => [{ queue: QUEUE, version: 1 }], hasMarks: async () => false },
        views: { list: async () => [] },
        queueHistory: repo,
      },
      'upgrade',
    );
    expect(queue?.intervals).toEqual([
      {
        start: START,
        contacts: 3,
        handled: 1,
        handleTimeSeconds: 300,
        ahtSeconds: 300,
        talk,
        serviceLevelPercent: 0,
      },
    ]);
  });
});

describe("queue history schema 3: Support's figures", () => {
  const SUPPORT = {
    id: 'support:1:email',
    name: 'Inbox (email)',
    channel: 'email',
    source: 'support',
    viewId: 1,
  } as const;
  const putSchema2SupportInterval = async (integrationId: string, start: string) => {
    await documents().send(
      new PutCommand({
        TableName: stack.tableNames.queueHistory,
        Item: {
          pk: `${integrationId}#${SUPPORT.id}`,
          sk: start,
          integrationId,
          queueId: SUPPORT.id,
          queueName: SUPPORT.name,
          channel: 'email',
          source: 'support',
          viewId: 1,
          intervalStart: start,
          contacts: 2,
          handled: 0,
          handleSeconds: 0,
          schemaVersion: 2,
          version: 1,
        },
      }),
    );
    await documents().send(
      new PutCommand({
        TableName: stack.tableNames.queueCatalog,
        Item: catalogItem(integrationId, SUPPORT, 1),
      }),
    );
  };
  const readBack = (repo: QueueHistoryRepository, integrationId: string) =>
    readQueueHistories(
      {
        catalog: { list: async () => [{ queue: SUPPORT, version: 1 }], hasMarks: async () => false },
        views: { list: async () => [] },
        queueHistory: repo,
      },
      integrationId,
    );

  it('a schema 2 Support interval reads without Support figures; updates write the current schema with them, the backlog derived on read', async () => {
    const LATER = '2026-03-01T09:15:00.000Z';
    const LAST = '2026-03-01T09:30:00.000Z';
    await putSchema2SupportInterval('support-upgrade', START);
    const part = (updateId: number, intervalStart: string, contacts: number, support: SupportFigures) => ({
      kind: 'update_in_view' as const,
      updateId,
      at: intervalStart,
      contribution: { queue: SUPPORT, intervalStart, contacts, handled: 0, handleSeconds: 0, support },
    });
    const message: ContactsMessage = {
      version: 2,
      pageKey: 'updates-1',
      integrationId: 'support-upgrade',
      facts: [
        part(1, LATER, 1, { reopens: 1, backlogEntered: 2, backlogLeft: 0 }),
        // Only a backlog move: an interval without contacts, in the day's record, not listed, in the level.
        part(2, LAST, 0, { reopens: 0, backlogEntered: 0, backlogLeft: 1 }),
        part(3, '2026-03-01T09:45:00.000Z', 1, { reopens: 0, backlogEntered: 0, backlogLeft: 0 }),
      ],
    };
    await aggregateContacts(deps(), message);
    // A redelivery moves nothing.
    await aggregateContacts(deps(), message);
    const repo = new QueueHistoryRepository(documents(), stack.tableNames.queueHistory);
    const stored = await repo.intervals('support-upgrade', SUPPORT.id);
    expect(stored.map((i) => [i.intervalStart, i.contacts, i.support, i.schemaVersion])).toEqual([
      [START, 2, undefined, 2],
      [LATER, 1, { reopens: 1, backlogEntered: 2, backlogLeft: 0 }, 5],
      [LAST, 0, { reopens: 0, backlogEntered: 0, backlogLeft: 1 }, 5],
      ['2026-03-01T09:45:00.000Z', 1, { reopens: 0, backlogEntered: 0, backlogLeft: 0 }, 5],
    ]);
    const [queue] = await readBack(repo, 'support-upgrade');
    expect(queue?.intervals).toEqual([
      { start: START, contacts: 2 },
      { start: LATER, contacts: 1, support: { reopens: 1, backlogEntered: 2, backlogLeft: 0 }, backlog: 2 },
      {
        start: '2026-03-01T09:45:00.000Z',
        contacts: 1,
        support: { reopens: 0, backlogEntered: 0, backlogLeft: 0 },
        backlog: 1,
      },
    ]);
  });
});

describe("queue history schema 5: Support's backlog moves in one item per queue and UTC day", () => {
  const SUPPORT = {
    id: 'support:2:email',
    name: 'Waiting (email)',
    channel: 'email',
    source: 'support',
    viewId: 2,
  } as const;
  const move = (updateId: number, intervalStart: string, contacts: number, support: SupportFigures) => ({
    kind: 'update_in_view' as const,
    updateId,
    at: intervalStart,
    contribution: { queue: SUPPORT, intervalStart, contacts, handled: 0, handleSeconds: 0, support },
  });
  const partition = (integrationId: string) =>
    partitionItems(stack, stack.tableNames.queueHistory, `${integrationId}#${SUPPORT.id}`);

  it('moves of many intervals and two days write one item per day; contacts keep their interval item, its reopens only; a redelivery changes nothing', async () => {
    const integrationId = 'schema-5';
    const message: ContactsMessage = {
      version: 2,
      pageKey: 'updates-1',
      integrationId,
      facts: [
        move(1, '2026-03-01T09:00:00.000Z', 1, { reopens: 1, backlogEntered: 1, backlogLeft: 0 }),
        move(2, '2026-03-01T10:15:00.000Z', 0, { reopens: 0, backlogEntered: 0, backlogLeft: 1 }),
        move(3, '2026-03-01T23:45:00.000Z', 0, { reopens: 0, backlogEntered: 2, backlogLeft: 0 }),
        move(4, '2026-03-02T00:00:00.000Z', 0, { reopens: 0, backlogEntered: 0, backlogLeft: 1 }),
      ],
    };
    await aggregateContacts(deps(), message);
    await aggregateContacts(deps(), message);
    const items = await partition(integrationId);
    expect(
      items.map((i) => [i.sk, i.contacts, i.support, i.backlogEntered, i.backlogLeft, i.version]),
    ).toEqual([
      ['2026-03-01T09:00:00.000Z', 1, { reopens: 1 }, undefined, undefined, 1],
      ['backlog#2026-03-01', undefined, undefined, { '09:00': 1, '23:45': 2 }, { '10:15': 1 }, 1],
      ['backlog#2026-03-02', undefined, undefined, {}, { '00:00': 1 }, 1],
    ]);
    expect(items[1]).toMatchObject({
      kind: 'backlogDay',
      queueId: SUPPORT.id,
      queueName: SUPPORT.name,
      channel: 'email',
      source: 'support',
      viewId: 2,
      day: '2026-03-01',
      schemaVersion: 5,
    });

    // A later page adds to the day's item and to an interval's contacts.
    await aggregateContacts(deps(), {
      version: 2,
      pageKey: 'updates-2',
      integrationId,
      facts: [move(5, '2026-03-01T10:15:00.000Z', 1, { reopens: 0, backlogEntered: 0, backlogLeft: 1 })],
    });
    const repo = new QueueHistoryRepository(documents(), stack.tableNames.queueHistory);
    const stored = await repo.intervals(integrationId, SUPPORT.id);
    expect(stored.map((i) => [i.intervalStart, i.contacts, i.support, i.version])).toEqual([
      ['2026-03-01T09:00:00.000Z', 1, { reopens: 1, backlogEntered: 1, backlogLeft: 0 }, 1],
      ['2026-03-01T10:15:00.000Z', 1, { reopens: 0, backlogEntered: 0, backlogLeft: 2 }, 1],
      ['2026-03-01T23:45:00.000Z', 0, { reopens: 0, backlogEntered: 2, backlogLeft: 0 }, 0],
      ['2026-03-02T00:00:00.000Z', 0, { reopens: 0, backlogEntered: 0, backlogLeft: 1 }, 0],
    ]);
    expect((await partition(integrationId)).find((i) => i.sk === 'backlog#2026-03-01')).toMatchObject({
      backlogLeft: { '10:15': 2 },
      version: 2,
    });
  });

  it('a schema 4 interval that counted its backlog moves itself keeps them; new moves go to the day and are read added to them', async () => {
    const integrationId = 'schema-4-support';
    const START = '2026-03-01T09:00:00.000Z';
    await documents().send(
      new PutCommand({
        TableName: stack.tableNames.queueHistory,
        Item: {
          pk: `${integrationId}#${SUPPORT.id}`,
          sk: START,
          integrationId,
          queueId: SUPPORT.id,
          queueName: SUPPORT.name,
          channel: 'email',
          source: 'support',
          viewId: 2,
          intervalStart: START,
          contacts: 1,
          handled: 0,
          handleSeconds: 0,
          support: { reopens: 0, backlogEntered: 3, backlogLeft: 1 },
          schemaVersion: 4,
          version: 1,
        },
      }),
    );
    // As the code that wrote it did: a queue is in the catalog before its counters.
    await documents().send(
      new PutCommand({
        TableName: stack.tableNames.queueCatalog,
        Item: catalogItem(integrationId, SUPPORT, 1),
      }),
    );
    await aggregateContacts(deps(), {
      version: 2,
      pageKey: 'updates-1',
      integrationId,
      facts: [move(1, START, 1, { reopens: 1, backlogEntered: 1, backlogLeft: 0 })],
    });
    const items = await partition(integrationId);
    expect(items.map((i) => [i.sk, i.contacts, i.support, i.backlogEntered, i.schemaVersion])).toEqual([
      [START, 2, { reopens: 1, backlogEntered: 3, backlogLeft: 1 }, undefined, 5],
      ['backlog#2026-03-01', undefined, undefined, { '09:00': 1 }, 5],
    ]);
    const repo = new QueueHistoryRepository(documents(), stack.tableNames.queueHistory);
    expect((await repo.intervals(integrationId, SUPPORT.id)).map((i) => i.support)).toEqual([
      { reopens: 1, backlogEntered: 4, backlogLeft: 1 },
    ]);
  });
});

describe("queue history schema 4: Zendesk's failed and not-answered calls", () => {
  it('a schema 3 Talk interval, whose failed call was counted as an unknown status, reads failed and notAnswered as 0', async () => {
    const integrationId = 'schema-3-talk';
    const talk = {
      abandonedInQueue: 0,
      abandonedInIvr: 0,
      abandonedInVoicemail: 0,
      abandonedOnHold: 0,
      unknownStatus: 1,
      callbacks: 0,
      serviceLevelOffered: 0,
      serviceLevelAnswered: 0,
      answeredCalls: 0,
      answerWaitSeconds: 0,
    };
    await putTalkInterval(integrationId, {
      contacts: 1,
      handled: 0,
      handleSeconds: 0,
      talk,
      schemaVersion: 3,
      version: 1,
    });
    const repo = new QueueHistoryRepository(documents(), stack.tableNames.queueHistory);
    const [interval] = await repo.intervals(integrationId, QUEUE.id);
    expect(interval?.talk).toEqual({ ...talk, failed: 0, notAnswered: 0 });
  });
});
