/**
 * interactions table
 *   pk = integrationId
 *   sk = `${pageKey}#${n}`   chunk n of the interactions one page of ticket updates produced
 *   attrs: count (N), interactions (B: packed JSON, packed-json.ts: an array of StoredInteraction, at most
 *          INTERACTIONS_PER_CHUNK of them and at most MAX_CHUNK_BYTES)
 * Every counted interaction with the ticket as it was right after it: a view added later is
 * replayed against these (SPEC §3 "views over time") without fetching anything from Zendesk again.
 *
 * A page's interactions are stored as a few chunks rather than an item each: the classifier's
 * writes per page drop from one per interaction to one per hundred. Beside them, in a partition of
 * its own (so that no read of the chunks meets it):
 *   pk = `${integrationId}#written`   sk = pageKey   (no attributes) every chunk of the page is written
 * A page redone after a crash that came once its interactions were all written (and its state
 * partly saved) skips the updates its state already reflects and finds fewer interactions; their
 * chunks, halved where they are too large, can then fall differently and under more keys, so a page
 * whose `written` item exists writes nothing again. One redone before that finds the same
 * interactions (its state was not saved), so it gives the same chunks, put only if absent, and the
 * `written` item after them.
 *
 * The update log, in a partition of its own (so a replay's reading of the interactions never
 * meets it):
 *   pk = `${integrationId}#updates`
 *   sk = `${pageKey}#${n}`   chunk n of the log entries of one page of ticket updates, or of one
 *                            replay page (its contacts message's key)
 *   attrs: count (N), entries (B: packed JSON, packed-json.ts: an array of UpdateLogEntry, at most
 *          LOG_ENTRIES_PER_CHUNK of them)
 * Every ticket update the view classifier applied (counted, unmapped, skipped with its reason, or
 * warm-up) with the queues it counted in, and every interaction a view's replay counted with the
 * queues it added: exactly the facts the aggregator summed, so `zendesk-wfm explain` lists the
 * contacts behind a stored interval and every update of a ticket with its verdict. One item per
 * page (a thousand entries pack to a few tens of KB), written like the interactions, with a
 * `written` item after them (`${integrationId}#updates#written`, sk = pageKey).
 * Read whole, per integration, by the operator's side only: no function is granted a read of it.
 */
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { eachConcurrently } from './concurrency.js';
import { CHUNK_CONCURRENCY } from './batch.js';
import { writtenUnlessRefused } from './errors.js';
import { packJson, unpackJson } from './packed-json.js';
import { queryPartition } from './batch.js';
import type { UpdateVerdict } from '../messages/outcomes.js';

export interface StoredInteraction<State> {
  /**
   * The update (audit) that is the interaction; null for a ticket's creation counted from its
   * record (the tickets export), which has no update of its own: `ticketId` names it then.
   */
  readonly updateId: number | null;
  readonly ticketId: number;
  readonly createdAt: string;
  readonly channel: string;
  readonly viaChannel: string | null;
  readonly state: State;
  /**
   * Ids of the views (supported and active then) this interaction was evaluated against when it
   * was classified: a later replay of one of them must not count it again.
   */
  readonly evaluatedViews: readonly number[];
  /** A reopen (the customer writing on a solved ticket); absent: not one, or stored before reopens were told. */
  readonly reopen?: true;
}

/**
 * One line of the update log. `classified`: an update as the view classifier applied it, its
 * verdict, the role of its author (the first comment's author, else the updater; null when
 * unknown) and the queues it counted in then. `replayed`: the queues a view's replay added for an
 * interaction classified before that view counted.
 */
export type UpdateLogEntry =
  | {
      readonly kind: 'classified';
      /** Null for a creation counted from the ticket record (it has no update of its own). */
      readonly updateId: number | null;
      readonly ticketId: number;
      readonly at: string;
      readonly verdict: UpdateVerdict;
      /** The update created the ticket (whatever its verdict): `reconcile` compares creations with Zendesk's. */
      readonly creates: boolean;
      readonly authorRole: string | null;
      readonly queueIds: readonly string[];
    }
  | {
      readonly kind: 'replayed';
      readonly updateId: number | null;
      readonly ticketId: number;
      readonly at: string;
      readonly viewId: number;
      readonly queueIds: readonly string[];
    };

/** Log entries per stored chunk: a page of updates (at most 1000 from Zendesk) is one item. */
export const LOG_ENTRIES_PER_CHUNK = 1000;

const logPartition = (integrationId: string) => `${integrationId}#updates`;
/** Where the `written` items of a partition's pages are kept. */
const writtenPartition = (pk: string) => `${pk}#written`;

/** Interactions per stored chunk: a hundred states usually compress far below DynamoDB's 400 KB item limit. */
export const INTERACTIONS_PER_CHUNK = 100;

