import { randomUUID } from 'node:crypto';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { LOCAL_REGION } from '../../shared/aws.js';
import { QUEUES, type QueueKey } from '../../shared/messages/queues.js';

/**
 * Invoking a handler as Lambda's SQS event source does: one batch of records, a Lambda context
 * with the function's timeout, and the answer read as batch item failures (a thrown invocation
 * fails the whole batch).
 */
export type QueueHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;
export type PipelineHandlers = Readonly<Record<QueueKey, QueueHandler>>;

export interface Invocation {
  readonly succeeded: readonly SQSRecord[];
  readonly failed: readonly SQSRecord[];
  /** How long the handler ran, on the run's clock; past the function's timeout every record failed. */
  readonly tookMs: number;
  readonly timedOut: boolean;
}

/** The context of one invocation of `queue`'s function: its timeout counts from `now()`. */
export const lambdaContext = (queue: QueueKey, now: () => number = Date.now): Context => {
  const deadline = now() + QUEUES[queue].consumerTimeoutSeconds * 1000;
  const name = `zendesk-wfm-${queue}`;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:000000000000:function:${name}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
};

/** Milliseconds that do not count a machine's sleep (a laptop's lid shut is no invocation's time). */
const monotonicNow = (): number => performance.now();

export const invoke = async (
  handler: QueueHandler,
  queue: QueueKey,
  records: readonly SQSRecord[],
  now?: () => number,
): Promise<Invocation> => {
  const clock = now ?? monotonicNow;
  const started = clock();
  let failedIds: ReadonlySet<string>;
  try {
    const response = await handler({ Records: [...records] }, lambdaContext(queue, now ?? Date.now));
    failedIds = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
  } catch {
    failedIds = new Set(records.map((r) => r.messageId));
  }
  const tookMs = clock() - started;
  // Lambda stops an invocation at its timeout and no answer comes: the whole batch is retried. The
  // handler here cannot be stopped midway, but its answer is dropped as Lambda's would never come,
  // so a stage that overruns fails in local mode as it would once deployed.
  const timedOut = tookMs > QUEUES[queue].consumerTimeoutSeconds * 1000;
  if (timedOut) failedIds = new Set(records.map((r) => r.messageId));
  return {
    succeeded: records.filter((r) => !failedIds.has(r.messageId)),
    failed: records.filter((r) => failedIds.has(r.messageId)),
    tookMs,
    timedOut,
  };
};
