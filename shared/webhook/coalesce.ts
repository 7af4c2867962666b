/**
 * Coalescing webhook nudges into fetch jobs. Time is cut into fixed windows of `windowSeconds`;
 * the first signed request of a window claims it and enqueues ONE fetch job, delayed to the end of
 * that window, so the fetch sees every update the window's requests announced. A burst of any size
 * inside one window costs one job; a burst straddling a boundary costs two; an update is picked up
 * at most one window (plus the fetch itself) after its webhook.
 */
export interface CoalescingSlot {
  /** The window's number since the epoch: the claim key. */
  readonly slot: number;
  /** Seconds from now until the window ends: the fetch job's delay. */
  readonly delaySeconds: number;
}

export const coalescingSlot = (now: Date, windowSeconds: number): CoalescingSlot => {
  if (!Number.isInteger(windowSeconds) || windowSeconds < 1 || windowSeconds > 900) {
    throw new Error('windowSeconds: a whole number of seconds from 1 to 900 (the SQS delay limit)');
  }
  const windowMs = windowSeconds * 1000;
  const slot = Math.floor(now.getTime() / windowMs);
  const delaySeconds = Math.ceil(((slot + 1) * windowMs - now.getTime()) / 1000);
  return { slot, delaySeconds };
};
