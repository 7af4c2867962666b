import { Logger } from '@aws-lambda-powertools/logger';
import { ChangesMessageSchema } from '../../shared/messages/changes.js';
import { channelMapperDeps } from '../../shared/pipeline/build-deps.js';
import type { ConsumerDeps } from '../../shared/pipeline/deps.js';
import { mapChanges, type ChannelMapperDeps } from '../../shared/pipeline/channel-mapper.js';
import { depsFromEnvironment, sqsConsumer } from '../runtime.js';

const logger = new Logger({ serviceName: 'channel-mapper' });

/** changes.fifo → users stored, views and ticket updates → updates.fifo, calls → contacts.fifo. */
export const createHandler = (deps: () => ChannelMapperDeps & ConsumerDeps) =>
  sqsConsumer({ queue: 'changes', schema: ChangesMessageSchema, work: mapChanges }, logger, deps);

export const handler = createHandler(depsFromEnvironment(logger, channelMapperDeps));
