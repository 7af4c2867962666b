import { describe, expect, it, jest } from '@jest/globals';
import { DuplicateIntegrationNameError } from '../../../shared/store/integrations-repository.js';
import {
  checkPendingMessage,
  CredentialsRejectedError,
  ImmutableFieldError,
  IntegrationService,
  IntegrationNotFoundError,
  IntegrationValidationError,
  ParkedWorkError,
  type CredentialChecker,
  type IntegrationServiceDeps,
} from '../../../shared/pipeline/integrations.js';
import type { Integration } from '../../../shared/store/integrations-repository.js';
import type { ZendeskCredentials } from '../../../shared/zendesk/auth.js';
import { anIntegration, anIntegrationInput, modifyOf } from '../../support/integrations.js';

const valid = anIntegrationInput();

const world = (existing: Integration[] = []) => {
  const saved: Integration[] = [...existing];
  const secrets = new Map<string, ZendeskCredentials>();
  const marks = new Map<string, string>();
  const replace = (i: Integration) =>
    void saved.splice(
      saved.findIndex((s) => s.id === i.id),
      1,
      i,
    );
  const deps: IntegrationServiceDeps = {
    integrations: {
      list: async () => saved,
      get: async (id: string) => saved.find((i) => i.id === id),
      create: async (i: Integration, options?: { marked?: boolean }) => {
        saved.push(i);
        if (options?.marked) marks.delete(i.id);
      },
      markSecretsUnconfirmed: async (id: string, since: string) => void marks.set(id, since),
      unmarkSecrets: async (id: string) => void marks.delete(id),
      modify: modifyOf(
        (id) => saved.find((i) => i.id === id),
        (i) => replace(i),
      ),
      rename: async (_previous: Integration, i: Integration) => replace(i),
      markDeleted: async (i: Integration) => replace(i),
    },
    bus: { sendFetchJob: async () => undefined },
    secrets: {
      get: async (id: string) => secrets.get(id)!,
      put: async (id: string, c: ZendeskCredentials) => void secrets.set(id, c),
      delete: async (id: string) => void secrets.delete(id),
    },
    now: () => new Date('2026-03-02T12:34:56Z'),
  };
  const check = jest.fn<CredentialChecker>(async () => ({
    kind: 'ok',
    user: { id: 1, email: 'admin@acme.test', role: 'admin' },
  }));
  return { deps, saved, secrets, marks, check, service: new IntegrationService(deps, check, () => 'id-1') };
};

const errorOf = async (p: Promise<unknown>): Promise<Error> => {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
};

