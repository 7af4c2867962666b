import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * An item's size as DynamoDB bills it, by the rules of "DynamoDB item sizes and formats" in the
 * DynamoDB developer guide: a string is its UTF-8 bytes, a number one byte per two significant
 * digits plus one, a binary its raw bytes, a Boolean or null one byte, a list or map 3 bytes plus
 * its elements and one byte per element; every attribute and map entry adds its name's UTF-8 bytes.
 *
 * The ticket-state repository sizes an item before choosing which to write; the benchmark needs it
 * because DynamoDB Local does not report a transaction's units as AWS bills them (it answers, per
 * table, the doubled units of one of its items, whatever their number).
 */
export const itemSizeBytes = (item: Readonly<Record<string, AttributeValue>>): number =>
  Object.entries(item).reduce((n, [name, value]) => n + utf8(name) + valueSize(value), 0);

/** Write units of a write of an item this size (transactions cost twice this). */
export const writeUnitsOfBytes = (bytes: number): number => Math.max(1, Math.ceil(bytes / 1024));

const utf8 = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Significant digits: sign, point and exponent aside, leading and trailing zeros trimmed. */
const numberSize = (n: string): number => {
  const digits = n
    .replace(/[eE].*$/, '')
    .replace(/[-+.]/g, '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return Math.ceil(digits.length / 2) + 1;
};

const valueSize = (value: AttributeValue): number => {
  if (value.S !== undefined) return utf8(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((n, s) => n + utf8(s), 0);
  if (value.NS !== undefined) return value.NS.reduce((n, s) => n + numberSize(s), 0);
  if (value.BS !== undefined) return value.BS.reduce((n, b) => n + b.byteLength, 0);
  if (value.L !== undefined) return 3 + value.L.reduce((n, v) => n + 1 + valueSize(v), 0);
  if (value.M !== undefined)
    return 3 + Object.entries(value.M).reduce((n, [name, v]) => n + 1 + utf8(name) + valueSize(v), 0);
  return 0;
};
