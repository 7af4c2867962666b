import { afterEach, describe, expect, it } from '@jest/globals';
import type { RunReport } from '../../../local/runner.js';
import { serveLocal, type LocalServer, type ServedPipeline } from '../../../local/serve.js';
import { silentLogger } from '../../../local/pipeline.js';
import { LocalWebhookSecretStore } from '../../../shared/store/webhook-secret-store.js';
import type { WebhookDeps } from '../../../shared/webhook/receive.js';

const refused = (): Promise<never> => Promise.reject(new Error('not reached in this test'));

/** A webhook whose integrations are all unknown: its answer is the webhook's 404, never the console's. */
const unknownIntegrations: WebhookDeps = {
  integrations: { get: async () => undefined },
  signingSecrets: { get: refused, getFresh: refused },
  nudges: { claim: refused, release: refused, claimTicketRead: refused, releaseTicketRead: refused },
  sendFetchJob: refused,
  now: () => new Date(0),
  windowSeconds: 1,
  exportLagSeconds: 0,
  logger: silentLogger,
};

const idlePipeline: ServedPipeline = {
  webhook: () => unknownIntegrations,
  schedule: () => Promise.resolve([]),
  deps: { now: () => new Date(0), repos: { integrations: { list: () => Promise.resolve([]) } } },
  deliveredSoFar: () => 0,
  drain: (run = {}) =>
    new Promise<RunReport>((resolve) =>
      run.signal?.addEventListener('abort', () =>
        resolve({
          invocations: { fetchJobs: 0, changes: 0, updates: 0, contacts: 0 },
          delivered: 0,
          failed: 0,
        } as RunReport),
      ),
    ),
};

describe('serve: which requests are webhooks and which are the console’s', () => {
  let server: LocalServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

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
    server = await serveLocal(idlePipeline, {
      signingSecrets: new LocalWebhookSecretStore(),
      logger: silentLogger,
      scheduleEveryMs: 0,
      syncOnStart: false,
      console: async (_req, res) => {
        res.writeHead(299, { 'content-type': 'text/plain' }).end('console');
      },
    });
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
