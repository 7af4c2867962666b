/**
 * cursors table (its `quarantine#` items belong to QuarantineRepository)
 *   pk = integrationId
 *   sk = stream (`users`, `ticket_events`, `calls`)
 *   attrs: position (M: the client's ExportPosition, { startTime, seen? } or { cursor }),
 *          seq (N, +1 per advance), updatedAt (S)
 * A cursor only moves forward: each advance names the seq it read and fails if another writer got
 * there first, so a late or repeated fetch can never move a stream back.
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ExportPosition } from '../zendesk/positions.js';
import { isConditionFailure } from './errors.js';

export type StoredPosition = ExportPosition;

export interface StreamCursor {
  readonly position: StoredPosition;
  readonly seq: number;
}

export class CursorConflictError extends Error {
  override readonly name = 'CursorConflictError';
  constructor(integrationId: string, stream: string) {
    super(`cursor of ${integrationId}/${stream} moved while this fetch was reading`);
  }
}

export class CursorsRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(integrationId: string, stream: string): Promise<StreamCursor | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: integrationId, sk: stream }, ConsistentRead: true }),
    );
    if (!out.Item) return undefined;
    return { position: out.Item.position as StoredPosition, seq: out.Item.seq as number };
  }

  /** Stores the position after `from` (seq 0 = no cursor yet); returns the new cursor. */
  async advance(
    integrationId: string,
    stream: string,
    fromSeq: number,
    position: StoredPosition,
    at: string,
  ): Promise<StreamCursor> {
    const seq = fromSeq + 1;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: integrationId, sk: stream, position, seq, updatedAt: at },
          ...(fromSeq === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'seq = :from', ExpressionAttributeValues: { ':from': fromSeq } }),
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new CursorConflictError(integrationId, stream);
      throw error;
    }
    return { position, seq };
  }
}
