/**
 * Integrations for tests: one well-formed integration, and variations of it that name only what a
 * test is about.
 */
import type { Integration, IntegrationsRepository } from '../../shared/store/integrations-repository.js';

/** An active integration whose import window starts on 2026-01-01. */
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

/** What a user gives to add `ACME` (the integration service's create input), with these fields changed. */
export const anIntegrationInput = (fields: Record<string, unknown> = {}) => ({
  name: ACME.name,
  domain: ACME.domain,
  username: ACME.username,
  credentials: { kind: 'api_token', apiToken: 'tok-secret-123' },
  groupingStrategy: ACME.groupingStrategy,
  ...fields,
});

/** `ACME` with these fields changed. */
export const anIntegration = (fields: Partial<Integration> = {}): Integration => ({ ...ACME, ...fields });

/**
 * `IntegrationsRepository.modify` over integrations a test keeps: an absent or deleted one is not
 * changed (undefined), and `write` gets what the change makes of the one `read` gives.
 */
export const modifyOf =
  (
    read: (id: string) => Integration | undefined,
    write: (integration: Integration) => void,
  ): IntegrationsRepository['modify'] =>
  async (id, change) => {
    const current = read(id);
    if (!current || current.status === 'deleted') return undefined;
    const next = await change(current);
    if (next === undefined) return current;
    write(next);
    return next;
  };
