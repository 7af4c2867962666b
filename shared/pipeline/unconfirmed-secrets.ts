/**
 * Secrets written for an integration id before its integration record says whether they are used:
 * an `add` stores the credentials (and the webhook signing secret) before it saves the integration,
 * and a `delete` marks the integration deleted before it removes them. A process that dies in
 * between leaves secrets no integration uses. The id is marked meanwhile, beside the integrations
 * (their table), and only marked ids are ever swept: a secret not marked belongs to a saved
 * integration, and a sweep of every id without one would remove live credentials whenever the
 * table was lost or put back (its marks go with it, so nothing is swept then).
 */
import type { IntegrationsRepository } from '../store/integrations-repository.js';
import type { SecretStore } from '../store/secret-store.js';
import type { WebhookSecretStore } from '../store/webhook-secret-store.js';

export interface UnconfirmedSecretsSweepDeps {
  readonly integrations: Pick<
    IntegrationsRepository,
    'get' | 'secretsMarkedUnconfirmed' | 'claimUnconfirmedMark' | 'releaseClaimedMark'
  >;
  readonly secrets: Pick<SecretStore, 'delete'>;
  readonly webhookSecrets: Pick<WebhookSecretStore, 'delete'>;
  readonly now: () => Date;
}

/**
 * What a command that died left behind: for each marked id whose integration was never saved, or
 * is deleted, its credentials and signing secret are removed; a saved integration keeps them.
 *
 * `markedBefore` leaves the ids marked since then, where another process's `add` may still be on
 * its way (AWS, where operators are not serialised); a local install holds its folder's lock, so
 * nothing else is in flight and every mark is swept. Each mark is claimed before anything is
 * removed, and an add saves its integration only while its mark is unclaimed, so an add slower
 * than the bound (or on a clock far behind) fails and cleans up instead of saving an integration
 * whose secrets were swept. Returns the ids whose secrets were removed.
 */
export const sweepUnconfirmedSecrets = async (
  deps: UnconfirmedSecretsSweepDeps,
  markedBefore?: Date,
): Promise<string[]> => {
  const removed: string[] = [];
  const bound = markedBefore?.toISOString();
  for (const mark of await deps.integrations.secretsMarkedUnconfirmed()) {
    // ISO-8601 UTC strings order as their times do.
    if (bound !== undefined && !(mark.since < bound)) continue;
    const at = deps.now().toISOString();
    if (!(await deps.integrations.claimUnconfirmedMark(mark, at, bound))) continue;
    const id = mark.integrationId;
    const integration = await deps.integrations.get(id);
    if (!integration || integration.status === 'deleted') {
      await deps.secrets.delete(id);
      await deps.webhookSecrets.delete(id);
      removed.push(id);
    }
    await deps.integrations.releaseClaimedMark(id, at);
  }
  return removed;
};
