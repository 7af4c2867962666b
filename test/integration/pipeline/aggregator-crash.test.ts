import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { localFunctionClients } from '../../../local/function-clients.js';
import { startLocalStack, type LocalStack } from '../../../local/local-stack.js';
import { silentLogger } from '../../../local/pipeline.js';
import { NO_TALK_FIGURES } from '../../../shared/domain/counters.js';
import type { ContactsMessage, Fact } from '../../../shared/messages/contacts.js';
import { aggregateContacts } from '../../../shared/pipeline/aggregator.js';
import { aggregatorDeps } from '../../../shared/pipeline/build-deps.js';
import { FUNCTION_GRANTS } from '../../../shared/pipeline/function-grants.js';
import { WRITES_PER_CHUNK, writerTag } from '../../../shared/store/applied-writes.js';
import { LocalSecretStore } from '../../../shared/store/secret-store.js';
import { crashAfterWrites, type CrashSwitch } from '../../support/crash-after-writes.js';

/**
 * Rule (SPEC §6, exactly once): the aggregator may die after any single write of a message — a
 * chunk of counters with its marker, a catalog entry, a batch of facts, the message's marker —
 * and the redelivered message must leave queue history, catalog and coverage byte for byte as an
 * uninterrupted run does. Chunk membership must therefore not depend on what the first attempt
 * already wrote (a queue already in the catalog, say).
 */
const NOW = new Date('2026-03-02T12:00:00Z');
const QUEUES = 5;

const call = (
  id: number,
  queue: number,
  interval: number,
  handleSeconds: number,
  updatedAt: string,
): Fact => ({
  kind: 'call',
  callId: id,
  updatedAt,
  contribution: {
    queue: { id: `talk:ivr:Q${queue}`, name: `Calls Inbound For Q${queue}`, channel: 'call', source: 'talk' },
    intervalStart: new Date(Date.parse('2026-03-01T00:00:00Z') + interval * 900_000).toISOString(),
    contacts: 1,
    handled: 1,
    handleSeconds,
    // Talk's figures vary with the call and its version, so a doubled or lost one shows
    talk: {
      ...NO_TALK_FIGURES,
      abandonedOnHold: id % 2,
      serviceLevelOffered: 1,
      serviceLevelAnswered: handleSeconds % 3 === 0 ? 1 : 0,
      answeredCalls: 1,
      answerWaitSeconds: handleSeconds % 50,
    },
  },
  outcome: { kind: 'counted' },
});

const SUPPORT_QUEUES = 2;

/**
 * A Support update in a view's queue: a contact in some intervals, a ticket entering or leaving
 * the queue's backlog in others (most without a contact), over two UTC days.
 */
const update = (id: number, queue: number, interval: number): Fact => {
  const contact = interval % 3 === 0;
  return {
    kind: 'update_in_view',
    updateId: id,
    at: new Date(Date.parse('2026-03-01T20:00:00Z') + interval * 900_000).toISOString(),
    contribution: {
      queue: {
        id: `support:${queue}:email`,
        name: `View ${queue} (email)`,
        channel: 'email',
        source: 'support',
        viewId: queue,
      },
      intervalStart: new Date(Date.parse('2026-03-01T20:00:00Z') + interval * 900_000).toISOString(),
      contacts: contact ? 1 : 0,
      handled: 0,
      handleSeconds: 0,
      support: {
        reopens: contact && id % 2 === 0 ? 1 : 0,
        backlogEntered: contact ? 1 : 0,
        backlogLeft: contact ? 0 : 1 + (id % 2),
      },
    },
  };
};

/**
 * Two pages: 150 calls in new queues (more counters than one transaction holds), then newer
 * versions of 60 of them in other intervals and 40 calls in two queues not seen before.
 */
const messages = (integrationId: string): ContactsMessage[] => [
  {
    version: 2,
    pageKey: 'calls-1',
    integrationId,
    facts: Array.from({ length: 150 }, (_, i) =>
      call(i, i % QUEUES, Math.floor(i / QUEUES), 60 + i, '2026-03-01T10:00:00.000Z'),
    ),
  },
  {
    version: 2,
    pageKey: 'calls-2',
    integrationId,
    facts: [
      ...Array.from({ length: 60 }, (_, i) =>
        call(i, i % QUEUES, 40 + Math.floor(i / QUEUES), 300 + i, '2026-03-01T11:00:00.000Z'),
      ),
      ...Array.from({ length: 40 }, (_, i) =>
        call(1000 + i, QUEUES + (i % 2), Math.floor(i / 2), 90, '2026-03-01T11:00:00.000Z'),
      ),
    ],
  },
  {
    // Support: 330 updates, 110 of them contacts (more interval counters than one transaction
    // holds), and backlog moves in every interval, kept per queue and day (165 quarter hours from
    // 20:00: three UTC days, six day items).
    version: 2,
    pageKey: 'updates-1',
    integrationId,
    facts: Array.from({ length: 330 }, (_, i) =>
      update(i, i % SUPPORT_QUEUES, Math.floor(i / SUPPORT_QUEUES)),
    ),
  },
];

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(async () => {
  await stack?.stop();
});

