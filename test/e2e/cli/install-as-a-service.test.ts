import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectedQueues, unmappedChannelCounts, type Sandbox } from '../../../sandbox/index.js';
import { ACCOUNT_TIME_ZONE } from '../../../sandbox/catalog.js';
import {
  addSandboxIntegration,
  assertBuilt,
  runCli,
  startCliSandbox,
  type CliRun,
  UNPACED_EXPORTS,
} from './support.js';

/**
 * Issue 22: a persistent install set up without circles (the id and webhook path printed by `add`,
 * the signing secret and other settings changed later, the fixed ones refused with the reason),
 * showing what the one-shot import shows (queues, coverage, freshness), and failing loudly: one
 * plain line per integration, the command that fixes it, and the README's exit codes.
 */
describe('a persistent install run as a service', () => {
  let sandbox: Sandbox;
  let dir: string;
  let folder: string;
  let dataDir: string[];
  let id: string;
  let sandboxStopped = false;
  /** What set-up printed, step by step: the first test reads it, the others only need the install. */
  let setUp: {
    add: CliRun;
    rename: CliRun;
    secret: CliRun;
    zone: CliRun;
  };
  const SIGNING_SECRET = 'issue-22-signing-secret';

  beforeAll(async () => {
    assertBuilt();
    sandbox = await startCliSandbox({ seed: 7, size: 'tiny', rateLimit: false });
    dir = await mkdtemp(join(tmpdir(), 'zendesk-wfm-service-'));
    folder = join(dir, 'wfm');
    dataDir = ['--data-dir', folder];
    // Every test works on this one integration, set up here so that none depends on another's run.
    const add = await addSandboxIntegration(sandbox, dataDir, {
      ZENDESK_API_TOKEN: sandbox.credentials.apiToken,
    });
    id = /, id ([0-9a-f-]{36}),/.exec(add.stdout)?.[1] ?? 'no id printed';
    const rename = await runCli(['integration', 'update', 'Tiny', ...dataDir, '--name', 'Tiny EU']);
    const secret = await runCli(
      ['integration', 'update', 'tiny eu', ...dataDir, '--webhook-signing-secret'],
      { ZENDESK_WEBHOOK_SIGNING_SECRET: SIGNING_SECRET },
    );
    // The account's own zone, chosen explicitly: the ground truth evaluates date conditions in the
    // account's zone, so another choice would (rightly) count other tickets in date-based views.
    const zone = await runCli([
      'integration',
      'update',
      'Tiny EU',
      ...dataDir,
      '--time-zone',
      ACCOUNT_TIME_ZONE.iana,
    ]);
    setUp = { add, rename, secret, zone };
  }, 600_000);
  afterAll(async () => {
    if (!sandboxStopped) await sandbox?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('add prints the id and the webhook path; update renames, adds the signing secret later and sets the time zone', async () => {
    const { add, rename, secret, zone } = setUp;
    expect(add.code).toBe(0);
    expect(add.stdout.split('\n')[1]).toBe(
      `Webhook URL path for Zendesk: /integrations/${id}/webhook (on the address \`zendesk-wfm serve\` listens on)`,
    );

    expect(rename).toEqual({
      code: 0,
      signal: null,
      stdout: '"Tiny EU": renamed from "Tiny".\n',
      stderr: '',
    });

    expect(secret).toEqual({
      code: 0,
      signal: null,
      stdout: '"Tiny EU": webhook signing secret stored: signed webhooks from Zendesk are accepted.\n',
      stderr: '',
    });
    const stored = JSON.parse(await readFile(join(folder, 'webhook-secrets.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(Object.keys(stored)).toEqual([id]);

    expect(zone.stdout).toBe('"Tiny EU": time zone Pacific/Auckland.\n');
    const listed = await runCli(['integration', 'list', ...dataDir, '--json']);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({
        id,
        name: 'Tiny EU',
        timeZone: 'Pacific/Auckland',
        timeZoneChosen: true,
        status: 'active',
      }),
    ]);
  }, 600_000);

  it.each([
    [
      '--grouping',
      'phone_number',
      '--grouping cannot be changed once the integration is saved (it is "ivr"): the whole history is grouped into Talk queues by it, so another value needs a new integration (`integration add`); nothing was changed',
    ],
    [
      '--interval',
      '30',
      '--interval cannot be changed once the integration is saved (it is 15): the whole history is cut into intervals by it, so another value needs a new integration (`integration add`); nothing was changed',
    ],
  ])(
    'update refuses %s with the reason and changes nothing, the name given with it included',
    async (option, value, message) => {
      const run = await runCli([
        'integration',
        'update',
        'Tiny EU',
        ...dataDir,
        option,
        value,
        '--name',
        'Other',
      ]);
      expect(run).toEqual({
        code: 2,
        signal: null,
        stdout: '',
        stderr: `zendesk-wfm integration update: error: ${message}\n`,
      });
      const listed = await runCli(['integration', 'list', ...dataDir, '--json']);
      expect((JSON.parse(listed.stdout) as { name: string }[]).map((i) => i.name)).toEqual(['Tiny EU']);
    },
    300_000,
  );

  it('after a sync, queues and coverage show what the one-shot import shows, with exact values', async () => {
    const sync = await runCli(['sync', ...dataDir, ...UNPACED_EXPORTS]);
    expect(sync.code).toBe(0);
    expect(sync.stdout).toMatch(
      /\nTiny EU: (behind by [^:]+: )?[1-9][\d,]* new contacts, complete up to (\d{4}-\d\d-\d\d )?\d\d:\d\d UTC\n/,
    );
    const since = sandbox.importWindow.since;
    const until = sandbox.now().toISOString();
    const truth = expectedQueues(sandbox.truth, {
      groupingStrategy: 'ivr',
      intervalMinutes: 15,
      since,
      until,
    });

    const queues = await runCli(['queues', 'Tiny EU', ...dataDir, '--json']);
    expect(queues.code).toBe(0);
    const doc = JSON.parse(queues.stdout) as { queues: { id: string }[]; from: string; completeUpTo: string };
    expect(doc.from).toBe(new Date(since).toISOString());
    expect(Date.parse(doc.completeUpTo)).toBeGreaterThan(Date.parse(since));
    expect(doc.queues.map(({ id: _id, ...rest }) => rest)).toEqual(
      truth.map((q) => {
        const sum = (f: (i: (typeof q.intervals)[number]) => number) =>
          q.intervals.reduce((n, i) => n + f(i), 0);
        const handled = sum((i) => i.handled ?? 0);
        const handleTimeSeconds = sum((i) => i.handleTimeSeconds ?? 0);
        return {
          name: q.name,
          source: q.source,
          channel: q.channel,
          ...(q.viewId !== undefined ? { viewId: q.viewId } : {}),
          contacts: sum((i) => i.contacts),
          ...(q.source === 'talk'
            ? {
                handled,
                handleTimeSeconds,
                ...(handled > 0 ? { ahtSeconds: handleTimeSeconds / handled } : {}),
              }
            : {}),
        };
      }),
    );
    const text = await runCli(['queues', 'Tiny EU', ...dataDir]);
    const total = truth.reduce((n, q) => n + q.intervals.reduce((m, i) => m + i.contacts, 0), 0);
    expect(text.stdout).toContain(
      `\nSource queues: ${truth.length} (${total.toLocaleString('en-US')} contacts; a contact counts in every view it is in)\n  queue `,
    );

    const coverage = await runCli(['coverage', 'Tiny EU', ...dataDir, '--json']);
    expect(coverage.code).toBe(0);
    const counted = sandbox.truth.interactions.filter((i) => i.at >= since && i.wfmChannel !== null).length;
    expect(JSON.parse(coverage.stdout)).toEqual(
      expect.objectContaining({
        integration: 'Tiny EU',
        completeUpTo: doc.completeUpTo,
        interactionsCounted: counted,
        unmappedChannels: unmappedChannelCounts(sandbox.truth, { since, until }),
        quarantined: 0,
        quarantinedByStream: {},
      }),
    );
    const coverageText = await runCli(['coverage', 'Tiny EU', ...dataDir]);
    expect(coverageText.stdout).toContain(`\nComplete up to: ${doc.completeUpTo}\n`);
    expect(coverageText.stdout).toContain(`interactions counted`);
    expect(coverageText.stdout).toContain('\nQuarantined: none\n');
    // Six commands, each starting DynamoDB Local: minutes on a busy 2-core machine.
  }, 900_000);

  it('credentials Zendesk refuses: failing, exit 3, the command that fixes it named; fixing it makes it active', async () => {
    sandbox.injectFault({
      kind: 'status',
      status: 401,
      body: '{"error":"Couldn\'t authenticate you"}',
      times: 100_000,
    });
    const sync = await runCli(['sync', ...dataDir, ...UNPACED_EXPORTS]);
    expect(sync.code).toBe(3);
    const fix = `\`zendesk-wfm integration set-credentials "Tiny EU" --data-dir ${folder} …\``;
    expect(sync.stdout).toMatch(
      new RegExp(
        `\\nTiny EU: failing since (\\d{4}-\\d\\d-\\d\\d )?\\d\\d:\\d\\d UTC: Zendesk refuses the credentials \\(Zendesk refused the credentials \\(401\\) on /api/v2/[^)]+\\); to fix: ${escape(fix)}\\n`,
      ),
    );
    expect(sync.stderr).toMatch(
      new RegExp(
        `zendesk-wfm sync: error: "Tiny EU" is failing: Zendesk refuses the credentials \\(.+\\); to fix: ${escape(fix)}\\n$`,
      ),
    );
    expect(sync.stdout + sync.stderr).not.toContain(sandbox.credentials.apiToken);

    sandbox.clearFaults();
    const fixed = await runCli(['integration', 'set-credentials', 'Tiny EU', ...dataDir], {
      ZENDESK_API_TOKEN: sandbox.credentials.apiToken,
    });
    expect(fixed.stdout).toBe('Replaced the credentials of "Tiny EU" (api_token); status active.\n');
  }, 600_000);

  it('Zendesk unreachable: failing, exit 1, the plain line with the command that carries on', async () => {
    await sandbox.stop();
    sandboxStopped = true;
    // What a failure that never heals ends in is the point here, not the backoff's minute and more.
    const sync = await runCli(['sync', ...dataDir, ...UNPACED_EXPORTS], {
      ZENDESK_WFM_MAX_RETRY_DELAY_SECONDS: '0',
    });
    expect(sync.code).toBe(1);
    const fix = `\`zendesk-wfm redrive "Tiny EU" --data-dir ${folder}\` once the cause is fixed`;
    expect(sync.stdout).toMatch(
      new RegExp(
        `\\nTiny EU: failing since (\\d{4}-\\d\\d-\\d\\d )?\\d\\d:\\d\\d UTC: Zendesk unreachable \\(the import stopped at reading from Zendesk since \\S+: Zendesk /api/v2/\\S+ still failing after \\d+ attempts: ECONNREFUSED \\(the users stream\\); its work is kept: fix the cause, then run \`zendesk-wfm redrive\`\\); to fix: ${escape(fix)}\\n`,
      ),
    );
    expect(sync.stdout + sync.stderr).not.toMatch(/dead-letter|message deliveries/);
    const listed = await runCli(['integration', 'list', ...dataDir, '--json']);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({
        status: 'failing',
        failure: { kind: 'zendesk_unreachable', since: expect.any(String) },
      }),
    ]);
  }, 600_000);
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
