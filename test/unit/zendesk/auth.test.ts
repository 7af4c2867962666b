import { afterEach, describe, expect, it } from '@jest/globals';
import type { ZendeskCredentials } from '../../../shared/zendesk/auth.js';
import { ZendeskClient, type ZendeskClientOptions } from '../../../shared/zendesk/client.js';
import {
  ZendeskCredentialsError,
  ZendeskOutOfTimeError,
  ZendeskRequestError,
  ZendeskTokenStorageError,
} from '../../../shared/zendesk/errors.js';
import { MIN_ATTEMPT_MS } from '../../../shared/zendesk/transport.js';
import {
  failureOf,
  startFakeZendesk,
  type FakeReply,
  type FakeRequest,
  type FakeZendesk,
} from './fake-zendesk.js';

const T0 = 1_717_500_000_000;
const OLD = T0 / 1000 - 86_400;
const CLIENT_SECRET = 'oauth-client-secret-9a8b7c6d';
const REFRESH_0 = 'refresh-token-initial-000111';
const CLIENT_CREDENTIALS: ZendeskCredentials = {
  kind: 'oauth_client_credentials',
  clientId: 'wfm',
  clientSecret: CLIENT_SECRET,
};
const REFRESH_CREDENTIALS: ZendeskCredentials = {
  kind: 'oauth_refresh_token',
  clientId: 'wfm',
  clientSecret: CLIENT_SECRET,
  refreshToken: REFRESH_0,
};
const EMPTY_PAGE: FakeReply = { json: { ticket_events: [], end_time: null, end_of_stream: true } };

let server: FakeZendesk | undefined;
let now = T0;
const logs: string[] = [];
afterEach(async () => {
  await server?.stop();
  server = undefined;
  now = T0;
  logs.length = 0;
});

/**
 * A Zendesk with a token endpoint issuing `access-N` (and, for refresh grants, rotating
 * `refresh-N`), and an API accepting only the latest access token.
 */
const startOAuthZendesk = async (
  options: {
    expiresIn?: number;
    api?: (r: FakeRequest) => FakeReply | undefined;
    /** A client registered without scopes to choose from: any scope asked for is invalid_scope. */
    refuseScopes?: boolean;
    /** Refresh tokens Zendesk has revoked (rotated by another process): answered invalid_grant. */
    revokedRefreshTokens?: readonly string[];
  } = {},
) => {
  let issued = 0;
  const state = { current: '', issuedRefresh: [] as string[], tokenRequests: [] as Record<string, string>[] };
  server = await startFakeZendesk((r) => {
    if (r.path === '/oauth/tokens') {
      const body = JSON.parse(r.body) as Record<string, string>;
      state.tokenRequests.push(body);
      if (options.refuseScopes && body.scope !== undefined)
        return {
          status: 400,
          json: {
            error: 'invalid_scope',
            error_description: 'The requested scope is invalid, unknown, or malformed.',
          },
        };
      if (options.revokedRefreshTokens?.includes(body.refresh_token ?? ''))
        return {
          status: 400,
          json: {
            error: 'invalid_grant',
            error_description: 'The provided authorization grant is invalid, expired or revoked.',
          },
        };
      issued += 1;
      state.current = `access-token-${issued}-abcdef`;
      const refresh = body.grant_type === 'refresh_token' ? `refresh-token-rotated-${issued}-xyz` : undefined;
      if (refresh) state.issuedRefresh.push(refresh);
      return {
        json: {
          access_token: state.current,
          token_type: 'bearer',
          scope: 'read',
          expires_in: options.expiresIn ?? 1800,
          ...(refresh ? { refresh_token: refresh } : {}),
        },
      };
    }
    const custom = options.api?.(r);
    if (custom) return custom;
    return r.headers.authorization === `Bearer ${state.current}`
      ? r.path === '/api/v2/views'
        ? { json: { views: [], next_page: null } }
        : EMPTY_PAGE
      : { status: 401, json: { error: "Couldn't authenticate you" } };
  });
  return { server, state };
};

