import { createHash } from 'node:crypto';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { QUEUES, type QueueKey, type QueueUrls } from './queues.js';

/** Characters SQS accepts in a message attribute's value, as in a body (SendMessage reference). */
const NOT_ALLOWED_IN_SQS = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/**
 * A reason as SQS takes it: at most 4000 characters, never cut inside a character, and without
 * the characters SQS refuses (an error's text may carry a control character, or a lone half of a
 * surrogate pair), which would make the park itself fail on AWS, where local mode's emulator lets
 * them through.
 */
export const reasonAttribute = (reason: string): string =>
  Array.from(reason.replace(NOT_ALLOWED_IN_SQS, '\uFFFD')).slice(0, 4000).join('');

/**
 * Parks a message that can never succeed (malformed, STYLE §10) in its queue's dead-letter queue
 * right away, with the reason (field names, never values) as a message attribute, instead of
 * letting it burn maxReceiveCount deliveries and block its FIFO group meanwhile.
 */
export class SqsDeadLetters {
  constructor(
    private readonly sqs: SQSClient,
    private readonly dlqs: Partial<QueueUrls>,
  ) {}

  canPark(queue: QueueKey): boolean {
    return this.dlqs[queue] !== undefined;
  }

  async park(queue: QueueKey, body: string, reason: string, groupId = 'dead-letters'): Promise<void> {
    const url = this.dlqs[queue];
    if (!url) throw new Error(`no dead-letter queue is configured for ${queue}`);
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: body,
        MessageAttributes: { reason: { DataType: 'String', StringValue: reasonAttribute(reason) } },
        ...(QUEUES[queue].fifo
          ? {
              MessageGroupId: groupId,
              MessageDeduplicationId: createHash('sha256')
                .update(body)
                .update(reason)
                .digest('hex')
                .slice(0, 64),
            }
          : {}),
      }),
    );
  }
}
