import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Who may use the console and which requests may change something.
 *
 * - Sign-in: on 127.0.0.1 the machine's users are trusted as they are for the webhook port; on any
 *   other address `serve` requires a token given at start (never in a URL, which proxies and logs
 *   keep): the login form posts it once, and the browser keeps an HttpOnly SameSite=Strict session
 *   cookie that names a random session, never the token.
 * - Cross-site requests: every POST must come from the console's own origin (Origin, else Referer)
 *   and carry the CSRF token of its browser (an HMAC of the browser's own cookie with a key that
 *   lives as long as serve), so a page elsewhere can neither post a form nor read a token to post.
 * - DNS rebinding: the Host header must be the address serve listens on.
 */
export const SESSION_COOKIE = 'wfm_session';
export const BROWSER_COOKIE = 'wfm_browser';
export const CSRF_FIELD = 'csrf';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

export const parseCookies = (header: string | undefined): Map<string, string> => {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0) cookies.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  return cookies;
};

const cookie = (name: string, value: string): string => `${name}=${value}; Path=/; HttpOnly; SameSite=Strict`;

export interface ConsoleGuardOptions {
  /** Required to sign in when set (serve on another address than loopback). */
  readonly token?: string;
  /**
   * The `host:port` values a request's Host header may name, known once serve listens. Checked only
   * without sign-in: a page on another site that rebinds its name to 127.0.0.1 then reaches nothing.
   */
  readonly hosts: () => readonly string[];
}

export class ConsoleGuard {
  private readonly expected: Buffer | undefined;
  private readonly sessions = new Set<string>();
  private readonly csrfKey = randomBytes(32);

  constructor(private readonly options: ConsoleGuardOptions) {
    this.expected = options.token !== undefined ? digest(options.token) : undefined;
  }

  get requiresSignIn(): boolean {
    return this.expected !== undefined;
  }

  hostAllowed(req: IncomingMessage): boolean {
    return this.requiresSignIn || this.options.hosts().includes((req.headers.host ?? '').toLowerCase());
  }

  signedIn(req: IncomingMessage): boolean {
    if (!this.expected) return true;
    const session = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
    return session !== undefined && this.sessions.has(session);
  }

  /** The Set-Cookie of a new session when the token is right (compared in constant time), else undefined. */
  signIn(given: string): string | undefined {
    if (!this.expected || !timingSafeEqual(digest(given), this.expected)) return undefined;
    const session = randomBytes(32).toString('base64url');
    this.sessions.add(session);
    return cookie(SESSION_COOKIE, session);
  }

  /** The browser's id, and the Set-Cookie that gives it one when it has none yet. */
  browser(req: IncomingMessage): { id: string; setCookie?: string } {
    const id = parseCookies(req.headers.cookie).get(BROWSER_COOKIE);
    if (id !== undefined && /^[A-Za-z0-9_-]{43}$/.test(id)) return { id };
    const fresh = randomBytes(32).toString('base64url');
    return { id: fresh, setCookie: cookie(BROWSER_COOKIE, fresh) };
  }

  csrfToken(browserId: string): string {
    return createHmac('sha256', this.csrfKey).update(browserId).digest('base64url');
  }

  /** Why a state-changing request is refused, or undefined when it came from this console's own page. */
  crossSiteRefusal(req: IncomingMessage, form: URLSearchParams): string | undefined {
    const origin = req.headers.origin ?? refererOrigin(req.headers.referer);
    const own = `http://${req.headers.host ?? ''}`;
    if (origin !== own) return 'the request did not come from a page of this console';
    const browserId = parseCookies(req.headers.cookie).get(BROWSER_COOKIE);
    const given = form.get(CSRF_FIELD) ?? '';
    if (browserId === undefined) return 'the form has expired: load the page again';
    const expected = Buffer.from(this.csrfToken(browserId));
    const actual = Buffer.from(given);
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected))
      return 'the form has expired: load the page again';
    return undefined;
  }
}

const refererOrigin = (referer: string | undefined): string | undefined => {
  if (referer === undefined) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
};
