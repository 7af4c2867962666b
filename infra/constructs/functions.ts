import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { QUEUES } from '../../shared/messages/queues.js';
import { TABLES, type TableKey } from '../../shared/store/tables.js';
import { ALL_FUNCTION_SPECS, type FunctionKey, type FunctionSpec } from '../function-specs.js';
import { PipelineFunction } from './pipeline-function.js';
import type { Queues } from './queues.js';
import type { IntegrationSecrets } from './secrets.js';
import type { Storage } from './storage.js';

export interface FunctionsProps {
  readonly storage: Storage;
  readonly queues: Queues;
  readonly secrets: IntegrationSecrets;
  /** Concurrent fetchers at most: together they spend the Zendesk export budgets. */
  readonly fetchMaxConcurrency: number;
  /** Concurrent invocations at most per FIFO consumer (message groups cap it too). */
  readonly consumerMaxConcurrency: number;
  /** The fetch function's warm-up before a first import's window; its own default when absent. */
  readonly ticketStateWarmUpDays?: number;
}

/**
 * The handlers of lambdas/, each with its environment, its trigger when that is a queue (event
 * source mapping with partial batch failures and maximum concurrency), and exactly the table, queue
 * and secret actions its use case declares (shared/pipeline/function-grants.ts). The consumer
 * actions on its queue come from the event source, exactly CONSUMER_QUEUE_ACTIONS.
 */
export class Functions extends Construct {
  private readonly functions = new Map<FunctionKey, PipelineFunction>();

  constructor(scope: Construct, id: string, props: FunctionsProps) {
    super(scope, id);
    for (const spec of ALL_FUNCTION_SPECS) {
      const fn = new PipelineFunction(this, spec.key, { spec, environment: environmentOf(spec, props) });
      grantTables(fn, spec, props.storage);
      for (const queue of spec.grants.sendsTo) allowSend(fn, props.queues.queue(queue).queueArn);
      props.secrets.grant(fn, spec.grants.secrets);
      if (spec.trigger.kind === 'queue') {
        const { queue, batchSize } = spec.trigger;
        fn.addEventSource(
          new SqsEventSource(props.queues.queue(queue), {
            batchSize,
            reportBatchItemFailures: true,
            maxConcurrency: QUEUES[queue].fifo ? props.consumerMaxConcurrency : props.fetchMaxConcurrency,
          }),
        );
        // Malformed messages are parked in the consumed queue's dead-letter queue at once.
        allowSend(fn, props.queues.deadLetterQueue(queue).queueArn);
      }
      this.functions.set(spec.key, fn);
    }
  }

  function(key: FunctionKey): IFunction {
    const found = this.functions.get(key);
    if (!found) throw new Error(`function: no function is defined for key ${key}`);
    return found;
  }

  logGroup(key: FunctionKey): ILogGroup {
    const found = this.functions.get(key);
    if (!found) throw new Error(`logGroup: no function is defined for key ${key}`);
    return found.logGroup;
  }

  get scheduler(): IFunction {
    return this.function('scheduler');
  }

  get fetch(): IFunction {
    return this.function('fetch');
  }

  get webhook(): IFunction {
    return this.function('webhook');
  }
}

const environmentOf = (
  spec: FunctionSpec,
  { storage, queues, ticketStateWarmUpDays }: FunctionsProps,
): Record<string, string> => {
  const own: Record<string, string> =
    spec.trigger.kind === 'queue'
      ? { [QUEUES[spec.trigger.queue].dlqEnvVar]: queues.deadLetterQueue(spec.trigger.queue).queueUrl }
      : {};
  // Every function of the pipeline's configuration has the warm-up: the fetch decides where a first
  // import's ticket events start by it, and the view classifier where the export starts. One left
  // without it would read the default and disagree with the other.
  if (spec.fullPipelineConfig && ticketStateWarmUpDays !== undefined)
    own.TICKET_STATE_WARM_UP_DAYS = String(ticketStateWarmUpDays);
  if (spec.fullPipelineConfig) return { ...storage.environment, ...queues.environment, ...own };
  // Only the names of what the function touches.
  const env: Record<string, string> = { ...own };
  for (const key of Object.keys(spec.grants.tables) as TableKey[]) {
    env[TABLES[key].envVar] = storage.table(key).tableName;
  }
  for (const key of spec.grants.sendsTo) env[QUEUES[key].envVar] = queues.queue(key).queueUrl;
  return env;
};

const grantTables = (fn: PipelineFunction, spec: FunctionSpec, storage: Storage) => {
  for (const [key, actions] of Object.entries(spec.grants.tables) as [TableKey, readonly string[]][]) {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: actions.map((a) => `dynamodb:${a}`),
        resources: [storage.table(key).tableArn],
      }),
    );
  }
};

const allowSend = (fn: PipelineFunction, queueArn: string) =>
  fn.addToRolePolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queueArn] }));
