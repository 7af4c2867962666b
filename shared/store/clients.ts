/** The document client every repository uses: plain JS values in and out, undefined fields dropped. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { withoutSdkCallLogging } from '../aws.js';

export const documentClientFor = (client: DynamoDBClient): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(withoutSdkCallLogging(client), {
    marshallOptions: { removeUndefinedValues: true },
  });
