import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { openLocalInstall } from '../../../cli/local-install.js';
import { run } from '../../../cli/program.js';
import {
  startFakeZendesk,
  type FakeRequest,
  type FakeReply,
  type FakeZendesk,
} from '../../unit/zendesk/fake-zendesk.js';

/**
 * A hostile Zendesk whose error bodies echo every credential kind back (the API token, the OAuth
 * client secret, access and refresh tokens, a webhook signing secret): whole, split across the
 * 300-character cut of an error message, and base64-encoded in basic-auth headers. The command is
 * run in-process against it; no part of any secret may reach stderr, stdout (`--json` included),
 * anything printed by the pipeline, or any DynamoDB item.
 */
const EMAIL = 'admin@acme.test';
const CLIENT_ID = 'zendesk_wfm';
const hex = (n: number) => randomBytes(n).toString('hex');
const API_TOKEN = `${hex(20)}Ab`;
const WRONG_TOKEN = `${hex(20)}Zz`;
const CLIENT_SECRET = `cs_${hex(24)}`;
const REFRESH_TOKEN = `rt_${hex(24)}`;
const WRONG_REFRESH_TOKEN = `rt_${hex(24)}`;
/** Like Zendesk's signing secrets: base64 of 32 random bytes. */
const SIGNING_SECRET = randomBytes(32).toString('base64');

/** Every secret the fake issued or was given, as it goes (access and rotated refresh tokens too). */
const secrets = new Set([
  API_TOKEN,
  WRONG_TOKEN,
  CLIENT_SECRET,
  REFRESH_TOKEN,
  WRONG_REFRESH_TOKEN,
  SIGNING_SECRET,
]);
const b64 = (text: string) => Buffer.from(text).toString('base64');

let zendesk: FakeZendesk;
let dir: string;
const refreshTokens = new Set([REFRESH_TOKEN]);
let accessTokens: string[] = [];
let hostileAnswers = 0;

/** The secret whose middle sits on the 300th character of the message Zendesk's body becomes. */
const straddling = (): string => {
  const rotation = [
    API_TOKEN,
    CLIENT_SECRET,
    accessTokens.at(-1) ?? API_TOKEN,
    [...refreshTokens].at(-1)!,
    SIGNING_SECRET,
  ];
  return rotation[hostileAnswers % rotation.length]!;
};

const hostile = (request: FakeRequest, status: number): FakeReply => {
  const secret = straddling();
  hostileAnswers += 1;
  // zendeskMessage turns {"error","description"} into "error: description"; the cut is at 300.
  const prefix = 'Forbidden: ';
  const padding = 'x'.repeat(300 - prefix.length - Math.floor(secret.length / 2) - 1);
  const echo = [
    `${padding} ${secret}`,
    `Authorization: ${request.headers.authorization ?? '(none)'}`,
    `echoed basic Basic ${b64(`${EMAIL}/token:${API_TOKEN}`)} and Basic ${b64(`${CLIENT_ID}:${CLIENT_SECRET}`)}`,
    `secrets ${[...secrets, ...accessTokens, ...refreshTokens].join(' ')}`,
  ].join('\n');
  return { status, json: { error: 'Forbidden', description: echo } };
};

const answer = (request: FakeRequest): FakeReply => {
  if (request.path === '/oauth/tokens') {
    const grant = JSON.parse(request.body) as Record<string, string>;
    if (grant.client_secret !== CLIENT_SECRET) return hostile(request, 401);
    if (grant.grant_type === 'refresh_token' && !refreshTokens.delete(grant.refresh_token ?? ''))
      return hostile(request, 400);
    const access = `at_${hex(24)}`;
    accessTokens = [...accessTokens, access];
    const rotated = grant.grant_type === 'refresh_token' ? `rt_${hex(24)}` : undefined;
    if (rotated) refreshTokens.add(rotated);
    return {
      json: { access_token: access, expires_in: 7200, ...(rotated ? { refresh_token: rotated } : {}) },
    };
  }
  const auth = request.headers.authorization ?? '';
  const valid =
    auth === `Basic ${b64(`${EMAIL}/token:${API_TOKEN}`)}` ||
    accessTokens.some((t) => auth === `Bearer ${t}`);
  if (!valid) return hostile(request, 401);
  if (request.path === '/api/v2/users/me') return { json: { user: { id: 1, email: EMAIL, role: 'admin' } } };
  // Every export answers 403 with the echo: the integration is marked failing with Zendesk's words.
  return hostile(request, 403);
};

const printed: string[] = [];
const cli = async (args: string[], env: Record<string, string> = {}) => {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await run(args, {
    stdout: (t) => stdout.push(t),
    stderr: (t) => stderr.push(t),
    // A small free-space reserve: a nearly full disk on the test machine must not stop the runs.
    env: { ZENDESK_WFM_MIN_FREE_MB: '16', ...env },
    stderrIsTty: false,
    now: () => new Date(),
  });
  return { code, stdout: stdout.join(''), stderr: stderr.join('') };
};

