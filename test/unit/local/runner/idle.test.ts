import { describe, expect, it } from '@jest/globals';
import { idleVerdict, watchUntilIdle, type IdleObservation } from '../../../../local/runner/idle.js';
import { RunState } from '../../../../local/runner/run-state.js';
import { MemoryQueues } from './memory-queues.js';

const seen = (o: Partial<IdleObservation>): IdleObservation => ({
  busy: 0,
  pending: 0,
  deliveredMeanwhile: false,
  elapsedMs: 1_000,
  timeoutMs: 120_000,
  ...o,
});

describe('idleVerdict', () => {
  const rows: [rule: string, observation: IdleObservation, verdict: string][] = [
    ['no worker busy and every queue empty: idle', seen({}), 'idle'],
    ['a worker in the middle of a poll: working', seen({ busy: 1, pending: undefined }), 'working'],
    ['a message queued, in flight or delayed: working', seen({ pending: 1 }), 'working'],
    [
      'a worker delivered while the queues were counted (the count is stale): working',
      seen({ deliveredMeanwhile: true }),
      'working',
    ],
    ['busy at exactly the timeout: still working', seen({ busy: 1, elapsedMs: 120_000 }), 'working'],
    [
      "no deadline (the runner's default): busy after a day is still working",
      seen({ busy: 1, pending: undefined, elapsedMs: 86_400_000, timeoutMs: Number.POSITIVE_INFINITY }),
      'working',
    ],
    [
      'busy past the timeout: timed out',
      seen({ busy: 1, pending: undefined, elapsedMs: 120_001 }),
      'timed_out: the local pipeline is not idle after 120000 ms',
    ],
    [
      'messages pending past the timeout: timed out, saying how many',
      seen({ pending: 3, elapsedMs: 120_001 }),
      'timed_out: the local pipeline is not idle after 120000 ms (3 messages pending)',
    ],
    ['idle past the timeout: idle', seen({ elapsedMs: 500_000 }), 'idle'],
  ];
  it.each(rows)('%s', (_rule, observation, verdict) => {
    const v = idleVerdict(observation);
    expect(v.kind === 'timed_out' ? `timed_out: ${v.error.message}` : v.kind).toBe(verdict);
  });
});

describe('watchUntilIdle', () => {
  const fakeTime = () => {
    let now = 0;
    return { clock: () => now, pause: async () => void (now += 25) };
  };

  it('finishes the run at the first look that finds every queue empty and no worker busy', async () => {
    const queues = new MemoryQueues();
    queues.send('contacts', 'fact');
    const state = new RunState();
    const waits: number[] = [];
    const time = fakeTime();
    await watchUntilIdle({
      state,
      queues,
      timeoutMs: 1_000,
      stopping: () => false,
      onWait: async (ms) => {
        waits.push(ms);
        // The second wait sees the aggregator handle the fact.
        if (waits.length === 2) {
          const handles = (await queues.receive('contacts', 10)).map((r) => r.receiptHandle);
          await queues.delete('contacts', handles);
        }
      },
      ...time,
    });
    expect(state.finished).toBe(true);
    expect(state.report().delivered).toBe(0);
    expect(waits).toEqual([25, 25]);
    expect(time.clock()).toBe(75);
  });

  it('never finishes while a worker is busy, and times out on the run clock', async () => {
    const state = new RunState();
    state.beginPoll();
    const time = fakeTime();
    await watchUntilIdle({
      state,
      queues: new MemoryQueues(),
      timeoutMs: 100,
      stopping: () => false,
      ...time,
    });
    expect(time.clock()).toBe(125);
    expect(() => state.report()).toThrow('the local pipeline is not idle after 100 ms');
  });

  it('finishes the run without error when it is stopped, whatever is queued', async () => {
    const queues = new MemoryQueues();
    queues.send('fetchJobs', 'job');
    const state = new RunState();
    await watchUntilIdle({ state, queues, timeoutMs: 1_000, stopping: () => true, ...fakeTime() });
    expect(state.finished).toBe(true);
    expect(state.report().delivered).toBe(0);
    expect(queues.bodies('fetchJobs')).toEqual(['job']);
  });

  it('returns at once when a worker finished the run', async () => {
    const state = new RunState();
    const time = fakeTime();
    const watching = watchUntilIdle({
      state,
      queues: new MemoryQueues(),
      timeoutMs: 1_000,
      stopping: () => false,
      clock: time.clock,
      pause: async () => state.finish(new Error('denied')),
    });
    await watching;
    expect(() => state.report()).toThrow('denied');
  });
});
