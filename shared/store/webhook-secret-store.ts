import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { SecretFile } from './secret-file.js';

/**
 * Where an integration's webhook signing secret lives: a secret of its own, apart from the Zendesk
 * credentials, so the webhook function can read signing secrets without being able to read a
 * single Zendesk credential (its IAM grant covers the `zendesk-wfm-webhook/` prefix only).
 */
export interface WebhookSecretStore {
  /** The signing secret, or undefined when the integration has none (webhooks refused). */
  get(integrationId: string): Promise<string | undefined>;
  put(integrationId: string, signingSecret: string): Promise<void>;
  delete(integrationId: string): Promise<void>;
}

export const WEBHOOK_SECRET_PREFIX = 'zendesk-wfm-webhook/';
export const webhookSecretName = (integrationId: string): string =>
  `${WEBHOOK_SECRET_PREFIX}${integrationId}`;

const errorName = (error: unknown) => (error as { name?: string } | undefined)?.name;

const checked = (signingSecret: string): string => {
  if (signingSecret.trim().length < 8) throw new Error('webhookSigningSecret: at least 8 characters');
  return signingSecret;
};

export class SecretsManagerWebhookSecretStore implements WebhookSecretStore {
  private readonly cache = new Map<string, { value: string | undefined; until: number }>();

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly options: { maxAgeSeconds?: number; now?: () => number } = {},
  ) {}

  async get(integrationId: string): Promise<string | undefined> {
    const now = (this.options.now ?? Date.now)();
    const cached = this.cache.get(integrationId);
    if (cached && cached.until > now) return cached.value;
    let value: string | undefined;
    try {
      const out = await this.client.send(
        new GetSecretValueCommand({ SecretId: webhookSecretName(integrationId) }),
      );
      value = out.SecretString || undefined;
    } catch (error) {
      if (errorName(error) !== 'ResourceNotFoundException') throw error;
    }
    // Unknown ids are cached too: a flood of requests for one id costs one look-up per max age.
    this.cache.set(integrationId, { value, until: now + (this.options.maxAgeSeconds ?? 300) * 1000 });
    return value;
  }

  async put(integrationId: string, signingSecret: string): Promise<void> {
    const SecretString = checked(signingSecret);
    this.cache.delete(integrationId);
    try {
      await this.client.send(
        new PutSecretValueCommand({ SecretId: webhookSecretName(integrationId), SecretString }),
      );
    } catch (error) {
      if (errorName(error) !== 'ResourceNotFoundException') throw error;
      await this.client.send(
        new CreateSecretCommand({
          Name: webhookSecretName(integrationId),
          SecretString,
          Description: 'Zendesk webhook signing secret of one zendesk-wfm integration',
        }),
      );
    }
  }

  async delete(integrationId: string): Promise<void> {
    this.cache.delete(integrationId);
    try {
      await this.client.send(
        new DeleteSecretCommand({ SecretId: webhookSecretName(integrationId), RecoveryWindowInDays: 7 }),
      );
    } catch (error) {
      if (errorName(error) !== 'ResourceNotFoundException') throw error;
    }
  }
}

/** The embedded mode's store: a 0600 JSON file under the data directory, or memory. */
export class LocalWebhookSecretStore implements WebhookSecretStore {
  private readonly file: SecretFile<string>;

  constructor(filePath?: string) {
    this.file = new SecretFile<string>(filePath, 'webhook secret');
  }

  async get(integrationId: string): Promise<string | undefined> {
    return (await this.file.read())[integrationId];
  }

  async put(integrationId: string, signingSecret: string): Promise<void> {
    const all = await this.file.read();
    await this.file.write({ ...all, [integrationId]: checked(signingSecret) });
  }

  async delete(integrationId: string): Promise<void> {
    const { [integrationId]: _removed, ...rest } = await this.file.read();
    await this.file.write(rest);
  }
}