describe('IntegrationService.create validation', () => {
  it.each([
    ['name', { name: '  ' }, 'name is required'],
    ['name with an ANSI escape', { name: 'Acme\u001b[2J' }, 'name must not contain control characters'],
    ['name with a newline', { name: 'Acme\nstatus active' }, 'name must not contain control characters'],
    [
      'name with a right-to-left override',
      { name: 'Acme\u202Eevil' },
      'name must not contain control characters',
    ],
    [
      'domain with a scheme',
      { domain: 'https://acme.zendesk.com' },
      'domain must be the full Zendesk host including the subdomain, e.g. example.zendesk.com',
    ],
    [
      'domain with a path',
      { domain: 'acme.zendesk.com/agent' },
      'domain must be the full Zendesk host including the subdomain, e.g. example.zendesk.com',
    ],
    [
      'bare subdomain',
      { domain: 'acme' },
      'domain must be the full Zendesk host including the subdomain, e.g. example.zendesk.com',
    ],
    [
      'username',
      { username: 'admin' },
      'username must be the email address of a Zendesk user with administrative permissions',
    ],
    [
      'credentials kind',
      { credentials: { kind: 'password' } },
      'credentials.kind must be one of api_token, oauth_client_credentials, oauth_refresh_token',
    ],
    ['api token', { credentials: { kind: 'api_token', apiToken: '' } }, 'credentials.apiToken is required'],
    [
      'client secret',
      { credentials: { kind: 'oauth_client_credentials', clientId: 'c' } },
      'credentials.clientSecret expected string, received undefined',
    ],
    [
      'OAuth scope',
      {
        credentials: {
          kind: 'oauth_client_credentials',
          clientId: 'c',
          clientSecret: 's',
          scope: 'read,write',
        },
      },
      'credentials.scope must be space-separated Zendesk OAuth scopes, e.g. "read" or "tickets:read users:read"',
    ],
    ['grouping strategy', { groupingStrategy: 'queue' }, 'groupingStrategy must be "ivr" or "phone_number"'],
    ['interval', { intervalMinutes: 20 }, 'intervalMinutes must be 15, 30 or 60'],
    ['service level threshold', { serviceLevelSeconds: 0 }, 'serviceLevelSeconds must be at least 1'],
    [
      'service level threshold',
      { serviceLevelSeconds: 2.5 },
      'serviceLevelSeconds must be a whole number of seconds',
    ],
    ['history days', { historyDays: 0 }, 'historyDays must be at least 1'],
    [
      'webhook ticket reads',
      { webhookTicketReadsPerMinute: 201 },
      'webhookTicketReadsPerMinute must be at most 200',
    ],
    [
      'webhook ticket reads',
      { webhookTicketReadsPerMinute: -1 },
      'webhookTicketReadsPerMinute must be at least 0 (none)',
    ],
    ['base URL', { baseUrl: 'http://example.com' }, 'baseUrl must be a loopback URL (the local sandbox)'],
    [
      'base URL with a password in it (it would be shown by every command)',
      { baseUrl: 'http://me:secret-token@127.0.0.1:8080/' },
      'baseUrl must be the address only, without a user, password, query or fragment (credentials go in their own options)',
    ],
    [
      'base URL with a query',
      { baseUrl: 'http://127.0.0.1:8080/?access_token=abc' },
      'baseUrl must be the address only, without a user, password, query or fragment (credentials go in their own options)',
    ],
    ['import start', { importFrom: '2026-01-01' }, 'importFrom must be an ISO-8601 date and time'],
    ['import end', { importUntil: 'yesterday' }, 'importUntil must be an ISO-8601 date and time'],
    [
      'import end not after its start',
      { importFrom: '2026-01-10T00:00:00Z', importUntil: '2026-01-10T00:00:00Z' },
      'importUntil must be after the start of the import (2026-01-10T00:00:00.000Z)',
    ],
    [
      'import end before the default start',
      { historyDays: 30, importUntil: '2026-01-01T00:00:00Z' },
      'importUntil must be after the start of the import (2026-01-31T12:00:00.000Z)',
    ],
  ])('refuses a bad %s, naming the field, and saves nothing', async (_what, change, message) => {
    const { service, saved, secrets, check } = world();
    const error = await errorOf(service.create({ ...valid, ...change }));
    expect(error).toBeInstanceOf(IntegrationValidationError);
    expect(error.message.replace('Invalid input: ', '')).toBe(message);
    expect(error.message).not.toContain('tok-secret-123');
    expect(saved).toEqual([]);
    expect(secrets.size).toBe(0);
    expect(check).not.toHaveBeenCalled();
  });

  it('refuses a duplicate name case-insensitively, and refused credentials, saving nothing', async () => {
    const { service, saved } = world();
    await service.create(valid);
    await expect(service.create({ ...valid, name: ' ACME ' })).rejects.toThrow(
      'name: an integration named "ACME" already exists',
    );
    const other = world();
    other.check.mockResolvedValueOnce({ kind: 'not_admin', role: 'agent', message: 'not an admin' });
    const error = await errorOf(other.service.create(valid));
    expect(error).toBeInstanceOf(CredentialsRejectedError);
    expect(error.message).toBe(
      "username must be a Zendesk user with administrative permissions (the user's role is agent)",
    );
    expect(other.saved).toEqual([]);
    expect(saved).toHaveLength(1);
  });

  it('stores the token only in the secret store, warns about the API token sunset, and keeps strategy and interval fixed', async () => {
    const { service, saved, secrets } = world();
    const { integration, warnings } = await service.create(valid);
    expect(integration).toEqual({
      id: 'id-1',
      name: 'Acme',
      domain: 'acme.zendesk.com',
      username: 'admin@acme.test',
      credentialKind: 'api_token',
      groupingStrategy: 'ivr',
      intervalMinutes: 15,
      serviceLevelSeconds: 20,
      historyDays: 365,
      importFrom: '2025-03-02T12:00:00.000Z',
      status: 'active',
      statusReason: null,
      createdAt: '2026-03-02T12:34:56.000Z',
      updatedAt: '2026-03-02T12:34:56.000Z',
    });
    expect(JSON.stringify(saved)).not.toContain('tok-secret-123');
    expect(secrets.get('id-1')).toEqual({
      kind: 'api_token',
      username: 'admin@acme.test',
      apiToken: 'tok-secret-123',
    });
    expect(warnings).toEqual([
      'Zendesk stops accepting API tokens on 2027-04-30: switch this integration to OAuth credentials before then (its history is kept).',
    ]);
    await expect(service.update('id-1', { groupingStrategy: 'phone_number' })).rejects.toThrow(
      new ImmutableFieldError('groupingStrategy', 'ivr'),
    );
    await expect(service.update('id-1', { intervalMinutes: 30 })).rejects.toThrow(
      'intervalMinutes cannot be changed once the integration is saved (it is 15): the whole history is cut into intervals by it, so another value needs a new integration (`integration add`); nothing was changed',
    );
    await expect(service.update('id-1', { serviceLevelSeconds: 30 })).rejects.toThrow(
      "serviceLevelSeconds cannot be changed once the integration is saved (it is 20): the whole history is measured against Talk's service level by it, so another value needs a new integration (`integration add`); nothing was changed",
    );
    // The same threshold is no change.
    expect(await service.update('id-1', { serviceLevelSeconds: 20 })).toEqual(integration);
    expect(saved[0]).toEqual(integration);

    const replaced = await service.replaceCredentials('id-1', {
      kind: 'oauth_client_credentials',
      clientId: 'c',
      clientSecret: 's',
    });
    expect(replaced.warnings).toEqual([]);
    expect(replaced.integration.credentialKind).toBe('oauth_client_credentials');
    expect(secrets.get('id-1')).toEqual({
      kind: 'oauth_client_credentials',
      clientId: 'c',
      clientSecret: 's',
    });
  });
});

