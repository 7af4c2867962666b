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
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { QueueRef } from '../messages/contacts.js';
import { CHUNK_CONCURRENCY, queryPartition, type Item } from './batch.js';
import { eachConcurrently } from './concurrency.js';
import { isConditionFailure } from './errors.js';

export const catalogItem = (integrationId: string, queue: QueueRef, version: number): Item => ({
  pk: integrationId,
  sk: queue.id,
  name: queue.name,
  channel: queue.channel,
  source: queue.source,
  ...(queue.viewId !== undefined ? { viewId: queue.viewId } : {}),
  version,
});

export interface CatalogEntry {
  readonly queue: QueueRef;
  readonly version: number;
}

export class QueueCatalogRepository {
  /** Per integration, the queues this instance has seen in the catalog or put there. */
  private readonly registered = new Map<string, Set<string>>();

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
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.table,
            Item: catalogItem(integrationId, queue, 1),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    });
    for (const queue of unknown) known.add(queue.id);
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
