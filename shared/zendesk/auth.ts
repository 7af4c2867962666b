import {
  ZendeskCredentialsError,
  ZendeskPayloadError,
  ZendeskRequestError,
  ZendeskTokenStorageError,
} from './errors.js';
import { zendeskMessage } from './error-body.js';
import type { Redactor } from './redact.js';
import type { Transport, ZendeskLogger } from './transport.js';

/**
 * The three credential kinds of SPEC §2. `scope` is the OAuth scope asked for at the token
 * endpoint: by default `read` for client credentials (every request here is a GET) and none for a
 * refresh (the token keeps the scope it was granted).
 */
export type ZendeskCredentials =
  | { readonly kind: 'api_token'; readonly username: string; readonly apiToken: string }
  | {
      readonly kind: 'oauth_client_credentials';
      readonly clientId: string;
      readonly clientSecret: string;
      readonly scope?: string;
    }
  | {
      readonly kind: 'oauth_refresh_token';
      readonly clientId: string;
      readonly clientSecret: string;
      readonly refreshToken: string;
      readonly scope?: string;
    };

/** The scope a client-credentials request asks for when none is configured. */
export const DEFAULT_CLIENT_CREDENTIALS_SCOPE = 'read';

/** A scope as the token endpoint takes it: space-separated scope names such as `read` or `tickets:read`. */
export const OAUTH_SCOPE_PATTERN = /^[a-z_]+(:[a-z_]+)?( [a-z_]+(:[a-z_]+)?)*$/;

export const TOKEN_ENDPOINT = '/oauth/tokens';

/** Raised inside a renewal when the token endpoint answers 429; the client turns it into a result. */
export class TokenEndpointRateLimited extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`token endpoint rate limited for ${retryAfterSeconds} s`);
  }
}

interface AccessToken {
  readonly header: string;
  /** Epoch ms after which the token is renewed before use; null when Zendesk gave no expiry. */
  readonly renewAtMs: number | null;
}

export interface AuthenticatorDeps {
  readonly baseUrl: string;
  readonly transport: Transport;
  readonly clock: () => number;
  readonly redactor: Redactor;
  readonly logger: ZendeskLogger;
  readonly saveRefreshToken?: (refreshToken: string) => Promise<void>;
  /** The refresh token stored now (see ZendeskClientOptions); without it, the one this process holds. */
  readonly loadRefreshToken?: () => Promise<string | undefined>;
  /** Waits between two looks at the store for another process's rotated token. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * When, after an `invalid_grant`, the store is looked at for a token another process rotated: it
 * saves the new token right after Zendesk answers it, a Secrets Manager write (a fraction of a
 * second, seconds when slow).
 */
export const ROTATED_TOKEN_WAITS_MS: readonly number[] = [0, 500, 1_000, 2_000, 4_000];

/**
 * Produces the Authorization header. API tokens are static (HTTP basic). OAuth access tokens are
 * fetched from `/oauth/tokens`, renewed a little before they expire and once after a 401. A
 * rotated refresh token is handed to `saveRefreshToken` before anything else happens with it, so
 * a crash after Zendesk rotated it cannot leave the integration holding only the revoked one.
 *
 * Several processes may hold one integration's credentials (warm Lambda instances, each with its own
 * client). Each refresh grant sends the token stored now (`loadRefreshToken`), not the one this
 * process last saw, which another may have rotated and Zendesk revoked; and a grant refused as
 * `invalid_grant` is sent once more when the store meanwhile holds another token (two processes
 * that refreshed at once: the other's rotation won).
 */
export class Authenticator {
  private access: AccessToken | undefined;
  private renewal: Promise<AccessToken> | undefined;
  private refreshToken: string | undefined;
  /** Set once the token endpoint answered `invalid_scope`: later requests ask for no scope. */
  private scopeRefused = false;
  private readonly saveRefreshToken: (refreshToken: string) => Promise<void>;

  constructor(
    private readonly credentials: ZendeskCredentials,
    private readonly deps: AuthenticatorDeps,
  ) {
    const { redactor } = deps;
    this.saveRefreshToken = deps.saveRefreshToken ?? (async () => undefined);
    if (credentials.kind === 'api_token') {
      redactor.add(credentials.apiToken);
      redactor.add(this.basicValue(credentials.username, credentials.apiToken));
    } else {
      redactor.add(credentials.clientSecret);
      if (credentials.kind === 'oauth_refresh_token') {
        if (!deps.saveRefreshToken) {
          throw new Error(
            'saveRefreshToken is required for oauth_refresh_token credentials (refresh tokens rotate)',
          );
        }
        this.refreshToken = credentials.refreshToken;
        redactor.add(credentials.refreshToken);
      }
    }
  }