const clientFor = (
  s: FakeZendesk,
  credentials: ZendeskCredentials,
  extra: Partial<ZendeskClientOptions> = {},
) =>
  new ZendeskClient({
    baseUrl: s.baseUrl,
    credentials,
    clock: () => now,
    retryBaseDelayMs: 1,
    logger: {
      debug: (msg, extra) => logs.push(`${msg} ${JSON.stringify(extra ?? {})}`),
      warn: (msg, extra) => logs.push(`${msg} ${JSON.stringify(extra ?? {})}`),
    },
    ...extra,
  });

const secretsIn = (texts: string[], secrets: string[]) =>
  secrets.filter((secret) => texts.some((t) => t.includes(secret)));

describe('OAuth client credentials', () => {
  it('fetches an access token, reuses it, and renews it before it expires', async () => {
    const { server: s, state } = await startOAuthZendesk({ expiresIn: 100 });
    const client = clientFor(s, CLIENT_CREDENTIALS);
    await client.ticketEvents({ startTime: OLD });
    now = T0 + 80_000;
    await client.ticketEvents({ startTime: OLD });
    now = T0 + 91_000; // 90 % of the lifetime has passed
    await client.ticketEvents({ startTime: OLD });
    expect(state.tokenRequests).toEqual([
      { grant_type: 'client_credentials', client_id: 'wfm', client_secret: CLIENT_SECRET, scope: 'read' },
      { grant_type: 'client_credentials', client_id: 'wfm', client_secret: CLIENT_SECRET, scope: 'read' },
    ]);
    expect(s.requests.filter((r) => r.path !== '/oauth/tokens').map((r) => r.headers.authorization)).toEqual([
      'Bearer access-token-1-abcdef',
      'Bearer access-token-1-abcdef',
      'Bearer access-token-2-abcdef',
    ]);
  });

  it('renews once after a 401 and retries, then succeeds', async () => {
    let revoked = true;
    const { server: s, state } = await startOAuthZendesk({
      api: () => {
        if (!revoked) return undefined;
        revoked = false;
        return { status: 401, json: { error: "Couldn't authenticate you" } };
      },
    });
    await expect(clientFor(s, CLIENT_CREDENTIALS).ticketEvents({ startTime: OLD })).resolves.toMatchObject({
      kind: 'page',
    });
    expect(state.tokenRequests).toHaveLength(2);
  });

  it('gives a credentials error when the renewal does not cure the 401, with no secret in it', async () => {
    const { server: s, state } = await startOAuthZendesk({
      api: () => ({ status: 401, json: { error: "Couldn't authenticate you" } }),
    });
    const error = await failureOf<ZendeskCredentialsError>(
      clientFor(s, CLIENT_CREDENTIALS).ticketEvents({ startTime: OLD }),
    );
    expect(error).toBeInstanceOf(ZendeskCredentialsError);
    expect(error.zendeskMessage).toBe("Couldn't authenticate you");
    expect(state.tokenRequests).toHaveLength(2);
    expect(s.requests.filter((r) => r.path !== '/oauth/tokens')).toHaveLength(2);
    expect(
      secretsIn(
        [error.message, String(error.stack), ...logs],
        [CLIENT_SECRET, 'access-token-1-abcdef', 'access-token-2-abcdef'],
      ),
    ).toEqual([]);
  });

  it('turns a refused grant into a credentials error and redacts a secret Zendesk echoes', async () => {
    server = await startFakeZendesk(() => ({
      status: 401,
      json: {
        error: 'invalid_client',
        error_description: `Client authentication failed for secret ${CLIENT_SECRET}`,
      },
    }));
    const error = await failureOf<ZendeskCredentialsError>(
      clientFor(server, CLIENT_CREDENTIALS).ticketEvents({ startTime: OLD }),
    );
    expect(error).toMatchObject({
      endpoint: '/oauth/tokens',
      status: 401,
      zendeskMessage: 'invalid_client: Client authentication failed for secret [redacted]',
    });
  });

  it('a token request answered 408 or 409 is not asked again: Zendesk may have rotated the refresh token it sent', async () => {
    for (const status of [408, 409]) {
      server = await startFakeZendesk(() => ({ status, json: { error: 'Conflict' } }));
      const error = await failureOf<ZendeskRequestError>(
        clientFor(server, REFRESH_CREDENTIALS, {
          maxRetries: 3,
          saveRefreshToken: async () => undefined,
        }).ticketEvents({ startTime: OLD }),
      );
      expect(error).toBeInstanceOf(ZendeskRequestError);
      expect(error).toMatchObject({ endpoint: '/oauth/tokens', status });
      expect(server.requests.map((r) => r.path)).toEqual(['/oauth/tokens']);
      await server.stop();
      server = undefined;
    }
  });

  it('renews once for concurrent requests', async () => {
    const { server: s, state } = await startOAuthZendesk();
    const client = clientFor(s, CLIENT_CREDENTIALS);
    await Promise.all([
      client.ticketEvents({ startTime: OLD }),
      client.ticketEvents({ startTime: OLD }),
      client.views(),
    ]);
    expect(state.tokenRequests).toHaveLength(1);
  });
});

