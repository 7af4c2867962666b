/**
 * The ticket record (the tickets export) as a second source beside the ticket events.
 *
 * Values the events never state. A ticket carries a brand, a form, a custom status, an
 * organization, a support type and the address it was received at from its creation on, and its
 * creation audit may not mention them: the defaults (the account's default brand or form, the
 * default custom status of its status, the requester's organization, the agent support type), and
 * the recipient address, which Zendesk keeps on the ticket and a creation audit need not name. Any later change of such a field is an audit event, so while the
 * events have stated nothing about one of these fields, the record's value is the value the ticket
 * has had since its creation: it fills the field. A field some event has stated is the events'
 * alone; a record older than the state never fills (its value may predate a change to empty). A
 * custom status is filled only into a state in the record's status: Zendesk states a custom status
 * change with every status change, so a silent one is the default of the status the ticket was
 * created in, which the record shows only while the ticket is still in that status.
 *
 * Creations the events never delivered (messaging-created tickets were reported without one): a
 * ticket record whose creation falls in the import window and that no source has counted yet is
 * counted from the record, once the ticket-event export has been read past the record (see
 * `isSettledBy`), so that the events had their chance to deliver the creation first.
 */
import { isLiveConversationChannel } from './channels.js';
import type { TicketEventRecord, TicketRecord } from './records.js';
import {
  emptyTicketState,
  isServed,
  rollBackUpdate,
  stateFromTicket,
  type TicketState,
} from './ticket-state.js';

/** The fields the record fills where the events are silent, by the record's and the state's names. */
export const RECORD_FILLED_FIELDS = ['brandId', 'ticketFormId', 'customStatusId', 'organizationId'] as const;

/** True once the state reflects at least one update (not only values a record filled in). */
export const hasHistory = (state: TicketState | undefined): state is TicketState =>
  state !== undefined && state.appliedThrough !== null;

/**
 * True when the ticket-event export has delivered every update this record reflects: its events
 * were read up to `eventsReadThrough` (epoch seconds, exclusive) and the record was generated
 * before that. Before then the record may show changes whose events are still to come, and its
 * creation may still be on its way in the export.
 */
export const isSettledBy = (record: TicketRecord, eventsReadThrough: number): boolean =>
  record.generatedTimestamp < eventsReadThrough;

/**
 * Whether a past period's import has had its ticket events read through its window's end
 * (`eventsReadThrough`, epoch seconds, exclusive): every update of the window has come, so a
 * creation the events did not deliver will not come any more. Its records, updated since the
 * window, never settle (`isSettledBy`): nothing is gained by waiting for them.
 */
export const isWindowReadBy = (
  window: { readonly importUntil?: string | undefined },
  eventsReadThrough: number,
): boolean =>
  // Rounded up: an end inside a second leaves that second's first part in the window.
  window.importUntil !== undefined && eventsReadThrough >= Math.ceil(Date.parse(window.importUntil) / 1000);

/** Whether a creation at `createdAt` belongs to the import window [from, until). */
export const isCreatedInWindow = (
  record: Pick<TicketRecord, 'createdAt'>,
  window: { readonly importFrom: string; readonly importUntil?: string | undefined },
): boolean => {
  const at = Date.parse(record.createdAt);
  return (
    at >= Date.parse(window.importFrom) &&
    (window.importUntil === undefined || at < Date.parse(window.importUntil))
  );
};

/**
 * The state with the record's values in the fields the events never stated (null in the state).
 * A state without history (none yet) gets a values-only state: the updates applied to it later
 * keep these values unless they state the field. Returns `state` itself when nothing changes.
 */
