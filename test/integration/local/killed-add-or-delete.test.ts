import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { openLocalInstall } from '../../../cli/local-install.js';

/**
 * Rule (no secret outlives its integration): an `integration add` killed after storing the
 * credentials and signing secret but before saving the integration, or an `integration delete`
 * killed after marking the integration deleted but before removing its secrets, leaves them behind
 * (a real SIGKILL at that point). The next command on the folder removes them, and keeps the
 * secrets of the integrations that were saved.
 */

/** Runs test/support/add-then-die.ts to the point asked, SIGKILLs it there; resolves with the id it printed. */
const killedAt = (dataDir: string, point: 'add' | 'delete') =>
  new Promise<string>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/support/add-then-die.ts', dataDir, point],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    let id: string | undefined;
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line && id === undefined) {
        id = (JSON.parse(line) as { id: string }).id;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (id !== undefined && signal === 'SIGKILL') resolve(id);
      else reject(new Error(`add-then-die.ts ended (${signal ?? _code}) before its point: ${err}`));
    });
  });

const jsonFile = async (path: string): Promise<Record<string, unknown>> => {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
};

describe('secrets a killed command left are removed by the next command on the folder', () => {
  let dir: string;
  const stored = async () => ({
    credentials: Object.keys(await jsonFile(join(dir, 'secrets.json'))).sort(),
    signingSecrets: Object.keys(await jsonFile(join(dir, 'webhook-secrets.json'))).sort(),
  });
  const nextCommand = async () => {
    const notices: string[] = [];
    const install = await openLocalInstall({
      dataDir: dir,
      command: 'zendesk-wfm integration list',
      notice: (line) => void notices.push(line),
    });
    try {
      return {
        // What the person at the command is told the open did on its own.
        notices,
        // Every integration stored, a deleted one too.
        integrations: await install.pipeline.admin.integrations.list(),
        marked: await install.pipeline.admin.integrations.secretsMarkedUnconfirmed(),
      };
    } finally {
      await install.close();
    }
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zendesk-wfm-killed-add-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('an add killed before its integration was saved: its credentials and signing secret are removed, the saved integration keeps its own', async () => {
    const id = await killedAt(dir, 'add');
    const before = await stored();
    const saved = before.credentials.find((s) => s !== id) as string;
    expect(before).toEqual({ credentials: [id, saved].sort(), signingSecrets: [id, saved].sort() });

    const { integrations, marked, notices } = await nextCommand();
    expect(notices).toEqual([
      `note: removed the secrets an interrupted \`integration add\` or \`integration delete\` left under an integration id with no live integration: ${id}`,
    ]);
    expect(integrations.map((i) => [i.id, i.name])).toEqual([[saved, 'Saved']]);
    expect(marked).toEqual([]);
    expect(await stored()).toEqual({ credentials: [saved], signingSecrets: [saved] });
  }, 240_000);

  it('a delete killed before its secrets were all removed: the rest are removed, the integration stays deleted', async () => {
    const id = await killedAt(dir, 'delete');
    expect(await stored()).toEqual({ credentials: [], signingSecrets: [id] });

    const { integrations, marked, notices } = await nextCommand();
    expect(notices).toEqual([
      `note: removed the secrets an interrupted \`integration add\` or \`integration delete\` left under an integration id with no live integration: ${id}`,
    ]);
    expect(integrations.map((i) => [i.id, i.status])).toEqual([[id, 'deleted']]);
    // Nothing left to remove: the next command says nothing.
    expect((await nextCommand()).notices).toEqual([]);
    expect(marked).toEqual([]);
    expect(await stored()).toEqual({ credentials: [], signingSecrets: [] });
  }, 240_000);
});
