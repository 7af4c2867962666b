import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { SecretsManagerServiceException } from '@aws-sdk/client-secrets-manager';
import { SQSServiceException } from '@aws-sdk/client-sqs';
import { LOCAL_REGION } from '../shared/aws.js';
import type { QueueKey, QueueUrls } from '../shared/messages/queues.js';
import type { AdminGrants } from '../shared/pipeline/admin-grants.js';
import { CONSUMER_QUEUE_ACTIONS, secretActions, type Grants } from '../shared/pipeline/grants.js';
import { secretName, type SecretStore } from '../shared/store/secret-store.js';
import type { TableKey, TableNames } from '../shared/store/tables.js';
import {
  WEBHOOK_SECRET_PREFIX,
  webhookSecretName,
  type WebhookSecretStore,
} from '../shared/store/webhook-secret-store.js';

/**
 * A function's grants as IAM evaluates them, for local mode: every AWS call a locally run handler
 * makes is checked against its function's declaration (shared/pipeline/grants.ts) before it is
 * sent, and a call outside it fails the way AWS fails it (AccessDeniedException naming the
 * principal, action and resource), so a missing grant breaks the local run instead of a
 * deployment. Resources are the ARNs the stack would have in the local account.
 */
const ACCOUNT = '000000000000';

export const tableArn = (name: string) => `arn:aws:dynamodb:${LOCAL_REGION}:${ACCOUNT}:table/${name}`;
export const queueArn = (name: string) => `arn:aws:sqs:${LOCAL_REGION}:${ACCOUNT}:${name}`;
export const secretArn = (name: string) => `arn:aws:secretsmanager:${LOCAL_REGION}:${ACCOUNT}:secret:${name}`;
const queueNameOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

/** One action on one resource, e.g. `dynamodb:PutItem` on a table's ARN. */
export interface Access {
  readonly action: string;
  readonly resource: string;
}

