import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule as EventSchedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export interface ScheduleProps {
  readonly target: IFunction;
  readonly rate: Duration;
}

/**
 * The import clock: an EventBridge rule that invokes the scheduler at a fixed rate. A missed tick
 * needs no dead-letter queue: the next one schedules the same work from the stored positions.
 */
export class Schedule extends Construct {
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: ScheduleProps) {
    super(scope, id);
    this.rule = new Rule(this, 'Rule', {
      description: 'zendesk-wfm import run: one fetch job per active integration',
      schedule: EventSchedule.rate(props.rate),
      targets: [new LambdaFunction(props.target, { retryAttempts: 2, maxEventAge: Duration.minutes(5) })],
    });
  }
}
