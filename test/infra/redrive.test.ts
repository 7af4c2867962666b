import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { redriveDeployed } from '../../infra/redrive.js';
import {
  answerAsDeployedQueues,
  DEPLOYED_OUTPUTS,
  deployedDlqArn,
  deployedQueueArn,
} from './deployed-stack.js';

const outputs = DEPLOYED_OUTPUTS;
const dlqArn = deployedDlqArn;

const sqs = new SQSClient({ region: 'eu-west-1' });
const queues = mockClient(sqs);
const documents = mockClient(DynamoDBDocumentClient);
const order: string[] = [];

const parkedIntegration = {
  pk: 'integration#int-1',
  type: 'integration',
  id: 'int-1',
  name: 'Acme',
  status: 'failing',
  statusReason: 'work parked in the view classifier dead-letter queue since …',
  parked: [
    { queue: 'updates', reason: 'audits: 500', concerns: 'page p1', since: '2026-12-01T10:00:00.000Z' },
  ],
};
const refusedIntegration = {
  pk: 'integration#int-2',
  type: 'integration',
  id: 'int-2',
  name: 'Beta',
  status: 'failing',
  statusReason: 'Zendesk refused the credentials',
};

describe('redrive on the deployed stack (infra/redrive.ts)', () => {
  beforeEach(() => {
    order.length = 0;
    queues.reset();
    documents.reset();
    documents.on(ScanCommand).resolves({ Items: [parkedIntegration, refusedIntegration] });
    documents.on(GetCommand).resolves({ Item: parkedIntegration });
    documents.on(UpdateCommand).callsFake(() => {
      order.push('resume');
      const { parked: _parked, ...resumed } = parkedIntegration;
      return { Attributes: { ...resumed, status: 'active', statusReason: null } };
    });
    answerAsDeployedQueues(queues, { updates: 3 });
    queues.on(StartMessageMoveTaskCommand).callsFake(() => {
      order.push('move');
      return { TaskHandle: 'task-1' };
    });
  });

  it('resumes only the integrations held by parked work, then moves each non-empty dead-letter queue back to its source', async () => {
    const result = await redriveDeployed(
      outputs,
      { dynamodb: new DynamoDBClient({ region: 'eu-west-1' }), sqs },
      () => new Date('2026-12-02T08:00:00Z'),
    );
    expect(result).toEqual({
      resumed: [{ id: 'int-1', name: 'Acme' }],
      moves: [{ queue: 'updates', messages: 3, taskHandle: 'task-1' }],
    });
    expect(order).toEqual(['resume', 'move']);
    // The integration is read again and only what the resume changes is written, on condition
    // that nobody changed it meanwhile.
    expect(documents.commandCalls(GetCommand).map((c) => c.args[0].input.Key)).toEqual([
      { pk: 'integration#int-1' },
    ]);
    const updates = documents.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(updates).toHaveLength(1);
    const [update] = updates;
    expect(update!.TableName).toBe('tbl-integrations');
    expect(update!.Key).toEqual({ pk: 'integration#int-1' });
    const names = update!.ExpressionAttributeNames ?? {};
    const values = update!.ExpressionAttributeValues ?? {};
    const set = Object.fromEntries(
      [...(update!.UpdateExpression ?? '').matchAll(/(#a\d+) = (:new\d+)/g)].map(([, n, v]) => [
        names[n!],
        values[v!],
      ]),
    );
    expect(set).toEqual({ status: 'active', statusReason: null, updatedAt: '2026-12-02T08:00:00.000Z' });
    const removed = (update!.UpdateExpression ?? '').split('REMOVE ')[1]?.split(', ') ?? [];
    expect(removed.map((n) => names[n])).toEqual(['parked']);
    expect(update!.ConditionExpression).toContain('#status <> :deleted');
    // The destination named: a message the consumer parked itself carries no source queue SQS knows.
    expect(queues.commandCalls(StartMessageMoveTaskCommand).map((c) => c.args[0].input)).toEqual([
      { SourceArn: dlqArn('updates'), DestinationArn: deployedQueueArn('updates') },
    ]);
  });
});
