import type { QueueKey } from '../messages/queues.js';
import type { Stream } from '../messages/streams.js';

/**
 * What the pipeline tells a person watching an import (the CLI's progress bar) as it goes: typed
 * values from the step that knows them, so nothing is parsed back from message bodies or log
 * fields. The fetch step says what each page it hands on holds and how far in time it reaches;
 * the local runner says what each invocation processed. On AWS nobody listens: the functions'
 * logs tell operators the same.
 */
export type ProgressEvent = PageFetched | FetchRateLimited | MessagesProcessed | InvocationTimedOut;

/** A page of a stream handed on to the channel mapper. */
export interface PageFetched {
  readonly kind: 'page_fetched';
  readonly integrationId: string;
  readonly stream: Stream;
  readonly records: number;
  /**
   * Of the records, ticket events from before the import window: read only to build ticket state
   * (the warm-up), never counted. 0 for the other streams.
   */
  readonly beforeWindow: number;
  /**
   * How far in time the stream has been read: the last record's time (a ticket event's, a call's
   * last update, the order of the Talk export). Absent for users and views, which are not read by
   * time, and for an empty page.
   */
  readonly reachedAt?: Date;
}

/** Zendesk answered 429 to the fetch step: its job waits `delaySeconds` before it reads on. */
export interface FetchRateLimited {
  readonly kind: 'rate_limited';
  readonly integrationId: string;
  readonly stream: Stream;
  readonly delaySeconds: number;
}

/** One invocation of a stage's handler: how many messages it took, and how many of them failed. */
export interface MessagesProcessed {
  readonly kind: 'messages_processed';
  readonly queue: QueueKey;
  readonly messages: number;
  readonly failed: number;
}

/**
 * An invocation ran past its function's timeout (local mode): Lambda would have stopped it, so its
 * messages are retried, as they would be once deployed.
 */
export interface InvocationTimedOut {
  readonly kind: 'invocation_timed_out';
  readonly queue: QueueKey;
  readonly messages: number;
  readonly tookSeconds: number;
  readonly timeoutSeconds: number;
}

/** What each stage does, for a person: where an import stopped, what overran. */
export const STAGE: Readonly<Record<QueueKey, string>> = {
  fetchJobs: 'reading from Zendesk',
  changes: 'mapping channels',
  updates: 'placing updates in views',
  contacts: 'counting contacts',
};

/** What a person is told of an invocation that ran past its timeout. */
export const invocationTimedOutWarning = (event: InvocationTimedOut): string =>
  `an invocation ${STAGE[event.queue]} ran ${event.tookSeconds} s on ${event.messages} messages, ` +
  `past its function's ${event.timeoutSeconds} s timeout: Lambda would stop it there, so they are retried`;

export type ProgressListener = (event: ProgressEvent) => void;

/** Where progress goes when nobody watches (every deployed function). */
export const ignoreProgress: ProgressListener = () => undefined;
