import { z } from 'zod';
import { CallSchema, TicketEventSchema, UserSchema, ViewSchema } from './records.js';

/**
 * changes.fifo: one compacted export page (or a part of one, when a page is larger than a message
 * may be), in order per integration. `pageKey` is set by the fetch handler from the stream, the
 * position read from and the page's content, so the same page always has the same key.
 */
const page = <S extends string, R extends z.ZodType>(stream: S, record: R) =>
  z.object({
    version: z.literal(1),
    pageKey: z.string().min(1).max(128),
    integrationId: z.string().min(1),
    stream: z.literal(stream),
    records: z.array(record).max(2000),
  });

/**
 * Views Zendesk listed whose record did not fit (quarantined by the fetch stage): still in the
 * account, so their stored definitions stay as they are instead of being taken for deleted.
 */
export const QuarantinedViewIdsSchema = z.array(z.number().int().positive()).max(2000).optional();

export const ChangesMessageSchema = z.discriminatedUnion('stream', [
  page('users', UserSchema),
  page('views', ViewSchema).extend({ quarantinedViewIds: QuarantinedViewIdsSchema }),
  page('ticket_events', TicketEventSchema),
  page('calls', CallSchema),
]);
export type ChangesMessage = z.infer<typeof ChangesMessageSchema>;
