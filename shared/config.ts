/**
 * The configuration a Lambda reads from its environment, parsed once and failing fast with the
 * names (never the values) of what is missing or wrong.
 */
import { z } from 'zod';
import { endpointsFromEnv, type AwsEndpoints } from './aws.js';
import { dlqUrlsFromEnv, queueUrlsFromEnv, type QueueUrls } from './messages/queues.js';
import { DEFAULT_SETTINGS } from './pipeline/deps.js';
import { tableNamesFromEnv, type TableNames } from './store/tables.js';

export interface PipelineConfig {
  readonly tables: TableNames;
  readonly queues: QueueUrls;
  readonly dlqs: Partial<QueueUrls>;
  readonly endpoints: AwsEndpoints;
  /** Longest delay a rate-limited fetch job may be re-queued with (SQS allows 0–900 s). */
  readonly maxRetryDelaySeconds: number;
  /** Remaining invocation time below which the fetch handler stops and enqueues a follow-up job. */
  readonly fetchTimeBudgetMs: number;
  /** Days of ticket events a first import reads before its window, for ticket state only. */
  readonly ticketStateWarmUpDays: number;
}

/** A number from the environment; an empty value counts as unset (it would otherwise coerce to 0). */
const envNumber = (schema: z.ZodNumber) =>
  z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().pipe(schema).optional());

const OptionsSchema = z.object({
  MAX_RETRY_DELAY_SECONDS: envNumber(z.number().int().min(0).max(900)).default(900),
  FETCH_TIME_BUDGET_MS: envNumber(z.number().int().min(1000)).default(DEFAULT_SETTINGS.fetchTimeBudgetMs),
  TICKET_STATE_WARM_UP_DAYS: envNumber(z.number().min(0).max(365)).default(
    DEFAULT_SETTINGS.ticketStateWarmUpDays,
  ),
});

export const configFromEnv = (env: NodeJS.ProcessEnv = process.env): PipelineConfig => {
  const parsed = OptionsSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid environment: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  }
  return {
    tables: tableNamesFromEnv(env),
    queues: queueUrlsFromEnv(env),
    dlqs: dlqUrlsFromEnv(env),
    endpoints: endpointsFromEnv(env),
    maxRetryDelaySeconds: parsed.data.MAX_RETRY_DELAY_SECONDS,
    fetchTimeBudgetMs: parsed.data.FETCH_TIME_BUDGET_MS,
    ticketStateWarmUpDays: parsed.data.TICKET_STATE_WARM_UP_DAYS,
  };
};

let cached: PipelineConfig | undefined;

/** The process's configuration, parsed on first use (importing a handler in a unit test needs no env). */
export const config = (): PipelineConfig => {
  cached ??= configFromEnv();
  return cached;
};
