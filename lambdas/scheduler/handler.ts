import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { schedulerDeps } from '../../shared/pipeline/build-deps.js';
import { scheduleImports, type SchedulerDeps } from '../../shared/pipeline/scheduler.js';
import { depsFromEnvironment } from '../runtime.js';

const logger = new Logger({ serviceName: 'scheduler' });

export interface ScheduleResult {
  readonly runId: string;
  readonly integrations: string[];
}

/** EventBridge (every 5 minutes) → one fetch job per active integration; the run id is the event's time. */
export const createHandler = (deps: () => SchedulerDeps) =>
  middy<Partial<ScheduledEvent>, ScheduleResult, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event) => {
      const d = deps();
      const runId = event.time ?? d.now().toISOString();
      return { runId, integrations: await scheduleImports(d, runId) };
    });

export const handler = createHandler(depsFromEnvironment(logger, schedulerDeps));
