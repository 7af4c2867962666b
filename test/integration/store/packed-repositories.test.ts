import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startLocalStack, type LocalStack } from '../../../local/local-stack.js';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Item } from '../../../shared/store/batch.js';
import { documentClientFor } from '../../../shared/store/clients.js';
import { queryPartition } from '../../../shared/store/batch.js';
import { packJson, unpackJson } from '../../../shared/store/packed-json.js';
import {
  INTERACTIONS_PER_CHUNK,
  InteractionsRepository,
  LOG_ENTRIES_PER_CHUNK,
  MAX_CHUNK_BYTES,
  type StoredInteraction,
  type UpdateLogEntry,
} from '../../../shared/store/interactions-repository.js';
import { emptyTicketState, stateFromTicket, type TicketState } from '../../../shared/domain/ticket-state.js';
import { ticketRecord } from '../../support/records.js';
import { TABLES } from '../../../shared/store/tables.js';
import {
  HELD_BUCKET_OVERHEAD_BYTES,
  OWN_ITEM_TERMS,
  TICKETS_PER_BUCKET,
  TicketStateRepository,
} from '../../../shared/store/ticket-state-repository.js';
import { packTicketState } from '../../../shared/store/ticket-state-codec.js';
import { descriptionTerms } from '../../../shared/domain/description-terms.js';
import { itemSizeBytes } from '../../../shared/store/item-size.js';

interface State {
  readonly ticketId: number;
  readonly status: string;
  readonly customFields: Record<string, unknown>;
}

const state = (ticketId: number, status: string): State => ({
  ticketId,
  status,
  // Values a DynamoDB map would not give back as they went in.
  customFields: { '360001': '', '360002': [1, 'two', null], '360003': { nested: true } },
});

const ticket = (ticketId: number, status: string): TicketState => ({
  ...emptyTicketState(ticketId),
  status,
  // Values a DynamoDB map would not give back as they went in.
  customFields: { '360001': '', '360002': ['one', 'two'], '360003': false },
});

const interaction = (updateId: number): StoredInteraction<State> => ({
  updateId,
  ticketId: 1000 + (updateId % 7),
  createdAt: new Date(Date.UTC(2026, 1, 1) + updateId * 1000).toISOString(),
  channel: 'email',
  viaChannel: updateId % 2 === 0 ? 'email' : null,
  state: state(1000 + (updateId % 7), 'open'),
  evaluatedViews: [360100001, 360100002],
});

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

/**
 * A ticket with the spread of values a real one has (ids, tags, times that differ from ticket to
 * ticket), so that a bucket of 32 packs to more than one write unit, as the sandbox's do.
 */
const busyTicket = (
  ticketId: number,
  status: string,
  updatedAt = '2026-02-10T09:00:00.000Z',
): TicketState => ({
  ...emptyTicketState(ticketId),
  status,
  requesterId: 410_000_000 + ((ticketId * 7919) % 100_003),
  assigneeId: 400_000_000 + ((ticketId * 104_729) % 997),
  groupId: 360_001_000 + (ticketId % 7),
  tags: [`order_${(ticketId * 31337) % 9973}`, `sku_${(ticketId * 271) % 1009}`],
  organizationId: 360_002_000 + ((ticketId * 613) % 211),
  customFields: {
    '360041597112': `ref-${(ticketId * 48_271) % 65_537}`,
    '360041597113': `2026-03-${String(1 + ((ticketId * 17) % 28)).padStart(2, '0')}`,
  },
  createdAt: new Date(Date.UTC(2026, 1, 1) + ticketId * 3_607_000).toISOString(),
  requesterUpdatedAt: new Date(Date.UTC(2026, 1, 2) + ticketId * 5_003_000).toISOString(),
  assignedAt: new Date(Date.UTC(2026, 1, 3) + ticketId * 4_001_000).toISOString(),
  updatedAt,
  appliedThrough: { timestamp: Date.parse(updatedAt) / 1000, updateId: 31_000_000_000 + ticketId * 7_777 },
});

/**
 * The hashes of a description as long as Zendesk keeps (65,000 characters) of distinct words of 3
 * to 8 characters: about 20,000 hashes, some 97 KB gzipped.
 */
const longestDescriptionTerms = (seed: number) => {
  const words: string[] = [];
  for (let n = 0, length = 0; length < 65_000; n += 1) {
    const word = `${(seed * 100_003 + n).toString(36)}x`.slice(-3 - (n % 6));
    words.push(word);
    length += word.length + 1;
  }
  return descriptionTerms(words.join(' '));
};

/** The item stored under `pk` and `sk`, as the table holds it. */
const storedItem = async (db: DynamoDBDocumentClient, table: string, pk: string, sk: string) =>
  (await db.send(new GetCommand({ TableName: table, Key: { pk, sk } }))).Item;

