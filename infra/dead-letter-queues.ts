import { GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** A deployed queue's ARN and its dead-letter queue's, from its redrive policy. */
export const deadLetterRouteOf = async (
  sqs: SQSClient,
  queueUrl: string,
): Promise<{ readonly queueArn: string; readonly dlqArn: string }> => {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn', 'RedrivePolicy'] }),
  );
  const policy = JSON.parse(Attributes?.RedrivePolicy ?? '{}') as { deadLetterTargetArn?: string };
  if (!policy.deadLetterTargetArn) throw new Error(`${queueUrl} has no dead-letter queue`);
  if (!Attributes?.QueueArn) throw new Error(`${queueUrl} did not say its ARN`);
  return { queueArn: Attributes.QueueArn, dlqArn: policy.deadLetterTargetArn };
};

/** The dead-letter queue of a deployed queue, from its redrive policy. */
export const dlqArnOf = async (sqs: SQSClient, queueUrl: string): Promise<string> =>
  (await deadLetterRouteOf(sqs, queueUrl)).dlqArn;

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
