import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListMessageMoveTasksCommand, SQSClient, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { MoveTaskFailedError, redriveDeployed, type RedriveTiming } from '../../infra/redrive.js';
import type { QueueKey } from '../../shared/messages/queues.js';
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

type Item = Record<string, unknown>;
const parkedIntegration: Item = {
  pk: 'integration#int-1',
  type: 'integration',
  id: 'int-1',
  name: 'Acme',
  status: 'failing',
  statusReason: 'work parked in the view classifier dead-letter queue since …',
  failure: { kind: 'work_failed', since: '2026-12-01T10:00:00.000Z' },
  parked: [
    { queue: 'updates', reason: 'audits: 500', concerns: 'page p1', since: '2026-12-01T10:00:00.000Z' },
  ],
};
const refusedIntegration: Item = {
  pk: 'integration#int-2',
  type: 'integration',
  id: 'int-2',
  name: 'Beta',
  status: 'failing',
  statusReason: 'Zendesk refused the credentials',
};

/** The integrations table as one item per id, changed by the repository's UpdateItem as DynamoDB would. */
const table = new Map<string, Item>();
const applyUpdate = (input: NonNullable<UpdateCommand['input']>): Item => {
  const pk = (input.Key as { pk: string }).pk;
  const names = input.ExpressionAttributeNames ?? {};
  const values = input.ExpressionAttributeValues ?? {};
  const expression = input.UpdateExpression ?? '';
  const next = { ...table.get(pk) };
  for (const [, n, v] of expression.matchAll(/(#a\d+) = (:new\d+)/g)) next[names[n!]!] = values[v!];
  for (const n of expression.split('REMOVE ')[1]?.split(', ') ?? []) delete next[names[n.trim()]!];
  table.set(pk, next);
  return next;
};
/** What each UpdateItem set and removed, by attribute name. */
const changes: { set: Record<string, unknown>; removed: string[] }[] = [];

/** Move tasks answer as SQS does: each started task runs for `runningLooks` looks, then completes. */
const moveTasks = (runningLooks: Partial<Record<QueueKey, number>>, failed?: QueueKey) => {
  const started = new Map<string, { queue: QueueKey; looks: number; messages: number }>();
  const keyOf = (arn: string) =>
    (['fetchJobs', 'changes', 'updates', 'contacts'] as const).find((k) => dlqArn(k) === arn)!;
  queues.on(StartMessageMoveTaskCommand).callsFake((input: { SourceArn: string }) => {
    const queue = keyOf(input.SourceArn);
    order.push(`move ${queue}`);
    started.set(input.SourceArn, { queue, looks: 0, messages: depths[queue] ?? 0 });
    return { TaskHandle: `task-${queue}` };
  });
  queues.on(ListMessageMoveTasksCommand).callsFake((input: { SourceArn: string }) => {
    const task = started.get(input.SourceArn)!;
    order.push(`look ${task.queue}`);
    // An earlier redrive's completed task is listed first until this one shows.
    if (task.looks === 0 && earlierTaskListedFirst.has(task.queue)) {
      task.looks += 1;
      return {
        Results: [
          {
            Status: 'COMPLETED',
            ApproximateNumberOfMessagesMoved: 99,
            StartedTimestamp: Date.parse('2026-11-30T08:00:00Z'),
            SourceArn: input.SourceArn,
          },
        ],
      };
    }
    task.looks += 1;
    if (task.queue === failed)
      return { Results: [{ Status: 'FAILED', FailureReason: 'AccessDenied', SourceArn: input.SourceArn }] };
    const running =
      task.looks <= (runningLooks[task.queue] ?? 0) + (earlierTaskListedFirst.has(task.queue) ? 1 : 0);
    return {
      Results: [
        running
          ? { Status: 'RUNNING', TaskHandle: `task-${task.queue}`, SourceArn: input.SourceArn }
          : {
              Status: 'COMPLETED',
              ApproximateNumberOfMessagesMoved: task.messages,
              SourceArn: input.SourceArn,
            },
      ],
    };
  });
};
let depths: Partial<Record<QueueKey, number>> = {};
let earlierTaskListedFirst = new Set<QueueKey>();

const timing: RedriveTiming = {
  now: () => new Date('2026-12-02T08:00:00Z'),
  pause: async (ms) => void order.push(`pause ${ms}`),
  pollMs: 2_000,
};
const clients = () => ({ dynamodb: new DynamoDBClient({ region: 'eu-west-1' }), sqs });

const startWith = (items: Item[], queueDepths: Partial<Record<QueueKey, number>>) => {
  order.length = 0;
  changes.length = 0;
  queues.reset();
  documents.reset();
  table.clear();
  for (const item of items) table.set(item.pk as string, item);
  documents.on(ScanCommand).callsFake(() => ({ Items: [...table.values()] }));
  documents.on(GetCommand).callsFake((input: { Key: { pk: string } }) => ({ Item: table.get(input.Key.pk) }));
  documents.on(UpdateCommand).callsFake((input: NonNullable<UpdateCommand['input']>) => {
    const names = input.ExpressionAttributeNames ?? {};
    const values = input.ExpressionAttributeValues ?? {};
    const expression = input.UpdateExpression ?? '';
    const set = Object.fromEntries(
      [...expression.matchAll(/(#a\d+) = (:new\d+)/g)].map(([, n, v]) => [names[n!], values[v!]]),
    );
    const removed = (expression.split('REMOVE ')[1]?.split(', ') ?? []).map((n) => names[n.trim()]!);
    changes.push({ set, removed });
    order.push(
      set.redriving !== undefined
        ? 'hold new runs'
        : removed.includes('redriving')
          ? 'let runs start'
          : 'update',
    );
    return { Attributes: applyUpdate(input) };
  });
  depths = queueDepths;
  earlierTaskListedFirst = new Set();
  answerAsDeployedQueues(queues, queueDepths);
};

describe('redrive on the deployed stack (infra/redrive.ts)', () => {
  beforeEach(() => startWith([parkedIntegration, refusedIntegration], { updates: 3, changes: 2 }));

  it('resumes only the integrations held by parked work, holding their new runs; moves each dead-letter queue back the last stage first, each done before the next starts; then lets runs start', async () => {
    moveTasks({ updates: 1 });
    const result = await redriveDeployed(outputs, clients(), timing);
    expect(result).toEqual({
      resumed: [{ id: 'int-1', name: 'Acme' }],
      moves: [
        { queue: 'updates', messages: 3, moved: 3 },
        { queue: 'changes', messages: 2, moved: 2 },
      ],
    });
    expect(order).toEqual([
      'hold new runs',
      'move updates',
      'look updates',
      'pause 2000',
      'look updates',
      'move changes',
      'look changes',
      'let runs start',
    ]);
    // The hold is cleared and the integration active, marked redriving, on condition that nobody
    // changed it meanwhile; the mark alone is taken off at the end.
    expect(changes).toEqual([
      {
        set: {
          status: 'active',
          statusReason: null,
          redriving: { since: '2026-12-02T08:00:00.000Z' },
          updatedAt: '2026-12-02T08:00:00.000Z',
        },
        removed: ['failure', 'parked'],
      },
      // Its updatedAt is this same instant: only the mark changes.
      { set: {}, removed: ['redriving'] },
    ]);
    expect(table.get('integration#int-1')).toMatchObject({ status: 'active', statusReason: null });
    expect(table.get('integration#int-1')).not.toHaveProperty('redriving');
    expect(table.get('integration#int-2')).toEqual(refusedIntegration);
    // The destination named: a message the consumer parked itself carries no source queue SQS knows.
    expect(queues.commandCalls(StartMessageMoveTaskCommand).map((c) => c.args[0].input)).toEqual([
      { SourceArn: dlqArn('updates'), DestinationArn: deployedQueueArn('updates') },
      { SourceArn: dlqArn('changes'), DestinationArn: deployedQueueArn('changes') },
    ]);
  });

  it('an earlier redrive’s task listed first is looked past: the next queue waits for this move', async () => {
    moveTasks({});
    earlierTaskListedFirst = new Set(['updates']);
    const result = await redriveDeployed(outputs, clients(), timing);
    expect(result.moves).toEqual([
      { queue: 'updates', messages: 3, moved: 3 },
      { queue: 'changes', messages: 2, moved: 2 },
    ]);
    expect(order).toEqual([
      'hold new runs',
      'move updates',
      'look updates',
      'pause 2000',
      'look updates',
      'move changes',
      'look changes',
      'let runs start',
    ]);
  });

  it('a move that fails stops the redrive with the reason, the integration still holding its new runs', async () => {
    moveTasks({}, 'updates');
    await expect(redriveDeployed(outputs, clients(), timing)).rejects.toThrow(
      new MoveTaskFailedError('updates', 'FAILED', 'AccessDenied'),
    );
    expect(order).toEqual(['hold new runs', 'move updates', 'look updates']);
    expect(table.get('integration#int-1')).toMatchObject({
      status: 'active',
      redriving: { since: '2026-12-02T08:00:00.000Z' },
    });
  });

  it('a redrive run again takes up the integrations one that stopped left holding their new runs, keeping when that began', async () => {
    const leftHolding: Item = {
      pk: 'integration#int-3',
      type: 'integration',
      id: 'int-3',
      name: 'Gamma',
      status: 'active',
      statusReason: null,
      redriving: { since: '2026-12-02T07:00:00.000Z' },
    };
    // Paused by its user since the redrive stopped: marked still, but not made active.
    const pausedSince: Item = {
      ...leftHolding,
      pk: 'integration#int-4',
      id: 'int-4',
      name: 'Delta',
      status: 'paused',
      statusReason: 'paused by the user',
    };
    startWith([leftHolding, pausedSince, refusedIntegration], { changes: 2 });
    moveTasks({});
    const result = await redriveDeployed(outputs, clients(), timing);
    expect(result.resumed).toEqual([
      { id: 'int-4', name: 'Delta' },
      { id: 'int-3', name: 'Gamma' },
    ]);
    expect(table.get('integration#int-4')).toMatchObject({
      status: 'paused',
      statusReason: 'paused by the user',
    });
    expect(table.get('integration#int-4')).not.toHaveProperty('redriving');
    // Still active and marked since 07:00: only its updatedAt changes before the moves.
    expect(changes[0]).toEqual({ set: { updatedAt: '2026-12-02T08:00:00.000Z' }, removed: [] });
    expect(order).toEqual([
      'update',
      'update',
      'move changes',
      'look changes',
      'let runs start',
      'let runs start',
    ]);
    expect(table.get('integration#int-3')).not.toHaveProperty('redriving');
  });
});
