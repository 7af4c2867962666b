/**
 * ticket-state table
 *   pk = `${integrationId}#${Math.floor(ticketId / TICKETS_PER_BUCKET)}`
 *   sk = `states`        attrs: states (B: packed JSON, packed-json.ts: an object, ticket id → the ticket's state as
 *                               `packTicketState` keeps it, which records the updates applied)
 *                               generation (N, absent = 0: +1 at every write of this item)
 *   sk = `recent`        attrs: states (B: as above, the tickets changed since the `states` item of
 *                               this generation was written: they override it)
 *                               generation (N: the `states` item's it overrides; one of another
 *                               generation is stale and ignored)
 *   sk = `descriptions`  attrs: terms (B: packed JSON, packed-json.ts: an object, ticket id → its description's word
 *                               hashes, for the tickets of the bucket that have them and no item
 *                               of their own)
 *                               own (L of N, absent when empty: the tickets whose hashes are in
 *                               an item of their own)
 *   sk = `description#${ticketId}`  attrs: terms (B: packed JSON, an array, the hashes of one ticket
 *                               with more than `OWN_ITEM_TERMS` of them)
 * Tickets are kept in buckets of consecutive ids. Zendesk numbers tickets in creation order and a
 * ticket is updated mostly in its first days, so one export page touches tickets of few buckets:
 * a page reads and writes a bucket per few dozen tickets instead of an item per ticket, which was
 * most of the pipeline's DynamoDB traffic. JSON rather than a map: the state holds arbitrary custom
 * field values (empty strings, lists of mixed types) that must come back exactly as they went in.
 * A page that changes few tickets of a bucket writes only them, in the bucket's `recent` item, as
 * long as that item fits in one write unit and the `states` item does not: a bucket was rewritten
 * whole about thirty times over its tickets' lives, a third of those writes changing one ticket,
 * at three or four write units each. A page whose changes no longer fit writes the bucket whole
 * (the `recent` states folded in) under the next generation, which leaves the old `recent` item
 * stale without a delete; each page writes one item per bucket, so a crash never leaves half of
 * one. The description's hashes, set once when a ticket is created, are a third of a bucket's
 * bytes, so they are kept beside it and written only when one of them changes. A bucket stored
 * before that holds them in its states, and gives them up to the `descriptions` item at its next
 * write.
 * A long description gives many hashes (the longest comment Zendesk keeps, about 65,000
 * characters, gives about 20,000, some 100 KB packed), so 32 of them could pass DynamoDB's
 * 400 KB item limit and no page touching the bucket could ever be written. A ticket with more than
 * `OWN_ITEM_TERMS` hashes therefore keeps them in an item of its own, which the bucket's
 * `descriptions` item lists (read in a second request only when it lists any); the bucket's item
 * then stays under about 170 KB whatever its tickets say.
 *
 * Who read the buckets last, so that an instance can keep what it read and wrote:
 *   pk = `${integrationId}#claim`
 *   sk = `claim`         attrs: claim (S: a random value, new at every page's `load`)
 * An instance keeps the bucket items it last read or wrote, and the claim it put (`HeldBuckets`):
 * in a backfill a page reads a hundred buckets, nearly all of them read or written by the pages
 * just before, and reading them again was a third of the pipeline's DynamoDB requests. Every
 * `load` puts a new claim and gets the one it replaced (one PutItem, returning the old item): when
 * that is the claim this instance put last, no page ran anywhere since its own last page, so what
 * it holds is what is stored; anything else (another instance's page, one that died after its
 * claim, a claim never seen) makes it forget the integration's buckets and read them. A page puts
 * its claim before it reads or writes a bucket, so no write goes unseen. A write that fails makes
 * the instance forget the integration's buckets (some items may be written, others not). An item
 * read or written is held only while the claim it was read or written under is still the
 * instance's last: a read left over from a failed page cannot lay older items over newer ones.
 * Like the rest of this table, this rests on one page at a time per integration: a page whose
 * function outlived its message's visibility timeout and wrote beside the next delivery would
 * leave an instance holding items older than the table's (the functions' timeouts are shorter).
 *
 * The view classifier is the only writer, one page at a time per integration (one FIFO group), so
 * a bucket read and written back by one page is never written by another in between. A page writes
 * the descriptions before the states: a crash between the two leaves the hashes of tickets whose
 * states are older. That is harmless: a state takes hashes only while it has none (from its
 * creation, or its creation rebuilt from the ticket record, which replaces the state whole), so the
 * page, redelivered, derives the same hashes again, and hashes of a ticket with no state are never
 * read and are dropped at the bucket's next write. A ticket's own item is written before the
 * `descriptions` item that lists it, so it is never listed before it exists; it is never deleted,
 * so a reader that read the list a moment before a page changed it still finds the item. One the
 * list no longer names (its ticket's hashes back in the bucket's item, a crash before the list was
 * written, a ticket without a state) stays unread: that happens only when a ticket's hashes change,
 * which is at most when its creation is rebuilt from its record.
 * Not readable by code before the packing: rolling back past it breaks the pipeline (a packed state
 * has no ticket id), so the packing is one-way.
 * `all` reads every bucket of an integration with a Scan of the table (no function is granted it):
 * the operator's `zendesk-wfm reconcile`, not the pipeline's path. It reads a bucket's `recent`
 * item after its `states`: pages that write the bucket in between give each ticket's state whole,
 * as the `states` item read has it or as a later `recent` item of its generation has it (one of
 * the next generation is ignored).
 *
 * Beside the states, what the Audits API told one page before a request of it failed (Zendesk's
 * rate limit, most often), so that the page's next delivery asks only for what it did not learn:
 *   pk = `${integrationId}#audited#${pageKey}`
 *   sk = String(ticketId)
 *   attrs: audited (B: packed JSON (packed-json.ts):, what the classifier learned of the ticket)
 *          expiresAt (N, epoch seconds; TTL)
 * An item per ticket: a page can need hundreds, more than one item holds. They are deleted once
 * their page is written, and expire after `AUDITED_TTL_DAYS` when it never is (a page parked and
 * never redriven). The Scan of `all` never sees them (their sort key is neither of the above).
 */
