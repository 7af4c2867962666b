/**
 * Coalescing webhook nudges into fetch jobs. Time is cut into fixed windows of `windowSeconds`;
 * the first signed request of a window claims it and enqueues ONE fetch job. A burst of any size
 * inside one window costs one job; a burst straddling a boundary costs two.
 *
 * The job is delayed to the end of its window and then by the export's lag (Zendesk's incremental
 * exports hold back the most recent minute): a fetch at the window's end would not yet see the
 * updates the window's webhooks announced, and they would wait for the next scheduled run. So an
 * update is read at most one window plus the lag (plus the fetch itself) after its webhook.
 */
export interface CoalescingSlot {
  /** The window's number since the epoch: the claim key. */
  readonly slot: number;
  /** Seconds from now until the window's updates are in the export: the fetch job's delay. */
  readonly delaySeconds: number;
}

/** The longest delay SQS gives a message. */
export const MAX_DELAY_SECONDS = 900;

export const coalescingSlot = (
  now: Date,
  windowSeconds: number,
  exportLagSeconds: number,
): CoalescingSlot => {
  if (!Number.isInteger(exportLagSeconds) || exportLagSeconds < 0) {
    throw new Error('exportLagSeconds: a whole number of seconds, 0 or more');
  }
  const longest = MAX_DELAY_SECONDS - exportLagSeconds;
  if (!Number.isInteger(windowSeconds) || windowSeconds < 1 || windowSeconds > longest) {
    throw new Error(
      `windowSeconds: a whole number of seconds from 1 to ${longest} (with the export's lag of ${exportLagSeconds} s, the SQS delay limit of ${MAX_DELAY_SECONDS} s)`,
    );
  }
  const windowMs = windowSeconds * 1000;
  const slot = Math.floor(now.getTime() / windowMs);
  const delaySeconds = Math.ceil(((slot + 1) * windowMs - now.getTime()) / 1000) + exportLagSeconds;
  return { slot, delaySeconds };
};
