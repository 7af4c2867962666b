/**
 * Two shapes real accounts show where the ticket record says more than the ticket events, chosen
 * from the ticket's number (never from the generator's random stream, so the rest of an account is
 * the same with or without them):
 *
 * - Some messaging-created tickets have no creation update in the incremental ticket event export
 *   (reported from real accounts). The creation audit still exists: the Audits API lists it and the
 *   ticket record has its `created_at` and `via`. Every fourth messaging-created ticket here.
 * - A creation audit says nothing of a value the ticket takes by default: the account's default
 *   brand and form, the requester's organization, the default custom status of its status; nor of
 *   the address an email was received at, which Zendesk keeps on the ticket (`recipient`; not for a
 *   ticket that ends deleted, see `isUnstatedDefault`). The ticket record carries them. Every third
 *   ticket here, in both the export and the Audits API.
 *
 * The ground truth does not look at either: a creation is a contact whatever the export carries,
 * and a ticket is in a brand's view from its creation on.
 */
import { AuditKind, Field, type Account, type FoldState } from './account.js';
import { BRANDS, CUSTOM_STATUS_IDS, TICKET_FORMS } from './catalog.js';
import { MESSAGING_CHANNELS } from './truth.js';

/**
 * Whether ticket `t` (its index) was created through a messaging channel and its creation is not
 * exported. Never a ticket that ends deleted: its record is scrubbed, so where the export also lacked
 * its creation no source would tell the values its creation had, and the ground truth could not be
 * checked against what a reader can know (the product's rule there, the scrubbed record rolled back
 * through the later updates, is pinned by a unit test instead).
 */
export const creationNotExported = (acc: Account, t: number): boolean =>
  t % 4 === 1 &&
  MESSAGING_CHANNELS.has(acc.channelNames[acc.ticketChannel.get(t)]!) &&
  acc.finalState(t).status !== 'deleted';

/** Whether audit `a` is a creation the ticket event export leaves out. */
export const isUnexportedCreation = (acc: Account, a: number): boolean =>
  acc.auditKind.get(a) === AuditKind.Create && creationNotExported(acc, acc.auditTicket.get(a));

/** Whether ticket `t`'s creation audit is silent on its default values. */
export const defaultsUnstated = (t: number): boolean => t % 3 === 0;

/**
 * Whether the creation audit `a` leaves out this change: a default value (the first brand, the
 * first form, the requester's organization, the status's default custom status) or the recipient,
 * set by the creation itself (rule 0).
 */
export const isUnstatedDefault = (
  acc: Account,
  a: number,
  field: number,
  next: FoldState,
  rule: number,
): boolean => {
  if (rule !== 0 || acc.auditKind.get(a) !== AuditKind.Create || !defaultsUnstated(acc.auditTicket.get(a)))
    return false;
  if (field === Field.Brand) return next.brandId === BRANDS[0].id;
  if (field === Field.Form) return next.ticketFormId === TICKET_FORMS[0];
  if (field === Field.CustomStatus) return next.customStatusId === CUSTOM_STATUS_IDS[next.status];
  // The recipient only of a ticket that does not end deleted: a deleted ticket's record is scrubbed,
  // so where its creation audit is silent too no source the product reads tells the address (the
  // creation's `via.source.to.address` may; the product does not read it).
  if (field === Field.Recipient) return acc.finalState(acc.auditTicket.get(a)).status !== 'deleted';
  return field === Field.Organization;
};
