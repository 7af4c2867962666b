/**
 * Where an integration's webhook signing secret lives: a secret of its own, apart from the Zendesk
 * credentials, so the webhook function can read signing secrets without being able to read a
 * single Zendesk credential (its IAM grant covers the `zendesk-wfm-webhook/` prefix only).
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { signingSecretOf, storedSigningSecret } from '../webhook/signing-secret.js';
import { SecretFile } from './secret-file.js';
import { SecretsManagerStrings } from './secrets-manager-strings.js';

export interface WebhookSecretStore {
  /** The signing secret, or undefined when the integration has none (webhooks refused). */
  get(integrationId: string): Promise<string | undefined>;
  /**
   * The signing secret as stored now, past any cache (within the store's bound): asked when the
   * one `get` gave does not verify a request, since the secret may have been reset in Zendesk and
   * stored again since.
   */
  getFresh(integrationId: string): Promise<string | undefined>;
  put(integrationId: string, signingSecret: string): Promise<void>;
  delete(integrationId: string): Promise<void>;
}

export const WEBHOOK_SECRET_PREFIX = 'zendesk-wfm-webhook/';
export const webhookSecretName = (integrationId: string): string =>
  `${WEBHOOK_SECRET_PREFIX}${integrationId}`;

export class SecretsManagerWebhookSecretStore implements WebhookSecretStore {
  private readonly secrets: SecretsManagerStrings;

  constructor(client: SecretsManagerClient, options: { maxAgeSeconds?: number; now?: () => number } = {}) {
    this.secrets = new SecretsManagerStrings(
      client,
      'Zendesk webhook signing secret of one zendesk-wfm integration',
      options,
    );
  }

  async get(integrationId: string): Promise<string | undefined> {
    return storedSigningSecret(await this.secrets.get(webhookSecretName(integrationId)));
  }

  async getFresh(integrationId: string): Promise<string | undefined> {
    return storedSigningSecret(await this.secrets.getFresh(webhookSecretName(integrationId)));
  }

  async put(integrationId: string, signingSecret: string): Promise<void> {
    await this.secrets.put(webhookSecretName(integrationId), signingSecretOf(signingSecret));
  }

  async delete(integrationId: string): Promise<void> {
    await this.secrets.delete(webhookSecretName(integrationId));
  }
}

/** The embedded mode's store: a 0600 JSON file under the data directory, or memory. */
export class LocalWebhookSecretStore implements WebhookSecretStore {
  private readonly file: SecretFile<string>;

  constructor(filePath?: string) {
    this.file = new SecretFile<string>(filePath, 'webhook secret');
  }

  /** Reads the file now, so one with loose permissions stops a command before anything starts. */
  async load(): Promise<void> {
    await this.file.read();
  }

  async get(integrationId: string): Promise<string | undefined> {
    return storedSigningSecret((await this.file.read())[integrationId]);
  }

  /** The file is read at every `get`: nothing is cached. */
  getFresh(integrationId: string): Promise<string | undefined> {
    return this.get(integrationId);
  }

  async put(integrationId: string, signingSecret: string): Promise<void> {
    const all = await this.file.read();
    await this.file.write({ ...all, [integrationId]: signingSecretOf(signingSecret) });
  }

  async delete(integrationId: string): Promise<void> {
    const { [integrationId]: _removed, ...rest } = await this.file.read();
    await this.file.write(rest);
  }
}