describe('IntegrationService: the import window is set at creation', () => {
  it.each([
    [
      'by default: historyDays before now, rounded down to the hour, with no end',
      { historyDays: 30 },
      { importFrom: '2026-01-31T12:00:00.000Z' },
    ],
    [
      'a start given is kept exactly (to the second, any offset read as UTC)',
      { historyDays: 30, importFrom: '2026-02-01T09:17:05+02:00' },
      { importFrom: '2026-02-01T07:17:05.000Z' },
    ],
    [
      'an import of a past period keeps its end',
      { importFrom: '2026-01-01T00:00:00Z', importUntil: '2026-02-01T00:00:00Z' },
      { importFrom: '2026-01-01T00:00:00.000Z', importUntil: '2026-02-01T00:00:00.000Z' },
    ],
  ])('%s', async (_rule, window, expected) => {
    const { service, saved } = world();
    const { integration } = await service.create({ ...valid, ...window });
    expect({ importFrom: integration.importFrom, importUntil: integration.importUntil }).toEqual({
      importUntil: undefined,
      ...expected,
    });
    expect(saved).toEqual([integration]);
  });
});

/** Unconfirmed-secret marks as writes beside the others, in order. */
const markLog = (
  writes: string[],
): Pick<IntegrationServiceDeps['integrations'], 'markSecretsUnconfirmed' | 'unmarkSecrets'> => ({
  markSecretsUnconfirmed: async (id) => void writes.push(`mark ${id}`),
  unmarkSecrets: async (id) => void writes.push(`unmark ${id}`),
});

describe('IntegrationService.create: what belongs to the new id is stored before the integration', () => {
  /** The writes in order, as a process dying between any two would leave them. */
  const recorded = (createFails = false) => {
    const w = world();
    const writes: string[] = [];
    const deps: IntegrationServiceDeps = {
      ...w.deps,
      secrets: {
        ...w.deps.secrets,
        put: async (id) => void writes.push(`credentials ${id}`),
        delete: async (id) => void writes.push(`delete credentials ${id}`),
      },
      integrations: {
        ...w.deps.integrations,
        ...markLog(writes),
        create: async (i, options) => {
          if (createFails) throw new Error('ConditionalCheckFailed');
          writes.push(`integration ${i.id}${options?.marked ? ', its mark removed with it' : ''}`);
        },
      },
    };
    const beforeSave = {
      store: async (id: string) => void writes.push(`signing secret ${id}`),
      remove: async (id: string) => void writes.push(`delete signing secret ${id}`),
    };
    return {
      writes,
      create: () => new IntegrationService(deps, w.check, () => 'id-1').create(valid, beforeSave),
    };
  };

  it.each([
    [
      'saved: the id marked unconfirmed, the credentials, the signing secret, then the integration saved only with its mark (removed in the same step)',
      false,
      ['mark id-1', 'credentials id-1', 'signing secret id-1', 'integration id-1, its mark removed with it'],
    ],
    [
      'the integration not saved: both secrets are removed again, then the mark',
      true,
      [
        'mark id-1',
        'credentials id-1',
        'signing secret id-1',
        'delete signing secret id-1',
        'delete credentials id-1',
        'unmark id-1',
      ],
    ],
  ])('%s', async (_rule, createFails, expected) => {
    const r = recorded(createFails);
    const outcome = await r.create().then(
      () => 'saved',
      (e: Error) => e.message,
    );
    expect(outcome).toBe(createFails ? 'ConditionalCheckFailed' : 'saved');
    expect(r.writes).toEqual(expected);
  });
});

