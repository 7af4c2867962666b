/**
 * integrations table, webhook nudge items (beside the `integration#` and `name#` items of
 * IntegrationsRepository, which filters on `type`)
 *   pk = `webhook-nudge#${integrationId}`
 *   attrs: type = 'webhook-nudge', slot (N: the last coalescing window that enqueued a fetch)
 *   pk = `webhook-read-now#${integrationId}`
 *   attrs: type = 'webhook-read-now', minute (N: epoch minutes), tickets (NS: the tickets read now
 *   in that minute)
 * A window (a ticket's read in a minute) is claimed with a conditional write, so concurrent webhook
 * invocations agree on which one enqueues the fetch job.
 */
import { DeleteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { writtenUnlessRefused } from './errors.js';

export class WebhookNudgesRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** True for the first caller of a window, false for every later one. */
  claim(integrationId: string, slot: number): Promise<boolean> {
    return writtenUnlessRefused(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `webhook-nudge#${integrationId}` },
          UpdateExpression: 'SET #type = :type, slot = :slot',
          ConditionExpression: 'attribute_not_exists(slot) OR slot < :slot',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { ':type': 'webhook-nudge', ':slot': slot },
        }),
      ),
    );
  }

  /**
   * True for the first caller naming `ticketId` in `minute`, while fewer than `perMinute` tickets
   * were claimed in it; false for every later caller, and for every ticket past the cap.
   */
  async claimTicketRead(
    integrationId: string,
    ticketId: number,
    minute: number,
    perMinute: number,
  ): Promise<boolean> {
    if (perMinute < 1) return false;
    const key = { pk: `webhook-read-now#${integrationId}` };
    // MINUTE is one of DynamoDB's reserved words.
    const names = { '#type': 'type', '#minute': 'minute' };
    const addToMinute = () =>
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression: 'SET #type = :type ADD tickets :ticket',
          // A release may have emptied the set, which removes it.
          ConditionExpression:
            '#minute = :minute AND (attribute_not_exists(tickets) OR (NOT contains(tickets, :id) AND size(tickets) < :cap))',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: {
            ':type': 'webhook-read-now',
            ':ticket': new Set([ticketId]),
            ':minute': minute,
            ':id': ticketId,
            ':cap': perMinute,
          },
        }),
      );
    const startMinute = () =>
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression: 'SET #type = :type, #minute = :minute, tickets = :ticket',
          ConditionExpression: 'attribute_not_exists(#minute) OR #minute < :minute',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: {
            ':type': 'webhook-read-now',
            ':ticket': new Set([ticketId]),
            ':minute': minute,
          },
        }),
      );
    // The minute's item may be this minute's (add to it), an earlier one's (start it), or started by
    // a concurrent caller between the two attempts (add to it once more).
    for (const attempt of [addToMinute, startMinute, addToMinute]) {
      if (await writtenUnlessRefused(attempt())) return true;
    }
    return false;
  }

  /** Gives a ticket's claim back (its fetch job could not be sent), so the next request retries it. */
  async releaseTicketRead(integrationId: string, ticketId: number, minute: number): Promise<void> {
    // Refused when a later minute started meanwhile: the claim is gone with its minute.
    await writtenUnlessRefused(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `webhook-read-now#${integrationId}` },
          UpdateExpression: 'DELETE tickets :ticket',
          ConditionExpression: '#minute = :minute',
          ExpressionAttributeNames: { '#minute': 'minute' },
          ExpressionAttributeValues: { ':ticket': new Set([ticketId]), ':minute': minute },
        }),
      ),
    );
  }

  /** Gives a claimed window back (its fetch job could not be sent), so the next request retries it. */
  async release(integrationId: string, slot: number): Promise<void> {
    // Refused when a later window was claimed meanwhile: that claim stays.
    await writtenUnlessRefused(
      this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { pk: `webhook-nudge#${integrationId}` },
          ConditionExpression: 'slot = :slot',
          ExpressionAttributeValues: { ':slot': slot },
        }),
      ),
    );
  }
}
