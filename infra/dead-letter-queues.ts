import { GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** The dead-letter queue of a deployed queue, from its redrive policy. */
export const dlqArnOf = async (sqs: SQSClient, queueUrl: string): Promise<string> => {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['RedrivePolicy'] }),
  );
  const policy = JSON.parse(Attributes?.RedrivePolicy ?? '{}') as { deadLetterTargetArn?: string };
  if (!policy.deadLetterTargetArn) throw new Error(`${queueUrl} has no dead-letter queue`);
  return policy.deadLetterTargetArn;
};

/** The messages a queue holds (SQS's approximate count), found by its ARN. */
export const depthOf = async (sqs: SQSClient, queueArn: string): Promise<number> => {
  const [, , , , account, name] = queueArn.split(':');
  const { QueueUrl } = await sqs.send(
    new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }),
  );
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
};