describe('IntegrationService.create: a cleanup that fails after the integration was not saved', () => {
  it('still removes the credentials, keeps the id marked for the next sweep (a secret is left), and the error said is why the integration was not saved', async () => {
    const w = world();
    const writes: string[] = [];
    const service = new IntegrationService(
      {
        ...w.deps,
        integrations: {
          ...w.deps.integrations,
          ...markLog(writes),
          create: async () => Promise.reject(new Error('throttled')),
        },
      },
      w.check,
      () => 'id-1',
    );
    const outcome = await service
      .create(valid, {
        store: async () => undefined,
        remove: async () => Promise.reject(new Error('secret store down')),
      })
      .then(
        () => 'saved',
        (e: Error) => e.message,
      );
    expect(outcome).toBe('throttled');
    expect(w.secrets.size).toBe(0);
    expect(writes).toEqual(['mark id-1']);
  });
});

describe('IntegrationService: the mark comes first (rule: no secret is written, nor an integration marked deleted, unless a sweep could find it)', () => {
  /** The service of a world whose marks cannot be written. */
  const markFailing = (w: ReturnType<typeof world>) =>
    new IntegrationService(
      {
        ...w.deps,
        integrations: {
          ...w.deps.integrations,
          markSecretsUnconfirmed: async () => Promise.reject(new Error('throttled')),
        },
      },
      w.check,
      () => 'id-1',
    );

  it('create: a mark that cannot be written stores no secret and saves nothing', async () => {
    const w = world();
    const service = markFailing(w);
    const store = jest.fn(async (_id: string) => undefined);
    await expect(service.create(valid, { store, remove: async () => undefined })).rejects.toThrow(
      'throttled',
    );
    expect([w.secrets.size, store.mock.calls.length, w.saved]).toEqual([0, 0, []]);
  });

  it('delete: a mark that cannot be written leaves the integration and its secrets as they were', async () => {
    const w = world([anIntegration({ id: 'id-1' })]);
    const credentials = { kind: 'api_token', username: 'admin@acme.test', apiToken: 'token-1' } as const;
    w.secrets.set('id-1', credentials);
    await expect(markFailing(w).delete('id-1')).rejects.toThrow('throttled');
    expect([w.saved[0]?.status, w.secrets.get('id-1')]).toEqual(['active', credentials]);
  });

  it('create: saved, no mark is left (the save removed it)', async () => {
    const w = world();
    await w.service.create(valid);
    expect([w.saved.map((i) => i.id), [...w.marks.keys()]]).toEqual([['id-1'], []]);
  });
});

describe('IntegrationService.delete: the id is marked unconfirmed until its secrets are gone', () => {
  const deleting = (removeAlsoFails = false, unmarkFails = false) => {
    const w = world([anIntegration({ id: 'id-1' })]);
    w.secrets.set('id-1', { kind: 'api_token', username: 'admin@acme.test', apiToken: 'token-1' });
    const writes: string[] = [];
    const service = new IntegrationService(
      {
        ...w.deps,
        integrations: {
          ...w.deps.integrations,
          ...markLog(writes),
          ...(unmarkFails ? { unmarkSecrets: async () => Promise.reject(new Error('throttled')) } : {}),
          markDeleted: async (i) => void writes.push(`integration ${i.id} ${i.status}`),
        },
        secrets: { ...w.deps.secrets, delete: async (id) => void writes.push(`delete credentials ${id}`) },
      },
      w.check,
    );
    const removeAlso = async (id: string) => {
      if (removeAlsoFails) throw new Error('secret store down');
      writes.push(`delete signing secret ${id}`);
    };
    return {
      writes,
      run: () =>
        service.delete('id-1', removeAlso).then(
          () => 'deleted',
          (e: Error) => e.message,
        ),
    };
  };

  it.each([
    [
      'deleted: marked, the integration marked deleted, both secrets removed, then unmarked',
      false,
      'deleted',
      [
        'mark id-1',
        'integration id-1 deleted',
        'delete credentials id-1',
        'delete signing secret id-1',
        'unmark id-1',
      ],
    ],
    [
      'a secret not removed: the mark stays for the sweep',
      true,
      'secret store down',
      ['mark id-1', 'integration id-1 deleted', 'delete credentials id-1'],
    ],
    [
      'the mark not removed at the end: the delete is done all the same (the next sweep removes the mark)',
      'unmark fails',
      'deleted',
      ['mark id-1', 'integration id-1 deleted', 'delete credentials id-1', 'delete signing secret id-1'],
    ],
  ])('%s', async (_rule, fails, outcome, expected) => {
    const d = deleting(fails === true, fails === 'unmark fails');
    expect(await d.run()).toBe(outcome);
    expect(d.writes).toEqual(expected);
  });
});

