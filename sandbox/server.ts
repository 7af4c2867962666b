/**
 * The HTTP side of the sandbox: counts requests, applies injected faults, authenticates, enforces
 * rate limits, dispatches to the endpoints and writes JSON. Listens on 127.0.0.1 only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Auth } from './auth.js';
import type { SandboxClock } from './clock.js';
import { NOT_FOUND, type Endpoints } from './endpoints.js';
import { dropRecordField, ENDPOINT_CLOSED_BODY, giveWrongType, type Faults } from './faults.js';
import type { RateLimiter } from './rate-limit.js';
import type { Json } from './render.js';

export interface ServerParts {
  readonly clock: SandboxClock;
  readonly auth: Auth;
  readonly limiter: RateLimiter;
  readonly faults: Faults;
  /** Set once the port is known (links in responses use the base URL). */
  endpoints: Endpoints | null;
}

const UNAUTHENTICATED = { error: "Couldn't authenticate you" };
const MAX_BODY_BYTES = 64 * 1024;

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) reject(new Error('request body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const parseForm = (raw: string, contentType: string | undefined): Record<string, string> => {
  if (contentType?.includes('application/json')) {
    const parsed: unknown = JSON.parse(raw || '{}');
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    return Object.fromEntries(
      Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
  }
  return Object.fromEntries(new URLSearchParams(raw));
};

export class SandboxHttpServer {
  private readonly server: Server;
  private readonly counts: string[] = [];

  constructor(private readonly parts: ServerParts) {
    this.server = createServer((req, res) => {
      this.serve(req, res).catch((e: unknown) => {
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(500, {
            Date: this.parts.clock.now().toUTCString(),
            'Content-Type': 'application/json; charset=utf-8',
          });
          res.end(
            JSON.stringify({
              error: 'InternalError',
              description: e instanceof Error ? e.message : String(e),
            }),
          );
        }
      });
    });
    this.server.keepAliveTimeout = 5_000;
  }

  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve((this.server.address() as AddressInfo).port));
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  requestCount(pathPrefix?: string): number {
    return pathPrefix === undefined
      ? this.counts.length
      : this.counts.filter((p) => p.startsWith(pathPrefix)).length;
  }

  requestedPaths(): readonly string[] {
    return [...this.counts];
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    this.counts.push(path);
    const fault = this.parts.faults.match(path);
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'delay') {
      await new Promise((r) => setTimeout(r, fault.ms));
      if (req.socket.destroyed) return;
    }
    if (fault?.kind === 'endpointClosed')
      return this.write(res, 403, JSON.stringify(ENDPOINT_CLOSED_BODY), {});
    if (fault?.kind === 'status') {
      const body =
        fault.body ?? JSON.stringify({ error: 'ServerError', description: `Injected ${fault.status}` });
      const headers: Record<string, string> =
        fault.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(fault.retryAfterSeconds) };
      return this.write(res, fault.status, body, headers);
    }
    if (fault?.kind === 'rateLimit') {
      const headers = { 'Retry-After': String(fault.retryAfterSeconds) };
      return fault.plainText
        ? this.write(
            res,
            429,
            'Number of allowed API requests per minute exceeded',
            headers,
            'text/plain; charset=utf-8',
          )
        : this.write(
            res,
            429,
            JSON.stringify({
              error: 'APIRateLimitExceeded',
              description: 'Number of allowed API requests per minute exceeded',
            }),
            headers,
          );
    }

    let status: number;
    let body: Json;
    let headers: Record<string, string> = {};
    if (path === '/oauth/tokens') {
      if (req.method !== 'POST')
        return this.write(res, 405, JSON.stringify({ error: 'MethodNotAllowed' }), {});
      const raw = await readBody(req);
      let form: Record<string, string>;
      try {
        form = parseForm(raw, req.headers['content-type']);
      } catch {
        return this.write(
          res,
          400,
          JSON.stringify({ error: 'invalid_request', error_description: 'body is not valid JSON' }),
          {},
        );
      }
      ({ status, body } = this.parts.auth.token(form, req.headers.authorization));
    } else if (!path.startsWith('/api/v2/')) {
      ({ status, body } = NOT_FOUND);
    } else {
      const principal = this.parts.auth.authenticate(req.headers.authorization);
      if (!principal)
        return this.write(res, 401, JSON.stringify(UNAUTHENTICATED), {
          'WWW-Authenticate': 'Basic realm="Web Password"',
        });
      const decision = this.parts.limiter.take(path);
      headers = decision.headers;
      if (!decision.allowed) {
        return this.write(
          res,
          429,
          JSON.stringify({ error: 'APIRateLimitExceeded', description: decision.description }),
          headers,
        );
      }
      if (req.method !== 'GET') ({ status, body } = NOT_FOUND);
      else
        ({ status, body } = this.parts.endpoints!.handle({
          path,
          query: url.searchParams,
          principal,
          now: this.parts.clock.nowSeconds(),
        }));
    }

    if (fault?.kind === 'wrongType' && status === 200) giveWrongType(body, fault.path);
    if (fault?.kind === 'dropField' && status === 200)
      dropRecordField(body, fault.list, fault.recordId, fault.path);
    let text = JSON.stringify(body);
    // a page cut off mid-way, as a proxy that drops the connection's tail would deliver it
    if (fault?.kind === 'malformed') text = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
    this.write(res, status, text, headers);
  }

  private write(
    res: ServerResponse,
    status: number,
    body: string,
    headers: Record<string, string>,
    contentType = 'application/json; charset=utf-8',
  ): void {
    if (res.destroyed) return;
    res.writeHead(status, {
      ...headers,
      // Zendesk's clock, not this machine's: the product reads the export through the answer's Date
      Date: this.parts.clock.now().toUTCString(),
      'Content-Type': contentType,
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(body);
  }
}
