import { describe, expect, it } from '@jest/globals';
import type { SQSEvent } from 'aws-lambda';
import type { QueueKey } from '../../../../shared/messages/queues.js';
import type { ProgressEvent } from '../../../../shared/pipeline/progress.js';
import type { PipelineHandlers, QueueHandler } from '../../../../local/runner/invoking.js';
import {
  hasRoomDownstream,
  MAX_AHEAD,
  pollOnce,
  pollUntilFinished,
  type PollOptions,
} from '../../../../local/runner/polling.js';
import { RunState } from '../../../../local/runner/run-state.js';
import { MemoryQueues } from './memory-queues.js';

const none: QueueHandler = async () => undefined;
const handlersWith = (queue: QueueKey, handler: QueueHandler): PipelineHandlers => ({
  fetchJobs: none,
  changes: none,
  updates: none,
  contacts: none,
  [queue]: handler,
});

const pollerOf = (queues: MemoryQueues, handlers: PipelineHandlers, options: Partial<PollOptions> = {}) => ({
  queues,
  handlers,
  state: new RunState(),
  options: { batchSize: 10, ...options },
});

describe('hasRoomDownstream: the look-ahead of 8 messages', () => {
  const rows: [rule: string, queue: QueueKey, downstream: QueueKey | null, depth: number, room: boolean][] = [
    ['fetch runs while changes holds fewer than 8', 'fetchJobs', 'changes', MAX_AHEAD - 1, true],
    ['fetch pauses while changes holds 8', 'fetchJobs', 'changes', MAX_AHEAD, false],
    ['the channel mapper pauses while updates holds 8', 'changes', 'updates', MAX_AHEAD, false],
    ['the view classifier pauses while contacts holds more than 8', 'updates', 'contacts', 20, false],
    ['the aggregator feeds no queue: it always runs', 'contacts', null, 0, true],
  ];
  it.each(rows)('%s', async (_rule, queue, downstream, depth, room) => {
    const queues = new MemoryQueues();
    if (downstream) queues.send(downstream, ...Array.from({ length: depth }, (_, i) => `d${i}`));
    expect(await hasRoomDownstream(queues, queue)).toBe(room);
  });
});

