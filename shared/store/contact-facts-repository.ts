/**
 * contact-facts table
 *   pk = `${integrationId}#call:${callId}`
 *   sk = `call`
 *   attrs: version (S: the call's updatedAt), contribution (M|null: queue, intervalStart, contacts,
 *          handled, handleSeconds), outcome (S: `call:inbound` or `call:outbound`), call (M: the
 *          call as counted, CallDetails: start, direction, IVR group, number, handled, talk, hold
 *          and wrap-up seconds, wait seconds, completion status, callback; absent on a fact stored
 *          before it was kept, the last three on one stored before they were)
 * The latest known fact of each call: the aggregator applies only the difference between a new
 * version of a call and the stored one, which makes every redelivery a no-op. Kept as long as the
 * history (a late call update must find what it replaces). Ticket updates' facts are not stored
 * (the aggregator counts them from their message); items of that kind an earlier version wrote
 * (pk `…#update:<id>`) are never read.
 * The key layout and the outcome labels are the ones every earlier version wrote, so an existing
 * install's stored calls are found and compared as they are.
 * `calls` lists an integration's calls for `zendesk-wfm explain` with a Scan of the table (no
 * function is granted it): the operator's occasional question, not the pipeline's hot path.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CallDetails, CallFact } from '../messages/contacts.js';
import type { CallOutcome } from '../messages/outcomes.js';
import { batchGet, batchPut, lookupKey, scanPartitionsByPrefix, type Item } from './batch.js';

const key = (integrationId: string, callId: number) => ({
  pk: `${integrationId}#call:${callId}`,
  sk: 'call',
});

const STORED_OUTCOMES: readonly (readonly [string, CallOutcome])[] = [
  ['call:inbound', { kind: 'counted' }],
  ['call:outbound', { kind: 'skipped', reason: 'outbound' }],
];

const storedOutcome = (outcome: CallOutcome): string =>
  STORED_OUTCOMES.find(([, o]) => o.kind === outcome.kind)![0];

const toFact = (callId: number, item: Item): CallFact => {
  const outcome = STORED_OUTCOMES.find(([label]) => label === item.outcome)?.[1];
  if (outcome === undefined)
    throw new Error(
      `contact-facts item ${String(item.pk)}: outcome ${JSON.stringify(item.outcome)} is not a call's`,
    );
  return {
    kind: 'call',
    callId,
    updatedAt: item.version as string,
    contribution: (item.contribution ?? null) as CallFact['contribution'],
    outcome,
    ...(item.call ? { call: callDetailsOf(item.call as CallDetails) } : {}),
  };
};

/** The stored details in their schema's field order (a DynamoDB map keeps none), so equal ones compare equal. */
const callDetailsOf = (c: CallDetails): CallDetails => ({
  startedAt: c.startedAt,
  direction: c.direction,
  ivrDestinationGroupName: c.ivrDestinationGroupName ?? null,
  phoneNumber: c.phoneNumber ?? null,
  handled: c.handled,
  talkSeconds: c.talkSeconds,
  holdSeconds: c.holdSeconds,
  wrapUpSeconds: c.wrapUpSeconds,
  ...(c.waitSeconds !== undefined ? { waitSeconds: c.waitSeconds ?? null } : {}),
  ...(c.completionStatus !== undefined ? { completionStatus: c.completionStatus ?? null } : {}),
  ...(c.callback !== undefined ? { callback: c.callback } : {}),
});

export class ContactFactsRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** The stored facts of these calls, by call id. */
  async getMany(integrationId: string, callIds: readonly number[]): Promise<Map<number, CallFact>> {
    const found = await batchGet(
      this.db,
      this.table,
      callIds.map((id) => key(integrationId, id)),
    );
    const out = new Map<number, CallFact>();
    for (const id of callIds) {
      const item = found.get(lookupKey(key(integrationId, id)));
      if (item) out.set(id, toFact(id, item));
    }
    return out;
  }

  async putMany(integrationId: string, facts: readonly CallFact[]): Promise<void> {
    await batchPut(
      this.db,
      this.table,
      facts.map((f) => ({
        ...key(integrationId, f.callId),
        version: f.updatedAt,
        contribution: f.contribution,
        outcome: storedOutcome(f.outcome),
        ...(f.call ? { call: f.call } : {}),
      })),
    );
  }

  /** Every stored call of an integration (a Scan of the table: for the operator's `explain`). */
  async calls(integrationId: string): Promise<CallFact[]> {
    const found = await scanPartitionsByPrefix(this.db, this.table, `${integrationId}#call:`, 'call');
    return found.map(({ suffix, item }) => toFact(suffix, item));
  }
}
