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
        fields: { ticket_id: '5120' },
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
        fields: { a: 1 },
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
        fields: { ticket_id: '5120' },
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
      'a form-encoded body (a trigger webhook of request_format form_encoded): its fields',
      {
        ...base,
        headers: { ...base.headers, 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: 'ticket_id=5120&note=a+b',
      },
      {
        ok: true,
        integrationId: 'int_42',
        rawBody: Buffer.from('ticket_id=5120&note=a+b'),
        fields: { ticket_id: '5120', note: 'a b' },
        signature: 'c2lnbmF0dXJl',
        timestamp: '2026-11-24T09:07:01Z',
      },
    ],
    [
      'a body that is not JSON and not said to be a form: no fields (it starts an import once verified)',
      { ...base, body: '<ticket_id>5120</ticket_id>' },
      {
        ok: true,
        integrationId: 'int_42',
        rawBody: Buffer.from('<ticket_id>5120</ticket_id>'),
        fields: undefined,
        signature: 'c2lnbmF0dXJl',
        timestamp: '2026-11-24T09:07:01Z',
      },
    ],
    [
      'a JSON body that is not an object: no fields',
      { ...base, body: '42' },
      {
        ok: true,
        integrationId: 'int_42',
        rawBody: Buffer.from('42'),
        fields: undefined,
        signature: 'c2lnbmF0dXJl',
        timestamp: '2026-11-24T09:07:01Z',
      },
    ],
    [
      'a JSON array: no fields',
      { ...base, body: '[{"ticket":1}]' },
      {
        ok: true,
        integrationId: 'int_42',
        rawBody: Buffer.from('[{"ticket":1}]'),
        fields: undefined,
        signature: 'c2lnbmF0dXJl',
        timestamp: '2026-11-24T09:07:01Z',
      },
    ],
    [
      'no body: no fields',
      { ...base, body: undefined },
      {
        ok: true,
        integrationId: 'int_42',
        rawBody: Buffer.from(''),
        fields: undefined,
        signature: 'c2lnbmF0dXJl',
        timestamp: '2026-11-24T09:07:01Z',
      },
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
