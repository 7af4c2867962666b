import { Logger } from '@aws-lambda-powertools/logger';
import { ContactsMessageSchema } from '../../shared/messages/contacts.js';
import { aggregatorDeps } from '../../shared/pipeline/build-deps.js';
import type { ConsumerDeps } from '../../shared/pipeline/deps.js';
import { aggregateContacts, type AggregatorDeps } from '../../shared/pipeline/aggregator.js';
import { depsFromEnvironment, sqsConsumer } from '../runtime.js';

const logger = new Logger({ serviceName: 'aggregator' });

/** contacts.fifo → contact facts, queue-history and coverage counters, exactly once. */
export const createHandler = (deps: () => AggregatorDeps & ConsumerDeps) =>
  sqsConsumer({ queue: 'contacts', schema: ContactsMessageSchema, work: aggregateContacts }, logger, deps);

export const handler = createHandler(depsFromEnvironment(logger, aggregatorDeps));
