import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from '@jest/globals';
import { clientConfig, withoutSdkCallLogging } from '../../shared/aws.js';

const names = (client: { middlewareStack: { identify(): string[] } }) =>
  client.middlewareStack.identify().map((entry) => entry.split(' ')[0]);

describe('withoutSdkCallLogging', () => {
  it.each([
    ['DynamoDB', () => new DynamoDBClient(clientConfig('http://127.0.0.1:1'))],
    ['SQS', () => new SQSClient(clientConfig('http://127.0.0.1:1'))],
  ])('takes the logger middleware, and only it, out of a %s client', (_name, make) => {
    const client = make();
    const before = names(client);
    expect(before).toContain('loggerMiddleware');
    expect(names(withoutSdkCallLogging(client))).toEqual(before.filter((n) => n !== 'loggerMiddleware'));
  });
});
