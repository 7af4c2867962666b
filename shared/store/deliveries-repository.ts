import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { QueueKey } from '../messages/queues.js';

/** What is known of a message's earlier receives beyond SQS's ApproximateReceiveCount. */
export interface DeliveryHistory {
  /**
   * Receives in which the message did not fail: Zendesk's rate limit refused it, or it was handed
   * back unread behind an earlier message of its FIFO group that failed or was refused.
   */
  readonly waitedReceives: number;
  /** When Zendesk first refused the message itself (ISO 8601), absent when it never did. */
  readonly firstRateLimitedAt?: string;
}

/**
 * deliveries table (pk only)
 *   pk = `${queue}#${messageId}`   one queued message (SQS keeps a message's id across its receives)
 *   attrs: waitedReceives (NS)      the ApproximateReceiveCount of every receive in which the message
 *                                   did not fail (a set: recording one receive twice, after a crash,
 *                                   counts it once)
 *          firstRateLimitedAt (S)   when Zendesk first refused the message itself, for the wait's bound
 *          expiresAt (N, epoch seconds; TTL)
 *
 * Written only when a message waits (a 429, or behind one of its group), read only when a message
 * has been received often enough that its failures could have reached the limit: an import
 * without 429s or failures never touches it.
 */
export class DeliveriesRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    // DynamoDB's TTL runs on real time, whatever clock an import runs on (the sandbox's lags).
    private readonly realNow: () => Date = () => new Date(),
  ) {}

  /** Outlives every way a message can come back (14 days of SQS retention). */
  static readonly TTL_DAYS = 15;

  private static key(queue: QueueKey, messageId: string) {
    return { pk: `${queue}#${messageId}` };
  }

  /** Records that Zendesk rate-limited receive `receiveCount` of the message; returns its history so far. */
  async recordRateLimited(
    queue: QueueKey,
    messageId: string,
    receiveCount: number,
    at: Date,
  ): Promise<DeliveryHistory> {
    const out = await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: DeliveriesRepository.key(queue, messageId),
        UpdateExpression:
          'ADD waitedReceives :receive SET firstRateLimitedAt = if_not_exists(firstRateLimitedAt, :at), expiresAt = :expiresAt',
        ExpressionAttributeValues: {
          ':receive': new Set([receiveCount]),
          ':at': at.toISOString(),
          ':expiresAt': this.expiresAt(),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return historyOf(out.Attributes);
  }

  /** Records that receive `receiveCount` of the message was handed back unread, behind its group. */
  async recordWaitedBehind(queue: QueueKey, messageId: string, receiveCount: number): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: DeliveriesRepository.key(queue, messageId),
        UpdateExpression: 'ADD waitedReceives :receive SET expiresAt = :expiresAt',
        ExpressionAttributeValues: { ':receive': new Set([receiveCount]), ':expiresAt': this.expiresAt() },
      }),
    );
  }

  private expiresAt(): number {
    return Math.floor(this.realNow().getTime() / 1000) + DeliveriesRepository.TTL_DAYS * 86_400;
  }

  async history(queue: QueueKey, messageId: string): Promise<DeliveryHistory> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: DeliveriesRepository.key(queue, messageId),
        ConsistentRead: true,
      }),
    );
    return historyOf(out.Item);
  }
}

const historyOf = (item: Record<string, unknown> | undefined): DeliveryHistory => {
  const receives = item?.waitedReceives;
  const first = item?.firstRateLimitedAt;
  return {
    waitedReceives: receives instanceof Set ? receives.size : 0,
    ...(typeof first === 'string' ? { firstRateLimitedAt: first } : {}),
  };
};
