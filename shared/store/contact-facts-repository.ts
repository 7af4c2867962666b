import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Fact } from '../messages/contacts.js';
import { batchGet, batchPut, lookupKey, type Item } from './batch.js';

/**
 * contact-facts table
 *   pk = `${integrationId}#${sourceId}`      sourceId = `update:${auditId}`, `call:${callId}` or
 *                                            `ticket-creation:${ticketId}` (a creation counted
 *                                            from the ticket record)
 *   sk = scope                               `view:${viewId}`, `call` or `outcome`
 *   attrs: version (S), contribution (M|null: queue, intervalStart, contacts, handled,
 *          handleSeconds), outcome (S|null), creation (S, absent: not a creation's outcome)
 * The latest known contribution of each source in each scope: the aggregator applies only the
 * difference between a new fact and the stored one, which makes every redelivery a no-op. Kept as
 * long as the history (a late call update must find what it replaces).
 */
const key = (integrationId: string, fact: Pick<Fact, 'sourceId' | 'scope'>) => ({
  pk: `${integrationId}#${fact.sourceId}`,
  sk: fact.scope,
});

const toFact = (item: Item): Fact => ({
  sourceId: (item.pk as string).slice((item.pk as string).indexOf('#') + 1),
  scope: item.sk as string,
  version: item.version as string,
  contribution: (item.contribution ?? null) as Fact['contribution'],
  outcome: (item.outcome ?? null) as string | null,
  ...(item.creation !== undefined ? { creation: item.creation as NonNullable<Fact['creation']> } : {}),
});

export const factKey = (fact: Pick<Fact, 'sourceId' | 'scope'>): string =>
  `${fact.sourceId}\u0000${fact.scope}`;

export class ContactFactsRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** The stored facts for these (source, scope) pairs, by `factKey`. */
  async getMany(
    integrationId: string,
    facts: readonly Pick<Fact, 'sourceId' | 'scope'>[],
  ): Promise<Map<string, Fact>> {
    const found = await batchGet(
      this.db,
      this.table,
      facts.map((f) => key(integrationId, f)),
    );
    const out = new Map<string, Fact>();
    for (const f of facts) {
      const item = found.get(lookupKey(key(integrationId, f)));
      if (item) out.set(factKey(f), toFact(item));
    }
    return out;
  }

  async putMany(integrationId: string, facts: readonly Fact[]): Promise<void> {
    await batchPut(
      this.db,
      this.table,
      facts.map((f) => ({
        ...key(integrationId, f),
        version: f.version,
        contribution: f.contribution,
        outcome: f.outcome,
        ...(f.creation !== undefined ? { creation: f.creation } : {}),
      })),
    );
  }
}
