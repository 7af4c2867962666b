import { z } from 'zod';
import { HistoryFreshnessSchema } from './freshness.js';
import { CallOutcomeSchema, UpdateOutcomeSchema, type CallOutcome, type UpdateOutcome } from './outcomes.js';

/**
 * contacts.fifo: contact facts to aggregate, in order per integration. A fact is what one source,
 * a ticket update or a call (its `kind` says which), contributes: a ticket update its coverage
 * outcome (`update_outcome`, one per update) and its count in each view it is in
 * (`update_in_view`); a call its count in its Talk queue together with its outcome (`call`). A
 * ticket creation counted from the ticket record has no update (audit) of its own: its facts name
 * the ticket instead (`record_creation_outcome`, `record_creation_in_view`).
 *
 * The aggregator counts a ticket update's facts from the message alone (each is sent once) and
 * keeps the latest fact of each call, applying only the difference, so a later version of a call
 * replaces its contribution and a repeated one changes nothing.
 */
export const QueueRefSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  channel: z.string().min(1),
  source: z.enum(['support', 'talk']),
  viewId: z.number().int().optional(),
});
export type QueueRef = z.infer<typeof QueueRefSchema>;

const count = z.number().int().min(0);

/** A Talk call's figures (shared/domain/counters.ts `TalkFigures`); absent from a fact sent before they existed. */
export const TalkFiguresSchema = z.object({
  abandonedInQueue: count,
  abandonedInIvr: count,
  abandonedInVoicemail: count,
  abandonedOnHold: count,
  // Absent from a fact sent before Zendesk's failed and not-answered statuses had figures of their own.
  failed: count.default(0),
  notAnswered: count.default(0),
  unknownStatus: count,
  callbacks: count,
  serviceLevelOffered: count,
  serviceLevelAnswered: count,
  answeredCalls: count,
  answerWaitSeconds: count,
});

/** A Support update's reopens and backlog moves in one queue (shared/domain/counters.ts `SupportFigures`). */
export const SupportFiguresSchema = z.object({
  reopens: count,
  backlogEntered: count,
  backlogLeft: count,
});

export const ContributionSchema = z.object({
  queue: QueueRefSchema,
  intervalStart: z.iso.datetime(),
  contacts: count,
  handled: count,
  handleSeconds: count,
  talk: TalkFiguresSchema.optional(),
  /** Absent when the update neither reopened nor moved the backlog there (and in a fact sent before they existed). */
  support: SupportFiguresSchema.optional(),
});
export type FactContribution = z.infer<typeof ContributionSchema>;

const update = {
  /** The audit id of the update. */
  updateId: z.number().int(),
  /** When the update was made. */
  at: z.iso.datetime(),
};

export const UpdateOutcomeFactSchema = z.object({
  kind: z.literal('update_outcome'),
  ...update,
  outcome: UpdateOutcomeSchema,
  /**
   * On a ticket's creation counted from this update: where the update came from, the ticket-event
   * export or the ticket's audits (the export brought a later update, not the creation). Coverage
   * counts creations by source; absent on every other update.
   */
  creation: z.enum(['ticket_events', 'ticket_audits']).optional(),
});
export type UpdateOutcomeFact = z.infer<typeof UpdateOutcomeFactSchema>;

export const UpdateInViewFactSchema = z.object({
  kind: z.literal('update_in_view'),
  ...update,
  /**
   * Its part in one view's queue: its count there in the update's channel (`contacts` 1, of
   * which a reopen), and the ticket entering or leaving the queue's backlog (`support`); an
   * update that only moves the backlog has `contacts` 0.
   */
  contribution: ContributionSchema,
});
export type UpdateInViewFact = z.infer<typeof UpdateInViewFactSchema>;

const recordCreation = {
  /** The ticket whose creation was counted from its record (the tickets export). */
  ticketId: z.number().int(),
  /** When the ticket was created. */
  at: z.iso.datetime(),
};

/** The coverage outcome of a creation counted from the ticket record: an interaction, counted or unmapped. */
export const RecordCreationOutcomeFactSchema = z.object({
  kind: z.literal('record_creation_outcome'),
  ...recordCreation,
  outcome: UpdateOutcomeSchema,
});
export type RecordCreationOutcomeFact = z.infer<typeof RecordCreationOutcomeFactSchema>;

export const RecordCreationInViewFactSchema = z.object({
  kind: z.literal('record_creation_in_view'),
  ...recordCreation,
  /** Its count in the view's queue for the creation's channel. */
  contribution: ContributionSchema,
});
export type RecordCreationInViewFact = z.infer<typeof RecordCreationInViewFactSchema>;

/** A ticket's facts, counted from their message alone (never stored, see the aggregator). */
export type TicketFact =
  UpdateOutcomeFact | UpdateInViewFact | RecordCreationOutcomeFact | RecordCreationInViewFact;

/** What `explain` shows of a call: the record's facts the count was made from. */
export const CallDetailsSchema = z.object({
  startedAt: z.iso.datetime(),
  direction: z.string().min(1),
  ivrDestinationGroupName: z.string().nullable(),
  phoneNumber: z.string().nullable(),
  handled: z.boolean(),
  talkSeconds: z.number().min(0),
  holdSeconds: z.number().min(0),
  wrapUpSeconds: z.number().min(0),
  /** `wait_time` in seconds, null when the record lacks it; absent on details kept before it was. */
  waitSeconds: z.number().min(0).nullable().optional(),
  /** `completion_status` as Zendesk recorded it (documented or not), null when missing; absent as above. */
  completionStatus: z.string().nullable().optional(),
  /** Started by the customer's callback request; absent as above. */
  callback: z.boolean().optional(),
});
export type CallDetails = z.infer<typeof CallDetailsSchema>;

