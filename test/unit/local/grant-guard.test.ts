import { describe, expect, it } from '@jest/globals';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  adminGrantPolicy,
  dynamoDbAccesses,
  enforceGrants,
  grantPolicy,
  guardCredentials,
  queueArn,
  secretArn,
  sqsAccesses,
  tableArn,
  type Access,
  type AccessDeniedError,
} from '../../../local/grant-guard.js';
import { clientConfig } from '../../../shared/aws.js';
import { INTEGRATION_ADMIN_GRANTS } from '../../../shared/pipeline/admin-grants.js';
import type { Grants } from '../../../shared/pipeline/grants.js';
import type { QueueUrls } from '../../../shared/messages/queues.js';
import { LocalSecretStore } from '../../../shared/store/secret-store.js';
import { localTableNames } from '../../../shared/store/tables.js';

const tables = localTableNames();
const url = (name: string) => `http://127.0.0.1:1/000000000000/${name}`;
const queues: QueueUrls = {
  fetchJobs: url('zendesk-wfm-fetch-jobs'),
  changes: url('zendesk-wfm-changes.fifo'),
  updates: url('zendesk-wfm-updates.fifo'),
  contacts: url('zendesk-wfm-contacts.fifo'),
};
const dlqs = { updates: url('zendesk-wfm-updates-dlq.fifo') };

const CLASSIFIER: Grants = {
  consumes: 'updates',
  tables: { interactions: ['Query', 'PutItem'], ticketState: ['BatchGetItem'] },
  sendsTo: ['contacts'],
  secrets: { credentials: 'read' },
};
const policy = (denied: AccessDeniedError[] = []) =>
  grantPolicy(
    'zendesk-wfm-view-classifier',
    CLASSIFIER,
    { tables, queues, dlqs },
    (d) => void denied.push(d),
  );

describe('the IAM accesses of a call', () => {
  type Row = [rule: string, command: string, input: Record<string, unknown>, accesses: Access[]];
  const rows: Row[] = [
    [
      'a single-item call needs its action on its table',
      'PutItemCommand',
      { TableName: 'zendesk-wfm-interactions', Item: {} },
      [{ action: 'dynamodb:PutItem', resource: tableArn('zendesk-wfm-interactions') }],
    ],
    [
      'a batch needs the batch action on every table it names',
      'BatchGetItemCommand',
      { RequestItems: { a: {}, b: {} } },
      [
        { action: 'dynamodb:BatchGetItem', resource: tableArn('a') },
        { action: 'dynamodb:BatchGetItem', resource: tableArn('b') },
      ],
    ],
    [
      'a transaction needs the per-item action of each part (there is no TransactWriteItems action)',
      'TransactWriteItemsCommand',
      {
        TransactItems: [
          { Put: { TableName: 'm' } },
          { Update: { TableName: 'h' } },
          { ConditionCheck: { TableName: 'c' } },
        ],
      },
      [
        { action: 'dynamodb:PutItem', resource: tableArn('m') },
        { action: 'dynamodb:UpdateItem', resource: tableArn('h') },
        { action: 'dynamodb:ConditionCheckItem', resource: tableArn('c') },
      ],
    ],
  ];
  it.each(rows)('%s', (_rule, command, input, accesses) => {
    expect(dynamoDbAccesses(command, input)).toEqual(accesses);
  });

  it('a batch send is sqs:SendMessage on the queue its URL names', () => {
    expect(sqsAccesses('SendMessageBatchCommand', { QueueUrl: queues.contacts })).toEqual([
      { action: 'sqs:SendMessage', resource: queueArn('zendesk-wfm-contacts.fifo') },
    ]);
  });
});

