/**
 * The shape of a Zendesk webhook request as it reaches us (a Lambda Function URL event, or the
 * local `serve` command's HTTP server), reduced to what verification needs. Checks that need no
 * secret come first so a flood of junk costs no secret look-up.
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
      /** The body as parsed: a JSON object (trusted only once its signature is verified). */
      readonly json: Readonly<Record<string, unknown>>;
      readonly signature: string | undefined;
      readonly timestamp: string | undefined;
    }
  | {
      readonly ok: false;
      readonly status: 400 | 404 | 405 | 413;
      readonly message: string;
      readonly reason: Extract<
        WebhookRefusal,
        'unknown_path' | 'not_post' | 'body_too_large' | 'not_a_json_object'
      >;
    };

const header = (headers: WebhookHttpRequest['headers'], name: string): string | undefined => {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
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
  let json: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(rawBody.toString('utf8'));
    // An array is an object to typeof, but not the JSON object the README promises to require.
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new Error('not an object');
    json = parsed as Record<string, unknown>;
  } catch {
    return { ok: false, status: 400, message: 'Body must be a JSON object', reason: 'not_a_json_object' };
  }
  return {
    ok: true,
    integrationId: match[1] as string,
    rawBody,
    json,
    signature: header(request.headers, SIGNATURE_HEADER),
    timestamp: header(request.headers, TIMESTAMP_HEADER),
  };
};
