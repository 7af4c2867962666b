import { describe, expect, it } from '@jest/globals';
import { UsageError } from '../../../cli/errors.js';
import {
  checkIntegrationInput,
  collectViewIds,
  credentialsFrom,
  importWindow,
  parseGrouping,
  parseInstant,
  parseInterval,
  parsePer,
  parsePeriod,
  parseTimeZone,
  parseWarmUpDays,
  targetFrom,
} from '../../../cli/options.js';

const now = new Date('2026-03-02T12:00:00Z');

const usageMessage = (f: () => unknown): string => {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
};

describe('parsePeriod: --from and --to of a read command', () => {
  it.each<[string, { from?: string; to?: string }, { from?: string; to?: string }]>([
    ['neither given: the command chooses', {}, {}],
    ['only --from', { from: '2026-01-05' }, { from: '2026-01-05T00:00:00.000Z' }],
    [
      'both, --from first',
      { from: '2026-01-05', to: '2026-01-06T12:00:00Z' },
      { from: '2026-01-05T00:00:00.000Z', to: '2026-01-06T12:00:00.000Z' },
    ],
  ])('%s', (_rule, options, expected) => {
    const period = parsePeriod(options);
    expect({
      ...(period.from ? { from: period.from.toISOString() } : {}),
      ...(period.to ? { to: period.to.toISOString() } : {}),
    }).toEqual(expected);
  });

  it('refuses --from not before --to, naming both', () => {
    expect(usageMessage(() => parsePeriod({ from: '2026-01-06', to: '2026-01-05' }))).toBe(
      '--from must be before --to, got 2026-01-06T00:00:00.000Z and 2026-01-05T00:00:00.000Z',
    );
  });
});

describe('--tz and --per of history and report', () => {
  it.each<[string, string | undefined, { from?: string; to?: string }, { from?: string; to?: string }]>([
    [
      'a date is midnight in --tz (Europe/Berlin in winter: 23:00 UTC the day before)',
      'Europe/Berlin',
      { from: '2026-01-05' },
      { from: '2026-01-04T23:00:00.000Z' },
    ],
    [
      "a date on the day clocks go forward is that day's midnight (still +01:00)",
      'Europe/Berlin',
      { to: '2026-03-29' },
      { to: '2026-03-28T23:00:00.000Z' },
    ],
    [
      'a date-time keeps its own offset whatever --tz',
      'America/New_York',
      { from: '2026-01-05T10:00:00Z' },
      { from: '2026-01-05T10:00:00.000Z' },
    ],
    [
      'a date in a zone that skips midnight is the first instant of that day (America/Santiago: 01:00 -03:00, as the console)',
      'America/Santiago',
      { from: '2026-09-06', to: '2026-09-07' },
      { from: '2026-09-06T04:00:00.000Z', to: '2026-09-07T03:00:00.000Z' },
    ],
    [
      'a date in a zone that skips midnight is the first instant of that day (America/Havana: 01:00 -04:00)',
      'America/Havana',
      { to: '2026-03-08' },
      { to: '2026-03-08T05:00:00.000Z' },
    ],
    [
      'no --tz: a date is midnight UTC',
      undefined,
      { from: '2026-01-05' },
      { from: '2026-01-05T00:00:00.000Z' },
    ],
  ])('%s', (_rule, tz, options, expected) => {
    const period = parsePeriod(options, tz);
    expect({
      ...(period.from ? { from: period.from.toISOString() } : {}),
      ...(period.to ? { to: period.to.toISOString() } : {}),
    }).toEqual(expected);
  });

  it.each([['Europe/Berlin'], ['UTC'], ['America/Argentina/Buenos_Aires'], [' Asia/Kolkata ']])(
    '--tz takes the IANA name %j',
    (raw) => {
      expect(parseTimeZone(raw)).toBe(raw.trim());
    },
  );

  it.each([['Mars/Olympus'], [''], ['Berlin']])('--tz refuses %j, naming the option', (raw) => {
    expect(usageMessage(() => parseTimeZone(raw))).toBe(
      `--tz must be an IANA time zone name such as Europe/Berlin, America/New_York or UTC; got "${raw}"`,
    );
  });

  it.each([['hour'], ['day'], ['week']])('--per takes %s', (raw) => {
    expect(parsePer(raw)).toBe(raw);
  });

  it.each([['interval'], ['month'], ['']])('--per refuses %j, naming the option', (raw) => {
    expect(usageMessage(() => parsePer(raw))).toBe(`--per must be hour, day or week; got "${raw}"`);
  });
});

