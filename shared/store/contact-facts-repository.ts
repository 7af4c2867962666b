/**
 * contact-facts table
 *   pk = `${integrationId}#${sourceId}`      sourceId = `call:${callId}`
 *   sk = scope                               `call`
 *   attrs: version (S), contribution (M|null: queue, intervalStart, contacts, handled,
 *          handleSeconds), outcome (S|null)
 * The latest known contribution of each call: a call's record changes after the fact (wrap-up,
 * completion), and the aggregator applies only the difference between a new version and the stored
 * one, which makes every redelivery a no-op. Kept as long as the history (a late call update must
 * find what it replaces). A ticket update's facts are never stored: an update is counted once, when
 * its page is aggregated, and the page's applied marker makes a redelivery a no-op.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Fact } from '../messages/contacts.js';
import { batchGet, batchPut, lookupKey, type Item } from './batch.js';

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
      })),
    );
  }
}
