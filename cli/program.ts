import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, CommanderError } from 'commander';
import { demoCommand } from './commands/demo.js';
import { explainCommand } from './commands/explain.js';
import { importCommand } from './commands/import.js';
import { integrationCommand } from './commands/integration/index.js';
import { historyCommand, viewsCommand } from './commands/inspect.js';
import { coverageCommand, queuesCommand } from './commands/queues.js';
import { quarantinedCommand } from './commands/quarantined.js';
import { reportCommand } from './commands/report.js';
import { reconcileCommand } from './commands/reconcile.js';
import { redriveCommand } from './commands/redrive.js';
import { serveCommand } from './commands/serve.js';
import { syncCommand } from './commands/sync.js';
import { CliContext, type CliIo } from './context.js';
import { EXIT, UsageError, describeError } from './errors.js';
import { DATA_DIR_ENV } from './data-dir-env.js';
import { readsDataDirEnv, withAbsolutePaths } from './forward-to-serve.js';
import { findServeApi, forwardedEnv, runThroughServe } from './serve-api/client.js';

const OVERVIEW = `
Exit codes: 0 done, 1 failed, 2 wrong command line or input, 3 refused by Zendesk
(wrong credentials, not an admin, unreachable host), 4 data folder in use by another command.

Examples:
  npm start                                   # the demo: the bundled sandbox through the whole pipeline
  ZENDESK_API_TOKEN=… zendesk-wfm import --domain example.zendesk.com --username admin@example.com --grouping ivr --json
  zendesk-wfm integration add --data-dir ./wfm-data --name Acme --domain acme.zendesk.com \\
      --username admin@acme.com --oauth-client-id wfm --oauth-client-secret … --grouping ivr
  zendesk-wfm sync --data-dir ./wfm-data
  zendesk-wfm history Acme --data-dir ./wfm-data --from 2026-01-05 --to 2026-01-06
  zendesk-wfm serve --data-dir ./wfm-data --port 8080   # webhooks + schedule, until Ctrl-C

Run \`zendesk-wfm <command> --help\` for a command's options and examples.`;

const commandPath = (command: Command): string => {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
};

/** The words naming a command without the program's, e.g. `integration add`. */
const commandWords = (command: Command): string => commandPath(command).split(' ').slice(1).join(' ');

/** The version in package.json, found beside the sources or above dist/ (the command runs from either). */
export const packageVersion = (): string => {
  for (const path of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === 'zendesk-wfm' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // Not this one: try the next place.
    }
  }
  return 'unknown';
};

/**
 * Every command, each printing its help on stdout and its mistakes as one line on stderr. `argv` is
 * the command line about to be parsed: sent to `serve` when serve owns the command's data folder.
 */
export const buildProgram = (ctx: CliContext, argv: readonly string[] = []): Command => {
  const program = new Command()
    .name('zendesk-wfm')
    .description(
      'Import contact volumes from Zendesk Support and Talk into WFM queue histories, through the local pipeline.',
    )
    .version(packageVersion(), '--version', 'print the version')
    .option('--verbose', 'print the stack trace of an unexpected error')
    .addHelpText('after', OVERVIEW)
    .showSuggestionAfterError(true);
  for (const command of [
    importCommand(ctx),
    integrationCommand(ctx),
    syncCommand(ctx),
    redriveCommand(ctx),
    viewsCommand(ctx),
    historyCommand(ctx),
    queuesCommand(ctx),
    coverageCommand(ctx),
    explainCommand(ctx),
    reconcileCommand(ctx),
    quarantinedCommand(ctx),
    reportCommand(ctx),
    serveCommand(ctx, run),
    demoCommand(ctx, run),
  ])
    program.addCommand(command);

  const configure = (command: Command) => {
    command.exitOverride().configureOutput({
      writeOut: (text) => ctx.out(text),
      writeErr: (text) => ctx.err(text),
      // Commander's own mistakes (unknown option, missing argument) become our one line.
      outputError: () => undefined,
      // Inside serve, help is wrapped to the client's terminal (what it sent), not serve's own.
      ...(ctx.io.lender ? { getOutHelpWidth: clientWidth, getErrHelpWidth: clientWidth } : {}),
    });
    for (const sub of command.commands) configure(sub);
  };
  // Commander's own width where the output is no terminal.
  const clientWidth = () => ctx.io.stderrColumns ?? 80;
  configure(program);
  program.hook('preAction', (_program, action) => throughServe(ctx, argv, action));
  return program;
};

