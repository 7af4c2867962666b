import {
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Item } from './batch.js';
import { eachConcurrently } from './concurrency.js';
import { isConditionFailure } from './errors.js';

/**
 * applied-markers table (pk only)
 *   pk = `${integrationId}#${pageKey}`        the message was applied completely
 *   pk = `${integrationId}#${pageKey}#${n}`   chunk n of its counter writes was committed
 *   attrs: expiresAt (N, epoch seconds; TTL)
 *
 * Counter items are written as absolute values under a version condition, in transactions of at
 * most 100 actions: 99 writes plus the chunk's marker, whose `attribute_not_exists` condition makes
 * a repeated chunk fail as a whole. The writes are sorted before chunking, so a retry of the same
 * message rebuilds the same chunks and skips those already committed. A marker outlives every way
 * a message can come back (14 days of SQS retention, a DLQ redrive): MARKER_TTL_DAYS.
 */
export const MARKER_TTL_DAYS = 45;
export const MAX_WRITES_PER_TRANSACTION = 99;
/** Transactions of one message in flight at once. */
const TRANSACTIONS_IN_FLIGHT = 4;

export interface VersionedPut {
  readonly table: string;
  /** The item to store, with `pk`, `sk` and its new `version`. */
  readonly item: Item;
  /** The version read before computing the item; 0 when it did not exist. */
  readonly expectedVersion: number;
}

export class ConcurrentCounterUpdateError extends Error {
  override readonly name = 'ConcurrentCounterUpdateError';
  constructor(marker: string) {
    super(`a counter written by ${marker} changed since it was read; the message will be retried`);
  }
}

const sortKeyOf = (p: VersionedPut) => `${p.table}\u0000${String(p.item.pk)}\u0000${String(p.item.sk ?? '')}`;

export class AppliedWrites {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly markersTable: string,
  ) {}

  async isApplied(marker: string): Promise<boolean> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.markersTable, Key: { pk: marker }, ConsistentRead: true }),
    );
    return out.Item !== undefined;
  }

  async markApplied(marker: string, expiresAt: number): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.markersTable, Item: { pk: marker, expiresAt } }));
  }

  /** Commits the writes in guarded chunks; returns how many chunks were written now (not before). */
  async commit(marker: string, writes: readonly VersionedPut[], expiresAt: number): Promise<number> {
    const sorted = [...writes].sort((a, b) =>
      sortKeyOf(a) < sortKeyOf(b) ? -1 : sortKeyOf(a) > sortKeyOf(b) ? 1 : 0,
    );
    const chunks: { n: number; chunk: VersionedPut[] }[] = [];
    for (let start = 0; start < sorted.length; start += MAX_WRITES_PER_TRANSACTION)
      chunks.push({ n: chunks.length, chunk: sorted.slice(start, start + MAX_WRITES_PER_TRANSACTION) });
    let written = 0;
    // Chunks touch distinct items and carry their own markers, so they commit independently: a few
    // at once keep a large message from waiting on one transaction after another.
    await eachConcurrently(chunks, TRANSACTIONS_IN_FLIGHT, async ({ n, chunk }) => {
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.markersTable,
                  Item: { pk: `${marker}#${n}`, expiresAt },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              ...chunk.map((w) => ({
                Put: {
                  TableName: w.table,
                  Item: w.item,
                  ...(w.expectedVersion === 0
                    ? { ConditionExpression: 'attribute_not_exists(pk)' }
                    : {
                        ConditionExpression: '#version = :expected',
                        ExpressionAttributeNames: { '#version': 'version' },
                        ExpressionAttributeValues: { ':expected': w.expectedVersion },
                      }),
                },
              })),
            ],
          }),
        );
        written += 1;
      } catch (error) {
        if (isConditionFailure(error, 0)) return; // this chunk was committed by an earlier attempt
        if (isConditionFailure(error)) throw new ConcurrentCounterUpdateError(marker);
        throw error;
      }
    });
    return written;
  }
}
