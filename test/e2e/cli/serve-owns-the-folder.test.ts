import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ACCOUNT_TIME_ZONE } from '../../../sandbox/catalog.js';
import type { Sandbox } from '../../../sandbox/index.js';
import {
  CLI_PATH,
  finished,
  spawnCli,
  until,
  TEST_MIN_FREE_MB,
  addSandboxIntegration,
  assertBuilt,
  runCli,
  sandboxTruth,
  startCliSandbox,
  type CliRun,
  lines,
  sandboxAccountArgs,
  UNPACED_EXPORTS,
} from './support.js';

const TICKET_EVENTS = '/api/v2/incremental/ticket_events';
const ONE_NEW_CONTACT =
  /^Tiny: (behind by [^:]+: )?1 new contact, complete up to (\d{4}-\d\d-\d\d )?\d\d:\d\d UTC$/;
/**
 * serve's line for a round that counted contacts. A round of serve's worker that ended idle just as
 * a command's run began says "0 new contacts": the contacts come in the next line, never twice.
 */
const countsContacts = (line: string): boolean =>
  line.startsWith('Tiny: ') && !line.includes(': 0 new contacts');

const historyOf = (run: CliRun): unknown[] =>
  (JSON.parse(run.stdout) as { id: string }[]).map(({ id: _id, ...rest }) => rest);

/**
 * Issue 22, one owner per data folder: `serve` holds the folder and runs the other commands on its
 * open install through a local API. A command that starts DynamoDB Local needs Java; run with a
 * PATH on which there is none, a command that answers cannot have started one: that is how these
 * tests see that reads under serve start no stack, without timing anything.
 */