describe('IntegrationService: a secret written for an existing integration is marked too (rule: a delete in between never leaves it for good)', () => {
  /**
   * An integration whose writes are recorded in order; `deletedAfter` names the write after which
   * another command (a client of serve's) deletes it.
   */
  const recorded = (deletedAfter?: string, storeFails = false) => {
    const w = world([anIntegration({ id: 'id-1' })]);
    const writes: string[] = [];
    const deleteAfter = (write: string) => {
      writes.push(write);
      if (write === deletedAfter)
        w.saved.splice(0, 1, { ...w.saved[0]!, status: 'deleted', statusReason: 'deleted by the user' });
    };
    const service = new IntegrationService(
      {
        ...w.deps,
        integrations: {
          ...w.deps.integrations,
          markSecretsUnconfirmed: async (id) => deleteAfter(`mark ${id}`),
          unmarkSecrets: async (id) => void writes.push(`unmark ${id}`),
        },
        secrets: {
          ...w.deps.secrets,
          put: async (id) => deleteAfter(`credentials ${id}`),
          delete: async (id) => void writes.push(`delete credentials ${id}`),
        },
      },
      w.check,
    );
    const signingSecret = {
      store: async (id: string) => {
        if (storeFails) throw new Error('disk full');
        deleteAfter(`signing secret ${id}`);
      },
      remove: async (id: string) => void writes.push(`delete signing secret ${id}`),
    };
    const outcome = (p: Promise<unknown>) =>
      p.then(
        () => 'stored',
        (e: Error) => e.constructor.name,
      );
    return {
      writes,
      w,
      storeSigningSecret: () => outcome(service.storeSecretOf('id-1', signingSecret)),
      replaceCredentials: () =>
        outcome(
          service.replaceCredentials('id-1', {
            kind: 'oauth_client_credentials',
            clientId: 'c',
            clientSecret: 's',
          }),
        ),
    };
  };

  it.each([
    [
      'signing secret: marked, stored, unmarked',
      undefined,
      'stored',
      ['mark id-1', 'signing secret id-1', 'unmark id-1'],
    ],
    [
      'signing secret, the integration deleted while it was stored: removed again, then unmarked',
      'signing secret id-1',
      'IntegrationNotFoundError',
      ['mark id-1', 'signing secret id-1', 'delete signing secret id-1', 'unmark id-1'],
    ],
    [
      'signing secret, the integration deleted after the mark: removed again (the mark was there first)',
      'mark id-1',
      'IntegrationNotFoundError',
      ['mark id-1', 'signing secret id-1', 'delete signing secret id-1', 'unmark id-1'],
    ],
  ])('%s', async (_rule, deletedAfter, outcome, expected) => {
    const r = recorded(deletedAfter);
    expect(await r.storeSigningSecret()).toBe(outcome);
    expect(r.writes).toEqual(expected);
  });

  it('signing secret for a deleted integration: refused, nothing written', async () => {
    const r = recorded();
    r.w.saved.splice(0, 1, { ...r.w.saved[0]!, status: 'deleted' });
    expect([await r.storeSigningSecret(), r.writes]).toEqual(['IntegrationNotFoundError', []]);
  });

  it('signing secret whose write fails: the mark stays for the sweep (the write may have landed)', async () => {
    const r = recorded(undefined, true);
    expect([await r.storeSigningSecret(), r.writes]).toEqual(['Error', ['mark id-1']]);
  });

  it.each([
    [
      'credentials: marked, stored, unmarked',
      undefined,
      'stored',
      ['mark id-1', 'credentials id-1', 'unmark id-1'],
    ],
    [
      'credentials, the integration deleted while they were stored: removed again, then unmarked',
      'credentials id-1',
      'IntegrationNotFoundError',
      ['mark id-1', 'credentials id-1', 'delete credentials id-1', 'unmark id-1'],
    ],
  ])('%s', async (_rule, deletedAfter, outcome, expected) => {
    const r = recorded(deletedAfter);
    expect(await r.replaceCredentials()).toBe(outcome);
    expect(r.writes).toEqual(expected);
  });
});

describe('IntegrationService.resume starts an import run', () => {
  it('sends the first fetch job of a run named after the resume', async () => {
    const w = world();
    const sent: unknown[] = [];
    w.deps = { ...w.deps, bus: { sendFetchJob: async (job) => void sent.push(job) } };
    const service = new IntegrationService(w.deps, w.check, () => 'id-1');
    await service.create(valid);
    await service.pause('id-1');
    expect((await service.resume('id-1')).status).toBe('active');
    expect(sent).toEqual([
      {
        version: 1,
        integrationId: 'id-1',
        stream: 'users',
        chain: true,
        runId: 'resume-2026-03-02T12:34:56.000Z',
      },
    ]);
  });
});

