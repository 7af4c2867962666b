/**
 * What a benchmark run counted, as the quantities AWS bills (bench/aws-cost.ts prices them), and the
 * deployment's fixed monthly usage, from the stack's definitions.
 */
import { FUNCTION_SPECS } from '../infra/function-specs.js';
import { ALL_QUEUES, QUEUES, type QueueKey } from '../shared/messages/queues.js';
import type { AwsUsage, FixedUsage, LambdaUsage } from './aws-cost.js';
import type { StageTimes } from './metrics.js';

/**
 * The scheduler's default rate (DEFAULT_PIPELINE_SETTINGS in infra/pipeline-stack.ts, which a unit
 * test compares with this; importing it here would load the CDK into the measured process).
 */
export const SCHEDULE_MINUTES = 5;
/** AWS prices a month as 730 hours. */
const MINUTES_PER_MONTH = 730 * 60;
/**
 * An SQS event source mapping long-polls its queue with five pollers at least, each receive waiting
 * up to 20 s: three receives a minute per poller on an idle queue (AWS Lambda developer guide, "Using
 * Lambda with Amazon SQS").
 */
const IDLE_POLLERS_PER_QUEUE = 5;
const IDLE_RECEIVES_PER_POLLER_MINUTE = 3;
/**
 * Two alarms per dead-letter queue (a message waits; the oldest nears SQS's retention) and two on
 * the fetch function (infra/constructs/alarms.ts).
 */
export const ALARMS = ALL_QUEUES.length * 2 + 2;
/** Each integration's Zendesk credentials and its webhook signing secret. */
const SECRETS_PER_INTEGRATION = 2;

/** The function consuming each queue, with its configured memory. */
const consumers = Object.values(FUNCTION_SPECS).flatMap((spec) =>
  spec.trigger.kind === 'queue'
    ? [{ name: spec.key, queue: spec.trigger.queue, memoryMb: spec.memoryMb }]
    : [],
);

export interface RunCounts {
  readonly events: number;
  readonly stages: StageTimes;
  /** Requests the functions sent to SQS themselves (sends, visibility changes), 64 KiB chunks counted. */
  readonly sqs: { readonly standardRequests: number; readonly fifoRequests: number };
  readonly dynamodb: { readonly writeRequestUnits: number; readonly readRequestUnits: number };
  readonly secretsManagerCalls: number;
  /** Invocations of functions no queue triggers (the webhook), with their measured time. */
  readonly otherFunctions?: readonly { name: 'webhook'; invocations: number; durationMs: number }[];
}

/**
 * The run as AWS would bill it. Each invocation of a queue's consumer is one receive and one delete
 * on AWS (the event source mapping's), priced at its queue's type. The local runner's invocations
 * hold fewer messages than Lambda's batches (the emulator hands out one message per FIFO group per
 * receive), so invocations and SQS requests are an upper bound. The pipeline reads no DynamoDB
 * stream: the forecaster's Lambda trigger reads the queue-history stream, and those reads are free.
 */
export const awsUsageOf = (run: RunCounts): AwsUsage => {
  const lambda: LambdaUsage[] = consumers.map((c) => ({
    name: c.name,
    invocations: run.stages.invocations[c.queue],
    durationMs: run.stages.ms[c.queue],
    memoryMb: c.memoryMb,
  }));
  for (const other of run.otherFunctions ?? [])
    lambda.push({ ...other, memoryMb: FUNCTION_SPECS[other.name].memoryMb });
  const consumerRequests = (fifo: boolean) =>
    (Object.keys(run.stages.invocations) as QueueKey[])
      .filter((q) => QUEUES[q].fifo === fifo)
      .reduce((n, q) => n + 2 * run.stages.invocations[q], 0);
  return {
    events: run.events,
    lambda,
    sqs: {
      standardRequests: run.sqs.standardRequests + consumerRequests(false),
      fifoRequests: run.sqs.fifoRequests + consumerRequests(true),
    },
    dynamodb: { ...run.dynamodb, streamReadRequestUnits: 0 },
    secretsManagerCalls: run.secretsManagerCalls,
  };
};

/**
 * A month of a deployment with `integrations` integrations and nothing new to import: the secrets,
 * the alarms, the schedule's ticks (the scheduler, and per integration one fetch job sent, received
 * and deleted and one fetch invocation, priced at the run's mean fetch invocation, an upper bound
 * for a fetch that finds nothing new) and the event source mappings' idle polling.
 */
export const fixedUsageOf = (options: {
  readonly integrations: number;
  readonly schedulerMs: number;
  readonly meanFetchMs: number;
}): FixedUsage => {
  const ticks = MINUTES_PER_MONTH / SCHEDULE_MINUTES;
  const idleReceives = (fifo: boolean) =>
    ALL_QUEUES.filter((q) => q.fifo === fifo).length *
    IDLE_POLLERS_PER_QUEUE *
    IDLE_RECEIVES_PER_POLLER_MINUTE *
    MINUTES_PER_MONTH;
  return {
    integrations: options.integrations,
    secretsPerIntegration: SECRETS_PER_INTEGRATION,
    alarms: ALARMS,
    schedule: [
      {
        name: 'scheduler',
        invocations: ticks,
        durationMs: ticks * options.schedulerMs,
        memoryMb: FUNCTION_SPECS.scheduler.memoryMb,
      },
      {
        name: 'fetch',
        invocations: ticks * options.integrations,
        durationMs: ticks * options.integrations * options.meanFetchMs,
        memoryMb: FUNCTION_SPECS.fetch.memoryMb,
      },
    ],
    idlePolling: {
      standardRequests: idleReceives(false) + 3 * ticks * options.integrations,
      fifoRequests: idleReceives(true),
    },
  };
};