export class AccessDeniedError extends Error {
  override readonly name = 'AccessDeniedException';
  constructor(
    readonly functionName: string,
    readonly action: string,
    readonly resource: string,
  ) {
    super(
      `User: arn:aws:sts::${ACCOUNT}:assumed-role/${functionName}-role/${functionName} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
    );
  }
}

export interface GrantPolicy {
  /** The function whose role this is, e.g. `zendesk-wfm-view-classifier`. */
  readonly functionName: string;
  allows(access: Access): boolean;
  /** Throws AccessDeniedError when the access is not granted. */
  check(access: Access): void;
}

export interface ResourceNames {
  readonly tables: TableNames;
  readonly queues: QueueUrls;
  readonly dlqs: Partial<QueueUrls>;
}

export const grantPolicy = (
  functionName: string,
  grants: Grants,
  names: ResourceNames,
  /** Sees every denial before it is thrown (local mode stops its run on the first). */
  onDenied: (denied: AccessDeniedError) => void = () => undefined,
): GrantPolicy => {
  const exact = new Set<string>();
  const prefixes: Access[] = [];
  const allow = (action: string, resource: string) => exact.add(`${action} ${resource}`);
  for (const [key, actions] of Object.entries(grants.tables) as [TableKey, readonly string[]][]) {
    for (const action of actions) allow(`dynamodb:${action}`, tableArn(names.tables[key]));
  }
  const queue = (key: QueueKey) => queueArn(queueNameOf(names.queues[key]));
  for (const key of grants.sendsTo) allow('sqs:SendMessage', queue(key));
  if (grants.consumes) {
    for (const action of CONSUMER_QUEUE_ACTIONS) allow(`sqs:${action}`, queue(grants.consumes));
    const dlq = names.dlqs[grants.consumes];
    if (dlq) allow('sqs:SendMessage', queueArn(queueNameOf(dlq)));
  }
  if (grants.secrets.credentials) {
    for (const action of secretActions(grants.secrets.credentials))
      prefixes.push({ action: `secretsmanager:${action}`, resource: secretArn(secretName('')) });
  }
  if (grants.secrets.webhookSigning) {
    prefixes.push({ action: 'secretsmanager:GetSecretValue', resource: secretArn(WEBHOOK_SECRET_PREFIX) });
  }
  return policyOf(functionName, exact, prefixes, onDenied);
};

/** The principal local mode names for the operator's side (the IntegrationAdminPolicy's holder). */
export const INTEGRATION_ADMIN = 'zendesk-wfm-integration-admin';

/** The integration admin policy (shared/pipeline/admin-grants.ts) as IAM evaluates it. */
export const adminGrantPolicy = (
  grants: AdminGrants,
  names: ResourceNames,
  onDenied: (denied: AccessDeniedError) => void = () => undefined,
): GrantPolicy => {
  const exact = new Set<string>();
  const allow = (action: string, resource: string) => exact.add(`${action} ${resource}`);
  for (const action of grants.integrations) allow(`dynamodb:${action}`, tableArn(names.tables.integrations));
  for (const [key, actions] of Object.entries(grants.reads) as [TableKey, readonly string[]][])
    for (const action of actions) allow(`dynamodb:${action}`, tableArn(names.tables[key]));
  const queue = (key: QueueKey) => queueArn(queueNameOf(names.queues[key]));
  for (const key of grants.sendsTo) allow('sqs:SendMessage', queue(key));
  for (const key of grants.redrivesTo) {
    allow('sqs:GetQueueAttributes', queue(key));
    allow('sqs:SendMessage', queue(key));
    const dlq = names.dlqs[key];
    if (dlq)
      for (const action of grants.deadLetterActions) allow(`sqs:${action}`, queueArn(queueNameOf(dlq)));
  }
  const prefixes = grants.secretActions.flatMap((action) =>
    [secretName(''), WEBHOOK_SECRET_PREFIX].map((prefix) => ({
      action: `secretsmanager:${action}`,
      resource: secretArn(prefix),
    })),
  );
  return policyOf(INTEGRATION_ADMIN, exact, prefixes, onDenied);
};

const policyOf = (
  principal: string,
  exact: ReadonlySet<string>,
  prefixes: readonly Access[],
  onDenied: (denied: AccessDeniedError) => void,
): GrantPolicy => {
  const allows = (a: Access) =>
    exact.has(`${a.action} ${a.resource}`) ||
    prefixes.some((p) => p.action === a.action && a.resource.startsWith(p.resource));
  return {
    functionName: principal,
    allows,
    check: (a) => {
      if (allows(a)) return;
      const denied = new AccessDeniedError(principal, a.action, a.resource);
      onDenied(denied);
      throw denied;
    },
  };
};

type Input = Record<string, unknown>;

const TRANSACT_ACTIONS: Readonly<Record<string, string>> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
  Get: 'GetItem',
};

/** The IAM accesses one DynamoDB call needs (a batch or transaction: one per table and kind of item). */
export const dynamoDbAccesses = (commandName: string, input: Input): Access[] => {
  const operation = commandName.replace(/Command$/, '');
  const action = (a: string) => `dynamodb:${a}`;
  switch (operation) {
    case 'BatchGetItem':
    case 'BatchWriteItem':
      return Object.keys((input.RequestItems ?? {}) as Input).map((table) => ({
        action: action(operation),
        resource: tableArn(table),
      }));
    case 'TransactWriteItems':
    case 'TransactGetItems':
      return ((input.TransactItems ?? []) as Input[]).flatMap((item) =>
        Object.entries(item).map(([kind, part]) => ({
          action: action(TRANSACT_ACTIONS[kind] ?? kind),
          resource: tableArn(String((part as Input).TableName)),
        })),
      );
    default:
      return [
        {
          action: action(operation),
          resource: typeof input.TableName === 'string' ? tableArn(input.TableName) : '*',
        },
      ];
  }
};

const SQS_ACTIONS: Readonly<Record<string, string>> = {
  SendMessageBatch: 'SendMessage',
  DeleteMessageBatch: 'DeleteMessage',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibility',
};

export const sqsAccesses = (commandName: string, input: Input): Access[] => {
  const operation = commandName.replace(/Command$/, '');
  const resource =
    typeof input.QueueUrl === 'string'
      ? queueArn(queueNameOf(input.QueueUrl))
      : typeof input.QueueName === 'string'
        ? queueArn(input.QueueName)
        : '*';
  return [{ action: `sqs:${SQS_ACTIONS[operation] ?? operation}`, resource }];
};

export const secretsManagerAccesses = (commandName: string, input: Input): Access[] => {
  const id = input.SecretId ?? input.Name;
  return [
    {
      action: `secretsmanager:${commandName.replace(/Command$/, '')}`,
      resource: typeof id === 'string' ? (id.startsWith('arn:') ? id : secretArn(id)) : '*',
    },
  ];
};

type Service = 'dynamodb' | 'sqs' | 'secretsmanager';

const ACCESSES: Readonly<Record<Service, (commandName: string, input: Input) => Access[]>> = {
  dynamodb: dynamoDbAccesses,
  sqs: sqsAccesses,
  secretsmanager: secretsManagerAccesses,
};

/** The error each client's callers would get from AWS: the service's own exception type. */
const serviceError = (service: Service, denied: AccessDeniedError): Error => {
  const options = {
    name: 'AccessDeniedException',
    $fault: 'client' as const,
    $metadata: { httpStatusCode: 400 },
    message: denied.message,
  };
  const error =
    service === 'dynamodb'
      ? new DynamoDBServiceException(options)
      : service === 'sqs'
        ? new SQSServiceException(options)
        : new SecretsManagerServiceException(options);
  return Object.assign(error, {
    functionName: denied.functionName,
    action: denied.action,
    resource: denied.resource,
  });
};

/** An SDK v3 client as far as adding an initialize-step middleware goes (the guard, a test's crash switch). */
export interface MiddlewareClient {
  middlewareStack: {
    add(
      middleware: (
        next: (args: { input: object }) => Promise<unknown>,
        context: { commandName?: string },
      ) => (args: { input: object }) => Promise<unknown>,
      options: { step: 'initialize'; name: string; priority: 'high' | 'low' },
    ): void;
  };
}

/**
 * Adds the check to an SDK client's middleware stack (first step, before retries and signing), so
 * every command it sends, through a document client too, is checked against `policy`.
 */
export const enforceGrants = <C extends MiddlewareClient>(
  client: C,
  service: Service,
  policy: GrantPolicy,
): C => {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      for (const access of ACCESSES[service](context.commandName ?? '', args.input as Input)) {
        try {
          policy.check(access);
        } catch (error) {
          if (error instanceof AccessDeniedError) throw serviceError(service, error);
          throw error;
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'localGrantGuard', priority: 'high' },
  );
  return client;
};

const secretCheck =
  (nameOf: (integrationId: string) => string, policy: GrantPolicy) => (operation: string, id: string) =>
    policy.check({ action: `secretsmanager:${operation}`, resource: secretArn(nameOf(id)) });

/**
 * The Secrets Manager calls a put stands for: a function only rewrites a secret that exists
 * (PutSecretValue); the integration service's put creates it when absent (PutSecretValue, then
 * CreateSecret: shared/store/secrets-manager-strings.ts), so it needs both.
 */
export type SecretPuts = 'replace' | 'createOrReplace';
const PUT_ACTIONS: Readonly<Record<SecretPuts, readonly string[]>> = {
  replace: ['PutSecretValue'],
  createOrReplace: ['PutSecretValue', 'CreateSecret'],
};

/** The credentials store, each call checked as the Secrets Manager call it stands for locally. */
export const guardCredentials = (
  store: SecretStore,
  policy: GrantPolicy,
  puts: SecretPuts = 'replace',
): SecretStore => {
  const check = secretCheck(secretName, policy);
  return {
    get: async (id) => (check('GetSecretValue', id), store.get(id)),
    put: async (id, credentials) => {
      for (const action of PUT_ACTIONS[puts]) check(action, id);
      return store.put(id, credentials);
    },
    delete: async (id) => (check('DeleteSecret', id), store.delete(id)),
  };
};

/** The webhook signing-secret store, checked the same way. */
export const guardSigningSecrets = (
  store: WebhookSecretStore,
  policy: GrantPolicy,
  puts: SecretPuts = 'replace',
): WebhookSecretStore => {
  const check = secretCheck(webhookSecretName, policy);
  return {
    get: async (id) => (check('GetSecretValue', id), store.get(id)),
    getFresh: async (id) => (check('GetSecretValue', id), store.getFresh(id)),
    put: async (id, secret) => {
      for (const action of PUT_ACTIONS[puts]) check(action, id);
      return store.put(id, secret);
    },
    delete: async (id) => (check('DeleteSecret', id), store.delete(id)),
  };
};
