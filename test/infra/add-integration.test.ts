import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { addIntegration } from '../../infra/add-integration.js';
import { namesFromOutputs } from '../../infra/stack-outputs.js';
import type { CredentialChecker } from '../../shared/pipeline/integrations.js';
import { ALL_QUEUES } from '../../shared/messages/queues.js';
import { ALL_TABLES } from '../../shared/store/tables.js';
import { synthesize } from './support.js';
import { anIntegrationInput } from '../support/integrations.js';

const { template, tableId, queueId } = synthesize();

// What `cdk deploy --outputs-file` would write: each output's resolved value, here the logical ids.
const resolved = (value: unknown): string => {
  const v = value as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  return v.Ref ?? (v['Fn::GetAtt'] ? `${v['Fn::GetAtt'][0]}.${v['Fn::GetAtt'][1]}` : JSON.stringify(value));
};
const outputs = Object.fromEntries(
  Object.entries(template.findOutputs('*')).map(([id, o]) => [id, resolved((o as { Value: unknown }).Value)]),
);

const secretsManager = new SecretsManagerClient({ region: 'eu-west-1' });
const secrets = mockClient(secretsManager);
const documents = mockClient(DynamoDBDocumentClient);
const clients = {
  dynamodb: new DynamoDBClient({ region: 'eu-west-1' }),
  sqs: new SQSClient({ region: 'eu-west-1' }),
  secretsManager,
};

const input = anIntegrationInput({
  name: 'Acme Support',
  credentials: { kind: 'api_token', apiToken: 'tok-0123456789' },
});
const okCheck: CredentialChecker = async () => ({
  kind: 'ok',
  user: { id: 1, email: 'admin@acme.test', role: 'admin' },
});

describe('stack outputs', () => {
  it('name every table and queue the operator tools need, as the deployed stack declares them', () => {
    expect(namesFromOutputs(outputs)).toEqual({
      tables: Object.fromEntries(ALL_TABLES.map((t) => [t.key, tableId(t.key)])),
      queues: Object.fromEntries(ALL_QUEUES.map((q) => [q.key, queueId(q.key)])),
    });
  });

  it('a missing output is named', () => {
    const { CursorsTableName: _missing, ...rest } = outputs;
    expect(() => namesFromOutputs(rest)).toThrow('stack output CursorsTableName is missing');
  });
});

