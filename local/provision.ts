import {
  CreateTableCommand,
  DescribeTableCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueueDefinition, QueueKey, QueueUrls } from '../shared/messages/queues.js';
import type { TableDefinition } from '../shared/store/tables.js';

/** CreateTable input for a table definition: the same keys, stream and billing the CDK stack uses. */
export const createTableInput = (def: TableDefinition, name: string): CreateTableCommandInput => ({
  TableName: name,
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    ...(def.sortKey ? [{ AttributeName: 'sk', AttributeType: 'S' as const }] : []),
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    ...(def.sortKey ? [{ AttributeName: 'sk', KeyType: 'RANGE' as const }] : []),
  ],
  ...(def.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: def.stream } } : {}),
});

const exists = async (client: DynamoDBClient, name: string): Promise<boolean> => {
  try {
    await client.send(new DescribeTableCommand({ TableName: name }));
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceNotFoundException') return false;
    throw error;
  }
};

/** Creates the tables that do not exist yet (a persistent data directory keeps the others). */
export const createTables = async (
  client: DynamoDBClient,
  defs: readonly TableDefinition[],
): Promise<void> => {
  for (const def of defs) {
    if (await exists(client, def.localName)) continue;
    await client.send(new CreateTableCommand(createTableInput(def, def.localName)));
    if (def.ttlAttribute) {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: def.localName,
          TimeToLiveSpecification: { AttributeName: def.ttlAttribute, Enabled: true },
        }),
      );
    }
  }
};

/** Creates each queue and its dead-letter queue, with the redrive policy of its definition. */
export const createQueues = async (
  client: SQSClient,
  defs: readonly QueueDefinition[],
): Promise<QueueUrls> => {
  const urls: Partial<Record<QueueKey, string>> = {};
  for (const def of defs) {
    const fifo = def.fifo ? { FifoQueue: 'true' } : {};
    const dlq = await client.send(
      new CreateQueueCommand({
        QueueName: def.dlqLocalName,
        Attributes: { ...fifo, MessageRetentionPeriod: String(def.retentionSeconds) },
      }),
    );
    const dlqArn = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    const created = await client.send(
      new CreateQueueCommand({
        QueueName: def.localName,
        Attributes: {
          ...fifo,
          VisibilityTimeout: String(def.visibilityTimeoutSeconds),
          MessageRetentionPeriod: String(def.retentionSeconds),
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: dlqArn.Attributes?.QueueArn,
            maxReceiveCount: def.maxReceiveCount,
          }),
        },
      }),
    );
    urls[def.key] = created.QueueUrl as string;
  }
  return urls as QueueUrls;
};
