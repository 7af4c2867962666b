/**
 * Records for tests, as the Zendesk client delivers them: ticket updates with their child events,
 * ticket records, Talk calls, and the users of a small synthetic account.
 */
import type {
  CallRecord,
  ChildEventRecord,
  FieldValue,
  TicketEventRecord,
  TicketRecord,
  UserRole,
} from '../../shared/domain/records.js';

/** Users of the synthetic account the domain tests share. */
export const CUSTOMER = 411000001;
export const OTHER_CUSTOMER = 411000002;
export const AGENT = 411000050;
export const ADMIN = 411000060;
export const LIGHT_AGENT = 411000070;
export const UNKNOWN_USER = 411999999;
/** A partner account's agent, as the users export names one (`shared_agent`, shared/zendesk/compact.ts). */
export const SHARED_AGENT = 411000080;
export const SYSTEM = -1;

const roles: Readonly<Record<number, UserRole | string>> = {
  [CUSTOMER]: 'end-user',
  [OTHER_CUSTOMER]: 'end-user',
  [AGENT]: 'agent',
  [ADMIN]: 'admin',
  [LIGHT_AGENT]: 'light_agent',
  [SHARED_AGENT]: 'shared_agent',
};

export const roleOf = (userId: number): UserRole | string | undefined => roles[userId];

export const TICKET = 5120;

/** A ticket update at `createdAt`, its epoch-second timestamp derived, with defaults for the rest. */
export const update = (
  id: number,
  createdAt: string,
  children: readonly ChildEventRecord[],
  extra: Partial<Omit<TicketEventRecord, 'id' | 'createdAt' | 'children'>> = {},
): TicketEventRecord => ({
  ticketId: TICKET,
  timestamp: Math.floor(Date.parse(createdAt) / 1000),
  updaterId: CUSTOMER,
  via: null,
  viaReferenceId: null,
  ...extra,
  id,
  createdAt,
  children,
});

export const comment = (
  authorId: number,
  channel: string | null,
  isPublic = true,
  rel: string | null = null,
): ChildEventRecord => ({ kind: 'Comment', authorId, public: isPublic, channel, rel });

export const created = (field: string, value: FieldValue): ChildEventRecord => ({
  kind: 'Create',
  field,
  value,
});

export const changed = (field: string, value: FieldValue, previous: FieldValue = null): ChildEventRecord => ({
  kind: 'Change',
  field,
  value,
  previous,
});

export const other = (eventType: string): ChildEventRecord => ({ kind: 'Other', eventType });

/** A chat session's start (`ChatStartedEvent`) with its own via, if any. */
export const chatStarted = (
  via: string | null = null,
  endUserWrote: boolean | null = true,
  chatId: string | null = '2109.10502823.Sjuj2YrBpXwei',
): ChildEventRecord => ({ kind: 'ChatStarted', chatId, via, endUserWrote });

/** A chat session's end (`ChatEndedEvent`). */
export const chatEnded = (chatId: string | null = '2109.10502823.Sjuj2YrBpXwei'): ChildEventRecord => ({
  kind: 'ChatEnded',
  chatId,
});

/** The answered call of zendesk-api.md §5.4, with overrides. */
export const call = (fields: Partial<CallRecord> = {}): CallRecord => ({
  id: 360200000001,
  createdAt: '2024-06-03T09:15:03Z',
  updatedAt: '2024-06-03T09:24:40Z',
  direction: 'inbound',
  phoneNumber: '+493030999000',
  ivrDestinationGroupName: 'Billing',
  agentId: 411000050,
  completionStatus: 'completed',
  talkTime: 402,
  holdTime: 30,
  wrapUpTime: 95,
  waitTime: 41,
  callback: false,
  exceededQueueWaitTime: false,
  customerRequestedVoicemail: false,
  ...fields,
});

/**
 * A ticket record (the tickets export, Show Many Tickets) of `TICKET`, created and last updated at
 * `createdAt`, with nothing set but its status: overrides give the rest.
 */
export const ticketRecord = (fields: Partial<TicketRecord> = {}): TicketRecord => {
  const createdAt = fields.createdAt ?? '2026-01-05T10:00:00Z';
  const updatedAt = fields.updatedAt ?? createdAt;
  return {
    id: TICKET,
    createdAt,
    updatedAt,
    generatedTimestamp: Math.floor(Date.parse(updatedAt) / 1000),
    channel: 'email',
    status: 'open',
    priority: null,
    type: null,
    subject: null,
    requesterId: null,
    submitterId: null,
    assigneeId: null,
    organizationId: null,
    groupId: null,
    brandId: null,
    ticketFormId: null,
    customStatusId: null,
    dueAt: null,
    tags: [],
    customFields: {},
    ...fields,
  };
};