/** The aggregator's dependencies on clients with its grants enforced, and the crash switch on them. */
const aggregator = (crash: CrashSwitch) => {
  const { clients } = localFunctionClients(stack, 'aggregator', FUNCTION_GRANTS.aggregator, {
    secrets: new LocalSecretStore(),
    logger: silentLogger,
    now: () => NOW,
  });
  return aggregatorDeps({
    ...clients,
    dynamodb: crash.install(clients.dynamodb),
    sqs: crash.install(clients.sqs),
  });
};

/**
 * Each message's writer tag (a hash of its chunk marker, which names the integration) as the
 * message it stands for, so that runs under different integration ids compare: the same message
 * must have written the same items.
 */
const tagNames = (integrationId: string): [string, string][] =>
  messages(integrationId).map((m): [string, string] => [
    writerTag(`${integrationId}#${m.pageKey}#days`),
    `<written by ${m.pageKey}>`,
  ]);

/**
 * The items of partitions, the integration's id and writer tags replaced, as DynamoDB stores
 * them (attribute values).
 */
const itemsOf = async (table: string, integrationId: string, pks: readonly string[]): Promise<string[]> => {
  const tags = tagNames(integrationId);
  const items: string[] = [];
  for (const pk of pks) {
    const out = await stack.dynamodb.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: pk } },
        ConsistentRead: true,
      }),
    );
    items.push(
      ...(out.Items ?? []).map((item) =>
        tags.reduce(
          (json, [tag, name]) => json.split(tag).join(name),
          JSON.stringify(item).split(integrationId).join('<id>'),
        ),
      ),
    );
  }
  return items;
};

const published = async (integrationId: string) => ({
  queueHistory: await itemsOf(stack.tableNames.queueHistory, integrationId, [
    ...Array.from({ length: QUEUES + 2 }, (_, q) => `${integrationId}#talk:ivr:Q${q}`),
    ...Array.from({ length: SUPPORT_QUEUES }, (_, q) => `${integrationId}#support:${q}:email`),
  ]),
  // The queues, and the latest counters' marks (raised before the counters past them).
  catalog: await itemsOf(stack.tableNames.queueCatalog, integrationId, [
    integrationId,
    `${integrationId}#latest`,
  ]),
  coverage: await itemsOf(stack.tableNames.coverage, integrationId, [integrationId]),
});

const runAll = async (integrationId: string, crashAt?: { message: number; after: number }) => {
  for (const [i, message] of messages(integrationId).entries()) {
    if (crashAt?.message === i) {
      const crash = crashAfterWrites(crashAt.after);
      const failed = await aggregateContacts(aggregator(crash), message).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect([crash.crashed, failed?.name]).toEqual([true, 'Crash']);
    }
    // The delivery (or the redelivery after the crash) that completes.
    await aggregateContacts(aggregator(crashAfterWrites(undefined)), message);
  }
};

