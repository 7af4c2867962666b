import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { QueueRef } from '../messages/contacts.js';
import { queryPartition, type Item } from './batch.js';

/**
 * queue-catalog table
 *   pk = integrationId
 *   sk = queueId
 *   attrs: name, channel, source, viewId (support), version (N)
 * Lists an integration's queues so their histories can be read back without scanning. Written by
 * the aggregator in the same guarded transactions as the counters; a view rename updates the name.
 */
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
  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly table: string,
  ) {}

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
