import type { CallRecord } from '../../../shared/domain/records.js';

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
  ...fields,
});
