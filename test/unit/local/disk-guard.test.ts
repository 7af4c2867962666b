import { describe, expect, it } from '@jest/globals';
import { DiskSpaceError, diskGuard } from '../../../local/disk-guard.js';
import { JournalWriteError } from '../../../local/queue-journal.js';

const MiB = 1048576;

describe('a local run stops before its disk is full', () => {
  it('more than the reserve free: the run goes on', async () => {
    const check = diskGuard({ dataDir: '/data/wfm', freeBytes: () => Promise.resolve(300 * MiB) });
    await expect(check()).resolves.toBeUndefined();
  });

  it('less than the reserve free: a plain message naming the folder, again at every check', async () => {
    const check = diskGuard({ dataDir: '/data/wfm', freeBytes: () => Promise.resolve(10 * MiB) });
    const message =
      'no space left in /data/wfm (10 MiB free, at least 256 MiB needed): nothing fetched is lost; free some space and run the command again';
    await expect(check()).rejects.toThrow(new DiskSpaceError('/data/wfm', 10 * MiB, 256 * MiB));
    await expect(check()).rejects.toThrow(message);
  });

  it('a journal write that failed for lack of space stops the run with the same message', async () => {
    const journal = { failure: new JournalWriteError('/data/wfm/queue-journal.jsonl', 'ENOSPC') };
    const check = diskGuard({
      dataDir: '/data/wfm',
      journal,
      freeBytes: () => Promise.resolve(300 * MiB),
    });
    await expect(check()).rejects.toThrow(/^no space left in \/data\/wfm: nothing fetched is lost/);
  });

  it('asks the file system at most every half second', async () => {
    let asked = 0;
    let now = 0;
    const check = diskGuard({
      dataDir: '/d',
      freeBytes: () => {
        asked += 1;
        return Promise.resolve(1024 * MiB);
      },
      nowMs: () => now,
    });
    await check();
    now = 499;
    await check();
    now = 500;
    await check();
    expect(asked).toBe(2);
  });
});
