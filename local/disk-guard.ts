import { statfs } from 'node:fs/promises';
import type { QueueJournal } from './queue-journal.js';

/**
 * Stops a local run before its data folder's disk is full. DynamoDB Local does not reliably fail a
 * write the disk cannot hold (it has been seen acknowledging transactions it did not store), so the
 * run must never get that far: below a reserve of free space nothing more is taken from the queues,
 * and the command ends with a plain message. Everything fetched is still in the queue journal, so
 * once space is freed the next run carries on where this one stopped.
 */
export class DiskSpaceError extends Error {
  override readonly name = 'DiskSpaceError';
  constructor(
    readonly dataDir: string,
    readonly freeBytes: number | undefined,
    readonly reserveBytes: number,
  ) {
    super(
      `no space left in ${dataDir}` +
        (freeBytes !== undefined
          ? ` (${mib(freeBytes)} MiB free, at least ${mib(reserveBytes)} MiB needed)`
          : '') +
        ': nothing fetched is lost; free some space and run the command again',
    );
  }
}

const mib = (bytes: number) => Math.floor(bytes / 1048576);

/** Free space a run keeps in hand: DynamoDB Local's files and the journal grow by pages of ~1 MB. */
export const DEFAULT_RESERVE_BYTES = 256 * 1048576;
const CHECK_EVERY_MS = 500;

export const freeBytesOf = async (dir: string): Promise<number> => {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
};

export interface DiskGuardOptions {
  readonly dataDir: string;
  readonly journal?: Pick<QueueJournal, 'failure'>;
  readonly reserveBytes?: number;
  /** The free bytes of the folder's file system (tests inject a full disk). */
  readonly freeBytes?: (dir: string) => Promise<number>;
  readonly nowMs?: () => number;
}

/** A `checkHealth` for the local runner: throws DiskSpaceError when the folder's disk runs low. */
export const diskGuard = (options: DiskGuardOptions): (() => Promise<void>) => {
  const reserve = options.reserveBytes ?? DEFAULT_RESERVE_BYTES;
  const free = options.freeBytes ?? freeBytesOf;
  const nowMs = options.nowMs ?? Date.now;
  let checkedAt = Number.NEGATIVE_INFINITY;
  let low: DiskSpaceError | undefined;
  return async () => {
    const failure = options.journal?.failure;
    if (failure) {
      throw failure.code === 'ENOSPC' ? new DiskSpaceError(options.dataDir, undefined, reserve) : failure;
    }
    if (nowMs() - checkedAt < CHECK_EVERY_MS) {
      if (low) throw low;
      return;
    }
    checkedAt = nowMs();
    const bytes = await free(options.dataDir);
    low = bytes < reserve ? new DiskSpaceError(options.dataDir, bytes, reserve) : undefined;
    if (low) throw low;
  };
};
