import { describe, expect, it } from '@jest/globals';
import { RunState } from '../../../../local/runner/run-state.js';

describe('RunState', () => {
  it('reports invocations per queue, messages delivered and deliveries failed', () => {
    const state = new RunState();
    state.invoking('changes', 3);
    state.failedDeliveries(1);
    state.invoking('changes', 1);
    state.invoking('contacts', 10);
    expect(state.report()).toEqual({
      invocations: { fetchJobs: 0, changes: 2, updates: 0, contacts: 1 },
      delivered: 14,
      failed: 1,
    });
  });

  it('counts the workers in the middle of a poll', () => {
    const state = new RunState();
    state.beginPoll();
    state.beginPoll();
    state.endPoll();
    expect(state.busy).toBe(1);
  });

  it('throws the first error the run finished with, not a later one', () => {
    const state = new RunState();
    const first = new Error('disk full');
    state.finish(first);
    state.finish(new Error('later'));
    expect(state.finished).toBe(true);
    expect(() => state.report()).toThrow(first);
  });

  it('wakes waiting workers when the run finishes', async () => {
    const state = new RunState();
    const woken = state.wakeUp();
    state.finish();
    await expect(woken).resolves.toBeUndefined();
  });

  it('gives each wake-up its own promise: a settled one does not wake the next wait', async () => {
    const state = new RunState();
    const first = state.wakeUp();
    state.wakeAll();
    await first;
    const second = state.wakeUp();
    expect(second).not.toBe(first);
    let settled = false;
    void second.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    state.wakeAll();
    await second;
    expect(settled).toBe(true);
  });
});
