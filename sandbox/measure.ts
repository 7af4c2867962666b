/**
 * `tsx sandbox/measure.ts [size]`: how long generating an account takes, how much memory it holds,
 * and how fast the export serves it. Not part of the tests: the large account is too big for them.
 */
import { startSandbox, type SandboxSize } from './index.js';

const size = (process.argv[2] ?? 'large') as SandboxSize;
const mb = (bytes: number) => `${Math.round(bytes / 1e6)} MB`;

const t0 = performance.now();
const sandbox = await startSandbox({ seed: 1, size, rateLimit: false });
const generated = performance.now() - t0;
const afterGenerate = process.memoryUsage();
const t1 = performance.now();
const truth = sandbox.truth;
const truthMs = performance.now() - t1;

const auth = `Basic ${Buffer.from(`${sandbox.credentials.email}/token:${sandbox.credentials.apiToken}`).toString('base64')}`;
let url = `${sandbox.baseUrl}/api/v2/incremental/ticket_events?start_time=0&include=comment_events`;
const t2 = performance.now();
let events = 0;
let pages = 0;
for (; pages < 20; pages++) {
  const page = (await (await fetch(url, { headers: { Authorization: auth } })).json()) as {
    ticket_events: unknown[];
    next_page: string;
    end_of_stream: boolean;
  };
  events += page.ticket_events.length;
  if (page.end_of_stream) break;
  url = page.next_page;
}
const serveMs = performance.now() - t2;
await sandbox.stop();

process.stdout.write(
  [
    `size ${size}: ${sandbox.eventCount} ticket events, ${truth.calls.length} calls, ${truth.interactions.length} interactions`,
    `  account generated and server started in ${Math.round(generated)} ms (heap ${mb(afterGenerate.heapUsed)}, rss ${mb(afterGenerate.rss)})`,
    `  ground truth built in ${Math.round(truthMs)} ms (rss then ${mb(process.memoryUsage().rss)})`,
    `  ${events} events over ${pages + 1} pages served in ${Math.round(serveMs)} ms (${Math.round(events / (serveMs / 1000))} events/s)`,
    '',
  ].join('\n'),
);
