import { Readable } from 'node:stream';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from '@jest/globals';
import { awaitTransactionCommits } from '../../../local/transaction-commits.js';
import { clientConfig } from '../../../shared/aws.js';

/**
 * Rule (crash-safe local install): DynamoDB Local answers a transaction before it commits it, so a
 * local client's caller hears a transaction's answer only after a later request (ListTables, a job
 * behind the commit) was answered; other writes are not followed by one. The kill test
 * (test/integration/local/dynamodb-local-kill.test.ts) shows the loss itself; this pins the order.
 */
type Event = string;

/** A DynamoDB endpoint in the process: records each operation it answers, in order. */
const endpoint = (events: Event[], who: string, fails = false) => ({
  handle: async (request: { headers: Record<string, string> }) => {
    const operation = (request.headers['x-amz-target'] ?? '').replace('DynamoDB_20120810.', '');
    if (fails) throw new Error('connect ECONNREFUSED 127.0.0.1:1');
    events.push(`${who} answers ${operation}`);
    const body = operation === 'ListTables' ? '{"TableNames":[]}' : '{}';
    return {
      response: {
        statusCode: 200,
        headers: { 'content-type': 'application/x-amz-json-1.0' },
        body: Readable.from([Buffer.from(body)]),
      },
    };
  },
});

const clientOf = (requestHandler: ReturnType<typeof endpoint>) =>
  new DynamoDBClient({ ...clientConfig('http://127.0.0.1:1'), requestHandler, maxAttempts: 1 });

const transaction = new TransactWriteCommand({
  TransactItems: [{ Put: { TableName: 'history', Item: { pk: 'a' } } }],
});

describe('awaitTransactionCommits', () => {
  it('answers a transaction (document client too) only after the barrier read was answered', async () => {
    const events: Event[] = [];
    const client = awaitTransactionCommits(
      clientOf(endpoint(events, 'client')),
      clientOf(endpoint(events, 'barrier')),
    );
    await DynamoDBDocumentClient.from(client).send(transaction);
    events.push('caller hears the answer');
    expect(events).toEqual([
      'client answers TransactWriteItems',
      'barrier answers ListTables',
      'caller hears the answer',
    ]);
  });

  it('sends no barrier read after a write that is not a transaction', async () => {
    const events: Event[] = [];
    const client = awaitTransactionCommits(
      clientOf(endpoint(events, 'client')),
      clientOf(endpoint(events, 'barrier')),
    );
    await client.send(new PutItemCommand({ TableName: 'history', Item: { pk: { S: 'a' } } }));
    expect(events).toEqual(['client answers PutItem']);
  });

  it('says a transaction whose barrier read failed is not known to be stored', async () => {
    const events: Event[] = [];
    const client = awaitTransactionCommits(
      clientOf(endpoint(events, 'client')),
      clientOf(endpoint(events, 'barrier', true)),
    );
    await expect(DynamoDBDocumentClient.from(client).send(transaction)).rejects.toThrow(
      'DynamoDB Local answered TransactWriteItems but not the read that waits for its commit (connect ECONNREFUSED 127.0.0.1:1): it is not known to be stored',
    );
    expect(events).toEqual(['client answers TransactWriteItems']);
  });
});
