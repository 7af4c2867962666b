/**
 * Where an integration's Zendesk credentials live, and the only place they are written: one secret
 * per integration. Errors name the integration and the field, never a value.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import { OAUTH_SCOPE_PATTERN, type ZendeskCredentials } from '../zendesk/auth.js';
import { SecretFile } from './secret-file.js';
import { SecretsManagerStrings } from './secrets-manager-strings.js';

export interface SecretStore {
  get(integrationId: string): Promise<ZendeskCredentials>;
  /**
   * The credentials stored now, past any cache (a store that keeps none need not have it): what a
   * refresh grant sends, since another process may have rotated the refresh token meanwhile.
   */
  getNow?(integrationId: string): Promise<ZendeskCredentials>;
  /** Creates or replaces the integration's credentials (a rotated refresh token, a switch to OAuth). */
  put(integrationId: string, credentials: ZendeskCredentials): Promise<void>;
  delete(integrationId: string): Promise<void>;
}

export const CredentialsSchema: z.ZodType<ZendeskCredentials> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('api_token'), username: z.string().min(1), apiToken: z.string().min(1) }),
  z.object({
    kind: z.literal('oauth_client_credentials'),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    scope: z.string().regex(OAUTH_SCOPE_PATTERN).optional(),
  }),
  z.object({
    kind: z.literal('oauth_refresh_token'),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    refreshToken: z.string().min(1),
    scope: z.string().regex(OAUTH_SCOPE_PATTERN).optional(),
  }),
]);

export class MissingSecretError extends Error {
  override readonly name = 'MissingSecretError';
  constructor(integrationId: string) {
    super(`no credentials are stored for integration ${integrationId}`);
  }
}

export const secretName = (integrationId: string): string => `zendesk-wfm/${integrationId}`;

const parseCredentials = (integrationId: string, raw: unknown): ZendeskCredentials => {
  const result = CredentialsSchema.safeParse(raw);
  if (!result.success) {
    const fields = result.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
    throw new Error(`stored credentials of integration ${integrationId} are invalid at: ${fields}`);
  }
  return result.data;
};

/** AWS Secrets Manager, one secret `zendesk-wfm/<integrationId>` per integration, read through a cache. */
export class SecretsManagerSecretStore implements SecretStore {
  private readonly secrets: SecretsManagerStrings;

  constructor(client: SecretsManagerClient, options: { maxAgeSeconds?: number; now?: () => number } = {}) {
    this.secrets = new SecretsManagerStrings(
      client,
      'Zendesk credentials of one zendesk-wfm integration',
      options,
    );
  }

  async get(integrationId: string): Promise<ZendeskCredentials> {
    return this.parsed(integrationId, await this.secrets.get(secretName(integrationId)));
  }

  async getNow(integrationId: string): Promise<ZendeskCredentials> {
    return this.parsed(integrationId, await this.secrets.getNow(secretName(integrationId)));
  }

  private parsed(integrationId: string, secretString: string | undefined): ZendeskCredentials {
    if (secretString === undefined) throw new MissingSecretError(integrationId);
    let raw: unknown;
    try {
      raw = JSON.parse(secretString);
    } catch {
      throw new Error(`stored credentials of integration ${integrationId} are not JSON`);
    }
    return parseCredentials(integrationId, raw);
  }

  async put(integrationId: string, credentials: ZendeskCredentials): Promise<void> {
    await this.secrets.put(
      secretName(integrationId),
      JSON.stringify(parseCredentials(integrationId, credentials)),
    );
  }

  async delete(integrationId: string): Promise<void> {
    await this.secrets.delete(secretName(integrationId));
  }
}

/**
 * The embedded mode's secret store: in memory, or a JSON file readable by its owner only (0600),
 * rewritten atomically so a crash never leaves half a file (see SecretFile).
 */
export class LocalSecretStore implements SecretStore {
  private readonly file: SecretFile<ZendeskCredentials>;

  constructor(filePath?: string) {
    this.file = new SecretFile<ZendeskCredentials>(filePath, 'secret');
  }

  /** Reads the file now, so one with loose permissions stops a command before anything starts. */
  async load(): Promise<void> {
    await this.file.read();
  }

  async get(integrationId: string): Promise<ZendeskCredentials> {
    const found = (await this.file.read())[integrationId];
    if (!found) throw new MissingSecretError(integrationId);
    return parseCredentials(integrationId, found);
  }

  async put(integrationId: string, credentials: ZendeskCredentials): Promise<void> {
    const all = await this.file.read();
    await this.file.write({ ...all, [integrationId]: parseCredentials(integrationId, credentials) });
  }

  async delete(integrationId: string): Promise<void> {
    const { [integrationId]: _removed, ...rest } = await this.file.read();
    await this.file.write(rest);
  }
}
