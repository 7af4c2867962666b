import { resolve } from 'node:path';
import type { CliIo } from './context.js';
import { DATA_DIR_ENV } from './data-dir-env.js';
import { CommandFailedError, EXIT } from './exit.js';
import { findServeApi, forwardedEnv, runThroughServe } from './serve-api/client.js';

/**
 * The commands that work on a data folder (every one with `--data-dir`, serve aside), by the words
 * that name them. A unit test holds this list equal to the program's, so it cannot drift.
 */
export const DATA_DIR_COMMANDS: ReadonlySet<string> = new Set([
  'import',
  'integration add',
  'integration list',
  'integration show',
  'integration update',
  'integration set-credentials',
  'integration pause',
  'integration resume',
  'integration delete',
  'sync',
  'redrive',
  'views',
  'history',
  'queues',
  'coverage',
  'explain',
  'reconcile',
  'quarantined',
  'report',
]);

/** Options that come before the command's name and take no value. */
const LEADING_FLAGS = new Set(['--verbose']);

/** Options naming a file a command writes (`report --out`). */
const FILE_OPTIONS = ['--out'] as const;

/**
 * The command line as serve must read it: serve runs in its own working directory, so a file a
 * command writes is named by its absolute path, resolved where the person typed it.
 */
export const withAbsolutePaths = (argv: readonly string[]): string[] =>
  argv.map((arg, i) => {
    const previous = argv[i - 1];
    if (previous !== undefined && (FILE_OPTIONS as readonly string[]).includes(previous))
      return absolute(arg);
    const inline = FILE_OPTIONS.find((option) => arg.startsWith(`${option}=`));
    return inline ? `${inline}=${absolute(arg.slice(inline.length + 1))}` : arg;
  });

/** A blank file name stays blank: the command refuses it as it would without serve. */
const absolute = (path: string): string => (path.trim() === '' ? path : resolve(path));

/**
 * Whether a command takes its folder from ZENDESK_WFM_DATA_DIR when `--data-dir` is not given:
 * every one but `import`, which keeps nothing without `--data-dir` (an in-memory import).
 */
export const readsDataDirEnv = (words: string): boolean => words !== 'import';

/** The option that points `explain` and `reconcile` at the deployed stack instead of a folder. */
const STACK_OUTPUTS = '--stack-outputs';

export interface ForwardedCommand {
  /** The words naming the command, e.g. `integration add`. */
  readonly words: string;
  readonly dataDir: string;
}

/**
 * The command and data folder a command line names, read without the program (which loads the whole
 * pipeline): undefined when it names no command on a data folder or no folder.
 */
export const forwardedCommand = (
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ForwardedCommand | undefined => {
  let at = 0;
  while (at < argv.length && LEADING_FLAGS.has(argv[at] ?? '')) at++;
  const first = argv[at];
  if (first === undefined) return undefined;
  const words = first === 'integration' ? `${first} ${argv[at + 1] ?? ''}` : first;
  if (!DATA_DIR_COMMANDS.has(words)) return undefined;
  let given = readsDataDirEnv(words) ? env[DATA_DIR_ENV] : undefined;
  for (let i = at; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') break;
    // On the deployed stack, not on a folder: it runs here (and refuses --data-dir beside it).
    if (arg === STACK_OUTPUTS || arg.startsWith(`${STACK_OUTPUTS}=`)) return undefined;
    if (arg === '--data-dir') given = argv[i + 1];
    else if (arg.startsWith('--data-dir=')) given = arg.slice('--data-dir='.length);
  }
  return given === undefined || given.trim() === '' ? undefined : { words, dataDir: resolve(given) };
};

/**
 * A command on a folder that a running `serve` owns is answered by serve, which holds the install
 * open: sent before the program is even loaded, so a read answers in a fraction of a second instead
 * of starting a pipeline it would not use. Resolves to the exit code, or undefined when the command
 * is to run here (no serve, or not a command on a folder); the program then decides as usual.
 */
export const forwardToServe = async (argv: readonly string[], io: CliIo): Promise<number | undefined> => {
  const command = forwardedCommand(argv, io.env);
  if (!command) return undefined;
  try {
    const api = findServeApi(command.dataDir);
    if (!api) return undefined;
    return await runThroughServe(
      api,
      {
        argv: withAbsolutePaths(argv),
        env: forwardedEnv(io.env),
        dataDir: command.dataDir,
        ...(io.stderrIsTty && io.stderrColumns !== undefined ? { terminalColumns: io.stderrColumns } : {}),
      },
      { stdout: io.stdout, stderr: io.stderr, ...(io.failed ? { failed: io.failed } : {}) },
    );
  } catch (error) {
    // Worded as the program words a failure (`run` in program.ts): one line, never a secret.
    const exitCode = error instanceof CommandFailedError ? error.exitCode : EXIT.failed;
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`zendesk-wfm ${command.words}: error: ${message}\n`);
    io.failed?.({ message, exitCode });
    return exitCode;
  }
};
