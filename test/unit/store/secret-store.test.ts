import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import {
  LocalSecretStore,
  MissingSecretError,
  SecretsManagerSecretStore,
} from '../../../shared/store/secret-store.js';
import { LocalWebhookSecretStore } from '../../../shared/store/webhook-secret-store.js';

const client = new SecretsManagerClient({ region: 'us-east-1' });
const sm = mockClient(client);
const token = { kind: 'api_token', username: 'admin@acme.test', apiToken: 'tok-123' } as const;
const notFound = () => Object.assign(new Error('nope'), { name: 'ResourceNotFoundException' });

describe('SecretsManagerSecretStore', () => {
  beforeEach(() => {
    sm.reset();
  });

  it('reads zendesk-wfm/<integrationId> once and serves repeats from its cache until maxAge', async () => {
    let now = 1_000_000;
    const store = new SecretsManagerSecretStore(client, { maxAgeSeconds: 300, now: () => now });
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(token) });
    await expect(store.get('i1')).resolves.toEqual(token);
    await expect(store.get('i1')).resolves.toEqual(token);
    expect(sm.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input)).toEqual([
      { SecretId: 'zendesk-wfm/i1' },
    ]);
    now += 300_001;
    await store.get('i1');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('reads past its cache with getNow (a refresh grant: another process may have rotated the token), and caches what it read', async () => {
    const now = 1_000_000;
    const store = new SecretsManagerSecretStore(client, { maxAgeSeconds: 300, now: () => now });
    const rotated = { ...token, apiToken: 'tok-456' };
    sm.on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: JSON.stringify(token) })
      .resolves({ SecretString: JSON.stringify(rotated) });
    await expect(store.get('i1')).resolves.toEqual(token);
    await expect(store.getNow('i1')).resolves.toEqual(rotated);
    await expect(store.get('i1')).resolves.toEqual(rotated);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('a secret deleted within its recovery window (InvalidRequestException, marked for deletion) reads as none, and deleting it again is done', async () => {
    const store = new SecretsManagerSecretStore(client);
    const markedForDeletion = () =>
      Object.assign(
        new Error("You can't perform this operation on the secret because it was marked for deletion."),
        { name: 'InvalidRequestException' },
      );
    sm.on(GetSecretValueCommand).rejects(markedForDeletion());
    sm.on(DeleteSecretCommand).rejects(markedForDeletion());
    await expect(store.get('i1')).rejects.toThrow(MissingSecretError);
    await expect(store.delete('i1')).resolves.toBeUndefined();
  });

  it('another InvalidRequestException is no absence: it is thrown', async () => {
    const store = new SecretsManagerSecretStore(client);
    sm.on(GetSecretValueCommand).rejects(
      Object.assign(new Error('You provided a parameter value that is not valid.'), {
        name: 'InvalidRequestException',
      }),
    );
    await expect(store.get('i1')).rejects.toThrow('You provided a parameter value that is not valid.');
  });

  it('names the invalid field of a stored secret but never its value', async () => {
    const store = new SecretsManagerSecretStore(client);
    sm.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({ kind: 'api_token', username: 'a@b.c', apiToken: '' }),
    });
    await expect(store.get('i1')).rejects.toThrow(
      'stored credentials of integration i1 are invalid at: apiToken',
    );
  });

  it('creates the secret when it does not exist yet, replaces it otherwise', async () => {
    const store = new SecretsManagerSecretStore(client);
    sm.on(PutSecretValueCommand).rejectsOnce(notFound()).resolves({});
    sm.on(CreateSecretCommand).resolves({});
    await store.put('i1', token);
    await store.put('i1', { kind: 'oauth_client_credentials', clientId: 'c', clientSecret: 's' });
    expect(sm.commandCalls(CreateSecretCommand)[0]?.args[0].input).toEqual({
      Name: 'zendesk-wfm/i1',
      SecretString: JSON.stringify(token),
      Description: 'Zendesk credentials of one zendesk-wfm integration',
    });
    expect(sm.commandCalls(PutSecretValueCommand)[1]?.args[0].input).toEqual({
      SecretId: 'zendesk-wfm/i1',
      SecretString: '{"kind":"oauth_client_credentials","clientId":"c","clientSecret":"s"}',
    });
  });

  it('deletes the secret and treats an already missing one as deleted', async () => {
    const store = new SecretsManagerSecretStore(client);
    sm.on(DeleteSecretCommand).rejects(notFound());
    await expect(store.delete('i1')).resolves.toBeUndefined();
    expect(sm.commandCalls(DeleteSecretCommand)[0]?.args[0].input).toEqual({
      SecretId: 'zendesk-wfm/i1',
      RecoveryWindowInDays: 7,
    });
    sm.on(GetSecretValueCommand).rejects(notFound());
    await expect(store.get('i1')).rejects.toBeInstanceOf(MissingSecretError);
  });
});

describe('LocalSecretStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'secrets-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps credentials in a file only its owner can read, across instances', async () => {
    const file = join(dir, 'data', 'secrets.json');
    await new LocalSecretStore(file).put('i1', token);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ i1: token });
    const again = new LocalSecretStore(file);
    await expect(again.get('i1')).resolves.toEqual(token);
    await again.delete('i1');
    await expect(new LocalSecretStore(file).get('i1')).rejects.toThrow(
      'no credentials are stored for integration i1',
    );
  });

  it("removes the temporary copies of writers killed before their rename, and keeps a running writer's (rule: no copy of a secret outlives the file)", async () => {
    const file = join(dir, 'secrets.json');
    await new LocalSecretStore(file).put('i1', token);
    // A pid no process has (Linux pids stay below 2^22), and this process's own.
    const dead = join(dir, 'secrets.json.4194399.tmp');
    const running = join(dir, `secrets.json.${process.pid}.tmp`);
    const other = join(dir, 'webhook-secrets.json.4194399.tmp');
    for (const leftover of [dead, running, other]) await writeFile(leftover, '{"gone":{}}', { mode: 0o600 });
    await expect(new LocalSecretStore(file).get('i1')).resolves.toEqual(token);
    expect((await readdir(dir)).sort()).toEqual(
      ['secrets.json', `secrets.json.${process.pid}.tmp`, 'webhook-secrets.json.4194399.tmp'].sort(),
    );
  });

  it.each<[string, number]>([
    ['readable by everyone', 0o644],
    ['readable by its group', 0o640],
    ['writable by others', 0o602],
  ])(
    'refuses a secrets file %s with a line naming the file, its mode and the fix, and leaves it as it was',
    async (_what, mode) => {
      const file = join(dir, 'secrets.json');
      await writeFile(file, JSON.stringify({ i1: token }));
      await chmod(file, mode);
      const octal = mode.toString(8).padStart(4, '0');
      const refusal = `the local secret file ${file} can be read or written by others (mode ${octal}); make it owner-only with \`chmod 600 ${file}\`, and rotate its secrets if someone else may have read them`;
      await expect(new LocalSecretStore(file).get('i1')).rejects.toThrow(refusal);
      await expect(new LocalSecretStore(file).put('i2', token)).rejects.toThrow(refusal);
      expect((await stat(file)).mode & 0o777).toBe(mode);
      expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ i1: token });
    },
  );

  it('refuses a webhook secrets file that others can read, too', async () => {
    const file = join(dir, 'webhook-secrets.json');
    await writeFile(file, JSON.stringify({ i1: 'signing-secret-123' }));
    await chmod(file, 0o644);
    await expect(new LocalWebhookSecretStore(file).get('i1')).rejects.toThrow(
      `the local webhook secret file ${file} can be read or written by others (mode 0644)`,
    );
  });
});
