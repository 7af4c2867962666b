import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { clientConfig, withoutSdkCallLogging } from '../aws.js';

/** The document client every repository uses: plain JS values in and out, undefined fields dropped. */
export const documentClientFor = (client: DynamoDBClient): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(withoutSdkCallLogging(client), {
    marshallOptions: { removeUndefinedValues: true },
  });

export const documentClient = (endpoint: string | undefined): DynamoDBDocumentClient =>
  documentClientFor(new DynamoDBClient(clientConfig(endpoint)));
