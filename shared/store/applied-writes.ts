/**
 * applied-markers table (pk only)
 *   pk = `${integrationId}#${pageKey}`        the message was applied completely
 *   pk = `${chunkMarker}#${n}`                chunk n of its counter writes was committed; the
 *                                             chunk marker is the message's (`…#${pageKey}`), or
 *                                             `…#${pageKey}#days` for one planned since schema
 *                                             5, backlog moves in day items (see the aggregator)
 *   attrs: expiresAt (N, epoch seconds; TTL)
 *   pk = `${integrationId}#writing`          the integration's messages that began writing
 *                                             counters and have not finished (see below)
 *   attrs: one per such message, named by its chunk marker, its value the message's marker; no
 *          expiresAt (an entry goes when its message finishes, or when a later message finds the
 *          message's marker)
 *
 * Counter items are written as absolute values in chunks of at most 99, each followed by its
 * marker, whose `attribute_not_exists` condition refuses a chunk committed before. A message's
 * writes are planned by id before their values are known, and sorted by id before chunking: chunk
 * membership depends on nothing but the ids, which a retry of the same message plans again,
 * whatever an earlier attempt already wrote. The retry asks which chunks were committed and
 * computes values only for the others. A marker outlives every way a message can come back (14
 * days of SQS retention, a DLQ redrive): MARKER_TTL_DAYS.
 *
 * A chunk is not written all or nothing: a transaction costs twice the write units of the same
 * puts outside one, and the counters are most of the pipeline's writes. Instead every counter a
 * message writes carries the message's writer tag (a hash of its chunk marker) first in
 * `writtenBy`. A crash (or a failure that outlasts the retries) inside a chunk leaves some of its
 * counters written and its marker absent, visible to readers until the retry. The retry reads
 * them with its own tag, knows they hold its contribution (read back and counted again, it would
 * be counted twice, or taken away twice), and writes the rest. A new counter is created in a batch
 * put, which has no condition: it relies on the serialised processing of the integration's
 * messages (one FIFO group; a parked message holds the later ones back,
 * shared/pipeline/parked-work.ts) to be absent still, as every read-then-write here does. A
 * counter that exists is put on its own under the version it was read with, so a surprise (two
 * deliveries of one message at once) turns into a retry rather than a lost update.
 *
 * A message lists itself as writing (`beginWriting`) before its first counter and removes itself
 * once its marker is put (`endWriting`). A later message keeps, behind its own tag, the tags of the
 * unfinished messages among a counter's writers, and drops the others: a finished message is
 * never retried (its marker answers), so only an unfinished one needs its tag found again. That
 * matters in one order only: a later message that gets ahead of a parked one (on AWS only, sent
 * between a redrive's release of the hold and its move of the parked message, the window in which
 * the view classifier would also take a redriven page's updates for old ones). However many later
 * messages write the parked one's counters, its tag stays on them until it is redriven and
 * finishes. An entry left by a crash between a message's marker and its removal is removed by the
 * next message that finds the marker. Items written before the tags carry `createdBy`, the tag of
 * the message that created them, kept by every later write and read as one of their writers
 * (counters were then updated only in a transaction with their chunk's marker, so an unfinished
 * message of that code wrote only counters it created).
 * The one order this cannot make right: in that window, a later message that carries a newer
 * version of one of the parked message's calls. The call's fact is not stored yet (facts are
 * stored after the counters), so the later message adds the newer version without taking the
 * older away, which the parked message's counters already hold: counted twice.
 */
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import { batchGet, batchPut, lookupKey, type Item } from './batch.js';
import { eachConcurrently } from './concurrency.js';
import { isConditionFailure } from './errors.js';

export const MARKER_TTL_DAYS = 45;

const writingKey = (integrationId: string): string => `${integrationId}#writing`;
/**
 * Writes per chunk, each chunk with its marker. 99 was a transaction's limit (with the marker)
 * when a chunk was one; it stays, since a message planned by an earlier attempt must be planned in
 * the same chunks by its retry.
 */
export const WRITES_PER_CHUNK = 99;
/**
 * Chunks of one message in flight at once (each its batch of new counters, then its puts of known
 * ones, then its marker): a page has a dozen or so. Measured on the medium account (when a chunk
 * was a transaction), 8 took the aggregator from 137.5 s to 125 s against 4; 16 was no faster in
 * one run, and would only make each page's burst on the table steeper.
 */
