import { describe, expect, it } from '@jest/globals';
import { Match } from 'aws-cdk-lib/assertions';
import type { FunctionKey } from '../../infra/function-specs.js';
import { FUNCTION_GRANTS } from '../../shared/pipeline/function-grants.js';
import { CONSUMER_QUEUE_ACTIONS, secretActions } from '../../shared/pipeline/grants.js';
import { ALL_QUEUES, type QueueKey } from '../../shared/messages/queues.js';
import { ALL_TABLES, type TableKey } from '../../shared/store/tables.js';
import {
  expectOutput,
  expectResourceWith,
  getAtt,
  resourcesOf,
  synthesize,
  type Resource,
} from './support.js';

const synthesized = synthesize();
const { template, tableId, queueId, dlqId, functionId } = synthesized;

const FUNCTION_KEYS: readonly FunctionKey[] = [
  'scheduler',
  'fetch',
  'channelMapper',
  'viewClassifier',
  'aggregator',
  'webhook',
];

const lambdas = resourcesOf(template, 'AWS::Lambda::Function');
const lambdaOf = (key: FunctionKey) => lambdas[functionId(key)]!.Properties as Record<string, unknown>;

const secretArn = (prefix: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':secretsmanager:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      `:secret:${prefix}*`,
    ],
  ],
});

interface Statement {
  Action: string | string[];
  Effect: string;
  Resource: unknown;
}

const statementsOf = (policies: Record<string, Resource>): Statement[] =>
  Object.values(policies).flatMap(
    (p) => (p.Properties!.PolicyDocument as { Statement: Statement[] }).Statement,
  );

const asList = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

describe('queues', () => {
  const queues = resourcesOf(template, 'AWS::SQS::Queue');

  it('every queue has a dead-letter queue of its own, and only dead-letter queues have none', () => {
    const redrives = Object.entries(queues)
      .filter(([, q]) => q.Properties?.RedrivePolicy)
      .map(([id, q]) => [
        id,
        (q.Properties!.RedrivePolicy as { deadLetterTargetArn: unknown }).deadLetterTargetArn,
      ]);
    expect(Object.fromEntries(redrives)).toEqual(
      Object.fromEntries(ALL_QUEUES.map((q) => [queueId(q.key), getAtt(dlqId(q.key))])),
    );
    const withoutRedrive = Object.keys(queues).filter((id) => !queues[id]!.Properties?.RedrivePolicy);
    expect(withoutRedrive.sort()).toEqual(ALL_QUEUES.map((q) => dlqId(q.key)).sort());
  });

  it('is FIFO where pages stay in order per integration (changes, updates, contacts), standard where jobs are re-queued with a delay', () => {
    const fifo = (id: string) => queues[id]!.Properties?.FifoQueue === true;
    const expected: Record<QueueKey, boolean> = {
      fetchJobs: false,
      changes: true,
      updates: true,
      contacts: true,
    };
    for (const [key, isFifo] of Object.entries(expected) as [QueueKey, boolean][]) {
      expect([key, fifo(queueId(key)), fifo(dlqId(key))]).toEqual([key, isFifo, isFifo]);
    }
  });

  it('refuses unencrypted transport on every queue', () => {
    const policies = resourcesOf(template, 'AWS::SQS::QueuePolicy');
    const guarded = Object.values(policies)
      .filter((p) =>
        (
          p.Properties!.PolicyDocument as { Statement: { Effect: string; Condition?: unknown }[] }
        ).Statement.some(
          (s) =>
            s.Effect === 'Deny' &&
            JSON.stringify(s.Condition) === JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }),
        ),
      )
      .flatMap((p) => p.Properties!.Queues as { Ref: string }[])
      .map((q) => q.Ref);
    expect(guarded.sort()).toEqual(Object.keys(queues).sort());
  });
});

