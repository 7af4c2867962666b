import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startDynamoDbLocal } from '../../../local/dynamodb-local.js';

/**
 * Rule (crash-safe local install): a command killed by SIGKILL leaves its DynamoDB Local closing the
 * database for up to 60 s, and the next command on the folder may take the folder's lock at once.
 * Its DynamoDB Local waits until the previous one of the folder has exited, so two never hold the
 * same files; a pid that another process took since, or one that is gone, is not waited for.
 */
const PID_FILE = 'dynamodb-local.pid';

/** A process that runs until killed, with the reaper's arguments for `dir` or without them. */
const idleProcess = (reaperOf?: string): ChildProcess =>
  spawn(
    process.execPath,
    [
      '-e',
      'setInterval(() => undefined, 1000)',
      ...(reaperOf ? ['zendesk-wfm-dynamodb-local-reaper', '-dbPath', reaperOf] : []),
    ],
    { stdio: 'ignore' },
  );

const recordOf = (pid: number | undefined) => `${JSON.stringify({ pid, host: hostname() })}\n`;
const recordedPid = async (dir: string) =>
  (JSON.parse(await readFile(join(dir, PID_FILE), 'utf8')) as { pid: number }).pid;

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
    const previous = idleProcess(dir);
    other = previous;
    await writeFile(join(dir, PID_FILE), recordOf(previous.pid));
    const waitedFor: number[] = [];
    // While the start waits, the folder still names the previous reaper (a start that did not
    // wait would have named its own by then); only then does the previous one exit.
    let namedWhileWaiting: number | undefined;
    const dynamodb = await startDynamoDbLocal({
      dataDir: dir,
      onWaitingForPrevious: (pid) => {
        waitedFor.push(pid);
        setTimeout(() => {
          void recordedPid(dir).then((named) => {
            namedWhileWaiting = named;
            previous.kill('SIGTERM');
          });
        }, 1_000);
      },
    });
    try {
      expect(waitedFor).toEqual([previous.pid]);
      expect(namedWhileWaiting).toBe(previous.pid);
      expect({ exitCode: previous.exitCode, signal: previous.signalCode }).toEqual({
        exitCode: null,
        signal: 'SIGTERM',
      });
      expect(await recordedPid(dir)).toBe(dynamodb.pid);
    } finally {
      await dynamodb.stop();
    }
    expect(existsSync(join(dir, PID_FILE))).toBe(false);
  });

  it("does not wait for a process that took the pid since (no reaper mark), a pid that is gone, or another host's reaper", async () => {
    const unrelated = idleProcess();
    other = unrelated;
    await writeFile(join(dir, PID_FILE), recordOf(unrelated.pid));
    const waitedFor: number[] = [];
    const first = await startDynamoDbLocal({
      dataDir: dir,
      onWaitingForPrevious: (pid) => waitedFor.push(pid),
    });
    await first.stop();
    const gone = idleProcess(dir);
    gone.kill('SIGKILL');
    await exitOf(gone);
    await writeFile(join(dir, PID_FILE), recordOf(gone.pid));
    const second = await startDynamoDbLocal({
      dataDir: dir,
      onWaitingForPrevious: (pid) => waitedFor.push(pid),
    });
    await second.stop();
    // A reaper of another host (a shared folder) is not a process of this one.
    unrelated.kill('SIGKILL');
    await exitOf(unrelated);
    const elsewhere = idleProcess(dir);
    other = elsewhere;
    await writeFile(
      join(dir, PID_FILE),
      `${JSON.stringify({ pid: elsewhere.pid, host: `not-${hostname()}` })}\n`,
    );
    const third = await startDynamoDbLocal({
      dataDir: dir,
      onWaitingForPrevious: (pid) => waitedFor.push(pid),
    });
    await third.stop();
    expect(waitedFor).toEqual([]);
  });
});