const CHUNKS_IN_FLIGHT = 8;
/** Puts of known counters in flight at once within a chunk. */
const PUTS_IN_FLIGHT = 16;

/** Which messages wrote a stored counter, as its item says (see the header). */
export interface WriterTags {
  /** The tag of the message that created it, on an item written before `writtenBy`. */
  readonly createdBy?: string;
  /** The tag of the message that wrote it last, then those of unfinished messages that wrote it before. */
  readonly writtenBy?: readonly string[];
}

export interface VersionedPut {
  readonly table: string;
  /** The item to store, with `pk`, `sk` and its new `version`; its writer tags are added here. */
  readonly item: Item;
  /** The version read before computing the item; 0 when it did not exist. */
  readonly expectedVersion: number;
}

/**
 * The tag a message's writes carry: a hash of the message's chunk marker (the base of its chunks'
 * markers). The message's, not the chunk's: an item written by any attempt of the message is
 * recognised whichever chunk a retry plans it in. 66 bits: two messages of one integration
 * agreeing by chance is not a concern.
 */
export const writerTag = (marker: string): string =>
  createHash('sha256').update(marker).digest('base64url').slice(0, 11);

/** A stored counter with its item's writer tags, which only these writes look at. */
export type WithWriterTags<T> = T & WriterTags;

/** `value`, read from `item`, with the item's writer tags. */
export const withWriterTags = <T>(value: T, item: Item): WithWriterTags<T> => {
  const createdBy = typeof item.createdBy === 'string' ? item.createdBy : undefined;
  const writtenBy = Array.isArray(item.writtenBy)
    ? item.writtenBy.filter((t): t is string => typeof t === 'string')
    : undefined;
  if (createdBy === undefined && writtenBy === undefined) return value as WithWriterTags<T>;
  return {
    ...value,
    ...(createdBy !== undefined ? { createdBy } : {}),
    ...(writtenBy !== undefined ? { writtenBy } : {}),
  };
};

/** The writer tags of a counter as read (none when there is no counter). */
export const storedWriterTags = (was: WriterTags | undefined): WriterTags => ({
  ...(was?.createdBy !== undefined ? { createdBy: was.createdBy } : {}),
  ...(was?.writtenBy !== undefined ? { writtenBy: was.writtenBy } : {}),
});

/** Whether the message of `tag` is among a counter's writers. */
const writtenByTag = (writers: WriterTags, tag: string): boolean =>
  writers.createdBy === tag || (writers.writtenBy?.includes(tag) ?? false);

/**
 * The item as stored by the message of `tag`: its tag first, then those of the earlier writers
 * still unfinished (`keep`).
 */
const stamped = (w: VersionedPut, writers: WriterTags, tag: string, keep: ReadonlySet<string>): Item => ({
  ...w.item,
  ...(writers.createdBy !== undefined ? { createdBy: writers.createdBy } : {}),
  writtenBy: [tag, ...(writers.writtenBy ?? []).filter((t) => t !== tag && keep.has(t))],
});

/**
 * A write of a message, planned before its value is known: `id` (unique and stable for the
 * message, e.g. the counter's name) places it in its chunk; `build` computes it, only when its
 * chunk is still to be committed and the counter as read (`writers`) does not hold the message's
 * contribution already (computed on such a counter, a difference could take it below zero).
 */
export interface PlannedWrite {
  readonly id: string;
  /** The writer tags of the counter as read: none when it does not exist. */
  readonly writers: () => WriterTags;
  readonly build: () => VersionedPut;
}

/** Chunks the writes of a message take (each with its marker `<message marker>#<n>`). */
export const chunkCount = (writes: number): number => Math.ceil(writes / WRITES_PER_CHUNK);

export class ConcurrentCounterUpdateError extends Error {
  override readonly name = 'ConcurrentCounterUpdateError';
  constructor(marker: string) {
    super(`a counter written by ${marker} changed since it was read; the message will be retried`);
  }
}

