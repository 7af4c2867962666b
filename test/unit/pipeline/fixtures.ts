import type { Integration } from '../../../shared/store/integrations-repository.js';

/** An active integration whose import window starts on 2026-01-01, for the use-case tests. */
export const ACME: Integration = {
  id: 'acme',
  name: 'Acme',
  domain: 'acme.zendesk.com',
  username: 'admin@acme.test',
  credentialKind: 'api_token',
  groupingStrategy: 'ivr',
  intervalMinutes: 15,
  historyDays: 30,
  importFrom: '2026-01-01T00:00:00.000Z',
  status: 'active',
  statusReason: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