export const fillFromRecord = (
  state: TicketState | undefined,
  record: TicketRecord,
): TicketState | undefined => {
  const base = state ?? emptyTicketState(record.id);
  const through = base.appliedThrough;
  if (through !== null && record.generatedTimestamp < through.timestamp) return state;
  const next: { -readonly [K in keyof TicketState]: TicketState[K] } = { ...base };
  let changed = false;
  for (const field of RECORD_FILLED_FIELDS) {
    // A custom status belongs to one status: the record's tells nothing of a state in another
    // status (one whose status events have changed since, or a state before its creation).
    if (field === 'customStatusId' && base.status !== record.status) continue;
    if (next[field] === null && record[field] !== null) {
      next[field] = record[field];
      changed = true;
    }
  }
  // The support type comes with the ticket (agent, or an AI agent's): events silent on it leave the
  // record's.
  if (
    (next.supportType ?? null) === null &&
    record.supportType !== undefined &&
    record.supportType !== null
  ) {
    next.supportType = record.supportType;
    changed = true;
  }
  // The address it was received at comes with the ticket too: the creation audit need not state it.
  if ((next.recipient ?? null) === null && record.recipient !== undefined && record.recipient !== null) {
    next.recipient = record.recipient;
    changed = true;
  }
  // The description never changes: a state that has not seen the creation's comment takes it.
  if (next.descriptionTerms === undefined && record.descriptionTerms !== undefined) {
    next.descriptionTerms = record.descriptionTerms;
    if (record.descriptionPartsFound !== undefined) next.descriptionPartsFound = record.descriptionPartsFound;
    changed = true;
  }
  if (!changed) return state;
  // A custom status nobody stated is the one the ticket was created with.
  if (base.customStatusId === null && next.customStatusId !== null)
    next.customStatusSetAt = base.customStatusSetAt ?? base.createdAt ?? record.createdAt;
  return next;
};

/**
 * The ticket right after a creation the events never delivered, from its settled record and the
 * updates the export brought of the ticket since (`laterUpdates`, in any order): the record's values
 * rolled back through every update it reflects (those up to its `generated_timestamp`), newest
 * first, each field to the value Zendesk reports it had before (`rollBackUpdate`). No request: the
 * export told everything that changed. Undefined when an update changed a field without saying
 * what it was before (the caller asks the Audits API then).
 *
 * Times are the creation's: created, updated, entered its status, assigned (with an assignee), its
 * custom status set. A creation through a live conversation channel awaits its session
 * (`creationSessionPending`, as `applyUpdate` sets it for a creation without a session start): the
 * creation update is not there to say whether it started one, and a session it did start ends with
 * an exported update, which clears the flag before any later session. The state covers the
 * creation only (`appliedThrough` at its second, no update id) when updates are to be applied after it.
 */
export const creationStateFromRecord = (
  record: TicketRecord,
  laterUpdates: readonly TicketEventRecord[] = [],
): TicketState | undefined => {
  let values: TicketState | undefined = stateFromTicket(record);
  const reflected = laterUpdates
    .filter((u) => u.timestamp <= record.generatedTimestamp)
    .sort((a, b) => b.timestamp - a.timestamp || b.id - a.id);
  for (const update of reflected) {
    values = rollBackUpdate(values, update);
    if (values === undefined) return undefined;
  }
  const createdMs = Date.parse(record.createdAt);
  const at = new Date(createdMs).toISOString();
  const status = values.status ?? record.status;
  return {
    ...values,
    status,
    createdAt: at,
    updatedAt: at,
    // The creation is an update by its submitter: the requester's (or assignee's) when it is them.
    requesterUpdatedAt: values.submitterId !== null && values.submitterId === values.requesterId ? at : null,
    assigneeUpdatedAt: values.submitterId !== null && values.submitterId === values.assigneeId ? at : null,
    statusEnteredAt: { [status]: at },
    assignedAt: values.assigneeId !== null ? at : null,
    customStatusSetAt: values.customStatusId !== null ? at : null,
    // A ticket the record shows served (solved, closed) with no update of the export to say so
    // awaits no session: its conversation's came and went unexported, and a later one is new.
    ...(isLiveConversationChannel(record.channel) && record.channel !== 'chat_transcript' && !isServed(status)
      ? { creationSessionPending: true }
      : {}),
    // With no update to apply after it, the state is the record's: it covers the record's whole
    // second, so an update the export delivers late for that second is not applied twice.
    appliedThrough: {
      timestamp: laterUpdates.length === 0 ? record.generatedTimestamp : Math.floor(createdMs / 1000),
      updateId: null,
    },
    creation: 'ticket_record',
  };
};
