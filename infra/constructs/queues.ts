import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption, type IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ALL_QUEUES, type QueueDefinition, type QueueKey } from '../../shared/messages/queues.js';

interface QueuePair {
  readonly definition: QueueDefinition;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
}

/**
 * Every SQS queue with its dead-letter queue, built from the definitions in
 * shared/messages/queues.ts (the ones the local stand-in creates): FIFO where the definition says
 * (a FIFO queue needs a FIFO dead-letter queue), its visibility timeout, retention and redrive.
 */
export class Queues extends Construct {
  private readonly pairs = new Map<QueueKey, QueuePair>();

  constructor(scope: Construct, id: string) {
    super(scope, id);
    for (const definition of ALL_QUEUES) {
      const common = {
        fifo: definition.fifo ? true : undefined,
        retentionPeriod: Duration.seconds(definition.retentionSeconds),
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
      };
      const deadLetterQueue = new Queue(this, `${definition.key}Dlq`, common);
      const queue = new Queue(this, definition.key, {
        ...common,
        visibilityTimeout: Duration.seconds(definition.visibilityTimeoutSeconds),
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: definition.maxReceiveCount },
      });
      this.pairs.set(definition.key, { definition, queue, deadLetterQueue });
    }
  }

  queue(key: QueueKey): IQueue {
    return this.pair(key).queue;
  }

  deadLetterQueue(key: QueueKey): IQueue {
    return this.pair(key).deadLetterQueue;
  }

  /** The definition the queue was built from (the very object the local stand-in uses). */
  definition(key: QueueKey): QueueDefinition {
    return this.pair(key).definition;
  }

  get keys(): QueueKey[] {
    return [...this.pairs.keys()];
  }

  /** Queue URLs by environment variable, as every pipeline function's environment carries them. */
  get environment(): Record<string, string> {
    return Object.fromEntries(
      [...this.pairs.values()].map(({ definition, queue }) => [definition.envVar, queue.queueUrl]),
    );
  }

  private pair(key: QueueKey): QueuePair {
    const found = this.pairs.get(key);
    if (!found) throw new Error(`queue: no queue is defined for key ${key}`);
    return found;
  }
}
