/**
 * applied-markers table (pk only)
 *   pk = `${integrationId}#${pageKey}`        the message was applied completely
 *   pk = `${chunkMarker}#${n}`                chunk n of its counter writes was committed; the
 *                                             chunk marker is the message's (`…#${pageKey}`), or
 *                                             `…#${pageKey}#days` for one planned since schema
 *                                             5, backlog moves in day items (see the aggregator)
 *   attrs: expiresAt (N, epoch seconds; TTL)
 *
 * Counter items are written as absolute values in chunks of at most 99, each with its marker,
 * whose `attribute_not_exists` condition refuses a chunk committed before. A message's writes are
 * planned by id before their values are known, and sorted by id before chunking: chunk membership
 * depends on nothing but the ids, which a retry of the same message plans again, whatever an
 * earlier attempt already wrote. The retry asks which chunks were committed and computes values
 * only for the others: a committed counter read back would be counted twice (or, taking away,
 * below zero). A marker outlives every way a message can come back (14 days of SQS retention, a
 * DLQ redrive): MARKER_TTL_DAYS.
 *
 * Within a chunk, a counter that exists is put under its version in one transaction with the
 * chunk's marker. A new counter is created before that, in a batch, carrying the message's
 * creation tag (`createdBy`, a hash of the message's chunk marker, kept by every later write of
 * the item): a transaction costs twice the write units of the same puts outside one, and in a
 * backfill most counters are new. So a chunk is no longer all or nothing: a crash (or a failure
 * that outlasts the retries) between the two leaves new items without the marker, visible to
 * readers until the retry. The retry reads them with its own tag, knows they hold its
 * contribution, and writes the rest. A batch put has no condition: a new item relies on the
 * serialised processing of the integration's messages (one FIFO group; a parked message holds the
 * later ones back, shared/pipeline/parked-work.ts) to be absent still, as every read-then-write
 * here does; the version condition still turns a surprise on an existing counter into a retry.
 * The one order this cannot make right: a later message that gets ahead of a parked one which
 * created items (on AWS only, sent between a redrive's release of the hold and its move of the
 * parked message, the window in which the view classifier would also take a redriven page's
 * updates for old ones) and that carries a newer version of one of its calls. The call's fact is
 * not stored yet (facts are stored after the counters), so the later message adds the newer
 * version without taking the older away, which the created items already hold: counted twice.
 */