describe('parseInstant', () => {
  it.each<[string, string]>([
    ['2026-01-05', '2026-01-05T00:00:00.000Z'],
    ['2026-01-05T10:00:00Z', '2026-01-05T10:00:00.000Z'],
    ['2026-01-05T10:00Z', '2026-01-05T10:00:00.000Z'],
    ['2026-01-05T11:30:00+01:00', '2026-01-05T10:30:00.000Z'],
    ['2026-01-05T10:00:00.250Z', '2026-01-05T10:00:00.250Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
  ])('reads %s as %s', (raw, iso) => {
    expect(parseInstant('--since', raw).toISOString()).toBe(iso);
  });

  it.each<[string]>([
    ['2026-02-30'],
    ['2025-02-29'],
    ['2026-13-01'],
    ['2026-01-05T10:00:00'],
    ['2026-01-05T24:00Z'],
    ['yesterday'],
    ['1736000000'],
    [''],
  ])('refuses %j, naming the option and the value', (raw) => {
    expect(usageMessage(() => parseInstant('--until', raw))).toBe(
      `--until must be an ISO-8601 date or date-time with a time zone, e.g. 2026-01-05 or 2026-01-05T10:00:00Z; got "${raw}"`,
    );
  });
});

describe('importWindow', () => {
  it('defaults to the last 365 days up to now', () => {
    expect(importWindow({}, now)).toEqual({
      since: new Date('2025-03-02T12:00:00Z'),
      until: now,
      untilGiven: false,
      historyDays: 365,
    });
  });

  it('rounds the history up to whole days and keeps the instants given', () => {
    expect(importWindow({ since: '2026-02-27T13:00:00Z', until: '2026-03-01' }, now)).toEqual({
      since: new Date('2026-02-27T13:00:00Z'),
      until: new Date('2026-03-01T00:00:00Z'),
      untilGiven: true,
      historyDays: 3,
    });
  });

  it.each<[{ since?: string; until?: string }, string]>([
    [{ since: '2026-03-03' }, '--since must be in the past, got 2026-03-03T00:00:00.000Z'],
    [{ until: '2026-03-03' }, '--until must not be in the future, got 2026-03-03T00:00:00.000Z'],
    [
      { since: '2026-03-01', until: '2026-02-01' },
      '--since must be before --until, got 2026-03-01T00:00:00.000Z and 2026-02-01T00:00:00.000Z',
    ],
    [{ since: '2010-01-01' }, '--since must be at most 3650 days ago, got 2010-01-01T00:00:00.000Z'],
  ])('refuses %j', (raw, message) => {
    expect(usageMessage(() => importWindow(raw, now))).toBe(message);
  });
});

describe('grouping and interval', () => {
  it('accepts the allowed values only', () => {
    expect(parseGrouping('ivr')).toBe('ivr');
    expect(parseGrouping('phone_number')).toBe('phone_number');
    expect(parseInterval('30')).toBe(30);
    expect(usageMessage(() => parseGrouping('IVR'))).toBe(
      '--grouping must be "ivr" or "phone_number", got "IVR"',
    );
    expect(usageMessage(() => parseInterval('45'))).toBe(
      '--interval must be 15, 30 or 60 (minutes), got "45"',
    );
  });
});

describe('--warm-up-days', () => {
  type Row = [raw: string, days: number];
  const good: Row[] = [
    ['0', 0],
    ['7', 7],
    ['0.5', 0.5],
    ['365', 365],
  ];
  it.each(good)('reads %s as %d days', (raw, days) => {
    expect(parseWarmUpDays(raw)).toBe(days);
  });

  it.each([['-1'], ['366'], ['a week'], ['']])('refuses "%s", naming the option', (raw) => {
    expect(usageMessage(() => parseWarmUpDays(raw))).toBe(
      `--warm-up-days must be a number of days from 0 to 365, got "${raw}"`,
    );
  });
});

describe('--exclude-view / --include-view', () => {
  it('collects view ids, repeated or comma-separated', () => {
    const collect = collectViewIds('--exclude-view');
    expect(collect('360100002', collect('1,2'))).toEqual([1, 2, 360100002]);
  });

  it.each([['billing'], [''], ['0'], ['1,x']])('refuses "%s", naming the option', (raw) => {
    expect(usageMessage(() => collectViewIds('--include-view')(raw))).toBe(
      `--include-view must be a Zendesk view id (digits), got "${raw}"`,
    );
  });
});

describe('credentialsFrom', () => {
  it('takes an API token from the option before the environment', () => {
    expect(credentialsFrom({ token: 'opt-token' }, { ZENDESK_API_TOKEN: 'env-token' })).toEqual({
      kind: 'api_token',
      apiToken: 'opt-token',
    });
    expect(credentialsFrom({}, { ZENDESK_API_TOKEN: 'env-token' })).toEqual({
      kind: 'api_token',
      apiToken: 'env-token',
    });
  });

  it("a secret given in an option is trimmed as the environment's are: a pasted newline is not part of the token", () => {
    expect(credentialsFrom({ token: ' opt-token\n' }, {})).toEqual({
      kind: 'api_token',
      apiToken: 'opt-token',
    });
    expect(
      credentialsFrom(
        { oauthClientId: ' wfm ', oauthClientSecret: 'secret\n', oauthRefreshToken: '\trefresh ' },
        {},
      ),
    ).toEqual({
      kind: 'oauth_refresh_token',
      clientId: 'wfm',
      clientSecret: 'secret',
      refreshToken: 'refresh',
    });
  });

  it('`--token` without a value takes the token from the environment (kept off the command line)', () => {
    expect(credentialsFrom({ token: true }, { ZENDESK_API_TOKEN: 'env-token' })).toEqual({
      kind: 'api_token',
      apiToken: 'env-token',
    });
  });

  it.each<[string, Parameters<typeof credentialsFrom>[0], Record<string, string>, string]>([
    ['no credentials: the credentials as a whole', {}, {}, 'credentials'],
    [
      '`--token` alone, no token in the environment: the API token',
      { token: true },
      {},
      'credentials.apiToken',
    ],
    ['an empty token: the API token', { token: ' ' }, {}, 'credentials.apiToken'],
    [
      'an OAuth client without a secret: the client secret',
      { oauthClientId: 'wfm' },
      {},
      'credentials.clientSecret',
    ],
    ['--oauth-scope with a token: the scope', { token: 't', oauthScope: 'read' }, {}, 'credentials.scope'],
  ])('a refusal names the input field it concerns: %s', (_rule, options, env, field) => {
    let thrown: unknown;
    try {
      credentialsFrom(options, env);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as UsageError).field).toBe(field);
  });

  it('takes OAuth client credentials, with a refresh token when one is given', () => {
    expect(credentialsFrom({ oauthClientId: 'wfm' }, { ZENDESK_OAUTH_CLIENT_SECRET: 'cs-env' })).toEqual({
      kind: 'oauth_client_credentials',
      clientId: 'wfm',
      clientSecret: 'cs-env',
    });
    expect(
      credentialsFrom(
        { oauthClientId: 'wfm', oauthClientSecret: 'cs-opt' },
        { ZENDESK_OAUTH_REFRESH_TOKEN: 'rt-env', ZENDESK_API_TOKEN: 'ignored' },
      ),
    ).toEqual({
      kind: 'oauth_refresh_token',
      clientId: 'wfm',
      clientSecret: 'cs-opt',
      refreshToken: 'rt-env',
    });
    expect(
      credentialsFrom({}, { ZENDESK_OAUTH_CLIENT_ID: 'wfm', ZENDESK_OAUTH_CLIENT_SECRET: 'cs-env' }),
    ).toEqual({ kind: 'oauth_client_credentials', clientId: 'wfm', clientSecret: 'cs-env' });
  });

  it('carries --oauth-scope with OAuth credentials (the scope the token endpoint is asked for)', () => {
    expect(
      credentialsFrom(
        { oauthClientId: 'wfm', oauthClientSecret: 'cs-opt', oauthScope: 'tickets:read users:read' },
        {},
      ),
    ).toEqual({
      kind: 'oauth_client_credentials',
      clientId: 'wfm',
      clientSecret: 'cs-opt',
      scope: 'tickets:read users:read',
    });
  });

  it.each<[Parameters<typeof credentialsFrom>[0], Record<string, string>, string]>([
    [{ token: 'a-token', oauthClientId: 'wfm' }, {}, 'give either --token or --oauth-client-id, not both'],
    [
      {},
      {},
      'credentials are required: --token (or ZENDESK_API_TOKEN), or --oauth-client-id with --oauth-client-secret (or ZENDESK_OAUTH_CLIENT_ID, ZENDESK_OAUTH_CLIENT_SECRET)',
    ],
    [
      {},
      { ZENDESK_API_TOKEN: 'a-token', ZENDESK_OAUTH_CLIENT_ID: 'wfm' },
      'ZENDESK_API_TOKEN and ZENDESK_OAUTH_CLIENT_ID are both set: choose with --token or --oauth-client-id',
    ],
    [
      { oauthClientId: 'wfm' },
      {},
      '--oauth-client-secret (or ZENDESK_OAUTH_CLIENT_SECRET) is required with --oauth-client-id',
    ],
    [
      { token: 'a-token', oauthClientSecret: 'cs-secret' },
      {},
      '--oauth-client-secret and --oauth-refresh-token go with --oauth-client-id, not --token',
    ],
    [{ token: '  ' }, {}, '--token must not be empty'],
    [{ token: true }, {}, '--token: give the token, or set ZENDESK_API_TOKEN'],
    [{ token: 'a-token', oauthScope: 'read' }, {}, '--oauth-scope goes with OAuth credentials, not --token'],
  ])('refuses %j with %j without echoing a secret', (options, env, message) => {
    const text = usageMessage(() => credentialsFrom(options, env));
    expect(text).toBe(message);
    for (const secret of ['a-token', 'cs-secret']) expect(text).not.toContain(secret);
  });
});

