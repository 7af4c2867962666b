import { stat } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectedQueues, type Sandbox } from '../../../sandbox/index.js';
import { addSandboxIntegration, assertBuilt, runCli, startCliSandbox, UNPACED_EXPORTS } from './support.js';

/**
 * A persistent local install (--data-dir) driven command by command; every command is a new
 * process, so each one is a restart of DynamoDB Local on the same data.
 */
// Each command starts Java for DynamoDB Local: on a busy 2-core machine a test of a few commands
// takes minutes, and one cut short would leave its command holding the data folder.
describe('a local install with --data-dir', () => {
  let sandbox: Sandbox;
  let dir: string;
  let dataDir: string[];
  let since: string;
  const env = () => ({ ZENDESK_API_TOKEN: sandbox.credentials.apiToken });

  const truth = () =>
    expectedQueues(sandbox.truth, {
      groupingStrategy: 'ivr',
      intervalMinutes: 15,
      since,
      until: sandbox.now().toISOString(),
    });
  const history = async () => {
    const run = await runCli(['history', 'tiny', ...dataDir, '--json']);
    expect(run.code).toBe(0);
    return (JSON.parse(run.stdout) as { id: string }[]).map(({ id: _id, ...rest }) => rest);
  };

  beforeAll(async () => {
    assertBuilt();
    sandbox = await startCliSandbox({ seed: 11, size: 'tiny', rateLimit: false });
    since = sandbox.importWindow.since;
    dir = await mkdtemp(join(tmpdir(), 'zendesk-wfm-install-'));
    dataDir = ['--data-dir', join(dir, 'wfm')];
  });
  afterAll(async () => {
    await sandbox?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('adds an integration after checking its credentials, keeping them in an owner-only file; prints its id, the webhook path and what to do next', async () => {
    const run = await addSandboxIntegration(sandbox, dataDir, env());
    expect(run.code).toBe(0);
    const list = await runCli(['integration', 'list', ...dataDir, '--json']);
    const [{ id }] = JSON.parse(list.stdout) as { id: string }[];
    const folder = join(dir, 'wfm');
    expect(run.stdout).toBe(
      `Added integration "Tiny" (sandbox.zendesk.com), id ${id}, importing from ${new Date(since).toISOString()}.\n` +
        `Webhook URL path for Zendesk: /integrations/${id}/webhook (on the address \`zendesk-wfm serve\` listens on)\n` +
        'Next:\n' +
        `  zendesk-wfm sync --data-dir ${folder}     # import now; or keep it current with \`zendesk-wfm serve --data-dir ${folder}\`\n` +
        `  ZENDESK_WEBHOOK_SIGNING_SECRET=… zendesk-wfm integration update Tiny --data-dir ${folder} --webhook-signing-secret\n` +
        "      # once Zendesk shows the webhook's signing secret (Admin Center › Apps and integrations › Webhooks)\n",
    );
    expect((await stat(join(dir, 'wfm', 'secrets.json'))).mode & 0o777).toBe(0o600);
    expect(run.stderr).not.toContain(sandbox.credentials.apiToken);
  });

  it('syncs to the ground truth, and a restarted sync with new Zendesk activity counts nothing twice', async () => {
    const first = await runCli(['sync', ...dataDir, ...UNPACED_EXPORTS]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^ {2}integration +status +updates +interactions +calls +quarantined\n/);
    expect(first.stdout).toMatch(/\n {2}Tiny +active +\+\d+/);
    // One plain line per integration (the sandbox's clock is an hour behind ours: it may read as behind).
    expect(first.stdout).toMatch(
      /\nTiny: (behind by [^:]+: )?[1-9][\d,]* new contacts, complete up to (\d{4}-\d\d-\d\d )?\d\d:\d\d UTC\n/,
    );
    expect(await history()).toEqual(truth());

    const ticketId = sandbox.createTicket({ channel: 'email' });
    sandbox.addCustomerComment(ticketId, 'email');
    sandbox.advanceClock(120);
    const second = await runCli(['sync', ...dataDir, ...UNPACED_EXPORTS]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/\n {2}Tiny +active +\+2 +\+2 +\+0 +\+0/);
    expect(await history()).toEqual(truth());
  });

  it('shows views with verdicts and a queue history table within --from/--to', async () => {
    const views = await runCli(['views', 'Tiny', ...dataDir]);
    const personal = sandbox.truth.views.filter((v) => v.personal).length;
    const unsupported = sandbox.truth.views.filter((v) => !v.supported && !v.personal).length;
    const supported = sandbox.truth.views.length - unsupported - personal;
    expect(personal).toBe(1);
    expect(views.code).toBe(0);
    expect(views.stdout).toContain(
      `\nViews: ${sandbox.truth.views.length} (${supported} supported, ${unsupported} unsupported, ${personal} personal)\n`,
    );
    expect(views.stdout).toMatch(/ unsupported +none \(unsupported\) +uses via_id \(channel\)\n/);

    const queue = truth().find((q) => q.source === 'talk')!;
    const from = queue.intervals[0]!.start;
    const to = new Date(Date.parse(from) + 86_400_000).toISOString();
    const table = await runCli([
      'history',
      'Tiny',
      ...dataDir,
      '--queue',
      queue.name,
      '--from',
      from,
      '--to',
      to,
    ]);
    expect(table.code).toBe(0);
    const rows = table.stdout.split('\n').filter((l) => /^ {2}\d{4}-/.test(l));
    expect(rows.map((r) => r.trim().split(/ {2,}/).slice(0, 3))).toEqual(
      queue.intervals
        .filter((i) => i.start >= from && i.start < to)
        .map((i) => [i.start, queue.name, String(i.contacts)]),
    );
  });

  it('refuses to change the grouping strategy and changes nothing', async () => {
    const run = await runCli(['integration', 'update', 'Tiny', ...dataDir, '--grouping', 'phone_number']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'zendesk-wfm integration update: error: --grouping cannot be changed once the integration is saved (it is "ivr"): the whole history is grouped into Talk queues by it, so another value needs a new integration (`integration add`); nothing was changed\n',
    );
    const show = await runCli(['integration', 'show', 'Tiny', ...dataDir]);
    expect(show.stdout).toContain('\ngrouping          ivr (fixed)\n');
    // Freshness in every answer: how far the history is complete, and the last run that read everything.
    expect(show.stdout).toMatch(
      /\ncomplete up to {4}\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z\nlast run {10}\d{4}-\d\d-\d\dT[\d:.]+Z \(run [^)]+\)\n/,
    );
    expect(show.stdout).toContain('\nwarning: Zendesk stops accepting API tokens on 2027-04-30');
    expect(show.stdout).not.toContain(sandbox.credentials.apiToken);
  });

  it('changes how many tickets a minute its webhooks may have read at once (README, Near-real-time updates)', async () => {
    expect((await runCli(['integration', 'show', 'Tiny', ...dataDir])).stdout).toContain(
      '\nwebhook reads     20 tickets a minute\n',
    );
    const run = await runCli(['integration', 'update', 'Tiny', ...dataDir, '--webhook-ticket-reads', '5']);
    expect(run.stdout).toBe('"Tiny": webhooks read up to 5 tickets a minute at once.\n');
    expect((await runCli(['integration', 'show', 'Tiny', ...dataDir])).stdout).toContain(
      '\nwebhook reads     5 tickets a minute\n',
    );
  });

  it('pauses, resumes, switches to OAuth and deletes, keeping the history', async () => {
    const pause = await runCli(['integration', 'pause', 'Tiny', ...dataDir]);
    expect(pause.stdout).toBe('Paused "Tiny"; `integration resume` imports what was missed.\n');
    const ticketId = sandbox.createTicket({ channel: 'chat' });
    sandbox.advanceClock(120);
    const paused = await runCli(['sync', ...dataDir, ...UNPACED_EXPORTS]);
    expect(paused.stdout).toMatch(/\n {2}Tiny +paused +\+0 +\+0 +\+0 +\+0\nTiny: paused, complete up to /);

    const resume = await runCli(['integration', 'resume', 'Tiny', ...dataDir]);
    expect(resume.code).toBe(0);
    expect(sandbox.truth.interactions.some((i) => i.ticketId === ticketId)).toBe(true);
    expect(await history()).toEqual(truth());

    const oauth = await runCli(
      [
        'integration',
        'set-credentials',
        'Tiny',
        ...dataDir,
        '--oauth-client-id',
        sandbox.credentials.oauth.clientId,
      ],
      { ZENDESK_OAUTH_CLIENT_SECRET: sandbox.credentials.oauth.clientSecret },
    );
    expect(oauth.code).toBe(0);
    expect(oauth.stdout).toBe(
      'Replaced the credentials of "Tiny" (oauth_client_credentials); status active.\n',
    );

    const deleted = await runCli(['integration', 'delete', 'Tiny', ...dataDir]);
    // On a mismatch the whole run is shown: its stderr says why.
    expect({ code: deleted.code, stdout: deleted.stdout, stderr: deleted.stderr }).toEqual({
      code: 0,
      stdout: 'Deleted "Tiny"; its credentials are removed, its queue history is kept.\n',
      stderr: '',
    });
  });
});
