import { randomUUID } from 'node:crypto';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { LOCAL_REGION } from '../shared/aws.js';
import { QUEUES, type QueueKey, type QueueUrls } from '../shared/messages/queues.js';

/**
 * The local stand-in for Lambda's SQS event source mapping: polls the emulated queues, invokes the
 * same handlers with real SQS-shaped events (messageId, receiptHandle, body, attributes with
 * MessageGroupId and ApproximateReceiveCount, eventSourceARN), deletes what succeeded, and makes
 * reported failures visible again after a short backoff (not a full visibility timeout);
 * the queue's redrive policy still moves a message to its DLQ after maxReceiveCount receives.
 * DelaySeconds is honoured by the emulator: the run waits for delayed messages.
 * Each queue has its own worker (one invocation at a time per queue, as FIFO groups allow), and a
 * stage pauses while its downstream queue already holds a few messages.
 * Returns when every queue is empty and nothing is in flight or delayed.
 */
/** Seconds before a failed message comes back: 2 × 3^(receives − 1), at most 60. */
export const retryBackoffSeconds = (receiveCount: number): number =>
  Math.min(60, 2 * 3 ** Math.max(0, (Number.isFinite(receiveCount) ? receiveCount : 1) - 1));

export type QueueHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;
export type PipelineHandlers = Readonly<Record<QueueKey, QueueHandler>>;

export interface RunnerStack {
  readonly sqs: SQSClient;
  readonly queueUrls: QueueUrls;
}

export interface RunOptions {
  /** Messages per invocation (Lambda's batch size); default 10. */
  readonly batchSize?: number;
  /**
   * Visibility a failed message gets before it may be received again. Default: a backoff by its
   * receive count (2, 6, 18, 54 s), so a failure that needs time to heal (a rate-limited look-up)
   * does not burn its maxReceiveCount receives within a second and land in the DLQ.
   */
  readonly failedVisibilitySeconds?: number;
  /** Give up (throw) when the pipeline is not idle after this long; default 120 s. */
  readonly timeoutMs?: number;
  /**
   * Whether the handler itself set this failed message's visibility (a Zendesk Retry-After): the
   * runner then leaves it as the handler set it, as Lambda does, instead of its own backoff.
   */
  readonly handlerSetVisibility?: (receiptHandle: string) => boolean;
  /** Sees every record delivered to a handler (tests record and re-deliver them). */
  readonly onDelivery?: (queue: QueueKey, record: SQSRecord) => void;
  /** Called while the run waits for delayed or in-flight messages (e.g. to move a fake clock). */
  readonly onWait?: (waitedMs: number) => void | Promise<void>;
  /**
   * Asked before each poll; what it throws stops the run with that error (a full disk: nothing more
   * is taken from the queues, and what is in them stays in the queue journal).
   */
  readonly checkHealth?: () => void | Promise<void>;
  /**
   * Stops the run early: nothing more is received, the invocations in hand finish, and the run
   * returns. What is still queued stays there (in the queue journal, with a data folder).
   */
  readonly signal?: AbortSignal;
}

export interface RunReport {
  readonly invocations: Record<QueueKey, number>;
  readonly delivered: number;
  readonly failed: number;
}

const ORDER: readonly QueueKey[] = ['contacts', 'updates', 'changes', 'fetchJobs'];
/** The queue each stage mostly feeds (the channel mapper also sends calls' facts to contacts). */
const DOWNSTREAM: Readonly<Partial<Record<QueueKey, QueueKey>>> = {
  fetchJobs: 'changes',
  changes: 'updates',
  updates: 'contacts',
};
/** Messages a stage may run ahead of the next one. */
const MAX_AHEAD = 8;
const POLL_MS = 25;

const lambdaContext = (queue: QueueKey): Context => {
  const deadline = Date.now() + QUEUES[queue].consumerTimeoutSeconds * 1000;
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
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
};

const toRecord = (m: Message, queueArn: string): SQSRecord => {
  const a = m.Attributes ?? {};
  return {
    messageId: m.MessageId ?? '',
    receiptHandle: m.ReceiptHandle ?? '',
    body: m.Body ?? '',
    attributes: {
      ApproximateReceiveCount: a.ApproximateReceiveCount ?? '1',
      SentTimestamp: a.SentTimestamp ?? String(Date.now()),
      SenderId: a.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: a.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      ...(a.MessageGroupId ? { MessageGroupId: a.MessageGroupId } : {}),
      ...(a.MessageDeduplicationId ? { MessageDeduplicationId: a.MessageDeduplicationId } : {}),
      ...(a.SequenceNumber ? { SequenceNumber: a.SequenceNumber } : {}),
    },
    messageAttributes: {},
    md5OfBody: m.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: LOCAL_REGION,
  };
};

export const queueDepth = async (stack: RunnerStack, queue: QueueKey): Promise<number> => {
  const { Attributes = {} } = await stack.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: stack.queueUrls[queue],
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0)
  );
};

