import { Logger } from '@aws-lambda-powertools/logger';
import { UpdatesMessageSchema } from '../../shared/messages/updates.js';
import { viewClassifierDeps } from '../../shared/pipeline/build-deps.js';
import type { ConsumerDeps } from '../../shared/pipeline/deps.js';
import { classifyUpdates, type ViewClassifierDeps } from '../../shared/pipeline/view-classifier.js';
import { depsFromEnvironment, sqsConsumer } from '../runtime.js';

const logger = new Logger({ serviceName: 'view-classifier' });

/** updates.fifo → ticket state, view verdicts and replays; per-view contacts → contacts.fifo. */
export const createHandler = (deps: () => ViewClassifierDeps & ConsumerDeps) =>
  sqsConsumer({ queue: 'updates', schema: UpdatesMessageSchema, work: classifyUpdates }, logger, deps);

export const handler = createHandler(depsFromEnvironment(logger, viewClassifierDeps));
