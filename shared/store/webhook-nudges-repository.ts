/**
 * integrations table, webhook nudge items (beside the `integration#` and `name#` items of
 * IntegrationsRepository, which filters on `type`)
 *   pk = `webhook-nudge#${integrationId}`
 *   attrs: type = 'webhook-nudge', slot (N: the last coalescing window that enqueued a fetch)
 * A window is claimed with a conditional write, so concurrent webhook invocations agree on which
 * one enqueues the window's fetch job.
 */
import { DeleteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from './errors.js';

export class WebhookNudgesRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** True for the first caller of a window, false for every later one. */
  async claim(integrationId: string, slot: number): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `webhook-nudge#${integrationId}` },
          UpdateExpression: 'SET #type = :type, slot = :slot',
          ConditionExpression: 'attribute_not_exists(slot) OR slot < :slot',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { ':type': 'webhook-nudge', ':slot': slot },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Gives a claimed window back (its fetch job could not be sent), so the next request retries it. */
  async release(integrationId: string, slot: number): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { pk: `webhook-nudge#${integrationId}` },
          ConditionExpression: 'slot = :slot',
          ExpressionAttributeValues: { ':slot': slot },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
}
