import { spawnSync } from 'node:child_process';
import {
  existsSync,
  linkSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  DataDirBusyError,
  LOCK_FILE,
  liveHolder,
  lockDataDir,
  removeIfStill,
} from '../../../local/data-dir-lock.js';

describe('one command at a time per data folder', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a second command is refused with the holder named', () => {
    const lock = lockDataDir(dir, 'zendesk-wfm serve', new Date('2026-12-01T10:00:00Z'));
    expect(() => lockDataDir(dir, 'zendesk-wfm sync')).toThrow(
      new DataDirBusyError(dir, {
        pid: process.pid,
        host: hostname(),
        command: 'zendesk-wfm serve',
        since: '2026-12-01T10:00:00.000Z',
      }),
    );
    lock.release();
    const next = lockDataDir(dir, 'zendesk-wfm sync');
    next.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('a command refused by a serve that is starting or stopping is told when to run again (serve runs it otherwise)', () => {
    const lock = lockDataDir(dir, 'zendesk-wfm serve', new Date('2026-12-01T10:00:00Z'));
    expect(() => lockDataDir(dir, 'zendesk-wfm views')).toThrow(
      `${dir} is in use by \`zendesk-wfm serve\` (pid ${process.pid} on ${hostname()}, since 2026-12-01T10:00:00.000Z); serve runs the other commands on its folder once it has started: run this again when it prints "Serving", or once it has stopped`,
    );
    lock.release();
  });

  it('liveHolder names the live holder, and nobody for a free folder or a dead holder', () => {
    expect(liveHolder(dir)).toBeUndefined();
    const lock = lockDataDir(dir, 'zendesk-wfm serve', new Date('2026-12-01T10:00:00Z'));
    expect(liveHolder(dir)).toEqual({
      pid: process.pid,
      host: hostname(),
      command: 'zendesk-wfm serve',
      since: '2026-12-01T10:00:00.000Z',
    });
    lock.release();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    writeFileSync(
      join(dir, LOCK_FILE),
      JSON.stringify({
        pid: Number(dead.stdout),
        host: hostname(),
        command: 'zendesk-wfm serve',
        since: 'x',
      }),
    );
    expect(liveHolder(dir)).toBeUndefined();
  });

  it('the lock of a holder that died is taken over, and says whose it was', () => {
    // A pid that ran and is gone: a child that has exited.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const holder = { pid: Number(dead.stdout), host: hostname(), command: 'zendesk-wfm sync', since: 'x' };
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify(holder));
    const lock = lockDataDir(dir, 'zendesk-wfm sync');
    expect(lock.tookOverFrom).toEqual(holder);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it('a stale lock another process replaced with its own between being found stale and being removed: its lock stays (two takeovers at once never both hold)', () => {
    const file = join(dir, LOCK_FILE);
    writeFileSync(
      file,
      JSON.stringify({ pid: 1, host: hostname(), command: 'zendesk-wfm sync', since: 'x' }),
    );
    // The file found stale (its inode may be the next file's once freed: the text tells them apart).
    const stale = { ino: statSync(file).ino, text: readFileSync(file, 'utf8') };
    // The other process took the stale lock over first: its own lock is another file.
    rmSync(file);
    const other = { pid: 2, host: hostname(), command: 'zendesk-wfm serve', since: 'y' };
    writeFileSync(join(dir, 'made-beside'), JSON.stringify(other));
    linkSync(join(dir, 'made-beside'), file);
    rmSync(join(dir, 'made-beside'));
    removeIfStill(file, stale);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(other);
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
  });

  it('a stale lock still in place is removed, and nothing is left beside it', () => {
    const file = join(dir, LOCK_FILE);
    writeFileSync(file, '{"pid":12');
    removeIfStill(file, { ino: statSync(file).ino, text: readFileSync(file, 'utf8') });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a lock is written whole before it is in place: nothing is left beside it', () => {
    const lock = lockDataDir(dir, 'zendesk-wfm sync');
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({
      pid: process.pid,
      host: hostname(),
      command: 'zendesk-wfm sync',
    });
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a lock file cut short by a crash is stale', () => {
    writeFileSync(join(dir, LOCK_FILE), '{"pid":12');
    const lock = lockDataDir(dir, 'zendesk-wfm sync');
    expect(lock.tookOverFrom).toBeUndefined();
    lock.release();
  });
});
