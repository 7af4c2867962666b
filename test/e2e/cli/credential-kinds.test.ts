import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectedQueues, type Sandbox } from '../../../sandbox/index.js';
import { API_TOKEN_WARNING } from '../../../shared/pipeline/integrations.js';
import {
  assertBuilt,
  runCli,
  sandboxAccountArgs,
  type CliRun,
  UNPACED_EXPORTS,
  startCliSandbox,
} from './support.js';

/**
 * SPEC §2's three credential kinds, each added (checked against the sandbox first) and imported by
 * the built command. An OAuth refresh token rotates on every use: the check itself consumes the
 * one given, so the rotated token must be what the install keeps.
 */
let sandbox: Sandbox;
let dir: string;

beforeAll(async () => {
  assertBuilt();
  sandbox = await startCliSandbox({ seed: 5, size: 'tiny', rateLimit: false });
  dir = await mkdtemp(join(tmpdir(), 'zendesk-wfm-credentials-'));
});
afterAll(async () => {
  await sandbox?.stop();
  await rm(dir, { recursive: true, force: true });
});

const truth = () =>
  expectedQueues(sandbox.truth, {
    groupingStrategy: 'ivr',
    intervalMinutes: 15,
    since: sandbox.importWindow.since,
    until: sandbox.now().toISOString(),
  });
/** The sandbox runs without rate limits; the client's own budget need not wait either. */
const withoutIds = (queues: { id: string }[]) => queues.map(({ id: _id, ...rest }) => rest);

const account = () => sandboxAccountArgs(sandbox);

const expectNoSecret = (run: CliRun, secrets: string[]) => {
  for (const secret of secrets) {
    expect(run.stdout).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
  }
};

type Kind = [kind: string, options: () => string[], env: () => Record<string, string>];
const kinds: Kind[] = [
  ['api_token', () => [], () => ({ ZENDESK_API_TOKEN: sandbox.credentials.apiToken })],
  [
    'oauth_client_credentials',
    () => ['--oauth-client-id', sandbox.credentials.oauth.clientId],
    () => ({ ZENDESK_OAUTH_CLIENT_SECRET: sandbox.credentials.oauth.clientSecret }),
  ],
  [
    'oauth_refresh_token',
    () => ['--oauth-client-id', sandbox.credentials.oauth.clientId],
    () => ({
      ZENDESK_OAUTH_CLIENT_SECRET: sandbox.credentials.oauth.clientSecret,
      ZENDESK_OAUTH_REFRESH_TOKEN: sandbox.issueRefreshToken(),
    }),
  ],
];

describe('every credential kind, by the built command', () => {
  /** One install holds an integration of each kind (named after it); one sync imports them all. */
  const dataDir = () => ['--data-dir', join(dir, 'wfm')];
  const given: Record<string, Record<string, string>> = {};

  it.each(kinds)('%s: integration add checks it against Zendesk and saves it', async (kind, options, env) => {
    given[kind] = env();
    const added = await runCli(
      ['integration', 'add', '--name', kind, ...dataDir(), ...account(), ...options()],
      given[kind],
    );
    expect(added.stderr).toBe(kind === 'api_token' ? `warning: ${API_TOKEN_WARNING}\n` : '');
    expect(added.code).toBe(0);
    expectNoSecret(added, Object.values(given[kind]));

    const secrets = Object.values(
      JSON.parse(await readFile(join(dir, 'wfm', 'secrets.json'), 'utf8')) as Record<
        string,
        { kind: string; refreshToken?: string }
      >,
    );
    const credentials = secrets.at(-1)!;
    expect(credentials.kind).toBe(kind);
    // The check used a given refresh token (now revoked); the install holds the rotated, live one.
    const givenRefresh = given[kind].ZENDESK_OAUTH_REFRESH_TOKEN;
    const stored = credentials.refreshToken;
    expect({
      givenLive: givenRefresh === undefined ? null : sandbox.isRefreshTokenLive(givenRefresh),
      storedIsGiven: stored !== undefined && stored === givenRefresh,
      storedLive: stored === undefined ? null : sandbox.isRefreshTokenLive(stored),
    }).toEqual(
      kind === 'oauth_refresh_token'
        ? { givenLive: false, storedIsGiven: false, storedLive: true }
        : { givenLive: null, storedIsGiven: false, storedLive: null },
    );
  });

  it('sync imports each of them to the ground truth', async () => {
    const synced = await runCli(['sync', ...dataDir(), ...UNPACED_EXPORTS]);
    expect(synced.code).toBe(0);
    for (const [kind] of kinds) {
      expect(synced.stdout).toMatch(new RegExp(`\\n {2}${kind} +active +\\+\\d+`));
      const history = await runCli(['history', kind, ...dataDir(), '--json']);
      expect(history.code).toBe(0);
      expect(withoutIds(JSON.parse(history.stdout) as { id: string }[])).toEqual(truth());
    }
    expectNoSecret(
      synced,
      kinds.flatMap(([kind]) => Object.values(given[kind] ?? {})),
    );
    // Three imports and three DynamoDB Local starts on a busy 2-core machine.
  });

  it('oauth_refresh_token: import checks and imports with a refresh token in one command', async () => {
    const tokens = {
      ZENDESK_OAUTH_CLIENT_SECRET: sandbox.credentials.oauth.clientSecret,
      ZENDESK_OAUTH_REFRESH_TOKEN: sandbox.issueRefreshToken(),
    };
    const run = await runCli(
      [
        'import',
        '--json',
        '--name',
        'Tiny',
        ...account(),
        ...UNPACED_EXPORTS,
        '--oauth-client-id',
        sandbox.credentials.oauth.clientId,
      ],
      tokens,
    );
    expect(run.code).toBe(0);
    expect(withoutIds((JSON.parse(run.stdout) as { queues: { id: string }[] }).queues)).toEqual(truth());
    expect(sandbox.isRefreshTokenLive(tokens.ZENDESK_OAUTH_REFRESH_TOKEN)).toBe(false);
    expectNoSecret(run, Object.values(tokens));
  });
});