import {
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import { batchGet, batchPut, lookupKey, type Item } from './batch.js';
import { eachConcurrently } from './concurrency.js';
import { isConditionFailure } from './errors.js';

export const MARKER_TTL_DAYS = 45;
export const MAX_WRITES_PER_TRANSACTION = 99;
/**
 * Chunks of one message in flight at once (each its batch of new counters, then its transaction):
 * a page has a dozen or so. Measured on the medium account, 8 took the aggregator from 137.5 s to
 * 125 s against 4; 16 was no faster in one run, and would only make each page's burst on the
 * table steeper.
 */
const TRANSACTIONS_IN_FLIGHT = 8;

export interface VersionedPut {
  readonly table: string;
  /** The item to store, with `pk`, `sk` and its new `version`. */
  readonly item: Item;
  /** The version read before computing the item; 0 when it did not exist. */
  readonly expectedVersion: number;
  /** The stored item's `createdBy`, read with its version (absent: none, or no item). */
  readonly createdBy?: string;
}

/**
 * The `createdBy` a message's new items carry: a hash of the message's chunk marker (the base of
 * its chunks' markers), 20 bytes of the item. The message's, not the chunk's: an item created by
 * any attempt of the message is recognised whichever chunk a retry plans it in. 66 bits: two
 * messages of one integration agreeing by chance is not a concern.
 */
export const creationTag = (marker: string): string =>
  createHash('sha256').update(marker).digest('base64url').slice(0, 11);

/** A stored counter with its item's `createdBy`, which only these writes look at. */
export type WithCreatedBy<T> = T & { readonly createdBy?: string };

/** `value`, read from `item`, with the item's creation tag when it has one. */
export const withCreatedBy = <T>(value: T, item: Item): WithCreatedBy<T> =>
  typeof item.createdBy === 'string' ? { ...value, createdBy: item.createdBy } : (value as WithCreatedBy<T>);

/** The `createdBy` a VersionedPut passes on: the tag of the counter it was computed from, if any. */
export const storedCreatedBy = (was: { readonly createdBy?: string } | undefined): { createdBy?: string } =>
  was?.createdBy !== undefined ? { createdBy: was.createdBy } : {};

/**
 * A write of a message, planned before its value is known: `id` (unique and stable for the
 * message, e.g. the counter's name) places it in its chunk; `build` computes it, only when its
 * chunk is still to be committed.
 */
export interface PlannedWrite {
  readonly id: string;
  readonly build: () => VersionedPut;
}

/** Chunks the writes of a message take (each with its marker `<message marker>#<n>`). */
export const chunkCount = (writes: number): number => Math.ceil(writes / MAX_WRITES_PER_TRANSACTION);

export class ConcurrentCounterUpdateError extends Error {
  override readonly name = 'ConcurrentCounterUpdateError';
  constructor(marker: string) {
    super(`a counter written by ${marker} changed since it was read; the message will be retried`);
  }
}

const byTable = (puts: readonly VersionedPut[]): Map<string, Item[]> => {
  const out = new Map<string, Item[]>();
  for (const w of puts) {
    const items = out.get(w.table) ?? [];
    items.push(w.item);
    out.set(w.table, items);
  }
  return out;
};

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

  /**
   * Which of a message's `chunks` chunks an earlier attempt committed: their markers read in one
   * batch (a page's dozen markers one by one were a tenth of the aggregator's time).
   */
  async committedChunks(marker: string, chunks: number): Promise<ReadonlySet<number>> {
    const keys = Array.from({ length: chunks }, (_, n) => ({ pk: `${marker}#${n}` }));
    const found = await batchGet(this.db, this.markersTable, keys);
    return new Set(keys.flatMap((key, n) => (found.has(lookupKey(key)) ? [n] : [])));
  }

  /**
   * Commits the writes in guarded chunks, skipping the `committed` ones without building their
   * writes; returns how many chunks were written now (not before).
   */
  async commit(
    marker: string,
    writes: readonly PlannedWrite[],
    expiresAt: number,
    committed: ReadonlySet<number> = new Set(),
  ): Promise<number> {
    const sorted = [...writes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    sorted.forEach((w, i) => {
      if (i > 0 && sorted[i - 1]!.id === w.id) throw new Error(`${marker}: two writes have the id ${w.id}`);
    });
    const chunks: { n: number; chunk: PlannedWrite[] }[] = [];
    for (let start = 0; start < sorted.length; start += MAX_WRITES_PER_TRANSACTION)
      chunks.push({ n: chunks.length, chunk: sorted.slice(start, start + MAX_WRITES_PER_TRANSACTION) });
    let written = 0;
    // Chunks touch distinct items and carry their own markers, so they commit independently: a few
    // at once keep a large message from waiting on one transaction after another.
    const pending = chunks.filter(({ n }) => !committed.has(n));
    const tag = creationTag(marker);
    await eachConcurrently(pending, TRANSACTIONS_IN_FLIGHT, async ({ n, chunk }) => {
      const chunkMarker = `${marker}#${n}`;
      // An item an earlier attempt of this message created holds its contribution already.
      const puts = chunk.map((w) => w.build()).filter((w) => w.createdBy !== tag);
      const creations = puts.filter((w) => w.expectedVersion === 0);
      const updates = puts.filter((w) => w.expectedVersion !== 0);
      for (const [table, items] of byTable(creations))
        await batchPut(
          this.db,
          table,
          items.map((item) => ({ ...item, createdBy: tag })),
        );
      const markerPut = {
        TableName: this.markersTable,
        Item: { pk: chunkMarker, expiresAt },
        ConditionExpression: 'attribute_not_exists(pk)',
      };
      try {
        if (updates.length === 0) await this.db.send(new PutCommand(markerPut));
        else
          await this.db.send(
            new TransactWriteCommand({
              TransactItems: [
                { Put: markerPut },
                ...updates.map((w) => ({
                  Put: {
                    TableName: w.table,
                    Item: w.createdBy === undefined ? w.item : { ...w.item, createdBy: w.createdBy },
                    ConditionExpression: '#version = :expected',
                    ExpressionAttributeNames: { '#version': 'version' },
                    ExpressionAttributeValues: { ':expected': w.expectedVersion },
                  },
                })),
              ],
            }),
          );
        written += 1;
      } catch (error) {
        // The marker exists: an earlier attempt committed this chunk.
        if (updates.length === 0 ? isConditionFailure(error) : isConditionFailure(error, 0)) return;
        if (isConditionFailure(error)) throw new ConcurrentCounterUpdateError(marker);
        throw error;
      }
    });
    return written;
  }
}
