import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startLocalStack, type LocalStack } from '../../../local/local-stack.js';
import { documentClientFor } from '../../../shared/store/clients.js';
import {
  DuplicateIntegrationNameError,
  IntegrationChangedMeanwhileError,
  IntegrationsRepository,
  SecretsSweptError,
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
    await repo.rename(integration('a', 'Acme'), integration('a', 'Acme EU'));
    expect((await repo.get('a'))?.name).toBe('Acme EU');
    // The old name is free again: another integration may take it.
    await repo.create(integration('c', 'acme'));
    await expect(repo.create(integration('d', 'ACME EU'))).rejects.toThrow(
      new DuplicateIntegrationNameError('ACME EU'),
    );
  });

  it('a name another integration holds is refused and nothing changes', async () => {
    await expect(repo.rename(integration('b', 'Beta'), integration('b', 'acme eu'))).rejects.toThrow(
      new DuplicateIntegrationNameError('acme eu'),
    );
    expect((await repo.get('b'))?.name).toBe('Beta');
    // Beta still holds its own name.
    await expect(repo.create(integration('e', 'beta'))).rejects.toThrow(
      new DuplicateIntegrationNameError('beta'),
    );
  });

  it('a change of case only keeps the claim it has', async () => {
    await repo.rename(integration('b', 'Beta'), integration('b', 'BETA'));
    expect((await repo.get('b'))?.name).toBe('BETA');
    await expect(repo.create(integration('f', 'Beta'))).rejects.toThrow(
      new DuplicateIntegrationNameError('Beta'),
    );
  });
  it('a rename made from a stale read is refused and claims nothing', async () => {
    await repo.create(integration('g', 'Gamma'));
    await repo.rename(integration('g', 'Gamma'), integration('g', 'Delta'));
    await expect(repo.rename(integration('g', 'Gamma'), integration('g', 'Epsilon'))).rejects.toThrow(
      new IntegrationChangedMeanwhileError('g'),
    );
    expect((await repo.get('g'))?.name).toBe('Delta');
    await repo.create(integration('h', 'Epsilon'));
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

describe('IntegrationsRepository.modify on DynamoDB Local (a change never overwrites another made meanwhile)', () => {
  let stack: LocalStack;
  let repo: IntegrationsRepository;
  beforeAll(async () => {
    ({ stack, repo } = await integrationsTable());
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const failing = (current: Integration): Integration => ({
    ...current,
    status: 'failing',
    statusReason: 'Zendesk refused the credentials',
    failure: { kind: 'credentials_refused', since: '2026-11-02T10:00:00.000Z' },
    updatedAt: '2026-11-02T10:00:00.000Z',
  });

  it('writes the attributes it changes alone: one another writer set meanwhile stays', async () => {
    await repo.create(integration('other', 'Other attribute'));
    const stored = await repo.modify('other', async (current) => {
      await repo.recordCompletedRun('other', { runId: 'r1', at: '2026-11-02T09:00:00.000Z' });
      return failing(current);
    });
    const expected = {
      ...failing(integration('other', 'Other attribute')),
      lastCompletedRun: { runId: 'r1', at: '2026-11-02T09:00:00.000Z' },
    };
    expect(stored).toEqual(expected);
    expect(await repo.get('other')).toEqual(expected);
  });

  it('an integration deleted meanwhile stays deleted, and the change is not asked again', async () => {
    await repo.create(integration('gone', 'Deleted meanwhile'));
    let asked = 0;
    const stored = await repo.modify('gone', async (current) => {
      asked += 1;
      await repo.markDeleted({ ...current, status: 'deleted', statusReason: 'deleted by the user' });
      return { ...current, timeZone: 'Europe/Amsterdam' };
    });
    expect(stored).toBeUndefined();
    expect(asked).toBe(1);
    const after = await repo.get('gone');
    expect(after?.status).toBe('deleted');
    expect(after?.timeZone).toBeUndefined();
  });

  it('an attribute another writer changed meanwhile is read again and the change asked again', async () => {
    await repo.create(integration('same', 'Same attribute'));
    const seen: (string | null)[] = [];
    const stored = await repo.modify('same', async (current) => {
      seen.push(current.statusReason);
      // The user pauses while the pipeline marks the integration failing: both write status.
      if (seen.length === 1)
        await repo.modify('same', (c) => ({ ...c, status: 'paused', statusReason: 'paused by the user' }));
      return failing(current);
    });
    expect(seen).toEqual([null, 'paused by the user']);
    expect(stored).toEqual(failing(integration('same', 'Same attribute')));
  });

  it('removes what the change drops, under the same guard', async () => {
    await repo.create({
      ...integration('drop', 'Dropped zone'),
      timeZone: 'Asia/Tokyo',
      timeZoneChosen: true,
    });
    const stored = await repo.modify('drop', ({ timeZone: _zone, timeZoneChosen: _chosen, ...rest }) => rest);
    expect(stored).toEqual(integration('drop', 'Dropped zone'));
    expect(await repo.get('drop')).toEqual(integration('drop', 'Dropped zone'));
  });

  it('a change that changes nothing writes nothing, and one that does not exist is undefined', async () => {
    await repo.create(integration('same-value', 'Nothing changes'));
    expect(await repo.modify('same-value', (current) => ({ ...current }))).toEqual(
      integration('same-value', 'Nothing changes'),
    );
    expect(await repo.modify('never-created', failing)).toBeUndefined();
  });

  it('gives up after five tries with IntegrationChangedMeanwhileError when it is changed every time', async () => {
    await repo.create(integration('busy', 'Always changing'));
    let asked = 0;
    await expect(
      repo.modify('busy', async (current) => {
        asked += 1;
        await repo.modify('busy', (c) => ({ ...c, historyDays: c.historyDays + 1 }));
        return { ...current, historyDays: 1 };
      }),
    ).rejects.toThrow(new IntegrationChangedMeanwhileError('busy'));
    expect(asked).toBe(5);
    expect((await repo.get('busy'))?.historyDays).toBe(35);
  });
});

describe('IntegrationsRepository: ids marked unconfirmed, on DynamoDB Local', () => {
  let stack: LocalStack;
  let repo: IntegrationsRepository;
  beforeAll(async () => {
    ({ stack, repo } = await integrationsTable());
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('are listed oldest first, apart from the integrations, and an unmarked one is gone', async () => {
    await repo.create(integration('saved', 'Saved'));
    await repo.markSecretsUnconfirmed('later', '2026-12-07T10:00:02.000Z');
    await repo.markSecretsUnconfirmed('earlier', '2026-12-07T10:00:01.000Z');
    await repo.markSecretsUnconfirmed('saved', '2026-12-07T10:00:03.000Z');
    await repo.unmarkSecrets('saved');
    await repo.unmarkSecrets('never-marked');
    expect(await repo.secretsMarkedUnconfirmed()).toEqual([
      { integrationId: 'earlier', since: '2026-12-07T10:00:01.000Z' },
      { integrationId: 'later', since: '2026-12-07T10:00:02.000Z' },
    ]);
    // A mark is no integration: the list of integrations is unchanged by them.
    expect((await repo.list()).map((i) => i.id)).toEqual(['saved']);
    await repo.unmarkSecrets('earlier');
    await repo.unmarkSecrets('later');
  });

  const markOf = async (id: string) =>
    (await repo.secretsMarkedUnconfirmed()).find((m) => m.integrationId === id);

  it('a save whose mark a sweep claimed first is refused, and nothing of it is written (rule: a sweep and a slow add never both go ahead)', async () => {
    await repo.markSecretsUnconfirmed('slow', '2026-12-07T10:00:00.000Z');
    const mark = (await markOf('slow'))!;
    expect(await repo.claimUnconfirmedMark(mark, '2026-12-07T11:00:01.000Z')).toBe(true);
    await expect(repo.create(integration('slow', 'Slow'), { marked: true })).rejects.toThrow(
      new SecretsSweptError('slow'),
    );
    expect(await repo.get('slow')).toBeUndefined();
    // Its name was not taken either.
    await repo.create(integration('other', 'Slow'));
    await repo.releaseClaimedMark('slow', '2026-12-07T11:00:01.000Z');
    expect(await markOf('slow')).toBeUndefined();
  });

  it('a save made first removes its mark with it, and a sweep then finds nothing to claim', async () => {
    await repo.markSecretsUnconfirmed('quick', '2026-12-07T10:00:00.000Z');
    const mark = (await markOf('quick'))!;
    await repo.create(integration('quick', 'Quick'), { marked: true });
    expect(await markOf('quick')).toBeUndefined();
    expect(await repo.claimUnconfirmedMark(mark, '2026-12-07T11:00:01.000Z')).toBe(false);
    // A save whose mark a sweep already removed is refused too.
    await expect(repo.create(integration('unmarked', 'Unmarked'), { marked: true })).rejects.toThrow(
      new SecretsSweptError('unmarked'),
    );
  });

  it("a claim is refused for a mark written again since it was read, or held by another sweep since the bound; one held from before the bound is taken over, and only the claim's own release removes it", async () => {
    await repo.markSecretsUnconfirmed('busy', '2026-12-07T10:00:00.000Z');
    const first = (await markOf('busy'))!;
    await repo.markSecretsUnconfirmed('busy', '2026-12-07T10:05:00.000Z');
    expect(await repo.claimUnconfirmedMark(first, '2026-12-07T11:10:00.000Z')).toBe(false);
    const again = (await markOf('busy'))!;
    expect(await repo.claimUnconfirmedMark(again, '2026-12-07T11:10:00.000Z')).toBe(true);
    const bound = '2026-12-07T11:00:00.000Z';
    expect(await repo.claimUnconfirmedMark(again, '2026-12-07T12:00:00.000Z', bound)).toBe(false);
    expect(
      await repo.claimUnconfirmedMark(again, '2026-12-07T12:30:00.000Z', '2026-12-07T11:30:00.000Z'),
    ).toBe(true);
    await repo.releaseClaimedMark('busy', '2026-12-07T11:10:00.000Z');
    expect((await markOf('busy'))?.sweptAt).toBe('2026-12-07T12:30:00.000Z');
    await repo.releaseClaimedMark('busy', '2026-12-07T12:30:00.000Z');
    expect(await markOf('busy')).toBeUndefined();
  });
});
