import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
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
  LocalWebhookSecretStore,
  SecretsManagerWebhookSecretStore,
} from '../../../shared/store/webhook-secret-store.js';
import { ZENDESK_TEST_SIGNING_SECRET } from '../../../shared/webhook/signing-secret.js';

const client = new SecretsManagerClient({ region: 'us-east-1' });
const sm = mockClient(client);
const notFound = () => Object.assign(new Error('nope'), { name: 'ResourceNotFoundException' });

describe('SecretsManagerWebhookSecretStore', () => {
  beforeEach(() => {
    sm.reset();
  });

  it('reads zendesk-wfm-webhook/<id>, apart from the credentials, and caches the answer, a missing one too', async () => {
    let now = 1_000_000;
    const store = new SecretsManagerWebhookSecretStore(client, { maxAgeSeconds: 60, now: () => now });
    sm.on(GetSecretValueCommand, { SecretId: 'zendesk-wfm-webhook/i1' }).resolves({
      SecretString: 'signing-1',
    });
    sm.on(GetSecretValueCommand, { SecretId: 'zendesk-wfm-webhook/nope' }).rejects(notFound());
    expect(await store.get('i1')).toBe('signing-1');
    expect(await store.get('i1')).toBe('signing-1');
    expect(await store.get('nope')).toBeUndefined();
    expect(await store.get('nope')).toBeUndefined();
    expect(sm.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input.SecretId)).toEqual([
      'zendesk-wfm-webhook/i1',
      'zendesk-wfm-webhook/nope',
    ]);
    now += 60_001;
    await store.get('i1');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(3);
  });

  it('keeps a missing secret for 10 s only: one stored after the webhook was made in Zendesk is found within seconds', async () => {
    let now = 1_000_000;
    const store = new SecretsManagerWebhookSecretStore(client, { maxAgeSeconds: 300, now: () => now });
    sm.on(GetSecretValueCommand).rejectsOnce(notFound()).resolves({ SecretString: 'signing-1' });
    expect(await store.get('i1')).toBeUndefined();
    now += 9_999;
    expect(await store.get('i1')).toBeUndefined();
    now += 2;
    expect(await store.get('i1')).toBe('signing-1');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('reads a secret past its cache when asked fresh, at most once per 10 s (a reset secret is in use at once; a flood of bad signatures costs a read per 10 s)', async () => {
    let now = 1_000_000;
    const store = new SecretsManagerWebhookSecretStore(client, { maxAgeSeconds: 300, now: () => now });
    sm.on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: 'signing-1' })
      .resolves({ SecretString: 'signing-2' });
    expect(await store.get('i1')).toBe('signing-1');
    now += 5_000;
    expect(await store.getFresh('i1')).toBe('signing-1');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    now += 5_000;
    expect(await store.getFresh('i1')).toBe('signing-2');
    expect(await store.getFresh('i1')).toBe('signing-2');
    expect(await store.get('i1')).toBe('signing-2');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('reads a secret stored by hand (the AWS CLI) as one it keeps: without the blanks around it, and none when it is Zendesk’s public test secret', async () => {
    const store = new SecretsManagerWebhookSecretStore(client);
    sm.on(GetSecretValueCommand, { SecretId: 'zendesk-wfm-webhook/i1' }).resolves({
      SecretString: 'signing-secret-1\n',
    });
    sm.on(GetSecretValueCommand, { SecretId: 'zendesk-wfm-webhook/i2' }).resolves({
      SecretString: ZENDESK_TEST_SIGNING_SECRET,
    });
    expect(await store.get('i1')).toBe('signing-secret-1');
    expect(await store.getFresh('i1')).toBe('signing-secret-1');
    expect(await store.get('i2')).toBeUndefined();
    expect(await store.getFresh('i2')).toBeUndefined();
  });

  it('stores the secret without the blanks around it (a pasted newline would fail every request)', async () => {
    const store = new SecretsManagerWebhookSecretStore(client);
    sm.on(PutSecretValueCommand).resolves({});
    await store.put('i1', 'signing-secret-1\n');
    expect(sm.commandCalls(PutSecretValueCommand)[0]?.args[0].input).toEqual({
      SecretId: 'zendesk-wfm-webhook/i1',
      SecretString: 'signing-secret-1',
    });
  });

  it('creates the secret when it does not exist yet, and deletes it with a recovery window', async () => {
    const store = new SecretsManagerWebhookSecretStore(client);
    sm.on(PutSecretValueCommand).rejects(notFound());
    sm.on(CreateSecretCommand).resolves({});
    sm.on(DeleteSecretCommand).resolves({});
    await store.put('i1', 'signing-secret-1');
    expect(sm.commandCalls(CreateSecretCommand)[0]?.args[0].input).toEqual({
      Name: 'zendesk-wfm-webhook/i1',
      SecretString: 'signing-secret-1',
      Description: 'Zendesk webhook signing secret of one zendesk-wfm integration',
    });
    await store.delete('i1');
    expect(sm.commandCalls(DeleteSecretCommand)[0]?.args[0].input).toEqual({
      SecretId: 'zendesk-wfm-webhook/i1',
      RecoveryWindowInDays: 7,
    });
  });

  it('refuses a signing secret too short to be one, naming the field and not the value', async () => {
    const store = new SecretsManagerWebhookSecretStore(client);
    await expect(store.put('i1', 'abc')).rejects.toThrow('webhookSigningSecret: at least 8 characters');
    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });
});

describe('LocalWebhookSecretStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'webhook-secrets-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps signing secrets in a file only its owner can read, across instances', async () => {
    const file = join(dir, 'data', 'webhook-secrets.json');
    await new LocalWebhookSecretStore(file).put('i1', 'signing-secret-1');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ i1: 'signing-secret-1' });
    const again = new LocalWebhookSecretStore(file);
    expect(await again.get('i1')).toBe('signing-secret-1');
    await again.delete('i1');
    expect(await new LocalWebhookSecretStore(file).get('i1')).toBeUndefined();
  });
});
