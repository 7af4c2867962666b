/**
 * BatchGetItem / BatchWriteItem in chunks of the service limits (100 keys, 25 writes), retrying
 * what DynamoDB leaves unprocessed until nothing is left, with a short backoff. The chunks of one
 * call go out concurrently (a few at a time): they touch distinct keys, and one round trip per
 * chunk in a row made large pages wait on the table's latency rather than its throughput.
 */
import {
  BatchGetCommand,
  BatchWriteCommand,
  QueryCommand,
  ScanCommand,
  type DynamoDBDocumentClient,
  type NativeAttributeValue,
} from '@aws-sdk/lib-dynamodb';
import { eachConcurrently } from './concurrency.js';

export type Item = Record<string, NativeAttributeValue>;
export type Key = { pk: string; sk?: string };

const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

/** Chunks in flight at once per call: enough to hide round trips, few enough not to trip throttling. */
export const CHUNK_CONCURRENCY = 8;

const pause = (attempt: number) => new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));

const keyOf = (k: Key) => `${k.pk}\u0000${k.sk ?? ''}`;

/** Reads the items with these keys; the result maps `pk\0sk` to the item (missing keys are absent). */
export const batchGet = async (
  db: DynamoDBDocumentClient,
  table: string,
  keys: readonly Key[],
): Promise<Map<string, Item>> => {
  const found = new Map<string, Item>();
  const unique = [...new Map(keys.map((k) => [keyOf(k), k])).values()];
  await eachConcurrently(chunks(unique, 100), CHUNK_CONCURRENCY, async (chunk) => {
    let pending: Item[] | undefined = chunk as Item[];
    for (let attempt = 0; pending && pending.length > 0; attempt += 1) {
      if (attempt > 0) await pause(attempt);
      const out = await db.send(
        new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: true } } }),
      );
      for (const item of out.Responses?.[table] ?? []) found.set(keyOf(item as Key), item);
      pending = out.UnprocessedKeys?.[table]?.Keys as Item[] | undefined;
    }
  });
  return found;
};

export const lookupKey = keyOf;

/**
 * Puts these items (last write wins; callers serialise per integration). Their keys must be
 * distinct: chunks are written concurrently, so a repeated key would have no defined winner.
 */
export const batchPut = async (db: DynamoDBDocumentClient, table: string, items: readonly Item[]) =>
  batchWrite(
    db,
    table,
    items.map((Item) => ({ PutRequest: { Item } })),
  );

/** Deletes the items with these keys (an absent one is no error). */
export const batchDelete = async (db: DynamoDBDocumentClient, table: string, keys: readonly Key[]) =>
  batchWrite(
    db,
    table,
    keys.map((Key) => ({ DeleteRequest: { Key } })),
  );

type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Key } };

const batchWrite = async (db: DynamoDBDocumentClient, table: string, requests: readonly WriteRequest[]) => {
  await eachConcurrently(chunks(requests, 25), CHUNK_CONCURRENCY, async (chunk) => {
    let pending = chunk;
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt > 0) await pause(attempt);
      const out = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (out.UnprocessedItems?.[table] ?? []) as WriteRequest[];
    }
  });
};

/**
 * Every item of one partition (`pk`), in sort-key order, following the query's pages; with
 * `skFrom`, only those whose sort key is `skFrom` or after.
 */
export const queryPartition = (
  db: DynamoDBDocumentClient,
  table: string,
  pk: string,
  skFrom?: string,
): Promise<Item[]> => queryPartitionWhere(db, table, pk, skFrom === undefined ? {} : { skFrom });

/** Which of a partition's items a query returns. */
export interface PartitionSlice {
  /** Sort keys at or after this. */
  readonly skFrom?: string;
  /** With `skFrom`: sort keys up to and including this. */
  readonly skTo?: string;
  /**
   * Of those, the items for which this DynamoDB condition holds (its values in `filterValues`).
   * DynamoDB still reads (and bills) the others; it only leaves them out of its answer.
   */
  readonly filter?: string;
  readonly filterValues?: Record<string, NativeAttributeValue>;
  /** Stop at the first page that returns an item: whether there is one, not all of them. */
  readonly firstFound?: boolean;
  /**
   * Items read per request (DynamoDB's `Limit`, counted before the filter). Small with
   * `firstFound`, so the first match ends the read soon: a page is otherwise a megabyte of items.
   */
  readonly pageSize?: number;
}

/** The items of one partition in sort-key order, within `slice`, read consistently. */
export const queryPartitionWhere = async (
  db: DynamoDBDocumentClient,
  table: string,
  pk: string,
  slice: PartitionSlice,
): Promise<Item[]> => {
  const { skFrom, skTo, filter, filterValues, firstFound, pageSize } = slice;
  const keyCondition =
    skFrom === undefined
      ? 'pk = :pk'
      : skTo === undefined
        ? 'pk = :pk AND sk >= :from'
        : 'pk = :pk AND sk BETWEEN :from AND :to';
  const items: Item[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: keyCondition,
        ExpressionAttributeValues: {
          ':pk': pk,
          ...(skFrom === undefined ? {} : { ':from': skFrom }),
          ...(skFrom !== undefined && skTo !== undefined ? { ':to': skTo } : {}),
          ...filterValues,
        },
        ...(filter !== undefined ? { FilterExpression: filter } : {}),
        ...(pageSize !== undefined ? { Limit: pageSize } : {}),
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = firstFound === true && items.length > 0 ? undefined : page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
};

/**
 * The items of every partition whose key is `prefix` followed by one of `suffix`'s forms (a whole
 * number: another integration's id may begin with this one's), with sort key `sk`: a Scan, for the
 * operator's reads only (no function is granted one).
 */
export const scanPartitionsByPrefix = async (
  db: DynamoDBDocumentClient,
  table: string,
  prefix: string,
  sk: string,
): Promise<{ suffix: number; item: Record<string, unknown> }[]> => {
  const out: { suffix: number; item: Record<string, unknown> }[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: 'begins_with(pk, :prefix) AND sk = :sk',
        ExpressionAttributeValues: { ':prefix': prefix, ':sk': sk },
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const suffix = String(item.pk).slice(prefix.length);
      if (/^\d+$/.test(suffix)) out.push({ suffix: Number(suffix), item });
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return out;
};