/** The deps with another writer's work done just before each change's write reads the integration. */
const withWriterBefore = (
  deps: IntegrationServiceDeps,
  meanwhile: () => void | Promise<void>,
): IntegrationServiceDeps => {
  const { modify } = deps.integrations;
  return {
    ...deps,
    integrations: {
      ...deps.integrations,
      modify: async (id, change) => {
        await meanwhile();
        return modify(id, change);
      },
    },
  };
};

describe('IntegrationService.resume and parked work', () => {
  it('refuses work parked between its first look and its write: judged on the integration it writes, no run started', async () => {
    const paused = anIntegration({ status: 'paused', statusReason: 'paused by the user' });
    const w = world([paused]);
    const sent: unknown[] = [];
    const parkedMeanwhile: Integration = {
      ...paused,
      status: 'failing',
      statusReason: 'work parked',
      parked: [
        { queue: 'updates', reason: 'audits: 500', concerns: 'page p1', since: '2026-03-02T12:00:00.000Z' },
      ],
    };
    // A consumer parks work of the integration just before the resume's write reads it.
    w.deps = {
      ...withWriterBefore(w.deps, () => void w.saved.splice(0, 1, parkedMeanwhile)),
      bus: { sendFetchJob: async (job) => void sent.push(job) },
    };
    const service = new IntegrationService(w.deps, w.check);
    await expect(service.resume(paused.id)).rejects.toThrow(ParkedWorkError);
    expect(w.saved).toEqual([parkedMeanwhile]);
    expect(sent).toEqual([]);
  });
});

describe('IntegrationService: another writer in between', () => {
  it('update keeping a name another user just renamed away from renames it back, claiming the name', async () => {
    const w = world();
    const service = new IntegrationService(w.deps, w.check, () => 'id-1');
    await service.create(valid);
    const renames: [string, string][] = [];
    const { rename } = w.deps.integrations;
    let renamedMeanwhile = false;
    // The other user's rename lands just before this update's write reads the integration.
    const meanwhile = withWriterBefore(w.deps, async () => {
      if (renamedMeanwhile) return;
      renamedMeanwhile = true;
      await rename(w.saved[0]!, { ...w.saved[0]!, name: 'Beta' });
    });
    w.deps = {
      ...meanwhile,
      integrations: {
        ...meanwhile.integrations,
        rename: async (previous, next) => {
          renames.push([previous.name, next.name]);
          return rename(previous, next);
        },
      },
    };
    const updated = await new IntegrationService(w.deps, w.check).update('id-1', {
      name: 'Acme',
      historyDays: 10,
    });
    expect(updated).toMatchObject({ name: 'Acme', historyDays: 10 });
    expect(w.saved[0]).toMatchObject({ name: 'Acme', historyDays: 10 });
    // Planned again from "Beta": the name is claimed through a rename, never set on its own.
    expect(renames).toEqual([['Beta', 'Acme']]);
  });

  it('credentials replaced while the integration is deleted leave no secret behind', async () => {
    const w = world();
    const service = new IntegrationService(w.deps, w.check, () => 'id-1');
    await service.create(valid);
    w.deps = withWriterBefore(
      w.deps,
      () =>
        void w.saved.splice(0, 1, { ...w.saved[0]!, status: 'deleted', statusReason: 'deleted by the user' }),
    );
    await expect(
      new IntegrationService(w.deps, w.check).replaceCredentials('id-1', {
        kind: 'oauth_client_credentials',
        clientId: 'c',
        clientSecret: 's',
      }),
    ).rejects.toThrow(IntegrationNotFoundError);
    expect(w.secrets.has('id-1')).toBe(false);
  });
});

describe('IntegrationService: the user’s view choices', () => {
  it('personal views are off unless asked for at creation', async () => {
    const { service } = world();
    expect((await service.create(valid)).integration.includePersonalViews).toBeUndefined();
    const other = world();
    expect(
      (await other.service.create({ ...valid, includePersonalViews: true })).integration.includePersonalViews,
    ).toBe(true);
  });

  it('excludes and includes views; the last word on a view wins', async () => {
    const { service, saved } = world();
    await service.create(valid);
    await service.chooseViews('id-1', { exclude: [5, 3] });
    const chosen = await service.chooseViews('id-1', { include: [5, 9] });
    expect([chosen.excludedViewIds, chosen.includedViewIds]).toEqual([[3], [5, 9]]);
    expect(saved[0]).toEqual(chosen);
  });
});

