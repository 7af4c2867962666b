import { afterEach, describe, expect, it } from '@jest/globals';
import { freeLoopbackPort } from '../../../local/free-port.js';
import { ZendeskClient } from '../../../shared/zendesk/client.js';
import type { CredentialCheck } from '../../../shared/zendesk/credential-check.js';
import { startFakeZendesk, type FakeReply, type FakeZendesk } from './fake-zendesk.js';

const API_TOKEN = 'zd-api-token-check-123456';
let server: FakeZendesk | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const check = (baseUrl: string) =>
  new ZendeskClient({
    baseUrl,
    credentials: { kind: 'api_token', username: 'admin@acme.test', apiToken: API_TOKEN },
    retryBaseDelayMs: 1,
    maxRetries: 1,
  }).checkCredentials();

const me = (user: Record<string, unknown>): FakeReply => ({ json: { user: { name: 'Someone', ...user } } });

describe('checkCredentials', () => {
  type Row = [string, FakeReply, CredentialCheck];
  it.each<Row>([
    [
      'an admin',
      me({ id: 411000099, email: 'admin@acme.test', role: 'admin' }),
      { kind: 'ok', user: { id: 411000099, email: 'admin@acme.test', role: 'admin' } },
    ],
    [
      'an agent',
      me({ id: 411000050, email: 'sam@acme.test', role: 'agent' }),
      {
        kind: 'not_admin',
        role: 'agent',
        message:
          'The Zendesk user sam@acme.test is an agent, not an admin; the exports need administrative permissions',
      },
    ],
    [
      'the anonymous user Zendesk returns for unknown credentials',
      me({ id: null, email: null, role: 'end-user' }),
      { kind: 'wrong_credentials', message: 'Zendesk did not recognise the credentials (anonymous user)' },
    ],
    [
      'a 401',
      { status: 401, json: { error: "Couldn't authenticate you" } },
      { kind: 'wrong_credentials', message: "Zendesk refused the credentials: Couldn't authenticate you" },
    ],
    [
      'an HTML page',
      { text: '<html><body>Welcome to nginx</body></html>', headers: { 'content-type': 'text/html' } },
      {
        kind: 'unreachable_or_not_zendesk',
        message:
          'BASE does not answer like Zendesk (Zendesk /api/v2/users/me: the response, field (body): not JSON (42 bytes))',
      },
    ],
    [
      'a 404',
      { status: 404, text: 'Not Found' },
      {
        kind: 'unreachable_or_not_zendesk',
        message: 'BASE does not answer like Zendesk (Zendesk answered 404 on /api/v2/users/me: Not Found)',
      },
    ],
    [
      'JSON without a user',
      { json: { hello: 'world' } },
      {
        kind: 'unreachable_or_not_zendesk',
        message: 'BASE does not answer like Zendesk (no user in /api/v2/users/me)',
      },
    ],
  ])('tells %s apart', async (_, reply, expected) => {
    server = await startFakeZendesk(() => reply);
    const result = await check(server.baseUrl);
    const base = server.baseUrl;
    expect(result).toEqual(
      'message' in expected ? { ...expected, message: expected.message.replace('BASE', base) } : expected,
    );
    expect(server.requests.map((r) => r.path)).toEqual(['/api/v2/users/me']);
    expect(JSON.stringify(result)).not.toContain(API_TOKEN);
  });

  it('tells a host that does not answer apart', async () => {
    const port = await freeLoopbackPort();
    await expect(check(`http://127.0.0.1:${port}`)).resolves.toEqual({
      kind: 'unreachable_or_not_zendesk',
      message: `http://127.0.0.1:${port} is not reachable (ECONNREFUSED)`,
    });
  });

  it('tells a host without a Zendesk token endpoint apart from refused OAuth credentials', async () => {
    server = await startFakeZendesk((r) =>
      r.path === '/oauth/tokens' && r.body.includes('wrong-secret')
        ? {
            status: 401,
            json: { error: 'invalid_client', error_description: 'Client authentication failed' },
          }
        : { status: 404, text: '<html><body>Not Found</body></html>' },
    );
    const oauth = (clientSecret: string) =>
      new ZendeskClient({
        baseUrl: server!.baseUrl,
        credentials: { kind: 'oauth_client_credentials', clientId: 'wfm', clientSecret },
      }).checkCredentials();
    await expect(oauth('wrong-secret-123')).resolves.toEqual({
      kind: 'wrong_credentials',
      message: 'Zendesk refused the credentials: invalid_client: Client authentication failed',
    });
    await expect(oauth('some-secret-456')).resolves.toEqual({
      kind: 'unreachable_or_not_zendesk',
      message: `${server.baseUrl} does not answer like Zendesk (Zendesk answered 404 on /oauth/tokens: Not Found)`,
    });
  });
});
