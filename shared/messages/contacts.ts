import { z } from 'zod';
import { CREATION_SOURCES } from '../domain/ticket-state.js';

/**
 * contacts.fifo: contact facts to aggregate, in order per integration. A fact is what one source
 * (a ticket update, or a call) contributes in one scope (a view, the call's Talk queue, or the
 * coverage outcome of the update). The aggregator stores the latest fact per (integration, source,
 * scope) and applies only the difference to the counters, so a repeated fact changes nothing.
 */
export const QueueRefSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  channel: z.string().min(1),
  source: z.enum(['support', 'talk']),
  viewId: z.number().int().optional(),
});
export type QueueRef = z.infer<typeof QueueRefSchema>;

export const ContributionSchema = z.object({
  queue: QueueRefSchema,
  intervalStart: z.iso.datetime(),
  contacts: z.number().int().min(0),
  handled: z.number().int().min(0),
  handleSeconds: z.number().int().min(0),
});
export type FactContribution = z.infer<typeof ContributionSchema>;

export const FactSchema = z.object({
  /** `update:<audit id>` or `call:<call id>`. */
  sourceId: z.string().min(1),
  /** `view:<view id>`, `call` or `outcome`. */
  scope: z.string().min(1),
  /** Orders versions of one fact (a call's `updatedAt`; an update's time): an older one never replaces a newer. */
  version: z.string().min(1),
  contribution: ContributionSchema.nullable(),
  /** Coverage label counted once per source, e.g. `interaction:email`, `skipped:agent_update`, `unmapped:line`. */
  outcome: z.string().min(1).nullable(),
  /**
   * On a ticket creation's outcome fact: where the creation was counted from (the ticket-event
   * export, the ticket's audits, or its record), counted in coverage per source.
   */
  creation: z.enum(CREATION_SOURCES).optional(),
});
export type Fact = z.infer<typeof FactSchema>;

export const ContactsMessageSchema = z.object({
  version: z.literal(1),
  pageKey: z.string().min(1).max(128),
  integrationId: z.string().min(1),
  facts: z.array(FactSchema).max(5000),
});
export type ContactsMessage = z.infer<typeof ContactsMessageSchema>;
