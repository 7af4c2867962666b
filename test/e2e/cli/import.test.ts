import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectedQueues, unmappedChannelCounts, type Sandbox } from '../../../sandbox/index.js';
import { API_TOKEN_WARNING } from '../../../shared/pipeline/integrations.js';
import { assertBuilt, runCli, type CliRun, startCliSandbox } from './support.js';

/**
 * The built command against the sandbox's tiny account. The sandbox's clock is anchored at the
 * current minute, so the command's wall clock and the sandbox agree on "now".
 */
let sandbox: Sandbox;
/** Where the Audits API answers (`/api/v2/tickets/{id}/audits`). */
const AUDITS = '/api/v2/tickets/';
let token: string;
let base: string[];

const truthFor = (since: string, until: string) =>
  expectedQueues(sandbox.truth, { groupingStrategy: 'ivr', intervalMinutes: 15, since, until });

const withoutIds = (queues: { id: string }[]) => queues.map(({ id: _id, ...rest }) => rest);

const expectNoSecret = (run: CliRun) => {
  for (const secret of [token, sandbox.credentials.oauth.clientSecret]) {
    expect(run.stdout).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
  }
};

beforeAll(async () => {
  assertBuilt();
  sandbox = await startCliSandbox({ seed: 7, size: 'tiny', rateLimit: false });
  token = sandbox.credentials.apiToken;
  base = ['--base-url', sandbox.baseUrl, '--username', sandbox.credentials.email, '--grouping', 'ivr'];
});
afterAll(async () => {
  await sandbox?.stop();
});

describe('zendesk-wfm import --json', () => {
  it('prints exactly one JSON document equal to the sandbox ground truth; progress and the token warning go to stderr', async () => {
    const since = sandbox.importWindow.since;
    const auditsBefore = sandbox.requestCount(AUDITS);
    const run = await runCli(['import', ...base, '--since', since, '--json', '--name', 'Tiny'], {
      ZENDESK_API_TOKEN: token,
    });
    expect(run.code).toBe(0);
    // The default week of warm-up reaches back past the tiny account's start: no audits at all,
    // also for the tickets whose creation the export lacks and whose later updates it brought (the
    // state right after the creation is their record rolled back through those updates).
    expect(
      sandbox.creations.filter((c) => !c.inTicketEventExport && c.laterUpdates > 0).length,
    ).toBeGreaterThan(0);
    expect(sandbox.requestCount(AUDITS) - auditsBefore).toBe(0);
    const doc = JSON.parse(run.stdout) as {
      integration: unknown;
      views: { id: number; supported: boolean; reasons: string[] }[];
      unmappedChannels: Record<string, number>;
      queues: { id: string; name: string }[];
    };
    const until = sandbox.now().toISOString();
    expect(doc.integration).toEqual({
      name: 'Tiny',
      domain: 'sandbox.zendesk.com',
      groupingStrategy: 'ivr',
      intervalMinutes: 15,
      // Talk's service-level threshold: the default, as none was given.
      serviceLevelSeconds: 20,
    });
    expect(withoutIds(doc.queues)).toEqual(truthFor(since, until));
    expect(doc.queues.find((q) => q.name === 'Calls Inbound For Senior Agents')?.id).toBe(
      'talk:ivr:Senior Agents',
    );
    expect(doc.unmappedChannels).toEqual(unmappedChannelCounts(sandbox.truth, { since, until }));
    // The document lists views by id; the sandbox keeps them in its catalog's order.
    expect(doc.views.map((v) => [v.id, v.supported])).toEqual(
      [...sandbox.truth.views].sort((a, b) => a.id - b.id).map((v) => [v.id, v.supported]),
    );
    for (const view of doc.views) expect(view.reasons.length > 0).toBe(!view.supported);

    const lines = run.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(`warning: ${API_TOKEN_WARNING}`);
    expect(lines.slice(1).every((l) => l.startsWith('progress: '))).toBe(true);
    expect(lines.some((l) => l.startsWith('progress: ticket events page: '))).toBe(true);
    expectNoSecret(run);
  });

  it('reports whole intervals before --until, with OAuth credentials, through 429s on the token endpoint and the credential check (a wait, never a refusal)', async () => {
    const since = sandbox.importWindow.since;
    sandbox.injectFault({ kind: 'rateLimit', retryAfterSeconds: 1, pathPrefix: '/oauth/tokens', times: 1 });
    sandbox.injectFault({
      kind: 'rateLimit',
      retryAfterSeconds: 1,
      pathPrefix: '/api/v2/users/me',
      times: 1,
    });
    const until = new Date(Date.parse(since) + 86_400_000).toISOString();
    const auditsBefore = sandbox.requestCount(AUDITS);
    const run = await runCli(
      [
        'import',
        '--base-url',
        sandbox.baseUrl,
        '--username',
        sandbox.credentials.email,
        '--grouping',
        'ivr',
        '--oauth-client-id',
        sandbox.credentials.oauth.clientId,
        '--since',
        since,
        '--until',
        until,
        '--warm-up-days',
        '0',
        '--json',
      ],
      { ZENDESK_OAUTH_CLIENT_SECRET: sandbox.credentials.oauth.clientSecret },
    );
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as { queues: { id: string }[]; unmappedChannels: unknown };
    // Without a warm-up, the tickets created before --since are rebuilt from their audits.
    expect(sandbox.requestCount(AUDITS) - auditsBefore).toBeGreaterThan(0);
    expect(withoutIds(doc.queues)).toEqual(truthFor(since, until));
    // The import itself ends at --until: what happened later is not counted anywhere.
    expect(doc.unmappedChannels).toEqual(unmappedChannelCounts(sandbox.truth, { since, until }));
    // No token warning: the only warnings are the two waits, each as Zendesk asked.
    expect(run.stderr.split('\n').filter((l) => l.startsWith('warning:'))).toEqual([
      'warning: Zendesk is rate limiting requests (429): waiting 1 s as it asks (0 s waited so far, at most 300 s)',
      'warning: Zendesk is rate limiting requests (429): waiting 1 s as it asks (1 s waited so far, at most 300 s)',
    ]);
    expectNoSecret(run);
  });
});