describe('IntegrationService: OAuth refresh tokens rotate during the check', () => {
  const REFRESH = {
    kind: 'oauth_refresh_token',
    clientId: 'wfm',
    clientSecret: 'cs-secret-123',
    refreshToken: 'rt-given-1',
  };
  /** Rotates the token like Zendesk, then records what the store holds before the check goes on. */
  const rotatingCheck = (
    verdict: 'ok' | 'not_admin' | 'rate_limited' | 'unreachable',
    afterSave: () => void = () => undefined,
  ) =>
    jest.fn<CredentialChecker>(async (_target, _credentials, saveRefreshToken) => {
      await saveRefreshToken('rt-rotated-2');
      afterSave();
      return verdict === 'ok'
        ? { kind: 'ok', user: { id: 1, email: 'admin@acme.test', role: 'admin' } }
        : verdict === 'rate_limited'
          ? { kind: 'rate_limited', retryAfterSeconds: 60, waitedSeconds: 300 }
          : verdict === 'unreachable'
            ? {
                kind: 'unreachable_or_not_zendesk',
                message: 'https://acme.zendesk.com is not reachable (timeout)',
              }
            : { kind: 'not_admin', role: 'agent', message: 'an agent' };
    });

  it('create stores the rotated refresh token before the check goes on, not the revoked one it was given', async () => {
    const w = world();
    let storedDuringCheck: unknown;
    const check = rotatingCheck('ok', () => (storedDuringCheck = w.secrets.get('id-1')));
    await new IntegrationService(w.deps, check, () => 'id-1').create({ ...valid, credentials: REFRESH });
    expect(storedDuringCheck).toEqual({ ...REFRESH, refreshToken: 'rt-rotated-2' });
    expect(w.secrets.get('id-1')).toEqual({ ...REFRESH, refreshToken: 'rt-rotated-2' });
  });

  it('create refused after a rotation leaves no secret behind, and no mark: the id was marked before the rotated token was stored', async () => {
    const w = world();
    const writes: string[] = [];
    const service = new IntegrationService(
      {
        ...w.deps,
        integrations: { ...w.deps.integrations, ...markLog(writes) },
        secrets: {
          ...w.deps.secrets,
          put: async (id, c) => {
            writes.push(`credentials ${id}`);
            await w.deps.secrets.put(id, c);
          },
        },
      },
      rotatingCheck('not_admin'),
      () => 'id-1',
    );
    await expect(service.create({ ...valid, credentials: REFRESH })).rejects.toThrow(
      CredentialsRejectedError,
    );
    expect(w.secrets.size).toBe(0);
    expect(w.saved).toEqual([]);
    expect(writes).toEqual(['mark id-1', 'credentials id-1', 'unmark id-1']);
  });

  it('create rate limited after a rotation keeps the rotated token: the integration is saved, its check said pending', async () => {
    const w = world();
    const service = new IntegrationService(w.deps, rotatingCheck('rate_limited'), () => 'id-1');
    const saved = await service.create({ ...valid, credentials: REFRESH });
    expect(w.secrets.get('id-1')).toEqual({ ...REFRESH, refreshToken: 'rt-rotated-2' });
    expect(w.saved.map((i) => i.id)).toEqual(['id-1']);
    expect(saved.checkPending).toBe(
      checkPendingMessage(valid.username, {
        kind: 'rate_limited',
        retryAfterSeconds: 60,
        waitedSeconds: 300,
      }),
    );
  });

  it('create whose check Zendesk did not answer after a rotation keeps the rotated token too, saying why', async () => {
    const w = world();
    const service = new IntegrationService(w.deps, rotatingCheck('unreachable'), () => 'id-1');
    const saved = await service.create({ ...valid, credentials: REFRESH });
    expect(w.secrets.get('id-1')).toEqual({ ...REFRESH, refreshToken: 'rt-rotated-2' });
    expect(saved.checkPending).toContain(
      'did not answer the check (https://acme.zendesk.com is not reachable (timeout))',
    );
  });

  it('create rate limited without a rotation saves nothing: the credentials given still work next time', async () => {
    const w = world();
    const check = jest.fn<CredentialChecker>(async () => ({
      kind: 'rate_limited',
      retryAfterSeconds: 60,
      waitedSeconds: 300,
    }));
    await expect(new IntegrationService(w.deps, check, () => 'id-1').create(valid)).rejects.toThrow(
      CredentialsRejectedError,
    );
    expect([w.secrets.size, w.saved.length]).toEqual([0, 0]);
  });

  it('replaceCredentials rate limited after a rotation keeps the rotated token, not the previous credentials', async () => {
    const w = world();
    await w.service.create(valid);
    const replaced = await new IntegrationService(w.deps, rotatingCheck('rate_limited')).replaceCredentials(
      'id-1',
      REFRESH,
    );
    expect(w.secrets.get('id-1')).toEqual({ ...REFRESH, refreshToken: 'rt-rotated-2' });
    expect(replaced.integration.credentialKind).toBe('oauth_refresh_token');
    expect(replaced.checkPending).toContain('the rotated token is kept with the integration');
  });

  it('replaceCredentials stores the rotated token; refused afterwards, the previous credentials come back', async () => {
    const w = world();
    await w.service.create(valid);
    const previous = w.secrets.get('id-1');
    const accepted = new IntegrationService(w.deps, rotatingCheck('ok'));
    await accepted.replaceCredentials('id-1', REFRESH);
    expect(w.secrets.get('id-1')).toEqual({ ...REFRESH, refreshToken: 'rt-rotated-2' });

    await w.service.replaceCredentials('id-1', valid.credentials);
    const refused = new IntegrationService(w.deps, rotatingCheck('not_admin'));
    await expect(refused.replaceCredentials('id-1', REFRESH)).rejects.toThrow(CredentialsRejectedError);
    expect(w.secrets.get('id-1')).toEqual(previous);
  });
});

