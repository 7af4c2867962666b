import { describe, expect, it } from '@jest/globals';
import { requestUnitsByTable, requestUnitsOf } from '../../../bench/metrics.js';

const put = { Put: { TableName: 'a' } };

describe('DynamoDB request units as AWS bills them', () => {
  type Row = [rule: string, command: string, input: object, consumed: unknown, units: number];
  const rows: Row[] = [
    ['a write counts the units DynamoDB reports', 'PutItemCommand', {}, { CapacityUnits: 3 }, 3],
    [
      'a transaction costs twice its units',
      'TransactWriteItemsCommand',
      { TransactItems: [put, put] },
      [{ CapacityUnits: 2 }],
      4,
    ],
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
      'a transaction bills each table twice what DynamoDB reports for it',
      'TransactWriteItemsCommand',
      { TransactItems: [put, { Update: { TableName: 'b' } }] },
      [
        { TableName: 'a', CapacityUnits: 2 },
        { TableName: 'b', CapacityUnits: 5 },
      ],
      [
        ['a', 4],
        ['b', 10],
      ],
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
