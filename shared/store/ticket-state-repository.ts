import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGet, batchPut, lookupKey } from './batch.js';

/**
 * ticket-state table
 *   pk = `${integrationId}#${ticketId}`
 *   sk = `state`
 *   attrs: state (S, the domain's TicketState as JSON, which records the updates already applied)
 * JSON rather than a map: the state holds arbitrary custom field values (empty strings, lists of
 * mixed types) that must come back exactly as they went in.
 */
const key = (integrationId: string, ticketId: number) => ({
  pk: `${integrationId}#${ticketId}`,
  sk: 'state',
});

export class TicketStateRepository<State> {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async getMany(integrationId: string, ticketIds: readonly number[]): Promise<Map<number, State>> {
    const found = await batchGet(
      this.db,
      this.table,
      ticketIds.map((id) => key(integrationId, id)),
    );
    const states = new Map<number, State>();
    for (const id of ticketIds) {
      const item = found.get(lookupKey(key(integrationId, id)));
      if (item) states.set(id, JSON.parse(item.state as string) as State);
    }
    return states;
  }

  async putMany(integrationId: string, states: ReadonlyMap<number, State>): Promise<void> {
    await batchPut(
      this.db,
      this.table,
      [...states].map(([id, state]) => ({ ...key(integrationId, id), state: JSON.stringify(state) })),
    );
  }
}
