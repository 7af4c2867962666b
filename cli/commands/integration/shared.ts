import type { CliContext } from '../../context.js';
import type { SecretOfIntegration } from '../../../shared/pipeline/integrations.js';
import type { WebhookSecretStore } from '../../../shared/store/webhook-secret-store.js';
import { signingSecretOf } from '../../../shared/webhook/signing-secret.js';
import { UsageError } from '../../errors.js';

export interface DataDirOptions {
  readonly dataDir?: string;
}

export const example = (lines: string): string => `\nExamples:\n${lines}`;

/** Where Zendesk's webhook for an integration posts, on the host `zendesk-wfm serve` answers on. */
export const webhookPath = (integrationId: string): string => `/integrations/${integrationId}/webhook`;

/**
 * The webhook signing secret of `--webhook-signing-secret [secret]`: the value given, or without one
 * the environment variable (kept out of shell history), read as `signingSecretOf` reads it.
 */
export const signingSecretFrom = (
  ctx: CliContext,
  given: string | boolean | undefined,
  envName: string,
): string | undefined => {
  const secret = given === true ? ctx.io.env[envName] : given === false ? undefined : given;
  if (given === true && secret === undefined)
    throw new UsageError(`--webhook-signing-secret: give the secret, or set ${envName}`);
  if (secret === undefined) return undefined;
  // Redacted before it is checked: an error must not be the first place it shows.
  ctx.redactor.add(secret);
  try {
    const kept = signingSecretOf(secret, '--webhook-signing-secret');
    ctx.redactor.add(kept);
    return kept;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
};

/** The webhook signing secret as the integration service writes it, and removes it again. */
export const signingSecretOfIntegration = (
  store: WebhookSecretStore,
  signingSecret: string,
): SecretOfIntegration => ({
  store: (id) => store.put(id, signingSecret),
  remove: (id) => store.delete(id),
});
