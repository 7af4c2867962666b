import { randomUUID } from 'node:crypto';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { decodeBody } from '../shared/messages/body.js';
import {
  ALL_QUEUES,
  QUEUES,
  type QueueDefinition,
  type QueueKey,
  type QueueUrls,
} from '../shared/messages/queues.js';
import { clearParkedHolds, isHeldIn, parkedReason } from '../shared/pipeline/parked-work.js';
import type { IntegrationsRepository } from '../shared/store/integrations-repository.js';
import type { JournaledMessage } from './queue-journal.js';

/**
 * Dead-letter queues on one machine: finding parked work the consumers did not record (a message
 * SQS's redrive policy moved after its handler crashed), and putting parked work back (redrive).
 */
export interface DeadLetterStack {
  readonly sqs: SQSClient;
  readonly queueUrls: QueueUrls;
  readonly dlqUrls: QueueUrls;
}

export type IntegrationStore = Pick<IntegrationsRepository, 'get' | 'list' | 'modify'>;

const integrationIdOf = (m: Message): string | undefined => {
  if (m.Attributes?.MessageGroupId && m.Attributes.MessageGroupId !== 'dead-letters')
    return m.Attributes.MessageGroupId;
  try {
    const parsed = JSON.parse(decodeBody(m.Body ?? '')) as { integrationId?: unknown };
    return typeof parsed.integrationId === 'string' ? parsed.integrationId : undefined;
  } catch {
    return undefined;
  }
};

/** Reads every message of a queue without consuming it (each is made visible again at once). */
const peekAll = async (sqs: SQSClient, url: string): Promise<Message[]> => {
  const seen: Message[] = [];
  const handles: string[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 30,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
        WaitTimeSeconds: 0,
      }),
    );
    if (Messages.length === 0) break;
    seen.push(...Messages);
    handles.push(...Messages.map((m) => m.ReceiptHandle ?? ''));
  }
  await makeVisible(sqs, url, handles);
  return seen;
};

const makeVisible = async (sqs: SQSClient, url: string, handles: readonly string[]): Promise<void> => {
  for (let i = 0; i < handles.length; i += 10) {
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: url,
        Entries: handles
          .slice(i, i + 10)
          .map((h, n) => ({ Id: String(n), ReceiptHandle: h, VisibilityTimeout: 0 })),
      }),
    );
  }
};

/** Parked messages per integration and queue. */
export type ParkedCounts = Map<string, Partial<Record<QueueKey, number>>>;

/**
 * Counts what the dead-letter queues hold, and marks failing every integration with parked work
 * that is not recorded on it yet, so no parked message is ever silent.
 */
export const sweepDeadLetters = async (
  stack: DeadLetterStack,
  integrations: IntegrationStore,
  now: () => Date,
): Promise<ParkedCounts> => {
  const counts: ParkedCounts = new Map();
  for (const def of ALL_QUEUES) {
    for (const m of await peekAll(stack.sqs, stack.dlqUrls[def.key])) {
      const id = integrationIdOf(m);
      if (id === undefined) continue;
      const perQueue = counts.get(id) ?? {};
      perQueue[def.key] = (perQueue[def.key] ?? 0) + 1;
      counts.set(id, perQueue);
    }
  }
  for (const [id, perQueue] of counts) {
    await integrations.modify(id, (integration) => {
      const missing = (Object.keys(perQueue) as QueueKey[]).filter((q) => !isHeldIn(integration, q));
      if (missing.length === 0) return undefined;
      const parked = [
        ...(integration.parked ?? []),
        ...missing.map((queue) => ({
          queue,
          reason: `${perQueue[queue]} piece(s) of work failed every attempt`,
          concerns: `${QUEUES[queue].localName} messages`,
          since: now().toISOString(),
        })),
      ];
      return {
        ...integration,
        status: 'failing',
        statusReason: parkedReason(parked),
        failure: integration.failure ?? { kind: 'work_failed', since: now().toISOString() },
        parked,
        updatedAt: now().toISOString(),
      };
    });
  }
  return counts;
};

