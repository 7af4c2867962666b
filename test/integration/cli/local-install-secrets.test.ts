import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DATA_DIR_LAYOUT, withLocalInstall } from '../../../cli/local-install.js';
import type { CredentialChecker } from '../../../shared/pipeline/integrations.js';
import { anIntegrationInput } from '../../support/integrations.js';

const admin: CredentialChecker = async () => ({
  kind: 'ok',
  user: { id: 1, email: 'admin@acme.test', role: 'admin' },
});

const idsIn = async (file: string) => Object.keys(JSON.parse(await readFile(file, 'utf8')) as object).sort();

describe('a local install opens without the secrets of integrations that never came to be', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zendesk-wfm-orphans-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('credentials and a signing secret stored under an id no integration has (an add that died before its integration) are removed; an integration keeps its own', async () => {
    const dataDir = join(dir, 'wfm');
    const secretsFile = join(dataDir, DATA_DIR_LAYOUT.secrets);
    const webhookFile = join(dataDir, DATA_DIR_LAYOUT.webhookSecrets);
    const added = await withLocalInstall(
      { dataDir, create: true, checkCredentials: admin },
      async (install) => {
        const { integration } = await install.service.create(anIntegrationInput(), {
          store: (id) => install.webhookSecrets.put(id, 'whsec-kept-0123456789'),
          remove: (id) => install.webhookSecrets.delete(id),
        });
        return integration.id;
      },
    );
    // What a death between the secrets and the integration leaves: the files as they were written.
    const orphan = 'aaaaaaaa-0000-4000-8000-000000000001';
    const secrets = JSON.parse(await readFile(secretsFile, 'utf8')) as Record<string, unknown>;
    await writeFile(
      secretsFile,
      JSON.stringify({
        ...secrets,
        [orphan]: { kind: 'api_token', username: 'a@acme.test', apiToken: 'tok-orphan-1' },
      }),
      { mode: 0o600 },
    );
    const signing = JSON.parse(await readFile(webhookFile, 'utf8')) as Record<string, unknown>;
    await writeFile(webhookFile, JSON.stringify({ ...signing, [orphan]: 'whsec-orphan-0123456789' }), {
      mode: 0o600,
    });
    expect(await idsIn(secretsFile)).toEqual([added, orphan].sort());

    await withLocalInstall({ dataDir }, async () => undefined);

    expect(await idsIn(secretsFile)).toEqual([added]);
    expect(await idsIn(webhookFile)).toEqual([added]);
    expect(await readFile(secretsFile, 'utf8')).not.toContain('tok-orphan-1');
    expect(await readFile(webhookFile, 'utf8')).toContain('whsec-kept-0123456789');
  }, 120_000);
});
