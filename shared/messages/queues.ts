/**
 * The SQS queues of zendesk-wfm, as plain data: the single source of truth for names, FIFO flags,
 * visibility timeouts and dead-letter redrive. The CDK queues construct and the embedded stand-in
 * both build from these objects.
 *
 * Data flow: fetch-jobs → fetch λ → changes.fifo → channel-mapper λ → updates.fifo →
 * view-classifier λ → contacts.fifo → aggregator λ (calls go from channel-mapper straight to
 * contacts.fifo). Every FIFO message group is the integration id: one total order per integration
 * across its streams (users, then views, then ticket events, then calls, as the fetch chain sends
 * them), because classifying a ticket event needs the roles of the users it names, and the
 * aggregator's read-modify-write of counters needs one writer per integration. Integrations still
 * run in parallel.
 */
export type QueueKey = 'fetchJobs' | 'changes' | 'updates' | 'contacts';

export interface QueueDefinition {
  readonly key: QueueKey;
  /** Physical name in local mode (FIFO names end in `.fifo`); also the CDK construct id basis. */
  readonly localName: string;
  readonly dlqLocalName: string;
  /** Environment variable through which a Lambda learns the queue's URL. */
  readonly envVar: string;
  /** Environment variable with the URL of its dead-letter queue, where consumers park malformed messages at once. */
  readonly dlqEnvVar: string;
  readonly fifo: boolean;
  /** Timeout of the Lambda that consumes it; the visibility timeout is six times this (AWS guidance). */
  readonly consumerTimeoutSeconds: number;
  readonly visibilityTimeoutSeconds: number;
  /**
   * Deliveries that failed before the consumer parks a message (shared/pipeline/failed-deliveries.ts).
   * A delivery Zendesk's rate limit made wait is not one of them: the consumer records those.
   */
  readonly maxFailedDeliveries: number;
  /**
   * Receives before SQS's redrive policy moves a message to its dead-letter queue: a safety net far
   * above `maxFailedDeliveries`, because every receive counts towards it, rate-limit waits
   * included. The consumer parks a message itself long before (failures, or the rate-limit wait's
   * bound), so SQS moves one only if the consumer cannot run at all.
   */
  readonly maxReceiveCount: number;
  readonly retentionSeconds: number;
  readonly description: string;
}

const FOURTEEN_DAYS = 14 * 24 * 3600;
/** SQS's largest redrive maxReceiveCount. */
const SQS_MAX_RECEIVE_COUNT = 1000;

const queue = (
  key: QueueKey,
  slug: string,
  props: { fifo: boolean; consumerTimeoutSeconds: number; description: string },
): QueueDefinition => {
  const suffix = props.fifo ? '.fifo' : '';
  return {
    key,
    localName: `zendesk-wfm-${slug}${suffix}`,
    dlqLocalName: `zendesk-wfm-${slug}-dlq${suffix}`,
    envVar: `${slug.toUpperCase().replace(/-/g, '_')}_QUEUE_URL`,
    dlqEnvVar: `${slug.toUpperCase().replace(/-/g, '_')}_DLQ_URL`,
    fifo: props.fifo,
    consumerTimeoutSeconds: props.consumerTimeoutSeconds,
    visibilityTimeoutSeconds: props.consumerTimeoutSeconds * 6,
    maxFailedDeliveries: 5,
    maxReceiveCount: SQS_MAX_RECEIVE_COUNT,
    retentionSeconds: FOURTEEN_DAYS,
    description: props.description,
  };
};

export const QUEUES: Readonly<Record<QueueKey, QueueDefinition>> = {
  // Standard, not FIFO: a 429 re-queues the job with DelaySeconds, which FIFO queues refuse.
  fetchJobs: queue('fetchJobs', 'fetch-jobs', {
    fifo: false,
    consumerTimeoutSeconds: 120,
    description: 'one job per integration and stream to read from Zendesk',
  }),
  changes: queue('changes', 'changes', {
    fifo: true,
    consumerTimeoutSeconds: 60,
    description: 'compacted export pages, in order per integration',
  }),
  updates: queue('updates', 'updates', {
    fifo: true,
    consumerTimeoutSeconds: 60,
    description: 'normalised ticket updates, view definitions and view replays, in order per integration',
  }),
  contacts: queue('contacts', 'contacts', {
    fifo: true,
    consumerTimeoutSeconds: 60,
    description: 'contact facts (per view and channel, or per call) to aggregate',
  }),
};

export const ALL_QUEUES: readonly QueueDefinition[] = Object.values(QUEUES);

export type QueueUrls = Readonly<Record<QueueKey, string>>;

export const queueUrlsFromEnv = (env: NodeJS.ProcessEnv = process.env): QueueUrls => {
  const missing = ALL_QUEUES.filter((q) => !env[q.envVar]).map((q) => q.envVar);
  if (missing.length > 0) throw new Error(`Missing queue environment variables: ${missing.join(', ')}`);
  return Object.fromEntries(ALL_QUEUES.map((q) => [q.key, env[q.envVar] as string])) as Record<
    QueueKey,
    string
  >;
};

/** Dead-letter queue URLs the environment provides (a consumer without one lets SQS redrive instead). */
export const dlqUrlsFromEnv = (env: NodeJS.ProcessEnv = process.env): Partial<QueueUrls> =>
  Object.fromEntries(
    ALL_QUEUES.filter((q) => env[q.dlqEnvVar]).map((q) => [q.key, env[q.dlqEnvVar] as string]),
  );
