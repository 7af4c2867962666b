import { z } from 'zod';
import { HistoryFreshnessSchema } from './freshness.js';
import { CallSchema, TicketEventSchema, TicketSchema, UserSchema, ViewSchema } from './records.js';

/**
 * changes.fifo: one compacted export page (or a part of one, when a page is larger than a message
 * may be), in order per integration. `pageKey` is set by the fetch handler from the stream, the
 * position read from and the page's content, so the same page always has the same key.
 */
/** The most records one message carries (an export page holds at most 1000). */
export const MAX_RECORDS_PER_MESSAGE = 2000;

const page = <S extends string, R extends z.ZodType>(stream: S, record: R) =>
  z.object({
    version: z.literal(1),
    pageKey: z.string().min(1).max(128),
    integrationId: z.string().min(1),
    stream: z.literal(stream),
    records: z.array(record).max(MAX_RECORDS_PER_MESSAGE),
  });

/**
 * Views Zendesk listed whose record did not fit (quarantined by the fetch stage): still in the
 * account, so their stored definitions stay as they are instead of being taken for deleted.
 */
export const QuarantinedViewIdsSchema = z.array(z.number().int().positive()).max(2000).optional();

/**
 * Epoch seconds before which the ticket-event export has delivered every update, read by the fetch
 * stage from the ticket events' position when it read this page. Every page of those events was
 * sent before that position was stored, so it is ahead of this page in the FIFO group.
 */
export const EventsReadThroughSchema = z.number().int().min(0);

/**
 * The most audits a ticket may have for its audits to be read as a page of their own (a webhook's
 * ticket, `ticket_audits`): a longer history stays with the export, which pages it.
 */
export const MAX_AUDITS_PER_TICKET = 200;

export const ChangesMessageSchema = z.discriminatedUnion('stream', [
  page('users', UserSchema),
  page('views', ViewSchema).extend({ quarantinedViewIds: QuarantinedViewIdsSchema }),
  page('tickets', TicketSchema),
  page('ticket_events', TicketEventSchema),
  page('ticket_creations', TicketSchema).extend({ eventsReadThrough: EventsReadThroughSchema }),
  page('calls', CallSchema),
  // One ticket read now (a webhook said it changed): every audit of it, oldest first, and its
  // record as Show Many Tickets gave it (null when Zendesk left it out: deleted since).
  z.object({
    version: z.literal(1),
    pageKey: z.string().min(1).max(128),
    integrationId: z.string().min(1),
    stream: z.literal('ticket_audits'),
    ticketId: z.number().int().positive(),
    records: z.array(TicketEventSchema).max(MAX_AUDITS_PER_TICKET),
    record: TicketSchema.nullable(),
  }),
  // Not a page: the end of an import run, behind its pages, with how current the history now is.
  z.object({
    version: z.literal(1),
    pageKey: z.string().min(1).max(128),
    integrationId: z.string().min(1),
    stream: z.literal('run_completed'),
    freshness: HistoryFreshnessSchema,
  }),
]);
export type ChangesMessage = z.infer<typeof ChangesMessageSchema>;
