import { describe, expect, it } from '@jest/globals';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { settingsFromContext } from '../../infra/config.js';
import { ALL_TABLES } from '../../shared/store/tables.js';
import { expectResourceWith, getAtt, resourcesOf, synthesize } from './support.js';

const contextOf =
  (values: Record<string, unknown>) =>
  (key: string): unknown =>
    values[key];

describe('settingsFromContext', () => {
  it('keeps every default when the context says nothing', () => {
    expect(settingsFromContext(contextOf({}))).toEqual({});
  });

  it('reads `-c key=value` strings and cdk.json values alike', () => {
    const fromCli = settingsFromContext(
      contextOf({
        scheduleRateMinutes: '15',
        retainData: 'false',
        fetchMaxConcurrency: '3',
        consumerMaxConcurrency: '20',
        ticketStateWarmUpDays: '14',
        alarmEmail: 'ops@example.com',
      }),
    );
    expect(fromCli).toEqual({
      scheduleRate: Duration.minutes(15),
      retainedDataRemovalPolicy: RemovalPolicy.DESTROY,
      fetchMaxConcurrency: 3,
      consumerMaxConcurrency: 20,
      ticketStateWarmUpDays: 14,
      alarmEmail: 'ops@example.com',
    });
    expect(settingsFromContext(contextOf({ scheduleRateMinutes: 5, retainData: true }))).toEqual({
      scheduleRate: Duration.minutes(5),
      retainedDataRemovalPolicy: RemovalPolicy.RETAIN,
    });
  });

  it.each([
    [{ scheduleRateMinutes: '0' }, 'scheduleRateMinutes'],
    [{ scheduleRateMinutes: 'often' }, 'scheduleRateMinutes'],
    [{ retainData: 'yes' }, 'retainData'],
    [{ fetchMaxConcurrency: '1' }, 'fetchMaxConcurrency'],
    [{ consumerMaxConcurrency: '1001' }, 'consumerMaxConcurrency'],
    [{ ticketStateWarmUpDays: '-1' }, 'ticketStateWarmUpDays'],
    [{ ticketStateWarmUpDays: 'a week' }, 'ticketStateWarmUpDays'],
    [{ alarmEmail: 'ops' }, 'alarmEmail'],
  ])('refuses %j, naming %s', (values, key) => {
    expect(() => settingsFromContext(contextOf(values))).toThrow(
      new RegExp(`^Invalid CDK context: ${key}: `),
    );
  });
});

describe('a stack with every setting changed', () => {
  const { template, tableId, functionId } = synthesize({
    scheduleRate: Duration.minutes(15),
    retainedDataRemovalPolicy: RemovalPolicy.DESTROY,
    fetchMaxConcurrency: 3,
    consumerMaxConcurrency: 20,
    ticketStateWarmUpDays: 14,
    alarmEmail: 'ops@example.com',
  });

  it('runs the scheduler at the configured rate', () => {
    expectResourceWith(template, 'AWS::Events::Rule', {
      ScheduleExpression: 'rate(15 minutes)',
      Targets: [
        {
          Arn: getAtt(functionId('scheduler')),
          Id: 'Target0',
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 300 },
        },
      ],
    });
  });

  it('deletes even the retained tables on stack deletion when retention is off', () => {
    const tables = resourcesOf(template, 'AWS::DynamoDB::Table');
    expect(ALL_TABLES.map((t) => [t.key, tables[tableId(t.key)]!.DeletionPolicy])).toEqual(
      ALL_TABLES.map((t) => [t.key, 'Delete']),
    );
  });

  it('caps the fetchers and the FIFO consumers at the configured concurrency', () => {
    const mappings = Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping')).map((m) => [
      (m.Properties!.FunctionName as { Ref: string }).Ref,
      (m.Properties!.ScalingConfig as { MaximumConcurrency: number }).MaximumConcurrency,
    ]);
    expect(Object.fromEntries(mappings)).toEqual({
      [functionId('fetch')]: 3,
      [functionId('channelMapper')]: 20,
      [functionId('viewClassifier')]: 20,
      [functionId('aggregator')]: 20,
    });
  });

  it('gives the warm-up to every function of the pipeline’s configuration (the fetch and the view classifier both read it), and none to the webhook', () => {
    const functions = resourcesOf(template, 'AWS::Lambda::Function');
    const warmUps = Object.entries(functions)
      .map(([id, f]) => [
        id,
        (f.Properties!.Environment as { Variables: Record<string, unknown> } | undefined)?.Variables
          ?.TICKET_STATE_WARM_UP_DAYS,
      ])
      .filter(([, v]) => v !== undefined);
    expect(Object.fromEntries(warmUps)).toEqual({
      [functionId('scheduler')]: '14',
      [functionId('fetch')]: '14',
      [functionId('channelMapper')]: '14',
      [functionId('viewClassifier')]: '14',
      [functionId('aggregator')]: '14',
    });
  });

  it('sends alarms to the configured email address', () => {
    expectResourceWith(template, 'AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });
});
