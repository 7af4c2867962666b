import { QUEUES, type QueueKey } from '../messages/queues.js';
import type { DeliveryHistory } from '../store/deliveries-repository.js';
import type { WaitCause } from '../zendesk/rate-limit.js';

/**
 * When a consumer parks a message (SPEC §8: work that cannot be done is parked, never dropped).
 *
 * SQS counts every receive of a message, and a 429 is not a failure: Zendesk said when to ask
 * again (issue 16, "429 anywhere is a wait, never a refusal"). So the consumer keeps its own count:
 * a message's failed deliveries are its receives less those in which it waited — refused by
 * Zendesk's rate limit, or handed back unread behind an earlier message of its FIFO group that
 * failed or waited (recorded in the deliveries table). A message is parked when its failed
 * deliveries reach the queue's `maxFailedDeliveries`, or when it has waited for Zendesk longer than
 * MAX_RATE_LIMIT_WAIT_SECONDS in all, or on the last receive SQS's redrive policy allows. Nothing is
 * ever re-enqueued: the message keeps its place in its FIFO group.
 */

/**
 * One hour of waiting on one message: Zendesk's limits are per minute, so a 429 that lasts this long
 * is another client using up the account's budget, which a person has to look at.
 */
export const MAX_RATE_LIMIT_WAIT_SECONDS = 3600;

export type ParkVerdict = { readonly park: false } | { readonly park: true; readonly reason: string };

const KEEP: ParkVerdict = { park: false };

/** Deliveries that failed among the first `receives` receives of a message. */
export const failedDeliveries = (receives: number, history: DeliveryHistory): number =>
  receives - history.waitedReceives;

/**
 * Whether the history is worth reading before judging a receive: with fewer receives than the
 * limit, no count of waits can make the failures reach it.
 */
export const mayHaveFailedOut = (queue: QueueKey, receives: number): boolean =>
  Number.isFinite(receives) && receives >= QUEUES[queue].maxFailedDeliveries;

const isLastReceive = (queue: QueueKey, receiveCount: number): boolean =>
  receiveCount >= QUEUES[queue].maxReceiveCount;

/**
 * Before the work: earlier receives that neither waited nor were parked ended without an answer
 * (the function timed out or stopped), and count as failures too.
 */
export const verdictBeforeWork = (
  queue: QueueKey,
  receiveCount: number,
  history: DeliveryHistory,
): ParkVerdict => {
  if (!Number.isFinite(receiveCount)) return KEEP;
  const failed = failedDeliveries(receiveCount - 1, history);
  return failed >= QUEUES[queue].maxFailedDeliveries
    ? {
        park: true,
        reason: `${failed} deliveries ended without an answer (the function timed out or stopped)`,
      }
    : KEEP;
};

/** After the work failed (not a 429): `history` as known before this receive. */
export const verdictAfterFailure = (
  queue: QueueKey,
  receiveCount: number,
  history: DeliveryHistory,
  reason: string,
): ParkVerdict => {
  if (!Number.isFinite(receiveCount)) return KEEP;
  return failedDeliveries(receiveCount, history) >= QUEUES[queue].maxFailedDeliveries ||
    isLastReceive(queue, receiveCount)
    ? { park: true, reason }
    : KEEP;
};

/**
 * After Zendesk refused the work with a 429: `history` includes this receive. The message waits as
 * Retry-After says, unless the wait would pass the bound (or this is SQS's last receive): then it is
 * parked, saying it is Zendesk's rate limit and from when Zendesk allows requests again.
 */
export const verdictAfterRateLimit = (
  queue: QueueKey,
  receiveCount: number,
  history: DeliveryHistory,
  refusal: { readonly retryAfterSeconds: number; readonly message: string; readonly waitCause?: WaitCause },
  now: Date,
  maxWaitSeconds: number = MAX_RATE_LIMIT_WAIT_SECONDS,
): ParkVerdict => {
  const since = history.firstRateLimitedAt ?? now.toISOString();
  const waitedSeconds = Math.max(0, (now.getTime() - Date.parse(since)) / 1000);
  const overBound = waitedSeconds + refusal.retryAfterSeconds > maxWaitSeconds;
  if (!overBound && !(Number.isFinite(receiveCount) && isLastReceive(queue, receiveCount))) return KEEP;
  const retryAt = new Date(now.getTime() + refusal.retryAfterSeconds * 1000).toISOString();
  return {
    park: true,
    reason:
      `${refusal.waitCause === 'maintenance' ? "Zendesk's maintenance" : "Zendesk's rate limit"}: ${refusal.message}; refused since ${since} ` +
      `(${Math.round(waitedSeconds / 60)} min, the wait is bounded at ${Math.round(maxWaitSeconds / 60)} min), ` +
      `Zendesk allows requests again from ${retryAt}: retry after then`,
  };
};
