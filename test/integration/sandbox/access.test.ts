import { afterEach, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import { basic, get, type JsonObject } from './http.js';

const NOW = '2024-06-10T12:00:00Z';
const EVENTS = '/api/v2/incremental/ticket_events?start_time=1717200000';

const token = async (s: Sandbox, body: Record<string, string>) => {
  const res = await fetch(`${s.baseUrl}/oauth/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as JsonObject };
};

let s: Sandbox | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});

describe('authentication', () => {
  it("accepts the admin API token and refuses a wrong one with Zendesk's 401 body", async () => {
    s = await startSandbox({ size: 'tiny', now: NOW, rateLimit: false });
    expect((await get(s, '/api/v2/users/me')).status).toBe(200);
    for (const auth of [
      basic(s.credentials.email, 'wrong'),
      basic('nobody@acme.example', s.credentials.apiToken),
      null,
    ]) {
      const r = await get(s, '/api/v2/users/me', auth);
      expect(r.status).toBe(401);
      expect(r.json).toEqual({ error: "Couldn't authenticate you" });
    }
  });

  it('gives a non-admin agent 403 on the admin-only exports, 200 on views and the credential check', async () => {
    s = await startSandbox({ size: 'tiny', now: NOW, rateLimit: false });
    const agent = basic(s.credentials.agent.email, s.credentials.agent.apiToken);
    const me = await get(s, '/api/v2/users/me', agent);
    expect((me.json.user as JsonObject).role).toBe('agent');
    expect((await get(s, '/api/v2/views', agent)).status).toBe(200);
    for (const path of [
      EVENTS,
      '/api/v2/incremental/tickets/cursor?start_time=0',
      '/api/v2/channels/voice/stats/incremental/calls?start_time=0',
    ]) {
      const r = await get(s, path, agent);
      expect(r.status).toBe(403);
      expect(r.json).toEqual({
        error: {
          title: 'Forbidden',
          message:
            'You do not have access to this page. Please contact the account owner of this help desk for further help.',
        },
      });
    }
  });

  it('issues client-credentials access tokens that work as Bearer until they expire', async () => {
    s = await startSandbox({ size: 'tiny', now: NOW, rateLimit: false, accessTokenTtlSeconds: 60 });
    const { clientId, clientSecret } = s.credentials.oauth;
    const issued = await token(s, {
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
      scope: 'read',
    });
    expect(issued.status).toBe(200);
    expect(issued.json).toMatchObject({ token_type: 'bearer', scope: 'read', expires_in: 60 });
    const bearer = `Bearer ${issued.json.access_token as string}`;
    expect((await get(s, EVENTS, bearer)).status).toBe(200);
    s.advanceClock(61);
    const expired = await get(s, EVENTS, bearer);
    expect(expired.status).toBe(401);
    expect(expired.json).toEqual({ error: "Couldn't authenticate you" });

    const wrong = await token(s, {
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: 'nope',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toBe('invalid_client');
    const form = await fetch(`${s.baseUrl}/oauth/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
      }).toString(),
    });
    expect(form.status).toBe(200);
  });

  it('rotates refresh tokens: a used refresh token is refused', async () => {
    s = await startSandbox({ size: 'tiny', now: NOW, rateLimit: false });
    const { clientId, clientSecret, refreshToken } = s.credentials.oauth;
    const first = await token(s, {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: clientId,
      client_secret: clientSecret,
    });
    expect(first.status).toBe(200);
    expect(first.json.refresh_token).not.toBe(refreshToken);
    expect((await get(s, '/api/v2/users/me', `Bearer ${first.json.access_token as string}`)).status).toBe(
      200,
    );

    const reused = await token(s, {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: clientId,
      client_secret: clientSecret,
    });
    expect(reused.status).toBe(400);
    expect(reused.json.error).toBe('invalid_grant');
    const second = await token(s, {
      grant_type: 'refresh_token',
      refresh_token: first.json.refresh_token as string,
      client_id: clientId,
      client_secret: clientSecret,
    });
    expect(second.status).toBe(200);
    const unsupported = await token(s, {
      grant_type: 'password',
      client_id: clientId,
      client_secret: clientSecret,
    });
    expect(unsupported.json.error).toBe('unsupported_grant_type');
  });
});

describe('rate limits', () => {
  it('switched off: no 429 and no rate-limit headers for a client to throttle itself by', async () => {
    s = await startSandbox({ size: 'tiny', now: NOW, rateLimit: false });
    for (let i = 0; i < 30; i++) expect((await get(s, EVENTS)).status).toBe(200);
    const r = await get(s, EVENTS);
    expect([...r.headers.keys()].filter((h) => /rate-?limit/i.test(h))).toEqual([]);
  });

  it('sends the rate-limit headers in every spelling', async () => {
    s = await startSandbox({ size: 'tiny', now: NOW });
    const r = await get(s, EVENTS);
    expect(r.headers.get('x-rate-limit')).toBe('700');
    expect(r.headers.get('x-rate-limit-remaining')).toBe('699');
    expect(r.headers.get('ratelimit-limit')).toBe('700');
    expect(r.headers.get('ratelimit-remaining')).toBe('699');
    expect(r.headers.get('rate-limit-remaining')).toBe('699');
    expect(Number(r.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    expect(r.headers.get('zendesk-ratelimit-incremental-exports')).toMatch(
      /^total=10; remaining=9; resets=\d+$/,
    );
    const users = await get(s, '/api/v2/incremental/users/cursor?start_time=0');
    expect(users.headers.get('zendesk-ratelimit-incremental-exports-cursor')).toMatch(
      /^total=20; remaining=19; resets=\d+$/,
    );
  });

  it('allows 10 incremental export requests a minute, then answers 429 with Retry-After until the minute is over', async () => {
    s = await startSandbox({ size: 'tiny', now: NOW });
    for (let i = 0; i < 10; i++) expect((await get(s, EVENTS)).status).toBe(200);
    const limited = await get(s, EVENTS);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(50);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(limited.json).toEqual({
      error: 'APIRateLimitExceeded',
      description: 'Number of allowed incremental export API requests per minute exceeded',
    });
    expect((await get(s, '/api/v2/views')).status).toBe(200);
    s.advanceClock(60);
    expect((await get(s, EVENTS)).status).toBe(200);
  });

  it('can be set to 2 requests per second', async () => {
    s = await startSandbox({ size: 'tiny', now: NOW, rateLimit: { perSecond: 2 } });
    expect((await get(s, '/api/v2/views')).status).toBe(200);
    expect((await get(s, '/api/v2/views')).status).toBe(200);
    const limited = await get(s, '/api/v2/views');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    s.advanceClock(1);
    expect((await get(s, '/api/v2/views')).status).toBe(200);
  });

  it('names a bad rate-limit option', async () => {
    await expect(startSandbox({ size: 'tiny', rateLimit: { perSecond: 0 } })).rejects.toThrow(
      'rateLimit.perSecond must be a positive integer, got 0',
    );
  });
});
