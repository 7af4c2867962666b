import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * One command at a time per data folder. DynamoDB Local's files and the queue journal have one
 * writer each; a second process on the same folder would run a second database on the same files
 * and replay the same journal twice.
 *
 * The lock is a file created exclusively (O_EXCL) that names its holder. A holder that died without
 * removing it (SIGKILL, power loss) is recognised by its pid no longer running on this host, and
 * its lock is taken over: the queue journal, not the lock, is what makes that crash harmless.
 */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** What the holder runs, e.g. `zendesk-wfm serve`. */
  readonly command: string;
  readonly since: string;
}

export class DataDirBusyError extends Error {
  override readonly name = 'DataDirBusyError';
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `${dataDir} is in use by \`${holder.command}\` (pid ${holder.pid} on ${holder.host}, since ${holder.since}); ` +
        (holder.command === 'zendesk-wfm serve'
          ? // A running serve takes the other commands through its API: this one is starting or stopping.
            'serve runs the other commands on its folder once it has started: run this again when it prints "Serving", or once it has stopped'
          : 'one command at a time per data folder: wait for it to finish or stop it first'),
    );
  }
}

export const LOCK_FILE = 'lock.json';

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const readHolder = (file: string): LockHolder | undefined => {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string') return undefined;
    return {
      pid: parsed.pid,
      host: parsed.host,
      command: parsed.command ?? 'zendesk-wfm',
      since: parsed.since ?? 'an unknown time',
    };
  } catch {
    return undefined;
  }
};

/** Who holds the data folder's lock now, if a live process on this host (or another host) does. */
export const liveHolder = (dataDir: string): LockHolder | undefined => {
  const holder = readHolder(join(dataDir, LOCK_FILE));
  if (!holder) return undefined;
  return holder.host !== hostname() || isRunning(holder.pid) ? holder : undefined;
};

export interface DataDirLock {
  /** Whether the previous holder died holding the lock (its work is restored from the journal). */
  readonly tookOverFrom?: LockHolder;
  release(): void;
}

export const lockDataDir = (dataDir: string, command: string, now: Date = new Date()): DataDirLock => {
  const file = join(dataDir, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, host: hostname(), command, since: now.toISOString() };
  let tookOverFrom: LockHolder | undefined;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      writeFileSync(file, `${JSON.stringify(me)}\n`, { flag: 'wx', mode: 0o600 });
      let released = false;
      return {
        ...(tookOverFrom ? { tookOverFrom } : {}),
        release: () => {
          if (released) return;
          released = true;
          if (readHolder(file)?.pid === me.pid) rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(file);
    // A lock file cut short by a crash while it was written has no readable holder: stale.
    if (holder && (holder.host !== me.host || isRunning(holder.pid)))
      throw new DataDirBusyError(dataDir, holder);
    tookOverFrom = holder;
    rmSync(file, { force: true });
  }
  throw new Error(`${dataDir}: could not take the data folder's lock (${file})`);
};
