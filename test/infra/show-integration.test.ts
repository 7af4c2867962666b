import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { renderDeployed, showDeployed } from '../../infra/show-integration.js';
import { answerAsDeployedQueues, DEPLOYED_OUTPUTS } from './deployed-stack.js';

const outputs = DEPLOYED_OUTPUTS;

const integration = (id: string, name: string, extra: Record<string, unknown>) => ({
  pk: `integration#${id}`,
  type: 'integration',
  id,
  name,
  domain: 'acme.zendesk.com',
  username: 'admin@acme.test',
  credentialKind: 'oauth_client_credentials',
  groupingStrategy: 'ivr',
  intervalMinutes: 15,
  historyDays: 30,
  importFrom: '2026-11-01T00:00:00.000Z',
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-12-02T07:00:00.000Z',
  ...extra,
});

const NOW = new Date('2026-12-02T07:20:00.000Z');

const sqs = new SQSClient({ region: 'eu-west-1' });
const queues = mockClient(sqs);
const documents = mockClient(DynamoDBDocumentClient);
const clients = { dynamodb: new DynamoDBClient({ region: 'eu-west-1' }), sqs };

describe('integration show against the deployed stack (infra/show-integration.ts; issue: dead letters are never silent)', () => {
  beforeEach(() => {
    queues.reset();
    documents.reset();
    documents.on(ScanCommand).resolves({
      Items: [
        integration('int-1', 'Acme', {
          status: 'failing',
          statusReason:
            'work parked in the updates dead-letter queue since 2026-12-02T06:00:00.000Z: audits: 500 (page p1); fix the cause, then run `zendesk-wfm redrive`',
        }),
        integration('int-2', 'Beta', { status: 'active', statusReason: null }),
      ],
    });
    // The ticket events export of int-1 is read up to 06:00, of int-2 up to 05:00.
    documents
      .on(GetCommand, { Key: { pk: 'int-1', sk: 'ticket_events' } })
      .resolves({
        Item: { pk: 'int-1', sk: 'ticket_events', position: { startTime: 1_796_191_200 }, seq: 4 },
      })
      .on(GetCommand, { Key: { pk: 'int-2', sk: 'ticket_events' } })
      .resolves({
        Item: { pk: 'int-2', sk: 'ticket_events', position: { startTime: 1_796_187_600 }, seq: 9 },
      });
    // No run has completed yet: no freshness record beside the queues.
    documents.on(GetCommand, { TableName: 'tbl-queueHistory' }).resolves({});
    answerAsDeployedQueues(queues, { updates: 3 });
  });

  it('a failing integration with parked work: its status and reason, and the messages waiting in each dead-letter queue', async () => {
    const shown = await showDeployed(outputs, ' acme ', clients);
    expect(renderDeployed(shown, 'cdk-outputs.json', NOW)).toBe(
      [
        'name              Acme',
        'id                int-1',
        'domain            acme.zendesk.com',
        'username          admin@acme.test',
        'credentials       oauth_client_credentials (stored in AWS Secrets Manager as zendesk-wfm/int-1)',
        'grouping          ivr (fixed)',
        'interval          15 minutes (fixed)',
        'service level     20 seconds (fixed)',
        'webhook reads     20 tickets a minute',
        "time zone         UTC (until the first run reads the account's)",
        'history from      2026-11-01T00:00:00.000Z',
        'status            failing (work parked in the updates dead-letter queue since 2026-12-02T06:00:00.000Z: audits: 500 (page p1); fix the cause, then run `zendesk-wfm redrive`)',
        'complete up to    2026-12-02T06:00:00.000Z',
        'last run          none completed yet',
        'created           2026-11-01T00:00:00.000Z',
        'updated           2026-12-02T07:00:00.000Z',
        'warning: 3 messages parked in the updates dead-letter queue (shared by every integration); fix the cause, then run `npx tsx infra/redrive.ts cdk-outputs.json`',
        '',
      ].join('\n'),
    );
    expect(documents.commandCalls(ScanCommand)[0]!.args[0].input.TableName).toBe('tbl-integrations');
    expect(documents.commandCalls(GetCommand)[0]!.args[0].input.TableName).toBe('tbl-cursors');
  });

  it('parked messages show on every integration, even one whose status no function could set; an active one behind is warned of', async () => {
    const shown = await showDeployed(outputs, 'Beta', clients);
    expect({
      status: shown.integration.status,
      parked: shown.parked,
      completeUpTo: shown.completeUpTo,
    }).toEqual({
      status: 'active',
      parked: [{ queue: 'updates', messages: 3 }],
      completeUpTo: new Date('2026-12-02T05:00:00.000Z'),
    });
    // Active but more than half an hour behind: said, with where to look on AWS.
    expect(
      renderDeployed(shown, 'cdk-outputs.json', NOW)
        .split('\n')
        .filter((l) => l.startsWith('warning: behind')),
    ).toEqual([
      "warning: behind by 2 h 20 min: complete up to 05:00 UTC; the stack's scheduled imports are not keeping up: see the fetch function's logs and the dead-letter queues",
    ]);
  });

  it('complete up to is what the aggregator counted (the freshness record), not how far the export was read', async () => {
    // The fetch has read int-2's ticket events up to 05:00; the aggregator counted a run up to 04:30.
    documents
      .on(GetCommand, { TableName: 'tbl-queueHistory', Key: { pk: 'int-2#freshness', sk: 'freshness' } })
      .resolves({
        Item: {
          pk: 'int-2#freshness',
          sk: 'freshness',
          kind: 'freshness',
          integrationId: 'int-2',
          completeUpTo: '2026-12-02T04:30:00.000Z',
          lastCompletedRun: { runId: 'run-7', at: '2026-12-02T04:36:00.000Z' },
        },
      });
    const shown = await showDeployed(outputs, 'Beta', clients);
    expect(shown.completeUpTo).toEqual(new Date('2026-12-02T04:30:00.000Z'));
  });

  it('an unknown name is refused with the names there are', async () => {
    await expect(showDeployed(outputs, 'Gamma', clients)).rejects.toThrow(
      'no integration named "Gamma" in the deployed stack (there are "Acme", "Beta")',
    );
  });
});
