import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { SqsMessageBus } from '../messages/bus.js';
import { SqsDeadLetters } from '../messages/dead-letters.js';
import type { QueueUrls } from '../messages/queues.js';
import { documentClientFor } from '../store/clients.js';
import type { SecretStore } from '../store/secret-store.js';
import type { TableNames } from '../store/tables.js';
import type { ZendeskClientOptions } from '../zendesk/client.js';
import {
  DEFAULT_SETTINGS,
  repositories,
  type PipelineDeps,
  type PipelineLogger,
  type PipelineSettings,
  type ZendeskFactory,
} from './deps.js';
import { zendeskClients } from './zendesk.js';

export interface BuildDepsInput {
  readonly dynamodb: DynamoDBClient;
  readonly sqs: SQSClient;
  readonly tables: TableNames;
  readonly queues: QueueUrls;
  readonly dlqs: Partial<QueueUrls>;
  readonly secrets: SecretStore;
  readonly logger: PipelineLogger;
  readonly now?: () => Date;
  readonly settings?: Partial<PipelineSettings>;
  /** Options of every Zendesk client (the sandbox's clock, a faster budget in tests). */
  readonly zendeskOptions?: Omit<
    ZendeskClientOptions,
    'credentials' | 'domain' | 'baseUrl' | 'saveRefreshToken'
  >;
  /** Replaces the Zendesk client factory altogether (unit tests). */
  readonly zendesk?: ZendeskFactory;
}

/** The pipeline's dependencies over real (or locally emulated) DynamoDB, SQS and a secret store. */
export const buildDeps = (input: BuildDepsInput): PipelineDeps => {
  const now = input.now ?? (() => new Date());
  const deadLetters = new SqsDeadLetters(input.sqs, input.dlqs);
  return {
    repos: repositories(documentClientFor(input.dynamodb), input.tables),
    bus: new SqsMessageBus(input.sqs, input.queues),
    deadLetters,
    secrets: input.secrets,
    zendesk:
      input.zendesk ??
      zendeskClients(input.secrets, { clock: () => now().getTime(), ...input.zendeskOptions }),
    now,
    logger: input.logger,
    settings: { ...DEFAULT_SETTINGS, ...input.settings },
  };
};
