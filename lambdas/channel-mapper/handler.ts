import { Logger } from '@aws-lambda-powertools/logger';
import { ChangesMessageSchema } from '../../shared/messages/changes.js';
import { mapChanges } from '../../shared/pipeline/channel-mapper.js';
import type { PipelineDeps } from '../../shared/pipeline/deps.js';
import { depsFromEnvironment, sqsConsumer } from '../runtime.js';

const logger = new Logger({ serviceName: 'channel-mapper' });

/** changes.fifo → users stored, views and ticket updates → updates.fifo, calls → contacts.fifo. */
export const createHandler = (deps: () => PipelineDeps) =>
  sqsConsumer({ queue: 'changes', schema: ChangesMessageSchema, work: mapChanges }, logger, deps);

export const handler = createHandler(depsFromEnvironment(logger));
