/**
 * queue-catalog table
 *   pk = integrationId
 *   sk = queueId
 *   attrs: name, channel, source, viewId (support), version (N)
 * Lists an integration's queues so their histories can be read back without scanning. The
 * aggregator registers a queue the first time it counts in it, each entry put only if absent and
 * before the counters (an entry without intervals reads back as nothing), apart from the counters'
 * transactions: which queues are known changes between attempts, and must not move counters from
 * one chunk to another. The name is the one first seen and a view rename leaves it as it is:
 * read-backs take a Support queue's name from its view's current title.
 * Entries are never removed (an integration's id is never reused), so an instance remembers the
 * queues it has seen registered: the aggregator's pages name a hundred queues or more, nearly all
 * known, and reading the whole catalog per page was one of its larger reads.
 *
 *   pk = `<integrationId>#latest`, sk = `counters`
 *   attrs: support, talk (the latest interval start, ISO, of any interval counter of the
 *   integration's Support or Talk queues), backlogDay (the latest backlog day, YYYY-MM-DD)
 * The latest counters: no counter of a kind exists after its mark, so the aggregator creates the
 * counters after it without reading them (in a backfill nine in ten are new, and reading them was
 * a fifth of its time). The aggregator raises a mark before it writes any counter past it. The
 * item is made only while the integration's catalog is empty, that is before any counter exists
 * (a queue is registered before its counters): an integration counted before the marks existed has
 * none, and every counter of it is read as before.
 */
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { QueueRef } from '../messages/contacts.js';
import { CHUNK_CONCURRENCY, queryPartition, type Item } from './batch.js';
import { eachConcurrently } from './concurrency.js';
import { writtenUnlessRefused } from './errors.js';

export const catalogItem = (integrationId: string, queue: QueueRef, version: number): Item => ({
  pk: integrationId,
  sk: queue.id,
  name: queue.name,
  channel: queue.channel,
  source: queue.source,
  ...(queue.viewId !== undefined ? { viewId: queue.viewId } : {}),
  version,
});

/** The kinds of counter a mark is kept for: Support's and Talk's intervals, Support's backlog days. */
export type CounterKind = 'support' | 'talk' | 'backlogDay';

/**
 * The latest counter of each kind (an interval start as ISO, a day as YYYY-MM-DD); a kind absent
 * has no counter yet.
 */
export type LatestCounters = Readonly<Partial<Record<CounterKind, string>>>;

const latestKey = (integrationId: string) => ({ pk: `${integrationId}#latest`, sk: 'counters' });

export interface CatalogEntry {
  readonly queue: QueueRef;
  readonly version: number;
}

export class QueueCatalogRepository {
  /** Per integration, the queues this instance has seen in the catalog or put there. */
  private readonly registered = new Map<string, Set<string>>();
  /** Integrations found with queues and no marks: counted before the marks were kept. */
  private readonly unmarked = new Set<string>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly table: string,
  ) {}

  /**
   * Makes sure these queues are in the catalog; an entry already there is kept as it is. The first
   * call for an integration reads its catalog; later ones put only queues this instance has not
   * seen there, each only if absent (another instance may have put it meanwhile).
   */
  async register(integrationId: string, queues: readonly QueueRef[]): Promise<void> {
    let known = this.registered.get(integrationId);
    if (!known) {
      known = new Set((await this.list(integrationId)).map((entry) => entry.queue.id));
      this.registered.set(integrationId, known);
    }
    const unknown = queues.filter((queue) => !known.has(queue.id));
    await eachConcurrently(unknown, CHUNK_CONCURRENCY, async (queue) => {
      // Refused when another instance registered it already: it keeps its first name.
      await writtenUnlessRefused(
        this.db.send(
          new PutCommand({
            TableName: this.table,
            Item: catalogItem(integrationId, queue, 1),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
    });
    for (const queue of unknown) known.add(queue.id);
  }

  /**
   * The integration's latest counters, or null when they are not known (counters were written
   * before the marks were kept): then every counter must be read. The first call for an integration
   * whose catalog is empty makes the item, empty.
   */
  async latestCounters(integrationId: string): Promise<LatestCounters | null> {
    if (this.unmarked.has(integrationId)) return null;
    const read = async () =>
      (
        await this.db.send(
          new GetCommand({ TableName: this.table, Key: latestKey(integrationId), ConsistentRead: true }),
        )
      ).Item;
    let item = await read();
    if (!item) {
      const anyQueue = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': integrationId },
          ConsistentRead: true,
          Limit: 1,
        }),
      );
      if ((anyQueue.Items ?? []).length > 0) {
        // A queue and so perhaps counters from before the marks: for good, since nothing removes them.
        this.unmarked.add(integrationId);
        return null;
      }
      await writtenUnlessRefused(
        this.db.send(
          new PutCommand({
            TableName: this.table,
            Item: latestKey(integrationId),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      item = (await read()) ?? {};
    }
    const latest: Partial<Record<CounterKind, string>> = {};
    for (const kind of ['support', 'talk', 'backlogDay'] as const) {
      if (typeof item[kind] === 'string') latest[kind] = item[kind];
    }
    return latest;
  }

  /**
   * Whether the integration has the latest counters' marks, read only: then it was counted from
   * its first counter by code that kept them, which wrote queue-history schema 5 or later (the
   * marks came after it), so none of its interval items holds backlog moves of its own.
   */
  async hasMarks(integrationId: string): Promise<boolean> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: latestKey(integrationId), ConsistentRead: true }),
    );
    return out.Item !== undefined;
  }

  /**
   * Raises the mark of a kind to `latest` (an interval start as `toISOString` gives it, or a day),
   * unless it is already there or later. Only an integration that has marks gets one.
   */
  async raiseLatest(integrationId: string, kind: CounterKind, latest: string): Promise<void> {
    await writtenUnlessRefused(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: latestKey(integrationId),
          UpdateExpression: 'SET #kind = :latest',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#kind) OR #kind < :latest)',
          ExpressionAttributeNames: { '#kind': kind },
          ExpressionAttributeValues: { ':latest': latest },
        }),
      ),
    );
  }

  async list(integrationId: string): Promise<CatalogEntry[]> {
    return (await queryPartition(this.db, this.table, integrationId)).map((item) => ({
      queue: {
        id: item.sk as string,
        name: item.name as string,
        channel: item.channel as string,
        source: item.source as QueueRef['source'],
        ...(item.viewId !== undefined ? { viewId: item.viewId as number } : {}),
      },
      version: item.version as number,
    }));
  }
}
