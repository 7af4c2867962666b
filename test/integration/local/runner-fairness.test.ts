import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { SQSEvent } from 'aws-lambda';
import { clientConfig } from '../../../shared/aws.js';
import { createQueues } from '../../../local/provision.js';
import { runPipelineUntilIdle, type PipelineHandlers } from '../../../local/runner.js';
import { startSqsEmulator, type SqsEmulator } from '../../../local/sqs-emulator.js';
import { ALL_QUEUES, type QueueUrls } from '../../../shared/messages/queues.js';

/**
 * Fairness of the local runner: integrations (FIFO message groups) take turns, so a large
 * integration's backlog never holds back a small integration's new work.
 */
describe('the local runner serves integrations in turn', () => {
  let emulator: SqsEmulator | undefined;
  let sqs: SQSClient | undefined;
  afterEach(async () => {
    sqs?.destroy();
    await emulator?.stop();
  });

  const start = async (): Promise<{ sqs: SQSClient; queueUrls: QueueUrls }> => {
    emulator = await startSqsEmulator();
    sqs = new SQSClient(clientConfig(emulator.endpoint));
    return { sqs, queueUrls: await createQueues(sqs, ALL_QUEUES) };
  };

  /** Sends `count` messages `<group>-<n>` to the updates queue, in order, in the group. */
  const send = async (stack: { sqs: SQSClient; queueUrls: QueueUrls }, group: string, count: number) => {
    for (let first = 1; first <= count; first += 10) {
      const ns = Array.from({ length: Math.min(10, count - first + 1) }, (_, i) => first + i);
      await stack.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: stack.queueUrls.updates,
          Entries: ns.map((n) => ({
            Id: String(n),
            MessageBody: `${group}-${n}`,
            MessageGroupId: group,
            MessageDeduplicationId: `${group}-${n}`,
          })),
        }),
      );
    }
  };

  const recording = (handled: string[]): PipelineHandlers => {
    const none = () => Promise.resolve();
    return {
      fetchJobs: none,
      changes: none,
      contacts: none,
      updates: async (event: SQSEvent) => void handled.push(...event.Records.map((r) => r.body)),
    };
  };

  it('processes a small integration’s message in the first round, while the large one’s backlog remains', async () => {
    const stack = await start();
    await send(stack, 'large', 30);
    await send(stack, 'small', 1);
    const handled: string[] = [];
    await runPipelineUntilIdle(stack, recording(handled), { batchSize: 10 });
    expect(handled.slice(0, 2)).toEqual(['large-1', 'small-1']);
    // Each group in its own order, the large one's 29 others after the small one's.
    expect(handled.filter((b) => b.startsWith('large'))).toEqual(
      Array.from({ length: 30 }, (_, i) => `large-${i + 1}`),
    );
    expect(handled.length).toBe(31);
  });

  it('gives every group a turn, also beyond the ten groups one receive holds', async () => {
    const stack = await start();
    const large = Array.from({ length: 11 }, (_, i) => `large${String(i + 1).padStart(2, '0')}`);
    for (const group of large) await send(stack, group, 3);
    await send(stack, 'small', 1);
    const handled: string[] = [];
    await runPipelineUntilIdle(stack, recording(handled), { batchSize: 10 });
    // The first round: one message of each of the twelve groups, the small one's among them.
    expect(handled.slice(0, 12).sort()).toEqual([...large.map((g) => `${g}-1`), 'small-1'].sort());
    expect(handled.length).toBe(34);
  });
});