describe('OAuth refresh tokens', () => {
  it('hands each rotated refresh token to the secret store before using the new access token', async () => {
    const order: string[] = [];
    const { server: s, state } = await startOAuthZendesk({
      expiresIn: 10,
      api: (r) => {
        order.push(`api ${r.headers.authorization}`);
        return undefined;
      },
    });
    const client = clientFor(s, REFRESH_CREDENTIALS, {
      saveRefreshToken: async (token) => {
        order.push(`save ${token}`);
      },
    });
    await client.ticketEvents({ startTime: OLD });
    now = T0 + 20_000;
    await client.ticketEvents({ startTime: OLD });
    expect(order).toEqual([
      'save refresh-token-rotated-1-xyz',
      'api Bearer access-token-1-abcdef',
      'save refresh-token-rotated-2-xyz',
      'api Bearer access-token-2-abcdef',
    ]);
    expect(state.tokenRequests.map((b) => [b.grant_type, b.refresh_token])).toEqual([
      ['refresh_token', REFRESH_0],
      ['refresh_token', 'refresh-token-rotated-1-xyz'],
    ]);
    expect(
      secretsIn(logs, [REFRESH_0, ...state.issuedRefresh, CLIENT_SECRET, 'access-token-1-abcdef']),
    ).toEqual([]);
  });

  it('does not use the new access token when the rotated refresh token cannot be stored', async () => {
    const { server: s } = await startOAuthZendesk();
    const client = clientFor(s, REFRESH_CREDENTIALS, {
      saveRefreshToken: async (token) => {
        throw new Error(`secret store unavailable while writing ${token}`);
      },
    });
    const error = await failureOf<Error>(client.ticketEvents({ startTime: OLD }));
    expect(error).toBeInstanceOf(ZendeskTokenStorageError);
    expect(error.message).toBe(
      'Could not store the rotated Zendesk refresh token: secret store unavailable while writing [redacted]',
    );
    expect(s.requests.map((r) => r.path)).toEqual(['/oauth/tokens']);
  });

  it('a refresh grant sends the token stored now: another process (a Lambda instance) rotated it since this client was made', async () => {
    const OTHERS = 'refresh-token-other-process-777';
    const { server: s, state } = await startOAuthZendesk({ revokedRefreshTokens: [REFRESH_0] });
    const saved: string[] = [];
    const client = clientFor(s, REFRESH_CREDENTIALS, {
      saveRefreshToken: async (token) => void saved.push(token),
      loadRefreshToken: async () => OTHERS,
    });
    await client.ticketEvents({ startTime: OLD });
    expect(state.tokenRequests.map((b) => b.refresh_token)).toEqual([OTHERS]);
    expect(saved).toEqual(['refresh-token-rotated-1-xyz']);
    expect(secretsIn(logs, [OTHERS, ...state.issuedRefresh])).toEqual([]);
  });

  it('a grant refused as invalid_grant is sent once more with the token the store holds meanwhile (two processes refreshed at once; the other’s rotation won)', async () => {
    const WON = 'refresh-token-won-888';
    const { server: s, state } = await startOAuthZendesk({ revokedRefreshTokens: [REFRESH_0] });
    const stored = [REFRESH_0, WON];
    const client = clientFor(s, REFRESH_CREDENTIALS, {
      saveRefreshToken: async () => undefined,
      loadRefreshToken: async () => stored.shift() ?? WON,
    });
    await client.ticketEvents({ startTime: OLD });
    expect(state.tokenRequests.map((b) => b.refresh_token)).toEqual([REFRESH_0, WON]);
  });

  it('the other process saves its rotated token a moment after Zendesk refused ours: the store is looked at again, then the grant asked with it', async () => {
    const WON = 'refresh-token-won-late-999';
    const { server: s, state } = await startOAuthZendesk({ revokedRefreshTokens: [REFRESH_0] });
    const stored = [REFRESH_0, REFRESH_0, REFRESH_0];
    const waits: number[] = [];
    const client = clientFor(s, REFRESH_CREDENTIALS, {
      saveRefreshToken: async () => undefined,
      loadRefreshToken: async () => stored.shift() ?? WON,
      sleep: async (ms) => void waits.push(ms),
    });
    await client.ticketEvents({ startTime: OLD });
    expect(state.tokenRequests.map((b) => b.refresh_token)).toEqual([REFRESH_0, WON]);
    expect(waits).toEqual([500, 1_000]);
  });

  it('a grant refused as invalid_grant while the store keeps the same token refuses the credentials once the store was looked at for some seconds, asked once', async () => {
    const { server: s, state } = await startOAuthZendesk({ revokedRefreshTokens: [REFRESH_0] });
    const waits: number[] = [];
    const client = clientFor(s, REFRESH_CREDENTIALS, {
      saveRefreshToken: async () => undefined,
      loadRefreshToken: async () => REFRESH_0,
      sleep: async (ms) => void waits.push(ms),
    });
    const error = await failureOf<Error>(client.ticketEvents({ startTime: OLD }));
    expect(error).toBeInstanceOf(ZendeskCredentialsError);
    expect(state.tokenRequests.map((b) => b.refresh_token)).toEqual([REFRESH_0]);
    expect(waits).toEqual([500, 1_000, 2_000, 4_000]);
  });

  it('requires a place to store rotated refresh tokens', () => {
    expect(
      () => new ZendeskClient({ baseUrl: 'http://127.0.0.1:9', credentials: REFRESH_CREDENTIALS }),
    ).toThrow('saveRefreshToken is required for oauth_refresh_token credentials');
  });
});

