import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig, withoutSdkCallLogging } from '../shared/aws.js';
import type { FunctionClients } from '../shared/pipeline/build-deps.js';
import { functionName, type FunctionKey } from '../shared/pipeline/function-grants.js';
import type { Grants } from '../shared/pipeline/grants.js';
import { INTEGRATION_ADMIN_GRANTS, type AdminGrants } from '../shared/pipeline/admin-grants.js';
import {
  adminGrantPolicy,
  enforceGrants,
  grantPolicy,
  guardCredentials,
  type AccessDeniedError,
  type GrantPolicy,
  type SecretPuts,
} from './grant-guard.js';
import type { LocalStack } from './local-stack.js';

/**
 * What one locally run function gets: its own DynamoDB and SQS clients on the embedded stack (the
 * stack's connections, shared), each call checked against the function's grants, and the
 * credentials store checked the same way. The integration service gets the same, checked against
 * the integration admin policy (`localAdminClients`); reports and read-backs keep the stack's
 * plain clients (on AWS they run with whatever the reader's credentials allow).
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
): GuardedFunction =>
  guardedClients(
    stack,
    grantPolicy(functionName(key), grants, resourceNamesOf(stack), onDenied),
    shared,
    'replace',
    onDynamoDbClient,
    onSqsClient,
  );

/** The integration service's clients, checked against the integration admin policy. */
export const localAdminClients = (
  stack: LocalStack,
  shared: SharedClientSettings,
  grants: AdminGrants = INTEGRATION_ADMIN_GRANTS,
): GuardedFunction =>
  guardedClients(stack, adminGrantPolicy(grants, resourceNamesOf(stack)), shared, 'createOrReplace');

const resourceNamesOf = (stack: LocalStack) => ({
  tables: stack.tableNames,
  queues: stack.queueUrls,
  dlqs: stack.dlqUrls,
});

const guardedClients = (
  stack: LocalStack,
  policy: GrantPolicy,
  shared: SharedClientSettings,
  secretPuts: SecretPuts,
  onDynamoDbClient?: (client: DynamoDBClient) => void,
  onSqsClient?: (client: SQSClient) => void,
): GuardedFunction => {
  const dynamodb = stack.awaitTransactionCommits(
    new DynamoDBClient({
      ...clientConfig(stack.endpoints.dynamodb),
      requestHandler: stack.dynamodb.config.requestHandler,
    }),
  );
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
      secrets: guardCredentials(shared.secrets, policy, secretPuts),
    },
  };
};