describe('a function’s grants as IAM evaluates them', () => {
  type Row = [rule: string, access: Access, allowed: boolean];
  const rows: Row[] = [
    [
      'a declared table action',
      { action: 'dynamodb:PutItem', resource: tableArn(tables.interactions) },
      true,
    ],
    [
      'an action not declared on that table',
      { action: 'dynamodb:BatchWriteItem', resource: tableArn(tables.interactions) },
      false,
    ],
    ['a table not declared', { action: 'dynamodb:GetItem', resource: tableArn(tables.integrations) }, false],
    [
      'sending to a declared queue',
      { action: 'sqs:SendMessage', resource: queueArn('zendesk-wfm-contacts.fifo') },
      true,
    ],
    [
      'sending to another queue',
      { action: 'sqs:SendMessage', resource: queueArn('zendesk-wfm-changes.fifo') },
      false,
    ],
    [
      'the consumed queue: the event source mapping’s actions',
      { action: 'sqs:ChangeMessageVisibility', resource: queueArn('zendesk-wfm-updates.fifo') },
      true,
    ],
    [
      'the consumed queue’s dead-letter queue: parking',
      { action: 'sqs:SendMessage', resource: queueArn('zendesk-wfm-updates-dlq.fifo') },
      true,
    ],
    [
      'reading credentials by the zendesk-wfm/ prefix',
      { action: 'secretsmanager:GetSecretValue', resource: secretArn('zendesk-wfm/acme') },
      true,
    ],
    [
      'rotating credentials with read access only',
      { action: 'secretsmanager:PutSecretValue', resource: secretArn('zendesk-wfm/acme') },
      false,
    ],
    [
      'a webhook signing secret is not a credential',
      { action: 'secretsmanager:GetSecretValue', resource: secretArn('zendesk-wfm-webhook/acme') },
      false,
    ],
  ];
  it.each(rows)('%s', (_rule, access, allowed) => {
    expect(policy().allows(access)).toBe(allowed);
  });
});

describe('the integration admin policy as IAM evaluates it (shared/pipeline/admin-grants.ts)', () => {
  const admin = adminGrantPolicy(INTEGRATION_ADMIN_GRANTS, {
    tables,
    queues,
    dlqs: { ...dlqs, fetchJobs: url('zendesk-wfm-fetch-jobs-dlq') },
  });
  type Row = [rule: string, access: Access, allowed: boolean];
  const rows: Row[] = [
    [
      'every change of an integration is a targeted update',
      { action: 'dynamodb:UpdateItem', resource: tableArn(tables.integrations) },
      true,
    ],
    ['listing integrations', { action: 'dynamodb:Scan', resource: tableArn(tables.integrations) }, true],
    ['no other table', { action: 'dynamodb:PutItem', resource: tableArn(tables.queueHistory) }, false],
    [
      'integration show reads how far a history is counted: the cursors',
      { action: 'dynamodb:GetItem', resource: tableArn(tables.cursors) },
      true,
    ],
    [
      'and the queue history, one item at a time',
      { action: 'dynamodb:GetItem', resource: tableArn(tables.queueHistory) },
      true,
    ],
    [
      'but no query of the history',
      { action: 'dynamodb:Query', resource: tableArn(tables.queueHistory) },
      false,
    ],
    [
      'a resume enqueues a fetch',
      { action: 'sqs:SendMessage', resource: queueArn('zendesk-wfm-fetch-jobs') },
      true,
    ],
    [
      'a redrive reads a queue’s redrive policy',
      { action: 'sqs:GetQueueAttributes', resource: queueArn('zendesk-wfm-updates.fifo') },
      true,
    ],
    [
      'a redrive moves dead letters back',
      { action: 'sqs:StartMessageMoveTask', resource: queueArn('zendesk-wfm-updates-dlq.fifo') },
      true,
    ],
    [
      'it consumes no queue',
      { action: 'sqs:ReceiveMessage', resource: queueArn('zendesk-wfm-updates.fifo') },
      false,
    ],
    [
      'creating credentials by the zendesk-wfm/ prefix',
      { action: 'secretsmanager:CreateSecret', resource: secretArn('zendesk-wfm/acme') },
      true,
    ],
    [
      'deleting a webhook signing secret by its prefix',
      { action: 'secretsmanager:DeleteSecret', resource: secretArn('zendesk-wfm-webhook/acme') },
      true,
    ],
    [
      'no secret outside the two prefixes',
      { action: 'secretsmanager:GetSecretValue', resource: secretArn('other/acme') },
      false,
    ],
  ];
  it.each(rows)('%s', (_rule, access, allowed) => {
    expect(admin.allows(access)).toBe(allowed);
  });
  it('denies in the name of the admin principal', () => {
    expect(() =>
      admin.check({ action: 'dynamodb:PutItem', resource: tableArn(tables.queueHistory) }),
    ).toThrow(
      'User: arn:aws:sts::000000000000:assumed-role/zendesk-wfm-integration-admin-role/zendesk-wfm-integration-admin is not authorized to perform: dynamodb:PutItem',
    );
  });
});

