/**
 * coverage table
 *   pk = integrationId
 *   sk = counter name: `updates_seen`, `interactions_counted`, `skipped:<reason>`,
 *        `unmapped:<via channel>`, `calls_seen`, `calls_counted`, `calls_skipped:outbound` …
 *   attrs: count (N), version (N), writtenBy (L of S), and createdBy (S) on an item first
 *          written before writtenBy: see AppliedWrites
 * Exactly once like the queue counters: the aggregator derives these from the `outcome` facts and
 * writes them in the same guarded chunks.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { withWriterTags, type WithWriterTags } from './applied-writes.js';
import { queryPartition, type Item } from './batch.js';

export const coverageItem = (
  integrationId: string,
  counter: string,
  count: number,
  version: number,
): Item => ({
  pk: integrationId,
  sk: counter,
  count,
  version,
});

export interface CoverageCounter {
  readonly counter: string;
  readonly count: number;
  readonly version: number;
}

export class CoverageRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly table: string,
  ) {}

  /** The integration's counters, each with its item's writer tags (see AppliedWrites). */
  async list(integrationId: string): Promise<WithWriterTags<CoverageCounter>[]> {
    return (await queryPartition(this.db, this.table, integrationId)).map((item) =>
      withWriterTags(
        { counter: item.sk as string, count: item.count as number, version: item.version as number },
        item,
      ),
    );
  }
}
