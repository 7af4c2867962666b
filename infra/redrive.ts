/**
 * Replays the deployed stack's parked work once its cause is fixed, as `zendesk-wfm redrive` does
 * locally:
 *
 *   npx tsx infra/redrive.ts cdk-outputs.json
 *
 * Locally nothing else runs while the dead letters are put back. On AWS the schedule, webhooks and
 * consumers go on, and SQS interleaves a FIFO queue's new messages with redriven ones, so:
 * 1. The integrations with parked work are made active again (a moved message must not find its
 *    integration still held, or it would be parked again) and marked `redriving`: no new run starts
 *    for them (schedule, webhook) until the moves are done.
 * 2. Each dead-letter queue that holds messages is moved back to the queue it serves (SQS's message
 *    move task, `StartMessageMoveTask`, oldest first, in order per message group), the last stage
 *    first, each move done before the next starts: a parked page of an earlier stage, once
 *    processed, sends its work to a later stage's queue only after that queue's parked pages.
 * 3. The marks are taken off, and the next scheduled run reads on from the integrations' cursors.
 * A redrive that stops before the end (a failed move, the operator's Ctrl-C) leaves the marks; the
 * next one takes those integrations up again. Each moved message is processed exactly as a
 * redelivery would be, so nothing is counted twice. Runs with the caller's AWS credentials; the
 * stack's IntegrationAdminPolicy grants what it needs.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListMessageMoveTasksCommand, SQSClient, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import { ALL_QUEUES, type QueueKey } from '../shared/messages/queues.js';
import { clearParkedHolds, endRedrive } from '../shared/pipeline/parked-work.js';
import { documentClientFor } from '../shared/store/clients.js';
import { IntegrationsRepository } from '../shared/store/integrations-repository.js';
import { deadLetterRouteOf, depthOf } from './dead-letter-queues.js';
import { namesFromOutputs, STACK_NAME } from './stack-outputs.js';

export interface RedriveClients {
  readonly dynamodb: DynamoDBClient;
  readonly sqs: SQSClient;
}

export interface DeployedRedrive {
  /** Integrations made active again. */
  readonly resumed: readonly { id: string; name: string }[];
  /** Move tasks run, per queue, in the order they ran, with the messages each moved. */
  readonly moves: readonly { queue: QueueKey; messages: number; moved: number }[];
}

export interface RedriveTiming {
  readonly now: () => Date;
  /** Waits between two looks at a running move task. */
  readonly pause: (ms: number) => Promise<void>;
  /** How long between two looks, in milliseconds. */
  readonly pollMs: number;
}

const REAL_TIMING: RedriveTiming = { now: () => new Date(), pause: (ms) => sleep(ms), pollMs: 2_000 };

export class MoveTaskFailedError extends Error {
  override readonly name = 'MoveTaskFailedError';
  constructor(queue: QueueKey, status: string, reason: string | undefined) {
    super(
      `moving the ${queue} dead-letter queue back ended ${status}${reason ? `: ${reason}` : ''}; ` +
        'the integrations stay marked redriving (no new runs): run infra/redrive.ts again',
    );
  }
}

/** How far SQS's start time of a task may read before this machine's start of it (clocks differ). */
const CLOCK_SLACK_MS = 5 * 60_000;

/**
 * Waits until the move task started at `startedAt` (this machine's clock) is done; its messages
 * moved. SQS lists a queue's tasks newest first, the running one with its handle: a task listed
 * first that started well before this one (an earlier redrive's) is not it, and is looked past
 * until this one is listed.
 */
const moveDone = async (
  sqs: SQSClient,
  queue: QueueKey,
  dlqArn: string,
  task: { readonly handle: string | undefined; readonly startedAt: number },
  timing: RedriveTiming,
): Promise<number> => {
  for (;;) {
    const { Results = [] } = await sqs.send(
      new ListMessageMoveTasksCommand({ SourceArn: dlqArn, MaxResults: 1 }),
    );
    const [latest] = Results;
    const isThisOne =
      latest !== undefined &&
      (latest.TaskHandle === undefined || task.handle === undefined || latest.TaskHandle === task.handle) &&
      (latest.StartedTimestamp === undefined || latest.StartedTimestamp >= task.startedAt - CLOCK_SLACK_MS);
    if (isThisOne && latest.Status === 'COMPLETED') return latest.ApproximateNumberOfMessagesMoved ?? 0;
    if (isThisOne && latest.Status !== 'RUNNING')
      throw new MoveTaskFailedError(queue, latest.Status ?? 'unknown', latest.FailureReason);
    await timing.pause(timing.pollMs);
  }
};

export const redriveDeployed = async (
  stackOutputs: Readonly<Record<string, unknown>>,
  clients: RedriveClients,
  timing: RedriveTiming = REAL_TIMING,
): Promise<DeployedRedrive> => {
  const { tables, queues } = namesFromOutputs(stackOutputs);
  const integrations = new IntegrationsRepository(documentClientFor(clients.dynamodb), tables.integrations);
  const resumed = await clearParkedHolds(integrations, timing.now, undefined, { holdNewRuns: true });
  const moves: { queue: QueueKey; messages: number; moved: number }[] = [];
  for (const def of [...ALL_QUEUES].reverse()) {
    const { queueArn, dlqArn } = await deadLetterRouteOf(clients.sqs, queues[def.key]);
    const messages = await depthOf(clients.sqs, dlqArn);
    if (messages === 0) continue;
    // The destination is named: without one SQS returns each message to the queue its own redrive
    // policy moved it from (`DeadLetterQueueSourceArn`), which a message the consumer parked itself
    // (shared/messages/dead-letters.ts, nearly all of them) does not carry.
    const startedAt = timing.now().getTime();
    const { TaskHandle } = await clients.sqs.send(
      new StartMessageMoveTaskCommand({ SourceArn: dlqArn, DestinationArn: queueArn }),
    );
    const moved = await moveDone(clients.sqs, def.key, dlqArn, { handle: TaskHandle, startedAt }, timing);
    moves.push({ queue: def.key, messages, moved });
  }
  await endRedrive(
    integrations,
    resumed.map((i) => i.id),
    timing.now,
  );
  return { resumed: resumed.map((i) => ({ id: i.id, name: i.name })), moves };
};

const main = async (): Promise<void> => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const [outputsFile] = process.argv.slice(2);
  if (!outputsFile) throw new Error('usage: npx tsx infra/redrive.ts <cdk-outputs.json>');
  const all = JSON.parse(readFileSync(outputsFile, 'utf8')) as Record<string, Record<string, unknown>>;
  const outputs = all[STACK_NAME];
  if (!outputs) throw new Error(`${outputsFile} has no outputs of the ${STACK_NAME} stack`);
  const result = await redriveDeployed(outputs, {
    dynamodb: new DynamoDBClient({}),
    sqs: new SQSClient({}),
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