describe('targetFrom', () => {
  it('names a sandbox integration when only --base-url is given', () => {
    expect(targetFrom({ baseUrl: 'http://127.0.0.1:9' })).toEqual({
      domain: 'sandbox.zendesk.com',
      baseUrl: 'http://127.0.0.1:9',
    });
    expect(targetFrom({ domain: 'acme.zendesk.com' })).toEqual({ domain: 'acme.zendesk.com' });
    expect(usageMessage(() => targetFrom({}))).toBe(
      '--domain is required (e.g. --domain example.zendesk.com), or --base-url for a sandbox',
    );
  });
});

describe('checkIntegrationInput', () => {
  const input = {
    name: 'Acme',
    domain: 'acme.zendesk.com',
    username: 'admin@acme.example',
    credentials: { kind: 'api_token', apiToken: 'tok-secret-123' },
    groupingStrategy: 'ivr',
    intervalMinutes: 15,
    historyDays: 30,
  };

  it('accepts a valid integration', () => {
    expect(() => checkIntegrationInput(input)).not.toThrow();
  });

  it.each<[Record<string, unknown>, string]>([
    [
      { domain: 'https://acme.zendesk.com' },
      '--domain must be the full Zendesk host including the subdomain, e.g. example.zendesk.com',
    ],
    [
      { domain: 'acme' },
      '--domain must be the full Zendesk host including the subdomain, e.g. example.zendesk.com',
    ],
    [
      { username: 'admin' },
      '--username must be the email address of a Zendesk user with administrative permissions',
    ],
    [{ baseUrl: 'http://example.com:8080' }, '--base-url must be a loopback URL (the local sandbox)'],
    [{ name: ' ' }, '--name is required'],
  ])('names the option of %j', (change, message) => {
    const text = usageMessage(() => checkIntegrationInput({ ...input, ...change }));
    expect(text).toBe(message);
    expect(text).not.toContain('tok-secret-123');
  });
});
