/**
 * cursors table, quarantine items (beside the stream items of CursorsRepository, whose sort keys
 * are the bare stream names): the records an export left out because they did not fit.
 *   pk = integrationId
 *   sk = `quarantine#${stream}#${recordId}`, or `quarantine#${stream}#raw:${fingerprint}` for a
 *        record whose id cannot be read
 *   attrs: stream (S), endpoint (S), recordId (N, absent when unreadable), fingerprint (S),
 *          position (M: where the page was read from, { startTime } or { cursor }; absent for
 *          a view, the views list being read whole),
 *          field (S: the path of the field that failed), problem (S), quarantinedAt (S)
 * They sit with the cursors because they are the export's own account of what it skipped, written
 * by the fetch stage right before its cursor moves. A record is quarantined once: a page read again
 * finds its item and keeps the first one (when, and from which position).
 */
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ExportPosition } from '../zendesk/positions.js';
import { writtenUnlessRefused } from './errors.js';

export type QuarantineStream = 'users' | 'ticket_events' | 'calls' | 'tickets' | 'ticket_creations' | 'views';

export interface QuarantinedRecord {
  readonly stream: QuarantineStream;
  /** The export's path, e.g. `/api/v2/incremental/ticket_events`. */
  readonly endpoint: string;
  readonly recordId: number | null;
  readonly fingerprint: string;
  /**
   * The position the record's page was read from (without the ids known at its boundary); null
   * for a view (the views list is read whole).
   */
  readonly position: ExportPosition | null;
  readonly field: string;
  readonly problem: string;
  readonly quarantinedAt: string;
}

const PREFIX = 'quarantine#';

const sortKeyOf = (r: Pick<QuarantinedRecord, 'stream' | 'recordId' | 'fingerprint'>): string =>
  `${PREFIX}${r.stream}#${r.recordId ?? `raw:${r.fingerprint}`}`;

export class QuarantineRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Stores a quarantined record unless it is there already; true when it was new. */
  put(integrationId: string, record: QuarantinedRecord): Promise<boolean> {
    return writtenUnlessRefused(
      this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: integrationId,
            sk: sortKeyOf(record),
            stream: record.stream,
            endpoint: record.endpoint,
            ...(record.recordId !== null ? { recordId: record.recordId } : {}),
            fingerprint: record.fingerprint,
            ...(record.position !== null ? { position: record.position } : {}),
            field: record.field,
            problem: record.problem,
            quarantinedAt: record.quarantinedAt,
          },
          ConditionExpression: 'attribute_not_exists(sk)',
        }),
      ),
    );
  }

  /** Every quarantined record of an integration, by stream, then record id. */
  async list(integrationId: string): Promise<QuarantinedRecord[]> {
    const records: QuarantinedRecord[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': integrationId, ':prefix': PREFIX },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? [])
        records.push({
          stream: item.stream as QuarantineStream,
          endpoint: item.endpoint as string,
          recordId: typeof item.recordId === 'number' ? item.recordId : null,
          fingerprint: item.fingerprint as string,
          position: (item.position ?? null) as ExportPosition | null,
          field: item.field as string,
          problem: item.problem as string,
          quarantinedAt: item.quarantinedAt as string,
        });
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return records.sort(
      (a, b) =>
        a.stream.localeCompare(b.stream) ||
        (a.recordId ?? Number.MAX_SAFE_INTEGER) - (b.recordId ?? Number.MAX_SAFE_INTEGER) ||
        a.fingerprint.localeCompare(b.fingerprint),
    );
  }
}
