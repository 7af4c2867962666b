import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import { BROWSER_COOKIE, ConsoleGuard, SESSION_COOKIE } from '../../../../cli/console/guard.js';

const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const HOST = '127.0.0.1:8080';
const BROWSER = 'b'.repeat(43);

describe('ConsoleGuard: sign-in, cross-site requests and the Host header', () => {
  const open = new ConsoleGuard({ hosts: () => [HOST] });
  const csrf = open.csrfToken(BROWSER);
  const own = { host: HOST, origin: `http://${HOST}`, cookie: `${BROWSER_COOKIE}=${BROWSER}` };

  it.each<[string, Record<string, string>, URLSearchParams, string | undefined]>([
    ['a form of its own page with its token is accepted', own, new URLSearchParams({ csrf }), undefined],
    [
      'the Referer stands for a missing Origin',
      { host: HOST, referer: `http://${HOST}/integrations`, cookie: own.cookie },
      new URLSearchParams({ csrf }),
      undefined,
    ],
    [
      'another origin is refused',
      { ...own, origin: 'http://evil.example' },
      new URLSearchParams({ csrf }),
      'the request did not come from a page of this console',
    ],
    [
      'no Origin and no Referer is refused',
      { host: HOST, cookie: own.cookie },
      new URLSearchParams({ csrf }),
      'the request did not come from a page of this console',
    ],
    ['a missing token is refused', own, new URLSearchParams(), 'the form has expired: load the page again'],
    [
      "another browser's token is refused",
      own,
      new URLSearchParams({ csrf: open.csrfToken('c'.repeat(43)) }),
      'the form has expired: load the page again',
    ],
  ])('%s', (_rule, headers, form, refusal) => {
    expect(open.crossSiteRefusal(request(headers), form)).toBe(refusal);
  });

  it('on loopback: no sign-in, but only its own Host (a rebound name reaches nothing)', () => {
    expect(open.signedIn(request({}))).toBe(true);
    expect(open.hostAllowed(request({ host: HOST }))).toBe(true);
    expect(open.hostAllowed(request({ host: 'attacker.example:8080' }))).toBe(false);
  });

  it('with a token: a wrong one opens nothing, the right one a session cookie that is HttpOnly, SameSite=Strict and not the token', () => {
    const guarded = new ConsoleGuard({ token: 'the-console-token-123', hosts: () => [] });
    expect(guarded.signedIn(request({}))).toBe(false);
    expect(guarded.signIn('wrong')).toBeUndefined();
    const cookie = guarded.signIn('the-console-token-123') as string;
    expect(cookie).toMatch(
      new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict$`),
    );
    expect(cookie).not.toContain('the-console-token-123');
    expect(guarded.signedIn(request({ cookie: cookie.split(';')[0] as string }))).toBe(true);
    expect(guarded.signedIn(request({ cookie: `${SESSION_COOKIE}=forged` }))).toBe(false);
  });
});