describe('functions', () => {
  it('deploys exactly the six handlers, Node.js 22 on arm64, each exporting `handler`', () => {
    expect(Object.keys(lambdas).sort()).toEqual(FUNCTION_KEYS.map(functionId).sort());
    for (const key of FUNCTION_KEYS) {
      expect([key, lambdaOf(key).Runtime, lambdaOf(key).Architectures, lambdaOf(key).Handler]).toEqual([
        key,
        'nodejs22.x',
        ['arm64'],
        'index.handler',
      ]);
    }
  });

  it('every Lambda has an event source or a trigger: the expected one', () => {
    const triggers: Record<string, string[]> = {};
    const add = (fnId: string, trigger: string) => (triggers[fnId] ??= []).push(trigger);
    const queueKeyOf = (arn: unknown) =>
      ALL_QUEUES.find((q) => JSON.stringify(getAtt(queueId(q.key))) === JSON.stringify(arn))?.key ??
      'unknown';
    for (const m of Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping'))) {
      add(
        (m.Properties!.FunctionName as { Ref: string }).Ref,
        `queue:${queueKeyOf(m.Properties!.EventSourceArn)}`,
      );
    }
    for (const rule of Object.values(resourcesOf(template, 'AWS::Events::Rule'))) {
      for (const target of rule.Properties!.Targets as { Arn: { 'Fn::GetAtt': [string, string] } }[]) {
        add(target.Arn['Fn::GetAtt'][0], `schedule:${rule.Properties!.ScheduleExpression as string}`);
      }
    }
    for (const url of Object.values(resourcesOf(template, 'AWS::Lambda::Url'))) {
      const target = url.Properties!.TargetFunctionArn as { 'Fn::GetAtt': [string, string] };
      add(target['Fn::GetAtt'][0], `url:${url.Properties!.AuthType as string}`);
    }
    expect(triggers).toEqual({
      [functionId('scheduler')]: ['schedule:rate(5 minutes)'],
      [functionId('fetch')]: ['queue:fetchJobs'],
      [functionId('channelMapper')]: ['queue:changes'],
      [functionId('viewClassifier')]: ['queue:updates'],
      [functionId('aggregator')]: ['queue:contacts'],
      [functionId('webhook')]: ['url:NONE'],
    });
  });

  it.each<[FunctionKey, QueueKey, number, number]>([
    ['fetch', 'fetchJobs', 1, 5],
    ['channelMapper', 'changes', 10, 10],
    ['viewClassifier', 'updates', 10, 10],
    ['aggregator', 'contacts', 10, 10],
  ])(
    '%s consumes %s in batches of %i with partial batch failures and at most %i at once',
    (fn, queue, batchSize, maxConcurrency) => {
      expectResourceWith(template, 'AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: functionId(fn) },
        EventSourceArn: getAtt(queueId(queue)),
        BatchSize: batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: maxConcurrency },
      });
    },
  );

  it.each<[FunctionKey, QueueKey, number, number]>([
    ['fetch', 'fetchJobs', 120, 720],
    ['channelMapper', 'changes', 60, 360],
    ['viewClassifier', 'updates', 60, 360],
    ['aggregator', 'contacts', 60, 360],
  ])(
    '%s on %s: timeout %i s, visibility timeout %i s (six times as long)',
    (fn, queue, timeout, visibility) => {
      const queues = resourcesOf(template, 'AWS::SQS::Queue');
      expect([lambdaOf(fn).Timeout, queues[queueId(queue)]!.Properties!.VisibilityTimeout]).toEqual([
        timeout,
        visibility,
      ]);
    },
  );

  it('pipeline functions learn every table name and queue URL, and their own dead-letter queue', () => {
    const everything = {
      ...Object.fromEntries(ALL_TABLES.map((t) => [t.envVar, { Ref: tableId(t.key) }])),
      ...Object.fromEntries(ALL_QUEUES.map((q) => [q.envVar, { Ref: queueId(q.key) }])),
      NODE_OPTIONS: '--enable-source-maps',
    };
    const env = (key: FunctionKey) => (lambdaOf(key).Environment as { Variables: unknown }).Variables;
    expect(env('scheduler')).toEqual(everything);
    expect(env('fetch')).toEqual({ ...everything, FETCH_JOBS_DLQ_URL: { Ref: dlqId('fetchJobs') } });
    expect(env('channelMapper')).toEqual({ ...everything, CHANGES_DLQ_URL: { Ref: dlqId('changes') } });
    expect(env('viewClassifier')).toEqual({ ...everything, UPDATES_DLQ_URL: { Ref: dlqId('updates') } });
    expect(env('aggregator')).toEqual({ ...everything, CONTACTS_DLQ_URL: { Ref: dlqId('contacts') } });
  });

  it('the webhook learns only the integrations table and the fetch-jobs queue', () => {
    expect((lambdaOf('webhook').Environment as { Variables: unknown }).Variables).toEqual({
      NODE_OPTIONS: '--enable-source-maps',
      INTEGRATIONS_TABLE: { Ref: tableId('integrations') },
      FETCH_JOBS_QUEUE_URL: { Ref: queueId('fetchJobs') },
    });
  });
});

