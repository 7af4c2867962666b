import { describe, expect, it, jest } from '@jest/globals';
import { checkAccount, type Account } from '../../../cli/connection.js';
import { CommandFailedError, EXIT } from '../../../cli/exit.js';
import type { CredentialChecker } from '../../../shared/pipeline/integrations.js';

/**
 * Rule (SPEC §2, §8): the command line checks the credentials before any store starts; a refusal
 * stops it, a rate limit is no refusal, and a refresh token Zendesk rotated during the check is
 * never lost (the one given is revoked by then).
 */
const ACCOUNT: Account = {
  domain: 'acme',
  username: 'admin@acme.test',
  credentials: {
    kind: 'oauth_refresh_token',
    clientId: 'wfm',
    clientSecret: 'cs-1',
    refreshToken: 'rt-given-1',
  },
};
const RATE_LIMITED = { kind: 'rate_limited', retryAfterSeconds: 60, waitedSeconds: 300 } as const;

describe('checkAccount', () => {
  it('rate limited after Zendesk rotated the refresh token: the verdict and the rotated token go on to the service', async () => {
    const checker = jest.fn<CredentialChecker>(async (_target, _credentials, saveRefreshToken) => {
      await saveRefreshToken('rt-rotated-2');
      return RATE_LIMITED;
    });
    const handOver = await checkAccount(ACCOUNT, checker);
    const saved: string[] = [];
    const verdict = await handOver(
      { domain: 'acme' },
      { kind: 'api_token', username: 'x', apiToken: 'y' },
      async (t) => {
        saved.push(t);
      },
    );
    expect([verdict, saved]).toEqual([RATE_LIMITED, ['rt-rotated-2']]);
  });

  it('not answered after Zendesk rotated the refresh token: the verdict and the rotated token go on too', async () => {
    const unanswered = { kind: 'unreachable_or_not_zendesk', message: 'timeout' } as const;
    const checker = jest.fn<CredentialChecker>(async (_target, _credentials, saveRefreshToken) => {
      await saveRefreshToken('rt-rotated-2');
      return unanswered;
    });
    const saved: string[] = [];
    const verdict = await (
      await checkAccount(ACCOUNT, checker)
    )({ domain: 'acme' }, { kind: 'api_token', username: 'x', apiToken: 'y' }, async (t) => {
      saved.push(t);
    });
    expect([verdict, saved]).toEqual([unanswered, ['rt-rotated-2']]);
  });

  it('rate limited without a rotation: the command stops with exit 1 (no refusal), nothing goes on', async () => {
    const checker = jest.fn<CredentialChecker>(async () => RATE_LIMITED);
    const failure = await checkAccount(ACCOUNT, checker).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CommandFailedError);
    expect((failure as CommandFailedError).exitCode).toBe(EXIT.failed);
  });

  it('refused (not an admin) after a rotation: the command stops with exit 3 naming the username', async () => {
    const checker = jest.fn<CredentialChecker>(async (_target, _credentials, saveRefreshToken) => {
      await saveRefreshToken('rt-rotated-2');
      return { kind: 'not_admin', role: 'agent', message: 'an agent' };
    });
    const failure = await checkAccount(ACCOUNT, checker).catch((error: unknown) => error);
    expect([(failure as CommandFailedError).exitCode, (failure as CommandFailedError).field]).toEqual([
      EXIT.refusedByZendesk,
      'username',
    ]);
  });
});
