import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import {
  ChangeMessageVisibilityCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { clientConfig } from '../../../shared/aws.js';
import { startLocalStack, type LocalStack } from '../../../local/local-stack.js';
import { QUEUES } from '../../../shared/messages/queues.js';
import { ALL_TABLES } from '../../../shared/store/tables.js';

describe('the embedded AWS stand-in', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('listens on loopback ports and creates every table of the shared definitions', async () => {
    expect(new URL(stack.endpoints.dynamodb).hostname).toBe('127.0.0.1');
    expect(new URL(stack.endpoints.sqs).hostname).toBe('127.0.0.1');
    for (const def of ALL_TABLES) {
      const { Table } = await stack.dynamodb.send(new DescribeTableCommand({ TableName: def.localName }));
      expect(Table?.KeySchema?.map((k) => k.AttributeName)).toEqual(def.sortKey ? ['pk', 'sk'] : ['pk']);
      expect(Table?.StreamSpecification?.StreamViewType).toBe(def.stream);
    }
  });

  it('writes and reads an item and streams its old and new image', async () => {
    const doc = DynamoDBDocumentClient.from(stack.dynamodb);
    const TableName = stack.tableNames.queueHistory;
    const Key = { pk: 'acme#v1#email', sk: '2026-01-05T10:00:00.000Z' };
    await doc.send(new PutCommand({ TableName, Item: { ...Key, contacts: 1 } }));
    await doc.send(
      new UpdateCommand({
        TableName,
        Key,
        UpdateExpression: 'ADD contacts :one',
        ExpressionAttributeValues: { ':one': 2 },
      }),
    );
    expect((await doc.send(new GetCommand({ TableName, Key }))).Item).toEqual({ ...Key, contacts: 3 });

    const { Table } = await stack.dynamodb.send(new DescribeTableCommand({ TableName }));
    const streams = new DynamoDBStreamsClient(clientConfig(stack.endpoints.dynamodb));
    try {
      const { StreamDescription } = await streams.send(
        new DescribeStreamCommand({ StreamArn: Table?.LatestStreamArn }),
      );
      expect(StreamDescription?.StreamViewType).toBe('NEW_AND_OLD_IMAGES');
      const shard = StreamDescription?.Shards?.[0];
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: Table?.LatestStreamArn,
          ShardId: shard?.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      const { Records } = await streams.send(new GetRecordsCommand({ ShardIterator }));
      expect(Records?.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY']);
      expect(Records?.[1]?.dynamodb?.OldImage?.contacts).toEqual({ N: '1' });
      expect(Records?.[1]?.dynamodb?.NewImage?.contacts).toEqual({ N: '3' });
    } finally {
      streams.destroy();
    }
  });

  it('delivers a FIFO message and moves it to its DLQ after the redrive policy’s maxReceiveCount receives (the safety net under the consumer’s own parking)', async () => {
    const QueueUrl = stack.queueUrls.changes;
    const attrs = await stack.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
    expect(attrs.Attributes?.FifoQueue).toBe('true');
    expect(JSON.parse(attrs.Attributes?.RedrivePolicy ?? '{}')).toMatchObject({
      maxReceiveCount: QUEUES.changes.maxReceiveCount,
    });

    await stack.sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: '{"page":1}',
        MessageGroupId: 'acme#ticket_events',
        MessageDeduplicationId: 'acme#ticket_events#1',
      }),
    );
    for (let attempt = 1; attempt <= QUEUES.changes.maxReceiveCount; attempt += 1) {
      const { Messages } = await stack.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl,
          MaxNumberOfMessages: 10,
          MessageSystemAttributeNames: ['All'],
        }),
      );
      expect(Messages?.map((m) => m.Body)).toEqual(['{"page":1}']);
      expect(Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe(String(attempt));
      // A consumer that fails: the message becomes visible again at once.
      await stack.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl,
          ReceiptHandle: Messages?.[0]?.ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      );
    }
    const again = await stack.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    expect(again.Messages ?? []).toEqual([]);
    const parked = await stack.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: stack.dlqUrls.changes, MaxNumberOfMessages: 10 }),
    );
    expect(parked.Messages?.map((m) => m.Body)).toEqual(['{"page":1}']);
  });
});
