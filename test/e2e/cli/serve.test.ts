import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectedQueues, type Sandbox } from '../../../sandbox/index.js';
import { signWebhook } from '../../../shared/webhook/signature.js';
import {
  CLI_PATH,
  addSandboxIntegration,
  assertBuilt,
  publishedHistory,
  runCli,
  sandboxTruth,
  until,
  startCliSandbox,
  lines,
  UNPACED_EXPORTS,
} from './support.js';

const SECRET = 'cli-serve-signing-secret';

/** The `java` process among the descendants of `pid` (DynamoDB Local, under its reaper). */
const javaUnder = (pid: number): number => {
  const children = (p: number): number[] =>
    readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  const queue = [pid];
  while (queue.length > 0) {
    const p = queue.shift()!;
    if (p !== pid && readFileSync(`/proc/${p}/comm`, 'utf8').trim() === 'java') return p;
    queue.push(...children(p));
  }
  throw new Error(`no java under ${pid}`);
};

/** A raw connection to the server: resolves `answered` on the first response bytes, `closed` when the server closes it. */
const openSocket = async (port: number) => {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const answered = new Promise<void>((resolve) => socket.once('data', () => resolve()));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  return { socket, answered, closed };
};

describe('zendesk-wfm serve', () => {
  let sandbox: Sandbox;
  let dir: string;
  let dataDir: string[];
  let serve: ChildProcessWithoutNullStreams | undefined;
  /**
   * serve on the install, webhooks coalesced for a second, the schedule out of the way. The test
   * moves the sandbox's clock past the export's minute itself (advanceClock), so a webhook's fetch
   * does not wait for that minute in real time.
   */
  const startServe = (extra: readonly string[] = []) =>
    spawn(
      process.execPath,
      [
        CLI_PATH,
        'serve',
        ...dataDir,
        '--coalesce-seconds',
        '1',
        '--export-lag-seconds',
        '0',
        '--schedule-minutes',
        '60',
        ...UNPACED_EXPORTS,
        ...extra,
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );

  beforeAll(async () => {
    assertBuilt();
    sandbox = await startCliSandbox({ seed: 5, size: 'tiny', rateLimit: false });
    dir = await mkdtemp(join(tmpdir(), 'zendesk-wfm-serve-'));
    dataDir = ['--data-dir', join(dir, 'wfm')];
  });
  afterAll(async () => {
    if (serve && serve.exitCode === null) serve.kill('SIGKILL');
    await sandbox?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('takes signed webhooks, refuses unsigned ones, and a ticket created in Zendesk reaches the history', async () => {
    const add = await addSandboxIntegration(sandbox, dataDir, {
      ZENDESK_API_TOKEN: sandbox.credentials.apiToken,
      ZENDESK_WEBHOOK_SIGNING_SECRET: SECRET,
    });
    expect(add.code).toBe(0);
    expect(add.stdout + add.stderr).not.toContain(SECRET);

    serve = startServe();
    const out = lines(serve.stdout);
    const err = lines(serve.stderr);
    // Starting means starting Java for DynamoDB Local: awaited, however long a busy machine takes.
    const hookLine = await out.next((l) => l.includes('/webhook'));
    const url = /(http:\/\/127\.0\.0\.1:\d+\/integrations\/[^/\s]+\/webhook)/.exec(hookLine)?.[1] as string;
    expect(hookLine).toContain('Tiny (active)');
    // The start-up sync imports the account; wait until it is done.
    // One plain line per integration per round of work (README "Using the command").
    const first = await out.next((l) => l.startsWith('Tiny: '));
    // The sandbox's clock is an hour behind ours (support.ts), so its history may read as behind.
    expect(first).toMatch(
      /^Tiny: (behind by [^:]+: )?[1-9][\d,]* new contacts, complete up to (\d{4}-\d\d-\d\d )?\d\d:\d\d UTC$/,
    );

    const unsigned = await fetch(url, {
      method: 'POST',
      body: '{"a":1}',
      headers: { 'content-type': 'application/json' },
    });
    expect(unsigned.status).toBe(401);
    const ts = new Date().toISOString();
    const forged = await fetch(url, {
      method: 'POST',
      body: '{"a":1}',
      headers: {
        'x-zendesk-webhook-signature': signWebhook('not-the-secret', ts, '{"a":1}'),
        'x-zendesk-webhook-signature-timestamp': ts,
      },
    });
    expect(forged.status).toBe(401);

    const mark = out.seen.length;
    sandbox.configureWebhook({ url, signingSecret: SECRET });
    sandbox.createTicket({ channel: 'chat' });
    sandbox.advanceClock(65); // past Zendesk's one-minute export lag
    expect(await sandbox.webhooksSettled()).toEqual({ delivered: 1, failed: 0 });
    expect(await out.next((l) => l.startsWith('Tiny: '), mark)).toMatch(
      /^Tiny: (behind by [^:]+: )?1 new contact, complete up to (\d{4}-\d\d-\d\d )?\d\d:\d\d UTC$/,
    );

    // A body over the limit is refused before anything is read, signed or not.
    const oversizedAt = new Date().toISOString();
    const oversized = `{"a":"${'x'.repeat(300_000)}"}`;
    const tooLarge = await fetch(url, {
      method: 'POST',
      body: oversized,
      headers: {
        'x-zendesk-webhook-signature': signWebhook(SECRET, oversizedAt, oversized),
        'x-zendesk-webhook-signature-timestamp': oversizedAt,
      },
    });
    expect(tooLarge.status).toBe(413);

    // Stopping waits on no client: an idle keep-alive connection and a half-sent request are both
    // closed by the server, and the process exits.
    const { port } = new URL(url);
    const idle = await openSocket(Number(port));
    idle.socket.write(
      `POST ${new URL(url).pathname} HTTP/1.1\r\nHost: x\r\nContent-Length: 7\r\n\r\n{"a":1}`,
    );
    await idle.answered;
    const halfOpen = await openSocket(Number(port));
    halfOpen.socket.write(
      `POST ${new URL(url).pathname} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{`,
    );

    serve.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => serve?.once('exit', (c) => r(c)));
    expect(code).toBe(0);
    await Promise.all([idle.closed, halfOpen.closed]);
    expect(err.seen.join('\n')).toContain('SIGTERM: stopping');

    // Refusals are reported as counts by reason (one line a minute and one at the stop), never one line each.
    expect(err.seen.filter((l) => l.includes('webhook refused'))).toEqual([]);
    const refused: Record<string, number> = {};
    for (const line of err.seen.filter((l) => l.startsWith('warning: refused webhooks '))) {
      for (const [, reason, n] of line.matchAll(/([a-z_]+) (\d+)[,)]/g))
        refused[reason!] = (refused[reason!] ?? 0) + Number(n);
    }
    expect(refused).toEqual({ missing_signature: 2, bad_signature: 1, body_too_large: 1 });

    const history = await runCli(['history', 'Tiny', ...dataDir, '--json']);
    expect(history.code).toBe(0);
    const published = (JSON.parse(history.stdout) as { id: string }[]).map(({ id: _id, ...rest }) => rest);
    expect(published).toEqual(
      expectedQueues(sandbox.truth, {
        groupingStrategy: 'ivr',
        intervalMinutes: 15,
        since: sandbox.importWindow.since,
        until: sandbox.now().toISOString(),
      }),
    );
  });

  it('serve killed (SIGKILL) while webhooks arrive, then synced: the exact ground truth (issue: crash-safe local mode)', async () => {
    serve = startServe(['--export-page-size', '20']);
    const out = lines(serve.stdout);
    const hookLine = await out.next((l) => l.includes('/webhook'));
    const url = /(http:\/\/127\.0\.0\.1:\d+\/integrations\/[^/\s]+\/webhook)/.exec(hookLine)?.[1] as string;
    sandbox.configureWebhook({ url, signingSecret: SECRET });
    const before = sandbox.requestCount('/api/v2/incremental/ticket_events');
    for (let i = 0; i < 30; i += 1) {
      const ticket = sandbox.createTicket({ channel: i % 3 === 0 ? 'chat' : 'email' });
      sandbox.addCustomerComment(ticket, 'email');
      // Zendesk never splits a second across export pages: no second may hold more than a page.
      sandbox.advanceClock(1);
    }
    sandbox.advanceClock(65); // past Zendesk's one-minute export lag
    // Dies in the middle of importing what the webhooks announced: pages fetched, not all counted.
    await until(() => sandbox.requestCount('/api/v2/incremental/ticket_events') >= before + 2);
    serve.kill('SIGKILL');
    await new Promise((r) => serve?.once('exit', r));
    await sandbox.webhooksSettled();
    // More activity while nothing listens: its webhooks fail, the next sync reads it all the same.
    sandbox.configureWebhook(null);
    for (let i = 0; i < 10; i += 1) {
      sandbox.createTicket({ channel: 'web' });
      sandbox.advanceClock(1);
    }
    sandbox.advanceClock(65);

    const sync = await runCli(['sync', ...dataDir, ...UNPACED_EXPORTS]);
    expect(sync.code).toBe(0);
    expect(await publishedHistory('Tiny', dataDir)).toEqual(sandboxTruth(sandbox));
  });

  it('DynamoDB Local killed alone under serve: serve stops at once saying so (exit 1), and after it nothing is lost (issue: crash-safe local mode)', async () => {
    serve = startServe();
    const out = lines(serve.stdout);
    await out.next((l) => l.includes('/webhook'));
    const stderr: Buffer[] = [];
    serve.stderr.on('data', (b: Buffer) => stderr.push(b));
    const ended = new Promise<{ code: number | null; stderr: string }>((resolve) =>
      serve?.once('close', (code) => resolve({ code, stderr: Buffer.concat(stderr).toString('utf8') })),
    );
    process.kill(javaUnder(serve.pid as number), 'SIGKILL');
    const end = await ended;
    expect(end.code).toBe(1);
    expect(end.stderr).toContain(
      'error: DynamoDB Local (Java) ended on its own (signal SIGKILL; the out-of-memory killer or a kill, most likely): nothing fetched is lost; run the command again',
    );
    for (let i = 0; i < 5; i += 1) {
      sandbox.createTicket({ channel: 'email' });
      sandbox.advanceClock(1);
    }
    sandbox.advanceClock(65);
    const sync = await runCli(['sync', ...dataDir, ...UNPACED_EXPORTS]);
    expect(sync.code).toBe(0);
    expect(await publishedHistory('Tiny', dataDir)).toEqual(sandboxTruth(sandbox));
  });
});