const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

describe('errors: one line on stderr naming the problem, a non-zero exit, nothing written, never the token', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zendesk-wfm-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each<[string, () => Promise<string[]>, number, string]>([
    [
      'wrong credentials',
      async () => ['import', ...base, '--token', 'not-the-token-1234'],
      3,
      'zendesk-wfm import: error: wrong credentials: Zendesk refused the credentials: Couldn',
    ],
    [
      'a user who is not an admin',
      async () => [
        'import',
        '--base-url',
        sandbox.baseUrl,
        '--username',
        sandbox.credentials.agent.email,
        '--token',
        sandbox.credentials.agent.apiToken,
        '--grouping',
        'ivr',
      ],
      3,
      'zendesk-wfm import: error: --username must be a Zendesk admin: The Zendesk user',
    ],
    [
      'an unreachable host',
      async () => [
        'import',
        ...base,
        '--base-url',
        `http://127.0.0.1:${await closedPort()}`,
        '--token',
        token,
      ],
      3,
      'zendesk-wfm import: error: unreachable host: http://127.0.0.1:',
    ],
    [
      'a bad domain format',
      async () => ['import', ...base.slice(2), '--domain', 'acme', '--token', token],
      2,
      'zendesk-wfm import: error: --domain must be the full Zendesk host including the subdomain, e.g. example.zendesk.com',
    ],
    [
      'a bad date',
      async () => ['import', ...base, '--token', token, '--since', '05/01/2026'],
      2,
      'zendesk-wfm import: error: --since must be an ISO-8601 date or date-time with a time zone',
    ],
    [
      'an unknown option',
      async () => ['import', ...base, '--token', token, '--sincee', '2026-01-01'],
      2,
      "zendesk-wfm import: error: unknown option '--sincee' (Did you mean --since?)",
    ],
  ])('%s', async (_what, args, exitCode, start) => {
    const dataDir = join(dir, String(Math.random()).slice(2));
    const run = await runCli([...(await args()), '--data-dir', dataDir]);
    expect(run.code).toBe(exitCode);
    expect(run.stdout).toBe('');
    const errorLines = run.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('warning: '));
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]?.startsWith(start)).toBe(true);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(dataDir)).toBe(false);
    expectNoSecret(run);
    expect(run.stderr).not.toContain('not-the-token-1234');
  });
});