describe('least privilege', () => {
  const policies = resourcesOf(template, 'AWS::IAM::Policy');
  const roleOf = (key: FunctionKey) =>
    (lambdaOf(key).Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const statementsOfFunction = (key: FunctionKey) =>
    statementsOf(
      Object.fromEntries(
        Object.entries(policies).filter(([, p]) =>
          (p.Properties!.Roles as { Ref: string }[]).some((r) => r.Ref === roleOf(key)),
        ),
      ),
    );
  const normalised = (statements: readonly Statement[]) =>
    statements.map((s) => JSON.stringify({ ...s, Action: asList(s.Action).sort() })).sort();

  const table = (key: TableKey, ...actions: string[]): Statement => ({
    Action: actions.map((a) => `dynamodb:${a}`),
    Effect: 'Allow',
    Resource: getAtt(tableId(key)),
  });
  const send = (resource: unknown): Statement => ({
    Action: 'sqs:SendMessage',
    Effect: 'Allow',
    Resource: resource,
  });
  const consume = (key: QueueKey): Statement[] => [
    {
      Action: CONSUMER_QUEUE_ACTIONS.map((a) => `sqs:${a}`),
      Effect: 'Allow',
      Resource: getAtt(queueId(key)),
    },
    send(getAtt(dlqId(key))), // parks malformed messages
  ];
  const secrets = (prefix: string, ...actions: string[]): Statement => ({
    Action: actions.map((a) => `secretsmanager:${a}`),
    Effect: 'Allow',
    Resource: secretArn(prefix),
  });

  // The declaration beside each use case (shared/pipeline/function-grants.ts), which local mode
  // enforces on every call: the stack must grant exactly that, no more.
  const expected = (key: FunctionKey): Statement[] => {
    const g = FUNCTION_GRANTS[key];
    return [
      ...(Object.entries(g.tables) as [TableKey, string[]][]).map(([t, actions]) => table(t, ...actions)),
      ...g.sendsTo.map((q) => send(getAtt(queueId(q)))),
      ...(g.secrets.credentials ? [secrets('zendesk-wfm/', ...secretActions(g.secrets.credentials))] : []),
      ...(g.secrets.webhookSigning ? [secrets('zendesk-wfm-webhook/', 'GetSecretValue')] : []),
      ...(g.consumes ? consume(g.consumes) : []),
    ];
  };

  it.each(FUNCTION_KEYS)('%s gets exactly the table, queue and secret actions its code performs', (key) => {
    expect(normalised(statementsOfFunction(key))).toEqual(normalised(expected(key)));
  });

  it('grants what the use cases call: the view classifier puts interaction chunks, the channel mapper reads (and rotates) credentials', () => {
    const onInteractions = statementsOfFunction('viewClassifier').filter(
      (st) => JSON.stringify(st.Resource) === JSON.stringify(getAtt(tableId('interactions'))),
    );
    expect(normalised(onInteractions)).toEqual(normalised([table('interactions', 'Query', 'PutItem')]));
    expect(
      statementsOfFunction('channelMapper').filter((st) =>
        asList(st.Action).some((a) => a.startsWith('secretsmanager:')),
      ),
    ).toEqual([secrets('zendesk-wfm/', 'GetSecretValue', 'PutSecretValue')]);
  });

  it('no IAM statement has "*" as resource for DynamoDB, SQS or Secrets Manager', () => {
    const all = statementsOf({ ...policies, ...resourcesOf(template, 'AWS::IAM::ManagedPolicy') });
    const scoped = all.filter((s) =>
      asList(s.Action).some((a) => /^(dynamodb|sqs|secretsmanager):/.test(a) || a === '*'),
    );
    expect(scoped.length).toBeGreaterThan(20);
    for (const s of scoped) {
      expect(asList(s.Action).filter((a) => a === '*' || a.endsWith(':*'))).toEqual([]);
      expect(asList(s.Resource).filter((r) => r === '*')).toEqual([]);
    }
    const secretResources = scoped
      .filter((s) => asList(s.Action).some((a) => a.startsWith('secretsmanager:')))
      .flatMap((s) => asList(s.Resource).map((r) => JSON.stringify(r)));
    expect([...new Set(secretResources)].sort()).toEqual(
      [JSON.stringify(secretArn('zendesk-wfm-webhook/')), JSON.stringify(secretArn('zendesk-wfm/'))].sort(),
    );
  });

  it('the integration admin policy may manage secrets by prefix, the integrations table and fetch-jobs, read how far a history is counted (infra/show-integration.ts), and redrive dead letters (infra/redrive.ts), only', () => {
    const managed = resourcesOf(template, 'AWS::IAM::ManagedPolicy');
    expect(Object.values(managed).map((p) => p.Properties!.Roles ?? null)).toEqual([null]);
    expect(normalised(statementsOf(managed))).toEqual(
      normalised([
        {
          Action: ['CreateSecret', 'PutSecretValue', 'DeleteSecret', 'GetSecretValue'].map(
            (a) => `secretsmanager:${a}`,
          ),
          Effect: 'Allow',
          Resource: [secretArn('zendesk-wfm/'), secretArn('zendesk-wfm-webhook/')],
        },
        table('integrations', 'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Scan'),
        table('cursors', 'GetItem'),
        table('queueHistory', 'GetItem'),
        send(getAtt(queueId('fetchJobs'))),
        {
          Action: ['sqs:GetQueueAttributes', 'sqs:SendMessage'],
          Effect: 'Allow',
          Resource: ALL_QUEUES.map((q) => getAtt(queueId(q.key))),
        },
        {
          Action: [
            'GetQueueUrl',
            'GetQueueAttributes',
            'StartMessageMoveTask',
            'ListMessageMoveTasks',
            'ReceiveMessage',
            'DeleteMessage',
          ].map((a) => `sqs:${a}`),
          Effect: 'Allow',
          Resource: ALL_QUEUES.map((q) => getAtt(dlqId(q.key))),
        },
      ]),
    );
  });
});

describe('schedule, webhook, storage', () => {
  it('the schedule targets the scheduler every 5 minutes', () => {
    template.resourceCountIs('AWS::Events::Rule', 1);
    expectResourceWith(template, 'AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: getAtt(functionId('scheduler')) })],
    });
  });

  it('the webhook is a Function URL without IAM auth (Zendesk signs its requests instead), open to invoke', () => {
    const urls = resourcesOf(template, 'AWS::Lambda::Url');
    expect(Object.values(urls).map((u) => u.Properties)).toEqual([
      { AuthType: 'NONE', TargetFunctionArn: getAtt(functionId('webhook')) },
    ]);
    expectResourceWith(template, 'AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunctionUrl',
      FunctionName: getAtt(functionId('webhook')),
      FunctionUrlAuthType: 'NONE',
      Principal: '*',
    });
    expectOutput(template, 'WebhookUrl', getAtt(Object.keys(urls)[0]!, 'FunctionUrl'));
  });

  it('the queue-history stream is on with old and new images, and only that table streams', () => {
    const tables = resourcesOf(template, 'AWS::DynamoDB::Table');
    const streaming = Object.entries(tables)
      .filter(([, t]) => t.Properties!.StreamSpecification)
      .map(([id, t]) => [id, t.Properties!.StreamSpecification]);
    expect(streaming).toEqual([[tableId('queueHistory'), { StreamViewType: 'NEW_AND_OLD_IMAGES' }]]);
    expectOutput(template, 'QueueHistoryStreamArn', getAtt(tableId('queueHistory'), 'StreamArn'));
  });

  it('outputs every table name', () => {
    const outputs = template.findOutputs('*');
    for (const t of ALL_TABLES) {
      const id = `${t.key.charAt(0).toUpperCase()}${t.key.slice(1)}TableName`;
      expect([id, outputs[id]?.Value]).toEqual([id, { Ref: tableId(t.key) }]);
    }
  });
});

