/**
 * integrations table (pk only)
 *   pk = `integration#${id}`           the integration's configuration and status (never credentials)
 *   pk = `name#${lower(trim(name))}`    attrs: integrationId — claims the name, so two integrations
 *                                       cannot share it (case-insensitive), written in one transaction
 *                                       with the integration
 *   pk = `unconfirmed#${id}`            attrs: integrationId, since — the id's secrets are being
 *                                       written before its integration is saved, or removed after
 *                                       it was marked deleted (shared/pipeline/unconfirmed-secrets.ts)
 */
import type { TalkUnavailable } from '../messages/freshness.js';
import { isDeepStrictEqual } from 'node:util';
import {
  GetCommand,
  DeleteCommand,
  PutCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { IntervalMinutes } from '../domain/intervals.js';
import type { GroupingStrategy } from '../domain/talk.js';
import type { QueueKey } from '../messages/queues.js';
import { isConditionFailure, writtenUnlessRefused } from './errors.js';

export type { GroupingStrategy, IntervalMinutes };
export type CredentialKind = 'api_token' | 'oauth_client_credentials' | 'oauth_refresh_token';
export type IntegrationStatus = 'active' | 'paused' | 'failing' | 'deleted';

/** Work of an integration parked in a dead-letter queue (shared/pipeline/parked-work.ts). */
export interface ParkedWork {
  readonly queue: QueueKey;
  /** Why its last delivery failed (field names and Zendesk's words, never a secret). */
  readonly reason: string;
  /** What the first parked message concerns: its stream and page. */
  readonly concerns: string;
  readonly since: string;
}

/**
 * Why an integration is failing, as a kind the commands act on (the exit code, the command that
 * fixes it) beside the reason a person reads (`statusReason`).
 * - `credentials_refused`: Zendesk refuses the stored credentials (401, 403 not an admin).
 * - `export_closed`: Zendesk keeps its incremental exports from this OAuth client.
 * - `zendesk_unreachable`: no answer from Zendesk (connection refused, DNS, timeouts) after every retry.
 * - `zendesk_errors`: Zendesk answered with server errors (5xx) after every retry.
 * - `export_stuck`: an export page that does not move its position.
 * - `request_refused`: another 4xx answer.
 * - `work_failed`: work failed every delivery for another reason (a page that stays malformed, a bug).
 */
export type FailureKind =
  | 'credentials_refused'
  | 'export_closed'
  | 'zendesk_unreachable'
  | 'zendesk_errors'
  | 'export_stuck'
  | 'request_refused'
  | 'rate_limited'
  | 'work_failed';

export interface IntegrationFailure {
  readonly kind: FailureKind;
  /** When it started failing (ISO-8601 UTC). */
  readonly since: string;
}

export interface Integration {
  readonly id: string;
  readonly name: string;
  /** The Zendesk host, e.g. `example.zendesk.com`. */
  readonly domain: string;
  /** Where requests go instead of `https://{domain}` (the local sandbox); absent for a real account. */
  readonly baseUrl?: string;
  readonly username: string;
  readonly credentialKind: CredentialKind;
  readonly groupingStrategy: GroupingStrategy;
  readonly intervalMinutes: IntervalMinutes;
  /**
   * Talk's service-level threshold in seconds: a call answered within it counts as answered in
   * service level. Fixed once saved, like the interval (the history is counted by it); absent on an
   * integration saved before it existed, which counts with DEFAULT_SERVICE_LEVEL_SECONDS.
   */
  readonly serviceLevelSeconds?: number;
  readonly historyDays: number;
  /** Start of the import window (ISO-8601 UTC), fixed when the integration is created. */
  readonly importFrom: string;
  /** End of the import window (exclusive), for a one-shot import of a past period; absent = keep current. */
  readonly importUntil?: string;
  /** The account's IANA time zone (Zendesk account settings); absent: UTC. */
  readonly timeZone?: string;
  /** The user chose `timeZone` (`integration update --time-zone`): the account's own no longer replaces it. */
  readonly timeZoneChosen?: boolean;
  /**
   * Zendesk's account settings named no time zone this product knows (`said`: the name given, null
   * for none), since when: date conditions are evaluated in `timeZone` (UTC when absent) until the
   * account names one or the user chooses one. Absent while the account's zone is known or chosen.
   */
  readonly timeZoneUnknown?: { readonly said: string | null; readonly since: string };
  /**
   * The views' "description contains at least one of / none of" words (`descriptionSearchWords`),
   * kept by each run's views fetch: ticket descriptions are read for them as they are compacted.
   * Absent until the views were first read.
   */
  readonly descriptionSearchWords?: readonly string[];
  /** The user's view choices: personal views counted (all of them), views excluded, personal views included one by one. */
  readonly includePersonalViews?: boolean;
  readonly excludedViewIds?: readonly number[];
  /**
   * Tickets a minute its webhooks may have read at once (their audits and record: two requests
   * each of the account's API budget); absent: the default (`DEFAULT_WEBHOOK_TICKET_READS_PER_MINUTE`), 0: none.
   */
  readonly webhookTicketReadsPerMinute?: number;
  readonly includedViewIds?: readonly number[];
  readonly status: IntegrationStatus;
  /** Why the integration is failing or was stopped, for the user; never contains a secret. */
  readonly statusReason: string | null;
  /** What kind of failure `status: 'failing'` is, and since when; absent otherwise. */
  readonly failure?: IntegrationFailure;
  /**
   * The last run whose fetch read every stream to its end (its id, and when it did, ISO-8601 UTC);
   * absent before the first. The stages after the fetch may still be counting its pages. A run whose
   * Talk export Zendesk refused (`talkUnavailable`) completes without its calls.
   */
  readonly lastCompletedRun?: { readonly runId: string; readonly at: string };
  /**
   * Zendesk refuses its Talk export to these credentials (an account without Talk, or a role that
   * may not read its calls), since when and what it said: the runs go on without calls, and each
   * asks again; absent while the calls are read.
   */
  readonly talkUnavailable?: TalkUnavailable;
  /** Queues holding this integration's work parked until a redrive; absent when none. */
  readonly parked?: readonly ParkedWork[];
  /**
   * A redrive on AWS is moving this integration's parked work back, since when: its holds are
   * cleared, and no new run starts (schedule, webhook) until the moves are done, so no later page
   * overtakes a parked one (infra/redrive.ts). Absent otherwise.
   */
  readonly redriving?: { readonly since: string };
  readonly createdAt: string;
  readonly updatedAt: string;
}

export class DuplicateIntegrationNameError extends Error {
  override readonly name = 'DuplicateIntegrationNameError';
  constructor(readonly integrationName: string) {
    super(`name: an integration named "${integrationName}" already exists`);
  }
}

/** An id whose secrets may outlive a process's death (shared/pipeline/unconfirmed-secrets.ts). */
export interface UnconfirmedSecretsMark {
  readonly integrationId: string;
  /** When it was marked (ISO-8601 UTC). */
  readonly since: string;
  /** When a sweep claimed it, if one has. */
  readonly sweptAt?: string;
}

/** The secrets stored for a new integration were removed by a sweep before it was saved. */
export class SecretsSweptError extends Error {
  override readonly name = 'SecretsSweptError';
  constructor(integrationId: string) {
    super(
      `integration ${integrationId} was not saved: a sweep of secrets left by interrupted commands took it for one (it had waited over the sweep's bound); add it again`,
    );
  }
}

export const normaliseName = (name: string): string => name.trim().toLowerCase();

const integrationKey = (id: string) => ({ pk: `integration#${id}` });
const nameKey = (name: string) => ({ pk: `name#${normaliseName(name)}` });
const unconfirmedKey = (id: string) => ({ pk: `unconfirmed#${id}` });

/** The integration's item, put only where it does (`replace`) or does not yet exist. */
const putIntegration = (table: string, integration: Integration, existing: 'new' | 'replace') => ({
  Put: {
    TableName: table,
    Item: { ...integrationKey(integration.id), type: 'integration', ...integration },
    ConditionExpression: existing === 'new' ? 'attribute_not_exists(pk)' : 'attribute_exists(pk)',
  },
});

/** Claims a name for the integration; fails when another holds it. */
const claimName = (table: string, name: string, integrationId: string) => ({
  Put: {
    TableName: table,
    Item: { ...nameKey(name), type: 'name', integrationId },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

/** Frees a name the integration holds (and only if it holds it). */
const freeName = (table: string, name: string, integrationId: string) => ({
  Delete: {
    TableName: table,
    Key: nameKey(name),
    ConditionExpression: 'integrationId = :id',
    ExpressionAttributeValues: { ':id': integrationId },
  },
});

export class IntegrationChangedMeanwhileError extends Error {
  override readonly name = 'IntegrationChangedMeanwhileError';
  constructor(readonly integrationId: string) {
    super(
      `integration ${integrationId} was changed by another writer while this change was saved; try again`,
    );
  }
}

/** How often `modify` reads and tries again when another writer changed the integration under it. */
const MODIFY_ATTEMPTS = 5;

/**
 * The Update that turns `previous` into `next` by the attributes it changes alone, only while each
 * of them still holds what was read and the integration is not deleted: a change made meanwhile to
 * another attribute stays, one made to the same attribute is never overwritten, and a deleted
 * integration never comes back. Undefined when `next` changes nothing.
 */
const changeOf = (table: string, previous: Integration, next: Integration) => {
  const before = previous as unknown as Record<string, unknown>;
  const after = next as unknown as Record<string, unknown>;
  const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (key) => key !== 'id' && !isDeepStrictEqual(before[key], after[key]),
  );
  if (changed.length === 0) return undefined;
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = { ':deleted': 'deleted' };
  const sets: string[] = [];
  const removes: string[] = [];
  const conditions = ['attribute_exists(pk)', '#status <> :deleted'];
  changed.forEach((key, i) => {
    names[`#a${i}`] = key;
    if (after[key] === undefined) removes.push(`#a${i}`);
    else {
      sets.push(`#a${i} = :new${i}`);
      values[`:new${i}`] = after[key];
    }
    if (before[key] === undefined) conditions.push(`attribute_not_exists(#a${i})`);
    else {
      conditions.push(`#a${i} = :old${i}`);
      values[`:old${i}`] = before[key];
    }
  });
  return {
    TableName: table,
    Key: integrationKey(previous.id),
    UpdateExpression: [
      ...(sets.length > 0 ? [`SET ${sets.join(', ')}`] : []),
      ...(removes.length > 0 ? [`REMOVE ${removes.join(', ')}`] : []),
    ].join(' '),
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
};

const toIntegration = (item: Record<string, unknown>): Integration => {
  const { pk: _pk, type: _type, ...rest } = item;
  return rest as unknown as Integration;
};

export class IntegrationsRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * Saves a new integration and claims its name; a taken name fails with
   * DuplicateIntegrationNameError. With `marked`, its id's mark of unconfirmed secrets is removed
   * in the same step, and the save refused (SecretsSweptError) when a sweep has claimed or removed
   * the mark: the secrets it covered may be gone.
   */
  async create(integration: Integration, options: { readonly marked?: boolean } = {}): Promise<void> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            claimName(this.table, integration.name, integration.id),
            putIntegration(this.table, integration, 'new'),
            ...(options.marked
              ? [
                  {
                    Delete: {
                      TableName: this.table,
                      Key: unconfirmedKey(integration.id),
                      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(sweptAt)',
                    },
                  },
                ]
              : []),
          ],
        }),
      );
    } catch (error) {
      if (isConditionFailure(error, 0)) throw new DuplicateIntegrationNameError(integration.name);
      if (options.marked && isConditionFailure(error, 2)) throw new SecretsSweptError(integration.id);
      throw error;
    }
  }

  async get(id: string): Promise<Integration | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: integrationKey(id), ConsistentRead: true }),
    );
    return out.Item ? toIntegration(out.Item) : undefined;
  }

  /** Every item of one kind (the table is small: one item per integration, name and mark). */
  private async itemsOfType(type: 'integration' | 'unconfirmed'): Promise<Record<string, unknown>[]> {
    const found: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new ScanCommand({
          TableName: this.table,
          FilterExpression: `#type = :${type}`,
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { [`:${type}`]: type },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      found.push(...(out.Items ?? []));
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return found;
  }

  /** Every integration, deleted ones included, sorted by name. */
  async list(): Promise<Integration[]> {
    return (await this.itemsOfType('integration'))
      .map(toIntegration)
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  }

  /** Marks the id's secrets as not confirmed by a saved (or not deleted) integration, since `since`. */
  async markSecretsUnconfirmed(integrationId: string, since: string): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...unconfirmedKey(integrationId), type: 'unconfirmed', integrationId, since },
      }),
    );
  }

  /** The id's secrets are gone, or used by its integration. */
  async unmarkSecrets(integrationId: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: unconfirmedKey(integrationId) }));
  }

  /** The ids marked, oldest first. */
  async secretsMarkedUnconfirmed(): Promise<UnconfirmedSecretsMark[]> {
    return (await this.itemsOfType('unconfirmed'))
      .map((item) => ({
        integrationId: String(item.integrationId),
        since: String(item.since),
        ...(typeof item.sweptAt === 'string' ? { sweptAt: item.sweptAt } : {}),
      }))
      .sort((a, b) => a.since.localeCompare(b.since) || a.integrationId.localeCompare(b.integrationId));
  }

  /**
   * Claims a mark for a sweep, at `at`: false when it was marked again since it was read, or
   * another sweep holds it (a claim made before `claimsBefore` is taken over: that sweep died).
   * A claimed mark refuses the save of its integration (`create` with `marked`), so a sweep and an
   * add still on its way never both go ahead.
   */
  async claimUnconfirmedMark(
    mark: UnconfirmedSecretsMark,
    at: string,
    claimsBefore?: string,
  ): Promise<boolean> {
    return writtenUnlessRefused(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: unconfirmedKey(mark.integrationId),
          UpdateExpression: 'SET sweptAt = :at',
          ConditionExpression:
            claimsBefore === undefined
              ? 'since = :since'
              : 'since = :since AND (attribute_not_exists(sweptAt) OR sweptAt < :stale)',
          ExpressionAttributeValues: {
            ':at': at,
            ':since': mark.since,
            ...(claimsBefore === undefined ? {} : { ':stale': claimsBefore }),
          },
        }),
      ),
    );
  }

  /** Removes a mark this sweep claimed at `at` (and only then). */
  async releaseClaimedMark(integrationId: string, at: string): Promise<void> {
    await writtenUnlessRefused(
      this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: unconfirmedKey(integrationId),
          ConditionExpression: 'sweptAt = :at',
          ExpressionAttributeValues: { ':at': at },
        }),
      ),
    );
  }

  /**
   * Records the run whose fetch read every stream to its end, touching nothing else of the
   * integration (a pause or an update made meanwhile stays as it is); a deleted one is left alone,
   * and so is a later run already recorded: a run's end written late (a function that was slow, or
   * whose clock is behind another's) never moves the integration's last completed run back.
   */
  async recordCompletedRun(id: string, run: { readonly runId: string; readonly at: string }): Promise<void> {
    await writtenUnlessRefused(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: integrationKey(id),
          UpdateExpression: 'SET lastCompletedRun = :run',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(lastCompletedRun) OR lastCompletedRun.#at < :at)',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: { ':run': run, ':at': run.at },
        }),
      ),
    );
  }

  /**
   * Reads the integration, asks `change` what it becomes, and writes what changed alone (see
   * `changeOf`); when another writer changed one of those attributes meanwhile, reads and asks
   * again. Returns the integration as stored after, or undefined when it does not exist or is
   * deleted (`change` is not asked then). `change` returns undefined to change nothing.
   */
  async modify(
    id: string,
    change: (current: Integration) => Integration | undefined | Promise<Integration | undefined>,
  ): Promise<Integration | undefined> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.get(id);
      if (!current || current.status === 'deleted') return undefined;
      const next = await change(current);
      const update = next === undefined ? undefined : changeOf(this.table, current, next);
      if (update === undefined) return current;
      try {
        const out = await this.db.send(new UpdateCommand({ ...update, ReturnValues: 'ALL_NEW' }));
        return toIntegration(out.Attributes ?? {});
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        if (attempt === MODIFY_ATTEMPTS) throw new IntegrationChangedMeanwhileError(id);
      }
    }
  }

  /**
   * Renames a stored integration read as `previous` (with the other changes `next` makes): claims
   * the new name and frees the old one in the same transaction, so a taken name fails with
   * DuplicateIntegrationNameError and nothing changes; an integration changed meanwhile, with
   * IntegrationChangedMeanwhileError.
   */
  async rename(previous: Integration, next: Integration): Promise<void> {
    const update = changeOf(this.table, previous, next);
    if (update === undefined) return;
    const sameClaim = normaliseName(previous.name) === normaliseName(next.name);
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Update: update },
            ...(sameClaim
              ? []
              : [claimName(this.table, next.name, next.id), freeName(this.table, previous.name, next.id)]),
          ],
        }),
      );
    } catch (error) {
      if (isConditionFailure(error, 0)) throw new IntegrationChangedMeanwhileError(next.id);
      if (isConditionFailure(error, 1)) throw new DuplicateIntegrationNameError(next.name);
      throw error;
    }
  }

  /** Marks the integration deleted and frees its name, in one transaction. */
  async markDeleted(integration: Integration): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          putIntegration(this.table, integration, 'replace'),
          freeName(this.table, integration.name, integration.id),
        ],
      }),
    );
  }
}
