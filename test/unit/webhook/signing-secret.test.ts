import { describe, expect, it } from '@jest/globals';
import {
  signingSecretOf,
  storedSigningSecret,
  ZENDESK_TEST_SIGNING_SECRET,
} from '../../../shared/webhook/signing-secret.js';

/** A webhook's secret as Zendesk shows it: 44 characters of base64 (its verification guide's example). */
const SECRET = 'HRkRd4BeOAoUkfZr-mhauJT64rvBASlJRoIyPsd3zeA=';

describe('signingSecretOf: a webhook signing secret as it is kept', () => {
  const kept: [rule: string, given: string, expected: string][] = [
    ['the secret as Zendesk shows it is kept as it is', SECRET, SECRET],
    [
      'a trailing newline (a shell, a pasted line) is taken off: the key is the secret byte for byte',
      `${SECRET}\n`,
      SECRET,
    ],
    ['blanks around it are taken off', `  ${SECRET}\t `, SECRET],
  ];
  it.each(kept)('%s', (_rule, given, expected) => {
    expect(signingSecretOf(given)).toBe(expected);
  });

  const refused: [rule: string, given: string, message: string][] = [
    [
      'too short to be one, blanks not counted',
      '  abc    ',
      'webhookSigningSecret: at least 8 characters (copy it from the webhook in Zendesk)',
    ],
    [
      'a blank inside (two values pasted together)',
      `${SECRET} ${SECRET}`,
      'webhookSigningSecret: a signing secret has no spaces or line breaks inside it',
    ],
    [
      "Zendesk's public test secret, which anyone can sign with",
      ZENDESK_TEST_SIGNING_SECRET,
      `webhookSigningSecret: that is Zendesk's public test secret, which anyone can sign with; copy the webhook's own secret (Admin Center, the webhook, "Reveal secret")`,
    ],
  ];
  it.each(refused)('refuses %s, naming the field and never the value', (_rule, given, message) => {
    let thrown: unknown;
    try {
      signingSecretOf(given);
    } catch (error) {
      thrown = error;
    }
    expect((thrown as Error).message).toBe(message);
  });

  it('names the field it was given as', () => {
    expect(() => signingSecretOf('short', '--webhook-signing-secret')).toThrow(
      '--webhook-signing-secret: at least 8 characters',
    );
  });
});

describe('storedSigningSecret: a stored secret as the webhook uses it', () => {
  const rows: [rule: string, stored: string | undefined, used: string | undefined][] = [
    ['a secret kept by signingSecretOf is used as it is', SECRET, SECRET],
    ['one stored by hand with a newline is used without it', `${SECRET}\n`, SECRET],
    [
      "Zendesk's public test secret verifies nothing: as if none were stored",
      ZENDESK_TEST_SIGNING_SECRET,
      undefined,
    ],
    ['a value too short to be a secret is none', 'abc', undefined],
    ['no secret is none', undefined, undefined],
  ];
  it.each(rows)('%s', (_rule, stored, used) => {
    expect(storedSigningSecret(stored)).toBe(used);
  });
});
