import { Logger } from '@aws-lambda-powertools/logger';
import { UpdatesMessageSchema } from '../../shared/messages/updates.js';
import type { PipelineDeps } from '../../shared/pipeline/deps.js';
import { classifyUpdates } from '../../shared/pipeline/view-classifier.js';
import { depsFromEnvironment, sqsConsumer } from '../runtime.js';

const logger = new Logger({ serviceName: 'view-classifier' });

/** updates.fifo → ticket state, view verdicts and replays; per-view contacts → contacts.fifo. */
export const createHandler = (deps: () => PipelineDeps) =>
  sqsConsumer({ queue: 'updates', schema: UpdatesMessageSchema, work: classifyUpdates }, logger, deps);

export const handler = createHandler(depsFromEnvironment(logger));
