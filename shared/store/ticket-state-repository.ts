/**
 * ticket-state table
 *   pk = `${integrationId}#${Math.floor(ticketId / TICKETS_PER_BUCKET)}`
 *   sk = `states`        attrs: states (B: gzipped JSON object, ticket id → the ticket's state as
 *                               `packTicketState` keeps it, which records the updates applied)
 *   sk = `descriptions`  attrs: terms (B: gzipped JSON object, ticket id → its description's word
 *                               hashes, for the tickets of the bucket that have them)
 * Tickets are kept in buckets of consecutive ids. Zendesk numbers tickets in creation order and a
 * ticket is updated mostly in its first days, so one export page touches tickets of few buckets:
 * a page reads and writes a bucket per few dozen tickets instead of an item per ticket, which was
 * most of the pipeline's DynamoDB traffic. JSON rather than a map: the state holds arbitrary custom
 * field values (empty strings, lists of mixed types) that must come back exactly as they went in.
 * A bucket is rewritten whole at every page that changes one of its tickets; the description's
 * hashes, set once when a ticket is created, are a third of its bytes, so they are kept beside it
 * and written only when one of them changes. A bucket stored before that holds them in its states,
 * and gives them up to the `descriptions` item at its next write.
 *
 * The view classifier is the only writer, one page at a time per integration (one FIFO group), so
 * a bucket read and written back by one page is never written by another in between. A page writes
 * the descriptions before the states: a crash between the two leaves the hashes of tickets whose
 * states are older. That is harmless: a state takes hashes only while it has none (from its
 * creation, or its creation rebuilt from the ticket record, which replaces the state whole), so the
 * page, redelivered, derives the same hashes again, and hashes of a ticket with no state are never
 * read and are dropped at the bucket's next write.
 * Not readable by code before the packing: rolling back past it breaks the pipeline (a packed state
 * has no ticket id), so the packing is one-way.
 * `all` reads every bucket of an integration with a Scan of the table (no function is granted it):
 * the operator's `zendesk-wfm reconcile`, not the pipeline's path.
 *
 * Beside the states, what the Audits API told one page before a request of it failed (Zendesk's
 * rate limit, most often), so that the page's next delivery asks only for what it did not learn:
 *   pk = `${integrationId}#audited#${pageKey}`
 *   sk = String(ticketId)
 *   attrs: audited (B: gzipped JSON, what the classifier learned of the ticket)
 *          expiresAt (N, epoch seconds; TTL)
 * An item per ticket: a page can need hundreds, more than one item holds. They are deleted once
 * their page is written, and expire after `AUDITED_TTL_DAYS` when it never is (a page parked and
 * never redriven). The Scan of `all` never sees them (their sort key is neither of the above).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TicketState } from '../domain/ticket-state.js';
import { batchDelete, batchGet, batchPut, lookupKey, scanPartitionsByPrefix, type Item } from './batch.js';
import { packJson, unpackJson } from './packed-json.js';
import { packTicketState, unpackTicketState, type PackedTicketState } from './ticket-state-codec.js';

export const TICKETS_PER_BUCKET = 32;

type Bucket<State> = Record<string, State>;
/** A bucket's description hashes as stored: ticket id → hashes. */
type Descriptions = Record<string, readonly number[]>;

const STATES = 'states';
const DESCRIPTIONS = 'descriptions';

const bucketOf = (ticketId: number) => Math.floor(ticketId / TICKETS_PER_BUCKET);
const key = (integrationId: string, bucket: number) => ({ pk: `${integrationId}#${bucket}`, sk: STATES });
const descriptionsKey = (integrationId: string, bucket: number) => ({
  pk: `${integrationId}#${bucket}`,
  sk: DESCRIPTIONS,
});
const auditedKey = (integrationId: string, pageKey: string, ticketId: number) => ({
  pk: `${integrationId}#audited#${pageKey}`,
  sk: String(ticketId),
});

/** The states of some tickets as read, with the buckets they came from (to write them back whole). */
export class LoadedTicketStates<State> {
  constructor(
    readonly integrationId: string,
    /** The states found; tickets without one are absent. */
    readonly states: ReadonlyMap<number, State>,
    readonly buckets: ReadonlyMap<number, Bucket<State>>,
    /** Each read bucket's description hashes as stored (JSON; `{}` when none): written only on a change. */
    readonly storedDescriptions: ReadonlyMap<number, string>,
  ) {}
}

interface ReadBucket<State> {
  readonly states: Bucket<State>;
  readonly descriptions: string;
}

/** A bucket's items from its states (the description hashes apart), and whether they changed. */
const packBucket = <State extends TicketState>(bucket: Bucket<State>) => {
  const states: Record<string, PackedTicketState<State>> = {};
  const descriptions: Descriptions = {};
  for (const [id, state] of Object.entries(bucket)) {
    const packed = packTicketState(state);
    states[id] = packed.state;
    if (packed.descriptionTerms !== undefined) descriptions[id] = packed.descriptionTerms;
  }
  return { states, descriptions, descriptionsJson: JSON.stringify(descriptions) };
};

const unpackBucket = <State extends TicketState>(
  states: Item | undefined,
  descriptions: Item | undefined,
): ReadBucket<State> => {
  const packed = states
    ? unpackJson<Record<string, PackedTicketState<State>>>(states.states as Uint8Array)
    : {};
  const terms = descriptions ? unpackJson<Descriptions>(descriptions.terms as Uint8Array) : {};
  const bucket: Bucket<State> = {};
  for (const [id, state] of Object.entries(packed))
    bucket[id] = unpackTicketState<State>(Number(id), state, terms[id]);
  return { states: bucket, descriptions: JSON.stringify(terms) };
};

