import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PipelineLogger } from '../shared/pipeline/deps.js';
import { invocationTimedOutWarning, type ProgressEvent } from '../shared/pipeline/progress.js';
import type { WebhookSecretStore } from '../shared/store/webhook-secret-store.js';
import { receiveWebhook, webhookResponseHeaders } from '../shared/webhook/receive.js';
import { RefusalTally } from '../shared/webhook/refusals.js';
import { MAX_WEBHOOK_BODY_BYTES } from '../shared/webhook/request.js';
import { DiskSpaceError } from './disk-guard.js';
import { DynamoDbLocalExitedError } from './dynamodb-local.js';
import { JournalWriteError } from './queue-journal.js';
import type { LocalPipeline } from './pipeline.js';
import type { IntegrationsRepository } from '../shared/store/integrations-repository.js';

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
  /**
   * How long a webhook's fetch waits after its window for Zendesk's export to show the updates.
   * Default Zendesk's minute (EXPORT_LAG_SECONDS); lower only against a stand-in that hides less.
   */
  readonly exportLagSeconds?: number;
  readonly signingSecrets: WebhookSecretStore;
  readonly logger: PipelineLogger;
  /**
   * Called after each round of work that delivered messages (what a person sees as "imported"),
   * whether serve's worker delivered them or a command that drained beside it.
   */
  readonly onDrained?: () => void | Promise<void>;
  /** Runs before each scheduled import (e.g. putting back work parked while Zendesk was down). */
  readonly beforeSchedule?: () => Promise<void>;
  /** Whether an integration that starts failing is said on the logger (default); false when the caller says it. */
  readonly logFailing?: boolean;
  /** How often refused webhooks are reported, one line with counts by reason. Default a minute. */
  readonly refusalReportEveryMs?: number;
  /** Answers every request that is not a webhook (the web console); without it they get the webhook's 404. */
  readonly console?: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
}

/**
 * Where Zendesk posts an integration's webhook, with or without a trailing slash (the Lambda's
 * Function URL takes both); every other path is the console's.
 */
const WEBHOOK_PATH = /^\/integrations\/[^/]+\/webhook\/?$/;

export interface LocalServer {
  /** e.g. http://127.0.0.1:8080 — webhooks go to `${url}/integrations/<id>/webhook`. */
  readonly url: string;
  /** Settles with the error that stopped the pipeline for good (a full disk); it then takes no work. */
  readonly stoppedBy: Promise<Error>;
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

/** What serve uses of the local pipeline. */
export interface ServedPipeline extends Pick<
  LocalPipeline,
  'webhook' | 'drain' | 'schedule' | 'deliveredSoFar'
> {
  readonly deps: {
    readonly now: () => Date;
    readonly repos: { readonly integrations: Pick<IntegrationsRepository, 'list'> };
  };
}

export const serveLocal = async (pipeline: ServedPipeline, options: ServeOptions): Promise<LocalServer> => {
  const { logger } = options;
  const webhookDeps = pipeline.webhook({
    signingSecrets: options.signingSecrets,
    windowSeconds: options.coalesceSeconds ?? 30,
    ...(options.exportLagSeconds !== undefined ? { exportLagSeconds: options.exportLagSeconds } : {}),
    logger,
  });

  // Refused requests are counted and reported once a period, so junk cannot flood the log.
  const refusals = new RefusalTally();
  const reportRefusals = (period: string) => {
    const line = refusals.report(period);
    if (line) logger.warn(line);
  };
  // Requests whose body has arrived and whose answer is being worked out: stop lets them finish.
  const answering = new Set<Promise<void>>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const body = options.console && !WEBHOOK_PATH.test(path) ? undefined : await readBody(req);
    const answer =
      body === undefined && options.console
        ? options.console(req, res)
        : respond(req, res, body ?? Buffer.alloc(0));
    answering.add(answer);
    try {
      await answer;
    } finally {
      answering.delete(answer);
    }
  };
  const respond = async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
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
    if (response.refusal) refusals.add(response.refusal);
    res.writeHead(response.status, webhookResponseHeaders(response)).end(JSON.stringify(response.body));
  };
  // A client that sends half a request is dropped after these, not held open for Node's 5 minutes.
  const server: Server = createServer({ headersTimeout: 10_000, requestTimeout: 30_000 }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error('request failed', { error: (error as Error).name });
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
  // Failing integrations are said once each, when they start failing: serve runs unattended.
  const toldFailing = new Set<string>();
  const tellFailing = async () => {
    for (const i of await pipeline.deps.repos.integrations.list()) {
      if (i.status !== 'failing') toldFailing.delete(i.id);
      else if (!toldFailing.has(i.id)) {
        toldFailing.add(i.id);
        logger.error(`"${i.name}" is failing: ${i.statusReason ?? 'no reason recorded'}`);
      }
    }
  };
  // The one progress event an unattended serve must say: a stage that overran its timeout.
  const warnOfTimeouts = (event: ProgressEvent) => {
    if (event.kind === 'invocation_timed_out') logger.warn(invocationTimedOutWarning(event));
  };
  let fatal: (error: Error) => void = () => undefined;
  const stoppedBy = new Promise<Error>((resolve) => (fatal = resolve));
  // Stopping does not wait for the queues to drain: the invocations in hand finish, the rest waits
  // in the queue journal for the next start.
  const stopping = new AbortController();
  // A command lent the install (a sync) drains the same queues beside the worker, and may deliver
  // a whole round itself: the worker's drain then ends idle with none of its own.
  let deliveredWhenTold = pipeline.deliveredSoFar();
  const worker = (async () => {
    while (!stopped) {
      try {
        // A round ends when the pipeline is idle (a webhook's fetch delayed past the export's minute
        // is waited for), or when serve stops; never on a deadline, which would only fail it.
        await pipeline.drain({ signal: stopping.signal, onProgress: warnOfTimeouts });
        const delivered = pipeline.deliveredSoFar();
        if (delivered !== deliveredWhenTold) {
          deliveredWhenTold = delivered;
          await options.onDrained?.();
        }
        if (options.logFailing ?? true) await tellFailing();
      } catch (error) {
        if (
          error instanceof DiskSpaceError ||
          error instanceof JournalWriteError ||
          error instanceof DynamoDbLocalExitedError
        ) {
          stopped = true;
          fatal(error);
          break;
        }
        logger.warn('a round of the local pipeline failed; the next one goes on', {
          error: (error as Error).message,
        });
      }
      if (!stopped) await new Promise((r) => setTimeout(r, 200));
    }
  })();
  const schedule = async () => {
    try {
      await options.beforeSchedule?.();
      await pipeline.schedule(pipeline.deps.now().toISOString());
    } catch (error) {
      logger.error('scheduled import could not start', { error: (error as Error).message });
    }
  };
  if (options.syncOnStart ?? true) await schedule();
  const every = options.scheduleEveryMs ?? 5 * 60_000;
  const timer = every > 0 ? setInterval(() => void schedule(), every) : undefined;
  const refusalTimer = setInterval(
    () => reportRefusals('in the last minute'),
    options.refusalReportEveryMs ?? 60_000,
  );

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    stoppedBy,
    stop: async () => {
      stopped = true;
      stopping.abort();
      if (timer) clearInterval(timer);
      clearInterval(refusalTimer);
      // No new connections; idle keep-alive ones go now. Requests already being answered finish,
      // then every other connection (a half-sent request, a slow client) is dropped: stopping
      // never waits on a client.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await Promise.allSettled([...answering]);
      server.closeAllConnections();
      await closed;
      reportRefusals('before stopping');
      await worker;
    },
  };
};
