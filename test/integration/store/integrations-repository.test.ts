import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startLocalStack, type LocalStack } from '../../../local/local-stack.js';
import { documentClientFor } from '../../../shared/store/clients.js';
import {
  DuplicateIntegrationNameError,
  IntegrationsRepository,
  type Integration,
} from '../../../shared/store/integrations-repository.js';
import { TABLES } from '../../../shared/store/tables.js';

const integration = (id: string, name: string): Integration => ({
  id,
  name,
  domain: 'acme.zendesk.com',
  username: 'admin@acme.test',
  credentialKind: 'api_token',
  groupingStrategy: 'ivr',
  intervalMinutes: 15,
  historyDays: 30,
  importFrom: '2026-11-01T00:00:00.000Z',
  status: 'active',
  statusReason: null,
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
});

/** The integrations table alone on DynamoDB Local, and its repository. */
const integrationsTable = async () => {
  const stack = await startLocalStack({ tables: [TABLES.integrations], queues: [] });
  return {
    stack,
    repo: new IntegrationsRepository(documentClientFor(stack.dynamodb), stack.tableNames.integrations),
  };
};

describe('IntegrationsRepository.rename on DynamoDB Local (integration update --name)', () => {
  let stack: LocalStack;
  let repo: IntegrationsRepository;
  beforeAll(async () => {
    ({ stack, repo } = await integrationsTable());
    await repo.create(integration('a', 'Acme'));
    await repo.create(integration('b', 'Beta'));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('claims the new name and frees the old one in one step', async () => {
    await repo.rename('Acme', integration('a', 'Acme EU'));
    expect((await repo.get('a'))?.name).toBe('Acme EU');
    // The old name is free again: another integration may take it.
    await repo.create(integration('c', 'acme'));
    await expect(repo.create(integration('d', 'ACME EU'))).rejects.toThrow(
      new DuplicateIntegrationNameError('ACME EU'),
    );
  });

  it('a name another integration holds is refused and nothing changes', async () => {
    await expect(repo.rename('Beta', integration('b', 'acme eu'))).rejects.toThrow(
      new DuplicateIntegrationNameError('acme eu'),
    );
    expect((await repo.get('b'))?.name).toBe('Beta');
    // Beta still holds its own name.
    await expect(repo.create(integration('e', 'beta'))).rejects.toThrow(
      new DuplicateIntegrationNameError('beta'),
    );
  });

  it('a change of case only keeps the claim it has', async () => {
    await repo.rename('Beta', integration('b', 'BETA'));
    expect((await repo.get('b'))?.name).toBe('BETA');
    await expect(repo.create(integration('f', 'Beta'))).rejects.toThrow(
      new DuplicateIntegrationNameError('Beta'),
    );
  });
});

describe('IntegrationsRepository.recordCompletedRun on DynamoDB Local (the last completed run)', () => {
  let stack: LocalStack;
  let repo: IntegrationsRepository;
  beforeAll(async () => {
    ({ stack, repo } = await integrationsTable());
    await repo.create(integration('a', 'Acme'));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const lastRun = async () => (await repo.get('a'))?.lastCompletedRun;

  it('records a later run over an earlier one, and never an earlier one over a later one', async () => {
    await repo.recordCompletedRun('a', { runId: 'r1', at: '2026-11-02T10:00:00.000Z' });
    expect(await lastRun()).toEqual({ runId: 'r1', at: '2026-11-02T10:00:00.000Z' });
    await repo.recordCompletedRun('a', { runId: 'r3', at: '2026-11-02T10:30:00.000Z' });
    expect(await lastRun()).toEqual({ runId: 'r3', at: '2026-11-02T10:30:00.000Z' });
    // A run's end written late: the later run stays recorded.
    await repo.recordCompletedRun('a', { runId: 'r2', at: '2026-11-02T10:15:00.000Z' });
    expect(await lastRun()).toEqual({ runId: 'r3', at: '2026-11-02T10:30:00.000Z' });
  });

  it('writes nothing for an integration that does not exist', async () => {
    await repo.recordCompletedRun('gone', { runId: 'r1', at: '2026-11-02T10:00:00.000Z' });
    expect(await repo.get('gone')).toBeUndefined();
  });
});
