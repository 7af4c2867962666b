import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import {
  DuplicateIntegrationNameError,
  IntegrationsRepository,
} from '../../../shared/store/integrations-repository.js';
import { anIntegration } from '../../support/integrations.js';

const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddb = mockClient(db);
const repo = new IntegrationsRepository(db, 'integrations');

const acme = anIntegration({ id: 'i1', name: ' Acme Support ' });

describe('IntegrationsRepository', () => {
  beforeEach(() => {
    ddb.reset();
  });

  it('claims the trimmed lower-case name and saves the integration in one transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repo.create(acme);
    expect(ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input).toEqual({
      TransactItems: [
        {
          Put: {
            TableName: 'integrations',
            Item: { pk: 'name#acme support', type: 'name', integrationId: 'i1' },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: 'integrations',
            Item: { pk: 'integration#i1', type: 'integration', ...acme },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
    });
  });

  it('turns a failed name claim into DuplicateIntegrationNameError', async () => {
    ddb.on(TransactWriteCommand).rejects(
      Object.assign(new Error('cancelled'), {
        name: 'TransactionCanceledException',
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );
    await expect(repo.create(acme)).rejects.toThrow(new DuplicateIntegrationNameError(' Acme Support '));
  });

  it('lists integrations by name from every scan page', async () => {
    ddb
      .on(ScanCommand)
      .resolvesOnce({
        Items: [{ pk: 'integration#i2', type: 'integration', ...acme, id: 'i2', name: 'Zeta' }],
        LastEvaluatedKey: { pk: 'integration#i2' },
      })
      .resolvesOnce({ Items: [{ pk: 'integration#i1', type: 'integration', ...acme }] });
    await expect(repo.list()).resolves.toEqual([acme, { ...acme, id: 'i2', name: 'Zeta' }]);
    expect(ddb.commandCalls(ScanCommand)[1]?.args[0].input.ExclusiveStartKey).toEqual({
      pk: 'integration#i2',
    });
  });
});
