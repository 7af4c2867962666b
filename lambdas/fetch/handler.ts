import { Logger } from '@aws-lambda-powertools/logger';
import { FetchJobSchema } from '../../shared/messages/fetch-job.js';
import type { PipelineDeps } from '../../shared/pipeline/deps.js';
import { fetchStream } from '../../shared/pipeline/fetch.js';
import { depsFromEnvironment, sqsConsumer } from '../runtime.js';

const logger = new Logger({ serviceName: 'fetch' });

/** fetch-jobs → Zendesk → changes.fifo; stops early when the invocation's time runs low. */
export const createHandler = (deps: () => PipelineDeps) =>
  sqsConsumer(
    {
      queue: 'fetchJobs',
      schema: FetchJobSchema,
      work: (d, job, context) => fetchStream(d, job, () => context.getRemainingTimeInMillis()),
    },
    logger,
    deps,
  );

export const handler = createHandler(depsFromEnvironment(logger));