describe('the aggregator crashed after each single write of a message, then redelivered', () => {
  let clean: Awaited<ReturnType<typeof published>>;
  const writesOf: number[] = [];

  beforeAll(async () => {
    for (const [i, message] of messages('clean').entries()) {
      const counting = crashAfterWrites(undefined);
      await aggregateContacts(aggregator(counting), message);
      writesOf[i] = counting.writes;
    }
    clean = await published('clean');
  });

  it('the pages need more than one chunk of counters', () => {
    expect(clean.queueHistory.length).toBeGreaterThan(WRITES_PER_CHUNK);
    // Its queues, and the marks of its latest counters (Talk's, Support's and the backlog days').
    expect(clean.catalog.filter((item) => !item.includes('#latest'))).toHaveLength(
      QUEUES + 2 + SUPPORT_QUEUES,
    );
    expect(clean.catalog.filter((item) => item.includes('#latest'))).toEqual([
      '{"sk":{"S":"counters"},"talk":{"S":"2026-03-01T12:45:00.000Z"},"pk":{"S":"<id>#latest"},"support":{"S":"2026-03-03T12:30:00.000Z"},"backlogDay":{"S":"2026-03-03"}}',
    ]);
    // The Support page: 110 intervals with contacts and 6 backlog days (2 queues, 3 UTC days).
    const support = clean.queueHistory.filter((item) => item.includes('support:'));
    expect(support.filter((item) => item.includes('"kind":{"S":"backlogDay"}'))).toHaveLength(6);
    expect(support).toHaveLength(116);
  });

  it('leaves queue history, catalog and coverage byte for byte as an uninterrupted run, whichever write it died after', async () => {
    const differing: string[] = [];
    for (const message of [0, 1, 2]) {
      for (let after = 1; after <= writesOf[message]!; after += 1) {
        const id = `crash-${message}-${after}`;
        await runAll(id, { message, after });
        if (JSON.stringify(await published(id)) !== JSON.stringify(clean)) {
          differing.push(`message ${message + 1}, after write ${after}`);
        }
      }
    }
    expect(writesOf.every((n) => n >= 5)).toBe(true);
    expect(differing).toEqual([]);
    // Two dozen crashes, each followed by a complete run: a long enumeration, not a slow system.
  }, 600_000);

  it('counts a message once when two deliveries of it run at once (a visibility timeout passed), the loser redelivered', async () => {
    const id = 'twice';
    const failures: string[] = [];
    for (const message of messages(id)) {
      const both = await Promise.allSettled([
        aggregateContacts(aggregator(crashAfterWrites(undefined)), message),
        aggregateContacts(aggregator(crashAfterWrites(undefined)), message),
      ]);
      for (const r of both) {
        if (r.status === 'fulfilled') continue;
        // Only a counter moved under it may fail a delivery; SQS then delivers it again.
        failures.push((r.reason as Error).name);
        await aggregateContacts(aggregator(crashAfterWrites(undefined)), message);
      }
    }
    expect(failures.filter((name) => name !== 'ConcurrentCounterUpdateError')).toEqual([]);
    expect(JSON.stringify(await published(id))).toBe(JSON.stringify(clean));
  });

  it('counts a message once when it died after any of its writes and was parked while later messages changed the same counters', async () => {
    // The Support page dies after one of its writes and is parked. Parking holds the integration's
    // later pages back; should some still get ahead of it (on AWS, sent between a redrive's release
    // of the hold and its move of the parked page), they count in the same intervals before the
    // first page is redriven. A later page reads every counter the first may have written (the
    // first raised the latest counters' marks before writing any), and the items the first page
    // wrote carry its tag, which every later page keeps on them while the first is unfinished, so
    // the first adds nothing to them again, however many later pages wrote them since.
    // (Ticket updates: a call's newer version in a later page is the case this cannot make right;
    // see shared/store/applied-writes.ts.)
    const [, , first] = messages('x');
    const LATER_PAGES = 5;
    const laterPages = (integrationId: string): ContactsMessage[] =>
      Array.from({ length: LATER_PAGES }, (_, page) => ({
        version: 2,
        pageKey: `updates-${page + 2}`,
        integrationId,
        facts: Array.from({ length: 330 }, (_, i) =>
          update(5000 + 1000 * page + i, i % SUPPORT_QUEUES, Math.floor(i / SUPPORT_QUEUES)),
        ),
      }));
    const runLater = async (integrationId: string) => {
      for (const m of laterPages(integrationId))
        await aggregateContacts(aggregator(crashAfterWrites(undefined)), m);
    };
    const supportOf = async (integrationId: string) =>
      (await published(integrationId)).queueHistory.filter((item) => item.includes('support:'));
    // Every count as in order; only the bookkeeping of items written in another order may differ:
    // their version, and which messages wrote them.
    const counts = (items: string[]) =>
      items.map((item) =>
        item.replace(/"version":\{"N":"\d+"\}/, '').replace(/"writtenBy":\{"L":\[[^\]]*\]\}/, ''),
      );

    const ordered = 'parked-in-order';
    await aggregateContacts(aggregator(crashAfterWrites(undefined)), { ...first!, integrationId: ordered });
    await runLater(ordered);
    const inOrder = JSON.stringify(counts(await supportOf(ordered)));

    const differing: string[] = [];
    let leftItsItems = 0;
    for (let after = 1; after <= writesOf[2]!; after += 1) {
      const parked = `parked-${after}`;
      const crash = crashAfterWrites(after);
      await expect(
        aggregateContacts(aggregator(crash), { ...first!, integrationId: parked }),
      ).rejects.toMatchObject({ name: 'Crash' });
      await runLater(parked);
      await aggregateContacts(aggregator(crashAfterWrites(undefined)), { ...first!, integrationId: parked });
      const redriven = await supportOf(parked);
      if (redriven.some((item) => item.includes('<written by updates-1>'))) leftItsItems += 1;
      if (JSON.stringify(counts(redriven)) !== inOrder) differing.push(`after write ${after}`);
    }
    // Some crashes left items the first page had written, which the later pages then changed.
    expect(leftItsItems).toBeGreaterThan(0);
    expect(differing).toEqual([]);
    // A crash at each write, each followed by six pages: a long enumeration, not a slow system.
  }, 600_000);
});