import { randomUUID } from 'node:crypto';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TicketState } from '../domain/ticket-state.js';
import {
  batchDelete,
  batchGet,
  batchPut,
  lookupKey,
  queryPartition,
  scanPartitionsByPrefix,
  type Item,
} from './batch.js';
import { eachConcurrently } from './concurrency.js';
import { itemSizeBytes, writeUnitsOfBytes } from './item-size.js';
import { packJson, unpackJson } from './packed-json.js';
import { packTicketState, unpackTicketState, type PackedTicketState } from './ticket-state-codec.js';

export const TICKETS_PER_BUCKET = 32;

/**
 * Hashes above which a ticket's description has an item of its own: 32 tickets at this many pack
 * to about 170 KB, and a description this long (some 550 words) is rare.
 */
export const OWN_ITEM_TERMS = 1000;

/** A bucket's states as stored (`packTicketState`), by ticket id. */
type PackedStates<State extends TicketState> = Record<string, PackedTicketState<State>>;
/** Description hashes as stored: ticket id → hashes. */
type Descriptions = Record<string, readonly number[]>;

/**
 * A bucket's description hashes as read from its `descriptions` item and the items of their own
 * it lists (never from its states), and the tickets with an item of their own. A save compares
 * against it to write only what changed.
 */
export interface StoredDescriptions {
  readonly terms: ReadonlyMap<string, readonly number[]>;
  readonly own: ReadonlySet<string>;
}

const NO_DESCRIPTIONS: StoredDescriptions = { terms: new Map(), own: new Set() };

const STATES = 'states';
const RECENT = 'recent';
const DESCRIPTIONS = 'descriptions';
const OWN_DESCRIPTION = 'description#';

