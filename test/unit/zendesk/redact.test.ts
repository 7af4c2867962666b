import { describe, expect, it } from '@jest/globals';
import { zendeskMessage } from '../../../shared/zendesk/error-body.js';
import { REDACTED, Redactor } from '../../../shared/zendesk/redact.js';

const API_TOKEN = 'Zk3vQ9rT2mW8xY4pL6nB1cD5fG7hJ0aS9eR2tY4uI6oP8qA1';
const CLIENT_SECRET = 'cs_9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const ACCESS_TOKEN = 'at_0123456789abcdef0123456789abcdef0123456789abcdef';
const REFRESH_TOKEN = 'rt_fedcba9876543210fedcba9876543210fedcba98765432';
const SIGNING_SECRET = 'whsec+/AbCdEfGh1234567890IjKlMnOpQrStUv==';
const EMAIL = 'admin@acme.test';

const known = () => {
  const redactor = new Redactor();
  redactor.add(API_TOKEN, CLIENT_SECRET, ACCESS_TOKEN, REFRESH_TOKEN, SIGNING_SECRET, undefined, 'ab');
  return redactor;
};
const b64 = (text: string) => Buffer.from(text).toString('base64');

/** Every part of a secret long enough to be recognised: none may survive. */
const leaks = (text: string, secret: string): string[] => {
  const found: string[] = [];
  for (let i = 0; i + 12 <= secret.length; i += 1) {
    const part = secret.slice(i, i + 12);
    if (text.includes(part)) found.push(part);
  }
  return found;
};

describe('Redactor.redact (text this project wrote)', () => {
  type Row = [rule: string, input: string, expected: string];
  const rows: Row[] = [
    [
      'a known secret is replaced wherever it appears',
      `token ${API_TOKEN} twice ${API_TOKEN}`,
      `token ${REDACTED} twice ${REDACTED}`,
    ],
    ['values too short to be a secret are not registered', 'ab stays', 'ab stays'],
    [
      "a URL's password is redacted, whoever's it is (an address stored with credentials in it)",
      'base URL http://me:unknown-pw@127.0.0.1:34717/ and https://a:b@x.test/p?q=1',
      `base URL http://me:${REDACTED}@127.0.0.1:34717/ and https://a:${REDACTED}@x.test/p?q=1`,
    ],
    [
      'a URL with a port and no user keeps its port',
      'http://127.0.0.1:34717/api/v2/tickets/1@example',
      'http://127.0.0.1:34717/api/v2/tickets/1@example',
    ],
    [
      'a known secret in a credential field is redacted once, not followed by a stray bracket',
      `GET /api/v2/users/me email/token:${API_TOKEN} "client_secret":"${CLIENT_SECRET}"`,
      `GET /api/v2/users/me email/token:${REDACTED} "client_secret":"${REDACTED}"`,
    ],
    [
      'an Authorization header value is redacted whatever it holds',
      'Authorization: Basic c29tZW9uZUBlbHNlLmNvbS90b2tlbjpub3Rrbm93bg==\nHost: x',
      `Authorization: ${REDACTED}\nHost: x`,
    ],
    [
      'a Cookie header value is redacted',
      '"cookie":"_zendesk_session=abc; other=1"',
      `"cookie":"${REDACTED}"`,
    ],
    [
      'a Bearer credential is redacted',
      'sent Bearer unknown0token0value here',
      `sent Bearer ${REDACTED} here`,
    ],
    [
      'an access_token field is redacted',
      '{"access_token":"unknown0access"}',
      `{"access_token":"${REDACTED}"}`,
    ],
    [
      'a plain basic-auth pair loses its token',
      `${EMAIL}/token:someothertoken1`,
      `${EMAIL}/token:${REDACTED}`,
    ],
    ['"Basic" in prose stays', 'Basic authentication failed', 'Basic authentication failed'],
  ];
  it.each(rows)('%s', (_rule, input, expected) => {
    expect(known().redact(input)).toBe(expected);
  });

  it('the base64 of a basic-auth pair is recognised at any alignment, without its header', () => {
    for (const prefix of ['', 'a', 'ab']) {
      const header = b64(`${prefix}${EMAIL}/token:${API_TOKEN}`);
      expect(leaks(known().redact(`echo ${header} end`), header.slice(-40))).toEqual([]);
    }
    const client = b64(`zendesk_wfm:${CLIENT_SECRET}`);
    expect(known().redact(client)).not.toContain(client.slice(16, 40));
  });

  it('JSON- and URL-escaped forms of a secret are recognised', () => {
    expect(known().redact(`"s":"${JSON.stringify(SIGNING_SECRET).slice(1, -1)}"`)).toBe(`"s":"${REDACTED}"`);
    expect(known().redact(`q=${encodeURIComponent(SIGNING_SECRET)}`)).toBe(`q=${REDACTED}`);
  });
});

describe('Redactor.redactForeign (text from Zendesk or the network)', () => {
  it('also hides token-shaped strings nobody registered (a signing secret the client never saw)', () => {
    const redactor = new Redactor();
    expect(redactor.redactForeign(`echo ${SIGNING_SECRET} and ticket_events ok`)).toBe(
      `echo ${REDACTED} and ticket_events ok`,
    );
    expect(redactor.redactForeign("Couldn't authenticate you")).toBe("Couldn't authenticate you");
  });
});

describe('zendeskMessage: redacted first, shortened second', () => {
  const kinds: [kind: string, secret: string][] = [
    ['API token', API_TOKEN],
    ['OAuth client secret', CLIENT_SECRET],
    ['access token', ACCESS_TOKEN],
    ['refresh token', REFRESH_TOKEN],
    ['signing secret', SIGNING_SECRET],
  ];
  it.each(kinds)('the %s split across the 300-character cut leaves no part behind', (_kind, secret) => {
    for (let shift = 0; shift < secret.length; shift += 7) {
      const body = JSON.stringify({
        error: 'Forbidden',
        description: `${'x'.repeat(300 - 11 - shift)} ${secret}`,
      });
      const message = zendeskMessage(body, 403, known());
      expect(leaks(message, secret)).toEqual([]);
      // Even a client that knows nothing redacts it: it looks like a token.
      expect(leaks(zendeskMessage(body, 403, new Redactor()), secret)).toEqual([]);
    }
  });

  it('an echoed Authorization header (the reported leak) prints neither the base64 nor the token', () => {
    const header = `Basic ${b64(`${EMAIL}/token:${API_TOKEN}`)}`;
    const body = `<html><body><h1>403</h1><pre>${'x'.repeat(240)} Authorization: ${header}</pre></body></html>`;
    const message = zendeskMessage(body, 403, known());
    expect(leaks(message, API_TOKEN)).toEqual([]);
    expect(leaks(message, header.slice(6))).toEqual([]);
    expect(message.length).toBeLessThanOrEqual(301);
  });
});
