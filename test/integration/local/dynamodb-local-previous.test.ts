import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startDynamoDbLocal } from '../../../local/dynamodb-local.js';

/**
 * Rule (crash-safe local install): a command killed by SIGKILL leaves its DynamoDB Local closing the
 * database for up to 20 s, and the next command on the folder may take the folder's lock at once.
 * Its DynamoDB Local waits until the previous one of the folder has exited, so two never hold the
 * same files; a pid that another process took since is not waited for.
 */
const PID_FILE = 'dynamodb-local.pid';

/** A process that runs until killed, with or without the reaper's mark among its arguments. */
const idleProcess = (marked: boolean): ChildProcess =>
  spawn(
    process.execPath,
    ['-e', 'setInterval(() => undefined, 1000)', ...(marked ? ['zendesk-wfm-dynamodb-local-reaper'] : [])],
    { stdio: 'ignore' },
  );

const exitOf = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));

describe('DynamoDB Local on a folder whose previous DynamoDB Local is still closing', () => {
  let dir: string;
  let other: ChildProcess | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zendesk-wfm-ddb-previous-'));
  });
  afterEach(async () => {
    other?.kill('SIGKILL');
    if (other) await exitOf(other);
    other = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('waits for the previous reaper to exit before it opens the files, then names its own reaper in the folder until it stops', async () => {
    const previous = idleProcess(true);
    other = previous;
    await writeFile(join(dir, PID_FILE), `${previous.pid}\n`);
    const waitedFor: number[] = [];
    const dynamodb = await startDynamoDbLocal({
      dataDir: dir,
      onWaitingForPrevious: (pid) => {
        waitedFor.push(pid);
        previous.kill('SIGTERM');
      },
    });
    try {
      expect(waitedFor).toEqual([previous.pid]);
      expect({ exitCode: previous.exitCode, signal: previous.signalCode }).toEqual({
        exitCode: null,
        signal: 'SIGTERM',
      });
      expect((await readFile(join(dir, PID_FILE), 'utf8')).trim()).toBe(String(dynamodb.pid));
    } finally {
      await dynamodb.stop();
    }
    expect(existsSync(join(dir, PID_FILE))).toBe(false);
  });

  it('does not wait for a process that took the pid since (no reaper mark) nor for a pid that is gone', async () => {
    const unrelated = idleProcess(false);
    other = unrelated;
    await writeFile(join(dir, PID_FILE), `${unrelated.pid}\n`);
    const waitedFor: number[] = [];
    const first = await startDynamoDbLocal({
      dataDir: dir,
      onWaitingForPrevious: (pid) => waitedFor.push(pid),
    });
    await first.stop();
    const gone = idleProcess(true);
    gone.kill('SIGKILL');
    await exitOf(gone);
    await writeFile(join(dir, PID_FILE), `${gone.pid}\n`);
    const second = await startDynamoDbLocal({
      dataDir: dir,
      onWaitingForPrevious: (pid) => waitedFor.push(pid),
    });
    await second.stop();
    expect(waitedFor).toEqual([]);
    expect(unrelated.exitCode).toBeNull();
  });
});