const bucketOf = (ticketId: number) => Math.floor(ticketId / TICKETS_PER_BUCKET);
const partition = (integrationId: string, bucket: number) => `${integrationId}#${bucket}`;
const key = (integrationId: string, bucket: number) => ({ pk: partition(integrationId, bucket), sk: STATES });
const recentKey = (integrationId: string, bucket: number) => ({
  pk: partition(integrationId, bucket),
  sk: RECENT,
});
const descriptionsKey = (integrationId: string, bucket: number) => ({
  pk: partition(integrationId, bucket),
  sk: DESCRIPTIONS,
});
const ownDescriptionKey = (integrationId: string, ticketId: string) => ({
  pk: partition(integrationId, bucketOf(Number(ticketId))),
  sk: `${OWN_DESCRIPTION}${ticketId}`,
});
const claimKey = (integrationId: string) => ({ pk: `${integrationId}#claim`, sk: 'claim' });
const auditedKey = (integrationId: string, pageKey: string, ticketId: number) => ({
  pk: `${integrationId}#audited#${pageKey}`,
  sk: String(ticketId),
});

/**
 * The states of some tickets as read, with the buckets they came from (to write them back whole),
 * kept packed: a page asks for a few tickets of each bucket and changes fewer, and unpacking and
 * packing all 32 states of every bucket it touched was the largest cost of the classifier's thread.
 */
export class LoadedTicketStates<State extends TicketState> {
  constructor(
    readonly integrationId: string,
    /** The states found; tickets without one are absent. */
    readonly states: ReadonlyMap<number, State>,
    readonly buckets: ReadonlyMap<number, StoredStates<State>>,
    /** Each read bucket's description hashes as stored: written only on a change. */
    readonly storedDescriptions: ReadonlyMap<number, StoredDescriptions>,
    /** The claim the load put (see the top); its save holds what it writes only while it is current. */
    readonly claim?: string,
  ) {}
}

/** A bucket's states as read: its `states` item with its `recent` one over it. */
export interface StoredStates<State extends TicketState> {
  /** Every state of the bucket, the `recent` item's over the `states` item's. */
  readonly states: PackedStates<State>;
  /** The `recent` item's states (of the `states` item's generation), a part of `states`. */
  readonly recent: PackedStates<State>;
  /** The `states` item's generation (0 when it has none or is absent). */
  readonly generation: number;
  /** The `states` item's size as DynamoDB bills it (0 when absent). */
  readonly statesItemBytes: number;
}

const NO_STATES: StoredStates<never> = { states: {}, recent: {}, generation: 0, statesItemBytes: 0 };

interface ReadBucket<State extends TicketState> extends StoredStates<State> {
  readonly descriptions: StoredDescriptions;
}

/** A ticket's state from its read bucket (its hashes beside it), or undefined when it has none. */
const stateIn = <State extends TicketState>(bucket: ReadBucket<State> | undefined, id: number) => {
  const packed = bucket?.states[String(id)];
  if (bucket === undefined || packed === undefined) return undefined;
  return unpackTicketState<State>(id, packed, bucket.descriptions.terms.get(String(id)));
};

/**
 * A state stored before the current packing (with its id, or its hashes inside): the codec reads
 * it, and a bucket written again packs it anew rather than keeping it as it was.
 */
const packedBeforeTheCodec = (packed: object): boolean =>
  'ticketId' in packed || 'descriptionTerms' in packed;

/**
 * A bucket to write: its stored states with the changed ones packed over them, and every state's
 * description hashes (as stored, or the changed state's). An unchanged state is kept as it was
 * read, which is what packing it again would give.
 */
const bucketToWrite = <State extends TicketState>(
  read: ReadBucket<State> | undefined,
  changed: readonly (readonly [string, State])[],
) => {
  const states: PackedStates<State> = {};
  const descriptions: Descriptions = {};
  const pack = (id: string, state: State) => {
    const packed = packTicketState(state);
    states[id] = packed.state;
    if (packed.descriptionTerms !== undefined) descriptions[id] = packed.descriptionTerms;
    else delete descriptions[id];
  };
  if (read !== undefined)
    for (const [id, packed] of Object.entries(read.states)) {
      if (packedBeforeTheCodec(packed)) pack(id, stateIn(read, Number(id))!);
      else {
        states[id] = packed;
        const terms = read.descriptions.terms.get(id);
        if (terms !== undefined) descriptions[id] = terms;
      }
    }
  for (const [id, state] of changed) pack(id, state);
  return { states, descriptions };
};

