/**
 * Secrets written for an integration id before its integration record says whether they are used:
 * an `add` stores the credentials (and the webhook signing secret) before it saves the integration,
 * and a `delete` marks the integration deleted before it removes them. A process that dies in
 * between leaves secrets no integration uses. Only ids marked here are ever swept: a secret not
 * marked belongs to a saved integration, even when the database that held its record was lost or
 * put back from a backup, so a sweep of every unknown id would remove live credentials.
 */
import type { IntegrationsRepository } from '../store/integrations-repository.js';
import type { SecretStore } from '../store/secret-store.js';
import type { WebhookSecretStore } from '../store/webhook-secret-store.js';

export interface UnconfirmedSecrets {
  /** The ids marked, oldest first. */
  list(): Promise<readonly string[]>;
  /** Marks the id before its first secret is written (or before its record is marked deleted). */
  add(integrationId: string): Promise<void>;
  /** Its secrets are used by its saved integration, or are gone. */
  remove(integrationId: string): Promise<void>;
}

export interface UnconfirmedSecretsSweepDeps {
  readonly unconfirmed: UnconfirmedSecrets;
  readonly integrations: Pick<IntegrationsRepository, 'get'>;
  readonly secrets: Pick<SecretStore, 'delete'>;
  readonly webhookSecrets: Pick<WebhookSecretStore, 'delete'>;
}

/**
 * What a command that died left behind: for each marked id whose integration was never saved, or
 * is deleted, its credentials and signing secret are removed; a saved, live integration keeps
 * them. Only safe where no other command of the install runs meanwhile (the data folder's lock):
 * an `add` in flight elsewhere has its id marked and no integration yet. Returns the ids whose
 * secrets were removed.
 */
export const sweepUnconfirmedSecrets = async (deps: UnconfirmedSecretsSweepDeps): Promise<string[]> => {
  const removed: string[] = [];
  for (const id of await deps.unconfirmed.list()) {
    const integration = await deps.integrations.get(id);
    if (!integration || integration.status === 'deleted') {
      await deps.secrets.delete(id);
      await deps.webhookSecrets.delete(id);
      removed.push(id);
    }
    await deps.unconfirmed.remove(id);
  }
  return removed;
};
