import { linkSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isProcessRunning } from '../shared/process-running.js';

/**
 * One command at a time per data folder. DynamoDB Local's files and the queue journal have one
 * writer each; a second process on the same folder would run a second database on the same files
 * and replay the same journal twice.
 *
 * The lock is a file that names its holder, made whole beside it and linked into place (a link
 * fails when the name exists, as O_EXCL does), so no process ever reads a lock half written and
 * takes it for stale. A holder that died without removing it (SIGKILL, power loss) is recognised
 * by its pid no longer running on this host, and its lock is taken over: moved aside, and removed
 * only when it is the very file found stale (its inode), so two processes taking over one stale
 * lock at once never remove the one the other has just made. The queue journal, not the lock, is
 * what makes that crash harmless.
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

const holderIn = (text: string): LockHolder | undefined => {
  try {
    const parsed = JSON.parse(text) as Partial<LockHolder>;
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

const readHolder = (file: string): LockHolder | undefined => {
  try {
    return holderIn(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
};

/** Who holds the data folder's lock now, if a live process on this host (or another host) does. */
export const liveHolder = (dataDir: string): LockHolder | undefined => {
  const holder = readHolder(join(dataDir, LOCK_FILE));
  if (!holder) return undefined;
  return holder.host !== hostname() || isProcessRunning(holder.pid) ? holder : undefined;
};

export interface DataDirLock {
  /** Whether the previous holder died holding the lock (its work is restored from the journal). */
  readonly tookOverFrom?: LockHolder;
  release(): void;
}

const isCode = (error: unknown, code: string): boolean => (error as NodeJS.ErrnoException).code === code;

/** Makes `file` hold `text`, whole, unless it exists: false then. */
const createWhole = (file: string, text: string): boolean => {
  const beside = `${file}.${process.pid}.new`;
  writeFileSync(beside, text, { mode: 0o600 });
  try {
    linkSync(beside, file);
    return true;
  } catch (error) {
    if (isCode(error, 'EEXIST')) return false;
    throw error;
  } finally {
    rmSync(beside, { force: true });
  }
};

/** What a lock file is: its inode and its text (an inode freed may be the next file's). */
export interface LockFileSeen {
  readonly ino: number;
  readonly text: string;
}

/** The lock file as it is now, undefined when it is gone. */
const seenNow = (file: string): LockFileSeen | undefined => {
  try {
    const { ino } = statSync(file);
    return { ino, text: readFileSync(file, 'utf8') };
  } catch (error) {
    if (isCode(error, 'ENOENT')) return undefined;
    throw error;
  }
};

/**
 * Removes `file` if it is still the lock file `seen` (found stale); a lock another process made
 * there meanwhile is put back. Moved aside first: a rename takes whatever the name holds at once.
 */
export const removeIfStill = (file: string, seen: LockFileSeen): void => {
  const aside = `${file}.${process.pid}.stale`;
  try {
    renameSync(file, aside);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return;
    throw error;
  }
  try {
    const moved = seenNow(aside);
    if (moved === undefined || (moved.ino === seen.ino && moved.text === seen.text)) return;
    try {
      linkSync(aside, file);
    } catch (error) {
      if (!isCode(error, 'EEXIST')) throw error;
    }
  } finally {
    rmSync(aside, { force: true });
  }
};

export const lockDataDir = (dataDir: string, command: string, now: Date = new Date()): DataDirLock => {
  const file = join(dataDir, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, host: hostname(), command, since: now.toISOString() };
  let tookOverFrom: LockHolder | undefined;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    if (createWhole(file, `${JSON.stringify(me)}\n`)) {
      let released = false;
      return {
        ...(tookOverFrom ? { tookOverFrom } : {}),
        release: () => {
          if (released) return;
          released = true;
          const holder = readHolder(file);
          if (holder?.pid === me.pid && holder.host === me.host) rmSync(file, { force: true });
        },
      };
    }
    const seen = seenNow(file);
    if (seen === undefined) continue; // released meanwhile: try again
    const holder = holderIn(seen.text);
    // A lock file cut short by a crash while an older version wrote it has no readable holder: stale.
    if (holder && (holder.host !== me.host || isProcessRunning(holder.pid)))
      throw new DataDirBusyError(dataDir, holder);
    tookOverFrom = holder;
    removeIfStill(file, seen);
  }
  throw new Error(`${dataDir}: could not take the data folder's lock (${file})`);
};
