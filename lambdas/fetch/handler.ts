import { Logger } from '@aws-lambda-powertools/logger';
import { FetchJobSchema } from '../../shared/messages/fetch-job.js';
import { fetchDeps } from '../../shared/pipeline/build-deps.js';
import type { ConsumerDeps } from '../../shared/pipeline/deps.js';
import { fetchStream, type FetchDeps } from '../../shared/pipeline/fetch.js';
import { depsFromEnvironment, sqsConsumer } from '../runtime.js';

const logger = new Logger({ serviceName: 'fetch' });

/** fetch-jobs → Zendesk → changes.fifo; stops early when the invocation's time runs low. */
export const createHandler = (deps: () => FetchDeps & ConsumerDeps) =>
  sqsConsumer(
    {
      queue: 'fetchJobs',
      schema: FetchJobSchema,
      work: (d, job, context) => fetchStream(d, job, () => context.getRemainingTimeInMillis()),
    },
    logger,
    deps,
  );

export const handler = createHandler(depsFromEnvironment(logger, fetchDeps));
