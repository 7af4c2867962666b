import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { createHandler as aggregatorHandler } from '../lambdas/aggregator/handler.js';
import { createHandler as channelMapperHandler } from '../lambdas/channel-mapper/handler.js';
import { createHandler as fetchHandler } from '../lambdas/fetch/handler.js';
import { createHandler as viewClassifierHandler } from '../lambdas/view-classifier/handler.js';
import {
  aggregatorDeps,
  channelMapperDeps,
  fetchDeps,
  operatorDeps,
  schedulerDeps,
  viewClassifierDeps,
  type FunctionClients,
  type OperatorDeps,
} from '../shared/pipeline/build-deps.js';
import type { ConsumerDeps, PipelineLogger } from '../shared/pipeline/deps.js';
import type { AdminGrants } from '../shared/pipeline/admin-grants.js';
import type { IntegrationServiceDeps } from '../shared/pipeline/integrations.js';
import { FUNCTION_GRANTS, type FunctionKey } from '../shared/pipeline/function-grants.js';
import type { Grants } from '../shared/pipeline/grants.js';
import type { ProgressEvent, ProgressListener } from '../shared/pipeline/progress.js';
import { QUEUES } from '../shared/messages/queues.js';
import { scheduleImports, type SchedulerDeps } from '../shared/pipeline/scheduler.js';
import { LocalSecretStore, type SecretStore } from '../shared/store/secret-store.js';
import { sweepDeadLetters } from './dead-letters.js';
import type { WebhookSecretStore } from '../shared/store/webhook-secret-store.js';
import { webhookDeps } from '../shared/webhook/build-deps.js';
import type { WebhookDeps } from '../shared/webhook/receive.js';
import type { IntegrationsRepository } from '../shared/store/integrations-repository.js';
import { guardSigningSecrets, type AccessDeniedError } from './grant-guard.js';
import { localAdminClients, localFunctionClients } from './function-clients.js';
import type { LocalStack } from './local-stack.js';
import { runPipelineUntilIdle, type PipelineHandlers, type RunOptions, type RunReport } from './runner.js';

/**
 * The whole pipeline on the embedded stack: the Lambdas' own handlers, wired to DynamoDB Local,
 * the SQS emulator and a local secret store, driven by the local runner. Each function runs with
 * its own clients, every call checked against its grants as IAM would (function-clients.ts): a
 * call its use case does not declare fails here as it would on AWS.
 */
export interface LocalPipelineOptions extends Pick<
  FunctionClients,
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
  /**
   * Caps every retry's wait, in seconds: a failed step's redelivery backoff and a failed Zendesk
   * request's retries within a step (default: the full backoffs). A Retry-After is always honoured.
   */
  readonly maxRetryDelaySeconds?: number;
  /** Replaces functions' grants (tests show that a missing grant fails the run). */
  readonly grants?: Partial<Record<FunctionKey, Grants>>;
  /** Replaces the integration admin policy (tests show that a missing grant fails the change). */
  readonly adminGrants?: AdminGrants;
  /** Sees each function's own DynamoDB client as it is made (the benchmark counts what they write). */
  readonly onDynamoDbClient?: (client: DynamoDBClient) => void;
  /** Sees each function's own SQS client as it is made (the benchmark counts the requests they send). */
  readonly onSqsClient?: (client: SQSClient) => void;
}

export interface LocalFunctions {
  readonly fetch: ReturnType<typeof fetchDeps>;
  readonly channelMapper: ReturnType<typeof channelMapperDeps>;
  readonly viewClassifier: ReturnType<typeof viewClassifierDeps>;
  readonly aggregator: ReturnType<typeof aggregatorDeps>;
  readonly scheduler: SchedulerDeps;
}

export interface LocalWebhookOptions {
  readonly signingSecrets: WebhookSecretStore;
  readonly windowSeconds: number;
  /** Default Zendesk's (EXPORT_LAG_SECONDS). */
  readonly exportLagSeconds?: number;
  readonly logger: WebhookDeps['logger'];
}

