import { createHandler as aggregatorHandler } from '../../lambdas/aggregator/handler.js';
import { createHandler as channelMapperHandler } from '../../lambdas/channel-mapper/handler.js';
import { createHandler as fetchHandler } from '../../lambdas/fetch/handler.js';
import { createHandler as viewClassifierHandler } from '../../lambdas/view-classifier/handler.js';
import { buildDeps, type BuildDepsInput } from '../pipeline/build-deps.js';
import type { PipelineDeps, PipelineLogger } from '../pipeline/deps.js';
import { QUEUES } from '../messages/queues.js';
import { scheduleImports } from '../pipeline/scheduler.js';
import { LocalSecretStore, type SecretStore } from '../store/secret-store.js';
import { sweepDeadLetters } from './dead-letters.js';
import type { LocalStack } from './local-stack.js';
import { runPipelineUntilIdle, type PipelineHandlers, type RunOptions, type RunReport } from './runner.js';

/**
 * The whole pipeline on the embedded stack: the Lambdas' own handlers, wired to DynamoDB Local,
 * the SQS emulator and a local secret store, driven by the local runner.
 */
export interface LocalPipelineOptions extends Pick<
  BuildDepsInput,
  'settings' | 'zendeskOptions' | 'zendesk'
> {
  /** Default: in memory. */
  readonly secrets?: SecretStore;
  /** The import's clock (the sandbox's); default the wall clock. */
  readonly now?: () => Date;
  /** Default: silent. */
  readonly logger?: PipelineLogger;
  /** Asked before each poll of every run (see RunOptions.checkHealth): a full disk stops the run. */
  readonly checkHealth?: () => void | Promise<void>;
}

export interface LocalPipeline {
  readonly deps: PipelineDeps;
  readonly handlers: PipelineHandlers;
  /** One scheduled run (every active integration), processed until the pipeline is idle. */
  sync(options?: RunOptions & { runId?: string }): Promise<RunReport>;
  /** Processes what is queued until idle, without scheduling anything. */
  drain(options?: RunOptions): Promise<RunReport>;
}

/**
 * A local fetch invocation hands on to a follow-up job after about two seconds of reading (the
 * runner's invocations get the fetch Lambda's 120 s), so the runner's backpressure applies between
 * pages and a large account never piles up in the in-process queues.
 */
const LOCAL_FETCH_BUDGET_MS = QUEUES.fetchJobs.consumerTimeoutSeconds * 1000 - 2000;

export const silentLogger: PipelineLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export const localPipeline = (stack: LocalStack, options: LocalPipelineOptions = {}): LocalPipeline => {
  const deps = buildDeps({
    dynamodb: stack.dynamodb,
    sqs: stack.sqs,
    tables: stack.tableNames,
    queues: stack.queueUrls,
    dlqs: stack.dlqUrls,
    secrets: options.secrets ?? new LocalSecretStore(),
    logger: options.logger ?? silentLogger,
    ...(options.now ? { now: options.now } : {}),
    settings: { fetchTimeBudgetMs: LOCAL_FETCH_BUDGET_MS, ...options.settings },
    ...(options.zendeskOptions ? { zendeskOptions: options.zendeskOptions } : {}),
    ...(options.zendesk ? { zendesk: options.zendesk } : {}),
  });
  const get = () => deps;
  const handlers: PipelineHandlers = {
    fetchJobs: fetchHandler(get),
    changes: channelMapperHandler(get),
    updates: viewClassifierHandler(get),
    contacts: aggregatorHandler(get),
  };
  const drain = async (run: RunOptions = {}) => {
    const report = await runPipelineUntilIdle(stack, handlers, {
      ...(options.checkHealth ? { checkHealth: options.checkHealth } : {}),
      ...run,
    });
    // Whatever SQS's redrive policy parked behind the consumers' backs is made visible too (only
    // deliveries can have moved anything, so an idle round of `serve` asks nothing).
    if (report.delivered > 0) await sweepDeadLetters(stack, deps.repos.integrations, deps.now);
    return report;
  };
  return {
    deps,
    handlers,
    drain,
    sync: async (run = {}) => {
      await scheduleImports(deps, run.runId ?? deps.now().toISOString());
      return drain(run);
    },
  };
};
