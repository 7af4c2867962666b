import type { SQSRecord } from 'aws-lambda';
import type { QueueKey } from '../shared/messages/queues.js';
import type { ProgressListener } from '../shared/pipeline/progress.js';
import { watchUntilIdle } from './runner/idle.js';
import type { PipelineHandlers } from './runner/invoking.js';
import { pollUntilFinished } from './runner/polling.js';
import { sqsRunnerQueues, type RunnerStack } from './runner/queues.js';
import { RunState, type RunReport } from './runner/run-state.js';

/**
 * The local stand-in for Lambda's SQS event source mappings: one worker per queue polls it and
 * invokes the same handlers with real SQS-shaped events (runner/polling.ts, runner/invoking.ts),
 * deletes what succeeded and makes reported failures visible again after a backoff by receive count
 * (runner/backoff.ts); the queue's redrive policy still moves a message to its DLQ after
 * maxReceiveCount receives, and DelaySeconds is honoured by the emulator. A watcher ends the run
 * when every queue is empty and nothing is in flight or delayed (runner/idle.ts). What the run knows
 * while it goes is one RunState.
 */
export type { PipelineHandlers, QueueHandler } from './runner/invoking.js';
export { queueDepth, type RunnerStack } from './runner/queues.js';
export type { RunReport } from './runner/run-state.js';

export interface RunOptions {
  /** Messages per invocation (Lambda's batch size); default 10. */
  readonly batchSize?: number;
  /**
   * Visibility a failed message gets before it may be received again. Default: a backoff by its
   * receive count (2, 6, 18, 54 s), so a failure that needs time to heal (a rate-limited look-up)
   * does not burn its maxReceiveCount receives within a second and land in the DLQ.
   */
  readonly failedVisibilitySeconds?: number;
  /** Caps that backoff (seconds); a Retry-After a handler set is left as it is. */
  readonly maxRetryDelaySeconds?: number;
  /**
   * Give up (throw) when the pipeline is not idle after this long. Default: no deadline, the run
   * ends when idle, stopped or failed. A deadline of wall-clock time says nothing about the work on
   * a busy machine: a small account's import once took more than two minutes on a loaded 2-core
   * machine and failed for that alone.
   */
  readonly timeoutMs?: number;
  /**
   * Whether the handler itself set this failed message's visibility (a Zendesk Retry-After): the
   * runner then leaves it as the handler set it, as Lambda does, instead of its own backoff.
   */
  readonly handlerSetVisibility?: (receiptHandle: string) => boolean;
  /** Sees every record delivered to a handler (tests record and re-deliver them). */
  readonly onDelivery?: (queue: QueueKey, record: SQSRecord) => void;
  /**
   * Hears the run's progress: what each invocation processed, and through the local pipeline the
   * fetch step's pages and rate-limit waits.
   */
  readonly onProgress?: ProgressListener;
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

/** Downstream stages first: the oldest work finishes before new work is fetched. */
const WORKER_ORDER: readonly QueueKey[] = ['contacts', 'updates', 'changes', 'fetchJobs'];

export const runPipelineUntilIdle = async (
  stack: RunnerStack,
  handlers: PipelineHandlers,
  options: RunOptions = {},
): Promise<RunReport> => {
  const queues = await sqsRunnerQueues(stack);
  const state = new RunState();
  const stopping = () => options.signal?.aborted === true;
  // serve drains again and again with one signal: each run takes its listener off when it ends.
  const wake = () => state.wakeAll();
  options.signal?.addEventListener('abort', wake, { once: true });
  const poller = { queues, handlers, state, options: { ...options, batchSize: options.batchSize ?? 10 } };
  try {
    await Promise.all([
      ...WORKER_ORDER.map((queue) => pollUntilFinished(poller, queue, stopping)),
      watchUntilIdle({
        state,
        queues,
        timeoutMs: options.timeoutMs ?? Number.POSITIVE_INFINITY,
        stopping,
        ...(options.onWait ? { onWait: options.onWait } : {}),
      }),
    ]);
  } finally {
    options.signal?.removeEventListener('abort', wake);
  }
  return state.report();
};
