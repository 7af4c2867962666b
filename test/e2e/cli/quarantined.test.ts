import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Sandbox } from '../../../sandbox/index.js';
import { assertBuilt, runCli, sandboxAccountArgs, startCliSandbox } from './support.js';

/**
 * `zendesk-wfm quarantined`: the records an import left out because they did not fit, each on its
 * own, listed with the field that failed; the import's report counts them.
 */
const EVENTS = '/api/v2/incremental/ticket_events';
let sandbox: Sandbox;
let dir: string;
let dataDir: string[];
let commentId: number;

beforeAll(async () => {
  assertBuilt();
  sandbox = await startCliSandbox({ seed: 7, size: 'tiny', rateLimit: false });
  dir = await mkdtemp(join(tmpdir(), 'zendesk-wfm-quarantine-'));
  dataDir = ['--data-dir', join(dir, 'wfm')];
  const ticketId = sandbox.createTicket({ channel: 'email' });
  sandbox.advanceClock(30);
  commentId = sandbox.addCustomerComment(ticketId, 'email');
  sandbox.advanceClock(120);
  sandbox.injectFault({
    kind: 'dropField',
    pathPrefix: EVENTS,
    list: 'ticket_events',
    recordId: commentId,
    path: 'child_events.0.author_id',
    times: 10_000,
  });
});
afterAll(async () => {
  await sandbox?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('zendesk-wfm quarantined', () => {
  it('lists the one record an import quarantined, as JSON and as a table; the import counts it', async () => {
    const imported = await runCli(
      ['import', ...sandboxAccountArgs(sandbox), '--name', 'Acme', ...dataDir, '--json'],
      { ZENDESK_API_TOKEN: sandbox.credentials.apiToken },
    );
    expect(imported.code).toBe(0);
    expect((JSON.parse(imported.stdout) as { quarantined: number }).quarantined).toBe(1);

    const json = await runCli(['quarantined', 'acme', ...dataDir, '--json']);
    expect([json.code, json.stderr]).toEqual([0, '']);
    expect(JSON.parse(json.stdout)).toEqual([
      {
        stream: 'ticket_events',
        endpoint: EVENTS,
        recordId: commentId,
        field: 'child_events[0].author_id',
        problem: 'Invalid input: expected number, received undefined',
        position: { startTime: expect.any(Number) },
        quarantinedAt: expect.any(String),
      },
    ]);

    const text = await runCli(['quarantined', 'Acme', ...dataDir]);
    expect(text.code).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Integration "Acme" \(sandbox\.zendesk\.com\): .* status active$/);
    expect(lines[1]).toMatch(/^ {2}stream +record +field +problem +page read from +quarantined at$/);
    expect(lines.slice(2)).toHaveLength(1);
    expect(lines[2]).toContain(
      `ticket_events  ${commentId}  child_events[0].author_id  Invalid input: expected number, received undefined  start_time `,
    );
  });

  it('refuses an unknown integration with exit 2, naming it', async () => {
    const run = await runCli(['quarantined', 'Nobody', ...dataDir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no integration named "Nobody"');
  });
});
