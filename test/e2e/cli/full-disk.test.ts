import { spawnSync } from 'node:child_process';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Sandbox } from '../../../sandbox/index.js';
import { freeBytesOf } from '../../../local/disk-guard.js';
import {
  addSandboxIntegration,
  assertBuilt,
  publishedHistory,
  runCli,
  sandboxTruth,
  until,
  startCliSandbox,
} from './support.js';

const MiB = 1048576;

/** Fills a file system to `leaveBytes` free with a file of zeros (written, so tmpfs really holds it). */
const fill = async (dir: string, leaveBytes: number): Promise<string> => {
  const file = join(dir, 'filler');
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(4 * MiB);
  try {
    for (let free = await freeBytesOf(dir); free - leaveBytes > 0; free = await freeBytesOf(dir))
      writeSync(fd, chunk, 0, Math.min(chunk.length, free - leaveBytes));
  } finally {
    closeSync(fd);
  }
  return file;
};

/**
 * The data folder on a size-limited file system of its own (a tmpfs, mounted for the test: this
 * needs root, as CI and the development machines have), filled while a sync runs.
 */
describe('a full disk (issue: a local install loses nothing)', () => {
  let sandbox: Sandbox;
  let dir: string;
  let dataDir: string[];

  beforeAll(async () => {
    assertBuilt();
    sandbox = await startCliSandbox({ seed: 29, size: 'tiny', rateLimit: false, talkPageSize: 8 });
    dir = await mkdtemp(join(tmpdir(), 'zendesk-wfm-disk-'));
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=384m,mode=0700', 'tmpfs', dir], {
      encoding: 'utf8',
    });
    if (mount.status !== 0) throw new Error(`cannot mount a tmpfs for the test: ${mount.stderr}`);
    dataDir = ['--data-dir', join(dir, 'wfm')];
    const add = await addSandboxIntegration(sandbox, dataDir, {
      ZENDESK_API_TOKEN: sandbox.credentials.apiToken,
    });
    if (add.code !== 0) throw new Error(`integration add failed: ${add.stderr}`);
  });
  afterAll(async () => {
    await sandbox?.stop();
    spawnSync('umount', [dir]);
    await rm(dir, { recursive: true, force: true });
  });

  it('stops with a plain message naming the folder, and once space is freed the next sync gives the exact history', async () => {
    // The default reserve (an empty ZENDESK_WFM_MIN_FREE_MB), not the tests' small one.
    const defaultReserve = { ZENDESK_WFM_MIN_FREE_MB: '' };
    const sync = runCli(
      ['sync', ...dataDir, '--export-page-size', '20', '--export-requests-per-minute', '600'],
      defaultReserve,
    );
    const before = sandbox.requestCount('/api/v2/incremental/ticket_events');
    await until(() => sandbox.requestCount('/api/v2/incremental/ticket_events') >= before + 2);
    const filler = await fill(dir, 64 * MiB);
    const full = await sync;
    expect(full.code).toBe(1);
    expect(full.stderr).toMatch(
      new RegExp(
        `zendesk-wfm sync: error: no space left in ${join(dir, 'wfm').replace(/[/\\-]/g, '\\$&')} \\(\\d+ MiB free, at least 256 MiB needed\\): nothing fetched is lost; free some space and run the command again\\n$`,
      ),
    );

    rmSync(filler);
    const again = await runCli(
      ['sync', ...dataDir, '--export-page-size', '20', '--export-requests-per-minute', '600'],
      defaultReserve,
    );
    expect(again.code).toBe(0);
    expect(await publishedHistory('Tiny', dataDir)).toEqual(sandboxTruth(sandbox));
  }, 600_000);
});
