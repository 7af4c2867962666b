/**
 * views table
 *   pk = integrationId
 *   sk = `view#${viewId}`
 *   attrs: view (M, the definition as Zendesk last sent it), supported (BOOL), reasons (L of S),
 *          deleted (BOOL: gone from the account; its queues and history stay),
 *          verdict (S: supported / unsupported / personal), excluded (BOOL: the user excluded it),
 *          replays (N: how many times its history was replayed; keys each replay apart)
 * Every view gets a verdict with reasons, supported or not, so none is dropped silently.
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ViewRecord } from '../domain/records.js';
import { queryPartition } from './batch.js';

export interface StoredView {
  readonly view: ViewRecord;
  readonly supported: boolean;
  readonly reasons: readonly string[];
  readonly deleted: boolean;
  /** Absent on views stored before verdicts had names: read as supported / unsupported. */
  readonly verdict?: 'supported' | 'unsupported' | 'personal';
  readonly excluded?: boolean;
  readonly replays?: number;
}

export class ViewsRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async list(integrationId: string): Promise<StoredView[]> {
    const views = (await queryPartition(this.db, this.table, integrationId)).map((item): StoredView => ({
      view: item.view as ViewRecord,
      supported: item.supported as boolean,
      reasons: item.reasons as string[],
      deleted: item.deleted as boolean,
      ...(item.verdict !== undefined ? { verdict: item.verdict as StoredView['verdict'] } : {}),
      ...(item.excluded !== undefined ? { excluded: item.excluded as boolean } : {}),
      ...(item.replays !== undefined ? { replays: item.replays as number } : {}),
    }));
    return views.sort((a, b) => a.view.id - b.view.id);
  }

  async put(integrationId: string, stored: StoredView): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: integrationId,
          sk: `view#${stored.view.id}`,
          view: stored.view,
          supported: stored.supported,
          reasons: [...stored.reasons],
          deleted: stored.deleted,
          ...(stored.verdict !== undefined ? { verdict: stored.verdict } : {}),
          ...(stored.excluded !== undefined ? { excluded: stored.excluded } : {}),
          ...(stored.replays !== undefined ? { replays: stored.replays } : {}),
        },
      }),
    );
  }
}