export const runPipelineUntilIdle = async (
  stack: RunnerStack,
  handlers: PipelineHandlers,
  options: RunOptions = {},
): Promise<RunReport> => {
  const invocations: Record<QueueKey, number> = { fetchJobs: 0, changes: 0, updates: 0, contacts: 0 };
  let delivered = 0;
  let failed = 0;
  const arns = new Map<QueueKey, string>();
  for (const queue of ORDER) {
    const { Attributes } = await stack.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: stack.queueUrls[queue], AttributeNames: ['QueueArn'] }),
    );
    arns.set(
      queue,
      Attributes?.QueueArn ?? `arn:aws:sqs:${LOCAL_REGION}:000000000000:${QUEUES[queue].localName}`,
    );
  }
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 120_000;

  const pollOnce = async (queue: QueueKey): Promise<boolean> => {
    const QueueUrl = stack.queueUrls[queue];
    const { Messages = [] } = await stack.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        MaxNumberOfMessages: options.batchSize ?? 10,
        MessageSystemAttributeNames: ['All'],
        WaitTimeSeconds: 0,
      }),
    );
    if (Messages.length === 0) return false;
    const records = Messages.map((m) => toRecord(m, arns.get(queue)!));
    for (const r of records) options.onDelivery?.(queue, r);
    delivered += records.length;
    invocations[queue] += 1;
    let failedIds: Set<string>;
    try {
      const response = await handlers[queue]({ Records: records }, lambdaContext(queue));
      failedIds = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch {
      failedIds = new Set(records.map((r) => r.messageId)); // a thrown invocation fails the whole batch
    }
    const ok = records.filter((r) => !failedIds.has(r.messageId));
    const failedRecords = records.filter((r) => failedIds.has(r.messageId));
    failed += failedRecords.length;
    const bad = failedRecords.filter((r) => !options.handlerSetVisibility?.(r.receiptHandle));
    if (ok.length > 0) {
      await stack.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl,
          Entries: ok.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
        }),
      );
    }
    if (bad.length > 0) {
      await stack.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl,
          Entries: bad.map((r, i) => ({
            Id: String(i),
            ReceiptHandle: r.receiptHandle,
            VisibilityTimeout:
              options.failedVisibilitySeconds ??
              retryBackoffSeconds(Number(r.attributes.ApproximateReceiveCount)),
          })),
        }),
      );
    }
    return true;
  };

  // One worker per queue, as Lambda runs one function per queue: a stage computes while another
  // waits on DynamoDB, instead of the whole pipeline taking turns on one thread of control.
  let busy = 0;
  let finished = false;
  let failure: { error: unknown } | undefined;
  let wake = () => {};
  let woken = new Promise<void>((r) => (wake = r));
  const signal = () => {
    wake();
    woken = new Promise<void>((r) => (wake = r));
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  // Upstream stages wait while the next queue holds a few messages: work flows through in step
  // and the emulated queues, which live in this process's memory, stay small.
  const roomDownstream = async (queue: QueueKey) => {
    const next = DOWNSTREAM[queue];
    return next === undefined || (await queueDepth(stack, next)) < MAX_AHEAD;
  };

  const stopping = () => options.signal?.aborted === true;
  options.signal?.addEventListener('abort', () => signal(), { once: true });

  const worker = async (queue: QueueKey) => {
    while (!finished && !stopping()) {
      busy += 1;
      let worked = false;
      try {
        await options.checkHealth?.();
        worked = (await roomDownstream(queue)) && (await pollOnce(queue));
      } catch (error) {
        failure ??= { error };
        finished = true;
      } finally {
        busy -= 1;
      }
      if (worked) signal();
      else await Promise.race([woken, sleep(POLL_MS)]);
    }
  };

  const watch = async () => {
    while (!finished) {
      await sleep(POLL_MS);
      if (finished) return;
      if (stopping()) {
        finished = true;
        return;
      }
      if (busy > 0) {
        if (Date.now() - started > timeoutMs) {
          failure ??= { error: new Error(`the local pipeline is not idle after ${timeoutMs} ms`) };
          finished = true;
        }
        continue;
      }
      // Every worker waits; in-flight messages count as not visible, so 0 means nothing is left.
      let pending = 0;
      for (const queue of ORDER) pending += await queueDepth(stack, queue);
      if (pending === 0 && busy === 0) {
        finished = true;
        return;
      }
      if (Date.now() - started > timeoutMs) {
        failure ??= {
          error: new Error(
            `the local pipeline is not idle after ${timeoutMs} ms (${pending} messages pending)`,
          ),
        };
        finished = true;
        return;
      }
      await options.onWait?.(POLL_MS);
    }
  };

  await Promise.all([...ORDER.map(worker), watch()]);
  signal();
  if (failure) throw failure.error;
  return { invocations, delivered, failed };
};
