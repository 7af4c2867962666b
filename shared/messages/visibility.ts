import { ChangeMessageVisibilityBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueueKey, QueueUrls } from './queues.js';

/** Sets when received messages come back: a consumer delays a message Zendesk asked it to wait for. */
export interface MessageVisibility {
  delay(queue: QueueKey, receiptHandles: readonly string[], seconds: number): Promise<void>;
}

/** SQS caps a visibility timeout at 12 hours. */
const MAX_VISIBILITY_SECONDS = 43_200;

export class SqsMessageVisibility implements MessageVisibility {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queues: QueueUrls,
  ) {}

  async delay(queue: QueueKey, receiptHandles: readonly string[], seconds: number): Promise<void> {
    const VisibilityTimeout = Math.min(MAX_VISIBILITY_SECONDS, Math.max(1, Math.ceil(seconds)));
    for (let i = 0; i < receiptHandles.length; i += 10) {
      const out = await this.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.queues[queue],
          Entries: receiptHandles
            .slice(i, i + 10)
            .map((ReceiptHandle, n) => ({ Id: String(n), ReceiptHandle, VisibilityTimeout })),
        }),
      );
      if (out.Failed && out.Failed.length > 0) {
        throw new Error(
          `${queue}: the visibility of ${out.Failed.length} message(s) could not be changed (${out.Failed[0]?.Code})`,
        );
      }
    }
  }
}
