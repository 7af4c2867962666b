import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';

/** How long a missing secret is taken as missing: one created meanwhile is found this soon. */
export const MISSING_SECRET_MAX_AGE_SECONDS = 10;
/** The least time between two reads of one secret past the cache (`getFresh`). */
export const FRESH_READ_MIN_INTERVAL_SECONDS = 10;

/**
 * Secrets Manager as a cached map of names to strings: what the credential store and the webhook
 * signing-secret store both need. A secret read is kept for the max age (300 s unless told); a
 * missing one reads as undefined and is kept for 10 s only, so a flood of look-ups for one name
 * costs a call every 10 s, and a secret created meanwhile (the webhook made in Zendesk first, its
 * secret stored after) is found within seconds, not minutes. Writing creates it when needed;
 * deleting keeps Secrets Manager's 7-day recovery window.
 */
export class SecretsManagerStrings {
  private readonly cache = new Map<string, { value: string | undefined; readAt: number; until: number }>();

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly description: string,
    private readonly options: { maxAgeSeconds?: number; now?: () => number } = {},
  ) {}

  async get(name: string): Promise<string | undefined> {
    const now = (this.options.now ?? Date.now)();
    const cached = this.cache.get(name);
    if (cached && cached.until > now) return cached.value;
    return this.read(name, now);
  }

  /**
   * The secret as Secrets Manager holds it now, past the cache, unless it was read in the last 10 s:
   * for a caller whose cached value just failed (a signing secret reset since), at most one
   * request per 10 s however many ask.
   */
  async getFresh(name: string): Promise<string | undefined> {
    const now = (this.options.now ?? Date.now)();
    const cached = this.cache.get(name);
    if (cached && now - cached.readAt < FRESH_READ_MIN_INTERVAL_SECONDS * 1000) return cached.value;
    return this.read(name, now);
  }

  /** The secret as Secrets Manager holds it now, past the cache (which it renews). */
  async getNow(name: string): Promise<string | undefined> {
    return this.read(name, (this.options.now ?? Date.now)());
  }

  private async read(name: string, now: number): Promise<string | undefined> {
    let value: string | undefined;
    try {
      value = (await this.client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString;
    } catch (error) {
      if (!isGoneOrDeleted(error)) throw error;
    }
    const maxAgeSeconds =
      value === undefined ? MISSING_SECRET_MAX_AGE_SECONDS : (this.options.maxAgeSeconds ?? 300);
    this.cache.set(name, { value, readAt: now, until: now + maxAgeSeconds * 1000 });
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
      if (!isGoneOrDeleted(error)) throw error;
    }
  }
}

const isNotFound = (error: unknown) =>
  (error as { name?: string } | undefined)?.name === 'ResourceNotFoundException';

/**
 * A secret deleted within its recovery window: Secrets Manager answers InvalidRequestException
 * ("… because it was marked for deletion") to a read or a delete of it, where a local store has
 * simply none. Read as none, and deleted again as done.
 */
const isGoneOrDeleted = (error: unknown) => {
  if (isNotFound(error)) return true;
  const { name, message } = (error ?? {}) as { name?: string; message?: string };
  return name === 'InvalidRequestException' && /(marked|scheduled) for deletion/i.test(message ?? '');
};
