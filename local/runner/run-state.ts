import type { QueueKey } from '../../shared/messages/queues.js';

/**
 * What one local run knows while it goes, in one place instead of a closure's variables: the
 * counts it reports, how many workers are in the middle of a poll, whether it has finished and with
 * what error, and the wake-up that lets an idle worker poll at once after another one's work.
 */
export interface RunReport {
  readonly invocations: Record<QueueKey, number>;
  readonly delivered: number;
  readonly failed: number;
}

export class RunState {
  private readonly invocations: Record<QueueKey, number> = {
    fetchJobs: 0,
    changes: 0,
    updates: 0,
    contacts: 0,
  };
  private deliveredCount = 0;
  private failedCount = 0;
  private busyWorkers = 0;
  private done = false;
  private failure: { readonly error: unknown } | undefined;
  private wake: () => void = () => undefined;
  private woken: Promise<void> = this.nextWake();

  /** Messages handed to handlers so far (a redelivery counts again). */
  get delivered(): number {
    return this.deliveredCount;
  }

  /** Workers between the start and the end of a poll. */
  get busy(): number {
    return this.busyWorkers;
  }

  get finished(): boolean {
    return this.done;
  }

  /** A worker starts a poll (health check, look-ahead, receive, invoke, settle). */
  beginPoll(): void {
    this.busyWorkers += 1;
  }

  endPoll(): void {
    this.busyWorkers -= 1;
  }

  /** An invocation of `queue`'s handler with `messages` messages is about to start. */
  invoking(queue: QueueKey, messages: number): void {
    this.invocations[queue] += 1;
    this.deliveredCount += messages;
  }

  /** Of an invocation's messages, `messages` failed (reported, or the whole batch on a throw). */
  failedDeliveries(messages: number): void {
    this.failedCount += messages;
  }

  /** Ends the run; the first error given is the one the run throws. */
  finish(error?: unknown): void {
    if (error !== undefined) this.failure ??= { error };
    this.done = true;
    this.wakeAll();
  }

  /** Wakes every waiting worker (work was done, or the run is stopping). */
  wakeAll(): void {
    this.wake();
    this.woken = this.nextWake();
  }

  /** Settles at the next wake-up. */
  wakeUp(): Promise<void> {
    return this.woken;
  }

  /** What the run did; throws the error it finished with instead, if any. */
  report(): RunReport {
    if (this.failure) throw this.failure.error;
    return { invocations: { ...this.invocations }, delivered: this.deliveredCount, failed: this.failedCount };
  }

  private nextWake(): Promise<void> {
    return new Promise<void>((resolve) => (this.wake = resolve));
  }
}
