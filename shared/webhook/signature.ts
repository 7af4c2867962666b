/**
 * Zendesk webhook signatures: base64(HMAC-SHA256(key = signing secret, message = timestamp header
 * value + raw body)), sent in `x-zendesk-webhook-signature` with the timestamp in
 * `x-zendesk-webhook-signature-timestamp` (zendesk-api.md §7.1). The secret is used as the key as
 * is (the static test secret of Admin Center is a base64-looking string, used verbatim).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-zendesk-webhook-signature';
export const TIMESTAMP_HEADER = 'x-zendesk-webhook-signature-timestamp';
/** Requests signed longer ago than this are refused as replays. */
export const MAX_SIGNATURE_AGE_SECONDS = 300;

export type SignatureVerdict =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reason:
        'missing_signature' | 'missing_timestamp' | 'bad_timestamp' | 'stale' | 'bad_signature';
    };

export const signWebhook = (secret: string, timestamp: string, rawBody: string | Buffer): string =>
  createHmac('sha256', secret).update(timestamp).update(rawBody).digest('base64');

export interface SignedRequest {
  readonly signature: string | undefined;
  readonly timestamp: string | undefined;
  readonly rawBody: string | Buffer;
}

export const verifyWebhookSignature = (
  secret: string,
  request: SignedRequest,
  now: Date,
  maxAgeSeconds: number = MAX_SIGNATURE_AGE_SECONDS,
): SignatureVerdict => {
  if (!request.signature) return { ok: false, reason: 'missing_signature' };
  if (!request.timestamp) return { ok: false, reason: 'missing_timestamp' };
  const signedAt = Date.parse(request.timestamp);
  if (Number.isNaN(signedAt)) return { ok: false, reason: 'bad_timestamp' };
  // Both directions: a timestamp far in the future is as suspicious as an old one.
  if (Math.abs(now.getTime() - signedAt) > maxAgeSeconds * 1000) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(signWebhook(secret, request.timestamp, request.rawBody), 'base64');
  const given = Buffer.from(request.signature, 'base64');
  // timingSafeEqual needs equal lengths; a length mismatch is a wrong signature either way.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad_signature' };
  }
  return { ok: true };
};
