import type { InputField } from './input-fields.js';

/**
 * Exit codes, documented in `zendesk-wfm --help` so scripts can tell a mistake in the command line
 * (fix the command) from a refusal by Zendesk (fix the account or the credentials) from a failure.
 */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  refusedByZendesk: 3,
  /** Another command holds the data folder. */
  busy: 4,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * A failure the user can act on, already worded for them (e.g. an integration marked failing);
 * `field` names the field of the integration's input it concerns, when it concerns one.
 */
export class CommandFailedError extends Error {
  override readonly name = 'CommandFailedError';
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.failed,
    readonly field?: InputField,
  ) {
    super(message);
  }
}

/** A failed command as a value: its one line, its exit code and the input field it concerns, if one. */
export interface ErrorReport {
  readonly message: string;
  readonly exitCode: ExitCode;
  /** The field of the integration's input the failure concerns, when it concerns one. */
  readonly field?: InputField;
}