/**
 * The pending messages of a queue journal without the dead-letter copies a redrive that died left
 * behind. A redrive sends each parked message back to its queue before it deletes it from the
 * dead-letter queue (deleting first could lose it), so a death between the two leaves both: the
 * one in its queue is the work, and the dead-letter copy, put back, would be taken for new failed
 * work and mark the integration failing after the work was done. Such a copy is a message of a
 * dead-letter queue whose body a message of its own queue has: the same work, still to be done.
 */
export const withoutRedriveLeftovers = (
  pending: readonly JournaledMessage[],
  queues: readonly QueueDefinition[] = ALL_QUEUES,
): JournaledMessage[] => {
  const sourceOf = new Map(queues.map((q) => [q.dlqLocalName, q.localName]));
  const parked = pending.filter((m) => sourceOf.has(m.queue));
  // Nearly always none: a start holding a large backlog keys no body of it.
  if (parked.length === 0) return [...pending];
  const sources = new Set(parked.map((m) => sourceOf.get(m.queue)));
  const queued = new Set(
    pending.filter((m) => sources.has(m.queue)).map((m) => JSON.stringify([m.queue, m.body])),
  );
  return pending.filter((m) => {
    const source = sourceOf.get(m.queue);
    return source === undefined || !queued.has(JSON.stringify([source, m.body]));
  });
};

/**
 * Puts parked work back where it failed, in the order it was parked, and clears what held the
 * integrations: they are active again and their queues take their messages in order. Pass
 * `integrationId` to redrive one integration only. Returns the messages moved per queue.
 */
export const redriveDeadLetters = async (
  stack: DeadLetterStack,
  integrations: IntegrationStore,
  now: () => Date,
  integrationId?: string,
): Promise<Record<QueueKey, number>> => {
  const moved: Record<QueueKey, number> = { fetchJobs: 0, changes: 0, updates: 0, contacts: 0 };

  // Holds are cleared first: nothing else runs during a local redrive, so no later message can
  // overtake the parked ones, and a moved message must not find its integration still held.
  await clearParkedHolds(integrations, now, integrationId);
  for (const def of ALL_QUEUES) {
    const dlq = stack.dlqUrls[def.key];
    const others: string[] = [];
    for (;;) {
      const { Messages = [] } = await stack.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: dlq,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 300,
          MessageSystemAttributeNames: ['All'],
          WaitTimeSeconds: 0,
        }),
      );
      if (Messages.length === 0) break;
      const done: string[] = [];
      for (const m of Messages) {
        const id = integrationIdOf(m);
        if (integrationId !== undefined && id !== integrationId) {
          others.push(m.ReceiptHandle ?? '');
          continue;
        }
        await stack.sqs.send(
          new SendMessageCommand({
            QueueUrl: stack.queueUrls[def.key],
            MessageBody: m.Body ?? '',
            ...(def.fifo
              ? {
                  MessageGroupId: id ?? m.Attributes?.MessageGroupId ?? 'redriven',
                  // A fresh id: the original is still in the queue's deduplication window.
                  MessageDeduplicationId: `redrive-${randomUUID()}`,
                }
              : {}),
          }),
        );
        done.push(m.ReceiptHandle ?? '');
        moved[def.key] += 1;
      }
      if (done.length > 0)
        await stack.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: dlq,
            Entries: done.map((h, i) => ({ Id: String(i), ReceiptHandle: h })),
          }),
        );
    }
    await makeVisible(stack.sqs, dlq, others);
  }
  return moved;
};

/** What a local redrive needs besides the queues: resuming an integration reads on from its cursors. */
export interface RedriveRun<R> {
  readonly integrations: IntegrationStore;
  readonly now: () => Date;
  resume(integrationId: string): Promise<unknown>;
  drain(): Promise<R>;
}

/**
 * The local redrive: parked work back in its queues, its integrations active again and reading on
 * from their cursors (a parked page had stopped the chain of streams after it), then the pipeline
 * run until idle.
 */
export const redriveAndRun = async <R>(
  stack: DeadLetterStack,
  run: RedriveRun<R>,
  integrationId?: string,
): Promise<{ moved: Record<QueueKey, number>; report: R }> => {
  const moved = await redriveDeadLetters(stack, run.integrations, run.now, integrationId);
  const active = (await run.integrations.list()).filter(
    (i) => i.status === 'active' && (integrationId === undefined || i.id === integrationId),
  );
  for (const i of active) await run.resume(i.id);
  return { moved, report: await run.drain() };
};
