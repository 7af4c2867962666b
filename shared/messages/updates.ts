import { z } from 'zod';
import { EventsReadThroughSchema, MAX_AUDITS_PER_TICKET, QuarantinedViewIdsSchema } from './changes.js';
import { HistoryFreshnessSchema } from './freshness.js';
import {
  CreationVerdictSchema,
  InteractionKindSchema,
  SkipReasonSchema,
  UpdateVerdictSchema,
  WfmChannelSchema,
} from './outcomes.js';
import { TicketEventSchema, TicketSchema, ViewSchema } from './records.js';

/**
 * updates.fifo: what the view classifier works on, in order per integration.
 * - `ticket_updates`: ticket events with the channel mapper's verdict (`UpdateVerdict`).
 * - `views`: the account's full list of views, to classify and to detect new and removed ones.
 * - `replay`: rebuild one new view's history from the stored interactions, a page at a time.
 * - `ticket_records`: ticket records (the tickets export): values the events never state, and,
 *   with `eventsReadThrough`, the creations the events never delivered, each with its verdict.
 * - `ticket_audits`: one ticket's audits read now (a webhook's ticket), with the channel mapper's
 *   verdicts, and its record for the values its creation does not state.
 * - `run_completed`: the end of an import run (`HistoryFreshness`), passed on behind the run's work.
 *
 * Version 2 carries the verdict as an `UpdateVerdict`. A version 1 message (written before the
 * upgrade, still in a queue, a local install's queue journal or a dead-letter queue for a
 * redrive) is read into the same form, so nothing sent before an upgrade is lost or misread.
 * `ticket_records` came with version 2: no version 1 message carries it.
 */
export const NormalisedUpdateSchema = z.object({
  event: TicketEventSchema,
  verdict: UpdateVerdictSchema,
  /**
   * The role of the update's author (its first comment's author, else the updater), as the channel
   * mapper knew it: null when unknown, absent on a warm-up update or a message sent before it was
   * carried. Kept in the update log for `explain`; no verdict depends on it here.
   */
  authorRole: z.string().min(1).nullable().optional(),
});
export type NormalisedUpdate = z.infer<typeof NormalisedUpdateSchema>;

/** A ticket record, with the verdict its creation gets when it is counted from the record. */
export const TicketRecordUpdateSchema = z.object({
  record: TicketSchema,
  creation: CreationVerdictSchema,
});
export type TicketRecordUpdate = z.infer<typeof TicketRecordUpdateSchema>;

const fields = { pageKey: z.string().min(1).max(128), integrationId: z.string().min(1) };

const views = {
  ...fields,
  type: z.literal('views'),
  views: z.array(ViewSchema).max(2000),
  quarantinedViewIds: QuarantinedViewIdsSchema,
};
const replay = {
  ...fields,
  type: z.literal('replay'),
  viewId: z.number().int(),
  /** Resume after this interaction key; absent on the first page. */
  after: z.string().min(1).optional(),
};

/** The most ticket updates one message carries (a page of 1000 events makes at most 1000). */
export const MAX_UPDATES_PER_MESSAGE = 2000;

const UpdatesMessageV2Schema = z.discriminatedUnion('type', [
  z.object({
    ...fields,
    version: z.literal(2),
    type: z.literal('ticket_updates'),
    updates: z.array(NormalisedUpdateSchema).max(MAX_UPDATES_PER_MESSAGE),
  }),
  z.object({ ...views, version: z.literal(2) }),
  z.object({
    ...fields,
    version: z.literal(2),
    type: z.literal('ticket_records'),
    records: z.array(TicketRecordUpdateSchema).max(2000),
    /**
     * Present on the pass after the ticket events (see `ChangesMessage`): creations the events did
     * not deliver are counted from records settled by then. Absent: the values only.
     */
    eventsReadThrough: EventsReadThroughSchema.optional(),
  }),
  z.object({ ...replay, version: z.literal(2) }),
  z.object({
    ...fields,
    version: z.literal(2),
    type: z.literal('ticket_audits'),
    ticketId: z.number().int().positive(),
    updates: z.array(NormalisedUpdateSchema).max(MAX_AUDITS_PER_TICKET),
    record: TicketSchema.nullable(),
  }),
  z.object({
    ...fields,
    version: z.literal(2),
    type: z.literal('run_completed'),
    freshness: HistoryFreshnessSchema,
  }),
]);
export type UpdatesMessage = z.infer<typeof UpdatesMessageV2Schema>;

/** The verdict as version 1 wrote it: the WFM channel null when unmapped, a skip as `none`. */
const VerdictV1Schema = z.discriminatedUnion('kind', [
  z.object({
    kind: InteractionKindSchema,
    viaChannel: z.string().nullable(),
    channel: WfmChannelSchema.nullable(),
  }),
  z.object({ kind: z.literal('none'), reason: SkipReasonSchema }),
  z.object({ kind: z.literal('warm_up') }),
]);

const verdictFromV1 = (v: z.infer<typeof VerdictV1Schema>): NormalisedUpdate['verdict'] => {
  switch (v.kind) {
    case 'warm_up':
      return v;
    case 'none':
      return { kind: 'skipped', reason: v.reason };
    default:
      return v.channel === null
        ? { kind: 'unmapped', interaction: v.kind, viaChannel: v.viaChannel }
        : { kind: 'counted', interaction: v.kind, channel: v.channel, viaChannel: v.viaChannel };
  }
};

const UpdatesMessageV1Schema = z.discriminatedUnion('type', [
  z.object({
    ...fields,
    version: z.literal(1),
    type: z.literal('ticket_updates'),
    updates: z.array(z.object({ event: TicketEventSchema, verdict: VerdictV1Schema })).max(2000),
  }),
  z.object({ ...views, version: z.literal(1) }),
  z.object({ ...replay, version: z.literal(1) }),
]);

const fromV1 = (m: z.infer<typeof UpdatesMessageV1Schema>): UpdatesMessage =>
  m.type === 'ticket_updates'
    ? {
        ...m,
        version: 2,
        updates: m.updates.map((u) => ({ event: u.event, verdict: verdictFromV1(u.verdict) })),
      }
    : { ...m, version: 2 };

/** Reads version 2, and version 1 into version 2's form; a problem is reported against its version's fields. */
export const UpdatesMessageSchema = z.discriminatedUnion('version', [
  UpdatesMessageV2Schema,
  UpdatesMessageV1Schema.transform(fromV1),
]);
