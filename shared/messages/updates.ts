import { z } from 'zod';
import { EventsReadThroughSchema, QuarantinedViewIdsSchema } from './changes.js';
import { TicketEventSchema, TicketSchema, ViewSchema } from './records.js';

/**
 * updates.fifo: what the view classifier works on, in order per integration.
 * - `ticket_updates`: ticket events with the channel mapper's verdict (interaction or skip reason).
 * - `views`: the account's full list of views, to classify and to detect new and removed ones.
 * - `replay`: rebuild one new view's history from the stored interactions, a page at a time.
 * - `ticket_records`: ticket records (the tickets export): values the events never state, and,
 *   with `eventsReadThrough`, the creations the events never delivered, each with its verdict.
 */
export const InteractionVerdictSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.enum(['creation', 'end_user_comment', 'chat_session']),
    /** The update's own `via.channel`. */
    viaChannel: z.string().nullable(),
    /** The WFM channel, or null when `viaChannel` is not in the channel table (counted as unmapped). */
    channel: z.string().nullable(),
  }),
  z.object({ kind: z.literal('none'), reason: z.string().min(1) }),
  /** An update before the import window: it builds the ticket's state and is counted nowhere. */
  z.object({ kind: z.literal('warm_up') }),
]);
export type InteractionVerdict = z.infer<typeof InteractionVerdictSchema>;

export const NormalisedUpdateSchema = z.object({
  event: TicketEventSchema,
  verdict: InteractionVerdictSchema,
});
export type NormalisedUpdate = z.infer<typeof NormalisedUpdateSchema>;

/** A ticket record, with the verdict its creation gets when it is counted from the record. */
export const TicketRecordUpdateSchema = z.object({
  record: TicketSchema,
  creation: z.object({
    kind: z.literal('creation'),
    /** The record's `via.channel`. */
    viaChannel: z.string().nullable(),
    /** The WFM channel, or null when `viaChannel` is not in the channel table (counted as unmapped). */
    channel: z.string().nullable(),
  }),
});
export type TicketRecordUpdate = z.infer<typeof TicketRecordUpdateSchema>;

const base = { version: z.literal(1), pageKey: z.string().min(1).max(128), integrationId: z.string().min(1) };

export const UpdatesMessageSchema = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('ticket_updates'),
    updates: z.array(NormalisedUpdateSchema).max(2000),
  }),
  z.object({
    ...base,
    type: z.literal('views'),
    views: z.array(ViewSchema).max(2000),
    quarantinedViewIds: QuarantinedViewIdsSchema,
  }),
  z.object({
    ...base,
    type: z.literal('ticket_records'),
    records: z.array(TicketRecordUpdateSchema).max(2000),
    /**
     * Present on the pass after the ticket events (see `ChangesMessage`): creations the events did
     * not deliver are counted from records settled by then. Absent: the values only.
     */
    eventsReadThrough: EventsReadThroughSchema.optional(),
  }),
  z.object({
    ...base,
    type: z.literal('replay'),
    viewId: z.number().int(),
    /** Resume after this interaction key; absent on the first page. */
    after: z.string().min(1).optional(),
  }),
]);
export type UpdatesMessage = z.infer<typeof UpdatesMessageSchema>;
