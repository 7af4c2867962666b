import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PipelineLogger } from '../pipeline/deps.js';
import type { WebhookSecretStore } from '../store/webhook-secret-store.js';
import { receiveWebhook } from '../webhook/receive.js';
import { MAX_WEBHOOK_BODY_BYTES } from '../webhook/request.js';
import type { LocalStack } from './local-stack.js';
import type { LocalPipeline } from './pipeline.js';
import type { RunReport } from './runner.js';

/**
 * The local counterpart of the deployed stack's webhook Function URL and EventBridge schedule: an
 * HTTP server that takes Zendesk webhooks (the same use case the webhook Lambda runs), a schedule
 * that starts an import run every `scheduleEveryMs`, and a worker that keeps draining the queues,
 * so one machine stays current between schedules within a coalescing window of a webhook.
 */
export interface ServeOptions {
  /** Default 0: a free port. */
  readonly port?: number;
  /** Default 127.0.0.1; a tunnel to a real Zendesk account forwards to it. */
  readonly host?: string;
  /** Default 5 minutes; 0 disables the schedule. */
  readonly scheduleEveryMs?: number;
  /** Run an import as soon as the server starts. Default true. */
  readonly syncOnStart?: boolean;
  /** Webhook coalescing window, seconds. Default 30 (as on AWS). */
  readonly coalesceSeconds?: number;
  readonly signingSecrets: WebhookSecretStore;
  readonly logger: PipelineLogger;
  /** Called after each round of work that delivered messages (what a person sees as "imported"). */
  readonly onDrained?: (report: RunReport) => void;
}

export interface LocalServer {
  /** e.g. http://127.0.0.1:8080 — webhooks go to `${url}/integrations/<id>/webhook`. */
  readonly url: string;
  stop(): Promise<void>;
}

// One byte over the limit is enough to know a body is too large; the rest is not buffered.
const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size > MAX_WEBHOOK_BODY_BYTES) return;
      size += chunk.length;
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

export const serveLocal = async (
  _stack: LocalStack,
  pipeline: LocalPipeline,
  options: ServeOptions,
): Promise<LocalServer> => {
  const { logger } = options;
  const webhookDeps = pipeline.webhook({
    signingSecrets: options.signingSecrets,
    windowSeconds: options.coalesceSeconds ?? 30,
    logger,
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(',') : v;
    const response = await receiveWebhook(webhookDeps, {
      method: req.method ?? 'GET',
      path: url.pathname,
      headers,
      body: body.toString('base64'),
      isBase64Encoded: true,
    });
    res.writeHead(response.status, { 'content-type': 'application/json' }).end(JSON.stringify(response.body));
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error('webhook request failed', { error: (error as Error).name });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"message":"Internal error"}');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  let stopped = false;
  const worker = (async () => {
    while (!stopped) {
      try {
        const report = await pipeline.drain({ timeoutMs: 60_000 });
        if (report.delivered > 0) options.onDrained?.(report);
      } catch (error) {
        logger.warn('local pipeline still busy', { error: (error as Error).message });
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  const schedule = async () => {
    try {
      await pipeline.schedule(pipeline.deps.now().toISOString());
    } catch (error) {
      logger.error('scheduled import could not start', { error: (error as Error).message });
    }
  };
  if (options.syncOnStart ?? true) await schedule();
  const every = options.scheduleEveryMs ?? 5 * 60_000;
  const timer = every > 0 ? setInterval(() => void schedule(), every) : undefined;

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    stop: async () => {
      stopped = true;
      if (timer) clearInterval(timer);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await worker;
    },
  };
};