beforeAll(async () => {
  zendesk = await startFakeZendesk(answer);
  dir = await mkdtemp(join(tmpdir(), 'zendesk-wfm-leaks-'));
  // Anything the pipeline prints outside the command's own output (loggers, console) is kept too.
  const keep = (chunk: unknown) => void printed.push(String(chunk));
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (keep(chunk), true));
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (keep(chunk), true));
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const)
    jest.spyOn(console, level).mockImplementation((...args) => keep(args.map(String).join(' ')));
});
afterAll(async () => {
  jest.restoreAllMocks();
  await zendesk?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Each secret, its parts of 12 characters, and the base64 of the basic-auth pairs that carry them. */
const forbiddenParts = (): string[] => {
  const all = [...secrets, ...accessTokens, ...refreshTokens];
  const encoded = [
    b64(`${EMAIL}/token:${API_TOKEN}`),
    b64(`${EMAIL}/token:${WRONG_TOKEN}`),
    b64(`${CLIENT_ID}:${CLIENT_SECRET}`),
  ];
  const parts = new Set<string>();
  for (const s of [...all, ...encoded])
    for (let i = 0; i + 12 <= s.length; i += 1) parts.add(s.slice(i, i + 12));
  return [...parts];
};
const leaksIn = (text: string): string[] => forbiddenParts().filter((part) => text.includes(part));

describe('no secret ever leaks, whatever Zendesk echoes', () => {
  const dataDir = () => ['--data-dir', join(dir, 'wfm')];
  const account = ['--base-url', '', '--username', EMAIL, '--grouping', 'ivr'];
  const base = () => account.map((a) => (a === '' ? zendesk.baseUrl : a));
  const outputs: string[] = [];
  const keep = (r: { stdout: string; stderr: string }) => outputs.push(r.stdout, r.stderr);

  it("integration add refuses wrong credentials with Zendesk's (redacted) words", async () => {
    const wrongToken = await cli(['integration', 'add', '--name', 'wrong', ...dataDir(), ...base()], {
      ZENDESK_API_TOKEN: WRONG_TOKEN,
    });
    const wrongRefresh = await cli(
      ['integration', 'add', '--name', 'wrong2', ...dataDir(), ...base(), '--oauth-client-id', CLIENT_ID],
      { ZENDESK_OAUTH_CLIENT_SECRET: CLIENT_SECRET, ZENDESK_OAUTH_REFRESH_TOKEN: WRONG_REFRESH_TOKEN },
    );
    for (const r of [wrongToken, wrongRefresh]) {
      keep(r);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('wrong credentials: Zendesk refused the credentials: Forbidden: xxxx');
    }
  });

  it('integrations of every kind, failing on hostile exports, keep the redacted reason', async () => {
    const kinds: [name: string, options: string[], env: Record<string, string>][] = [
      ['token', [], { ZENDESK_API_TOKEN: API_TOKEN }],
      ['client', ['--oauth-client-id', CLIENT_ID], { ZENDESK_OAUTH_CLIENT_SECRET: CLIENT_SECRET }],
      [
        'refresh',
        ['--oauth-client-id', CLIENT_ID],
        { ZENDESK_OAUTH_CLIENT_SECRET: CLIENT_SECRET, ZENDESK_OAUTH_REFRESH_TOKEN: REFRESH_TOKEN },
      ],
    ];
    for (const [name, options, env] of kinds) {
      const added = await cli(['integration', 'add', '--name', name, ...dataDir(), ...base(), ...options], {
        ...env,
        ZENDESK_WEBHOOK_SIGNING_SECRET: SIGNING_SECRET,
      });
      keep(added);
      expect(added.code).toBe(0);
    }
    const synced = await cli(['sync', ...dataDir()]);
    keep(synced);
    // Zendesk refusing every integration's credentials is exit 3 (README: errors and exit codes);
    // On a mismatch the whole stderr is shown: it says why.
    expect({ code: synced.code, stderr: synced.stderr }).toEqual({
      code: 3,
      stderr: expect.stringContaining('"client" is failing: Zendesk refuses the credentials'),
    });
    const listed = await cli(['integration', 'list', ...dataDir(), '--json']);
    keep(listed);
    const reasons = (
      JSON.parse(listed.stdout) as { name: string; status: string; statusReason: string }[]
    ).map((i) => [i.name, i.status, i.statusReason]);
    // The positive control: Zendesk's words did reach the table and the output, redacted.
    expect(reasons).toEqual(
      ['client', 'refresh', 'token'].map((name) => [
        name,
        'failing',
        // The secret on the cut was replaced whole, before the message was shortened.
        expect.stringMatching(
          /^Zendesk refused the credentials \(403\) on \/api\/v2\/incremental\/users\/cursor: Forbidden: x+ \[redacted\]\n/,
        ),
      ]),
    );
    expect(listed.stdout).toContain('[redacted]');
  });

  it('import --json of a hostile account prints no secret either', async () => {
    const imported = await cli(['import', '--json', ...base(), '--oauth-client-id', CLIENT_ID], {
      ZENDESK_OAUTH_CLIENT_SECRET: CLIENT_SECRET,
    });
    keep(imported);
    // Zendesk refusing the credentials is exit 3 (README: errors and exit codes).
    expect(imported.code).toBe(3);
    expect(imported.stdout).toBe('');
    expect(imported.stderr).toContain('Zendesk refused the credentials (403)');
  });

  it('finds no part of any secret in stderr, stdout, anything printed, or any DynamoDB item', async () => {
    // Every kind's secret sat on the cut at least once.
    expect(hostileAnswers).toBeGreaterThanOrEqual(5);
    expect(leaksIn(outputs.join('\n'))).toEqual([]);
    expect(leaksIn(printed.join('\n'))).toEqual([]);

    const install = await openLocalInstall({ dataDir: join(dir, 'wfm') });
    try {
      const items: string[] = [];
      for (const table of Object.values(install.stack.tableNames)) {
        let start: Record<string, never> | undefined;
        do {
          const page = await install.stack.dynamodb.send(
            new ScanCommand({ TableName: table, ExclusiveStartKey: start }),
          );
          items.push(...(page.Items ?? []).map((i) => JSON.stringify(i)));
          start = page.LastEvaluatedKey as Record<string, never> | undefined;
        } while (start);
      }
      expect(items.join('\n')).toContain('Zendesk refused the credentials (403)');
      expect(leaksIn(items.join('\n'))).toEqual([]);
    } finally {
      await install.close();
    }
  });
});
