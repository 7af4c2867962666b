/**
 * Who is calling: basic auth with `{email}/token:{token}`, or a Bearer access token from
 * `POST /oauth/tokens` (client-credentials and refresh-token grants). Access tokens expire on the
 * sandbox clock; refresh tokens rotate, and a used one is dead.
 */
import { randomBytes } from 'node:crypto';
import type { SandboxClock } from './clock.js';

export interface Principal {
  readonly userId: number;
  readonly admin: boolean;
}

export interface TokenResponse {
  readonly status: number;
  readonly body: Record<string, string | number>;
}

const secret = (prefix: string) => `${prefix}${randomBytes(24).toString('hex')}`;

const INVALID_GRANT = {
  error: 'invalid_grant',
  error_description:
    'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
};
const INVALID_SCOPE = {
  error: 'invalid_scope',
  error_description: 'The requested scope is invalid, unknown, or malformed.',
};
const INVALID_CLIENT = {
  error: 'invalid_client',
  error_description:
    'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
};

export class Auth {
  readonly clientId = 'zendesk_wfm_sandbox';
  readonly clientSecret = secret('cs_');
  private readonly apiTokens = new Map<string, { token: string; principal: Principal }>();
  private readonly accessTokens = new Map<string, { expiresAtMs: number; principal: Principal }>();
  private readonly refreshTokens = new Map<string, Principal>();
  readonly initialRefreshToken: string;

  constructor(
    private readonly clock: SandboxClock,
    private readonly admin: Principal,
    private readonly ttlSeconds: number,
    private readonly allowedScopes?: readonly string[],
  ) {
    this.initialRefreshToken = secret('rt_');
    this.refreshTokens.set(this.initialRefreshToken, admin);
  }

  /** A new refresh token for the admin, as an authorization-code grant would give one. */
  issueRefreshToken(): string {
    const token = secret('rt_');
    this.refreshTokens.set(token, this.admin);
    return token;
  }

  /** Whether a refresh token can still be used (a used one is revoked). */
  isRefreshTokenLive(token: string): boolean {
    return this.refreshTokens.has(token);
  }

  /** Registers a user who may authenticate with an API token; returns the token. */
  issueApiToken(email: string, principal: Principal): string {
    const token = secret('');
    this.apiTokens.set(email.toLowerCase(), { token, principal });
    return token;
  }

  authenticate(header: string | undefined): Principal | null {
    if (!header) return null;
    const [scheme, value = ''] = header.trim().split(/\s+/, 2);
    if (scheme?.toLowerCase() === 'bearer') {
      const entry = this.accessTokens.get(value);
      if (!entry) return null;
      if (this.clock.nowMs() >= entry.expiresAtMs) {
        this.accessTokens.delete(value);
        return null;
      }
      return entry.principal;
    }
    if (scheme?.toLowerCase() !== 'basic') return null;
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const match = /^(.+)\/token:(.+)$/.exec(decoded);
    if (!match) return null;
    const entry = this.apiTokens.get(match[1]!.toLowerCase());
    return entry && entry.token === match[2] ? entry.principal : null;
  }

  /** `POST /oauth/tokens` with a parsed form or JSON body. Client credentials may also come as basic auth. */
  token(body: Record<string, string>, authorization: string | undefined): TokenResponse {
    let clientId = body.client_id;
    let clientSecret = body.client_secret;
    if ((!clientId || !clientSecret) && authorization?.toLowerCase().startsWith('basic ')) {
      const [id, pass] = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8').split(':', 2);
      clientId = id;
      clientSecret = pass;
    }
    if (clientId !== this.clientId || clientSecret !== this.clientSecret)
      return { status: 401, body: INVALID_CLIENT };
    const asked = body.scope?.split(' ').filter((s) => s !== '');
    if (asked && this.allowedScopes && !asked.every((s) => this.allowedScopes!.includes(s)))
      return { status: 400, body: INVALID_SCOPE };
    const scope = body.scope ?? this.allowedScopes?.join(' ') ?? 'read';
    switch (body.grant_type) {
      case 'client_credentials':
        return { status: 200, body: this.grant(this.admin, scope, false) };
      case 'refresh_token': {
        const principal = body.refresh_token ? this.refreshTokens.get(body.refresh_token) : undefined;
        if (!principal) return { status: 400, body: INVALID_GRANT };
        this.refreshTokens.delete(body.refresh_token!);
        return { status: 200, body: this.grant(principal, scope, true) };
      }
      default:
        return {
          status: 400,
          body: {
            error: 'unsupported_grant_type',
            error_description: 'The authorization grant type is not supported by the authorization server.',
          },
        };
    }
  }

  private grant(principal: Principal, scope: string, withRefresh: boolean): Record<string, string | number> {
    const accessToken = secret('at_');
    this.accessTokens.set(accessToken, {
      principal,
      expiresAtMs: this.clock.nowMs() + this.ttlSeconds * 1000,
    });
    const out: Record<string, string | number> = {
      access_token: accessToken,
      token_type: 'bearer',
      scope,
      expires_in: this.ttlSeconds,
    };
    if (withRefresh) {
      const refresh = secret('rt_');
      this.refreshTokens.set(refresh, principal);
      out.refresh_token = refresh;
      out.refresh_token_expires_in = 30 * 86_400;
    }
    return out;
  }
}