/**
 * The one item a page writes of a bucket: its `recent` item (the states it held and the changed
 * ones) when that fits in one write unit and the `states` item as read does not, else the `states`
 * item whole under the next generation. The whole bucket is packed only when it is written.
 */
const bucketItem = <State extends TicketState>(
  integrationId: string,
  bucket: number,
  stored: StoredStates<State>,
  states: PackedStates<State>,
  changed: readonly (readonly [string, State])[],
): Item => {
  if (stored.statesItemBytes > ONE_WRITE_UNIT) {
    const recent: PackedStates<State> = { ...stored.recent };
    for (const [id] of changed) recent[id] = states[id]!;
    const written = statesItem(recentKey(integrationId, bucket), packJson(recent), stored.generation);
    if (writeUnitsOfBytes(written.bytes) === 1) return written.item;
  }
  return statesItem(key(integrationId, bucket), packJson(states), stored.generation + 1).item;
};

/** Buckets read at once, each a Query of its own. */
const BUCKET_READS_IN_FLIGHT = 16;

/** The bytes one write unit covers. */
const ONE_WRITE_UNIT = 1024;

/** A bucket's items as found: any may be absent. */
interface FoundBucket {
  readonly states?: Item;
  readonly recent?: Item;
  readonly descriptions?: Item;
}

const isFound = (bucket: FoundBucket) =>
  bucket.states !== undefined || bucket.recent !== undefined || bucket.descriptions !== undefined;

/**
 * An item whose packed bytes have a buffer of their own: bytes read or packed are mostly a view
 * into a shared 8 KB pool or a larger answer, which a held item would keep alive whole.
 */
const withOwnBytes = (item: Item): Item =>
  Object.fromEntries(
    Object.entries(item).map(([name, value]) => [
      name,
      value instanceof Uint8Array && value.byteLength !== value.buffer.byteLength
        ? new Uint8Array(value)
        : value,
    ]),
  );

/**
 * The bytes of bucket items one instance keeps at most, all integrations together: a bucket is
 * some 5 KB, but one of long descriptions can be 170 KB (see the top).
 */
export const MAX_HELD_BYTES = 16 * 1024 * 1024;

/** What a held bucket costs beside its items' bytes (keys, objects, the map's entry). */
export const HELD_BUCKET_OVERHEAD_BYTES = 256;

const heldBytes = (bucket: FoundBucket): number =>
  HELD_BUCKET_OVERHEAD_BYTES +
  [bucket.states, bucket.recent, bucket.descriptions].reduce(
    (sum, item) =>
      sum +
      Object.values(item ?? {}).reduce(
        (n: number, value) => n + (value instanceof Uint8Array ? value.byteLength : 0),
        0,
      ),
    0,
  );

/**
 * The bucket items an instance read or wrote last, per integration, while its claim holds (see the
 * top); a bucket found with no item is held as such. Least recently used first, so the oldest go
 * when more than `maxBytes` are held.
 */
class HeldBuckets {
  private readonly claims = new Map<string, string>();
  private readonly buckets = new Map<string, Map<number, { found: FoundBucket; bytes: number }>>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  /**
   * Whether this instance's buckets of the integration are still what is stored, now that `claim`
   * replaced `previous`; they are forgotten when not.
   */
  claimed(integrationId: string, previous: unknown, claim: string): void {
    if (this.claims.get(integrationId) !== previous) this.forget(integrationId);
    this.claims.set(integrationId, claim);
  }

  /** Whether `claim` is the integration's claim this instance put last. */
  holds(integrationId: string, claim: string | undefined): boolean {
    return claim !== undefined && this.claims.get(integrationId) === claim;
  }

  forget(integrationId: string): void {
    for (const { bytes } of this.buckets.get(integrationId)?.values() ?? []) this.bytes -= bytes;
    this.buckets.delete(integrationId);
    this.claims.delete(integrationId);
  }

  get(integrationId: string, bucket: number): FoundBucket | undefined {
    const held = this.buckets.get(integrationId);
    const entry = held?.get(bucket);
    if (held !== undefined && entry !== undefined) {
      held.delete(bucket);
      held.set(bucket, entry);
    }
    return entry?.found;
  }

