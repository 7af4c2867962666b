import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { ALL_QUEUES } from '../shared/messages/queues.js';
import { INTEGRATION_ADMIN_GRANTS } from '../shared/pipeline/admin-grants.js';
import { ALL_TABLES } from '../shared/store/tables.js';
import { Alarms } from './constructs/alarms.js';
import { Functions } from './constructs/functions.js';
import { Queues } from './constructs/queues.js';
import { Schedule } from './constructs/schedule.js';
import { IntegrationSecrets } from './constructs/secrets.js';
import { Storage } from './constructs/storage.js';
import { Webhook } from './constructs/webhook.js';
import { queueOutputId, STREAM_ARN_OUTPUT, tableOutputId, WEBHOOK_URL_OUTPUT } from './stack-outputs.js';
import type { TableKey } from '../shared/store/tables.js';

export interface PipelineSettings {
  /** How often the scheduler starts an import run. */
  readonly scheduleRate: Duration;
  /** Removal policy of the tables that hold what Zendesk cannot give back (history, configuration). */
  readonly retainedDataRemovalPolicy: RemovalPolicy;
  readonly fetchMaxConcurrency: number;
  readonly consumerMaxConcurrency: number;
  /** Days of ticket events a first import reads before its window to build ticket state (SPEC §4). */
  readonly ticketStateWarmUpDays?: number;
  readonly alarmEmail?: string;
}

export const DEFAULT_PIPELINE_SETTINGS: PipelineSettings = {
  scheduleRate: Duration.minutes(5),
  retainedDataRemovalPolicy: RemovalPolicy.RETAIN,
  fetchMaxConcurrency: 5,
  consumerMaxConcurrency: 10,
};

export interface PipelineStackProps extends StackProps {
  readonly settings?: Partial<PipelineSettings>;
}

/**
 * The whole pipeline as one stack, read top to bottom like the data flow:
 * schedule / webhook → scheduler, webhook λ → fetch-jobs → fetch λ → changes.fifo → channel-mapper λ
 * → updates.fifo → view-classifier λ → contacts.fifo → aggregator λ → queue-history (stream → forecaster).
 */
export class PipelineStack extends Stack {
  readonly storage: Storage;
  readonly queues: Queues;
  readonly functions: Functions;
  readonly webhook: Webhook;

  constructor(scope: Construct, id: string, props: PipelineStackProps = {}) {
    super(scope, id, props);
    const settings = { ...DEFAULT_PIPELINE_SETTINGS, ...props.settings };

    this.storage = new Storage(this, 'Storage', {
      retainedDataRemovalPolicy: settings.retainedDataRemovalPolicy,
    });
    this.queues = new Queues(this, 'Queues');
    const secrets = new IntegrationSecrets(this, 'Secrets');
    this.functions = new Functions(this, 'Functions', {
      storage: this.storage,
      queues: this.queues,
      secrets,
      fetchMaxConcurrency: settings.fetchMaxConcurrency,
      consumerMaxConcurrency: settings.consumerMaxConcurrency,
      ...(settings.ticketStateWarmUpDays !== undefined
        ? { ticketStateWarmUpDays: settings.ticketStateWarmUpDays }
        : {}),
    });
    new Schedule(this, 'Schedule', { target: this.functions.scheduler, rate: settings.scheduleRate });
    this.webhook = new Webhook(this, 'Webhook', { handler: this.functions.webhook });
    const alarms = new Alarms(this, 'Alarms', {
      queues: this.queues,
      fetch: this.functions.fetch,
      fetchLogGroup: this.functions.logGroup('fetch'),
      ...(settings.alarmEmail ? { email: settings.alarmEmail } : {}),
    });

    // For whoever runs the integration service against this stack: creating an integration stores
    // its secrets and claims its name (the scheduler starts its first import on its next run);
    // resuming one enqueues a fetch at once. Attached to no function.
    const admin = INTEGRATION_ADMIN_GRANTS;
    const integrationAdmin = new ManagedPolicy(this, 'IntegrationAdminPolicy', {
      description:
        'Create, change and delete zendesk-wfm integrations (secrets by prefix, integrations table, fetch-jobs), and redrive parked work',
      statements: [
        secrets.adminStatement(admin.secretActions),
        new PolicyStatement({
          actions: admin.integrations.map((a) => `dynamodb:${a}`),
          resources: [this.storage.table('integrations').tableArn],
        }),
        ...Object.entries(admin.reads).map(
          ([key, actions]) =>
            new PolicyStatement({
              actions: (actions ?? []).map((a) => `dynamodb:${a}`),
              resources: [this.storage.table(key as TableKey).tableArn],
            }),
        ),
        new PolicyStatement({
          actions: ['sqs:SendMessage'],
          resources: admin.sendsTo.map((q) => this.queues.queue(q).queueArn),
        }),
        // infra/redrive.ts: reads each queue's redrive policy, then moves its dead letters back.
        new PolicyStatement({
          actions: ['sqs:GetQueueAttributes', 'sqs:SendMessage'],
          resources: admin.redrivesTo.map((q) => this.queues.queue(q).queueArn),
        }),
        new PolicyStatement({
          actions: admin.deadLetterActions.map((a) => `sqs:${a}`),
          resources: admin.redrivesTo.map((q) => this.queues.deadLetterQueue(q).queueArn),
        }),
      ],
    });

    new CfnOutput(this, WEBHOOK_URL_OUTPUT, {
      description: 'Zendesk webhook endpoint: append integrations/<integrationId>/webhook',
      value: this.webhook.url,
    });
    new CfnOutput(this, STREAM_ARN_OUTPUT, {
      description:
        'DynamoDB stream of the queue-history table (NEW_AND_OLD_IMAGES): the forecaster subscribes here',
      value: this.storage.queueHistoryStreamArn,
    });
    for (const definition of ALL_TABLES) {
      new CfnOutput(this, tableOutputId(definition.key), {
        description: `Name of the ${definition.localName} table (${definition.description})`,
        value: this.storage.table(definition.key).tableName,
      });
    }
    for (const definition of ALL_QUEUES) {
      new CfnOutput(this, queueOutputId(definition.key), {
        description: `URL of the ${definition.localName} queue (${definition.description})`,
        value: this.queues.queue(definition.key).queueUrl,
      });
    }
    new CfnOutput(this, 'AlarmTopicArn', { value: alarms.topic.topicArn });
    new CfnOutput(this, 'IntegrationAdminPolicyArn', { value: integrationAdmin.managedPolicyArn });
  }
}