  async authorization(): Promise<string> {
    const c = this.credentials;
    if (c.kind === 'api_token') return `Basic ${this.basicValue(c.username, c.apiToken)}`;
    const access = this.access;
    if (access && (access.renewAtMs === null || this.deps.clock() < access.renewAtMs)) return access.header;
    return (await this.renew()).header;
  }

  /**
   * After a 401 that was sent with `usedHeader`: renews once. False when there is nothing to renew
   * (API tokens), so the 401 is final.
   */
  async renewAfterUnauthorized(usedHeader: string): Promise<boolean> {
    if (this.credentials.kind === 'api_token') return false;
    // Another request may already have renewed since this one was sent.
    if (this.access && this.access.header !== usedHeader) return true;
    this.access = undefined;
    await this.renew();
    return true;
  }

  private basicValue(username: string, apiToken: string): string {
    return Buffer.from(`${username}/token:${apiToken}`).toString('base64');
  }

  /** One renewal at a time: two concurrent refreshes with one rotating token would revoke each other. */
  private renew(): Promise<AccessToken> {
    this.renewal ??= this.fetchToken().finally(() => {
      this.renewal = undefined;
    });
    return this.renewal;
  }

  /** The scope to ask for, or none (a refresh keeps its grant's scope; a refused scope is dropped). */
  private requestedScope(): string | undefined {
    const c = this.credentials;
    if (c.kind === 'api_token' || this.scopeRefused) return undefined;
    return c.scope ?? (c.kind === 'oauth_client_credentials' ? DEFAULT_CLIENT_CREDENTIALS_SCOPE : undefined);
  }

  /** The refresh token to send: the one stored now when the store can say, else the one held. */
  private async currentRefreshToken(): Promise<string | undefined> {
    const stored = this.deps.loadRefreshToken ? await this.deps.loadRefreshToken() : undefined;
    if (stored !== undefined && stored !== '') {
      this.deps.redactor.add(stored);
      this.refreshToken = stored;
    }
    return this.refreshToken;
  }

  /**
   * Whether the store comes to hold another refresh token than the one Zendesk refused: another
   * process's rotation, which it may still be saving. Looked at a few times over some seconds.
   */
  private async rotatedElsewhere(refused: string | undefined): Promise<boolean> {
    const load = this.deps.loadRefreshToken;
    if (load === undefined) return false;
    for (const waitMs of ROTATED_TOKEN_WAITS_MS) {
      if (waitMs > 0 && this.deps.sleep) await this.deps.sleep(waitMs);
      const stored = await load();
      if (stored !== undefined && stored !== '' && stored !== refused) return true;
    }
    return false;
  }