/** A client that notes the sort key of every batch put and delete it passes on, in order. */
const recordingWrites = (db: DynamoDBDocumentClient) => {
  const written: string[] = [];
  const client = {
    send: (command: { input: { RequestItems?: Record<string, unknown> } }) => {
      for (const requests of Object.values(command.input.RequestItems ?? {}))
        if (Array.isArray(requests))
          for (const r of requests as { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]) {
            if (r.PutRequest) written.push(String(r.PutRequest.Item.sk));
            if (r.DeleteRequest) written.push(`delete ${String(r.DeleteRequest.Key.sk)}`);
          }
      return db.send(command as never);
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, written };
};

describe('repositories that pack many records into one item, on DynamoDB Local', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack({ tables: [TABLES.ticketState, TABLES.interactions], queues: [] });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  describe('TicketStateRepository', () => {
    /**
     * What an instance that holds no bucket reads from the table: the instance that wrote a bucket
     * reads it from memory (see "the buckets an instance holds").
     */
    const tableLoad = (integrationId: string, ticketIds: readonly number[]) =>
      new TicketStateRepository<TicketState>(
        documentClientFor(stack.dynamodb),
        stack.tableNames.ticketState,
      ).load(integrationId, ticketIds);

    it('gives back exactly the states saved, keeps untouched tickets of a bucket, and writes one item per bucket', async () => {
      const db = documentClientFor(stack.dynamodb);
      const repo = new TicketStateRepository<TicketState>(db, stack.tableNames.ticketState);
      // Tickets 0..39 span two buckets; 64 is in a third.
      const first = new Map(range(0, 40).map((id) => [id, ticket(id, 'new')]));
      await repo.save(await repo.load('states', [...first.keys()]), first);

      const loaded = await repo.load('states', [3, 35, 64]);
      expect(loaded.states).toEqual(
        new Map([
          [3, ticket(3, 'new')],
          [35, ticket(35, 'new')],
        ]),
      );
      await repo.save(
        loaded,
        new Map([
          [3, ticket(3, 'open')],
          [64, ticket(64, 'new')],
        ]),
      );

      const all = await tableLoad('states', range(0, 70));
      expect(all.states).toEqual(
        new Map([
          ...range(0, 40).map((id): [number, TicketState] => [id, ticket(id, id === 3 ? 'open' : 'new')]),
          [64, ticket(64, 'new')],
        ]),
      );
      expect(TICKETS_PER_BUCKET).toBe(32);
      expect([...all.buckets.keys()].sort()).toEqual([0, 1, 2]);
    });

    it("keeps a state without what its key or the empty state says, and its description's hashes beside it, written only when they change", async () => {
      const db = documentClientFor(stack.dynamodb);
      const { client, written } = recordingWrites(db);
      const repo = new TicketStateRepository<TicketState>(client, stack.tableNames.ticketState);
      const created: TicketState = {
        ...ticket(40, 'new'),
        createdAt: '2026-02-01T10:00:00.000Z',
        statusEnteredAt: { new: '2026-02-01T10:00:00.000Z' },
        descriptionTerms: [17, 4_000_000_000],
        emailCcIds: [],
        backlog: { channel: 'email', viewIds: [360100001, 360100002] },
      };
      await repo.save(await repo.load('packed', [40]), new Map([[40, created]]));
      expect(written).toEqual(['descriptions', 'states']);

      const raw = async (sk: string) => (await storedItem(db, stack.tableNames.ticketState, 'packed#1', sk))!;
      expect(unpackJson((await raw('states')).states as Uint8Array)).toEqual({
        '40': {
          status: 'new',
          customFields: { '360001': '', '360002': ['one', 'two'], '360003': false },
          // Seconds since 1970: the state has no replay position yet.
          createdAt: 1_769_940_000,
          statusEnteredAt: { new: 1_769_940_000 },
          emailCcIds: [],
          backlog: { channel: 'email', views: [360100001, 360100002] },
        },
      });
      expect(unpackJson((await raw('descriptions')).terms as Uint8Array)).toEqual({
        '40': [17, 4_000_000_000],
      });

      const loaded = await repo.load('packed', [40]);
      expect(loaded.states).toEqual(new Map([[40, created]]));
      written.length = 0;
      await repo.save(loaded, new Map([[40, { ...created, status: 'open' }]]));
      expect(written).toEqual(['states']);
      await repo.save(
        await repo.load('packed', [41]),
        new Map([[41, { ...ticket(41, 'new'), descriptionTerms: [5] }]]),
      );
      expect(written).toEqual(['states', 'descriptions', 'states']);
      expect(await repo.all('packed')).toEqual(
        new Map([
          [40, { ...created, status: 'open' }],
          [41, { ...ticket(41, 'new'), descriptionTerms: [5] }],
        ]),
      );
    });

    it('reads a bucket stored whole, as before states were packed (hashes inside), and moves the hashes apart at its next write', async () => {
      const db = documentClientFor(stack.dynamodb);
      const repo = new TicketStateRepository<TicketState>(db, stack.tableNames.ticketState);
      const before: TicketState = {
        ...ticket(70, 'open'),
        statusEnteredAt: { new: '2026-02-01T10:00:00.000Z', open: '2026-02-01T11:00:00.000Z' },
        descriptionTerms: [9, 8],
      };
      await db.send(
        new PutCommand({
          TableName: stack.tableNames.ticketState,
          Item: { pk: 'whole#2', sk: 'states', states: packJson({ '70': before, '71': ticket(71, 'new') }) },
        }),
      );
      expect(await repo.all('whole')).toEqual(
        new Map([
          [70, before],
          [71, ticket(71, 'new')],
        ]),
      );
      const loaded = await repo.load('whole', [70, 71]);
      expect(loaded.states).toEqual(
        new Map([
          [70, before],
          [71, ticket(71, 'new')],
        ]),
      );
      await repo.save(loaded, new Map([[71, ticket(71, 'solved')]]));
      const descriptions = await db.send(
        new GetCommand({
          TableName: stack.tableNames.ticketState,
          Key: { pk: 'whole#2', sk: 'descriptions' },
        }),
      );
      expect(unpackJson(descriptions.Item!.terms as Uint8Array)).toEqual({ '70': [9, 8] });
      const states = await db.send(
        new GetCommand({ TableName: stack.tableNames.ticketState, Key: { pk: 'whole#2', sk: 'states' } }),
      );
      // Ticket 70 did not change, and is packed anew all the same: it was stored whole.
      expect(unpackJson(states.Item!.states as Uint8Array)).toEqual({
        '70': packTicketState(before).state,
        '71': packTicketState(ticket(71, 'solved')).state,
      });
      expect((await tableLoad('whole', [70, 71])).states).toEqual(
        new Map([
          [70, before],
          [71, ticket(71, 'solved')],
        ]),
      );
    });

    it('writes an unchanged ticket of a bucket back exactly as it was stored, without unpacking it (times kept as strings before they were packed stay strings)', async () => {
      const db = documentClientFor(stack.dynamodb);
      const repo = new TicketStateRepository<TicketState>(db, stack.tableNames.ticketState);
      const storedBefore = {
        status: 'open',
        appliedThrough: { timestamp: 1_770_000_000, updateId: 5 },
        createdAt: '2026-02-01T10:00:00.000Z',
        statusEnteredAt: { open: '2026-02-01T11:00:00.000Z' },
      };
      await db.send(
        new PutCommand({
          TableName: stack.tableNames.ticketState,
          Item: { pk: 'verbatim#3', sk: 'states', states: packJson({ '96': storedBefore }) },
        }),
      );
      const loaded = await repo.load('verbatim', [97]);
      expect(loaded.states).toEqual(new Map());
      await repo.save(loaded, new Map([[97, ticket(97, 'new')]]));
      const states = await db.send(
        new GetCommand({ TableName: stack.tableNames.ticketState, Key: { pk: 'verbatim#3', sk: 'states' } }),
      );
      expect(unpackJson(states.Item!.states as Uint8Array)).toEqual({
        '96': storedBefore,
        '97': packTicketState(ticket(97, 'new')).state,
      });
      expect((await tableLoad('verbatim', [96])).states).toEqual(
        new Map([
          [
            96,
            {
              ...emptyTicketState(96),
              status: 'open',
              appliedThrough: { timestamp: 1_770_000_000, updateId: 5 },
              createdAt: '2026-02-01T10:00:00.000Z',
              statusEnteredAt: { open: '2026-02-01T11:00:00.000Z' },
            },
          ],
        ]),
      );
    });

    it('a crash after the descriptions and before the states: the redelivered save leaves the bucket as one uninterrupted save does', async () => {
      const db = documentClientFor(stack.dynamodb);
      let failStates = true;
      const crashing = {
        send: (command: { input: { RequestItems?: Record<string, unknown> } }) => {
          const puts = Object.values(command.input.RequestItems ?? {}).flatMap((r) =>
            Array.isArray(r) ? (r as { PutRequest?: { Item: Item } }[]) : [],
          );
          if (failStates && puts.some((r) => r.PutRequest?.Item.sk === 'states'))
            return Promise.reject(new Error('process died'));
          return db.send(command as never);
        },
      } as unknown as DynamoDBDocumentClient;
      const repo = new TicketStateRepository<TicketState>(crashing, stack.tableNames.ticketState);
      const old = ticket(96, 'open');
      failStates = false;
      await repo.save(await repo.load('torn', [96]), new Map([[96, old]]));
      failStates = true;
      const created: TicketState = { ...ticket(97, 'new'), descriptionTerms: [11, 12] };
      const changed = new Map<number, TicketState>([
        [96, { ...old, status: 'pending' }],
        [97, created],
      ]);
      await expect(repo.save(await repo.load('torn', [96, 97]), changed)).rejects.toThrow('process died');
      // The hashes landed, the states did not: the old state reads as it was, the new ticket has none.
      expect((await tableLoad('torn', [96, 97])).states).toEqual(new Map([[96, old]]));
      failStates = false;
      await repo.save(await repo.load('torn', [96, 97]), changed);
      expect((await tableLoad('torn', [96, 97])).states).toEqual(changed);
      expect(await repo.all('torn')).toEqual(changed);
    });

    it('a bucket with only its descriptions item (its states never written) reads as empty and takes a state', async () => {
      const db = documentClientFor(stack.dynamodb);
      const repo = new TicketStateRepository<TicketState>(db, stack.tableNames.ticketState);
      await db.send(
        new PutCommand({
          TableName: stack.tableNames.ticketState,
          Item: { pk: 'only-terms#0', sk: 'descriptions', terms: packJson({ '5': [1], '6': [2] }) },
        }),
      );
      expect((await tableLoad('only-terms', [5, 6])).states).toEqual(new Map());
      await repo.save(
        await repo.load('only-terms', [5]),
        new Map([[5, { ...ticket(5, 'new'), descriptionTerms: [1] }]]),
      );
      expect(await repo.all('only-terms')).toEqual(
        new Map([[5, { ...ticket(5, 'new'), descriptionTerms: [1] }]]),
      );
      const descriptions = await db.send(
        new GetCommand({
          TableName: stack.tableNames.ticketState,
          Key: { pk: 'only-terms#0', sk: 'descriptions' },
        }),
      );
      // Ticket 6's hashes had no state: dropped at the bucket's write.
      expect(unpackJson(descriptions.Item!.terms as Uint8Array)).toEqual({ '5': [1] });
    });

    it('a description with more than OWN_ITEM_TERMS hashes keeps them in an item of its own that the bucket lists, written before it and only when it changes', async () => {
      const db = documentClientFor(stack.dynamodb);
      const { client, written } = recordingWrites(db);
      const repo = new TicketStateRepository<TicketState>(client, stack.tableNames.ticketState);
      const raw = (sk: string) => storedItem(db, stack.tableNames.ticketState, 'long#4', sk);
      expect(OWN_ITEM_TERMS).toBe(1000);
      const long: TicketState = { ...ticket(130, 'new'), descriptionTerms: range(1, OWN_ITEM_TERMS + 1) };
      const short: TicketState = { ...ticket(131, 'new'), descriptionTerms: range(1, OWN_ITEM_TERMS) };
      await repo.save(
        await repo.load('long', [130, 131]),
        new Map([
          [130, long],
          [131, short],
        ]),
      );
      expect(written).toEqual(['description#130', 'descriptions', 'states']);
      expect(unpackJson((await raw('description#130'))!.terms as Uint8Array)).toEqual(
        range(1, OWN_ITEM_TERMS + 1),
      );
      const descriptions = (await raw('descriptions'))!;
      expect(unpackJson(descriptions.terms as Uint8Array)).toEqual({ '131': range(1, OWN_ITEM_TERMS) });
      expect(descriptions.own).toEqual([130]);

      const loaded = await repo.load('long', [130]);
      expect(loaded.states).toEqual(new Map([[130, long]]));
      written.length = 0;
      await repo.save(loaded, new Map([[130, { ...long, status: 'open' }]]));
      expect(written).toEqual(['states']);
      expect(await repo.all('long')).toEqual(
        new Map([
          [130, { ...long, status: 'open' }],
          [131, short],
        ]),
      );
    });

    it('a bucket whose item holds a long description (stored before items of their own) moves it out at its next write; an own item no longer listed is never deleted and never read', async () => {
      const db = documentClientFor(stack.dynamodb);
      const { client, written } = recordingWrites(db);
      const repo = new TicketStateRepository<TicketState>(client, stack.tableNames.ticketState);
      const long = range(1, OWN_ITEM_TERMS + 1);
      const before = { ...ticket(160, 'new'), descriptionTerms: long };
      const put = (item: Item) =>
        db.send(
          new PutCommand({ TableName: stack.tableNames.ticketState, Item: { pk: 'moved#5', ...item } }),
        );
      await put({ sk: 'states', states: packJson({ '160': packTicketState(before).state }) });
      // Ticket 161's hashes have an item of their own but the ticket has no state: never read, dropped.
      await put({ sk: 'descriptions', terms: packJson({ '160': long }), own: [161] });
      await put({ sk: 'description#161', terms: packJson(long) });
      const loaded = await repo.load('moved', [160]);
      expect(loaded.states).toEqual(new Map([[160, before]]));
      await repo.save(loaded, new Map([[160, { ...before, status: 'open' }]]));
      expect(written).toEqual(['description#160', 'descriptions', 'states']);
      const item = async (sk: string) =>
        (
          await db.send(
            new GetCommand({ TableName: stack.tableNames.ticketState, Key: { pk: 'moved#5', sk } }),
          )
        ).Item;
      expect(unpackJson((await item('descriptions'))!.terms as Uint8Array)).toEqual({});
      expect((await item('descriptions'))!.own).toEqual([160]);
      // Left for a reader that listed it a moment before; no read asks for it any more.
      expect(unpackJson((await item('description#161'))!.terms as Uint8Array)).toEqual(long);
      expect(await repo.all('moved')).toEqual(new Map([[160, { ...before, status: 'open' }]]));
    });

    it('hashes that shrink to OWN_ITEM_TERMS or fewer (a creation rebuilt from its record) move back into the bucket’s item; their own item is left unlisted, never deleted', async () => {
      const db = documentClientFor(stack.dynamodb);
      const { client, written } = recordingWrites(db);
      const repo = new TicketStateRepository<TicketState>(client, stack.tableNames.ticketState);
      const long: TicketState = { ...ticket(230, 'new'), descriptionTerms: range(1, OWN_ITEM_TERMS + 1) };
      await repo.save(await repo.load('shrunk', [230]), new Map([[230, long]]));
      written.length = 0;
      const rebuilt: TicketState = { ...ticket(230, 'open'), descriptionTerms: [4, 5] };
      await repo.save(await repo.load('shrunk', [230]), new Map([[230, rebuilt]]));
      expect(written).toEqual(['descriptions', 'states']);
      const item = async (sk: string) =>
        (
          await db.send(
            new GetCommand({ TableName: stack.tableNames.ticketState, Key: { pk: 'shrunk#7', sk } }),
          )
        ).Item;
      expect(unpackJson((await item('descriptions'))!.terms as Uint8Array)).toEqual({ '230': [4, 5] });
      expect((await item('descriptions'))!.own).toBeUndefined();
      expect(unpackJson((await item('description#230'))!.terms as Uint8Array)).toEqual(
        range(1, OWN_ITEM_TERMS + 1),
      );
      expect(await repo.all('shrunk')).toEqual(new Map([[230, rebuilt]]));
    });

    it("a bucket of 32 tickets with the longest descriptions Zendesk keeps (65,000 characters) is written: no item passes DynamoDB's 400 KB", async () => {
      const db = documentClientFor(stack.dynamodb);
      const repo = new TicketStateRepository<TicketState>(db, stack.tableNames.ticketState);
      const changed = new Map(
        range(192, TICKETS_PER_BUCKET).map((id): [number, TicketState] => [
          id,
          { ...ticket(id, 'new'), descriptionTerms: longestDescriptionTerms(id) },
        ]),
      );
      expect(changed.get(192)!.descriptionTerms!.length).toBeGreaterThan(10 * OWN_ITEM_TERMS);
      await repo.save(await repo.load('longest', [...changed.keys()]), changed);
      expect(await repo.all('longest')).toEqual(changed);
    });

    it('a bucket of 32 tickets whose multi-line fields hold 65,000 characters each is written: a text no view can test is not kept', async () => {
      const db = documentClientFor(stack.dynamodb);
      const repo = new TicketStateRepository<TicketState>(db, stack.tableNames.ticketState);
      // Pasted encoded data (base64), which packs to about 49 KB a ticket: 32 of them, kept whole,
      // pass 1.5 MB.
      const pastedData = (seed: number) => {
        let text = '';
        for (let n = 0; text.length < 65_000; n += 1)
          text += createHash('sha256').update(`${seed}:${n}`).digest('base64');
        return text.slice(0, 65_000);
      };
      const changed = new Map(
        range(224, TICKETS_PER_BUCKET).map((id): [number, TicketState] => [
          id,
          stateFromTicket(
            ticketRecord({
              id,
              createdAt: '2026-02-01T09:00:00Z',
              channel: 'web',
              status: 'new',
              customFields: { '360041597114': pastedData(id), '360041597112': 'billing' },
            }),
          ),
        ]),
      );
      await repo.save(await repo.load('pasted', [...changed.keys()]), changed);
      const stored = await repo.all('pasted');
      expect(stored).toEqual(changed);
      expect(stored.get(224)!.customFields).toEqual({
        '360041597114': { kind: 'unkept_text' },
        '360041597112': 'billing',
      });
    });

    it("reads every state with its hashes while a page writes: the states' Scan first, their hashes by key after it", async () => {
      const db = documentClientFor(stack.dynamodb);
      const writer = new TicketStateRepository<TicketState>(db, stack.tableNames.ticketState);
      const old: TicketState = { ...ticket(900, 'open'), descriptionTerms: [1] };
      const added: TicketState = { ...ticket(901, 'new'), descriptionTerms: [2] };
      await writer.save(await writer.load('torn-scan', [900]), new Map([[900, old]]));
      // A Scan that reads one item per request, and a page that adds ticket 901 to the bucket as soon
      // as the Scan has read the first of the bucket's items.
      let pageWritten = false;
      const scanning = {
        send: async (command: { constructor: { name: string }; input: { Limit?: number } }) => {
          if (command.constructor.name !== 'ScanCommand') return db.send(command as never);
          command.input.Limit = 1;
          const out = (await db.send(command as never)) as { Items?: Item[] };
          if (!pageWritten && (out.Items ?? []).some((item) => item.pk === 'torn-scan#28')) {
            pageWritten = true;
            await writer.save(await writer.load('torn-scan', [901]), new Map([[901, added]]));
          }
          return out;
        },
      } as unknown as DynamoDBDocumentClient;
      const reader = new TicketStateRepository<TicketState>(scanning, stack.tableNames.ticketState);
      expect(await reader.all('torn-scan')).toEqual(new Map([[900, old]]));
      expect(pageWritten).toBe(true);
      expect(await reader.all('torn-scan')).toEqual(
        new Map([
          [900, old],
          [901, added],
        ]),
      );
    });

    /**
     * Bucket 0 of `integrationId` saved with 32 busy tickets (more than one write unit), through a
     * repository whose writes are noted.
     */
    const busyBucket = async (integrationId: string) => {
      const db = documentClientFor(stack.dynamodb);
      const { client, written } = recordingWrites(db);
      const repo = new TicketStateRepository<TicketState>(client, stack.tableNames.ticketState);
      const saved = new Map(range(0, 32).map((id) => [id, busyTicket(id, 'new')]));
      await repo.save(await repo.load(integrationId, [...saved.keys()]), saved);
      return { db, written, repo, saved };
    };

    it("a page that changes few tickets of a bucket of more than one write unit writes only them, in the bucket's recent item, which every read lays over its states", async () => {
      const { db, written, repo, saved: first } = await busyBucket('recent');
      expect(written).toEqual(['states']);
      const raw = (sk: string) => storedItem(db, stack.tableNames.ticketState, 'recent#0', sk);
      const states = (await raw('states'))!;
      expect(states.generation).toBe(1);
      expect(
        itemSizeBytes({
          pk: { S: 'recent#0' },
          sk: { S: 'states' },
          states: { B: states.states as Uint8Array },
          generation: { N: '1' },
        }),
      ).toBeGreaterThan(1024);

      written.length = 0;
      const changed = busyTicket(3, 'open', '2026-02-11T09:00:00.000Z');
      await repo.save(await repo.load('recent', [3]), new Map([[3, changed]]));
      expect(written).toEqual(['recent']);
      const recent = (await raw('recent'))!;
      expect(recent.generation).toBe(1);
      expect(Object.keys(unpackJson(recent.states as Uint8Array) as object)).toEqual(['3']);

      const expected = new Map([...first].map(([id, t]) => [id, id === 3 ? changed : t]));
      expect((await tableLoad('recent', range(0, 32))).states).toEqual(expected);
      expect(await repo.all('recent')).toEqual(expected);
    });

    it('the recent item takes changes until it would pass one write unit; then the bucket is written whole under the next generation, and the recent item of the one before is never read again', async () => {
      const { db, written, repo, saved: expected } = await busyBucket('generations');
      const raw = async (sk: string) =>
        (await storedItem(db, stack.tableNames.ticketState, 'generations#0', sk))!;
      const recentTickets = async () =>
        Object.keys(unpackJson((await raw('recent')).states as Uint8Array) as object).map(Number);
      // One page per ticket, each changing one more ticket of the bucket.
      const page = async (id: number) => {
        const changed = busyTicket(id, 'open', `2026-02-11T09:${String(id).padStart(2, '0')}:00.000Z`);
        expected.set(id, changed);
        await repo.save(await repo.load('generations', [id]), new Map([[id, changed]]));
      };
      written.length = 0;
      for (const id of range(0, 19)) await page(id);
      // The recent item of 18 changed tickets packs within one write unit, of 19 it would not.
      expect(written).toEqual([...Array<string>(18).fill('recent'), 'states']);
      expect((await raw('states')).generation).toBe(2);
      expect((await raw('recent')).generation).toBe(1);
      expect(await recentTickets()).toEqual(range(0, 18));
      expect((await tableLoad('generations', range(0, 32))).states).toEqual(expected);
      expect(await repo.all('generations')).toEqual(expected);

      // Had the stale recent item older states than the states item (ticket 0 as it was), they are
      // still not read.
      await db.send(
        new PutCommand({
          TableName: stack.tableNames.ticketState,
          Item: {
            pk: 'generations#0',
            sk: 'recent',
            generation: 1,
            states: packJson({ '0': packTicketState(busyTicket(0, 'new')).state }),
          },
        }),
      );
      expect((await tableLoad('generations', range(0, 32))).states).toEqual(expected);
      expect(await repo.all('generations')).toEqual(expected);

      // The next pages start a recent item of the new generation.
      written.length = 0;
      for (const id of range(19, 5)) await page(id);
      expect(written).toEqual(Array<string>(5).fill('recent'));
      expect((await raw('recent')).generation).toBe(2);
      expect(await recentTickets()).toEqual(range(19, 5));
      expect((await tableLoad('generations', range(0, 32))).states).toEqual(expected);
      expect(await repo.all('generations')).toEqual(expected);
    });

    it('refuses a bucket whose generation is damaged, naming the item and the field, rather than drop its recent states or write the next generation as text', async () => {
      const { db } = await busyBucket('damaged');
      // Another instance reads it: the one that wrote it holds what it wrote (see the held buckets' tests).
      const repo = new TicketStateRepository<TicketState>(db, stack.tableNames.ticketState);
      const put = (sk: string, generation: unknown) =>
        db.send(
          new PutCommand({
            TableName: stack.tableNames.ticketState,
            Item: {
              pk: 'damaged#0',
              sk,
              states: packJson({ '3': packTicketState(busyTicket(3, 'open')).state }),
              ...(generation !== undefined ? { generation } : {}),
            },
          }),
        );
      await put('recent', '1');
      await expect(repo.load('damaged', [3])).rejects.toThrow(
        'ticket-state damaged#0 recent generation: expected a whole number of 0 or more, got "1"',
      );
      await expect(repo.all('damaged')).rejects.toThrow('ticket-state damaged#0 recent generation');
      // A damaged value is shown cut at 200 characters: an item can hold 400 KB, an error line should not.
      await put('recent', 'x'.repeat(1000));
      await expect(repo.load('damaged', [3])).rejects.toThrow(
        new Error(
          `ticket-state damaged#0 recent generation: expected a whole number of 0 or more, got "${'x'.repeat(199)}…`,
        ),
      );
      await put('recent', undefined);
      await expect(repo.load('damaged', [3])).rejects.toThrow(
        'ticket-state damaged#0 recent generation: expected a whole number of 0 or more, got none',
      );
      await put('recent', 1);
      await put('states', 1.5);
      await expect(repo.load('damaged', [3])).rejects.toThrow(
        'ticket-state damaged#0 states generation: expected a whole number of 0 or more, got 1.5',
      );
    });

    it("refuses a bucket whose descriptions item's list of tickets with their own hashes is damaged, naming the item and the field", async () => {
      const { db } = await busyBucket('damaged-own');
      const repo = new TicketStateRepository<TicketState>(db, stack.tableNames.ticketState);
      await db.send(
        new PutCommand({
          TableName: stack.tableNames.ticketState,
          Item: { pk: 'damaged-own#0', sk: 'descriptions', terms: packJson({}), own: ['7'] },
        }),
      );
      await expect(repo.load('damaged-own', [3])).rejects.toThrow(
        'ticket-state damaged-own#0 descriptions own: expected a list of ticket ids, got ["7"]',
      );
      await expect(repo.all('damaged-own')).rejects.toThrow('ticket-state damaged-own#0 descriptions own');
    });

    it('keeps integrations apart', async () => {
      const db = documentClientFor(stack.dynamodb);
      const repo = new TicketStateRepository<TicketState>(db, stack.tableNames.ticketState);
      await repo.save(await repo.load('apart-a', [3]), new Map([[3, ticket(3, 'open')]]));
      await repo.save(await repo.load('apart-b', [3]), new Map([[3, ticket(3, 'solved')]]));
      expect((await tableLoad('apart-b', [3, 4])).states).toEqual(new Map([[3, ticket(3, 'solved')]]));
      expect((await tableLoad('apart-a', [3, 4])).states).toEqual(new Map([[3, ticket(3, 'open')]]));
    });

    it('re-reads a bucket it was not given before writing into it, so no ticket in it is lost', async () => {
      const db = documentClientFor(stack.dynamodb);
      const repo = new TicketStateRepository<TicketState>(db, stack.tableNames.ticketState);
      const first = new Map(range(0, 8).map((id) => [id, ticket(id, 'new')]));
      await repo.save(await repo.load('reread', [...first.keys()]), first);
      const nothingLoaded = await repo.load('reread', []);
      await repo.save(nothingLoaded, new Map([[5, ticket(5, 'pending')]]));
      expect((await tableLoad('reread', [4, 5])).states).toEqual(
        new Map([
          [4, ticket(4, 'new')],
          [5, ticket(5, 'pending')],
        ]),
      );
    });

    it("what the audits told a page is kept per page and ticket, beside the states: the states' Scan never reads it, and it is gone once cleared", async () => {
      const db = documentClientFor(stack.dynamodb);
      const repo = new TicketStateRepository<TicketState>(db, stack.tableNames.ticketState);
      await repo.save(await repo.load('audited', [7]), new Map([[7, ticket(7, 'open')]]));
      // 30 tickets: more than one batch write of 25.
      const learned = new Map(range(100, 30).map((id) => [id, { prior: ticket(id, 'pending') }]));
      await repo.saveAudited('audited', 'page-1', learned);
      await repo.saveAudited('audited', 'page-2', new Map([[100, { prior: ticket(100, 'solved') }]]));

      expect(await repo.loadAudited('audited', 'page-1', [100, 129, 130])).toEqual(
        new Map([
          [100, { prior: ticket(100, 'pending') }],
          [129, { prior: ticket(129, 'pending') }],
        ]),
      );
      expect(await repo.all('audited')).toEqual(new Map([[7, ticket(7, 'open')]]));
      await repo.clearAudited('audited', 'page-1', [...learned.keys(), 130]);
      expect(await repo.loadAudited('audited', 'page-1', [...learned.keys()])).toEqual(new Map());
      expect(await repo.loadAudited('audited', 'page-2', [100])).toEqual(
        new Map([[100, { prior: ticket(100, 'solved') }]]),
      );
      expect((await tableLoad('audited', [7])).states).toEqual(new Map([[7, ticket(7, 'open')]]));
    });
  });

  describe('TicketStateRepository: the buckets an instance holds', () => {
    /** A client that notes each request it passes on: its command, and for a Query the partition. */
    const watchedClient = (db: DynamoDBDocumentClient) => {
      const sent: string[] = [];
      let failWrites = false;
      let lateQuery: { readonly answered: Promise<void>; readonly read: () => void } | undefined;
      const client = {
        send: (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
          const name = command.constructor.name;
          const written = Object.values(command.input.RequestItems ?? {}).flatMap((requests) =>
            (requests as { PutRequest?: { Item: Item } }[]).map((r) => String(r.PutRequest?.Item.sk)),
          );
          sent.push(
            name === 'QueryCommand'
              ? `Query ${String((command.input.ExpressionAttributeValues as Item)[':pk'])}`
              : name === 'BatchWriteCommand'
                ? `BatchWriteCommand ${written.join(' ')}`
                : name,
          );
          if (failWrites && name === 'BatchWriteCommand') return Promise.reject(new Error('write refused'));
          if (name === 'QueryCommand' && lateQuery !== undefined) {
            // Read now, answered once released: an answer that arrives late.
            const late = lateQuery;
            lateQuery = undefined;
            return db.send(command as never).then(async (answer: unknown) => {
              late.read();
              await late.answered;
              return answer;
            });
          }
          return db.send(command as never);
        },
      } as unknown as DynamoDBDocumentClient;
      return {
        client,
        /** The requests since the last call. */
        sent: () => sent.splice(0),
        failWrites: (fail: boolean) => {
          failWrites = fail;
        },
        /** The next Query is read at once (`read`) and answered when `answer` is called. */
        answerNextQueryLate: () => {
          let answer = () => {};
          let read = () => {};
          const wasRead = new Promise<void>((resolve) => {
            read = resolve;
          });
          lateQuery = {
            answered: new Promise<void>((resolve) => {
              answer = resolve;
            }),
            read,
          };
          return { read: wasRead, answer };
        },
      };
    };
    const withTerms = (id: number, status: string): TicketState => ({
      ...busyTicket(id, status),
      descriptionTerms: [id, id * 7, id * 13],
    });
    /** An instance on its own client (no request watched). */
    const instance = () =>
      new TicketStateRepository<TicketState>(documentClientFor(stack.dynamodb), stack.tableNames.ticketState);
    /** An instance whose requests are watched, holding at most `maxHeldBytes`. */
    const watchedInstance = (maxHeldBytes?: number) => {
      const watched = watchedClient(documentClientFor(stack.dynamodb));
      const repo = new TicketStateRepository<TicketState>(
        watched.client,
        stack.tableNames.ticketState,
        undefined,
        maxHeldBytes,
      );
      return { watched, repo };
    };
    /** The states stored, as the operator's Scan reads them (a load would put a claim of its own). */
    const storedStates = async (integrationId: string) =>
      new TicketStateRepository<TicketState>(
        documentClientFor(stack.dynamodb),
        stack.tableNames.ticketState,
      ).all(integrationId);

    it('an instance reads a bucket it read or wrote at its last page from memory (one claim, no Query), and holds exactly what is stored through recent items and new generations', async () => {
      const { watched, repo } = watchedInstance();
      const ids = range(0, 32);
      // A bucket found empty is held as such.
      const empty = await repo.load('held', ids);
      expect(watched.sent()).toEqual(['PutCommand', 'Query held#0']);
      await repo.save(empty, new Map(ids.map((id) => [id, withTerms(id, 'new')])));
      watched.sent();
      // Pages that change a few tickets write the recent item, until it would pass one write unit.
      const writes: string[] = [];
      for (const [n, status] of [
        'open',
        'pending',
        'hold',
        'solved',
        'closed',
        'open',
        'pending',
      ].entries()) {
        const loaded = await repo.load('held', ids);
        expect(watched.sent()).toEqual(['PutCommand']);
        expect(loaded.states).toEqual(await storedStates('held'));
        await repo.save(
          loaded,
          new Map([
            [n, withTerms(n, status)],
            [n + 8, withTerms(n + 8, status)],
            [n + 16, busyTicket(n + 16, status)],
            [n + 24, withTerms(n + 24, status)],
          ]),
        );
        writes.push(...watched.sent());
      }
      // Every page changes a description (ticket n + 16's hashes go); the fifth's states no longer fit the recent item.
      expect(writes).toEqual(
        ['recent', 'recent', 'recent', 'recent', 'states', 'recent', 'recent'].flatMap((sk) => [
          'BatchWriteCommand descriptions',
          `BatchWriteCommand ${sk}`,
        ]),
      );
      const last = await repo.load('held', ids);
      expect(watched.sent()).toEqual(['PutCommand']);
      expect(last.states).toEqual(await storedStates('held'));
      expect(last.states.get(6)).toEqual(withTerms(6, 'pending'));
      expect(last.states.get(16)).toEqual(busyTicket(16, 'open'));
      expect(
        (await storedItem(
          documentClientFor(stack.dynamodb),
          stack.tableNames.ticketState,
          'held#0',
          'states',
        ))!.generation,
      ).toBe(2);
    });

    it("another instance's page in between, or only its claim (a page that died before its save), makes an instance read the integration's buckets again", async () => {
      const { watched: a, repo: repoA } = watchedInstance();
      const repoB = instance();
      await repoA.save(
        await repoA.load('claimed', [3, 40]),
        new Map([
          [3, ticket(3, 'new')],
          [40, ticket(40, 'new')],
        ]),
      );
      await repoB.save(await repoB.load('claimed', [3]), new Map([[3, ticket(3, 'open')]]));
      a.sent();
      const afterB = await repoA.load('claimed', [3, 40]);
      expect(a.sent()).toEqual(['PutCommand', 'Query claimed#0', 'Query claimed#1']);
      expect(afterB.states).toEqual(
        new Map([
          [3, ticket(3, 'open')],
          [40, ticket(40, 'new')],
        ]),
      );
      await repoA.save(afterB, new Map([[40, ticket(40, 'pending')]]));
      await repoB.load('claimed', [3]);
      a.sent();
      expect((await repoA.load('claimed', [3, 40])).states).toEqual(
        new Map([
          [3, ticket(3, 'open')],
          [40, ticket(40, 'pending')],
        ]),
      );
      expect(a.sent()).toEqual(['PutCommand', 'Query claimed#0', 'Query claimed#1']);
      // Its own pages since: held again.
      await repoA.load('claimed', [3, 40]);
      expect(a.sent()).toEqual(['PutCommand']);
    });

    it('a save that fails leaves nothing held: the next page reads every bucket as stored', async () => {
      const { watched, repo } = watchedInstance();
      await repo.save(await repo.load('failed', [3]), new Map([[3, withTerms(3, 'new')]]));
      watched.failWrites(true);
      await expect(
        repo.save(await repo.load('failed', [3]), new Map([[3, withTerms(3, 'open')]])),
      ).rejects.toThrow('write refused');
      watched.failWrites(false);
      watched.sent();
      expect((await repo.load('failed', [3])).states).toEqual(new Map([[3, withTerms(3, 'new')]]));
      expect(watched.sent()).toEqual(['PutCommand', 'Query failed#0']);
    });

    it('a read left over from a failed page, answered after the redelivered page wrote the bucket, holds nothing: the next page reads what the redelivery wrote', async () => {
      const { watched, repo } = watchedInstance();
      const elsewhere = instance();
      await elsewhere.save(await elsewhere.load('late', [3]), new Map([[3, ticket(3, 'new')]]));
      // The page's load reads the bucket (ticket 3 new); the page fails beside it before the answer.
      const late = watched.answerNextQueryLate();
      const leftOver = repo.load('late', [3]);
      await late.read;
      const redelivered = await repo.load('late', [3]);
      await repo.save(redelivered, new Map([[3, ticket(3, 'open')]]));
      late.answer();
      expect((await leftOver).states).toEqual(new Map([[3, ticket(3, 'new')]]));
      watched.sent();
      expect((await repo.load('late', [3])).states).toEqual(new Map([[3, ticket(3, 'open')]]));
      expect(watched.sent()).toEqual(['PutCommand']);
    });

    it("a save of a page loaded before the instance's last claim holds nothing, and makes it forget what the later load held", async () => {
      const { watched, repo } = watchedInstance();
      await repo.save(await repo.load('stale-claim', [3]), new Map([[3, ticket(3, 'new')]]));
      const earlier = await repo.load('stale-claim', [3]);
      // A later load (its claim now the instance's last) holds the bucket as it is before the save.
      expect((await repo.load('stale-claim', [3])).states).toEqual(new Map([[3, ticket(3, 'new')]]));
      await repo.save(earlier, new Map([[3, ticket(3, 'open')]]));
      watched.sent();
      expect((await repo.load('stale-claim', [3])).states).toEqual(new Map([[3, ticket(3, 'open')]]));
      expect(watched.sent()).toEqual(['PutCommand', 'Query stale-claim#0']);
    });

    it('holds at most maxHeldBytes of bucket items, the least recently used going first, other integrations before the one at work', async () => {
      // Three buckets found empty (each its overhead only).
      const { watched, repo } = watchedInstance(3 * HELD_BUCKET_OVERHEAD_BYTES);
      await repo.load('few-other', [0]);
      await repo.load('few', [0, 32]);
      await repo.load('few', [0]);
      // Bucket 2 takes the other integration's place, bucket 3 that of bucket 1 (used before bucket 0).
      await repo.load('few', [64, 96]);
      watched.sent();
      await repo.load('few', [0, 32, 64, 96]);
      expect(watched.sent()).toEqual(['PutCommand', 'Query few#1']);
      await repo.load('few-other', [0]);
      expect(watched.sent()).toEqual(['PutCommand', 'Query few-other#0']);
    });
  });

  describe('InteractionsRepository', () => {
    it('stores a page in chunks and pages through every interaction exactly once', async () => {
      const db = documentClientFor(stack.dynamodb);
      const repo = new InteractionsRepository<State>(db, stack.tableNames.interactions);
      const pageA = range(1, 250).map(interaction);
      const pageB = range(251, 30).map(interaction);
      await repo.putPage('acme', 'ticket_events:a', pageA);
      await repo.putPage('acme', 'ticket_events:b', pageB);
      await repo.putPage('acme', 'ticket_events:empty', []);

      const seen: StoredInteraction<State>[] = [];
      const pages: number[] = [];
      let after: string | undefined;
      do {
        const page = await repo.page('acme', after, INTERACTIONS_PER_CHUNK);
        seen.push(...page.interactions);
        pages.push(page.interactions.length);
        after = page.next;
      } while (after);
      // DynamoDB cannot tell that a query stopped by its limit at the last item was the last: one
      // empty page ends the walk.
      expect(pages).toEqual([100, 100, 50, 30, 0]);
      expect(seen.map((i) => i.updateId)).toEqual(range(1, 280));
      expect(seen[1]).toEqual(interaction(2));
      expect(seen[2]).toEqual(interaction(3));

      // Whole chunks until the limit is reached: 250 asks for three of them.
      const big = await repo.page('acme', undefined, 250);
      expect(big.interactions.map((i) => i.updateId)).toEqual(range(1, 250));
    });

    it("splits a chunk until it packs within MAX_CHUNK_BYTES: interactions of tickets with the longest descriptions never pass DynamoDB's 400 KB", async () => {
      const db = documentClientFor(stack.dynamodb);
      const repo = new InteractionsRepository<State & { descriptionTerms: number[] }>(
        db,
        stack.tableNames.interactions,
      );
      const long = range(1, 8).map((updateId) => ({
        ...interaction(updateId),
        state: { ...state(1000 + updateId, 'open'), descriptionTerms: longestDescriptionTerms(updateId) },
      }));
      await repo.putPage('long', 'ticket_events:l', long);
      const items = await queryPartition(db, stack.tableNames.interactions, 'long');
      // Eight pack to about 780 KB, four to 390 KB: halved twice, to chunks of two.
      expect(items.map((item) => [item.sk, item.count])).toEqual([
        ['ticket_events:l#0', 2],
        ['ticket_events:l#1', 2],
        ['ticket_events:l#2', 2],
        ['ticket_events:l#3', 2],
      ]);
      expect(items.every((item) => (item.interactions as Uint8Array).length <= MAX_CHUNK_BYTES)).toBe(true);
      expect((await repo.page('long', undefined, 1000)).interactions).toEqual(long);
    });

    it('a page redone with fewer interactions once all its chunks were written writes nothing, though its halving would now fall on more keys', async () => {
      const db = documentClientFor(stack.dynamodb);
      const repo = new InteractionsRepository<State & { descriptionTerms?: number[] }>(
        db,
        stack.tableNames.interactions,
      );
      const long = (updateId: number) => ({
        ...interaction(updateId),
        state: { ...state(1000 + updateId, 'open'), descriptionTerms: longestDescriptionTerms(updateId) },
      });
      // 97 short ones and 3 long ones fill the first hundred; 3 long ones follow.
      const first = [...range(1, 97).map(interaction), ...range(98, 6).map(long)];
      await repo.putPage('redone', 'ticket_events:r', first);
      expect(
        (await queryPartition(db, stack.tableNames.interactions, 'redone')).map((item) => [
          item.sk,
          item.count,
        ]),
      ).toEqual([
        ['ticket_events:r#0', 100],
        ['ticket_events:r#1', 3],
      ]);
      expect(await queryPartition(db, stack.tableNames.interactions, 'redone#written')).toEqual([
        { pk: 'redone#written', sk: 'ticket_events:r' },
      ]);
      // Its state partly saved, the page comes again without its first three: its first hundred now
      // hold all six long ones and would be halved into more chunks than the first delivery wrote.
      await repo.putPage('redone', 'ticket_events:r', first.slice(3));
      expect((await repo.page('redone', undefined, 1000)).interactions).toEqual(first);
    });

    it('never replaces a chunk: a page redone with fewer interactions keeps the first, complete ones', async () => {
      const db = documentClientFor(stack.dynamodb);
      const repo = new InteractionsRepository<State>(db, stack.tableNames.interactions);
      await repo.putPage('redo', 'ticket_events:c', range(1, 120).map(interaction));
      await repo.putPage('redo', 'ticket_events:c', range(100, 3).map(interaction));
      const page = await repo.page('redo', undefined, 1000);
      expect(page.interactions.map((i) => i.updateId)).toEqual(range(1, 120));
      expect(page.next).toBeUndefined();
    });

    it('surfaces a write failure other than an existing chunk', async () => {
      const db = documentClientFor(stack.dynamodb);
      const repo = new InteractionsRepository<State>(db, 'no-such-table');
      await expect(repo.putPage('acme', 'p', [interaction(1)])).rejects.toThrow(/non-existent table/);
    });

    it('keeps the update log apart from the interactions: a replay never reads it, a redone page never replaces it', async () => {
      const db = documentClientFor(stack.dynamodb);
      const repo = new InteractionsRepository<State>(db, stack.tableNames.interactions);
      const entry = (updateId: number): UpdateLogEntry => ({
        kind: 'classified',
        updateId,
        ticketId: 7,
        at: new Date(Date.UTC(2026, 1, 1) + updateId * 1000).toISOString(),
        verdict: { kind: 'skipped', reason: 'agent_update' },
        creates: false,
        authorRole: 'agent',
        queueIds: [],
      });
      await repo.putPage('logged', 'ticket_events:d', range(1, 3).map(interaction));
      // More than a chunk: two items.
      await repo.putUpdateLog('logged', 'ticket_events:d', range(1, LOG_ENTRIES_PER_CHUNK + 5).map(entry));
      await repo.putUpdateLog('logged', 'ticket_events:d', range(1, 2).map(entry));
      const page = await repo.page('logged', undefined, 1000);
      expect(page.interactions.map((i) => i.updateId)).toEqual(range(1, 3));
      const log = await repo.updateLog('logged');
      expect(log.map((e) => e.updateId).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(
        range(1, LOG_ENTRIES_PER_CHUNK + 5),
      );
      expect(log.find((e) => e.updateId === 2)).toEqual(entry(2));
      expect(await repo.updateLog('acme')).toEqual([]);
    });
  });
});
