/**
 * The shape of a Zendesk webhook request as it reaches us (a Lambda Function URL event, or the
 * local `serve` command's HTTP server), reduced to what verification needs. The checks that need
 * nothing stored come first (path, method, size), so junk of those kinds costs no look-up; a body's
 * format is not among them, since any signed body starts an import.
 */
import type { WebhookRefusal } from './refusals.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signature.js';

export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;

/** `/integrations/{id}/webhook`; ids are the integration ids the integration service issues. */
const PATH = /^\/integrations\/([A-Za-z0-9_-]{1,64})\/webhook\/?$/;

export interface WebhookHttpRequest {
  readonly method: string;
  readonly path: string;
  /** Header names in any case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string | undefined;
  readonly isBase64Encoded: boolean;
}

export type ParsedWebhookRequest =
  | {
      readonly ok: true;
      readonly integrationId: string;
      readonly rawBody: Buffer;
      /**
       * The body's fields (trusted only once its signature is verified): a JSON object's, or a
       * form-encoded body's (a trigger's webhook may send `request_format` `form_encoded`);
       * undefined for any other body (XML, text), which then names no ticket.
       */
      readonly fields: Readonly<Record<string, unknown>> | undefined;
      readonly signature: string | undefined;
      readonly timestamp: string | undefined;
    }
  | {
      readonly ok: false;
      readonly status: 404 | 405 | 413;
      readonly message: string;
      readonly reason: Extract<WebhookRefusal, 'unknown_path' | 'not_post' | 'body_too_large'>;
    };

const header = (headers: WebhookHttpRequest['headers'], name: string): string | undefined => {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
};

/**
 * A body's fields: a JSON object's, or a form-encoded body's (by its content type); undefined for
 * anything else. Zendesk lets a trigger's webhook send JSON, XML or form-encoded bodies (Webhooks
 * API, `request_format`); a signed body of any of them starts an import, only its ticket is read
 * from the fields alone.
 */
const fieldsOf = (rawBody: Buffer, contentType: string | undefined): Record<string, unknown> | undefined => {
  const text = rawBody.toString('utf8');
  if (contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded'))
    return Object.fromEntries(new URLSearchParams(text));
  try {
    const parsed: unknown = JSON.parse(text);
    // An array is an object to typeof, but has no fields.
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

export const parseWebhookRequest = (request: WebhookHttpRequest): ParsedWebhookRequest => {
  const match = PATH.exec(request.path);
  if (!match) return { ok: false, status: 404, message: 'Not found', reason: 'unknown_path' };
  if (request.method.toUpperCase() !== 'POST')
    return { ok: false, status: 405, message: 'Use POST', reason: 'not_post' };
  const rawBody = Buffer.from(request.body ?? '', request.isBase64Encoded ? 'base64' : 'utf8');
  if (rawBody.length > MAX_WEBHOOK_BODY_BYTES) {
    return {
      ok: false,
      status: 413,
      message: `Body larger than ${MAX_WEBHOOK_BODY_BYTES} bytes`,
      reason: 'body_too_large',
    };
  }
  return {
    ok: true,
    integrationId: match[1] as string,
    rawBody,
    fields: fieldsOf(rawBody, header(request.headers, 'content-type')),
    signature: header(request.headers, SIGNATURE_HEADER),
    timestamp: header(request.headers, TIMESTAMP_HEADER),
  };
};
