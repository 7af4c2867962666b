import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { SqsMessageBus } from '../messages/bus.js';
import { SqsDeadLetters } from '../messages/dead-letters.js';
import { SqsMessageVisibility } from '../messages/visibility.js';
import type { QueueUrls } from '../messages/queues.js';
import { documentClientFor } from '../store/clients.js';
import type { SecretStore } from '../store/secret-store.js';
import type { TableNames } from '../store/tables.js';
import type { ZendeskClientOptions } from '../zendesk/client.js';
import type { AggregatorDeps } from './aggregator.js';
import type { ChannelMapperDeps } from './channel-mapper.js';
import {
  DEFAULT_SETTINGS,
  type ConsumerDeps,
  repositories,
  type PipelineLogger,
  type PipelineSettings,
  type Repositories,
  type ZendeskFactory,
} from './deps.js';
import type { FetchDeps } from './fetch.js';
import type { ParkedWorkDeps } from './parked-work.js';
import { ignoreProgress, type ProgressListener } from './progress.js';
import type { SchedulerDeps } from './scheduler.js';
import type { ViewClassifierDeps } from './view-classifier.js';
import { zendeskClients } from './zendesk.js';
import { requestTimeLeftMs } from './time-left.js';

/**
 * The AWS clients (real, or locally emulated and guarded by the function's grants) one function
 * runs with, and its settings. Each function builds only its own dependencies from them.
 */
export interface FunctionClients {
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
  /** Hears the fetch step's progress (a local run's progress bar); default: nobody. */
  readonly progress?: ProgressListener;
}

const clockOf = (c: FunctionClients) => c.now ?? (() => new Date());
const settingsOf = (c: FunctionClients): PipelineSettings => ({ ...DEFAULT_SETTINGS, ...c.settings });
const reposOf = (c: FunctionClients): Repositories => repositories(documentClientFor(c.dynamodb), c.tables);
const zendeskOf = (c: FunctionClients): ZendeskFactory => {
  const now = clockOf(c);
  return (
    c.zendesk ??
    zendeskClients(c.secrets, {
      clock: () => now().getTime(),
      // The invocation's, whichever invocation of the process uses the client.
      timeLeftMs: requestTimeLeftMs,
      ...c.zendeskOptions,
    })
  );
};
const busOf = (c: FunctionClients) => new SqsMessageBus(c.sqs, c.queues);
const deadLettersOf = (c: FunctionClients) => new SqsDeadLetters(c.sqs, c.dlqs);
/** What every SQS consumer has besides its use case's own: dead letters, visibility, parking. */
const consumerOf = (c: FunctionClients, repos: Repositories): ConsumerDeps => {
  const deadLetters = deadLettersOf(c);
  const parkedWork: ParkedWorkDeps = {
    integrations: repos.integrations,
    deadLetters,
    now: clockOf(c),
    logger: c.logger,
  };
  return {
    deadLetters,
    visibility: new SqsMessageVisibility(c.sqs, c.queues),
    deliveries: repos.deliveries,
    parkedWork,
    logger: c.logger,
  };
};

export const schedulerDeps = (c: FunctionClients): SchedulerDeps => ({
  integrations: reposOf(c).integrations,
  bus: busOf(c),
  now: clockOf(c),
  logger: c.logger,
});

export const fetchDeps = (c: FunctionClients): FetchDeps & ConsumerDeps => {
  const repos = reposOf(c);
  return {
    integrations: repos.integrations,
    cursors: repos.cursors,
    runs: repos.runs,
    quarantine: repos.quarantine,
    bus: busOf(c),
    ...consumerOf(c, repos),
    zendesk: zendeskOf(c),
    now: clockOf(c),
    logger: c.logger,
    progress: c.progress ?? ignoreProgress,
    settings: settingsOf(c),
  };
};

export const channelMapperDeps = (c: FunctionClients): ChannelMapperDeps & ConsumerDeps => {
  const repos = reposOf(c);
  return {
    integrations: repos.integrations,
    users: repos.users,
    bus: busOf(c),
    ...consumerOf(c, repos),
    zendesk: zendeskOf(c),
    logger: c.logger,
  };
};

export const viewClassifierDeps = (c: FunctionClients): ViewClassifierDeps & ConsumerDeps => {
  const repos = reposOf(c);
  return {
    integrations: repos.integrations,
    views: repos.views,
    ticketState: repos.ticketState,
    interactions: repos.interactions,
    users: repos.users,
    bus: busOf(c),
    ...consumerOf(c, repos),
    zendesk: zendeskOf(c),
    logger: c.logger,
    settings: settingsOf(c),
  };
};

export const aggregatorDeps = (c: FunctionClients): AggregatorDeps & ConsumerDeps => {
  const repos = reposOf(c);
  return {
    applied: repos.applied,
    facts: repos.facts,
    queueHistory: repos.queueHistory,
    catalog: repos.catalog,
    coverage: repos.coverage,
    // The markers expire by DynamoDB's TTL, which runs on real time: an import's own clock (the
    // sandbox's, months behind) would have them deleted at once and a redelivery counted twice.
    now: () => new Date(),
    ...consumerOf(c, repos),
    logger: c.logger,
  };
};

/**
 * The operator's side (the integration service, the CLI's reports and read-backs): every
 * repository (also under `repos`), the bus and the secret store. On AWS this is the integration
 * admin policy and the operator's own credentials, not a function's role; locally the integration
 * service gets it built over clients checked against that policy (`LocalPipeline.admin`). It satisfies the narrow
 * dependencies of the integration service and the read-backs as it is.
 */
export interface OperatorDeps extends Repositories {
  readonly repos: Repositories;
  readonly bus: SqsMessageBus;
  readonly secrets: SecretStore;
  readonly now: () => Date;
  readonly logger: PipelineLogger;
}

export const operatorDeps = (c: FunctionClients): OperatorDeps => {
  const repos = reposOf(c);
  return {
    ...repos,
    repos,
    bus: busOf(c),
    secrets: c.secrets,
    now: clockOf(c),
    logger: c.logger,
  };
};