  private async fetchToken(grantRetried = false): Promise<AccessToken> {
    const c = this.credentials;
    if (c.kind === 'api_token') throw new Error('API tokens are not renewed');
    const scope = this.requestedScope();
    const sentRefreshToken = c.kind === 'oauth_refresh_token' ? await this.currentRefreshToken() : undefined;
    const grant = {
      grant_type: c.kind === 'oauth_client_credentials' ? 'client_credentials' : 'refresh_token',
      client_id: c.clientId,
      client_secret: c.clientSecret,
      ...(c.kind === 'oauth_refresh_token' ? { refresh_token: sentRefreshToken ?? c.refreshToken } : {}),
      ...(scope !== undefined ? { scope } : {}),
    };
    const requestedAt = this.deps.clock();
    const sent = await this.deps.transport.send({
      endpoint: TOKEN_ENDPOINT,
      url: new URL(TOKEN_ENDPOINT, this.deps.baseUrl),
      method: 'POST',
      headers: async () => ({ 'content-type': 'application/json' }),
      body: JSON.stringify(grant),
      bucket: 'account',
      fullTimeout: true,
    });
    if (sent.kind === 'rate_limited') throw new TokenEndpointRateLimited(sent.retryAfterSeconds);
    const { redactor } = this.deps;
    // Zendesk's own tooling stopped sending a scope after `invalid_scope` answers: a client may be
    // registered without scopes to choose from. Asking once more without one is not a refusal yet.
    if (sent.status === 400 && scope !== undefined && oauthErrorCode(sent.text) === 'invalid_scope') {
      this.scopeRefused = true;
      this.deps.logger.warn('zendesk token endpoint refused the scope; asking without one', { scope });
      return this.fetchToken(grantRetried);
    }
    if (
      sent.status === 400 &&
      c.kind === 'oauth_refresh_token' &&
      !grantRetried &&
      this.deps.loadRefreshToken !== undefined &&
      oauthErrorCode(sent.text) === 'invalid_grant'
    ) {
      if (await this.rotatedElsewhere(sentRefreshToken)) {
        this.deps.logger.warn(
          'zendesk refused a refresh token another process has rotated since; asking with the stored one',
        );
        return this.fetchToken(true);
      }
    }
    // 400 (invalid_grant), 401 (invalid_client) and 403 refuse the credentials; anything else
    // (a 404 or a redirect) means this host is not a Zendesk token endpoint at all.
    if (sent.status === 400 || sent.status === 401 || sent.status === 403) {
      throw new ZendeskCredentialsError(
        TOKEN_ENDPOINT,
        sent.status,
        zendeskMessage(sent.text, sent.status, redactor),
      );
    }
    if (sent.status < 200 || sent.status >= 300) {
      throw new ZendeskRequestError(
        TOKEN_ENDPOINT,
        sent.status,
        zendeskMessage(sent.text, sent.status, redactor),
      );
    }
    const token = parseTokenResponse(sent.text);
    redactor.add(token.accessToken);
    if (token.refreshToken && token.refreshToken !== this.refreshToken && c.kind === 'oauth_refresh_token') {
      redactor.add(token.refreshToken);
      // Zendesk has revoked the old refresh token by now; the new one is the only valid one.
      this.refreshToken = token.refreshToken;
      try {
        await this.saveRefreshToken(token.refreshToken);
      } catch (error) {
        throw new ZendeskTokenStorageError(
          TOKEN_ENDPOINT,
          redactor.redactForeign(error instanceof Error ? error.message : String(error)),
        );
      }
      this.deps.logger.debug('zendesk refresh token rotated and stored');
    }
    const access: AccessToken = {
      header: `Bearer ${token.accessToken}`,
      renewAtMs: token.expiresInSeconds === null ? null : requestedAt + renewalLeadMs(token.expiresInSeconds),
    };
    this.access = access;
    this.deps.logger.debug('zendesk access token obtained', { expiresInSeconds: token.expiresInSeconds });
    return access;
  }
}

/** The OAuth `error` code of a token endpoint answer (RFC 6749 §5.2), if it has one. */
const oauthErrorCode = (text: string): string | undefined => {
  try {
    const body: unknown = JSON.parse(text);
    const code = body && typeof body === 'object' ? (body as Record<string, unknown>).error : undefined;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
};

/** Renew when 90 % of the lifetime has passed, and at least a minute early for long-lived tokens. */
const renewalLeadMs = (expiresInSeconds: number): number =>
  Math.max(0, expiresInSeconds * 1000 - Math.min(60_000, expiresInSeconds * 100));

const parseTokenResponse = (
  text: string,
): { accessToken: string; refreshToken: string | undefined; expiresInSeconds: number | null } => {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ZendeskPayloadError(TOKEN_ENDPOINT, null, '(body)', 'not JSON');
  }
  const o = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  if (typeof o.access_token !== 'string' || o.access_token === '') {
    throw new ZendeskPayloadError(TOKEN_ENDPOINT, null, 'access_token', 'missing or not a string');
  }
  if (o.refresh_token !== undefined && o.refresh_token !== null && typeof o.refresh_token !== 'string') {
    throw new ZendeskPayloadError(TOKEN_ENDPOINT, null, 'refresh_token', 'not a string');
  }
  const expiresIn = o.expires_in;
  if (expiresIn !== undefined && expiresIn !== null && (typeof expiresIn !== 'number' || !(expiresIn > 0))) {
    throw new ZendeskPayloadError(TOKEN_ENDPOINT, null, 'expires_in', 'not a positive number of seconds');
  }
  return {
    accessToken: o.access_token,
    refreshToken: typeof o.refresh_token === 'string' && o.refresh_token !== '' ? o.refresh_token : undefined,
    expiresInSeconds: typeof expiresIn === 'number' ? expiresIn : null,
  };
};
