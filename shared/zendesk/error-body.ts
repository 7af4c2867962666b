/**
 * Zendesk's error bodies come in at least three JSON envelopes, plus plain text or HTML from the
 * edge (zendesk-api.md §6.3). This turns any of them into one short human message, redacted before
 * it is shortened (an echoed header cut in half would no longer be recognised as a secret).
 */
import { redactThenShorten, type Redactor } from './redact.js';

const MAX_MESSAGE = 300;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

const fromJson = (body: unknown): string | undefined => {
  if (!body || typeof body !== 'object') return undefined;
  const o = body as Record<string, unknown>;
  // {"error":"Code","description":"…"}
  const code = text(o.error);
  const description = text(o.description) ?? text(o.error_description);
  if (code || description) return [code, description].filter(Boolean).join(': ');
  // {"error":{"title":…,"message":…}}
  if (o.error && typeof o.error === 'object') {
    const e = o.error as Record<string, unknown>;
    const parts = [text(e.title), text(e.message)].filter(Boolean);
    if (parts.length > 0) return parts.join(': ');
  }
  // {"errors":[{"code","title","detail"}]}
  if (Array.isArray(o.errors)) {
    const parts = o.errors
      .map((e: unknown) =>
        e && typeof e === 'object'
          ? (text((e as Record<string, unknown>).detail) ?? text((e as Record<string, unknown>).title))
          : text(e),
      )
      .filter(Boolean);
    if (parts.length > 0) return parts.join('; ');
  }
  return undefined;
};

/**
 * Whether a 403's message says the endpoint is closed to this client (as opposed to the user's
 * role or a missing scope: "You do not have access to this page", "You are missing the following
 * required scopes"). Zendesk's wording for withdrawn exports is not published, so this reads the
 * two things such an answer must say: that something is not available, and to whom (a client,
 * app or integration).
 */
export const saysEndpointClosedToClient = (message: string): boolean =>
  /\b(?:not|no longer) (?:be )?(?:available|accessible|allowed|permitted|supported|enabled)\b/i.test(
    message,
  ) && /\b(?:client|app|apps|application|integration|integrations|third[- ]party|partner)\b/i.test(message);

export const zendeskMessage = (body: string, status: number, redactor: Redactor): string => {
  let message: string | undefined;
  try {
    message = fromJson(JSON.parse(body));
  } catch {
    message = text(
      body
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    );
  }
  return redactThenShorten(redactor, message ?? `HTTP ${status} without a message`, MAX_MESSAGE);
};
