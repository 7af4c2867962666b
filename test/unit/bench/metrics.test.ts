import { describe, expect, it } from '@jest/globals';
import { DynamoDBClient, type AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  absentItemReadUnits,
  countDynamoDb,
  requestUnitsByTable,
  requestUnitsOf,
  transactionUnitsByTable,
  type TransactAction,
} from '../../../bench/metrics.js';

const put = { Put: { TableName: 'a' } };

describe('DynamoDB request units as AWS bills them', () => {
  type Row = [rule: string, command: string, input: object, consumed: unknown, units: number];
  const rows: Row[] = [
    ['a write counts the units DynamoDB reports', 'PutItemCommand', {}, { CapacityUnits: 3 }, 3],
    ['a batch sums its tables', 'BatchWriteItemCommand', {}, [{ CapacityUnits: 3 }, { CapacityUnits: 6 }], 9],
    ['an eventually consistent read is half a unit', 'GetItemCommand', {}, { CapacityUnits: 0.5 }, 0.5],
    [
      'a write refused by its condition still costs a unit',
      'UpdateItemCommand',
      { TableName: 'a' },
      undefined,
      1,
    ],
    [
      'a refused transaction costs two per write action',
      'TransactWriteItemsCommand',
      { TransactItems: [put, put] },
      undefined,
      4,
    ],
    ['a failed read is not counted', 'GetItemCommand', {}, undefined, 0],
    [
      'a Query counts the units DynamoDB reports: its items together, a unit per 4 KB',
      'QueryCommand',
      { TableName: 'a', ConsistentRead: true },
      { CapacityUnits: 2 },
      2,
    ],
    [
      'a strongly consistent Query that finds nothing costs the least read, one unit (DynamoDB Local reports 0)',
      'QueryCommand',
      { TableName: 'a', ConsistentRead: true },
      { CapacityUnits: 0 },
      1,
    ],
    [
      'an eventually consistent Query that finds nothing costs half a unit',
      'QueryCommand',
      { TableName: 'a' },
      { CapacityUnits: 0 },
      0.5,
    ],
  ];
  it.each(rows)('%s', (_rule, command, input, consumed, units) => {
    expect(requestUnitsOf(command, input, consumed as Parameters<typeof requestUnitsOf>[2])).toBe(units);
  });
});

describe('DynamoDB request units per table, to find which table costs what', () => {
  type Row = [rule: string, command: string, input: object, consumed: unknown, units: [string, number][]];
  const rows: Row[] = [
    [
      'a single-item command bills its table',
      'PutItemCommand',
      { TableName: 'a' },
      { TableName: 'a', CapacityUnits: 3 },
      [['a', 3]],
    ],
    [
      'a refused transaction bills two units per write action to its table',
      'TransactWriteItemsCommand',
      { TransactItems: [put, put, { Update: { TableName: 'b' } }] },
      undefined,
      [
        ['a', 2],
        ['a', 2],
        ['b', 2],
      ],
    ],
    [
      'a refused batch bills a unit per item of each table',
      'BatchWriteItemCommand',
      { RequestItems: { a: [{}, {}], b: [{}] } },
      undefined,
      [
        ['a', 2],
        ['b', 1],
      ],
    ],
  ];
  it.each(rows)('%s', (_rule, command, input, consumed, units) => {
    expect(requestUnitsByTable(command, input, consumed as Parameters<typeof requestUnitsOf>[2])).toEqual(
      units,
    );
  });
});

describe('a transaction’s write units, counted from the items it sends', () => {
  const item = (bytes: number): Record<string, AttributeValue> => ({ pk: { S: 'x'.repeat(bytes - 2) } });
  it('bills each put twice its own units, whatever DynamoDB Local answers', () => {
    const actions: TransactAction[] = [
      { Put: { TableName: 'markers', Item: item(40) } },
      { Put: { TableName: 'history', Item: item(900) } },
      { Put: { TableName: 'history', Item: item(1500) } },
      { Put: { TableName: 'history', Item: item(2100) } },
    ];
    const local = [
      { TableName: 'markers', CapacityUnits: 2 },
      { TableName: 'history', CapacityUnits: 6 },
    ];
    expect(requestUnitsByTable('TransactWriteItemsCommand', {}, local, actions)).toEqual([
      ['markers', 2],
      ['history', 2],
      ['history', 4],
      ['history', 6],
    ]);
  });
  it('counts an update, a delete or a condition check at one unit, twice', () => {
    expect(
      transactionUnitsByTable([
        { Update: { TableName: 'a' } },
        { Delete: { TableName: 'b' } },
        { ConditionCheck: { TableName: 'c' } },
      ]),
    ).toEqual([
      ['a', 2],
      ['b', 2],
      ['c', 2],
    ]);
  });
  it('bills a transaction refused by a condition the same units', () => {
    expect(
      requestUnitsByTable('TransactWriteItemsCommand', {}, undefined, [
        { Put: { TableName: 'a', Item: item(1500) } },
      ]),
    ).toEqual([['a', 4]]);
  });
});