/** Outlives every way a page can come again (14 days of SQS retention). */
export const AUDITED_TTL_DAYS = 15;

export class TicketStateRepository<State extends TicketState> {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    // DynamoDB's TTL runs on real time, whatever clock an import runs on (the sandbox's lags).
    private readonly realNow: () => Date = () => new Date(),
  ) {}

  async load(integrationId: string, ticketIds: readonly number[]): Promise<LoadedTicketStates<State>> {
    const read = await this.readBuckets(integrationId, [...new Set(ticketIds.map(bucketOf))]);
    const states = new Map<number, State>();
    for (const id of ticketIds) {
      const state = read.get(bucketOf(id))?.states[String(id)];
      if (state !== undefined) states.set(id, state);
    }
    return new LoadedTicketStates(
      integrationId,
      states,
      new Map([...read].map(([b, bucket]) => [b, bucket.states])),
      new Map([...read].map(([b, bucket]) => [b, bucket.descriptions])),
    );
  }

  /**
   * Writes the changed states into their buckets; only buckets with a change are written, and a
   * bucket's descriptions only when they changed (before the states: see the top).
   */
  async save(loaded: LoadedTicketStates<State>, changed: ReadonlyMap<number, State>): Promise<void> {
    const touched = [...new Set([...changed.keys()].map(bucketOf))];
    const missing = touched.filter((b) => !loaded.buckets.has(b));
    const reread = await this.readBuckets(loaded.integrationId, missing);
    const next = new Map<number, Bucket<State>>();
    for (const b of touched) next.set(b, { ...(loaded.buckets.get(b) ?? reread.get(b)?.states) });
    for (const [id, state] of changed) next.get(bucketOf(id))![String(id)] = state;
    const statesItems: Item[] = [];
    const descriptionItems: Item[] = [];
    for (const [b, bucket] of next) {
      const packed = packBucket(bucket);
      statesItems.push({ ...key(loaded.integrationId, b), states: packJson(packed.states) });
      const stored = loaded.storedDescriptions.get(b) ?? reread.get(b)?.descriptions ?? '{}';
      if (packed.descriptionsJson !== stored)
        descriptionItems.push({
          ...descriptionsKey(loaded.integrationId, b),
          terms: packJson(packed.descriptions),
        });
    }
    if (descriptionItems.length > 0) await batchPut(this.db, this.table, descriptionItems);
    await batchPut(this.db, this.table, statesItems);
  }

  /** What the audits told `pageKey` of these tickets on an earlier delivery, by ticket id. */
  async loadAudited<Audited>(
    integrationId: string,
    pageKey: string,
    ticketIds: readonly number[],
  ): Promise<Map<number, Audited>> {
    const found = await batchGet(
      this.db,
      this.table,
      ticketIds.map((id) => auditedKey(integrationId, pageKey, id)),
    );
    const out = new Map<number, Audited>();
    for (const id of ticketIds) {
      const item = found.get(lookupKey(auditedKey(integrationId, pageKey, id)));
      if (item) out.set(id, unpackJson<Audited>(item.audited as Uint8Array));
    }
    return out;
  }

  /** Keeps what the audits told `pageKey` of these tickets, for the page's next delivery. */
  async saveAudited<Audited>(
    integrationId: string,
    pageKey: string,
    audited: ReadonlyMap<number, Audited>,
  ): Promise<void> {
    const expiresAt = Math.floor(this.realNow().getTime() / 1000) + AUDITED_TTL_DAYS * 86_400;
    await batchPut(
      this.db,
      this.table,
      [...audited].map(([id, value]) => ({
        ...auditedKey(integrationId, pageKey, id),
        audited: packJson(value),
        expiresAt,
      })),
    );
  }

  /** Forgets what the audits told `pageKey` of these tickets, once the page is written. */
  async clearAudited(integrationId: string, pageKey: string, ticketIds: readonly number[]): Promise<void> {
    await batchDelete(
      this.db,
      this.table,
      ticketIds.map((id) => auditedKey(integrationId, pageKey, id)),
    );
  }

  /** Every ticket state of an integration, by ticket id (a Scan of the table). */
  async all(integrationId: string): Promise<Map<number, State>> {
    const items = new Map<number, { states?: Item; descriptions?: Item }>();
    for (const { suffix, item } of await scanPartitionsByPrefix(this.db, this.table, `${integrationId}#`, [
      STATES,
      DESCRIPTIONS,
    ])) {
      const bucket = items.get(suffix) ?? {};
      items.set(suffix, { ...bucket, [item.sk === STATES ? 'states' : 'descriptions']: item });
    }
    const states = new Map<number, State>();
    for (const bucket of items.values())
      for (const [id, state] of Object.entries(
        unpackBucket<State>(bucket.states, bucket.descriptions).states,
      ))
        states.set(Number(id), state);
    return states;
  }

  /** The buckets found (a bucket with neither item is absent). */
  private async readBuckets(integrationId: string, buckets: readonly number[]) {
    const found = await batchGet(
      this.db,
      this.table,
      buckets.flatMap((b) => [key(integrationId, b), descriptionsKey(integrationId, b)]),
    );
    const out = new Map<number, ReadBucket<State>>();
    for (const b of buckets) {
      const states = found.get(lookupKey(key(integrationId, b)));
      const descriptions = found.get(lookupKey(descriptionsKey(integrationId, b)));
      if (states || descriptions) out.set(b, unpackBucket<State>(states, descriptions));
    }
    return out;
  }
}
