import { afterEach, describe, expect, it } from '@jest/globals';
import type { RunReport } from '../../../local/runner.js';
import { serveLocal, type LocalServer, type ServedPipeline } from '../../../local/serve.js';
import type { WebhookDeps } from '../../../shared/webhook/receive.js';
import { silentLogger } from '../../../local/pipeline.js';
import { LocalWebhookSecretStore } from '../../../shared/store/webhook-secret-store.js';

const NO_DELIVERY: RunReport = {
  invocations: { fetchJobs: 0, changes: 0, updates: 0, contacts: 0 },
  delivered: 0,
  failed: 0,
};

const refused = (): Promise<never> => Promise.reject(new Error('no webhook in this test'));

/** The webhook's dependencies are never used here: no request is sent. */
const noWebhook: WebhookDeps = {
  integrations: { get: refused },
  signingSecrets: { get: refused, getFresh: refused },
  nudges: { claim: refused, release: refused, claimTicketRead: refused, releaseTicketRead: refused },
  sendFetchJob: refused,
  now: () => new Date(0),
  windowSeconds: 1,
  exportLagSeconds: 0,
  logger: silentLogger,
};

/**
 * A pipeline whose rounds the test ends one at a time: `endRound(n)` lets serve's worker's current
 * drain return after `n` more deliveries by anyone (its own or a command's beside it), and returns
 * once the worker has started its next round, so whatever serve does after a round has been done.
 */
const steppedPipeline = () => {
  let deliveredSoFar = 0;
  const rounds: Array<() => void> = [];
  let roundStarted: () => void = () => undefined;
  const pipeline: ServedPipeline = {
    webhook: () => noWebhook,
    schedule: () => Promise.resolve([]),
    deps: { now: () => new Date(0), repos: { integrations: { list: () => Promise.resolve([]) } } },
    deliveredSoFar: () => deliveredSoFar,
    drain: (run = {}) =>
      new Promise<RunReport>((resolve) => {
        const end = () => resolve(NO_DELIVERY);
        run.signal?.addEventListener('abort', end);
        rounds.push(end);
        roundStarted();
      }),
  };
  const nextRound = async () => {
    if (rounds.length === 0) await new Promise<void>((r) => (roundStarted = r));
  };
  return {
    pipeline,
    endRound: async (delivered: number) => {
      await nextRound();
      deliveredSoFar += delivered;
      rounds.shift()!();
      await nextRound();
    },
  };
};

/** The server a test started, stopped after it whatever the test did. */
let server: LocalServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe("serve says a line after every round of work, whoever drained it (serve's worker or a command run in serve)", () => {
  it('a round a command delivered beside the worker is told, an idle round is not, and each round once', async () => {
    const stepped = steppedPipeline();
    let tellings = 0;
    server = await serveLocal(stepped.pipeline, {
      signingSecrets: new LocalWebhookSecretStore(),
      logger: silentLogger,
      scheduleEveryMs: 0,
      syncOnStart: false,
      onDrained: () => {
        tellings += 1;
      },
    });
    // A sync run in serve delivered the whole round: the worker's own drain delivered nothing.
    await stepped.endRound(7);
    expect(tellings).toBe(1);
    // An idle round: nothing is said.
    await stepped.endRound(0);
    expect(tellings).toBe(1);
    // The worker's own deliveries: said once.
    await stepped.endRound(3);
    expect(tellings).toBe(2);
  });
});

describe('serve says what an unattended run must hear', () => {
  it("an invocation that ran past its function's timeout is warned of, naming the stage and the times", async () => {
    const warnings: string[] = [];
    let drained: () => void = () => undefined;
    const told = new Promise<void>((resolve) => (drained = resolve));
    const pipeline: ServedPipeline = {
      ...steppedPipeline().pipeline,
      drain: async (run = {}) => {
        run.onProgress?.({ kind: 'messages_processed', queue: 'contacts', messages: 3, failed: 0 });
        run.onProgress?.({
          kind: 'invocation_timed_out',
          queue: 'contacts',
          messages: 3,
          tookSeconds: 61,
          timeoutSeconds: 60,
        });
        drained();
        return new Promise<RunReport>((resolve) =>
          run.signal?.addEventListener('abort', () => resolve(NO_DELIVERY)),
        );
      },
    };
    server = await serveLocal(pipeline, {
      signingSecrets: new LocalWebhookSecretStore(),
      logger: { ...silentLogger, warn: (message) => void warnings.push(message) },
      scheduleEveryMs: 0,
      syncOnStart: false,
    });
    await told;
    expect(warnings).toEqual([
      "an invocation counting contacts ran 61 s on 3 messages, past its function's 60 s timeout: Lambda would stop it there, so they are retried",
    ]);
  });
});

/** A webhook whose integrations are all unknown: its answer is the webhook's 404, never the console's. */
const unknownIntegrations: WebhookDeps = { ...noWebhook, integrations: { get: async () => undefined } };

describe('serve: which requests are webhooks and which are the console’s', () => {
  const rows: [rule: string, path: string, answeredBy: 'webhook' | 'console'][] = [
    ['an integration’s webhook path is the webhook’s', '/integrations/acme/webhook', 'webhook'],
    [
      'with a trailing slash too, as the Lambda’s Function URL takes it',
      '/integrations/acme/webhook/',
      'webhook',
    ],
    ['a path below it is the console’s', '/integrations/acme/webhook/x', 'console'],
    ['any other path is the console’s', '/queues', 'console'],
  ];
  it.each(rows)('%s (%s)', async (_rule, path, answeredBy) => {
    server = await serveLocal(
      { ...steppedPipeline().pipeline, webhook: () => unknownIntegrations },
      {
        signingSecrets: new LocalWebhookSecretStore(),
        logger: silentLogger,
        scheduleEveryMs: 0,
        syncOnStart: false,
        console: async (_req, res) => {
          res.writeHead(299, { 'content-type': 'text/plain' }).end('console');
        },
      },
    );
    const response = await fetch(`${server.url}${path}`, { method: 'POST', body: '{"ticket_id":"1"}' });
    expect(
      answeredBy === 'webhook'
        ? { status: response.status, body: (await response.json()) as unknown }
        : { status: response.status, body: await response.text() },
    ).toEqual(
      answeredBy === 'webhook'
        ? { status: 404, body: { message: 'Not found' } }
        : { status: 299, body: 'console' },
    );
  });
});
