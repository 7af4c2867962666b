import { ALL_QUEUES } from '../../shared/messages/queues.js';
import { POLL_MS } from './polling.js';
import type { RunnerQueues } from './queues.js';
import type { RunState } from './run-state.js';

/**
 * Idle detection: the run is over when no worker is in the middle of a poll and every queue is
 * empty (in-flight messages count as not visible and delayed ones as delayed, so 0 means nothing is
 * left, nothing is being handled and nothing is waiting for its delay). A run that is not idle
 * after its timeout fails, saying how much was still pending.
 */
export type IdleVerdict =
  | { readonly kind: 'idle' }
  | { readonly kind: 'working' }
  | { readonly kind: 'timed_out'; readonly error: Error };

export interface IdleObservation {
  /** Workers in the middle of a poll when the queues were counted, or after. */
  readonly busy: number;
  /** Messages in every queue; undefined when not counted (a worker was busy). */
  readonly pending: number | undefined;
  /** Whether a worker delivered messages while the queues were counted (the count is stale). */
  readonly deliveredMeanwhile: boolean;
  readonly elapsedMs: number;
  readonly timeoutMs: number;
}

export const idleVerdict = (o: IdleObservation): IdleVerdict => {
  if (o.busy === 0 && o.pending === 0 && !o.deliveredMeanwhile) return { kind: 'idle' };
  if (o.elapsedMs <= o.timeoutMs) return { kind: 'working' };
  const pending = o.pending === undefined ? '' : ` (${o.pending} messages pending)`;
  return {
    kind: 'timed_out',
    error: new Error(`the local pipeline is not idle after ${o.timeoutMs} ms${pending}`),
  };
};

export interface IdleWatch {
  readonly state: RunState;
  readonly queues: Pick<RunnerQueues, 'depth'>;
  readonly timeoutMs: number;
  readonly stopping: () => boolean;
  /** Called while the run waits for delayed or in-flight messages (e.g. to move a fake clock). */
  readonly onWait?: (waitedMs: number) => void | Promise<void>;
  readonly clock?: () => number;
  /** Waits between two looks; default POLL_MS of real time. */
  readonly pause?: () => Promise<void>;
}

const totalDepth = async (queues: Pick<RunnerQueues, 'depth'>): Promise<number> => {
  let pending = 0;
  for (const { key } of ALL_QUEUES) pending += await queues.depth(key);
  return pending;
};

/** Looks every POLL_MS until the run is idle, stopped, failed or timed out, and finishes it. */
export const watchUntilIdle = async (watch: IdleWatch): Promise<void> => {
  const { state } = watch;
  const clock = watch.clock ?? Date.now;
  const pause = watch.pause ?? (() => new Promise<void>((resolve) => setTimeout(resolve, POLL_MS)));
  const started = clock();
  while (!state.finished) {
    await pause();
    if (state.finished) return;
    if (watch.stopping()) return state.finish();
    const deliveredBefore = state.delivered;
    const pending = state.busy > 0 ? undefined : await totalDepth(watch.queues);
    const verdict = idleVerdict({
      busy: state.busy,
      pending,
      deliveredMeanwhile: state.delivered !== deliveredBefore,
      elapsedMs: clock() - started,
      timeoutMs: watch.timeoutMs,
    });
    if (verdict.kind === 'idle') return state.finish();
    if (verdict.kind === 'timed_out') return state.finish(verdict.error);
    if (pending !== undefined) await watch.onWait?.(POLL_MS);
  }
};
