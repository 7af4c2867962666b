import { describe, expect, it } from '@jest/globals';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { itemSizeBytes, writeUnitsOfBytes } from '../../../shared/store/item-size.js';

describe('an item’s size as DynamoDB bills it (DynamoDB item sizes and formats)', () => {
  type Row = [rule: string, item: Record<string, AttributeValue>, bytes: number];
  const rows: Row[] = [
    ['a string is its name’s and its value’s UTF-8 bytes', { pk: { S: 'abc' } }, 5],
    ['a multi-byte character counts its UTF-8 bytes', { s: { S: 'é→' } }, 1 + 2 + 3],
    ['a number is a byte per two significant digits, plus one', { n: { N: '12345' } }, 1 + 3 + 1],
    ['leading and trailing zeros are trimmed', { n: { N: '000120.500' } }, 1 + 2 + 1],
    ['a negative decimal counts its digits only', { n: { N: '-1.5' } }, 1 + 1 + 1],
    ['a binary is its raw bytes, not its base64', { b: { B: new Uint8Array(100) } }, 1 + 100],
    ['a Boolean or a null is one byte', { t: { BOOL: true }, z: { NULL: true } }, 2 + 2],
    ['an empty map is 3 bytes', { m: { M: {} } }, 1 + 3],
    [
      'a map is 3 bytes, each entry its name, its value and one byte',
      { m: { M: { '08:15': { N: '12' }, '08:30': { N: '3' } } } },
      1 + 3 + (1 + 5 + 2) + (1 + 5 + 2),
    ],
    [
      'a list is 3 bytes, each element its value and one byte',
      { l: { L: [{ S: 'ab' }, { N: '7' }] } },
      1 + 3 + (1 + 2) + (1 + 2),
    ],
    ['a string set is its strings', { ss: { SS: ['a', 'bc'] } }, 2 + 3],
  ];
  it.each(rows)('%s', (_rule, item, bytes) => {
    expect(itemSizeBytes(item)).toBe(bytes);
  });

  type UnitRow = [rule: string, bytes: number, units: number];
  const units: UnitRow[] = [
    ['a write of a small item is one unit', 10, 1],
    ['a write of exactly 1 KB is one unit', 1024, 1],
    ['a unit per started KB', 1025, 2],
    ['a 7.2 KB item is eight units', 7373, 8],
  ];
  it.each(units)('%s', (_rule, bytes, expected) => {
    expect(writeUnitsOfBytes(bytes)).toBe(expected);
  });
});
