import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { LOCAL_REGION } from '../../shared/aws.js';
import { ALL_QUEUES, QUEUES, type QueueKey, type QueueUrls } from '../../shared/messages/queues.js';
import type { Retry } from './backoff.js';

/**
 * The queues as the runner's parts see them: receive a batch as SQS-shaped records, delete what
 * succeeded, set the visibility of what failed, and how many messages a queue holds. The SQS
 * implementation below works on the embedded emulator; the parts' unit tests use an in-memory one.
 */
export interface RunnerQueues {
  /** Up to `max` visible messages, with their system attributes, as the event source hands them on. */
  receive(queue: QueueKey, max: number): Promise<SQSRecord[]>;
  delete(queue: QueueKey, receiptHandles: readonly string[]): Promise<void>;
  retryLater(queue: QueueKey, retries: readonly Retry[]): Promise<void>;
  /** Visible, in flight and delayed: 0 means nothing is left. */
  depth(queue: QueueKey): Promise<number>;
}

export interface RunnerStack {
  readonly sqs: SQSClient;
  readonly queueUrls: QueueUrls;
}

export const queueDepth = async (stack: RunnerStack, queue: QueueKey): Promise<number> => {
  const { Attributes = {} } = await stack.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: stack.queueUrls[queue],
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0)
  );
};

/** A received message as Lambda's event source presents it (MessageGroupId, receive count, ARN). */
export const toRecord = (m: Message, queueArn: string, now: () => number = Date.now): SQSRecord => {
  const a = m.Attributes ?? {};
  return {
    messageId: m.MessageId ?? '',
    receiptHandle: m.ReceiptHandle ?? '',
    body: m.Body ?? '',
    attributes: {
      ApproximateReceiveCount: a.ApproximateReceiveCount ?? '1',
      SentTimestamp: a.SentTimestamp ?? String(now()),
      SenderId: a.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: a.ApproximateFirstReceiveTimestamp ?? String(now()),
      ...(a.MessageGroupId ? { MessageGroupId: a.MessageGroupId } : {}),
      ...(a.MessageDeduplicationId ? { MessageDeduplicationId: a.MessageDeduplicationId } : {}),
      ...(a.SequenceNumber ? { SequenceNumber: a.SequenceNumber } : {}),
    },
    messageAttributes: {},
    md5OfBody: m.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: LOCAL_REGION,
  };
};

const queueArn = async (stack: RunnerStack, queue: QueueKey): Promise<string> => {
  const { Attributes } = await stack.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: stack.queueUrls[queue], AttributeNames: ['QueueArn'] }),
  );
  return Attributes?.QueueArn ?? `arn:aws:sqs:${LOCAL_REGION}:000000000000:${QUEUES[queue].localName}`;
};

export const sqsRunnerQueues = async (stack: RunnerStack): Promise<RunnerQueues> => {
  const arns = {} as Record<QueueKey, string>;
  for (const { key } of ALL_QUEUES) arns[key] = await queueArn(stack, key);
  return {
    receive: async (queue, max) => {
      const { Messages = [] } = await stack.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: stack.queueUrls[queue],
          MaxNumberOfMessages: max,
          MessageSystemAttributeNames: ['All'],
          WaitTimeSeconds: 0,
        }),
      );
      return Messages.map((m) => toRecord(m, arns[queue]));
    },
    delete: async (queue, receiptHandles) => {
      if (receiptHandles.length === 0) return;
      await stack.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: stack.queueUrls[queue],
          Entries: receiptHandles.map((h, i) => ({ Id: String(i), ReceiptHandle: h })),
        }),
      );
    },
    retryLater: async (queue, retries) => {
      if (retries.length === 0) return;
      await stack.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: stack.queueUrls[queue],
          Entries: retries.map((r, i) => ({
            Id: String(i),
            ReceiptHandle: r.receiptHandle,
            VisibilityTimeout: r.visibilitySeconds,
          })),
        }),
      );
    },
    depth: (queue) => queueDepth(stack, queue),
  };
};
