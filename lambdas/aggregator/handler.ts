import { Logger } from '@aws-lambda-powertools/logger';
import { ContactsMessageSchema } from '../../shared/messages/contacts.js';
import { aggregateContacts } from '../../shared/pipeline/aggregator.js';
import type { PipelineDeps } from '../../shared/pipeline/deps.js';
import { depsFromEnvironment, sqsConsumer } from '../runtime.js';

const logger = new Logger({ serviceName: 'aggregator' });

/** contacts.fifo → contact facts, queue-history and coverage counters, exactly once. */
export const createHandler = (deps: () => PipelineDeps) =>
  sqsConsumer({ queue: 'contacts', schema: ContactsMessageSchema, work: aggregateContacts }, logger, deps);

export const handler = createHandler(depsFromEnvironment(logger));
