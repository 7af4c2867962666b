import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, MetricFilter, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { Queues } from './queues.js';

export interface AlarmsProps {
  readonly queues: Queues;
  readonly fetch: IFunction;
  readonly fetchLogGroup: ILogGroup;
  /** Subscribed to the alarm topic when given. */
  readonly email?: string;
}

export const ALARM_NAMESPACE = 'zendesk-wfm';

/** How long before SQS would delete parked work its age alarms: four days. */
export const PARKED_WORK_WARNING_LEAD_SECONDS = 4 * 86_400;

/**
 * What needs a human: a message in any dead-letter queue (a page that never applied leaves a gap
 * in its integration's history), again when it nears the age at which SQS deletes it, and fetch errors — invocations that failed (Zendesk 5xx or
 * timeouts beyond the client's retries) and errors the fetch logs without failing (an integration
 * marked failing: wrong credentials, a stuck export, a page that stays malformed).
 */
export class Alarms extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { displayName: 'zendesk-wfm alarms' });
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
    const notify = new SnsAction(this.topic);
    const atLeastOne = {
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    };

    for (const key of props.queues.keys) {
      new Alarm(this, `${key}DlqDepth`, {
        alarmDescription: `Messages are waiting in the dead-letter queue of ${props.queues.definition(key).localName}`,
        metric: props.queues
          .deadLetterQueue(key)
          .metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
        ...atLeastOne,
      }).addAlarmAction(notify);
      // SQS deletes a message at its queue's retention (14 days, its largest), and the cursors have
      // moved past a parked page: one left that long is a gap for good. The depth alarm above fires
      // once, when the first message is parked; this one warns again while there is time to redrive.
      const definition = props.queues.definition(key);
      const warnAtSeconds = definition.retentionSeconds - PARKED_WORK_WARNING_LEAD_SECONDS;
      new Alarm(this, `${key}DlqOldest`, {
        alarmDescription:
          `Parked work in the dead-letter queue of ${definition.localName} is ${warnAtSeconds / 86_400} days old: ` +
          `SQS deletes it at ${definition.retentionSeconds / 86_400} days. Fix the cause, then run infra/redrive.ts`,
        metric: props.queues
          .deadLetterQueue(key)
          .metricApproximateAgeOfOldestMessage({ period: Duration.hours(1), statistic: 'Maximum' }),
        threshold: warnAtSeconds,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(notify);
    }

    new Alarm(this, 'FetchInvocationErrors', {
      alarmDescription: 'The fetch function failed invocations (Zendesk errors beyond retries, timeouts)',
      metric: props.fetch.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      ...atLeastOne,
    }).addAlarmAction(notify);

    // Powertools logs one JSON object per line; the fetch logs at ERROR level what it handles but a human must fix.
    const loggedErrors = new MetricFilter(this, 'FetchLoggedErrors', {
      logGroup: props.fetchLogGroup,
      filterPattern: FilterPattern.stringValue('$.level', '=', 'ERROR'),
      metricNamespace: ALARM_NAMESPACE,
      metricName: 'FetchLoggedErrors',
      metricValue: '1',
    });
    new Alarm(this, 'FetchLoggedErrorsAlarm', {
      alarmDescription: 'The fetch function logged errors (an integration marked failing, a malformed page)',
      metric: loggedErrors.metric({ period: Duration.minutes(5), statistic: 'Sum' }),
      ...atLeastOne,
    }).addAlarmAction(notify);
  }
}
