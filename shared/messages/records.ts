import { z } from 'zod';
import type {
  CallRecord,
  ChildEventRecord,
  FieldValue,
  TicketEventRecord,
  TicketRecord,
  UserRecord,
  ViewCondition,
  ViewRecord,
} from '../domain/records.js';

/**
 * zod schemas of the compacted Zendesk records (shared/domain/records.ts) as they travel between
 * the Lambdas. They check what the pipeline relies on (ids, timestamps, shapes) and are typed
 * against the record interfaces, so a drift between the two fails the build.
 */
const isoDateTime = z.iso.datetime({ offset: true });

/** The last second an ISO-8601 time (every time the pipeline writes) can state: 9999-12-31T23:59:59Z. */
export const LAST_EPOCH_SECOND = 253_402_300_799;
/** Seconds since 1970 that a time the pipeline writes can hold. */
export const EpochSecondsSchema = z
  .number()
  .int()
  .nonnegative()
  .max(LAST_EPOCH_SECOND, 'must be a time before the year 10000 (seconds since 1970)');

const isFieldValue = (value: unknown): value is FieldValue =>
  value === null ||
  typeof value === 'string' ||
  typeof value === 'number' ||
  typeof value === 'boolean' ||
  (Array.isArray(value) && value.every((v) => typeof v === 'string'));

/**
 * One check, not a union of five: every event of every page passes here at each step, and a union
 * builds a failed result for each option it tries before the one that fits (most of the pipeline's
 * garbage, measured).
 */
export const FieldValueSchema: z.ZodType<FieldValue> = z.custom<FieldValue>(isFieldValue, {
  error: 'expected a string, a number, a boolean, null or a list of strings',
});

/** Told apart by `kind` at once, for the same reason. */
export const ChildEventSchema: z.ZodType<ChildEventRecord> = z.discriminatedUnion('kind', [
  z.object({
    kind: z.enum(['Create', 'Change']),
    field: z.string().min(1),
    value: FieldValueSchema,
    previous: FieldValueSchema.optional(),
    addedTags: z.array(z.string()).readonly().optional(),
    removedTags: z.array(z.string()).readonly().optional(),
  }),
  z.object({
    kind: z.literal('Comment'),
    authorId: z.number().int(),
    public: z.boolean(),
    channel: z.string().nullable(),
    rel: z.string().nullable(),
    terms: z.array(z.number().int()).readonly().optional(),
    partsFound: z.array(z.number().int()).readonly().optional(),
  }),
  z.object({
    kind: z.literal('ChatStarted'),
    chatId: z.string().nullable(),
    via: z.string().nullable(),
    endUserWrote: z.boolean().nullable(),
  }),
  z.object({ kind: z.literal('ChatEnded'), chatId: z.string().nullable() }),
  z.object({ kind: z.literal('Sharing'), agreementId: z.number().int(), shared: z.boolean() }),
  z.object({ kind: z.literal('CommentPrivacy'), public: z.boolean() }),
  z.object({ kind: z.literal('Other'), eventType: z.string() }),
]);

export const TicketEventSchema: z.ZodType<TicketEventRecord> = z.object({
  id: z.number().int(),
  ticketId: z.number().int(),
  timestamp: EpochSecondsSchema,
  createdAt: isoDateTime,
  updaterId: z.number().int(),
  via: z.string().nullable(),
  viaReferenceId: z.number().int().nullable(),
  children: z.array(ChildEventSchema).readonly(),
});

const nullableId = z.number().int().nullable();

export const TicketSchema: z.ZodType<TicketRecord> = z.object({
  id: z.number().int(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  generatedTimestamp: EpochSecondsSchema,
  channel: z.string().nullable(),
  rel: z.string().nullable().optional(),
  status: z.string(),
  priority: z.string().nullable(),
  type: z.string().nullable(),
  subject: z.string().nullable(),
  requesterId: nullableId,
  submitterId: nullableId,
  assigneeId: nullableId,
  organizationId: nullableId,
  groupId: nullableId,
  brandId: nullableId,
  ticketFormId: nullableId,
  customStatusId: nullableId,
  dueAt: isoDateTime.nullable(),
  tags: z.array(z.string()).readonly(),
  customFields: z.record(z.string(), FieldValueSchema),
  descriptionTerms: z.array(z.number().int()).readonly().optional(),
  descriptionPartsFound: z.array(z.number().int()).readonly().optional(),
  supportType: z.string().nullable().optional(),
  recipient: z.string().nullable().optional(),
  isPublic: z.boolean().optional(),
});

export const UserSchema: z.ZodType<UserRecord> = z.object({
  id: z.number().int(),
  role: z.string().min(1),
  active: z.boolean(),
  updatedAt: isoDateTime,
  localeId: z.number().int().nullable().optional(),
});

export const ViewConditionSchema: z.ZodType<ViewCondition> = z.object({
  field: z.string(),
  operator: z.string(),
  value: z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(z.union([z.string(), z.number()])).readonly(),
  ]),
});

export const ViewSchema: z.ZodType<ViewRecord> = z.object({
  id: z.number().int(),
  title: z.string(),
  active: z.boolean(),
  updatedAt: isoDateTime,
  position: z.number().int().nullable(),
  conditions: z.object({
    all: z.array(ViewConditionSchema).readonly(),
    any: z.array(ViewConditionSchema).readonly(),
  }),
  restriction: z
    .object({ type: z.string(), ids: z.array(z.number().int()).readonly() })
    .nullable()
    .optional(),
  problems: z.array(z.string()).readonly().optional(),
});

const seconds = z.number().int().min(0).nullable();

export const CallSchema: z.ZodType<CallRecord> = z.object({
  id: z.number().int(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  direction: z.string().min(1),
  phoneNumber: z.string().nullable(),
  ivrDestinationGroupName: z.string().nullable(),
  agentId: z.number().int().nullable(),
  completionStatus: z.string().nullable(),
  talkTime: seconds,
  holdTime: seconds,
  wrapUpTime: seconds,
  // Absent in a record sent before they were carried: read as unknown, and not a callback.
  waitTime: seconds.default(null),
  callback: z.boolean().default(false),
  exceededQueueWaitTime: z.boolean().default(false),
  customerRequestedVoicemail: z.boolean().default(false),
});
