/**
 * The Lambdas of the pipeline as plain data: where each handler lives, what triggers it, its size,
 * and its grants — not written here but taken from the declaration beside its use case
 * (shared/pipeline/function-grants.ts), which local mode enforces on every call. A queue trigger
 * is the queue the grants say the function consumes.
 */
import { FUNCTION_GRANTS, type FunctionKey } from '../shared/pipeline/function-grants.js';
import type { Grants } from '../shared/pipeline/grants.js';
import { QUEUES, type QueueKey } from '../shared/messages/queues.js';
import { secretName } from '../shared/store/secret-store.js';
import { WEBHOOK_SECRET_PREFIX } from '../shared/store/webhook-secret-store.js';

export type { FunctionKey };
export type { SecretAccess, TableAction } from '../shared/pipeline/grants.js';

export type Trigger =
  | { readonly kind: 'queue'; readonly queue: QueueKey; readonly batchSize: number }
  | { readonly kind: 'schedule' }
  | { readonly kind: 'functionUrl' };

export interface FunctionSpec {
  readonly key: FunctionKey;
  /** Folder under lambdas/ holding `handler.ts`, which exports `handler`. */
  readonly folder: string;
  readonly description: string;
  readonly trigger: Trigger;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** Tables, queues and secrets it may use (its own dead-letter queue, where it parks malformed messages, is implied by a queue trigger). */
  readonly grants: Grants;
  /**
   * Whether its configuration comes from shared/config.ts, which requires every table name and
   * queue URL in the environment; the webhook reads only the two it uses.
   */
  readonly fullPipelineConfig: boolean;
}

const consumerOf = (key: FunctionKey, batchSize: number) => {
  const queue = FUNCTION_GRANTS[key].consumes;
  if (!queue) throw new Error(`${key}: its grants name no queue it consumes`);
  return {
    key,
    grants: FUNCTION_GRANTS[key],
    trigger: { kind: 'queue', queue, batchSize } as const,
    // The function may run as long as its queue's definition says; the visibility timeout is six times that.
    timeoutSeconds: QUEUES[queue].consumerTimeoutSeconds,
  };
};

export const FUNCTION_SPECS: Readonly<Record<FunctionKey, FunctionSpec>> = {
  scheduler: {
    key: 'scheduler',
    grants: FUNCTION_GRANTS.scheduler,
    folder: 'scheduler',
    description: 'EventBridge schedule → one fetch job per active integration',
    trigger: { kind: 'schedule' },
    timeoutSeconds: 60,
    memoryMb: 256,
    fullPipelineConfig: true,
  },
  fetch: {
    folder: 'fetch',
    description: 'fetch-jobs → Zendesk exports → changes.fifo',
    // One job per invocation: the time budget of the invocation belongs to one stream.
    ...consumerOf('fetch', 1),
    memoryMb: 512,
    fullPipelineConfig: true,
  },
  channelMapper: {
    folder: 'channel-mapper',
    description: 'changes.fifo → users stored, updates.fifo, contacts.fifo',
    ...consumerOf('channelMapper', 10),
    memoryMb: 512,
    fullPipelineConfig: true,
  },
  viewClassifier: {
    folder: 'view-classifier',
    description: 'updates.fifo → ticket state, view verdicts and replays, contacts.fifo',
    ...consumerOf('viewClassifier', 10),
    memoryMb: 1024,
    fullPipelineConfig: true,
  },
  aggregator: {
    folder: 'aggregator',
    description: 'contacts.fifo → contact facts, queue history, catalog and coverage counters',
    ...consumerOf('aggregator', 10),
    memoryMb: 1024,
    fullPipelineConfig: true,
  },
  webhook: {
    key: 'webhook',
    grants: FUNCTION_GRANTS.webhook,
    folder: 'webhook',
    description: 'Zendesk webhook (Function URL, signature checked) → one fetch job per window',
    trigger: { kind: 'functionUrl' },
    timeoutSeconds: 10,
    memoryMb: 256,
    fullPipelineConfig: false,
  },
};

export const ALL_FUNCTION_SPECS: readonly FunctionSpec[] = Object.values(FUNCTION_SPECS);

/** Secret name prefixes, from the stores that name the secrets. */
export const CREDENTIALS_SECRET_PREFIX = secretName('');
export { WEBHOOK_SECRET_PREFIX };
