/**
 * ticket-state table
 *   pk = `${integrationId}#${Math.floor(ticketId / TICKETS_PER_BUCKET)}`
 *   sk = `states`
 *   attrs: states (B: gzipped JSON object, ticket id → the domain's TicketState, which records the
 *          updates already applied)
 * Tickets are kept in buckets of consecutive ids. Zendesk numbers tickets in creation order and a
 * ticket is updated mostly in its first days, so one export page touches tickets of few buckets:
 * a page reads and writes a bucket per few dozen tickets instead of an item per ticket, which was
 * most of the pipeline's DynamoDB traffic. JSON rather than a map: the state holds arbitrary custom
 * field values (empty strings, lists of mixed types) that must come back exactly as they went in.
 *
 * The view classifier is the only writer, one page at a time per integration (one FIFO group), so
 * a bucket read and written back by one page is never written by another in between.
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
 * never redriven). The Scan of `all` never sees them (their sort key is not `states`).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchDelete, batchGet, batchPut, lookupKey, scanPartitionsByPrefix } from './batch.js';
import { packJson, unpackJson } from './packed-json.js';

export const TICKETS_PER_BUCKET = 32;

type Bucket<State> = Record<string, State>;

const bucketOf = (ticketId: number) => Math.floor(ticketId / TICKETS_PER_BUCKET);
const key = (integrationId: string, bucket: number) => ({ pk: `${integrationId}#${bucket}`, sk: 'states' });
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
  ) {}
}

/** Outlives every way a page can come again (14 days of SQS retention). */
export const AUDITED_TTL_DAYS = 15;

export class TicketStateRepository<State> {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    // DynamoDB's TTL runs on real time, whatever clock an import runs on (the sandbox's lags).
    private readonly realNow: () => Date = () => new Date(),
  ) {}

  async load(integrationId: string, ticketIds: readonly number[]): Promise<LoadedTicketStates<State>> {
    const buckets = await this.readBuckets(integrationId, [...new Set(ticketIds.map(bucketOf))]);
    const states = new Map<number, State>();
    for (const id of ticketIds) {
      const state = buckets.get(bucketOf(id))?.[String(id)];
      if (state !== undefined) states.set(id, state);
    }
    return new LoadedTicketStates(integrationId, states, buckets);
  }

  /** Writes the changed states into their buckets; only buckets with a change are written. */
  async save(loaded: LoadedTicketStates<State>, changed: ReadonlyMap<number, State>): Promise<void> {
    const touched = [...new Set([...changed.keys()].map(bucketOf))];
    const missing = touched.filter((b) => !loaded.buckets.has(b));
    const reread = await this.readBuckets(loaded.integrationId, missing);
    const next = new Map<number, Bucket<State>>();
    for (const b of touched) next.set(b, { ...(loaded.buckets.get(b) ?? reread.get(b)) });
    for (const [id, state] of changed) next.get(bucketOf(id))![String(id)] = state;
    await batchPut(
      this.db,
      this.table,
      [...next].map(([b, bucket]) => ({
        ...key(loaded.integrationId, b),
        states: packJson(bucket),
      })),
    );
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
    const states = new Map<number, State>();
    for (const { item } of await scanPartitionsByPrefix(this.db, this.table, `${integrationId}#`, 'states'))
      for (const [id, state] of Object.entries(unpackJson<Bucket<State>>(item.states as Uint8Array)))
        states.set(Number(id), state);
    return states;
  }

  private async readBuckets(integrationId: string, buckets: readonly number[]) {
    const found = await batchGet(
      this.db,
      this.table,
      buckets.map((b) => key(integrationId, b)),
    );
    const out = new Map<number, Bucket<State>>();
    for (const b of buckets) {
      const item = found.get(lookupKey(key(integrationId, b)));
      if (item) out.set(b, unpackJson<Bucket<State>>(item.states as Uint8Array));
    }
    return out;
  }
}
