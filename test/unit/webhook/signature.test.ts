import { describe, expect, it } from '@jest/globals';
import {
  signWebhook,
  verifyWebhookSignature,
  type SignatureVerdict,
  type SignedRequest,
} from '../../../shared/webhook/signature.js';

// The static secret Zendesk uses for test requests from Admin Center (zendesk-api.md §7.1).
const SECRET = 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==';
const TIMESTAMP = '2026-11-24T09:07:01Z';
const BODY = '{"ticket_id":"5120","kind":"ticket_updated"}';
const NOW = new Date('2026-11-24T09:08:00Z');

describe('signWebhook', () => {
  it('is base64 HMAC-SHA256 over the timestamp followed by the raw body', () => {
    // Computed independently: printf '%s%s' "$TIMESTAMP" "$BODY" | openssl dgst -sha256 -hmac "$SECRET" -binary | base64
    expect(signWebhook(SECRET, TIMESTAMP, BODY)).toBe('hj92e1kEjb1dpFT8SpggVpbQ9b5YRF0IkX9ApfjTC88=');
  });
});

describe('verifyWebhookSignature', () => {
  const good = signWebhook(SECRET, TIMESTAMP, BODY);
  const cases: [name: string, request: SignedRequest, now: Date, expected: SignatureVerdict][] = [
    ['a correct signature', { signature: good, timestamp: TIMESTAMP, rawBody: BODY }, NOW, { ok: true }],
    [
      'a signature made with another secret',
      { signature: signWebhook('another', TIMESTAMP, BODY), timestamp: TIMESTAMP, rawBody: BODY },
      NOW,
      { ok: false, reason: 'bad_signature' },
    ],
    [
      'a body changed after signing',
      { signature: good, timestamp: TIMESTAMP, rawBody: `${BODY} ` },
      NOW,
      { ok: false, reason: 'bad_signature' },
    ],
    [
      'a timestamp changed after signing',
      { signature: good, timestamp: '2026-11-24T09:07:02Z', rawBody: BODY },
      NOW,
      { ok: false, reason: 'bad_signature' },
    ],
    [
      'a truncated signature',
      { signature: good.slice(0, 20), timestamp: TIMESTAMP, rawBody: BODY },
      NOW,
      { ok: false, reason: 'bad_signature' },
    ],
    [
      'no signature',
      { signature: undefined, timestamp: TIMESTAMP, rawBody: BODY },
      NOW,
      { ok: false, reason: 'missing_signature' },
    ],
    [
      'no timestamp',
      { signature: good, timestamp: undefined, rawBody: BODY },
      NOW,
      { ok: false, reason: 'missing_timestamp' },
    ],
    [
      'a timestamp that is not one',
      { signature: good, timestamp: 'yesterday', rawBody: BODY },
      NOW,
      { ok: false, reason: 'bad_timestamp' },
    ],
    [
      'a request signed exactly 5 minutes ago',
      { signature: good, timestamp: TIMESTAMP, rawBody: BODY },
      new Date('2026-11-24T09:12:01Z'),
      { ok: true },
    ],
    [
      'a request signed 5 minutes and 1 ms ago (replay)',
      { signature: good, timestamp: TIMESTAMP, rawBody: BODY },
      new Date('2026-11-24T09:12:01.001Z'),
      { ok: false, reason: 'stale' },
    ],
    [
      'a timestamp more than 5 minutes in the future',
      { signature: good, timestamp: TIMESTAMP, rawBody: BODY },
      new Date('2026-11-24T09:02:00Z'),
      { ok: false, reason: 'stale' },
    ],
  ];
  it.each(cases)('%s', (_name, request, now, expected) => {
    expect(verifyWebhookSignature(SECRET, request, now)).toEqual(expected);
  });
});
