import { QUEUES, type QueueKey } from '../shared/messages/queues.js';
import { secretName } from '../shared/store/secret-store.js';
import type { TableKey } from '../shared/store/tables.js';
import { WEBHOOK_SECRET_PREFIX } from '../shared/store/webhook-secret-store.js';

/**
 * The Lambdas of the pipeline as plain data: where each handler lives, what triggers it, and the
 * exact DynamoDB, SQS and Secrets Manager actions its code performs (least privilege). The grants
 * follow the repositories each use case calls (shared/pipeline/*, shared/store/*):
 * a transaction needs the per-item actions of its parts (Put → PutItem), there is no IAM action
 * for TransactWriteItems itself.
 */
export type FunctionKey =
  'scheduler' | 'fetch' | 'channelMapper' | 'viewClassifier' | 'aggregator' | 'webhook';

export type TableAction =
  'GetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'Query' | 'Scan' | 'BatchGetItem' | 'BatchWriteItem';

export type Trigger =
  | { readonly kind: 'queue'; readonly queue: QueueKey; readonly batchSize: number }
  | { readonly kind: 'schedule' }
  | { readonly kind: 'functionUrl' };

/**
 * Secret access by name prefix: `credentials` are the Zendesk credentials (`zendesk-wfm/<id>`), read
 * to build a Zendesk client and rewritten when an OAuth refresh token rotates; `webhookSigning` are
 * the signing secrets (`zendesk-wfm-webhook/<id>`), which the webhook reads and nothing else does.
 */
export interface SecretAccess {
  readonly credentials?: 'read' | 'readAndRotate';
  readonly webhookSigning?: 'read';
}

export interface FunctionSpec {
  readonly key: FunctionKey;
  /** Folder under lambdas/ holding `handler.ts`, which exports `handler`. */
  readonly folder: string;
  readonly description: string;
  readonly trigger: Trigger;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly tables: Readonly<Partial<Record<TableKey, readonly TableAction[]>>>;
  /** Queues it sends messages to (its own dead-letter queue, where it parks malformed messages, is implied by a queue trigger). */
  readonly sendsTo: readonly QueueKey[];
  readonly secrets: SecretAccess;
  /**
   * Whether its configuration comes from shared/config.ts, which requires every table name and
   * queue URL in the environment; the webhook reads only the two it uses.
   */
  readonly fullPipelineConfig: boolean;
}

const consumerOf = (queue: QueueKey, batchSize: number) => ({
  trigger: { kind: 'queue', queue, batchSize } as const,
  // The function may run as long as its queue's definition says; the visibility timeout is six times that.
  timeoutSeconds: QUEUES[queue].consumerTimeoutSeconds,
});

export const FUNCTION_SPECS: Readonly<Record<FunctionKey, FunctionSpec>> = {
  scheduler: {
    key: 'scheduler',
    folder: 'scheduler',
    description: 'EventBridge schedule → one fetch job per active integration',
    trigger: { kind: 'schedule' },
    timeoutSeconds: 60,
    memoryMb: 256,
    tables: { integrations: ['Scan'] },
    sendsTo: ['fetchJobs'],
    secrets: {},
    fullPipelineConfig: true,
  },
  fetch: {
    key: 'fetch',
    folder: 'fetch',
    description: 'fetch-jobs → Zendesk exports → changes.fifo',
    // One job per invocation: the time budget of the invocation belongs to one stream.
    ...consumerOf('fetchJobs', 1),
    memoryMb: 512,
    tables: { integrations: ['GetItem', 'PutItem'], cursors: ['GetItem', 'PutItem'] },
    sendsTo: ['changes', 'fetchJobs'],
    secrets: { credentials: 'readAndRotate' },
    fullPipelineConfig: true,
  },
  channelMapper: {
    key: 'channelMapper',
    folder: 'channel-mapper',
    description: 'changes.fifo → users stored, updates.fifo, contacts.fifo',
    ...consumerOf('changes', 10),
    memoryMb: 512,
    tables: { integrations: ['GetItem'], users: ['BatchGetItem', 'BatchWriteItem'] },
    sendsTo: ['updates', 'contacts'],
    secrets: {},
    fullPipelineConfig: true,
  },
  viewClassifier: {
    key: 'viewClassifier',
    folder: 'view-classifier',
    description: 'updates.fifo → ticket state, view verdicts and replays, contacts.fifo',
    ...consumerOf('updates', 10),
    memoryMb: 1024,
    tables: {
      integrations: ['GetItem'],
      views: ['Query', 'PutItem'],
      ticketState: ['BatchGetItem', 'BatchWriteItem'],
      interactions: ['Query', 'BatchWriteItem'],
    },
    sendsTo: ['updates', 'contacts'],
    // Reads ticket audits from Zendesk for tickets first seen mid-life.
    secrets: { credentials: 'readAndRotate' },
    fullPipelineConfig: true,
  },
  aggregator: {
    key: 'aggregator',
    folder: 'aggregator',
    description: 'contacts.fifo → contact facts, queue history, catalog and coverage counters',
    ...consumerOf('contacts', 10),
    memoryMb: 1024,
    tables: {
      appliedMarkers: ['GetItem', 'PutItem'],
      contactFacts: ['BatchGetItem', 'BatchWriteItem'],
      queueHistory: ['BatchGetItem', 'PutItem'],
      queueCatalog: ['Query', 'PutItem'],
      coverage: ['Query', 'PutItem'],
    },
    sendsTo: [],
    secrets: {},
    fullPipelineConfig: true,
  },
  webhook: {
    key: 'webhook',
    folder: 'webhook',
    description: 'Zendesk webhook (Function URL, signature checked) → one fetch job per window',
    trigger: { kind: 'functionUrl' },
    timeoutSeconds: 10,
    memoryMb: 256,
    // Integrations by id; the coalescing window claims are items of the same table.
    tables: { integrations: ['GetItem', 'UpdateItem', 'DeleteItem'] },
    sendsTo: ['fetchJobs'],
    secrets: { webhookSigning: 'read' },
    fullPipelineConfig: false,
  },
};

export const ALL_FUNCTION_SPECS: readonly FunctionSpec[] = Object.values(FUNCTION_SPECS);

/** Secret name prefixes, from the stores that name the secrets. */
export const CREDENTIALS_SECRET_PREFIX = secretName('');
export { WEBHOOK_SECRET_PREFIX };