  /**
   * Holds a bucket's items as stored now, read or written under `claim`: only while that is still
   * the integration's claim this instance put last. A read left over from a page that failed
   * beside it (its answer arriving after the page's redelivery wrote the bucket) holds nothing.
   */
  hold(integrationId: string, claim: string, bucket: number, found: FoundBucket): void {
    if (!this.holds(integrationId, claim)) return;
    let held = this.buckets.get(integrationId);
    if (held === undefined) this.buckets.set(integrationId, (held = new Map()));
    this.drop(held, bucket);
    const own = {
      ...(found.states !== undefined ? { states: withOwnBytes(found.states) } : {}),
      ...(found.recent !== undefined ? { recent: withOwnBytes(found.recent) } : {}),
      ...(found.descriptions !== undefined ? { descriptions: withOwnBytes(found.descriptions) } : {}),
    };
    const bytes = heldBytes(own);
    held.set(bucket, { found: own, bytes });
    this.bytes += bytes;
    while (this.bytes > this.maxBytes && this.dropOldest(held));
  }

  private drop(held: Map<number, { readonly bytes: number }>, bucket: number): boolean {
    const entry = held.get(bucket);
    if (entry === undefined) return false;
    held.delete(bucket);
    this.bytes -= entry.bytes;
    return true;
  }

  /** Drops the least recently used bucket: the other integrations' first, they ran before this page. */
  private dropOldest(current: Map<number, { readonly bytes: number }>): boolean {
    const from = [...this.buckets.values()].find((held) => held !== current && held.size > 0) ?? current;
    const oldest = from.keys().next();
    return oldest.done !== true && this.drop(from, oldest.value);
  }
}

/** A `states` or `recent` item, and its size as DynamoDB bills it. */
const statesItem = (
  itemKey: { readonly pk: string; readonly sk: string },
  packed: Uint8Array,
  generation: number,
) => {
  const item = { ...itemKey, states: packed, generation };
  const bytes = itemSizeBytes({
    pk: { S: itemKey.pk },
    sk: { S: itemKey.sk },
    states: { B: packed },
    generation: { N: String(generation) },
  });
  return { item, bytes };
};

/** What a bucket's description hashes need written, against what is stored. */
interface DescriptionWrites {
  /** The `descriptions` item's hashes, and the tickets it lists as having an item of their own. */
  readonly inline: Descriptions;
  readonly own: readonly string[];
  /** Whether the `descriptions` item must be written. */
  readonly itemChanged: boolean;
  /** Tickets whose own item must be written (new, changed, or moving out of the bucket's item). */
  readonly ownWritten: readonly string[];
}

/** Whether two lists of hashes are equal: an unchanged state hands back the very list it was read with. */
const sameTerms = (a: readonly number[] | undefined, b: readonly number[]): boolean =>
  a === b || (a !== undefined && a.length === b.length && a.every((term, i) => term === b[i]));

const descriptionWrites = (descriptions: Descriptions, stored: StoredDescriptions): DescriptionWrites => {
  const inline: Descriptions = {};
  const own: string[] = [];
  const ownWritten: string[] = [];
  let itemChanged = false;
  for (const [id, terms] of Object.entries(descriptions)) {
    const unchanged = sameTerms(stored.terms.get(id), terms);
    if (terms.length > OWN_ITEM_TERMS) {
      own.push(id);
      if (!unchanged || !stored.own.has(id)) ownWritten.push(id);
      if (!stored.own.has(id)) itemChanged = true;
    } else {
      inline[id] = terms;
      if (!unchanged || stored.own.has(id)) itemChanged = true;
    }
  }
  // A ticket no longer listed, or whose hashes are gone (it has no state any more), changes it too.
  if (
    [...stored.own].some((id) => !own.includes(id)) ||
    [...stored.terms.keys()].some((id) => !(id in descriptions))
  )
    itemChanged = true;
  return { inline, own, itemChanged, ownWritten };
};

