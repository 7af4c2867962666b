/**
 * The time the current invocation has left, carried with its asynchronous work: Lambda stops an
 * invocation at its timeout whatever it is doing, and a stopped invocation fails its whole batch,
 * written or not, and keeps nothing a use case meant to keep on failure (the audits a page read).
 * So a Zendesk request must neither start nor go on waiting past what is left. The consumer wiring
 * sets it per invocation (`withTimeLeft`); outside one (the CLI, tests) there is no limit.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const invocation = new AsyncLocalStorage<() => number>();

/** What a use case needs after its last Zendesk request: its writes, its messages, keeping what it learned. */
export const AFTER_LAST_REQUEST_MS = 10_000;

/** Runs `work` as one invocation with `remainingMs` left (a Lambda context's `getRemainingTimeInMillis`). */
export const withTimeLeft = <T>(remainingMs: () => number, work: () => Promise<T>): Promise<T> =>
  invocation.run(remainingMs, work);

/** Milliseconds the current invocation has left; unlimited outside one. */
export const timeLeftMs = (): number => invocation.getStore()?.() ?? Number.POSITIVE_INFINITY;

/** Milliseconds a Zendesk request of the current invocation may take, its use case's own time set aside. */
export const requestTimeLeftMs = (): number => timeLeftMs() - AFTER_LAST_REQUEST_MS;
