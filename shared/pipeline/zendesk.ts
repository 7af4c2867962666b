import type { SecretStore } from '../store/secret-store.js';
import type { Integration } from '../store/integrations-repository.js';
import { ZendeskClient, type ZendeskClientOptions } from '../zendesk/client.js';
import type { ZendeskCredentials } from '../zendesk/auth.js';

/**
 * One Zendesk client per integration and credentials, kept for the life of the process (a warm
 * Lambda, the local runner), so its per-integration rate-limit budget spans invocations. A rotated
 * OAuth refresh token goes straight back into the secret store, before the client uses it.
 *
 * A refresh token another process rotated is no new credentials: the client keeps its access token
 * while it is valid, and its next refresh grant sends the token stored then, read past the store's
 * cache. Made anew on each rotation seen, every warm instance would refresh (and rotate) again at
 * once, revoking the others' tokens in turn.
 */
export const zendeskClients = (
  secrets: SecretStore,
  options: Omit<ZendeskClientOptions, 'credentials' | 'domain' | 'baseUrl' | 'saveRefreshToken'> = {},
): ((integration: Integration) => Promise<ZendeskClient>) => {
  const clients = new Map<string, { credentials: string; client: ZendeskClient }>();
  const storedNow = (integrationId: string) =>
    secrets.getNow ? secrets.getNow(integrationId) : secrets.get(integrationId);
  return async (integration: Integration) => {
    const credentials = await secrets.get(integration.id);
    const searchWords = integration.descriptionSearchWords ?? [];
    // The views' search words are the client's too: a client made before they changed is made anew.
    const fingerprint = JSON.stringify([withoutRefreshToken(credentials), searchWords]);
    const known = clients.get(integration.id);
    if (known && known.credentials === fingerprint) return known.client;
    const client = new ZendeskClient({
      ...options,
      ...(integration.baseUrl ? { baseUrl: integration.baseUrl } : { domain: integration.domain }),
      credentials,
      descriptionSearchWords: searchWords,
      saveRefreshToken: async (refreshToken: string) => {
        const current: ZendeskCredentials = await storedNow(integration.id);
        if (current.kind !== 'oauth_refresh_token') return;
        await secrets.put(integration.id, { ...current, refreshToken });
      },
      loadRefreshToken: async () => {
        const current = await storedNow(integration.id);
        return current.kind === 'oauth_refresh_token' ? current.refreshToken : undefined;
      },
    });
    clients.set(integration.id, { credentials: fingerprint, client });
    return client;
  };
};

/** What makes a client: the credentials but a refresh token, which rotates under a client's feet. */
const withoutRefreshToken = (credentials: ZendeskCredentials) => {
  if (credentials.kind !== 'oauth_refresh_token') return credentials;
  const { refreshToken: _rotates, ...rest } = credentials;
  return rest;
};
