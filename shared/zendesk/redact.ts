/**
 * Keeps secrets out of every string the project emits (errors, log lines, stored reasons, the
 * CLI's output). Anything Zendesk or the network says is passed through `redactForeign` BEFORE it
 * is shortened or used, because a body or an error cause may echo a header or a token back, and a
 * secret cut in half by a length limit is no longer recognisable as itself.
 *
 * Three layers:
 * - known secrets, in the forms an echo takes them: as they are, JSON- and URL-escaped, and
 *   base64-encoded at any alignment (a basic-auth header carries `email/token:<token>` or
 *   `client_id:<secret>` in base64, so the secret's bytes start at any offset of a 3-byte group);
 * - credential-carrying fields and schemes, whoever's secret they hold: `Authorization`, `Cookie`,
 *   `Set-Cookie` header values, `access_token`/`refresh_token`/`client_secret`/`password` fields,
 *   `Basic …`/`Bearer …` credentials;
 * - in foreign text only, anything that looks like a token: a long run of letters and digits
 *   (hex, base64, base64url) such as an API token, OAuth token or signing secret this process was
 *   never told about.
 */
export const REDACTED = '[redacted]';

/** Shorter strings would redact ordinary words. */
const MIN_SECRET_LENGTH = 6;
/** Base64 fragments shorter than this could match by chance. */
const MIN_BASE64_FRAGMENT = 8;

const HEADER_VALUE =
  /\b((?:proxy-)?authorization|set-cookie|cookie|x-zendesk-webhook-signature)(["']?\s*[:=]\s*["']?)([^"\r\n]*)/gi;
const SECRET_FIELD =
  /\b(access_token|refresh_token|client_secret|api_token|signing_secret|password|\/token)(["']?\s*[:=]\s*["']?)([^"'\s&,;}\]]+)/gi;
const SCHEME = /\b(basic|bearer)(\s+)([A-Za-z0-9._~+/=-]{8,})/gi;
/** A URL's password (`scheme://user:password@host`). */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*:)([^\s/?#@]+)(@)/gi;
/** A run of token characters long enough to be a credential, with letters and digits mixed. */
const TOKEN_LIKE = /[A-Za-z0-9_+/=-]{24,}/g;
const looksLikeToken = (run: string) => /\d/.test(run) && /[A-Za-z]/.test(run);

/** The fragments of `base64(prefix + secret + suffix)` that depend on the secret alone, for each alignment. */
const base64Fragments = (secret: string): string[] => {
  const bytes = Buffer.from(secret, 'utf8');
  const fragments: string[] = [];
  for (let offset = 0; offset < 3; offset += 1) {
    // Skip the secret's first bytes up to the next 3-byte boundary of the enclosing text, and stop
    // at the last complete group: those groups encode the secret's bytes only.
    const skip = (3 - offset) % 3;
    const usable = bytes.length - skip;
    const whole = usable - (usable % 3);
    if (whole <= 0) continue;
    const encoded = bytes.subarray(skip, skip + whole).toString('base64');
    if (encoded.length >= MIN_BASE64_FRAGMENT) fragments.push(encoded);
  }
  return fragments;
};

export class Redactor {
  private readonly secrets = new Set<string>();
  private ordered: string[] | undefined;

  /** Registers secrets with every encoding an echo may carry; very short strings are ignored. */
  add(...values: (string | undefined)[]): void {
    for (const secret of values) {
      if (!secret || secret.length < MIN_SECRET_LENGTH) continue;
      this.secrets.add(secret);
      this.secrets.add(JSON.stringify(secret).slice(1, -1));
      this.secrets.add(encodeURIComponent(secret));
      for (const fragment of base64Fragments(secret)) this.secrets.add(fragment);
      this.ordered = undefined;
    }
  }

  /** Text this project wrote (it may quote a secret it was given): known secrets and credential fields. */
  redact(text: string): string {
    // Longest first, so a secret that contains another is replaced whole.
    this.ordered ??= [...this.secrets].sort((a, b) => b.length - a.length);
    let out = text;
    for (const secret of this.ordered) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out
      .replace(HEADER_VALUE, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`)
      .replace(SECRET_FIELD, (m, name: string, sep: string, value: string) =>
        // The value class stops at `]`: a field a known secret was already taken out of reads `[redacted`.
        value === REDACTED || `${value}]` === REDACTED ? m : `${name}${sep}${REDACTED}`,
      )
      .replace(SCHEME, (m, scheme: string, space: string, value: string) =>
        /[\d+/=]/.test(value) ? `${scheme}${space}${REDACTED}` : m,
      )
      .replace(URL_PASSWORD, (m, before: string, value: string, at: string) =>
        value === REDACTED ? m : `${before}${REDACTED}${at}`,
      );
  }

  /** Text from outside (a Zendesk body, a network error): as `redact`, and anything token-shaped too. */
  redactForeign(text: string): string {
    return this.redact(text).replace(TOKEN_LIKE, (run) => (looksLikeToken(run) ? REDACTED : run));
  }
}

/** Redacts first, then shortens: a cut must never leave a recognisable part of a secret behind. */
export const redactThenShorten = (redactor: Redactor, text: string, max: number): string => {
  const safe = redactor.redactForeign(text);
  return safe.length > max ? `${safe.slice(0, max)}…` : safe;
};
