import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expectedQueues, startSandbox, type Sandbox, type SandboxOptions } from '../../../sandbox/index.js';

/**
 * A sandbox for the built command, its clock an hour behind the wall clock: a Zendesk whose clock
 * disagrees with the machine's. The command must read the exports through the time of Zendesk's
 * answers (their `Date`, on the sandbox's clock), never its own; and the tests advance the
 * sandbox's clock to spread new activity over seconds without passing the machine's.
 */
export const startCliSandbox = (options: Omit<SandboxOptions, 'now'>): Promise<Sandbox> =>
  startSandbox({ ...options, now: new Date(Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000) });

const PACKAGE_ROOT = new URL('../../../', import.meta.url);

/** The built command, as a person runs it: package.json's `bin` (`node dist/zendesk-wfm.js …`) in a child process. */
export const CLI_PATH = fileURLToPath(
  new URL(
    (
      JSON.parse(readFileSync(new URL('package.json', PACKAGE_ROOT), 'utf8')) as {
        bin: { 'zendesk-wfm': string };
      }
    ).bin['zendesk-wfm'],
    PACKAGE_ROOT,
  ),
);

export const assertBuilt = (): void => {
  if (!existsSync(CLI_PATH))
    throw new Error(`${CLI_PATH} does not exist: run \`npm run build\` first (\`npm test\` does it)`);
};

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Free space a test's run keeps in hand (MiB): small, so a nearly full disk on the machine running
 * the tests does not stop runs that are not about the disk (the full-disk test sets its own).
 */
export const TEST_MIN_FREE_MB = '16';

/**
 * The export pace of a command against a sandbox without rate limits: the client's own budget of
 * Zendesk's 10 export requests a minute need not wait either (a long-lived `serve` spends it within
 * a few runs, and would wait up to a minute for nothing a test asserts).
 */
export const UNPACED_EXPORTS = ['--export-requests-per-minute', '600'] as const;

/** Starts the built command; the environment carries no Zendesk secrets unless given. */
export const spawnCli = (args: readonly string[], env: Record<string, string> = {}) => {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('ZENDESK_')),
  ) as Record<string, string>;
  return spawn(process.execPath, [CLI_PATH, ...args], {
    env: { ...inherited, ZENDESK_WFM_MIN_FREE_MB: TEST_MIN_FREE_MB, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
};

export interface CliEnd extends CliRun {
  /** The signal that ended it, if one did. */
  readonly signal: NodeJS.Signals | null;
}

/** Collects a started command's output until it ends. */
export const finished = (child: ReturnType<typeof spawnCli>): Promise<CliEnd> =>
  new Promise((resolve, reject) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => stdout.push(b));
    child.stderr.on('data', (b: Buffer) => stderr.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({
        code,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      }),
    );
  });

/** Runs the command to its end; the environment carries no Zendesk secrets unless given. */
export const runCli = (args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> =>
  finished(spawnCli(args, env));

/** Resolves once `holds()` is true (checked every few milliseconds: an awaited condition, not a timer). */
export const until = (holds: () => boolean): Promise<void> =>
  new Promise((resolve) => {
    const check = setInterval(() => {
      if (!holds()) return;
      clearInterval(check);
      resolve();
    }, 2);
  });

/** The published history of an integration of a local install, without the queue ids. */
export const publishedHistory = async (name: string, dataDir: readonly string[]): Promise<unknown[]> => {
  const run = await runCli(['history', name, ...dataDir, '--json']);
  if (run.code !== 0) throw new Error(`history failed (${run.code}): ${run.stderr}`);
  return (JSON.parse(run.stdout) as { id: string }[]).map(({ id: _id, ...rest }) => rest);
};

/** What the sandbox says the "Tiny" integration (IVR, 15 minutes, from its window start) must publish. */
export const sandboxTruth = (sandbox: Sandbox) =>
  expectedQueues(sandbox.truth, {
    groupingStrategy: 'ivr',
    intervalMinutes: 15,
    since: sandbox.importWindow.since,
    until: sandbox.now().toISOString(),
  });

/** The sandbox's account on a command line: where, who, grouped by IVR, from its default window start. */
export const sandboxAccountArgs = (sandbox: {
  baseUrl: string;
  credentials: { email: string };
  importWindow: { since: string };
}): string[] => [
  '--base-url',
  sandbox.baseUrl,
  '--username',
  sandbox.credentials.email,
  '--grouping',
  'ivr',
  '--since',
  sandbox.importWindow.since,
];

/** `integration add` of the sandbox's account as "Tiny" (grouped by IVR, from its default window start). */
export const addSandboxIntegration = (
  sandbox: { baseUrl: string; credentials: { email: string }; importWindow: { since: string } },
  dataDir: readonly string[],
  env: Record<string, string>,
): Promise<CliRun> =>
  runCli(['integration', 'add', ...dataDir, '--name', 'Tiny', ...sandboxAccountArgs(sandbox)], env);

/**
 * Lines of a running process's stream, with a way to wait for one that matches: an awaited
 * condition, not a timer. The wait fails as soon as the stream ends without the line (the process
 * is gone, the line will never come); a process that lives on without it is the test's timeout.
 */
export const lines = (stream: NodeJS.ReadableStream) => {
  const seen: string[] = [];
  let buffer = '';
  let ended = false;
  const waiters: {
    test: (line: string) => boolean;
    resolve: (line: string) => void;
    reject: (error: Error) => void;
  }[] = [];
  stream.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const line of parts) {
      seen.push(line);
      for (const w of [...waiters])
        if (w.test(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
    }
  });
  const noLine = () => new Error(`the stream ended without a matching line: ${seen.join(' | ')}`);
  stream.on('end', () => {
    ended = true;
    for (const w of waiters.splice(0)) w.reject(noLine());
  });
  return {
    seen,
    next: (test: (line: string) => boolean, from = seen.length) =>
      new Promise<string>((resolve, reject) => {
        const already = seen.slice(from).find(test);
        if (already !== undefined) return resolve(already);
        if (ended) return reject(noLine());
        waiters.push({ test, resolve, reject });
      }),
  };
};
