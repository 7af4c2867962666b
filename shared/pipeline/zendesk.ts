import type { SecretStore } from '../store/secret-store.js';
import type { Integration } from '../store/integrations-repository.js';
import { ZendeskClient, type ZendeskClientOptions } from '../zendesk/client.js';
import type { ZendeskCredentials } from '../zendesk/auth.js';

/**
 * One Zendesk client per integration and credentials, kept for the life of the process (a warm
 * Lambda, the local runner), so its per-integration rate-limit budget spans invocations. A rotated
 * OAuth refresh token goes straight back into the secret store, before the client uses it.
 */
export const zendeskClients = (
  secrets: SecretStore,
  options: Omit<ZendeskClientOptions, 'credentials' | 'domain' | 'baseUrl' | 'saveRefreshToken'> = {},
): ((integration: Integration) => Promise<ZendeskClient>) => {
  const clients = new Map<string, { credentials: string; client: ZendeskClient }>();
  return async (integration: Integration) => {
    const credentials = await secrets.get(integration.id);
    const searchWords = integration.descriptionSearchWords ?? [];
    // The views' search words are the client's too: a client made before they changed is made anew.
    const fingerprint = JSON.stringify([credentials, searchWords]);
    const known = clients.get(integration.id);
    if (known && known.credentials === fingerprint) return known.client;
    const client = new ZendeskClient({
      ...options,
      ...(integration.baseUrl ? { baseUrl: integration.baseUrl } : { domain: integration.domain }),
      credentials,
      descriptionSearchWords: searchWords,
      saveRefreshToken: async (refreshToken: string) => {
        const current: ZendeskCredentials = await secrets.get(integration.id);
        if (current.kind !== 'oauth_refresh_token') return;
        const rotated = { ...current, refreshToken };
        await secrets.put(integration.id, rotated);
        // The client keeps the rotated token itself; remember what is stored now so it is reused.
        clients.set(integration.id, { credentials: JSON.stringify([rotated, searchWords]), client });
      },
    });
    clients.set(integration.id, { credentials: fingerprint, client });
    return client;
  };
};
