import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Sandbox } from '../../../sandbox/index.js';
import {
  addSandboxIntegration,
  assertBuilt,
  finished,
  publishedHistory,
  runCli,
  sandboxTruth,
  spawnCli,
  until,
  startCliSandbox,
} from './support.js';

const TICKET_EVENTS = '/api/v2/incremental/ticket_events';
const CALLS = '/api/v2/channels/voice/stats/incremental/calls';

/**
 * Runs the built command and sends it `signal` as soon as `when()` holds (checked as the sandbox
 * answers): a real process death at a chosen point of the import, not an in-process simulation.
 */
const interruptWhen = async (args: readonly string[], when: () => boolean, signal: NodeJS.Signals) => {
  const child = spawnCli(args);
  const end = finished(child);
  let ended = false;
  void end.then(() => (ended = true));
  await until(() => ended || when());
  if (!ended) child.kill(signal);
  return end;
};

describe('a local install loses nothing when a command dies (issue: crash-safe local mode)', () => {
  let sandbox: Sandbox;
  let dir: string;
  let dataDir: string[];
  // Small pages make many steps, so the deaths land between pages, mid-page and mid-pipeline.
  // The sandbox runs without rate limits, so the client's own budget need not wait either.
  const syncArgs = () => [
    'sync',
    ...dataDir,
    '--export-page-size',
    '20',
    '--export-requests-per-minute',
    '600',
  ];

  const history = () => publishedHistory('Tiny', dataDir);
  const truth = () => sandboxTruth(sandbox);

  beforeAll(async () => {
    assertBuilt();
    sandbox = await startCliSandbox({ seed: 23, size: 'tiny', rateLimit: false, talkPageSize: 8 });
    dir = await mkdtemp(join(tmpdir(), 'zendesk-wfm-crash-'));
  });
  // Each test on an install of its own: what one test leaves (a parked page) is not the next one's start.
  let installs = 0;
  beforeEach(async () => {
    installs += 1;
    dataDir = ['--data-dir', join(dir, `wfm-${installs}`)];
    const add = await addSandboxIntegration(sandbox, dataDir, {
      ZENDESK_API_TOKEN: sandbox.credentials.apiToken,
    });
    if (add.code !== 0) throw new Error(`integration add failed: ${add.stderr}`);
  });
  afterAll(async () => {
    await sandbox?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('sync killed (SIGKILL) during the first page, mid-backfill and during calls, then synced: the exact ground truth', async () => {
    // Each point is counted from the start of its own run: the n-th request of that run.
    const points: readonly { path: string; nth: number }[] = [
      { path: TICKET_EVENTS, nth: 1 },
      { path: TICKET_EVENTS, nth: 3 },
      { path: TICKET_EVENTS, nth: 6 },
      { path: CALLS, nth: 1 },
      { path: CALLS, nth: 3 },
    ];
    for (const point of points) {
      const before = sandbox.requestCount(point.path);
      const run = await interruptWhen(
        syncArgs(),
        () => sandbox.requestCount(point.path) >= before + point.nth,
        'SIGKILL',
      );
      expect({ point, signal: run.signal }).toEqual({ point, signal: 'SIGKILL' });
    }
    const last = await runCli(syncArgs());
    expect(last.stderr).not.toContain('error');
    expect(last.code).toBe(0);
    expect(await history()).toEqual(truth());
  }, 600_000);

  it('Ctrl-C (SIGINT) during a sync with new activity, then synced: the exact ground truth', async () => {
    for (let i = 0; i < 40; i += 1) {
      const ticket = sandbox.createTicket({ channel: i % 2 === 0 ? 'email' : 'web' });
      sandbox.addCustomerComment(ticket, 'email');
      // Zendesk never splits a second across export pages: no second may hold more than a page.
      sandbox.advanceClock(1);
    }
    sandbox.advanceClock(120);
    const before = sandbox.requestCount(TICKET_EVENTS);
    const run = await interruptWhen(
      syncArgs(),
      () => sandbox.requestCount(TICKET_EVENTS) >= before + 1,
      'SIGINT',
    );
    expect(run.code === 0).toBe(false);
    const last = await runCli(syncArgs());
    expect(last.stderr).not.toContain('error');
    expect(last.code).toBe(0);
    expect(await history()).toEqual(truth());
  }, 600_000);

  it('two commands at once on one folder: the second is refused with the holder named, and no count changes', async () => {
    for (let i = 0; i < 10; i += 1) {
      sandbox.createTicket({ channel: 'email' });
      sandbox.advanceClock(1);
    }
    sandbox.advanceClock(120);
    const first = runCli(syncArgs());
    // The second starts once the first holds the folder (it has asked Zendesk for something).
    const before = sandbox.requestCount();
    await until(() => sandbox.requestCount() > before);
    const second = await runCli(syncArgs());
    expect(second.code).toBe(4);
    expect(second.stderr).toMatch(
      /is in use by `zendesk-wfm sync` \(pid \d+ on [^,]+, since [^)]+\); one command at a time per data folder/,
    );
    expect((await first).code).toBe(0);
    expect(await history()).toEqual(truth());
  }, 600_000);

  it('a page that stays malformed: sync exits 1 naming the parked work, and after the fault stops, redrive gives the exact history', async () => {
    for (let i = 0; i < 5; i += 1) {
      sandbox.createTicket({ channel: 'email' });
      sandbox.advanceClock(1);
    }
    sandbox.advanceClock(120);
    sandbox.injectFault({ kind: 'malformed', pathPrefix: TICKET_EVENTS, times: 1000 });
    // What a fault that never heals ends in is the point here, not the backoff's minute and more.
    const failed = await runCli(syncArgs(), { ZENDESK_WFM_MAX_RETRY_DELAY_SECONDS: '0' });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      /zendesk-wfm sync: error: "Tiny" is failing: an import step keeps failing \(the import stopped at reading from Zendesk since \S+: a ticket_events page stays malformed: \/api\/v2\/incremental\/ticket_events: .+ \(the ticket_events stream\); its work is kept: fix the cause, then run `zendesk-wfm redrive`\); to fix: `zendesk-wfm redrive Tiny --data-dir \S+` once the cause is fixed\n$/,
    );
    const resume = await runCli(['integration', 'resume', 'Tiny', ...dataDir]);
    expect(resume.code).toBe(1);
    expect(resume.stderr).toMatch(
      /^zendesk-wfm integration resume: error: "Tiny" has parked work: the import stopped at reading from Zendesk since \S+: a ticket_events page stays malformed: .+; its work is kept: fix the cause, then run `zendesk-wfm redrive`\n$/,
    );

    sandbox.clearFaults();
    const redrive = await runCli(['redrive', ...dataDir]);
    expect(redrive.stderr).toContain('Redrove 1 parked message.\n');
    expect(redrive.code).toBe(0);
    expect(await history()).toEqual(truth());
  }, 600_000);
});
