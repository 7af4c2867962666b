import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchPut } from './batch.js';

/**
 * interactions table
 *   pk = integrationId
 *   sk = `${createdAt}#${ticketId}#${updateId}`   chronological, unique per update
 *   attrs: updateId (N), ticketId (N), createdAt (S), channel (S), viaChannel (S|null),
 *          state (S: the domain's TicketState right after the update, as JSON),
 *          evaluatedViews (L of N: the views it was counted against when it was classified)
 * Every counted interaction with the ticket as it was right after it: a view added later is
 * replayed against these (SPEC §3 "views over time") without fetching anything from Zendesk again.
 */
export interface StoredInteraction<State> {
  readonly updateId: number;
  readonly ticketId: number;
  readonly createdAt: string;
  readonly channel: string;
  readonly viaChannel: string | null;
  readonly state: State;
  /**
   * Ids of the views (supported and active then) this interaction was evaluated against when it
   * was classified: a later replay of one of them must not count it again. Absent on items
   * written before the field existed.
   */
  readonly evaluatedViews?: readonly number[];
}

export const interactionKey = (i: { createdAt: string; ticketId: number; updateId: number }) =>
  `${i.createdAt}#${i.ticketId}#${i.updateId}`;

export class InteractionsRepository<State> {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async putMany(integrationId: string, interactions: readonly StoredInteraction<State>[]): Promise<void> {
    await batchPut(
      this.db,
      this.table,
      interactions.map((i) => ({
        pk: integrationId,
        sk: interactionKey(i),
        updateId: i.updateId,
        ticketId: i.ticketId,
        createdAt: i.createdAt,
        channel: i.channel,
        viaChannel: i.viaChannel,
        state: JSON.stringify(i.state),
        ...(i.evaluatedViews ? { evaluatedViews: [...i.evaluatedViews] } : {}),
      })),
    );
  }

  /** A page of interactions in time order, after the key `after`; `next` is absent on the last page. */
  async page(
    integrationId: string,
    after: string | undefined,
    limit: number,
  ): Promise<{ interactions: StoredInteraction<State>[]; next?: string }> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': integrationId },
        ConsistentRead: true,
        Limit: limit,
        ...(after ? { ExclusiveStartKey: { pk: integrationId, sk: after } } : {}),
      }),
    );
    const interactions = (out.Items ?? []).map((item) => ({
      updateId: item.updateId as number,
      ticketId: item.ticketId as number,
      createdAt: item.createdAt as string,
      channel: item.channel as string,
      viaChannel: (item.viaChannel ?? null) as string | null,
      state: JSON.parse(item.state as string) as State,
      ...(item.evaluatedViews ? { evaluatedViews: item.evaluatedViews as number[] } : {}),
    }));
    const last = out.LastEvaluatedKey?.sk as string | undefined;
    return last ? { interactions, next: last } : { interactions };
  }
}