/** A damaged value as an error shows it: a damaged item can hold up to 400 KB, an error line should not. */
const shownValue = (value: unknown): string => {
  const json = JSON.stringify(value instanceof Set ? [...value] : value) ?? String(value);
  return json.length > 200 ? `${json.slice(0, 200)}…` : json;
};

/** The tickets a `descriptions` item lists as having an item of their own. */
const ownListed = (descriptions: Item | undefined): string[] => {
  const own = descriptions?.own;
  if (own === undefined) return [];
  if (Array.isArray(own) && own.every((id) => typeof id === 'number' && Number.isSafeInteger(id)))
    return own.map(String);
  // A damaged list would leave tickets' hashes unread (their view conditions misjudged): refused.
  throw new Error(
    `ticket-state ${String(descriptions!.pk)} descriptions own: expected a list of ticket ids, got ${shownValue(own)}`,
  );
};

const unpackStates = <State extends TicketState>(item: Item) =>
  unpackJson<PackedStates<State>>(
    item.states as Uint8Array,
    `ticket-state ${String(item.pk)} ${String(item.sk)} states`,
  );

/**
 * An item's generation, a whole number of 0 or more; absent on a `states` item written before
 * generations, read as 0. A `recent` item is always written with one. Anything else is a damaged
 * item and is refused, naming it: a recent item passed over for it would drop its tickets' latest
 * states, and a generation that is text would make the next one text too ("1" + 1).
 */
const generationOf = (item: Item | undefined): number => {
  const generation = item?.generation;
  if (item === undefined || (generation === undefined && item.sk !== RECENT)) return 0;
  if (typeof generation === 'number' && Number.isSafeInteger(generation) && generation >= 0)
    return generation;
  throw new Error(
    `ticket-state ${String(item.pk)} ${String(item.sk)} generation: expected a whole number of 0 or more, got ${generation === undefined ? 'none' : shownValue(generation)}`,
  );
};

const unpackBucket = <State extends TicketState>(
  found: FoundBucket,
  ownTerms: ReadonlyMap<string, readonly number[]>,
): ReadBucket<State> => {
  const generation = generationOf(found.states);
  const recent =
    found.recent && generationOf(found.recent) === generation ? unpackStates<State>(found.recent) : {};
  const states = { ...(found.states ? unpackStates<State>(found.states) : {}), ...recent };
  const statesItemBytes = found.states
    ? statesItem({ pk: String(found.states.pk), sk: STATES }, found.states.states as Uint8Array, generation)
        .bytes
    : 0;
  const terms: Descriptions = found.descriptions
    ? unpackJson<Descriptions>(
        found.descriptions.terms as Uint8Array,
        `ticket-state ${String(found.descriptions.pk)} descriptions`,
      )
    : {};
  const own = ownListed(found.descriptions);
  for (const id of own) {
    const hashes = ownTerms.get(id);
    if (hashes !== undefined) terms[id] = hashes;
  }
  return {
    states,
    recent,
    generation,
    statesItemBytes,
    descriptions: { terms: new Map(Object.entries(terms)), own: new Set(own) },
  };
};

/** Outlives every way a page can come again (14 days of SQS retention). */
export const AUDITED_TTL_DAYS = 15;

