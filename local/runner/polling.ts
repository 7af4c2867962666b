import { QUEUES, type QueueKey } from '../../shared/messages/queues.js';
import type { ProgressListener } from '../../shared/pipeline/progress.js';
import type { SQSRecord } from 'aws-lambda';
import { retriesOf, type BackoffOptions } from './backoff.js';
import { invoke, type PipelineHandlers } from './invoking.js';
import type { RunnerQueues } from './queues.js';
import type { RunState } from './run-state.js';

/**
 * Polling one queue, as Lambda's event source mapping does for its function: one worker per queue
 * (one invocation at a time, as the FIFO groups allow), which receives a batch, invokes the handler,
 * deletes what succeeded and sets a backoff on what failed. A stage pauses while the queue it feeds
 * already holds MAX_AHEAD messages: work flows through in step, and the emulated queues, which live
 * in this process's memory, stay small.
 *
 * Integrations take turns. A FIFO queue's poll is a round: it receives until the queue has nothing
 * more to give, and the emulator hands out one message per message group (integration) per receive
 * and keeps a group with a message in flight locked, so each further receive of the round answers
 * with other groups. The round then runs in invocations of the batch size, in the order received:
 * every integration with work gets one message per round, and a large integration's backlog is one
 * message of a round like a small integration's new ticket. Without rounds, a receive of ten would
 * serve the first ten groups only, for as long as each of them had a backlog.
 */

/** The queue each stage mostly feeds (the channel mapper also sends calls' facts to contacts). */
export const DOWNSTREAM: Readonly<Partial<Record<QueueKey, QueueKey>>> = {
  fetchJobs: 'changes',
  changes: 'updates',
  updates: 'contacts',
};
/** Messages a stage may run ahead of the next one. */
export const MAX_AHEAD = 8;
/** How long an idle worker waits before it polls again, unless another worker's work wakes it. */
export const POLL_MS = 25;

/**
 * Invocations one round may take. Each lasts at most its function's timeout and the visibility
 * timeout is six times that, so the round's last message is invoked before its first could be
 * handed out again.
 */
export const ROUND_INVOCATIONS = 5;

export const hasRoomDownstream = async (queues: Pick<RunnerQueues, 'depth'>, queue: QueueKey) => {
  const next = DOWNSTREAM[queue];
  return next === undefined || (await queues.depth(next)) < MAX_AHEAD;
};

export interface PollOptions extends BackoffOptions {
  /** Messages per invocation (Lambda's batch size). */
  readonly batchSize: number;
  /** Sees every record delivered to a handler (tests record and re-deliver them). */
  readonly onDelivery?: (queue: QueueKey, record: SQSRecord) => void;
  /** Told after each invocation how many messages it processed and how many of them failed. */
  readonly onProgress?: ProgressListener;
  /** Asked before each poll; what it throws stops the run (a full disk). */
  readonly checkHealth?: () => void | Promise<void>;
}

export interface Poller {
  readonly queues: RunnerQueues;
  readonly handlers: PipelineHandlers;
  readonly state: RunState;
  readonly options: PollOptions;
  /** The clock of the Lambda context's remaining time. */
  readonly now?: () => number;
}

/**
 * What one poll takes: a batch from a standard queue; from a FIFO queue a round, one message of each
 * group with work (up to ROUND_INVOCATIONS batches).
 */
export const receiveRound = async (
  queues: Pick<RunnerQueues, 'receive'>,
  queue: QueueKey,
  batchSize: number,
): Promise<SQSRecord[][]> => {
  if (!QUEUES[queue].fifo) {
    const batch = await queues.receive(queue, batchSize);
    return batch.length > 0 ? [batch] : [];
  }
  const round: SQSRecord[] = [];
  while (round.length < ROUND_INVOCATIONS * batchSize) {
    const more = await queues.receive(queue, batchSize);
    if (more.length === 0) break;
    round.push(...more);
  }
  const batches: SQSRecord[][] = [];
  for (let i = 0; i < round.length; i += batchSize) batches.push(round.slice(i, i + batchSize));
  return batches;
};

/**
 * One poll of `queue`: whether it found work (a round of batches invoked and settled). A run that
 * finishes or is stopped mid-round invokes no more of it: the rest is made visible again at once.
 */
export const pollOnce = async (
  poller: Poller,
  queue: QueueKey,
  stopping: () => boolean = () => false,
): Promise<boolean> => {
  const { queues, options, state } = poller;
  await options.checkHealth?.();
  if (!(await hasRoomDownstream(queues, queue))) return false;
  const batches = await receiveRound(queues, queue, options.batchSize);
  for (const [i, records] of batches.entries()) {
    if (i > 0 && (state.finished || stopping())) {
      const rest = batches.slice(i).flat();
      await queues.retryLater(
        queue,
        rest.map((r) => ({ receiptHandle: r.receiptHandle, visibilitySeconds: 0 })),
      );
      break;
    }
    await invokeBatch(poller, queue, records);
  }
  return batches.length > 0;
};

/** Invokes the handler with one batch, deletes what succeeded and backs off what failed. */
const invokeBatch = async (poller: Poller, queue: QueueKey, records: readonly SQSRecord[]): Promise<void> => {
  const { queues, options, state } = poller;
  for (const r of records) options.onDelivery?.(queue, r);
  state.invoking(queue, records.length);
  const { succeeded, failed, timedOut, tookMs } = await invoke(
    poller.handlers[queue],
    queue,
    records,
    poller.now,
  );
  state.failedDeliveries(failed.length);
  await queues.delete(
    queue,
    succeeded.map((r) => r.receiptHandle),
  );
  await queues.retryLater(queue, retriesOf(failed, options));
  if (timedOut)
    options.onProgress?.({
      kind: 'invocation_timed_out',
      queue,
      messages: records.length,
      // Up, so a run just past the timeout never reads as the timeout itself.
      tookSeconds: Math.ceil(tookMs / 1000),
      timeoutSeconds: QUEUES[queue].consumerTimeoutSeconds,
    });
  options.onProgress?.({
    kind: 'messages_processed',
    queue,
    messages: records.length,
    failed: failed.length,
  });
};

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The worker of one queue: polls until the run finishes or is stopped. An error (a failed health
 * check, an unreachable queue) finishes the run with it. Found work wakes the other workers, so
 * the next stage takes it at once; otherwise the worker waits POLL_MS or the next wake-up.
 */
export const pollUntilFinished = async (
  poller: Poller,
  queue: QueueKey,
  stopping: () => boolean,
): Promise<void> => {
  const { state } = poller;
  while (!state.finished && !stopping()) {
    state.beginPoll();
    let worked = false;
    try {
      worked = await pollOnce(poller, queue, stopping);
    } catch (error) {
      state.finish(error);
    } finally {
      state.endPoll();
    }
    if (worked) state.wakeAll();
    else await Promise.race([state.wakeUp(), pause(POLL_MS)]);
  }
};