/** The command was run by the `serve` that owns its data folder; this is its exit code. */
class AnsweredByServe {
  constructor(readonly exitCode: number) {}
}

/** Every command on a data folder, except serve itself: serve owns the folder, the others may use it. */
export const worksOnDataDir = (command: Command): boolean =>
  command.name() !== 'serve' && command.options.some((o) => o.long === '--data-dir');

/**
 * One owner per data folder: when a `serve` holds the command's folder, the command line goes to
 * serve's API and serve runs it on its open install (no second DynamoDB Local, no second writer);
 * otherwise the command opens the folder itself and takes its lock. Inside serve, only commands on
 * its folder are run.
 */
const throughServe = async (ctx: CliContext, argv: readonly string[], action: Command): Promise<void> => {
  const options = action.opts() as { dataDir?: string; stackOutputs?: string };
  // On the deployed stack, not on a folder.
  if (options.stackOutputs !== undefined) return;
  const fromEnv = readsDataDirEnv(commandWords(action)) ? ctx.io.env[DATA_DIR_ENV] : undefined;
  const given = options.dataDir ?? fromEnv;
  const dataDir =
    worksOnDataDir(action) && given !== undefined && given.trim() !== '' ? resolve(given) : undefined;
  if (ctx.io.lender) {
    // Serve lends its install to a command on its folder only (an in-memory import must stay apart).
    if (dataDir === undefined)
      throw new UsageError(
        `\`${commandPath(action)}\` runs through serve's API only on serve's data folder: run it on its own`,
      );
    return;
  }
  if (dataDir === undefined) return;
  const api = findServeApi(dataDir);
  if (!api) return;
  const exitCode = await runThroughServe(
    api,
    {
      argv: withAbsolutePaths(argv),
      env: forwardedEnv(ctx.io.env),
      dataDir,
      ...(ctx.io.stderrIsTty && ctx.io.stderrColumns !== undefined
        ? { terminalColumns: ctx.io.stderrColumns }
        : {}),
    },
    {
      stdout: (text) => ctx.out(text),
      stderr: (text) => ctx.err(text),
      ...(ctx.io.failed ? { failed: ctx.io.failed } : {}),
    },
  );
  throw new AnsweredByServe(exitCode);
};

/**
 * Runs the command line `argv` (without `node` and the script) and returns the exit code. Every
 * failure ends here: one line on stderr, never a secret, a stack trace only with --verbose.
 */
export const run = async (argv: readonly string[], io: CliIo): Promise<number> => {
  const ctx = new CliContext(io);
  const program = buildProgram(ctx, argv);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof AnsweredByServe) return error.exitCode;
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return EXIT.ok; // --help, --version
      // An empty `zendesk-wfm` or `zendesk-wfm integration` shows the help it needs.
      if (error.code === 'commander.help' || error.code === 'commander.helpDisplayed') return EXIT.usage;
      const message = error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ');
      const where = findCommand(program, argv);
      ctx.err(`${commandPath(where)}: error: ${message} (see \`${commandPath(where)} --help\`)\n`);
      io.failed?.({ message: ctx.redactor.redact(message), exitCode: EXIT.usage });
      return EXIT.usage;
    }
    const report = describeError(error);
    ctx.err(`${commandPath(findCommand(program, argv))}: error: ${report.message}\n`);
    if (argv.includes('--verbose') && error instanceof Error && error.stack) ctx.err(`${error.stack}\n`);
    io.failed?.({ ...report, message: ctx.redactor.redact(report.message) });
    return report.exitCode;
  }
};

/** The deepest command named on the command line (for the `--help` hint). */
const findCommand = (program: Command, argv: readonly string[]): Command => {
  let current = program;
  for (const word of argv) {
    const next = current.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!next) break;
    current = next;
  }
  return current;
};
