import { Authenticator, TokenEndpointRateLimited } from './auth.js';
import {
  ZendeskCredentialsError,
  ZendeskEndpointClosedError,
  ZendeskPayloadError,
  ZendeskRequestError,
} from './errors.js';
import { saysEndpointClosedToClient, zendeskMessage } from './error-body.js';
import type { RateBucket, WaitCause } from './rate-limit.js';
import type { Redactor } from './redact.js';
import type { Transport } from './transport.js';

export interface RateLimited {
  readonly kind: 'rate_limited';
  readonly retryAfterSeconds: number;
  /** Zendesk's rate limit or its maintenance; absent: the rate limit. */
  readonly cause?: WaitCause;
}

export interface JsonResponse {
  readonly kind: 'json';
  readonly body: unknown;
  readonly headers: Headers;
  /** The URL that answered (its `per_page` may have shrunk after a 504). */
  readonly url: URL;
  readonly attempts: number;
}

export interface GetOptions {
  readonly bucket: RateBucket;
  readonly shrinkPageOn504?: boolean;
}

/**
 * What a redirect says, for the user: where Zendesk points (its host and path, never a query) and
 * what that usually means. Redirects are not followed: the credentials go to the integration's own
 * host only, so an account whose subdomain changed needs its domain updated by the user.
 */
const movedMessage = (headers: Headers, baseUrl: string): string => {
  const location = headers.get('location');
  let to: URL | null = null;
  try {
    to = location ? new URL(location, baseUrl) : null;
  } catch {
    to = null;
  }
  const where = to ? `${to.protocol}//${to.host}${to.pathname}` : 'no Location given';
  const hint =
    to && to.host !== new URL(baseUrl).host
      ? ": the account answers at another host (a changed subdomain or host mapping?); update the integration's domain if that is the account"
      : '';
  return `redirected to ${where}${hint}`;
};

/**
 * Authenticated GETs returning parsed JSON. Maps answers to the client's typed outcomes: 429 → a
 * rate-limited result, 401 → one renewal and retry, then a credentials error, 403 → an
 * endpoint-closed error when Zendesk says the endpoint is not available to this client, else a
 * credentials error, other 4xx → a request error, a 2xx that is not JSON → a payload error.
 */
export class ZendeskApi {
  constructor(
    readonly baseUrl: string,
    private readonly transport: Transport,
    private readonly auth: Authenticator,
    private readonly redactor: Redactor,
  ) {}

  /** Resolves a path, or a `next_page`/`links.next` URL, against the base URL (never another host). */
  url(pathOrUrl: string, query: Record<string, string | number> = {}): URL {
    const given = new URL(pathOrUrl, this.baseUrl);
    const url = new URL(given.pathname + given.search, this.baseUrl);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, String(v));
    return url;
  }

  async getJson(endpoint: string, url: URL, options: GetOptions): Promise<JsonResponse | RateLimited> {
    try {
      return await this.getJsonOnce(endpoint, url, options);
    } catch (error) {
      if (error instanceof TokenEndpointRateLimited) {
        return { kind: 'rate_limited', retryAfterSeconds: error.retryAfterSeconds };
      }
      throw error;
    }
  }

  private async getJsonOnce(
    endpoint: string,
    url: URL,
    options: GetOptions,
  ): Promise<JsonResponse | RateLimited> {
    for (let renewed = false; ; renewed = true) {
      let usedHeader = '';
      const sent = await this.transport.send({
        endpoint,
        url,
        headers: async () => {
          usedHeader = await this.auth.authorization();
          return { authorization: usedHeader };
        },
        bucket: options.bucket,
        shrinkPageOn504: options.shrinkPageOn504,
      });
      if (sent.kind === 'rate_limited') return sent;
      const message = () => zendeskMessage(sent.text, sent.status, this.redactor);
      if (sent.status === 401) {
        if (!renewed && (await this.auth.renewAfterUnauthorized(usedHeader))) continue;
        throw new ZendeskCredentialsError(endpoint, 401, message());
      }
      if (sent.status === 403) {
        const said = message();
        if (saysEndpointClosedToClient(said)) throw new ZendeskEndpointClosedError(endpoint, said);
        throw new ZendeskCredentialsError(endpoint, 403, said);
      }
      if (sent.status >= 300 && sent.status < 400)
        throw new ZendeskRequestError(
          endpoint,
          sent.status,
          this.redactor.redact(movedMessage(sent.headers, this.baseUrl)),
        );
      if (sent.status < 200 || sent.status >= 300)
        throw new ZendeskRequestError(endpoint, sent.status, message());
      let body: unknown;
      try {
        body = JSON.parse(sent.text);
      } catch {
        throw new ZendeskPayloadError(endpoint, null, '(body)', `not JSON (${sent.text.length} bytes)`);
      }
      return { kind: 'json', body, headers: sent.headers, url: sent.url, attempts: sent.attempts };
    }
  }
}
