import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from './sandbox/index.js';

const sandbox = await startSandbox({ seed: 3, size: 'tiny', rateLimit: false, now: new Date(Math.floor(Date.now() / 60_000) * 60_000 - 120_000) });
const cwd = mkdtempSync(join(tmpdir(), 'readme-'));
const run = (args: string[], env: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, [join(process.cwd(), 'dist/cli/main.js'), ...args], { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });
  console.log(`$ zendesk-wfm ${args.join(' ')}\n${r.stdout}${r.stderr ? `[stderr]\n${r.stderr}` : ''}[exit ${r.status}]\n`);
};
const d = ['--data-dir', './wfm-data'];
run(['integration', 'add', ...d, '--name', 'Acme', '--base-url', sandbox.baseUrl, '--username', sandbox.credentials.email, '--grouping', 'ivr', '--since', sandbox.importWindow.since], { ZENDESK_API_TOKEN: sandbox.credentials.apiToken });
run(['integration', 'update', 'Acme', ...d, '--interval', '30']);
run(['integration', 'update', 'Acme', ...d, '--webhook-signing-secret'], { ZENDESK_WEBHOOK_SIGNING_SECRET: 'readme-signing-secret' });
run(['sync', ...d, '--export-requests-per-minute', '600']);
run(['queues', 'Acme', ...d]);
run(['coverage', 'Acme', ...d]);
sandbox.injectFault({ kind: 'status', status: 401, body: '{"error":"Couldn\'t authenticate you"}', times: 100000 });
run(['sync', ...d, '--export-requests-per-minute', '600']);
await sandbox.stop();
