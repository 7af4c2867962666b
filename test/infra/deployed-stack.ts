import { GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { queueOutputId, tableOutputId } from '../../infra/stack-outputs.js';
import { ALL_QUEUES, QUEUES, type QueueKey } from '../../shared/messages/queues.js';
import { ALL_TABLES } from '../../shared/store/tables.js';

/**
 * A deployed stack as the operator tools see it: what `cdk deploy --outputs-file` writes (with
 * recognisable names), and its queues answering through an aws-sdk-client-mock stub, each with a
 * dead-letter queue holding `depths[key]` messages.
 */
export const DEPLOYED_OUTPUTS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(ALL_TABLES.map((t) => [tableOutputId(t.key), `tbl-${t.key}`])),
  ...Object.fromEntries(
    ALL_QUEUES.map((q) => [
      queueOutputId(q.key),
      `https://sqs.eu-west-1.amazonaws.com/123456789012/${q.localName}`,
    ]),
  ),
};

export const deployedQueueArn = (key: QueueKey) =>
  `arn:aws:sqs:eu-west-1:123456789012:${QUEUES[key].localName}`;

export const deployedDlqArn = (key: QueueKey) =>
  `arn:aws:sqs:eu-west-1:123456789012:${QUEUES[key].dlqLocalName}`;

export const answerAsDeployedQueues = (
  queues: AwsClientStub<SQSClient>,
  depths: Partial<Record<QueueKey, number>>,
): void => {
  for (const q of ALL_QUEUES) {
    queues.on(GetQueueAttributesCommand, { QueueUrl: DEPLOYED_OUTPUTS[queueOutputId(q.key)] }).resolves({
      Attributes: {
        QueueArn: deployedQueueArn(q.key),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: deployedDlqArn(q.key),
          maxReceiveCount: q.maxReceiveCount,
        }),
      },
    });
    queues
      .on(GetQueueUrlCommand, { QueueName: q.dlqLocalName })
      .resolves({ QueueUrl: `https://dlq/${q.dlqLocalName}` });
    queues
      .on(GetQueueAttributesCommand, { QueueUrl: `https://dlq/${q.dlqLocalName}` })
      .resolves({ Attributes: { ApproximateNumberOfMessages: String(depths[q.key] ?? 0) } });
  }
};
