import { describe, expect, it } from '@jest/globals';
import { consoleAddress, consoleToken } from '../../../../cli/console/start.js';

describe('consoleToken: the console needs a sign-in token off loopback', () => {
  it.each<[string, string, Record<string, string>, string | undefined]>([
    ['loopback without a token: open', '127.0.0.1', {}, undefined],
    ['localhost without a token: open', 'localhost', {}, undefined],
    [
      'loopback with a token: the token is required too',
      '127.0.0.1',
      { ZENDESK_WFM_CONSOLE_TOKEN: 'a-token-of-20-chars!' },
      'a-token-of-20-chars!',
    ],
    [
      'another address with a token',
      '0.0.0.0',
      { ZENDESK_WFM_CONSOLE_TOKEN: 'a-token-of-20-chars!' },
      'a-token-of-20-chars!',
    ],
  ])('%s', (_rule, host, env, expected) => {
    expect(consoleToken(host, env)).toBe(expected);
  });

  it.each<[string, string, Record<string, string>, string]>([
    [
      'another address without a token is refused, naming the variable',
      '0.0.0.0',
      {},
      "--host 0.0.0.0: the web console on an address other than loopback needs a sign-in token: set ZENDESK_WFM_CONSOLE_TOKEN (at least 16 characters) in serve's environment",
    ],
    [
      'a short token is refused',
      '0.0.0.0',
      { ZENDESK_WFM_CONSOLE_TOKEN: 'short' },
      'ZENDESK_WFM_CONSOLE_TOKEN: at least 16 characters',
    ],
  ])('%s', (_rule, host, env, message) => {
    expect(() => consoleToken(host, env)).toThrow(message);
  });

  it('consoleAddress: the first page, a wildcard address reached on loopback', () => {
    expect(consoleAddress('http://0.0.0.0:8080')).toBe('http://127.0.0.1:8080/integrations');
    expect(consoleAddress('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080/integrations');
  });
});