/**
 * The most a chunk's packed values may weigh: DynamoDB's 400 KB item limit less room for the key.
 * A state carries its description's word hashes, up to about 100 KB packed for the longest
 * description Zendesk keeps, so a hundred interactions of tickets with long descriptions can weigh
 * more than an item holds.
 */
export const MAX_CHUNK_BYTES = 350_000;

/**
 * `values` packed in chunks of at most `perChunk`, each chunk halved until it packs within
 * `MAX_CHUNK_BYTES`. The chunks depend only on the values, so a page redone with the same
 * interactions gives the same chunks under the same keys.
 */
const packChunks = (values: readonly unknown[], perChunk: number) => {
  const out: { count: number; packed: Uint8Array }[] = [];
  const add = (chunk: readonly unknown[]) => {
    const packed = packJson(chunk);
    if (packed.length <= MAX_CHUNK_BYTES || chunk.length === 1) {
      out.push({ count: chunk.length, packed });
      return;
    }
    const half = Math.ceil(chunk.length / 2);
    add(chunk.slice(0, half));
    add(chunk.slice(half));
  };
  for (let i = 0; i < values.length; i += perChunk) add(values.slice(i, i + perChunk));
  return out;
};

export class InteractionsRepository<State> {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Stores one page's interactions under that page's key (absent chunks only). */
  async putPage(
    integrationId: string,
    pageKey: string,
    interactions: readonly StoredInteraction<State>[],
  ): Promise<void> {
    await this.putChunks(integrationId, pageKey, 'interactions', interactions, INTERACTIONS_PER_CHUNK);
  }

  /** Stores the update log entries of one page (or replay page) under its key (absent chunks only). */
  async putUpdateLog(
    integrationId: string,
    pageKey: string,
    entries: readonly UpdateLogEntry[],
  ): Promise<void> {
    await this.putChunks(logPartition(integrationId), pageKey, 'entries', entries, LOG_ENTRIES_PER_CHUNK);
  }

  /** The whole update log of an integration, in no particular order. */
  async updateLog(integrationId: string): Promise<UpdateLogEntry[]> {
    return (await queryPartition(this.db, this.table, logPartition(integrationId))).flatMap((item) =>
      unpackJson<UpdateLogEntry[]>(item.entries as Uint8Array, `update log ${String(item.sk)} entries`),
    );
  }

  /**
   * Whether every chunk of this page was written before (its `written` item exists). A Query of
   * the one key rather than a GetItem: the view classifier is granted Query on this table, and the
   * same read needs no new grant.
   */
  private async written(pk: string, pageKey: string): Promise<boolean> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND sk = :sk',
        ExpressionAttributeValues: { ':pk': writtenPartition(pk), ':sk': pageKey },
        ConsistentRead: true,
      }),
    );
    return (out.Items ?? []).length > 0;
  }

  private async putChunks(
    pk: string,
    pageKey: string,
    attribute: 'interactions' | 'entries',
    values: readonly unknown[],
    perChunk: number,
  ): Promise<void> {
    if (values.length === 0 || (await this.written(pk, pageKey))) return;
    await eachConcurrently(
      packChunks(values, perChunk).map((chunk, n) => ({ chunk, n })),
      CHUNK_CONCURRENCY,
      async ({ chunk, n }) => {
        // Refused when an earlier attempt of the page wrote the chunk: it is the same chunk.
        await writtenUnlessRefused(
          this.db.send(
            new PutCommand({
              TableName: this.table,
              Item: { pk, sk: `${pageKey}#${n}`, count: chunk.count, [attribute]: chunk.packed },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          ),
        );
      },
    );
    await this.db.send(
      new PutCommand({ TableName: this.table, Item: { pk: writtenPartition(pk), sk: pageKey } }),
    );
  }

  /**
   * Interactions after the chunk key `after`, whole chunks of them, as many chunks as `limit`
   * interactions fill when chunks are full (fewer interactions when some are not); `next` is absent
   * on the last page.
   */
  async page(
    integrationId: string,
    after: string | undefined,
    limit: number,
  ): Promise<{ interactions: StoredInteraction<State>[]; next?: string }> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': integrationId },
        ConsistentRead: true,
        Limit: Math.max(1, Math.ceil(limit / INTERACTIONS_PER_CHUNK)),
        ...(after ? { ExclusiveStartKey: { pk: integrationId, sk: after } } : {}),
      }),
    );
    const interactions = (out.Items ?? []).flatMap((item) =>
      unpackJson<StoredInteraction<State>[]>(
        item.interactions as Uint8Array,
        `interactions ${String(item.sk)} interactions`,
      ),
    );
    const last = out.LastEvaluatedKey?.sk as string | undefined;
    return last ? { interactions, next: last } : { interactions };
  }
}
