/**
 * interactions table
 *   pk = integrationId
 *   sk = `${pageKey}#${n}`   chunk n of the interactions one page of ticket updates produced
 *   attrs: count (N), interactions (B: gzipped JSON array of StoredInteraction, at most
 *          INTERACTIONS_PER_CHUNK of them)
 * Every counted interaction with the ticket as it was right after it: a view added later is
 * replayed against these (SPEC §3 "views over time") without fetching anything from Zendesk again.
 *
 * A page's interactions are stored as a few chunks rather than an item each: the classifier's
 * writes per page drop from one per interaction to one per hundred. A chunk is put only if absent,
 * so a page redone after a crash (which then skips the updates its state already reflects and
 * finds fewer interactions) never replaces the complete chunk written the first time.
 */
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { eachConcurrently } from './concurrency.js';
import { CHUNK_CONCURRENCY } from './batch.js';
import { isConditionFailure } from './errors.js';
import { packJson, unpackJson } from './packed-json.js';

export interface StoredInteraction<State> {
  /**
   * The update (audit) that is the interaction; null for a ticket's creation counted from its
   * record (the tickets export), which has no update of its own: `ticketId` names it then.
   */
  readonly updateId: number | null;
  readonly ticketId: number;
  readonly createdAt: string;
  readonly channel: string;
  readonly viaChannel: string | null;
  readonly state: State;
  /**
   * Ids of the views (supported and active then) this interaction was evaluated against when it
   * was classified: a later replay of one of them must not count it again.
   */
  readonly evaluatedViews: readonly number[];
}

/** Interactions per stored chunk: a hundred states compress far below DynamoDB's 400 KB item limit. */
export const INTERACTIONS_PER_CHUNK = 100;

export class InteractionsRepository<State> {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Stores one page's interactions under that page's key (absent chunks only). */
  async putPage(
    integrationId: string,
    pageKey: string,
    interactions: readonly StoredInteraction<State>[],
  ): Promise<void> {
    const chunks: (readonly StoredInteraction<State>[])[] = [];
    for (let i = 0; i < interactions.length; i += INTERACTIONS_PER_CHUNK)
      chunks.push(interactions.slice(i, i + INTERACTIONS_PER_CHUNK));
    await eachConcurrently(
      chunks.map((chunk, n) => ({ chunk, n })),
      CHUNK_CONCURRENCY,
      async ({ chunk, n }) => {
        try {
          await this.db.send(
            new PutCommand({
              TableName: this.table,
              Item: {
                pk: integrationId,
                sk: `${pageKey}#${n}`,
                count: chunk.length,
                interactions: packJson(chunk),
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          );
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
        }
      },
    );
  }

  /**
   * Interactions after the chunk key `after`, whole chunks of them until at least `limit` (or the
   * end); `next` is absent on the last page.
   */
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
        Limit: Math.max(1, Math.ceil(limit / INTERACTIONS_PER_CHUNK)),
        ...(after ? { ExclusiveStartKey: { pk: integrationId, sk: after } } : {}),
      }),
    );
    const interactions = (out.Items ?? []).flatMap((item) =>
      unpackJson<StoredInteraction<State>[]>(item.interactions as Uint8Array),
    );
    const last = out.LastEvaluatedKey?.sk as string | undefined;
    return last ? { interactions, next: last } : { interactions };
  }
}
