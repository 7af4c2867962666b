import { describe, expect, it } from '@jest/globals';
import {
  MAX_WEBHOOK_BODY_BYTES,
  parseWebhookRequest,
  type ParsedWebhookRequest,
  type WebhookHttpRequest,
} from '../../../shared/webhook/request.js';

const base: WebhookHttpRequest = {
  method: 'POST',
  path: '/integrations/int_42/webhook',
  headers: {
    'X-Zendesk-Webhook-Signature': 'c2lnbmF0dXJl',
    'x-zendesk-webhook-signature-timestamp': '2026-11-24T09:07:01Z',
  },
  body: '{"ticket_id":"5120"}',
  isBase64Encoded: false,
};

describe('parseWebhookRequest', () => {
  const cases: [name: string, request: WebhookHttpRequest, expected: ParsedWebhookRequest][] = [
    [
      'a JSON POST to an integration path, headers in any case',
      base,
      {
        ok: true,
        integrationId: 'int_42',
        rawBody: Buffer.from('{"ticket_id":"5120"}'),
        json: { ticket_id: '5120' },
        signature: 'c2lnbmF0dXJl',
        timestamp: '2026-11-24T09:07:01Z',
      },
    ],
    [
      'a base64-encoded body (as Function URLs deliver some bodies)',
      { ...base, body: Buffer.from('{"a":1}').toString('base64'), isBase64Encoded: true },
      {
        ok: true,
        integrationId: 'int_42',
        rawBody: Buffer.from('{"a":1}'),
        json: { a: 1 },
        signature: 'c2lnbmF0dXJl',
        timestamp: '2026-11-24T09:07:01Z',
      },
    ],
    [
      'no signature headers (left for verification to refuse)',
      { ...base, headers: {} },
      {
        ok: true,
        integrationId: 'int_42',
        rawBody: Buffer.from('{"ticket_id":"5120"}'),
        json: { ticket_id: '5120' },
        signature: undefined,
        timestamp: undefined,
      },
    ],
    [
      'another path',
      { ...base, path: '/admin' },
      { ok: false, status: 404, message: 'Not found', reason: 'unknown_path' },
    ],
    [
      'an id with characters ids never have',
      { ...base, path: '/integrations/../webhook' },
      { ok: false, status: 404, message: 'Not found', reason: 'unknown_path' },
    ],
    [
      'a GET',
      { ...base, method: 'GET' },
      { ok: false, status: 405, message: 'Use POST', reason: 'not_post' },
    ],
    [
      'a body that is not JSON',
      { ...base, body: 'ticket=5120' },
      { ok: false, status: 400, message: 'Body must be a JSON object', reason: 'not_a_json_object' },
    ],
    [
      'a JSON body that is not an object',
      { ...base, body: '42' },
      { ok: false, status: 400, message: 'Body must be a JSON object', reason: 'not_a_json_object' },
    ],
    [
      'a JSON array (the README promises 400 for anything but an object)',
      { ...base, body: '[{"ticket":1}]' },
      { ok: false, status: 400, message: 'Body must be a JSON object', reason: 'not_a_json_object' },
    ],
    [
      'no body',
      { ...base, body: undefined },
      { ok: false, status: 400, message: 'Body must be a JSON object', reason: 'not_a_json_object' },
    ],
    [
      'an oversized body',
      { ...base, body: `{"x":"${'a'.repeat(MAX_WEBHOOK_BODY_BYTES)}"}` },
      {
        ok: false,
        status: 413,
        message: `Body larger than ${MAX_WEBHOOK_BODY_BYTES} bytes`,
        reason: 'body_too_large',
      },
    ],
  ];
  it.each(cases)('%s', (_name, request, expected) => {
    expect(parseWebhookRequest(request)).toEqual(expected);
  });
});