describe('addIntegration', () => {
  beforeEach(() => {
    secrets.reset();
    documents.reset();
    secrets
      .on(PutSecretValueCommand)
      .rejects(new ResourceNotFoundException({ message: 'no', $metadata: {} }));
    secrets.on(CreateSecretCommand).resolves({});
    documents.on(ScanCommand).resolves({ Items: [] });
    documents.on(TransactWriteCommand).resolves({});
  });

  it('stores the credentials and the signing secret under their prefixes and claims the name in the deployed table', async () => {
    const saved = await addIntegration(
      outputs,
      { ...input, webhookSigningSecret: 'whsec-0123456789' },
      clients,
      {
        checkCredentials: okCheck,
        newId: () => 'int-1',
      },
    );
    expect([saved.integration.id, saved.integration.status]).toEqual(['int-1', 'active']);
    expect(secrets.commandCalls(CreateSecretCommand).map((c) => c.args[0].input.Name)).toEqual([
      'zendesk-wfm/int-1',
      'zendesk-wfm-webhook/int-1',
    ]);
    // The name is checked against the deployed table's integrations.
    const listed = documents
      .commandCalls(ScanCommand)
      .find((c) => c.args[0].input.FilterExpression === '#type = :integration');
    expect(listed?.args[0].input.TableName).toBe(tableId('integrations'));
    const items = documents.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems ?? [];
    // The name's claim, the integration, and its mark removed.
    expect(items.map((i) => (i.Put ?? i.Delete)?.TableName)).toEqual([
      tableId('integrations'),
      tableId('integrations'),
      tableId('integrations'),
    ]);
  });

  it('stores both secrets before the integration: a death between them leaves no integration whose webhooks are refused', async () => {
    const order: string[] = [];
    secrets.on(CreateSecretCommand).callsFake((i: { Name?: string }) => {
      order.push(i.Name ?? '');
      return {};
    });
    documents.on(TransactWriteCommand).callsFake(() => {
      order.push('integration');
      return {};
    });
    documents.on(PutCommand).callsFake((i: { Item?: { pk?: string } }) => {
      order.push(`mark ${i.Item?.pk}`);
      return {};
    });
    await addIntegration(outputs, { ...input, webhookSigningSecret: 'whsec-0123456789' }, clients, {
      checkCredentials: okCheck,
      newId: () => 'int-1',
    });
    expect(order).toEqual([
      'mark unconfirmed#int-1',
      'zendesk-wfm/int-1',
      'zendesk-wfm-webhook/int-1',
      'integration',
    ]);
    // The save removes the mark in the same step, and only while no sweep has claimed it.
    const items = documents.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems ?? [];
    expect(items[2]?.Delete).toEqual({
      TableName: tableId('integrations'),
      Key: { pk: 'unconfirmed#int-1' },
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(sweptAt)',
    });
  });

  const marksFound = (items: Record<string, unknown>[]) =>
    documents.on(ScanCommand, { FilterExpression: '#type = :unconfirmed' }).resolves({ Items: items });
  const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

  it('then removes the secrets an add killed over an hour ago left (its id marked, no integration saved), claiming each mark first; never those of an add marked since', async () => {
    marksFound([
      { pk: 'unconfirmed#dead', type: 'unconfirmed', integrationId: 'dead', since: ago(61) },
      { pk: 'unconfirmed#in-flight', type: 'unconfirmed', integrationId: 'in-flight', since: ago(59) },
    ]);
    documents.on(UpdateCommand).resolves({});
    documents.on(GetCommand).resolves({});
    secrets.on(DeleteSecretCommand).resolves({});
    const told: (readonly string[])[] = [];
    const saved = await addIntegration(outputs, input, clients, {
      checkCredentials: okCheck,
      newId: () => 'int-1',
      onSecretsRemoved: (ids) => told.push(ids),
    });
    expect(saved.integration.id).toBe('int-1');
    expect(documents.commandCalls(UpdateCommand).map((c) => c.args[0].input.Key)).toEqual([
      { pk: 'unconfirmed#dead' },
    ]);
    expect(secrets.commandCalls(DeleteSecretCommand).map((c) => c.args[0].input.SecretId)).toEqual([
      'zendesk-wfm/dead',
      'zendesk-wfm-webhook/dead',
    ]);
    expect(documents.commandCalls(DeleteCommand).map((c) => c.args[0].input.Key)).toEqual([
      { pk: 'unconfirmed#dead' },
    ]);
    expect(told).toEqual([['dead']]);
  });

  it('a sweep that fails does not undo the add: the integration is saved and the failure told', async () => {
    marksFound([{ pk: 'unconfirmed#dead', type: 'unconfirmed', integrationId: 'dead', since: ago(61) }]);
    documents.on(UpdateCommand).resolves({});
    documents.on(GetCommand).resolves({});
    secrets
      .on(DeleteSecretCommand)
      .rejects(Object.assign(new Error('KMS key disabled'), { name: 'KMSInvalidStateException' }));
    const failures: string[] = [];
    const saved = await addIntegration(outputs, input, clients, {
      checkCredentials: okCheck,
      newId: () => 'int-1',
      onSweepFailed: (error) => failures.push(error.name),
    });
    expect([saved.integration.id, failures]).toEqual(['int-1', ['KMSInvalidStateException']]);
    expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('refuses a short signing secret before saving anything', async () => {
    const check = jest.fn(okCheck);
    await expect(
      addIntegration(outputs, { ...input, webhookSigningSecret: 'short' }, clients, {
        checkCredentials: check,
      }),
    ).rejects.toThrow('webhookSigningSecret: at least 8 characters (copy it from the webhook in Zendesk)');
    expect([check.mock.calls.length, secrets.calls().length, documents.calls().length]).toEqual([0, 0, 0]);
  });

  it('passes on the service refusal that names the field, and never a secret', async () => {
    const failure = addIntegration(outputs, { ...input, domain: 'acme.example.com' }, clients, {
      checkCredentials: okCheck,
    });
    await expect(failure).rejects.toThrow(/^domain must be the full Zendesk host/);
    await expect(failure).rejects.not.toThrow(/tok-0123456789/);
    expect(secrets.calls()).toHaveLength(0);
  });
});