describe('alarms', () => {
  const alarms = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm')).map((a) => a.Properties!);
  const topic = Object.keys(resourcesOf(template, 'AWS::SNS::Topic'))[0]!;

  const rows: [rule: string, metric: string, threshold: number][] = [
    ['alarms when one message waits in the dead-letter queue', 'ApproximateNumberOfMessagesVisible', 1],
    [
      'alarms again when the oldest parked message is 10 days old, 4 before SQS deletes it (14 days)',
      'ApproximateAgeOfOldestMessage',
      864_000,
    ],
  ];
  it.each(ALL_QUEUES.flatMap((q) => rows.map((row) => [...row, q.key] as const)))(
    '%s (%s ≥ %d), for %s',
    (_rule, metric, threshold, key) => {
      expect(
        alarms.filter(
          (a) =>
            a.MetricName === metric &&
            JSON.stringify(a.Dimensions) ===
              JSON.stringify([{ Name: 'QueueName', Value: getAtt(dlqId(key), 'QueueName') }]),
        ),
      ).toEqual([
        expect.objectContaining({
          Namespace: 'AWS/SQS',
          Statistic: 'Maximum',
          Threshold: threshold,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          AlarmActions: [{ Ref: topic }],
        }),
      ]);
    },
  );

  it('alarms on fetch errors: failed invocations and errors it logs', () => {
    expect(alarms.filter((a) => a.Namespace === 'AWS/Lambda')).toEqual([
      expect.objectContaining({
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId('fetch') } }],
        Threshold: 1,
        AlarmActions: [{ Ref: topic }],
      }),
    ]);
    const filters = Object.values(resourcesOf(template, 'AWS::Logs::MetricFilter')).map((f) => f.Properties!);
    expect(filters).toEqual([
      expect.objectContaining({
        FilterPattern: '{ $.level = "ERROR" }',
        LogGroupName: { Ref: expect.stringMatching(/^Functionsfetch/) },
        MetricTransformations: [
          { MetricNamespace: 'zendesk-wfm', MetricName: 'FetchLoggedErrors', MetricValue: '1' },
        ],
      }),
    ]);
    expect(alarms.filter((a) => a.MetricName === 'FetchLoggedErrors')).toEqual([
      expect.objectContaining({ Namespace: 'zendesk-wfm', Threshold: 1, AlarmActions: [{ Ref: topic }] }),
    ]);
    expect(alarms).toHaveLength(ALL_QUEUES.length * 2 + 2);
  });
});
