import { z } from 'zod';

/**
 * How current an integration's history is, as one import run leaves it: how far it is complete
 * (the ticket events export's position, `shared/pipeline/freshness.ts`; null before the events
 * were read) and the run that read every stream to its end. Sent by the fetch step at the end of a
 * run down the integration's FIFO group behind the run's pages, so the aggregator, which stores it
 * (the queue-history table's freshness item), gets it after every contact the run counted.
 */
export const HistoryFreshnessSchema = z.object({
  completeUpTo: z.iso.datetime().nullable(),
  lastCompletedRun: z.object({ runId: z.string().min(1), at: z.iso.datetime() }),
});
export type HistoryFreshness = z.infer<typeof HistoryFreshnessSchema>;