const byTable = (items: readonly { table: string; item: Item }[]): Map<string, Item[]> => {
  const out = new Map<string, Item[]>();
  for (const w of items) {
    const list = out.get(w.table) ?? [];
    list.push(w.item);
    out.set(w.table, list);
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
   * Lists the message (its chunk marker, and its marker) as writing counters, before its first.
   */
  async beginWriting(integrationId: string, chunkMarker: string, marker: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.markersTable,
        Key: { pk: writingKey(integrationId) },
        UpdateExpression: 'SET #m = :marker',
        ExpressionAttributeNames: { '#m': chunkMarker },
        ExpressionAttributeValues: { ':marker': marker },
      }),
    );
  }

  /** Removes the message from the writing ones, once its marker is put. */
  async endWriting(integrationId: string, chunkMarker: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.markersTable,
        Key: { pk: writingKey(integrationId) },
        UpdateExpression: 'REMOVE #m',
        ExpressionAttributeNames: { '#m': chunkMarker },
      }),
    );
  }

  /**
   * The tags of the integration's unfinished writers but the message of `marker`: the tags its
   * writes keep on the counters (`commit`). An entry whose message's marker exists (a crash between
   * the marker and its removal) is removed instead.
   */
  async unfinishedWriterTags(integrationId: string, marker: string): Promise<ReadonlySet<string>> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.markersTable,
        Key: { pk: writingKey(integrationId) },
        ConsistentRead: true,
      }),
    );
    const others = Object.entries(out.Item ?? {}).filter(
      (e): e is [string, string] => e[0] !== 'pk' && typeof e[1] === 'string' && e[1] !== marker,
    );
    const tags = new Set<string>();
    for (const [chunkMarker, messageMarker] of others) {
      if (await this.isApplied(messageMarker)) await this.endWriting(integrationId, chunkMarker);
      else tags.add(writerTag(chunkMarker));
    }
    return tags;
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
   * writes; returns how many chunks were written now (not before). `keep`: the tags of unfinished
   * writers to keep on the counters (`unfinishedWriterTags`).
   */
  async commit(
    marker: string,
    writes: readonly PlannedWrite[],
    expiresAt: number,
    committed: ReadonlySet<number> = new Set(),
    keep: ReadonlySet<string> = new Set(),
  ): Promise<number> {
    const sorted = [...writes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    sorted.forEach((w, i) => {
      if (i > 0 && sorted[i - 1]!.id === w.id) throw new Error(`${marker}: two writes have the id ${w.id}`);
    });
    const chunks: { n: number; chunk: PlannedWrite[] }[] = [];
    for (let start = 0; start < sorted.length; start += WRITES_PER_CHUNK)
      chunks.push({ n: chunks.length, chunk: sorted.slice(start, start + WRITES_PER_CHUNK) });
    let written = 0;
    // Chunks touch distinct items and carry their own markers, so they commit independently: a few
    // at once keep a large message from waiting on one chunk after another.
    const pending = chunks.filter(({ n }) => !committed.has(n));
    const tag = writerTag(marker);
    await eachConcurrently(pending, CHUNKS_IN_FLIGHT, async ({ n, chunk }) => {
      // An item an earlier attempt of this message wrote holds its contribution already.
      const puts = chunk.flatMap((w) => {
        const writers = w.writers();
        return writtenByTag(writers, tag) ? [] : [{ ...w.build(), writers }];
      });
      const creations = puts.filter((w) => w.expectedVersion === 0);
      const updates = puts.filter((w) => w.expectedVersion !== 0);
      for (const [table, items] of byTable(
        creations.map((w) => ({ table: w.table, item: stamped(w, w.writers, tag, keep) })),
      ))
        await batchPut(this.db, table, items);
      await eachConcurrently(updates, PUTS_IN_FLIGHT, async (w) => {
        try {
          await this.db.send(
            new PutCommand({
              TableName: w.table,
              Item: stamped(w, w.writers, tag, keep),
              ConditionExpression: '#version = :expected',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':expected': w.expectedVersion },
            }),
          );
        } catch (error) {
          if (isConditionFailure(error)) throw new ConcurrentCounterUpdateError(marker);
          throw error;
        }
      });
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.markersTable,
            Item: { pk: `${marker}#${n}`, expiresAt },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        written += 1;
      } catch (error) {
        // The marker exists: another attempt of this message committed the chunk meanwhile.
        if (isConditionFailure(error)) return;
        throw error;
      }
    });
    return written;
  }
}
