import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startLocalStack, type LocalStack } from '../../../local/local-stack.js';
import { localPipeline } from '../../../local/pipeline.js';
import { startDynamoDbLocal } from '../../../local/dynamodb-local.js';
import { clientConfig } from '../../../shared/aws.js';

/**
 * Rule (crash-safe local install): a write DynamoDB Local has answered is in its database file, so
 * Java killed right after it (SIGKILL: the OOM killer, a `kill -9`, no close of the database)
 * loses none of it. DynamoDB Local answers a transaction before it commits it, so every client of
 * the local stack waits for the commit (local/transaction-commits.ts); the queue journal's promise
 * (nothing fetched is lost) rests on this, since a message is deleted once its work was answered.
 */
const TABLE = 'kill-test';
const TRANSACTIONS = 20;

/** DynamoDB Local's Java: the reaper's only child. */
const javaPidOf = (reaperPid: number): number =>
  Number(readFileSync(`/proc/${reaperPid}/task/${reaperPid}/children`, 'utf8').trim().split(/\s+/)[0]);

describe('the local stack on a folder, its Java killed with SIGKILL right after it answered', () => {
  let dir: string;
  let running: LocalStack | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zendesk-wfm-ddb-kill-'));
  });
  afterEach(async () => {
    await running?.stop();
    running = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps every transaction answered to the stack's client and to a function's client", async () => {
    const first = await startLocalStack({ dataDir: dir, tables: [], queues: [] });
    running = first;
    await first.dynamodb.send(
      new CreateTableCommand({
        TableName: TABLE,
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const functionClient = first.awaitTransactionCommits(
      new DynamoDBClient({
        ...clientConfig(first.endpoints.dynamodb),
        requestHandler: first.dynamodb.config.requestHandler,
      }),
    );
    // Answered all at once, so their commits queue up behind each other when nothing waits for them.
    await Promise.all(
      Array.from({ length: TRANSACTIONS }, (_, i) =>
        DynamoDBDocumentClient.from(i % 2 === 0 ? first.dynamodb : functionClient).send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: TABLE, Item: { pk: `item-${i}`, n: i } } },
              { Put: { TableName: TABLE, Item: { pk: `marker-${i}` } } },
            ],
          }),
        ),
      ),
    );
    process.kill(javaPidOf(first.dynamoDbLocalPid), 'SIGKILL');
    functionClient.destroy();
    await first.stop();
    running = undefined;

    const second = await startLocalStack({ dataDir: dir, tables: [], queues: [] });
    running = second;
    const kept: string[] = [];
    for (let i = 0; i < TRANSACTIONS; i++)
      for (const pk of [`item-${i}`, `marker-${i}`]) {
        const { Item } = await second.dynamodb.send(
          new GetItemCommand({ TableName: TABLE, Key: { pk: { S: pk } }, ConsistentRead: true }),
        );
        if (Item) kept.push(pk);
      }
    expect(kept).toEqual(Array.from({ length: TRANSACTIONS }, (_, i) => [`item-${i}`, `marker-${i}`]).flat());
  });

  it('a DynamoDB Local that ends on its own is told, naming how, and stops the run at its next poll', async () => {
    const stack = await startLocalStack({ dataDir: dir });
    running = stack;
    expect(stack.unexpectedDatabaseExit()).toBeUndefined();
    process.kill(javaPidOf(stack.dynamoDbLocalPid), 'SIGKILL');
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (stack.unexpectedDatabaseExit() === undefined) return;
        clearInterval(check);
        resolve();
      }, 5);
    });
    expect(stack.unexpectedDatabaseExit()?.message).toBe(
      'DynamoDB Local (Java) ended on its own (signal SIGKILL; the out-of-memory killer or a kill, most likely): nothing fetched is lost; run the command again',
    );
    // The local pipeline's own health check, asked before every poll: a sync stops with it.
    await expect(localPipeline(stack).drain()).rejects.toThrow(
      'DynamoDB Local (Java) ended on its own (signal SIGKILL',
    );
    await stack.stop();
    running = undefined;
  });

  it('a DynamoDB Local stopped by its reaper (a Ctrl-C reaches the whole process group) is no unexpected end', async () => {
    const ddb = await startDynamoDbLocal({ dataDir: dir });
    process.kill(ddb.pid, 'SIGINT');
    await ddb.ended;
    expect(ddb.unexpectedExit()).toBeUndefined();
    await ddb.stop();
  });
});