describe('OAuth token requests send what Zendesk documents (issue: real Zendesk accounts never stop an import)', () => {
  const grants = (requests: Record<string, string>[]) =>
    requests.map(({ client_secret: _s, ...rest }) => rest);

  it.each<[string, ZendeskCredentials, Record<string, string>]>([
    [
      'client credentials ask for "read" by default',
      CLIENT_CREDENTIALS,
      { grant_type: 'client_credentials', client_id: 'wfm', scope: 'read' },
    ],
    [
      'client credentials ask for the configured scope',
      { ...CLIENT_CREDENTIALS, scope: 'tickets:read users:read' },
      { grant_type: 'client_credentials', client_id: 'wfm', scope: 'tickets:read users:read' },
    ],
    [
      'a refresh asks for no scope by default (the grant keeps its own)',
      REFRESH_CREDENTIALS,
      { grant_type: 'refresh_token', client_id: 'wfm', refresh_token: REFRESH_0 },
    ],
    [
      'a refresh asks for the configured scope',
      { ...REFRESH_CREDENTIALS, scope: 'read' },
      { grant_type: 'refresh_token', client_id: 'wfm', refresh_token: REFRESH_0, scope: 'read' },
    ],
  ])('%s', async (_rule, credentials, expected) => {
    const { server: s, state } = await startOAuthZendesk();
    await clientFor(s, credentials, { saveRefreshToken: async () => undefined }).ticketEvents({
      startTime: OLD,
    });
    expect(grants(state.tokenRequests)).toEqual([expected]);
  });

  it('an invalid_scope answer is asked again once without a scope, and later renewals ask for none', async () => {
    const { server: s, state } = await startOAuthZendesk({ refuseScopes: true, expiresIn: 100 });
    const client = clientFor(s, CLIENT_CREDENTIALS);
    await client.ticketEvents({ startTime: OLD });
    now = T0 + 91_000;
    await client.ticketEvents({ startTime: OLD });
    expect(grants(state.tokenRequests)).toEqual([
      { grant_type: 'client_credentials', client_id: 'wfm', scope: 'read' },
      { grant_type: 'client_credentials', client_id: 'wfm' },
      { grant_type: 'client_credentials', client_id: 'wfm' },
    ]);
    expect(logs.filter((l) => l.startsWith('zendesk token endpoint refused the scope'))).toEqual([
      'zendesk token endpoint refused the scope; asking without one {"scope":"read"}',
    ]);
  });

  it('invalid_scope without a scope asked for refuses the credentials (no loop)', async () => {
    server = await startFakeZendesk((r) =>
      r.path === '/oauth/tokens'
        ? { status: 400, json: { error: 'invalid_scope', error_description: 'no scopes allowed' } }
        : EMPTY_PAGE,
    );
    const failure = await failureOf(
      clientFor(server, REFRESH_CREDENTIALS, { saveRefreshToken: async () => undefined }).ticketEvents({
        startTime: OLD,
      }),
    );
    expect(failure).toBeInstanceOf(ZendeskCredentialsError);
    expect(server.requests.map((r) => r.path)).toEqual(['/oauth/tokens']);
  });
});

