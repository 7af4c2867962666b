import type { CliContext } from '../../context.js';
import { UsageError } from '../../errors.js';

export interface DataDirOptions {
  readonly dataDir?: string;
}

export const example = (lines: string): string => `\nExamples:\n${lines}`;

/** Where Zendesk's webhook for an integration posts, on the host `zendesk-wfm serve` answers on. */
export const webhookPath = (integrationId: string): string => `/integrations/${integrationId}/webhook`;

/**
 * The webhook signing secret of `--webhook-signing-secret [secret]`: the value given, or without one
 * the environment variable (kept out of shell history). At least 8 characters, as Zendesk shows it.
 */
export const signingSecretFrom = (
  ctx: CliContext,
  given: string | boolean | undefined,
  envName: string,
): string | undefined => {
  const secret = given === true ? ctx.io.env[envName] : given === false ? undefined : given;
  if (given === true && secret === undefined)
    throw new UsageError(`--webhook-signing-secret: give the secret, or set ${envName}`);
  if (secret !== undefined && secret.trim().length < 8)
    throw new UsageError(
      '--webhook-signing-secret: at least 8 characters (copy it from the webhook in Zendesk)',
    );
  ctx.redactor.add(secret);
  return secret;
};