export class TicketStateRepository<State extends TicketState> {
  private readonly held: HeldBuckets;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    // DynamoDB's TTL runs on real time, whatever clock an import runs on (the sandbox's lags).
    private readonly realNow: () => Date = () => new Date(),
    maxHeldBytes: number = MAX_HELD_BYTES,
  ) {
    this.held = new HeldBuckets(maxHeldBytes);
  }

  /**
   * The states of these tickets, for a page that may then `save` them. It puts the integration's
   * claim first (see the top), so it is called once a page, before the page's `save`.
   */
  async load(integrationId: string, ticketIds: readonly number[]): Promise<LoadedTicketStates<State>> {
    const claim = await this.claim(integrationId);
    const read = await this.readBuckets(integrationId, [...new Set(ticketIds.map(bucketOf))], claim);
    const states = new Map<number, State>();
    for (const id of new Set(ticketIds)) {
      const state = stateIn(read.get(bucketOf(id)), id);
      if (state !== undefined) states.set(id, state);
    }
    return new LoadedTicketStates(
      integrationId,
      states,
      new Map([...read].map(([b, { descriptions: _, ...stored }]) => [b, stored])),
      new Map([...read].map(([b, bucket]) => [b, bucket.descriptions])),
      claim,
    );
  }

  /**
   * Writes the changed states into their buckets; only buckets with a change are written, each as
   * its `recent` item when that is the cheaper write (see the top), and a bucket's descriptions
   * only when they changed (before the states: see the top).
   */
  async save(loaded: LoadedTicketStates<State>, changed: ReadonlyMap<number, State>): Promise<void> {
    const touched = [...new Set([...changed.keys()].map(bucketOf))];
    const { integrationId, claim } = loaded;
    const missing = touched.filter((b) => !loaded.buckets.has(b));
    const reread = await this.readBuckets(integrationId, missing, claim);
    const changedIn = new Map<number, (readonly [string, State])[]>(touched.map((b) => [b, []]));
    for (const [id, state] of changed) changedIn.get(bucketOf(id))!.push([String(id), state]);
    const statesItems: Item[] = [];
    const descriptionItems: Item[] = [];
    const written = new Map<number, { readonly states: Item; readonly descriptions?: Item }>();
    const ownItems: Item[] = [];
    for (const [b, changedStates] of changedIn) {
      const loadedStates = loaded.buckets.get(b);
      const stored = loadedStates
        ? { ...loadedStates, descriptions: loaded.storedDescriptions.get(b) ?? NO_DESCRIPTIONS }
        : reread.get(b);
      const packed = bucketToWrite(stored, changedStates);
      const item = bucketItem(integrationId, b, stored ?? NO_STATES, packed.states, changedStates);
      statesItems.push(item);
      written.set(b, { states: item });
      const writes = descriptionWrites(packed.descriptions, stored?.descriptions ?? NO_DESCRIPTIONS);
      for (const ticket of writes.ownWritten)
        ownItems.push({
          ...ownDescriptionKey(integrationId, ticket),
          terms: packJson(packed.descriptions[ticket]),
        });
      if (writes.itemChanged) {
        const descriptions = {
          ...descriptionsKey(integrationId, b),
          terms: packJson(writes.inline),
          ...(writes.own.length > 0 ? { own: writes.own.map(Number) } : {}),
        };
        descriptionItems.push(descriptions);
        written.set(b, { states: item, descriptions });
      }
    }
    try {
      if (ownItems.length > 0) await batchPut(this.db, this.table, ownItems);
      if (descriptionItems.length > 0) await batchPut(this.db, this.table, descriptionItems);
      await batchPut(this.db, this.table, statesItems);
    } catch (error) {
      this.held.forget(integrationId);
      throw error;
    }
    // Written under a claim no longer current (a load since this one's, or none): nothing written
    // is held, and what that later load held is older than this.
    if (claim === undefined || !this.held.holds(integrationId, claim)) {
      this.held.forget(integrationId);
      return;
    }
    for (const [b, items] of written) {
      const before = this.held.get(integrationId, b);
      // A bucket no longer held (past the most held, in a page of many) is read at its next page.
      if (before === undefined) continue;
      const descriptions = items.descriptions ?? before.descriptions;
      this.held.hold(
        integrationId,
        claim,
        b,
        items.states.sk === RECENT
          ? { states: before.states, recent: items.states, descriptions }
          : // The recent item of the generation before is never read again.
            { states: items.states, descriptions },
      );
    }
  }

  /** Puts a new claim on the integration's buckets: what this instance holds of them stays only if the claim it replaced was its own. */
  private async claim(integrationId: string): Promise<string> {
    const claim = randomUUID();
    const out = await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...claimKey(integrationId), claim },
        ReturnValues: 'ALL_OLD',
      }),
    );
    this.held.claimed(integrationId, out.Attributes?.claim, claim);
    return claim;
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
      if (item)
        out.set(
          id,
          unpackJson<Audited>(
            item.audited as Uint8Array,
            `ticket-state ${String(item.pk)} ${String(item.sk)} audited`,
          ),
        );
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

  /**
   * Every ticket state of an integration, by ticket id: a Scan of the buckets' states, then their
   * recent items and description hashes read by key. In that order a state read is never without
   * its hashes while the pipeline writes: a page writes a ticket's hashes before its state, and
   * never deletes an own item. One Scan of both items could read a bucket's hashes, then its states
   * after a page added a ticket to both.
   */
  async all(integrationId: string): Promise<Map<number, State>> {
    const scanned = await scanPartitionsByPrefix(this.db, this.table, `${integrationId}#`, STATES);
    const beside = await batchGet(
      this.db,
      this.table,
      scanned.flatMap(({ suffix }) => [
        recentKey(integrationId, suffix),
        descriptionsKey(integrationId, suffix),
      ]),
    );
    const found = new Map<number, FoundBucket>(
      scanned.map(({ suffix, item }) => [
        suffix,
        {
          states: item,
          recent: beside.get(lookupKey(recentKey(integrationId, suffix))),
          descriptions: beside.get(lookupKey(descriptionsKey(integrationId, suffix))),
        },
      ]),
    );
    const states = new Map<number, State>();
    for (const bucket of (await this.unpackBuckets(integrationId, found)).values())
      for (const id of Object.keys(bucket.states)) states.set(Number(id), stateIn(bucket, Number(id))!);
    return states;
  }

  /**
   * The buckets found (a bucket with none of its items is absent): a Query of each bucket's
   * partition from `descriptions` on, which gives its `descriptions`, `recent` and `states` items
   * (the `description#…` items sort before: read by key, when listed). DynamoDB bills a Query by
   * the bytes of its items together, a read unit per 4 KB, where a read by key bills each item,
   * absent ones too: by key the three cost three units a bucket, by Query mostly one or two.
   */
  private async readBuckets(integrationId: string, buckets: readonly number[], claim: string | undefined) {
    const found = new Map<number, FoundBucket>();
    const unheld: number[] = [];
    const holds = this.held.holds(integrationId, claim);
    for (const b of buckets) {
      const held = holds ? this.held.get(integrationId, b) : undefined;
      if (held === undefined) unheld.push(b);
      else if (isFound(held)) found.set(b, held);
    }
    await eachConcurrently(unheld, BUCKET_READS_IN_FLIGHT, async (b) => {
      const items = await queryPartition(this.db, this.table, partition(integrationId, b), DESCRIPTIONS);
      const bySk = new Map(items.map((item) => [String(item.sk), item]));
      const bucket = {
        states: bySk.get(STATES),
        recent: bySk.get(RECENT),
        descriptions: bySk.get(DESCRIPTIONS),
      };
      if (claim !== undefined) this.held.hold(integrationId, claim, b, bucket);
      if (isFound(bucket)) found.set(b, bucket);
    });
    try {
      return await this.unpackBuckets(integrationId, found);
    } catch (error) {
      // A bucket that does not unpack is not held: the page's next delivery reads it again.
      this.held.forget(integrationId);
      throw error;
    }
  }

  /** The buckets unpacked, with the hashes their `descriptions` items keep in items of their own. */
  private async unpackBuckets(
    integrationId: string,
    found: ReadonlyMap<number, FoundBucket>,
  ): Promise<Map<number, ReadBucket<State>>> {
    const ownKeys = [...found.values()].flatMap((bucket) =>
      ownListed(bucket.descriptions).map((ticket) => ownDescriptionKey(integrationId, ticket)),
    );
    const ownItems =
      ownKeys.length > 0 ? await batchGet(this.db, this.table, ownKeys) : new Map<string, Item>();
    const ownTerms = new Map<string, readonly number[]>();
    for (const ownKey of ownKeys) {
      const item = ownItems.get(lookupKey(ownKey));
      if (item)
        ownTerms.set(
          ownKey.sk.slice(OWN_DESCRIPTION.length),
          unpackJson<number[]>(item.terms as Uint8Array, `ticket-state ${ownKey.pk} ${ownKey.sk} terms`),
        );
    }
    return new Map([...found].map(([b, bucket]) => [b, unpackBucket<State>(bucket, ownTerms)]));
  }
}