describe('pollOnce: one receive, one invocation, settled', () => {
  it('finds no work in an empty queue and invokes nothing', async () => {
    const queues = new MemoryQueues();
    const invoked: SQSEvent[] = [];
    const poller = pollerOf(
      queues,
      handlersWith('changes', async (e) => void invoked.push(e)),
    );
    expect(await pollOnce(poller, 'changes')).toBe(false);
    expect(invoked).toEqual([]);
    expect(poller.state.report()).toEqual({
      invocations: { fetchJobs: 0, changes: 0, updates: 0, contacts: 0 },
      delivered: 0,
      failed: 0,
    });
  });

  it('deletes what succeeded and backs off what failed by its receive count', async () => {
    const queues = new MemoryQueues();
    queues.send('updates', 'a', 'b', 'c');
    const poller = pollerOf(
      queues,
      handlersWith('updates', async () => ({ batchItemFailures: [{ itemIdentifier: 'updates-b' }] })),
    );
    expect(await pollOnce(poller, 'updates')).toBe(true);
    expect(queues.bodies('updates')).toEqual(['b']);
    expect(queues.retries).toEqual([
      { queue: 'updates', retry: { receiptHandle: 'h2', visibilitySeconds: 2 } },
    ]);
    // The second failure of the same message waits longer.
    expect(await pollOnce(poller, 'updates')).toBe(true);
    expect(queues.retries[1]).toEqual({
      queue: 'updates',
      retry: { receiptHandle: 'h4', visibilitySeconds: 6 },
    });
    expect(poller.state.report()).toEqual({
      invocations: { fetchJobs: 0, changes: 0, updates: 2, contacts: 0 },
      delivered: 4,
      failed: 2,
    });
  });

  it('tells the run what each invocation processed and how much of it failed', async () => {
    const queues = new MemoryQueues();
    queues.send('updates', 'a', 'b', 'c');
    const events: ProgressEvent[] = [];
    const poller = pollerOf(
      queues,
      handlersWith('updates', async () => ({ batchItemFailures: [{ itemIdentifier: 'updates-c' }] })),
      { onProgress: (e) => void events.push(e) },
    );
    await pollOnce(poller, 'updates');
    await pollOnce(poller, 'contacts'); // nothing there: nothing said
    expect(events).toEqual([{ kind: 'messages_processed', queue: 'updates', messages: 3, failed: 1 }]);
  });

  it('says when an invocation ran past its timeout, and retries its messages as Lambda would', async () => {
    const queues = new MemoryQueues();
    queues.send('updates', 'a', 'b');
    const events: ProgressEvent[] = [];
    let now = 0;
    const poller = {
      ...pollerOf(
        queues,
        handlersWith('updates', async () => {
          now += 75_400;
        }),
        { onProgress: (e) => void events.push(e) },
      ),
      now: () => now,
    };
    await pollOnce(poller, 'updates');
    expect(events).toEqual([
      { kind: 'invocation_timed_out', queue: 'updates', messages: 2, tookSeconds: 76, timeoutSeconds: 60 },
      { kind: 'messages_processed', queue: 'updates', messages: 2, failed: 2 },
    ]);
    expect(queues.bodies('updates')).toEqual(['a', 'b']);
  });

  it('takes at most the batch size per invocation', async () => {
    const queues = new MemoryQueues();
    queues.send('contacts', 'a', 'b', 'c');
    const sizes: number[] = [];
    const poller = pollerOf(
      queues,
      handlersWith('contacts', async (e) => void sizes.push(e.Records.length)),
      { batchSize: 2 },
    );
    await pollOnce(poller, 'contacts');
    await pollOnce(poller, 'contacts');
    expect(sizes).toEqual([2, 1]);
  });

  it('hands back the rest of a round at once when the run finishes in the middle of it', async () => {
    const queues = new MemoryQueues();
    queues.send('contacts', 'a', 'b', 'c');
    const handled: string[] = [];
    const poller = pollerOf(
      queues,
      handlersWith('contacts', async (e) => {
        handled.push(...e.Records.map((r) => r.body));
        poller.state.finish();
      }),
      { batchSize: 1 },
    );
    expect(await pollOnce(poller, 'contacts')).toBe(true);
    expect(handled).toEqual(['a']);
    expect(queues.bodies('contacts')).toEqual(['b', 'c']);
    expect(queues.retries).toEqual([
      { queue: 'contacts', retry: { receiptHandle: 'h2', visibilitySeconds: 0 } },
      { queue: 'contacts', retry: { receiptHandle: 'h3', visibilitySeconds: 0 } },
    ]);
  });

  it('receives nothing while the next queue is full, so the message stays queued', async () => {
    const queues = new MemoryQueues();
    queues.send('fetchJobs', 'job');
    queues.send('changes', ...Array.from({ length: MAX_AHEAD }, (_, i) => `page${i}`));
    const poller = pollerOf(queues, handlersWith('fetchJobs', none));
    expect(await pollOnce(poller, 'fetchJobs')).toBe(false);
    expect(queues.received).toEqual([]);
    expect(queues.bodies('fetchJobs')).toEqual(['job']);
  });

  it('shows every delivered record to onDelivery before the handler runs', async () => {
    const queues = new MemoryQueues();
    queues.send('changes', 'p1', 'p2');
    const order: string[] = [];
    const poller = pollerOf(
      queues,
      handlersWith('changes', async () => void order.push('handler')),
      { onDelivery: (queue, r) => void order.push(`${queue}:${r.body}`) },
    );
    await pollOnce(poller, 'changes');
    expect(order).toEqual(['changes:p1', 'changes:p2', 'handler']);
  });
});

describe('pollUntilFinished: the worker of one queue', () => {
  it('stops the run with the error of a failed health check, before receiving anything', async () => {
    const queues = new MemoryQueues();
    queues.send('contacts', 'fact');
    const full = new Error('disk full');
    const poller = pollerOf(queues, handlersWith('contacts', none), {
      checkHealth: () => {
        throw full;
      },
    });
    await pollUntilFinished(poller, 'contacts', () => false);
    expect(poller.state.finished).toBe(true);
    expect(() => poller.state.report()).toThrow(full);
    expect(queues.received).toEqual([]);
  });

  it('works through its queue, then returns once the run is finished', async () => {
    const queues = new MemoryQueues();
    queues.send('contacts', 'a', 'b', 'c');
    const handled: string[] = [];
    const poller = pollerOf(
      queues,
      handlersWith('contacts', async (e) => {
        handled.push(...e.Records.map((r) => r.body));
        if (handled.length === 3) poller.state.finish();
      }),
      { batchSize: 1 },
    );
    await pollUntilFinished(poller, 'contacts', () => false);
    expect(handled).toEqual(['a', 'b', 'c']);
    expect(poller.state.busy).toBe(0);
  });

  it('receives nothing once the run is stopping', async () => {
    const queues = new MemoryQueues();
    queues.send('contacts', 'a');
    const poller = pollerOf(queues, handlersWith('contacts', none));
    await pollUntilFinished(poller, 'contacts', () => true);
    expect(queues.received).toEqual([]);
    expect(queues.bodies('contacts')).toEqual(['a']);
  });
});
