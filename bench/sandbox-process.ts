/**
 * The benchmark's Zendesk: the sandbox in a child process, so neither its account (~250 MB for the
 * large size) nor its ground truth (~200 MB more) counts against the pipeline's memory. It talks
 * to the benchmark over the IPC channel: it announces where it listens, then answers requests for
 * its request counter and for the expected queue histories, which it computes from its ground
 * truth only when asked (after the timed run).
 */
import { expectedQueues, startSandbox, type SandboxSize } from '../sandbox/index.js';
import type { BenchRequest, BenchResponse, SandboxReady } from './protocol.js';
import { summariseQueues } from './summary.js';

const [sizeArg, seedArg, nowArg] = process.argv.slice(2);
const UNLIMITED = 100_000_000;
const send = (message: BenchResponse | SandboxReady) => process.send?.(message);

const sandbox = await startSandbox({
  seed: Number(seedArg),
  size: sizeArg as SandboxSize,
  now: nowArg,
  // Not `rateLimit: false`: that still answers with the account's remaining allowance counting
  // down to 0, which the client obeys. Limits far above what a run sends report plenty left.
  rateLimit: { incrementalPerMinute: UNLIMITED, accountPerMinute: UNLIMITED },
});

send({
  type: 'ready',
  baseUrl: sandbox.baseUrl,
  email: sandbox.credentials.email,
  apiToken: sandbox.credentials.apiToken,
  importDays: sandbox.profile.importDays,
  eventCount: sandbox.eventCount,
  nowMs: sandbox.now().getTime(),
});

process.on('message', (raw: BenchRequest) => {
  void (async () => {
    switch (raw.type) {
      case 'requests':
        send({
          type: 'requests',
          byPath: Object.fromEntries(raw.prefixes.map((p) => [p, sandbox.requestCount(p)])),
          total: sandbox.requestCount(),
        });
        return;
      case 'expected': {
        const queues = expectedQueues(sandbox.truth, {
          groupingStrategy: raw.groupingStrategy,
          intervalMinutes: raw.intervalMinutes,
          since: raw.since,
          until: sandbox.now().toISOString(),
        });
        send({ type: 'expected', ...summariseQueues(queues) });
        return;
      }
      case 'configureWebhook':
        sandbox.configureWebhook({ url: raw.url, signingSecret: raw.signingSecret });
        send({ type: 'configureWebhook' });
        return;
      case 'createTicket':
        send({ type: 'createTicket', ticketId: sandbox.createTicket({ channel: raw.channel }) });
        return;
      case 'stop':
        await sandbox.stop();
        process.exit(0);
    }
  })();
});
process.on('disconnect', () => {
  void sandbox.stop().then(() => process.exit(0));
});