export const CallFactSchema = z.object({
  kind: z.literal('call'),
  callId: z.number().int(),
  /** The call record's `updated_at`: orders its versions, an older one never replaces a newer. */
  updatedAt: z.iso.datetime(),
  /** Its count in its Talk queue; null when it counts in none (outbound). */
  contribution: ContributionSchema.nullable(),
  outcome: CallOutcomeSchema,
  /** The call as counted; absent in a message sent before it was carried. */
  call: CallDetailsSchema.optional(),
});
export type CallFact = z.infer<typeof CallFactSchema>;

export const FactSchema = z.discriminatedUnion('kind', [
  UpdateOutcomeFactSchema,
  UpdateInViewFactSchema,
  RecordCreationOutcomeFactSchema,
  RecordCreationInViewFactSchema,
  CallFactSchema,
]);
export type Fact = z.infer<typeof FactSchema>;

const fields = { pageKey: z.string().min(1).max(128), integrationId: z.string().min(1) };

/**
 * The most facts one message carries: what one aggregator invocation takes on per message. A page
 * makes more when its updates move many queues (every update in the window is evaluated for the
 * backlog, in every view it is in): the bus sends such a page as several parts. Each part is
 * summed and written on its own, so a (queue, interval) two parts touch is written twice: the cap
 * is set near what SQS's size allows anyway (a page's repetitive facts compress to about 12 bytes
 * each, so about 16,000 fit), not lower.
 */
export const MAX_FACTS_PER_MESSAGE = 10_000;

const ContactsMessageV2Schema = z.object({
  ...fields,
  version: z.literal(2),
  facts: z.array(FactSchema).max(MAX_FACTS_PER_MESSAGE),
  /**
   * On the message that ends an import run (with no facts): how current the history is once every
   * message ahead of it is counted; the aggregator stores it for the queue-history stream.
   */
  freshness: HistoryFreshnessSchema.optional(),
});
export type ContactsMessage = z.infer<typeof ContactsMessageV2Schema>;

/**
 * A fact as version 1 wrote it: the source and scope as `update:<id>`/`call:<id>` and
 * `outcome`/`view:<id>`/`call`, the outcome as a label (`interaction:email`, `skipped:<reason>`,
 * `unmapped:<channel>` with `(none)` for no channel, `call:inbound`, `call:outbound`). Read only to
 * upgrade a message written before version 2; nothing writes this form any more.
 */
const FactV1Schema = z.object({
  sourceId: z.string().regex(/^(update|call):\d+$/),
  scope: z.string().regex(/^(outcome|call|view:\d+)$/),
  version: z.iso.datetime(),
  contribution: ContributionSchema.nullable(),
  outcome: z.string().min(1).nullable(),
});

const UPDATE_OUTCOMES_V1: Readonly<Record<string, (detail: string) => unknown>> = {
  interaction: (channel) => ({ kind: 'counted', channel }),
  unmapped: (name) => ({ kind: 'unmapped', viaChannel: name === '(none)' ? null : name }),
  skipped: (reason) => ({ kind: 'skipped', reason }),
};

const updateOutcomeFromV1 = (label: string): UpdateOutcome | undefined => {
  const colon = label.indexOf(':');
  const read = colon < 0 ? undefined : UPDATE_OUTCOMES_V1[label.slice(0, colon)];
  const parsed = read ? UpdateOutcomeSchema.safeParse(read(label.slice(colon + 1))) : undefined;
  return parsed?.success ? parsed.data : undefined;
};

const CALL_OUTCOMES_V1: Readonly<Record<string, CallOutcome>> = {
  'call:inbound': { kind: 'counted' },
  'call:outbound': { kind: 'skipped', reason: 'outbound' },
};

const factFromV1 = (f: z.infer<typeof FactV1Schema>, ctx: z.RefinementCtx): Fact => {
  const id = Number(f.sourceId.slice(f.sourceId.indexOf(':') + 1));
  const unreadable = (): Fact => {
    ctx.addIssue({ code: 'custom', message: `a version 1 fact that names no known outcome or scope` });
    return z.NEVER;
  };
  if (f.sourceId.startsWith('call:')) {
    const outcome = f.outcome === null ? undefined : CALL_OUTCOMES_V1[f.outcome];
    if (f.scope !== 'call' || outcome === undefined) return unreadable();
    return { kind: 'call', callId: id, updatedAt: f.version, contribution: f.contribution, outcome };
  }
  if (f.scope === 'outcome') {
    const outcome = f.outcome === null ? undefined : updateOutcomeFromV1(f.outcome);
    if (outcome === undefined) return unreadable();
    return { kind: 'update_outcome', updateId: id, at: f.version, outcome };
  }
  if (!f.scope.startsWith('view:') || f.contribution === null) return unreadable();
  return {
    kind: 'update_in_view',
    updateId: id,
    at: f.version,
    contribution: f.contribution,
  };
};

const ContactsMessageV1Schema = z.object({
  ...fields,
  version: z.literal(1),
  facts: z.array(FactV1Schema.transform(factFromV1)).max(MAX_FACTS_PER_MESSAGE),
});

/** Reads version 2, and version 1 into version 2's form; a problem is reported against its version's fields. */
export const ContactsMessageSchema = z.discriminatedUnion('version', [
  ContactsMessageV2Schema,
  ContactsMessageV1Schema.transform((m): ContactsMessage => ({ ...m, version: 2 })),
]);