describe('IntegrationService: what update may change (issue 22)', () => {
  const seeded = async () => {
    const w = world();
    const { integration } = await w.service.create(valid);
    return { ...w, integration };
  };

  it.each<[rule: string, changes: Record<string, unknown>, expected: Partial<Integration>]>([
    ['a new name', { name: '  Acme EU ' }, { name: 'Acme EU' }],
    [
      'a time zone chosen by the user is kept over the account’s',
      { timeZone: 'Europe/Berlin' },
      { timeZone: 'Europe/Berlin', timeZoneChosen: true },
    ],
    ['personal views counted', { includePersonalViews: true }, { includePersonalViews: true }],
    [
      'webhooks may read more tickets a minute (a plan with more API budget)',
      { webhookTicketReadsPerMinute: 100 },
      { webhookTicketReadsPerMinute: 100 },
    ],
    [
      'webhooks read no ticket at once',
      { webhookTicketReadsPerMinute: 0 },
      { webhookTicketReadsPerMinute: 0 },
    ],
    ['the same grouping and interval are no change', { groupingStrategy: 'ivr', intervalMinutes: 15 }, {}],
  ])('%s', async (_rule, changes, expected) => {
    const { service, saved, integration } = await seeded();
    const next = await service.update(integration.id, changes);
    const changed = Object.keys(expected).length > 0;
    expect(next).toEqual(changed ? { ...integration, ...expected, updatedAt: next.updatedAt } : integration);
    expect(saved[0]).toEqual(next);
  });

  it('a time zone of null goes back to the account’s own', async () => {
    const { service, integration } = await seeded();
    await service.update(integration.id, { timeZone: 'Europe/Berlin' });
    const back = await service.update(integration.id, { timeZone: null });
    expect(back.timeZone).toBeUndefined();
    expect(back.timeZoneChosen).toBeUndefined();
  });

  it.each<[rule: string, changes: Record<string, unknown>, message: string]>([
    [
      'a name with a control character',
      { name: 'Acme\u001b[2J' },
      'name must not contain control characters',
    ],
    ['an empty name', { name: '  ' }, 'name is required'],
    [
      'webhook ticket reads that are not whole',
      { webhookTicketReadsPerMinute: 1.5 },
      'webhookTicketReadsPerMinute must be a whole number of tickets a minute',
    ],
    [
      'a time zone that is not one',
      { timeZone: 'Mars/Olympus' },
      'timeZone must be an IANA time zone name, e.g. Europe/Berlin',
    ],
    [
      'another grouping strategy, with the reason',
      { name: 'Other', groupingStrategy: 'phone_number' },
      'groupingStrategy cannot be changed once the integration is saved (it is "ivr"): the whole history is grouped into Talk queues by it, so another value needs a new integration (`integration add`); nothing was changed',
    ],
  ])('refused, nothing saved: %s', async (_rule, changes, message) => {
    const { service, saved, integration } = await seeded();
    await expect(service.update(integration.id, changes)).rejects.toThrow(message);
    expect(saved).toEqual([integration]);
  });

  it('a name another integration has is refused', async () => {
    const { deps, check, saved } = world();
    let n = 0;
    const service = new IntegrationService(deps, check, () => `id-${(n += 1)}`);
    const { integration } = await service.create(valid);
    const other = (await service.create({ ...valid, name: 'Beta' })).integration;
    await expect(service.update(other.id, { name: 'ACME' })).rejects.toThrow(
      new DuplicateIntegrationNameError('ACME'),
    );
    expect(saved).toEqual([integration, other]);
  });
});
