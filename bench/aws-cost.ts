/**
 * What the work a benchmark run measured would cost on AWS at on-demand prices: per million export
 * events, split by service, and the monthly cost that does not depend on the events (the fixed
 * part). Pure arithmetic on counts; the benchmark supplies the counts (bench/metrics.ts).
 */

/**
 * On-demand prices in us-east-1, read from AWS's public pricing pages on 2026-12-02
 * (aws.amazon.com/lambda/pricing, /sqs/pricing, /dynamodb/pricing/on-demand,
 * /secrets-manager/pricing, /cloudwatch/pricing). First tier of each, free tiers left out: the
 * figure is what the work costs, not what one small account might not pay.
 */
export const AWS_PRICES = {
  region: 'us-east-1',
  asOf: '2026-12-02',
  lambda: {
    perMillionRequests: 0.2,
    /** The functions run on arm64 (infra/constructs/pipeline-function.ts). */
    perGbSecondArm64: 0.0000133334,
  },
  sqs: {
    perMillionStandardRequests: 0.4,
    perMillionFifoRequests: 0.5,
    /** Each 64 KiB of a request's payload is billed as one request. */
    billedChunkBytes: 64 * 1024,
  },
  dynamodb: {
    /** On-demand, standard table class (the price since the November 2024 reduction). */
    perMillionWriteRequestUnits: 0.625,
    perMillionReadRequestUnits: 0.125,
    /** GetRecords on a table's stream; free when a Lambda trigger reads it. */
    perMillionStreamReadRequestUnits: 0.2,
  },
  secretsManager: { perSecretMonth: 0.4, perTenThousandCalls: 0.05 },
  cloudWatch: { perStandardAlarmMonth: 0.1 },
} as const;

export type AwsPrices = typeof AWS_PRICES;

/** One function's measured work: invocations, the time spent in them, at its configured memory. */
export interface LambdaUsage {
  readonly name: string;
  readonly invocations: number;
  readonly durationMs: number;
  readonly memoryMb: number;
}

/** What a run did that AWS bills per use. */
export interface AwsUsage {
  /** Export events the run processed: the cost is given per million of them. */
  readonly events: number;
  readonly lambda: readonly LambdaUsage[];
  /** Billed SQS requests (64 KiB chunks counted), by queue type. */
  readonly sqs: { readonly standardRequests: number; readonly fifoRequests: number };
  /** Request units as DynamoDB bills them (item sizes rounded up, transactions twice). */
  readonly dynamodb: {
    readonly writeRequestUnits: number;
    readonly readRequestUnits: number;
    readonly streamReadRequestUnits: number;
  };
  readonly secretsManagerCalls: number;
}

/** What a deployment pays each month whatever it imports. */
export interface FixedUsage {
  readonly integrations: number;
  /** Secrets per integration (its Zendesk credentials, its webhook signing secret). */
  readonly secretsPerIntegration: number;
  readonly alarms: number;
  /** A month of schedule ticks: the scheduler's invocations, and each integration's fetch job. */
  readonly schedule: readonly LambdaUsage[];
  /**
   * SQS requests a month whatever is imported: the event source mappings' long polls of the queues
   * and each tick's fetch jobs (sent, received, deleted).
   */
  readonly idlePolling: { readonly standardRequests: number; readonly fifoRequests: number };
}

export interface ServiceCosts {
  readonly lambda: number;
  readonly sqs: number;
  readonly dynamodb: number;
  readonly secretsManager: number;
  readonly total: number;
}

export interface FixedCosts {
  readonly secrets: number;
  readonly alarms: number;
  readonly schedule: number;
  readonly idlePolling: number;
  readonly total: number;
}

export interface AwsCost {
  readonly perMillionEvents: ServiceCosts;
  readonly monthlyFixed: FixedCosts;
}

const lambdaCost = (uses: readonly LambdaUsage[], prices: AwsPrices): number =>
  uses.reduce(
    (usd, u) =>
      usd +
      (u.invocations / 1e6) * prices.lambda.perMillionRequests +
      (u.durationMs / 1000) * (u.memoryMb / 1024) * prices.lambda.perGbSecondArm64,
    0,
  );

const sqsCost = (r: { standardRequests: number; fifoRequests: number }, prices: AwsPrices): number =>
  (r.standardRequests / 1e6) * prices.sqs.perMillionStandardRequests +
  (r.fifoRequests / 1e6) * prices.sqs.perMillionFifoRequests;

const sum = (costs: Omit<ServiceCosts, 'total'>): ServiceCosts => ({
  ...costs,
  total: costs.lambda + costs.sqs + costs.dynamodb + costs.secretsManager,
});

export const awsCost = (usage: AwsUsage, fixed: FixedUsage, prices: AwsPrices = AWS_PRICES): AwsCost => {
  if (usage.events <= 0) throw new Error(`events must be positive to price per million, got ${usage.events}`);
  const perMillion = 1e6 / usage.events;
  const { dynamodb } = usage;
  const perMillionEvents = sum({
    lambda: lambdaCost(usage.lambda, prices) * perMillion,
    sqs: sqsCost(usage.sqs, prices) * perMillion,
    dynamodb:
      ((dynamodb.writeRequestUnits / 1e6) * prices.dynamodb.perMillionWriteRequestUnits +
        (dynamodb.readRequestUnits / 1e6) * prices.dynamodb.perMillionReadRequestUnits +
        (dynamodb.streamReadRequestUnits / 1e6) * prices.dynamodb.perMillionStreamReadRequestUnits) *
      perMillion,
    secretsManager:
      (usage.secretsManagerCalls / 1e4) * prices.secretsManager.perTenThousandCalls * perMillion,
  });
  const secrets = fixed.integrations * fixed.secretsPerIntegration * prices.secretsManager.perSecretMonth;
  const alarms = fixed.alarms * prices.cloudWatch.perStandardAlarmMonth;
  const schedule = lambdaCost(fixed.schedule, prices);
  const idlePolling = sqsCost(fixed.idlePolling, prices);
  return {
    perMillionEvents,
    monthlyFixed: {
      secrets,
      alarms,
      schedule,
      idlePolling,
      total: secrets + alarms + schedule + idlePolling,
    },
  };
};

/** Billed SQS requests of one API call: one per started 64 KiB of its payload, at least one. */
export const billedSqsRequests = (payloadBytes: number, prices: AwsPrices = AWS_PRICES): number =>
  Math.max(1, Math.ceil(payloadBytes / prices.sqs.billedChunkBytes));
