import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig, withoutSdkCallLogging } from '../shared/aws.js';
import type { FunctionClients } from '../shared/pipeline/build-deps.js';
import { functionName, type FunctionKey } from '../shared/pipeline/function-grants.js';
import type { Grants } from '../shared/pipeline/grants.js';
import {
  enforceGrants,
  grantPolicy,
  guardCredentials,
  type AccessDeniedError,
  type GrantPolicy,
} from './grant-guard.js';
import type { LocalStack } from './local-stack.js';

/**
 * What one locally run function gets: its own DynamoDB and SQS clients on the embedded stack (the
 * stack's connections, shared), each call checked against the function's grants, and the
 * credentials store checked the same way. The operator's side keeps the stack's plain clients.
 */
export type SharedClientSettings = Omit<FunctionClients, 'dynamodb' | 'sqs' | 'tables' | 'queues' | 'dlqs'>;

export interface GuardedFunction {
  readonly policy: GrantPolicy;
  readonly clients: FunctionClients;
}

export const localFunctionClients = (
  stack: LocalStack,
  key: FunctionKey,
  grants: Grants,
  shared: SharedClientSettings,
  onDenied?: (denied: AccessDeniedError) => void,
  onDynamoDbClient?: (client: DynamoDBClient) => void,
  onSqsClient?: (client: SQSClient) => void,
): GuardedFunction => {
  const policy = grantPolicy(
    functionName(key),
    grants,
    { tables: stack.tableNames, queues: stack.queueUrls, dlqs: stack.dlqUrls },
    onDenied,
  );
  const dynamodb = new DynamoDBClient({
    ...clientConfig(stack.endpoints.dynamodb),
    requestHandler: stack.dynamodb.config.requestHandler,
  });
  onDynamoDbClient?.(dynamodb);
  const sqs = withoutSdkCallLogging(
    new SQSClient({ ...clientConfig(stack.endpoints.sqs), requestHandler: stack.sqs.config.requestHandler }),
  );
  onSqsClient?.(sqs);
  return {
    policy,
    clients: {
      ...shared,
      dynamodb: enforceGrants(dynamodb, 'dynamodb', policy),
      sqs: enforceGrants(sqs, 'sqs', policy),
      tables: stack.tableNames,
      queues: stack.queueUrls,
      dlqs: stack.dlqUrls,
      secrets: guardCredentials(shared.secrets, policy),
    },
  };
};
