import { GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { createHandler } from '../../../lambdas/webhook/handler.js';
import { startLocalStack, type LocalStack } from '../../../local/local-stack.js';
import { SqsMessageBus } from '../../../shared/messages/bus.js';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClientFor } from '../../../shared/store/clients.js';
import { IntegrationsRepository } from '../../../shared/store/integrations-repository.js';
import { LocalWebhookSecretStore } from '../../../shared/store/webhook-secret-store.js';
import { WebhookNudgesRepository } from '../../../shared/store/webhook-nudges-repository.js';
import type { WebhookDeps } from '../../../shared/webhook/receive.js';
import { signWebhook } from '../../../shared/webhook/signature.js';
import { anIntegration } from '../../support/integrations.js';

const SECRET = 'whsec-integration-0123456789';
/** An injected clock at the start of a 14-minute coalescing window: the whole burst falls in it. */
const NOW = new Date('2026-12-02T10:00:00.000Z');
const WINDOW_SECONDS = 840;

const event = (body: string, signature: string, timestamp: string, id = 'int1'): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: '$default',
    rawPath: `/integrations/${id}/webhook`,
    rawQueryString: '',
    headers: {
      'content-type': 'application/json',
      'x-zendesk-webhook-signature': signature,
      'x-zendesk-webhook-signature-timestamp': timestamp,
    },
    requestContext: { http: { method: 'POST', path: `/integrations/${id}/webhook` } },
    body,
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;

describe('the webhook Lambda on DynamoDB Local and the SQS emulator', () => {
  let stack: LocalStack;
  let deps: WebhookDeps;
  const logged: string[] = [];

  beforeAll(async () => {
    stack = await startLocalStack();
    const db = documentClientFor(stack.dynamodb);
    const integrations = new IntegrationsRepository(db, stack.tableNames.integrations);
    await integrations.create(anIntegration({ id: 'int1' }));
    const secrets = new LocalWebhookSecretStore();
    await secrets.put('int1', SECRET);
    const bus = new SqsMessageBus(stack.sqs, stack.queueUrls);
    deps = {
      integrations,
      signingSecrets: secrets,
      nudges: new WebhookNudgesRepository(db, stack.tableNames.integrations),
      sendFetchJob: (job, delay) => bus.sendFetchJob(job, delay),
      now: () => NOW,
      windowSeconds: WINDOW_SECONDS,
      exportLagSeconds: 60,
      logger: {
        info: (m, e) => logged.push(m + JSON.stringify(e)),
        warn: (m, e) => logged.push(m + JSON.stringify(e)),
      },
    };
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const fetchJobsWaiting = async () => {
    const { Attributes } = await stack.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: stack.queueUrls.fetchJobs,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesDelayed'],
      }),
    );
    return (
      Number(Attributes?.ApproximateNumberOfMessages) + Number(Attributes?.ApproximateNumberOfMessagesDelayed)
    );
  };

  it('refuses bad requests with their status and enqueues nothing', async () => {
    const handler = createHandler(() => deps);
    const ts = NOW.toISOString();
    const body = '{"ticket_id":"1"}';
    const oversized = `{"x":"${'a'.repeat(300_000)}"}`;
    const answers = await Promise.all([
      handler(event(body, '', ts), {} as Context),
      handler(event(body, signWebhook('wrong-secret-xyz', ts, body), ts), {} as Context),
      handler(event(oversized, signWebhook(SECRET, ts, oversized), ts), {} as Context),
      handler(event(body, signWebhook(SECRET, ts, body), ts, 'unknown'), {} as Context),
    ]);
    expect(answers.map((a) => a.statusCode)).toEqual([401, 401, 413, 404]);
    expect(await fetchJobsWaiting()).toBe(0);
    expect(logged.join('\n')).not.toContain(SECRET);
  });

  it('turns a burst of 1000 signed requests in one coalescing window into one fetch job', async () => {
    const handler = createHandler(() => deps);
    const answers = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => {
        const ts = NOW.toISOString();
        // A body naming no ticket: only the import's coalescing is at work.
        const body = JSON.stringify({ n: i });
        return handler(event(body, signWebhook(SECRET, ts, body), ts), {} as Context);
      }),
    );
    expect(answers.filter((a) => a.statusCode === 202)).toHaveLength(1000);
    expect(await fetchJobsWaiting()).toBe(1);
    const { Messages } = await stack.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: stack.queueUrls.fetchJobs, MaxNumberOfMessages: 10 }),
    );
    // Delayed to the end of the window and the export's minute (900 s on): nothing is receivable yet.
    expect(Messages ?? []).toEqual([]);
    expect(logged.join('\n')).not.toContain(SECRET);
  });

  it('reads each named ticket once a minute and at most 20 tickets a minute, however many requests race', async () => {
    const handler = createHandler(() => deps);
    const ts = NOW.toISOString();
    // 300 requests at once: 100 name ticket 7, the others 200 tickets of their own.
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, i) => {
        const body = JSON.stringify({ ticket_id: String(i % 3 === 0 ? 7 : 1000 + i) });
        return handler(event(body, signWebhook(SECRET, ts, body), ts), {} as Context);
      }),
    );
    expect(answers.filter((a) => a.statusCode === 202)).toHaveLength(300);
    // The minute's claims, as the table holds them: 20 tickets.
    const { Item } = await documentClientFor(stack.dynamodb).send(
      new GetCommand({ TableName: stack.tableNames.integrations, Key: { pk: 'webhook-read-now#int1' } }),
    );
    const claimed = [...((Item?.tickets as Set<number> | undefined) ?? [])].sort((a, b) => a - b);
    expect(claimed).toHaveLength(20);
    // The reads sent are exactly the claimed tickets. Each is delayed 2 s, and the emulator answers
    // at once while none is visible: the receives are counted, not timed, so a lost read fails.
    const reads: number[] = [];
    for (let attempt = 0; attempt < 2000 && reads.length < claimed.length; attempt += 1) {
      const { Messages } = await stack.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: stack.queueUrls.fetchJobs,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 5,
        }),
      );
      for (const m of Messages ?? []) {
        const job = JSON.parse(m.Body ?? '{}') as { stream: string; ticketId?: number };
        if (job.stream === 'ticket_audits') reads.push(job.ticketId ?? 0);
      }
    }
    expect(reads.sort((a, b) => a - b)).toEqual(claimed);
  });
});
