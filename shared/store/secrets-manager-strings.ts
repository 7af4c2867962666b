import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';

/**
 * Secrets Manager as a cached map of names to strings: what the credential store and the webhook
 * signing-secret store both need. A missing secret reads as undefined (and is cached too, so a
 * flood of look-ups for one name costs one call per max age); writing creates it when needed;
 * deleting keeps Secrets Manager's 7-day recovery window.
 */
export class SecretsManagerStrings {
  private readonly cache = new Map<string, { value: string | undefined; until: number }>();

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly description: string,
    private readonly options: { maxAgeSeconds?: number; now?: () => number } = {},
  ) {}

  async get(name: string): Promise<string | undefined> {
    const now = (this.options.now ?? Date.now)();
    const cached = this.cache.get(name);
    if (cached && cached.until > now) return cached.value;
    let value: string | undefined;
    try {
      value = (await this.client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString;
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    this.cache.set(name, { value, until: now + (this.options.maxAgeSeconds ?? 300) * 1000 });
    return value;
  }

  async put(name: string, value: string): Promise<void> {
    this.cache.delete(name);
    try {
      await this.client.send(new PutSecretValueCommand({ SecretId: name, SecretString: value }));
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await this.client.send(
        new CreateSecretCommand({ Name: name, SecretString: value, Description: this.description }),
      );
    }
  }

  async delete(name: string): Promise<void> {
    this.cache.delete(name);
    try {
      await this.client.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}

const isNotFound = (error: unknown) =>
  (error as { name?: string } | undefined)?.name === 'ResourceNotFoundException';
