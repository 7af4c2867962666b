import { DuplicateIntegrationNameError } from '../shared/store/integrations-repository.js';
import { MissingSecretError } from '../shared/store/secret-store.js';
import { DataDirBusyError } from '../local/data-dir-lock.js';
import {
  CredentialsRejectedError,
  ImmutableFieldError,
  IntegrationNotFoundError,
  IntegrationValidationError,
} from '../shared/pipeline/integrations.js';
import { CommandFailedError, EXIT, type ErrorReport } from './exit.js';
import { isInputField, optionOfField, type InputField } from './input-fields.js';

// The exit codes, the worded failure and the input fields live apart so that a command answered by
// `serve` loads nothing else.
export { EXIT, type ExitCode, type ErrorReport, CommandFailedError } from './exit.js';
export { isInputField, optionOfField, type InputField } from './input-fields.js';

/**
 * A mistake in the command line or its input: the message names the option, and `field` says which
 * field of the integration's input it concerns, for a caller that shows it beside that field.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    readonly field?: InputField,
  ) {
    super(message);
  }
}

/** `groupingStrategy cannot…` → `--grouping cannot…`: the person typed options, not field names. */
const withOptionNames = (message: string): string =>
  message.replace(/^(groupingStrategy|intervalMinutes|serviceLevelSeconds|name)\b:?/, (field) =>
    optionOfField(field.replace(/:$/, '')),
  );

const withField = (report: Omit<ErrorReport, 'field'>, field: InputField | undefined): ErrorReport =>
  field !== undefined ? { ...report, field } : report;

/** One line for a person, and the exit code, for anything a command throws. */
export const describeError = (error: unknown): ErrorReport => {
  if (error instanceof UsageError)
    return withField({ message: error.message, exitCode: EXIT.usage }, error.field);
  if (error instanceof CommandFailedError)
    return withField({ message: error.message, exitCode: error.exitCode }, error.field);
  if (error instanceof IntegrationValidationError) {
    const first = error.issues.find((i) => isInputField(i.field))?.field;
    return withField(
      {
        message: error.issues.map((i) => `${optionOfField(i.field)} ${i.message}`).join('; '),
        exitCode: EXIT.usage,
      },
      first !== undefined && isInputField(first) ? first : undefined,
    );
  }
  if (error instanceof DuplicateIntegrationNameError) {
    return {
      message: `--name: an integration named "${error.integrationName}" already exists (see \`zendesk-wfm integration list\`)`,
      exitCode: EXIT.usage,
      field: 'name',
    };
  }
  if (error instanceof ImmutableFieldError)
    return { message: withOptionNames(error.message), exitCode: EXIT.usage, field: error.field };
  if (error instanceof IntegrationNotFoundError)
    return { message: withOptionNames(error.message), exitCode: EXIT.usage };
  if (error instanceof DataDirBusyError) return { message: error.message, exitCode: EXIT.busy };
  if (error instanceof CredentialsRejectedError) {
    // A rate limit is no refusal (SPEC §8): the same command succeeds later, so it is no exit 3.
    const exitCode = error.kind === 'rate_limited' ? EXIT.failed : EXIT.refusedByZendesk;
    return withField({ message: error.message, exitCode }, error.field);
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