describe('a batch read of absent items is billed the smallest read each', () => {
  type Row = [rule: string, input: object, output: object, units: [string, number][]];
  const rows: Row[] = [
    [
      'an absent key costs half a unit, eventually consistent',
      { RequestItems: { a: { Keys: [{}, {}, {}] } } },
      { Responses: { a: [{}] } },
      [['a', 1]],
    ],
    [
      'one unit when strongly consistent',
      { RequestItems: { a: { Keys: [{}, {}], ConsistentRead: true } } },
      { Responses: { a: [] } },
      [['a', 2]],
    ],
    [
      'an unprocessed key was not read',
      { RequestItems: { a: { Keys: [{}, {}, {}] } } },
      { Responses: { a: [{}] }, UnprocessedKeys: { a: { Keys: [{}] } } },
      [['a', 0.5]],
    ],
    [
      'every key found costs nothing more',
      { RequestItems: { a: { Keys: [{}] } } },
      { Responses: { a: [{}] } },
      [],
    ],
  ];
  it.each(rows)('%s', (_rule, input, output, units) => {
    expect(absentItemReadUnits(input, output)).toEqual(units);
  });
});

/** A client whose every request is answered with `output` (DynamoDB's answer as the test has it), never sent. */
const answeringClient = (output: Record<string, unknown>): DynamoDBClient => {
  const client = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'k', secretAccessKey: 's' },
  });
  client.middlewareStack.add(() => async () => ({ output: { $metadata: {}, ...output }, response: {} }), {
    step: 'finalizeRequest',
    name: 'answerWithoutSending',
  });
  return client;
};

describe('a transaction sent through the document client', () => {
  it('is billed from its items as DynamoDB stores them, marshalled: a 1.5 KB put is two units, twice', async () => {
    // DynamoDB Local's answer, which the count must not take: one item's units per table.
    const client = answeringClient({ ConsumedCapacity: [{ TableName: 'history', CapacityUnits: 2 }] });
    const { counts, attach } = countDynamoDb();
    attach(client);
    await DynamoDBDocumentClient.from(client).send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: 'history', Item: { pk: 'a', text: 'x'.repeat(1500) } } },
          { Put: { TableName: 'history', Item: { pk: 'b', n: 1 } } },
        ],
      }),
    );
    expect(counts.byTable.history).toEqual({ writes: 2, reads: 0, writeUnits: 6, readUnits: 0 });
    expect(counts.writeUnits).toBe(6);
  });
});

describe('the DynamoDB count', () => {
  it('rule: a Query counts the items it found as read, and its units as DynamoDB reports them', async () => {
    const client = answeringClient({
      Items: [
        { pk: { S: 'p' }, sk: { S: 'a' } },
        { pk: { S: 'p' }, sk: { S: 'b' } },
      ],
      ConsumedCapacity: { TableName: 'state', CapacityUnits: 1 },
    });
    const { counts, attach } = countDynamoDb();
    attach(client);
    await DynamoDBDocumentClient.from(client).send(
      new QueryCommand({
        TableName: 'state',
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'p' },
        ConsistentRead: true,
      }),
    );
    expect(counts.byTable.state).toEqual({ writes: 0, reads: 2, writeUnits: 0, readUnits: 1 });
    expect([counts.reads, counts.readUnits]).toEqual([2, 1]);
  });

  it('rule: counts only the clients attached (the functions’), not one the benchmark reads through', async () => {
    const client = () => answeringClient({ ConsumedCapacity: { TableName: 'history', CapacityUnits: 1 } });
    const { counts, attach } = countDynamoDb();
    const functions = client();
    attach(functions);
    const observer = client();
    const put = new PutCommand({ TableName: 'history', Item: { pk: 'a' } });
    await DynamoDBDocumentClient.from(functions).send(put);
    await DynamoDBDocumentClient.from(observer).send(put);
    expect([counts.writes, counts.writeUnits]).toEqual([1, 1]);
  });
});
