import { z } from 'zod';
import { STREAMS } from './streams.js';

/**
 * fetch-jobs (standard queue): "read this integration's stream from its stored position". An
 * import run starts with `importRunStart`; the fetch handler sends follow-ups (time budget spent),
 * delayed retries (429) and the job for the next stream once a stream reaches its end.
 */
export const ExportFetchJobSchema = z.object({
  version: z.literal(1),
  integrationId: z.string().min(1),
  stream: z.enum(STREAMS),
  /** Continue with the next stream once this one is at its end (a scheduled run reads them all). */
  chain: z.boolean(),
  /** Identifies the run in logs; fetch-jobs is a standard queue, nothing is deduplicated by it. */
  runId: z.string().min(1),
  /** How many times this stream position has answered with a malformed page (absent = never). */
  malformedAttempts: z.number().int().min(0).optional(),
  /**
   * The calls export answered a page earlier in this run (a follow-up or a rate-limited job of it):
   * a refusal now is not an account without Talk (shared/pipeline/fetch.ts, `withoutTalk`).
   */
  callsAnswered: z.literal(true).optional(),
});
export type ExportFetchJob = z.infer<typeof ExportFetchJobSchema>;

/**
 * "Read this ticket now": its audits and its record, sent by the webhook for a ticket Zendesk said
 * changed, so its update is counted without waiting for the export's minute. Reads no stream and
 * moves no position; the export brings the same updates later, and the ticket state skips them.
 */
export const AuditsFetchJobSchema = z.object({
  version: z.literal(1),
  integrationId: z.string().min(1),
  stream: z.literal('ticket_audits'),
  ticketId: z.number().int().positive(),
  runId: z.string().min(1),
});
export type AuditsFetchJob = z.infer<typeof AuditsFetchJobSchema>;

export const FetchJobSchema = z.discriminatedUnion('stream', [ExportFetchJobSchema, AuditsFetchJobSchema]);
export type FetchJob = z.infer<typeof FetchJobSchema>;

/**
 * The first fetch job of an import run, whoever starts it (the schedule, a webhook, the CLI, a
 * resume): the first stream, chained, so the run reads every stream in dependency order
 * (users → views → ticket events → calls) into the integration's FIFO message group.
 */
export const importRunStart = (integrationId: string, runId: string): ExportFetchJob => ({
  version: 1,
  integrationId,
  stream: STREAMS[0],
  chain: true,
  runId,
});