export interface LocalPipeline {
  /** The operator's side (reports, read-backs, local upkeep): the stack's plain clients. */
  readonly deps: OperatorDeps;
  /**
   * The integration service's dependencies: its own clients, every call checked against the
   * integration admin policy (shared/pipeline/admin-grants.ts) as IAM checks the deployed one.
   */
  readonly admin: IntegrationServiceDeps & { readonly integrations: IntegrationsRepository };
  /** A webhook signing-secret store whose calls are checked against the same policy. */
  adminSigningSecrets(store: WebhookSecretStore): WebhookSecretStore;
  readonly handlers: PipelineHandlers;
  /** The dependencies each function's handler runs with (tests inject faults into them). */
  readonly functions: LocalFunctions;
  /** The scheduler function, with its grants: one fetch job per active integration. */
  schedule(runId: string): Promise<string[]>;
  /** The webhook function's dependencies, with its grants (local serve). */
  webhook(options: LocalWebhookOptions): WebhookDeps;
  /** One scheduled run (every active integration), processed until the pipeline is idle. */
  sync(options?: RunOptions & { runId?: string }): Promise<RunReport>;
  /** Processes what is queued until idle, without scheduling anything. */
  drain(options?: RunOptions): Promise<RunReport>;
  /**
   * Messages delivered to a handler so far, by every run of this pipeline at once: serve's worker
   * and a command it lends the install to drain the same queues, and either may deliver a round.
   */
  deliveredSoFar(): number;
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

/** The Zendesk client's retry delays under a cap (its defaults: 500 ms doubling to 8 s). */
const requestRetryCap = (seconds: number | undefined) =>
  seconds === undefined
    ? {}
    : { retryBaseDelayMs: Math.min(500, seconds * 1000), retryMaxDelayMs: Math.min(8_000, seconds * 1000) };

export const localPipeline = (stack: LocalStack, options: LocalPipelineOptions = {}): LocalPipeline => {
  // The fetch step's progress goes to whoever listens to the runs in progress (RunOptions.onProgress):
  // the functions are built once, the runs that drive them come and go, and under `serve` a
  // command's run drains beside serve's own worker.
  const listening = new Set<ProgressListener>();
  const shared = {
    secrets: options.secrets ?? new LocalSecretStore(),
    logger: options.logger ?? silentLogger,
    ...(options.now ? { now: options.now } : {}),
    settings: { fetchTimeBudgetMs: LOCAL_FETCH_BUDGET_MS, ...options.settings },
    ...(options.zendeskOptions || options.maxRetryDelaySeconds !== undefined
      ? { zendeskOptions: { ...options.zendeskOptions, ...requestRetryCap(options.maxRetryDelaySeconds) } }
      : {}),
    ...(options.zendesk ? { zendesk: options.zendesk } : {}),
    progress: (event: ProgressEvent) => {
      for (const listener of listening) listener(event);
    },
  };
  // A denied call is a missing grant, never a passing fault: it is logged, and the run stops at
  // its next delivery instead of retrying the message into its dead-letter queue.
  const denials: AccessDeniedError[] = [];
  const onDenied = (denied: AccessDeniedError) => {
    denials.push(denied);
    shared.logger.error('AWS call denied: the function lacks this grant', {
      function: denied.functionName,
      action: denied.action,
      resource: denied.resource,
    });
  };
  const guarded = (key: FunctionKey) =>
    localFunctionClients(
      stack,
      key,
      options.grants?.[key] ?? FUNCTION_GRANTS[key],
      shared,
      onDenied,
      options.onDynamoDbClient,
      options.onSqsClient,
    );
  const adminClients = localAdminClients(stack, shared, options.adminGrants);
  const adminOperator = operatorDeps(adminClients.clients);
  const admin: LocalPipeline['admin'] = {
    integrations: adminOperator.integrations,
    secrets: adminOperator.secrets,
    bus: adminOperator.bus,
    now: adminOperator.now,
  };
  const operator = operatorDeps({
    ...shared,
    dynamodb: stack.dynamodb,
    sqs: stack.sqs,
    tables: stack.tableNames,
    queues: stack.queueUrls,
    dlqs: stack.dlqUrls,
  });
  // Messages whose visibility a handler set (Retry-After): the runner leaves them as they are.
  const delayed = new Set<string>();
  const noticing = <D extends ConsumerDeps>(deps: D): D => ({
    ...deps,
    visibility: {
      delay: async (queue, handles, seconds) => {
        await deps.visibility.delay(queue, handles, seconds);
        for (const h of handles) delayed.add(h);
      },
    },
  });
  const fetch = noticing(fetchDeps(guarded('fetch').clients));
  const mapper = noticing(channelMapperDeps(guarded('channelMapper').clients));
  const classifier = noticing(viewClassifierDeps(guarded('viewClassifier').clients));
  const aggregator = noticing(aggregatorDeps(guarded('aggregator').clients));
  const scheduler = schedulerDeps(guarded('scheduler').clients);
  const handlers: PipelineHandlers = {
    fetchJobs: fetchHandler(() => fetch),
    changes: channelMapperHandler(() => mapper),
    updates: viewClassifierHandler(() => classifier),
    contacts: aggregatorHandler(() => aggregator),
  };
  let deliveredSoFar = 0;
  // A dead DynamoDB Local stops the run at once: its steps would fail and be retried for hours.
  const checkHealth = async () => {
    const gone = stack.unexpectedDatabaseExit();
    if (gone) throw gone;
    await options.checkHealth?.();
  };
  const drain = async (run: RunOptions = {}) => {
    const listener = run.onProgress;
    if (listener) listening.add(listener);
    const report = await runPipelineUntilIdle(stack, handlers, {
      checkHealth,
      ...(options.maxRetryDelaySeconds !== undefined
        ? { maxRetryDelaySeconds: options.maxRetryDelaySeconds }
        : {}),
      ...run,
      handlerSetVisibility: (receiptHandle) => delayed.delete(receiptHandle),
      onDelivery: (queue, record) => {
        if (denials[0]) throw denials[0];
        deliveredSoFar += 1;
        run.onDelivery?.(queue, record);
      },
    }).finally(() => listener && listening.delete(listener));
    // Whatever SQS's redrive policy parked behind the consumers' backs is made visible too (only
    // deliveries can have moved anything, so an idle round of `serve` asks nothing).
    if (report.delivered > 0) await sweepDeadLetters(stack, operator.integrations, operator.now);
    return report;
  };
  const schedule = (runId: string) => scheduleImports(scheduler, runId);
  return {
    deps: operator,
    admin,
    adminSigningSecrets: (store) => guardSigningSecrets(store, adminClients.policy, 'createOrReplace'),
    handlers,
    functions: { fetch, channelMapper: mapper, viewClassifier: classifier, aggregator, scheduler },
    schedule,
    webhook: (webhook) => {
      const { policy, clients } = guarded('webhook');
      return webhookDeps({
        dynamodb: clients.dynamodb,
        sqs: clients.sqs,
        integrationsTable: stack.tableNames.integrations,
        fetchJobsUrl: stack.queueUrls.fetchJobs,
        signingSecrets: guardSigningSecrets(webhook.signingSecrets, policy),
        windowSeconds: webhook.windowSeconds,
        ...(webhook.exportLagSeconds !== undefined ? { exportLagSeconds: webhook.exportLagSeconds } : {}),
        logger: webhook.logger,
      });
    },
    drain,
    deliveredSoFar: () => deliveredSoFar,
    sync: async (run = {}) => {
      await schedule(run.runId ?? operator.now().toISOString());
      return drain(run);
    },
  };
};