describe("OAuth within an invocation's time", () => {
  const saveRefreshToken = async () => undefined;

  it("asks for no refresh-token grant without the attempts' whole timeout left: Zendesk may rotate the token in it, and an answer cut short would lose the only valid one", async () => {
    const { server: s, state } = await startOAuthZendesk();
    const client = clientFor(s, REFRESH_CREDENTIALS, {
      saveRefreshToken,
      timeoutMs: 30_000,
      timeLeftMs: () => 29_999,
    });
    const error = await failureOf<ZendeskOutOfTimeError>(client.ticketEvents({ startTime: OLD }));
    expect(error).toBeInstanceOf(ZendeskOutOfTimeError);
    expect([error.endpoint, error.attempts]).toEqual(['/oauth/tokens', 0]);
    expect(state.tokenRequests).toEqual([]);
  });

  it('reads the time left after the token renewal: a request the renewal left too little time for is not sent', async () => {
    const { server: s, state } = await startOAuthZendesk();
    const client = clientFor(s, CLIENT_CREDENTIALS, {
      timeLeftMs: () => (state.tokenRequests.length === 0 ? 60_000 : MIN_ATTEMPT_MS - 1),
    });
    const error = await failureOf<ZendeskOutOfTimeError>(client.ticketEvents({ startTime: OLD }));
    expect(error).toBeInstanceOf(ZendeskOutOfTimeError);
    expect([error.endpoint, error.attempts]).toEqual(['/api/v2/incremental/ticket_events', 0]);
    expect(s.requests.map((r) => r.path)).toEqual(['/oauth/tokens']);
  });
});
