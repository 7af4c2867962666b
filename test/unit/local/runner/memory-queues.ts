import type { SQSRecord } from 'aws-lambda';
import type { QueueKey } from '../../../../shared/messages/queues.js';
import type { Retry } from '../../../../local/runner/backoff.js';
import type { RunnerQueues } from '../../../../local/runner/queues.js';

interface Stored {
  readonly id: string;
  readonly body: string;
  receives: number;
  handle: string | undefined;
}

/**
 * In-memory queues for the runner's parts: a received message is in flight (still counted by
 * `depth`) until it is deleted or set to retry, which makes it visible again at once and records
 * the visibility asked for.
 */
export class MemoryQueues implements RunnerQueues {
  readonly retries: { queue: QueueKey; retry: Retry }[] = [];
  readonly received: QueueKey[] = [];
  private readonly stored: Record<QueueKey, Stored[]> = {
    fetchJobs: [],
    changes: [],
    updates: [],
    contacts: [],
  };
  private handles = 0;

  send(queue: QueueKey, ...bodies: string[]): void {
    for (const body of bodies)
      this.stored[queue].push({ id: `${queue}-${body}`, body, receives: 0, handle: undefined });
  }

  bodies(queue: QueueKey): string[] {
    return this.stored[queue].map((m) => m.body);
  }

  async receive(queue: QueueKey, max: number): Promise<SQSRecord[]> {
    this.received.push(queue);
    const visible = this.stored[queue].filter((m) => m.handle === undefined).slice(0, max);
    return visible.map((m) => {
      m.receives += 1;
      m.handle = `h${++this.handles}`;
      return {
        messageId: m.id,
        receiptHandle: m.handle,
        body: m.body,
        attributes: {
          ApproximateReceiveCount: String(m.receives),
          SentTimestamp: '0',
          SenderId: 'local',
          ApproximateFirstReceiveTimestamp: '0',
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: `arn:aws:sqs:local:000000000000:${queue}`,
        awsRegion: 'local',
      };
    });
  }

  async delete(queue: QueueKey, receiptHandles: readonly string[]): Promise<void> {
    this.stored[queue] = this.stored[queue].filter((m) => !receiptHandles.includes(m.handle ?? ''));
  }

  async retryLater(queue: QueueKey, retries: readonly Retry[]): Promise<void> {
    for (const retry of retries) {
      this.retries.push({ queue, retry });
      const m = this.stored[queue].find((s) => s.handle === retry.receiptHandle);
      if (m) m.handle = undefined;
    }
  }

  async depth(queue: QueueKey): Promise<number> {
    return this.stored[queue].length;
  }
}
