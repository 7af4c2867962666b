import { z } from 'zod';

/**
 * How current an integration's history is, as one import run leaves it: how far it is complete
 * (the ticket events export's position, `shared/pipeline/freshness.ts`; null before the events
 * were read) and the run that read every stream to its end. Sent by the fetch step at the end of a
 * run down the integration's FIFO group behind the run's pages, so the aggregator, which stores it
 * (the queue-history table's freshness item), gets it after every contact the run counted.
 */
/**
 * Zendesk refuses an integration's Talk export (an account without Talk, a role that may not read
 * its calls): since when, and what it said. The integration keeps it while it lasts.
 */
export const TalkUnavailableSchema = z.object({ reason: z.string().min(1), since: z.iso.datetime() });
export type TalkUnavailable = z.infer<typeof TalkUnavailableSchema>;

export const HistoryFreshnessSchema = z.object({
  completeUpTo: z.iso.datetime().nullable(),
  lastCompletedRun: z.object({ runId: z.string().min(1), at: z.iso.datetime() }),
  /**
   * The run completed without reading calls: Zendesk refuses its Talk export. The Talk queues are
   * then complete only up to an earlier run, whatever `completeUpTo` says of the Support queues.
   * Absent when the run read the calls.
   */
  talkUnavailable: TalkUnavailableSchema.optional(),
});
export type HistoryFreshness = z.infer<typeof HistoryFreshnessSchema>;