describe('serve owns its data folder: the other commands run through its API', () => {
  let sandbox: Sandbox;
  let dir: string;
  let folder: string;
  let dataDir: string[];
  let serve: ChildProcessWithoutNullStreams;
  let out: ReturnType<typeof lines>;
  let err: ReturnType<typeof lines>;
  /** The environment of a command that cannot start Java. */
  let noJava: Record<string, string>;
  /** How long serve took to start its stack: what a read without serve would spend before answering. */
  const reads = (name: string) => [
    ['views', name, '--json'],
    ['queues', name, '--json'],
    ['coverage', name, '--json'],
    ['integration', 'list', '--json'],
    ['integration', 'show', name],
  ];

  beforeAll(async () => {
    assertBuilt();
    sandbox = await startCliSandbox({ seed: 11, size: 'tiny', rateLimit: false });
    dir = await mkdtemp(join(tmpdir(), 'zendesk-wfm-owner-'));
    folder = join(dir, 'wfm');
    dataDir = ['--data-dir', folder];
    const empty = join(dir, 'no-java');
    await mkdir(empty);
    noJava = { PATH: empty };
    // serve starts on a new folder: the integration is added while it runs.
    serve = spawn(
      process.execPath,
      [CLI_PATH, 'serve', ...dataDir, '--schedule-minutes', '60', ...UNPACED_EXPORTS],
      {
        env: { ...process.env, ZENDESK_WFM_MIN_FREE_MB: TEST_MIN_FREE_MB },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    out = lines(serve.stdout);
    err = lines(serve.stderr);
    // Starting means starting Java for DynamoDB Local: awaited, however long a busy machine takes.
    await out.next((l) => l.startsWith('Other commands on '));
  });
  afterAll(async () => {
    if (serve && serve.exitCode === null) serve.kill('SIGKILL');
    await sandbox?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("serve announces its API; the token is in a file only the folder's owner reads, and never in serve's output", async () => {
    expect(out.seen).toContain(
      `Other commands on ${folder} run here, through the local API on 127.0.0.1:${
        (JSON.parse(await readFile(join(folder, 'serve-api.json'), 'utf8')) as { port: number }).port
      } (its token: serve-api.json in the folder, readable by you only)`,
    );
    expect(statSync(join(folder, 'serve-api.json')).mode & 0o777).toBe(0o600);
    const { token } = JSON.parse(await readFile(join(folder, 'serve-api.json'), 'utf8')) as {
      token: string;
    };
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect([...out.seen, ...err.seen].join('\n')).not.toContain(token);
  });

  it('an integration added while serve runs is added through its API and imported at once: the exact history', async () => {
    const mark = out.seen.length;
    const add = await addSandboxIntegration(sandbox, dataDir, {
      ZENDESK_API_TOKEN: sandbox.credentials.apiToken,
      ...noJava,
    });
    expect(add.stderr).toBe(
      'warning: Zendesk stops accepting API tokens on 2027-04-30: switch this integration to OAuth credentials before then (its history is kept).\n',
    );
    expect(add.code).toBe(0);
    expect(add.stdout).toMatch(
      /^Added integration "Tiny" \(sandbox\.zendesk\.com\), id [0-9a-f-]{36}, importing from /,
    );
    expect(add.stdout).toContain(
      '\nNext:\n  nothing to run: the `zendesk-wfm serve` that holds this folder is importing it now (its lines say how far it is)\n',
    );
    // serve's schedule is an hour: only the add's own run can import it now.
    expect(await out.next((l) => l.startsWith('Tiny: '), mark)).toMatch(
      /^Tiny: (behind by [^:]+: )?[1-9][\d,]* new contacts, complete up to (\d{4}-\d\d-\d\d )?\d\d:\d\d UTC$/,
    );
    const history = await runCli(['history', 'Tiny', ...dataDir, '--json'], noJava);
    expect(history.code).toBe(0);
    expect(historyOf(history)).toEqual(sandboxTruth(sandbox));
  });

  it('a sync during serve runs in serve: its exit code and output as without serve, and no DynamoDB Local of its own', async () => {
    sandbox.createTicket({ channel: 'chat' });
    sandbox.advanceClock(65); // past Zendesk's one-minute export lag
    const mark = out.seen.length;
    const sync = await runCli(['sync', ...dataDir], noJava);
    expect(sync.stderr).not.toContain('error');
    expect(sync.code).toBe(0);
    expect(sync.stdout).toMatch(
      /^ {2}integration +status +updates +interactions +calls +quarantined\n {2}Tiny +active +\+[1-9]\d* +\+1 +\+0 +\+0\nTiny: (behind by [^:]+: )?1 new contact, complete up to (\d{4}-\d\d-\d\d )?\d\d:\d\d UTC\nSynced in \d+ (min \d+ )?s\.\n$/,
    );
    // serve says the round too, though the sync's own drain may have delivered all of it.
    expect(await out.next(countsContacts, mark)).toMatch(ONE_NEW_CONTACT);
    const history = await runCli(['history', 'Tiny', ...dataDir, '--json'], noJava);
    expect(historyOf(history)).toEqual(sandboxTruth(sandbox));
  });

  it('an update during serve that changes the import (here the time zone) is applied by a run at once, not at the next schedule', async () => {
    sandbox.createTicket({ channel: 'chat' });
    sandbox.advanceClock(65); // past Zendesk's one-minute export lag
    const mark = out.seen.length;
    // The account's own zone, chosen explicitly (the ground truth reads dates in the account's zone).
    const update = await runCli(
      ['integration', 'update', 'Tiny', ...dataDir, '--time-zone', ACCOUNT_TIME_ZONE.iana],
      noJava,
    );
    expect(update).toEqual({
      code: 0,
      signal: null,
      stdout: '"Tiny": time zone Pacific/Auckland; serve imports with the change now.\n',
      stderr: '',
    });
    // serve's schedule is an hour: only the update's own run can bring the new ticket in.
    expect(await out.next(countsContacts, mark)).toMatch(ONE_NEW_CONTACT);
    const history = await runCli(['history', 'Tiny', ...dataDir, '--json'], noJava);
    expect(historyOf(history)).toEqual(sandboxTruth(sandbox));
  });

  it("read commands during serve answer from serve's open install, with no Java on their PATH (so no stack of their own); a mistake is said as without serve", async () => {
    // No Java on their PATH: a read that tried to start DynamoDB Local would fail, so each answer
    // shows the command opened no stack (how long that saves is the benchmark's business, not a test's).
    for (const args of reads('Tiny')) {
      const run = await runCli([...args, ...dataDir], noJava);
      expect({ args, code: run.code, stderr: run.stderr }).toEqual({ args, code: 0, stderr: '' });
    }
    const wrong = await runCli(['views', 'Nobody', ...dataDir], noJava);
    expect(wrong).toEqual({
      code: 2,
      signal: null,
      stdout: '',
      stderr:
        'zendesk-wfm views: error: NAME: no integration named "Nobody" in this install (there are "Tiny"; see `zendesk-wfm integration list`)\n',
    });
  });

  it('an import into the folder during serve runs in serve, as README says every command on it does: a second integration imported to the exact history, with no DynamoDB Local of its own', async () => {
    const run = await runCli(
      ['import', ...sandboxAccountArgs(sandbox), '--name', 'Tiny again', ...dataDir, '--json'],
      { ZENDESK_API_TOKEN: sandbox.credentials.apiToken, ...noJava },
    );
    // Progress goes to stderr as without serve; besides it, only the token's warning.
    const said = run.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('progress: '));
    expect({ code: run.code, said }).toEqual({
      code: 0,
      said: [
        'warning: Zendesk stops accepting API tokens on 2027-04-30: switch this integration to OAuth credentials before then (its history is kept).',
      ],
    });
    const doc = JSON.parse(run.stdout) as { integration: { name: string }; queues: { id: string }[] };
    expect(doc.integration.name).toBe('Tiny again');
    expect(historyOf({ ...run, stdout: JSON.stringify(doc.queues) })).toEqual(sandboxTruth(sandbox));
  });

  it('Ctrl-C of serve during a sync it runs: serve stops, the sync is told and exits 1, and the next sync ends with the exact history', async () => {
    for (let i = 0; i < 20; i += 1) {
      sandbox.createTicket({ channel: i % 2 === 0 ? 'email' : 'chat' });
      sandbox.advanceClock(1);
    }
    sandbox.advanceClock(65);
    // Zendesk holds the sync's ticket events answer a while: Ctrl-C comes while that run is in hand.
    sandbox.injectFault({ kind: 'delay', ms: 8000, pathPrefix: TICKET_EVENTS, times: 1 });
    const before = sandbox.requestCount(TICKET_EVENTS);
    const sync = finished(spawnCli(['sync', ...dataDir], noJava));
    await until(() => sandbox.requestCount(TICKET_EVENTS) > before);
    serve.kill('SIGINT');
    const code = await new Promise<number | null>((r) => serve.once('exit', (c) => r(c)));
    expect(code).toBe(0);
    expect(err.seen).toContain('SIGINT: stopping');
    expect(existsSync(join(folder, 'serve-api.json'))).toBe(false);
    expect(existsSync(join(folder, 'lock.json'))).toBe(false);
    const stopped = await sync;
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain(
      'serve stopped before the command finished: what it started stays queued and is carried on by the next `serve` or command on this folder\n',
    );

    // Without serve, a read must start DynamoDB Local: with no Java it cannot (so the reads above,
    // which answered with no Java, went through serve).
    const alone = await runCli(['views', 'Tiny', ...dataDir, '--json'], noJava);
    expect(alone.code).toBe(1);
    expect(alone.stderr).toContain('DynamoDB Local needs Java 17 or newer on the PATH');

    const next = await runCli(['sync', ...dataDir, ...UNPACED_EXPORTS]);
    expect(next.stderr).not.toContain('error');
    expect(next.code).toBe(0);
    const history = await runCli(['history', 'Tiny', ...dataDir, '--json']);
    expect(historyOf(history)).toEqual(sandboxTruth(sandbox));
  });
});
