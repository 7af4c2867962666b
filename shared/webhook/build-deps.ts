import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { SqsMessageBus } from '../messages/bus.js';
import type { QueueUrls } from '../messages/queues.js';
import { documentClientFor } from '../store/clients.js';
import { IntegrationsRepository } from '../store/integrations-repository.js';
import { WebhookNudgesRepository } from '../store/webhook-nudges-repository.js';
import type { WebhookSecretStore } from '../store/webhook-secret-store.js';
import { EXPORT_LAG_SECONDS } from '../zendesk/positions.js';
import { coalescingSlot } from './coalesce.js';
import type { WebhookDeps } from './receive.js';

/** What the webhook is built from: only the integrations table, fetch-jobs and the signing secrets. */
export interface WebhookClients {
  readonly dynamodb: DynamoDBClient;
  readonly sqs: SQSClient;
  readonly integrationsTable: string;
  readonly fetchJobsUrl: string;
  readonly signingSecrets: WebhookSecretStore;
  readonly windowSeconds: number;
  /** Default EXPORT_LAG_SECONDS, Zendesk's. */
  readonly exportLagSeconds?: number;
  readonly logger: WebhookDeps['logger'];
}

export const webhookDeps = (c: WebhookClients): WebhookDeps => {
  const exportLagSeconds = c.exportLagSeconds ?? EXPORT_LAG_SECONDS;
  // A window SQS cannot delay to is refused here, naming the field, not by every request later.
  coalescingSlot(new Date(0), c.windowSeconds, exportLagSeconds);
  const db = documentClientFor(c.dynamodb);
  const bus = new SqsMessageBus(c.sqs, { fetchJobs: c.fetchJobsUrl } as QueueUrls);
  return {
    integrations: new IntegrationsRepository(db, c.integrationsTable),
    signingSecrets: c.signingSecrets,
    nudges: new WebhookNudgesRepository(db, c.integrationsTable),
    sendFetchJob: (job, delaySeconds) => bus.sendFetchJob(job, delaySeconds),
    // Signatures carry wall-clock time, whatever clock an import runs on.
    now: () => new Date(),
    windowSeconds: c.windowSeconds,
    exportLagSeconds,
    logger: c.logger,
  };
};