describe('a guarded client refuses what its function is not granted, as AWS does', () => {
  // Every request that gets past the check fails here with "sent", so nothing leaves the process.
  const requestHandler = {
    handle: async () => {
      throw new Error('sent');
    },
  };
  const errorOf = async (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: unknown) => e as Error,
    );

  it('an AccessDeniedException naming the function, the action and the resource, before anything is sent (document client too)', async () => {
    const denied: AccessDeniedError[] = [];
    const client = enforceGrants(
      new DynamoDBClient({ ...clientConfig('http://127.0.0.1:1'), requestHandler }),
      'dynamodb',
      policy(denied),
    );
    const db = DynamoDBDocumentClient.from(client);
    const error = await errorOf(
      db.send(new GetCommand({ TableName: tables.integrations, Key: { pk: 'acme' } })),
    );
    expect({ name: error?.name, message: error?.message }).toEqual({
      name: 'AccessDeniedException',
      message: `User: arn:aws:sts::000000000000:assumed-role/zendesk-wfm-view-classifier-role/zendesk-wfm-view-classifier is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table/${tables.integrations} because no identity-based policy allows the dynamodb:GetItem action`,
    });
    expect(denied.map((d) => [d.functionName, d.action, d.resource])).toEqual([
      ['zendesk-wfm-view-classifier', 'dynamodb:GetItem', tableArn(tables.integrations)],
    ]);
    // A granted call goes on to the network.
    expect(
      (await errorOf(db.send(new PutCommand({ TableName: tables.interactions, Item: { pk: 'a', sk: 'b' } }))))
        ?.message,
    ).toBe('sent');
  });

  it('a transaction is refused when one of its parts is not granted', async () => {
    const db = DynamoDBDocumentClient.from(
      enforceGrants(
        new DynamoDBClient({ ...clientConfig('http://127.0.0.1:1'), requestHandler }),
        'dynamodb',
        policy(),
      ),
    );
    const error = await errorOf(
      db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: tables.interactions, Item: { pk: 'a' } } },
            { Put: { TableName: tables.queueHistory, Item: { pk: 'a' } } },
          ],
        }),
      ),
    );
    expect(error?.name).toBe('AccessDeniedException');
    expect(error?.message).toContain(`dynamodb:PutItem on resource: ${tableArn(tables.queueHistory)}`);
  });

  it('SQS: sending to a queue not granted is refused', async () => {
    const sqs = enforceGrants(
      new SQSClient({ ...clientConfig('http://127.0.0.1:1'), requestHandler }),
      'sqs',
      policy(),
    );
    const error = await errorOf(
      sqs.send(new SendMessageCommand({ QueueUrl: queues.changes, MessageBody: '{}' })),
    );
    expect(error?.name).toBe('AccessDeniedException');
    expect(error?.message).toContain(`sqs:SendMessage on resource: ${queueArn('zendesk-wfm-changes.fifo')}`);
  });

  it('the credentials store: reading is granted, rotating is not', async () => {
    const store = new LocalSecretStore();
    await store.put('acme', { kind: 'api_token', username: 'a@acme.test', apiToken: 'tok-123456' });
    const guarded = guardCredentials(store, policy());
    expect((await guarded.get('acme')).kind).toBe('api_token');
    const error = await errorOf(
      guarded.put('acme', { kind: 'api_token', username: 'a@acme.test', apiToken: 'tok-654321' }),
    );
    expect(error?.message).toContain(
      `secretsmanager:PutSecretValue on resource: ${secretArn('zendesk-wfm/acme')}`,
    );
  });

  it('the credentials store of the integration service: a put may create the secret, so it needs CreateSecret too', async () => {
    const store = new LocalSecretStore();
    const creds = { kind: 'api_token', username: 'a@acme.test', apiToken: 'tok-123456' } as const;
    const replaceOnly = grantPolicy(
      'zendesk-wfm-rotator',
      { ...CLASSIFIER, secrets: { credentials: 'readAndRotate' } },
      { tables, queues, dlqs },
    );
    await guardCredentials(store, replaceOnly).put('acme', creds);
    const error = await errorOf(guardCredentials(store, replaceOnly, 'createOrReplace').put('acme', creds));
    expect(error?.message).toContain(
      `secretsmanager:CreateSecret on resource: ${secretArn('zendesk-wfm/acme')}`,
    );
  });
});
