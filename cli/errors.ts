import { DuplicateIntegrationNameError } from '../shared/store/integrations-repository.js';
import { MissingSecretError } from '../shared/store/secret-store.js';
import { DataDirBusyError } from '../local/data-dir-lock.js';
import {
  CredentialsRejectedError,
  ImmutableFieldError,
  IntegrationNotFoundError,
  IntegrationValidationError,
} from '../shared/pipeline/integrations.js';
import { CommandFailedError, EXIT, type ExitCode } from './exit.js';

// The exit codes and the worded failure live apart so that a command answered by `serve` loads nothing else.
export { EXIT, type ExitCode, CommandFailedError } from './exit.js';

/** A mistake in the command line or its input: the message names the option. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The option a field of the integration service's input comes from. */
const OPTION_OF_FIELD: Readonly<Record<string, string>> = {
  name: '--name',
  domain: '--domain',
  username: '--username',
  credentials: '--token or --oauth-client-id',
  'credentials.apiToken': '--token',
  'credentials.clientId': '--oauth-client-id',
  'credentials.clientSecret': '--oauth-client-secret',
  'credentials.refreshToken': '--oauth-refresh-token',
  'credentials.scope': '--oauth-scope',
  groupingStrategy: '--grouping',
  intervalMinutes: '--interval',
  serviceLevelSeconds: '--service-level',
  historyDays: '--since',
  importFrom: '--since',
  importUntil: '--until',
  baseUrl: '--base-url',
};

export const optionOfField = (field: string): string => OPTION_OF_FIELD[field] ?? field;

/** `groupingStrategy cannot…` → `--grouping cannot…`: the person typed options, not field names. */
const withOptionNames = (message: string): string =>
  message.replace(/^(groupingStrategy|intervalMinutes|serviceLevelSeconds|name)\b:?/, (field) =>
    optionOfField(field.replace(/:$/, '')),
  );

export interface ErrorReport {
  readonly message: string;
  readonly exitCode: ExitCode;
}

/** One line for a person, and the exit code, for anything a command throws. */
export const describeError = (error: unknown): ErrorReport => {
  if (error instanceof UsageError) return { message: error.message, exitCode: EXIT.usage };
  if (error instanceof CommandFailedError) return { message: error.message, exitCode: error.exitCode };
  if (error instanceof IntegrationValidationError) {
    return {
      message: error.issues.map((i) => `${optionOfField(i.field)} ${i.message}`).join('; '),
      exitCode: EXIT.usage,
    };
  }
  if (error instanceof DuplicateIntegrationNameError) {
    return {
      message: `--name: an integration named "${error.integrationName}" already exists (see \`zendesk-wfm integration list\`)`,
      exitCode: EXIT.usage,
    };
  }
  if (error instanceof ImmutableFieldError || error instanceof IntegrationNotFoundError) {
    return { message: withOptionNames(error.message), exitCode: EXIT.usage };
  }
  if (error instanceof DataDirBusyError) return { message: error.message, exitCode: EXIT.busy };
  if (error instanceof CredentialsRejectedError) {
    return { message: error.message, exitCode: EXIT.refusedByZendesk };
  }
  if (error instanceof MissingSecretError) {
    return {
      message: `${error.message}: give them again with \`zendesk-wfm integration set-credentials\``,
      exitCode: EXIT.failed,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { message: message.split('\n')[0] ?? 'unknown error', exitCode: EXIT.failed };
};

/** The CLI redacts with the same rules as the Zendesk client (one definition of a secret's forms). */
export { Redactor } from '../shared/zendesk/redact.js';
