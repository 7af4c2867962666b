import { z } from 'zod';
import { WFM_CHANNELS } from '../domain/channels.js';
import { INTERACTION_KINDS, SKIP_REASONS } from '../domain/interactions.js';

/**
 * What a ticket update or a call counts as, as typed values that travel unchanged from the stage
 * that decides them (the channel mapper) through the view classifier to the aggregator, which
 * turns them into coverage counters (`shared/pipeline/coverage.ts`). Nothing on the way encodes
 * them as strings or reads them back.
 *
 * A record quarantined by the fetch stage has no outcome here: it never becomes an update or a
 * call, and the coverage report counts it from its quarantine entry.
 */
export const WfmChannelSchema = z.enum(WFM_CHANNELS);
export const SkipReasonSchema = z.enum(SKIP_REASONS);
export const InteractionKindSchema = z.enum(INTERACTION_KINDS);

const CountedSchema = z.object({ kind: z.literal('counted'), channel: WfmChannelSchema });
/** An interaction whose Zendesk channel is not in the channel table: reported by that name, counted nowhere. */
const UnmappedSchema = z.object({
  kind: z.literal('unmapped'),
  /** The Zendesk `via.channel` name; null when the update names none. */
  viaChannel: z.string().nullable(),
});
const SkippedSchema = z.object({ kind: z.literal('skipped'), reason: SkipReasonSchema });

/**
 * A ticket update's coverage outcome: counted in a WFM channel, unmapped by its channel's name, or
 * skipped with its reason. A verdict is handed on as it is; read by this schema, it keeps only
 * what coverage needs (an interaction's kind and a counted one's Zendesk channel are dropped).
 */
export const UpdateOutcomeSchema = z.discriminatedUnion('kind', [
  CountedSchema,
  UnmappedSchema,
  SkippedSchema,
]);
export type UpdateOutcome = z.infer<typeof UpdateOutcomeSchema>;

/**
 * The channel mapper's verdict on one ticket update, as the view classifier receives it: its
 * outcome, with how an interaction came about (the creation, an end user's comment, a chat
 * session) and its Zendesk channel; or `warm_up`, an update before the import window that builds
 * the ticket's state and counts nowhere. Every verdict but `warm_up` is an `UpdateOutcome` and is
 * handed on to the aggregator as it is.
 */
export const UpdateVerdictSchema = z.discriminatedUnion('kind', [
  CountedSchema.extend({
    interaction: InteractionKindSchema,
    /** The Zendesk channel the WFM channel was read from (stored with the interaction for replays). */
    viaChannel: z.string().nullable(),
  }),
  UnmappedSchema.extend({ interaction: InteractionKindSchema }),
  SkippedSchema,
  z.object({ kind: z.literal('warm_up') }),
]);
export type UpdateVerdict = z.infer<typeof UpdateVerdictSchema>;

/**
 * The verdict of a ticket's creation counted from its record (the tickets export) or its audit,
 * which has no verdict of the channel mapper: an interaction of kind `creation`, counted in the WFM
 * channel of its `via.channel`, or unmapped under that name; or skipped, a ticket an agent's
 * outbound call created. An `UpdateVerdict` and an `UpdateOutcome` as it is.
 */
export const CreationVerdictSchema = z.discriminatedUnion('kind', [
  CountedSchema.extend({ interaction: z.literal('creation'), viaChannel: z.string().nullable() }),
  UnmappedSchema.extend({ interaction: z.literal('creation') }),
  z.object({ kind: z.literal('skipped'), reason: z.literal('outbound_call') }),
]);
export type CreationVerdict = z.infer<typeof CreationVerdictSchema>;

/** A call's coverage outcome: an inbound call is counted in its Talk queue, an outbound one is not. */
export const CallOutcomeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('counted') }),
  z.object({ kind: z.literal('skipped'), reason: z.literal('outbound') }),
]);
export type CallOutcome = z.infer<typeof CallOutcomeSchema>;
