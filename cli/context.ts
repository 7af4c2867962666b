import { Redactor, type ErrorReport } from './errors.js';
import type { InstallLender, LocalInstallOptions } from './local-install.js';

/**
 * What a command reads and writes besides its options: the two output streams, the environment
 * and the clock. main.ts binds it to the process; the unit tests bind it to strings.
 */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stderr is a terminal: a progress bar redrawn in place, otherwise plain lines. */
  readonly stderrIsTty: boolean;
  /** Whether stdout is a terminal: a person is watching (the demo then keeps its console open). */
  readonly stdoutIsTty?: boolean;
  readonly stderrColumns?: number;
  readonly now: () => Date;
  /** Set when the command runs inside `serve` for a client of its API: serve's open install. */
  readonly lender?: InstallLender;
  /**
   * Told a failing command's failure as a value (its one line, exit code and the input field it
   * concerns), besides the line on stderr: serve's console shows a refusal by its field from it.
   */
  readonly failed?: (failure: ErrorReport) => void;
}

export class CliContext {
  readonly redactor = new Redactor();

  constructor(readonly io: CliIo) {}

  out(text: string): void {
    this.io.stdout(this.redactor.redact(text));
  }

  err(text: string): void {
    this.io.stderr(this.redactor.redact(text));
  }

  warn(text: string): void {
    this.err(`warning: ${text}\n`);
  }

  /**
   * What every command that opens the local install gives it: the environment, serve's open
   * install when the command runs inside serve, and stderr for what the install did on its own.
   */
  installContext(): Pick<LocalInstallOptions, 'env' | 'lender' | 'notice'> {
    return {
      env: this.io.env,
      ...(this.io.lender ? { lender: this.io.lender } : {}),
      notice: (line) => this.err(`${line}\n`),
    };
  }

  /** Where progress goes: stderr, so stdout stays one JSON document with `--json`. */
  progressOutput() {
    return {
      write: (text: string) => this.err(text),
      isTty: this.io.stderrIsTty,
      ...(this.io.stderrColumns !== undefined ? { columns: this.io.stderrColumns } : {}),
    };
  }
}
