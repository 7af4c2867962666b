/**
 * `npm run bench -- --tenants N`: N integrations imported at once through one local pipeline, one
 * large sandbox account (medium with --quick) and N − 1 small ones (small and tiny in turn), each
 * sandbox in a child process. Once the small integrations have caught up, while the large one still
 * backfills, customers create tickets in the small accounts: each sandbox sends its signed webhook to
 * a local endpoint running the webhook function's use case (30 s coalescing window, as on AWS), and
 * the time from the ticket's webhook to the history that counts it is the freshness. Prints the
 * aggregate throughput, each integration's completion time, the freshness's median and 95th
 * percentile, and the BENCH line with `fresh_p95_s`.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SQSEvent } from 'aws-lambda';
import { startLocalStack } from '../local/local-stack.js';
import { silentLogger } from '../local/pipeline.js';
import { runPipelineUntilIdle, type PipelineHandlers, type RunReport } from '../local/runner.js';
import { IntegrationService } from '../shared/pipeline/integrations.js';
import { LocalWebhookSecretStore } from '../shared/store/webhook-secret-store.js';
import { receiveWebhook } from '../shared/webhook/receive.js';
import { awsUsageOf, fixedUsageOf, SCHEDULE_MINUTES } from './aws-usage.js';
import { freshnessOf } from './freshness.js';
import { countedPipeline } from './counted-pipeline.js';
import { measureCpu } from './cpu-time.js';
import { resourceFigures, sampleRss, timedHandlers } from './metrics.js';
import { COUNTED_ZENDESK_PATHS, type QueueSummary } from './protocol.js';
import { benchLine, goalVerdicts, renderTable, type BenchResult } from './report.js';
import { startSandboxProcess } from './sandbox-client.js';
import { summarisePublished } from './summary.js';

const GROUPING = 'ivr';
const INTERVAL_MINUTES = 15;
/** Webhooks the small accounts send during the backfill, and how far apart. */
const WEBHOOKS = 60;
const WEBHOOK_EVERY_MS = 500;
/** The webhook function's coalescing window on AWS. */
const COALESCE_SECONDS = 30;
const LOOK_EVERY_MS = 250;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Tenant {
  readonly name: string;
  readonly size: string;
  readonly sandbox: Awaited<ReturnType<typeof startSandboxProcess>>;
  integrationId: string;
  importFrom: string;
  /** Seconds from the start to its initial import's last contacts processed. */
  completedS?: number;
  published?: QueueSummary;
  expected?: QueueSummary;
}

const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

export const runTenants = async (args: {
  quick: boolean;
  seed: number;
  tenants: number;
  sandboxNow: string;
}) => {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const largeSize = args.quick ? 'medium' : 'large';
  log(
    `bench: ${args.tenants} tenants, the large one the sandbox's ${largeSize} account (seed ${args.seed})…`,
  );
  const [largeStart, stackStart] = await Promise.allSettled([
    startSandboxProcess(largeSize, args.seed, args.sandboxNow),
    startLocalStack(),
  ]);
  if (largeStart.status === 'rejected' || stackStart.status === 'rejected') {
    if (largeStart.status === 'fulfilled') await largeStart.value.stop();
    if (stackStart.status === 'fulfilled') await stackStart.value.stop();
    throw largeStart.status === 'rejected' ? largeStart.reason : (stackStart as PromiseRejectedResult).reason;
  }
  const large = largeStart.value;
  const stack = stackStart.value;
  const now = () => new Date(large.ready.nowMs + (performance.now() - large.readyAt));
  const tenants: Tenant[] = [
    { name: 'Tenant 1', size: largeSize, sandbox: large, integrationId: '', importFrom: '' },
  ];
  let server: ReturnType<typeof createServer> | undefined;
  try {
    // The small accounts' clocks start a few seconds behind the pipeline's (the large sandbox's), so
    // nothing they record is ever ahead of the clock that reads it.
    for (let i = 2; i <= args.tenants; i++) {
      const size = i % 2 === 0 ? 'small' : 'tiny';
      const sandbox = await startSandboxProcess(
        size,
        args.seed + i,
        new Date(now().getTime() - 5000).toISOString(),
      );
      tenants.push({ name: `Tenant ${i}`, size, sandbox, integrationId: '', importFrom: '' });
    }
    const { pipeline, dynamo, sqs, secretCalls, window, zendesk } = countedPipeline(stack, now);
    let tenantIds = 1;
    const service = new IntegrationService(pipeline.admin, undefined, () => `tenant-${tenantIds++}`);
    const signingSecrets = new LocalWebhookSecretStore();
    for (const [i, t] of tenants.entries()) {
      const saved = await service.create({
        name: t.name,
        domain: `tenant${i + 1}.zendesk.com`,
        baseUrl: t.sandbox.ready.baseUrl,
        username: t.sandbox.ready.email,
        credentials: { kind: 'api_token', apiToken: t.sandbox.ready.apiToken },
        groupingStrategy: GROUPING,
        intervalMinutes: INTERVAL_MINUTES,
        historyDays: t.sandbox.ready.importDays,
      });
      t.integrationId = saved.integration.id;
      t.importFrom = saved.integration.importFrom;
    }
    window.startSeconds = Date.parse(tenants[0]!.importFrom) / 1000;

    // The webhook endpoint: the webhook function's use case behind a loopback HTTP server.
    const webhookDeps = pipeline.webhook({
      signingSecrets,
      windowSeconds: COALESCE_SECONDS,
      logger: silentLogger,
    });
    const refused: string[] = [];
    let webhookMs = 0;
    let webhookInvocations = 0;
    server = createServer((req, res) => {
      void (async () => {
        const body = await readBody(req);
        const headers: Record<string, string | undefined> = {};
        for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(',') : v;
        const started = performance.now();
        const answer = await receiveWebhook(webhookDeps, {
          method: req.method ?? 'GET',
          path: new URL(req.url ?? '/', 'http://localhost').pathname,
          headers,
          body: body.toString('base64'),
          isBase64Encoded: true,
        });
        webhookMs += performance.now() - started;
        webhookInvocations += 1;
        if (answer.refusal) refused.push(answer.refusal);
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
      })();
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (const t of tenants.slice(1)) {
      const signingSecret = randomBytes(24).toString('base64');
      await signingSecrets.put(t.integrationId, signingSecret);
      await t.sandbox.ask({
        type: 'configureWebhook',
        url: `${url}/integrations/${t.integrationId}/webhook`,
        signingSecret,
      });
    }

    // When each integration's last contact fact was aggregated.
    const lastContactsAt = new Map<string, number>();
    const { handlers: timed, times } = timedHandlers(pipeline.handlers);
    const handlers: PipelineHandlers = {
      ...timed,
      contacts: async (event: SQSEvent, context) => {
        const answer = await timed.contacts(event, context);
        for (const r of event.Records)
          if (r.attributes.MessageGroupId) lastContactsAt.set(r.attributes.MessageGroupId, performance.now());
        return answer;
      },
    };
    const requestsBefore = await Promise.all(
      tenants.map((t) => t.sandbox.ask({ type: 'requests', prefixes: [] })),
    );
    const dynamoBefore = { ...dynamo };
    const rss = sampleRss();
    const cpu = measureCpu(stack.dynamoDbLocalPid);
    const started = performance.now();
    const seconds = (at: number) => (at - started) / 1000;
    await pipeline.schedule('bench');
    const schedulerMs = performance.now() - started;
    // The worker drains until told to finish; a run that goes idle meanwhile (webhooks' fetch jobs
    // wait out their coalescing window as delayed messages, which keeps a run going) starts again.
    let finishing = false;
    const runs: RunReport[] = [];
    const worker = (async () => {
      for (;;) {
        runs.push(await runPipelineUntilIdle(stack, handlers, { timeoutMs: 4 * 3600_000 }));
        if (finishing) return;
        await pause(100);
      }
    })();
    // The schedule runs as deployed: a ticket whose record the events had not settled when its
    // webhook's fetch read it is counted by the next run (shared/pipeline/fetch.ts, holdsRecords).
    const ticking = setInterval(() => void pipeline.schedule(now().toISOString()), SCHEDULE_MINUTES * 60_000);
    const contactsOf = async (t: Tenant) => summarisePublished(pipeline.deps, t.integrationId);
    const expectedOf = (t: Tenant) =>
      t.sandbox.ask({
        type: 'expected',
        since: t.importFrom,
        groupingStrategy: GROUPING,
        intervalMinutes: INTERVAL_MINUTES,
      });

    // The small integrations catch up first: each is complete when its history equals its truth.
    const smalls = tenants.slice(1);
    log(`bench: importing ${tenants.length} integrations at once…`);
    for (const t of smalls) t.expected = await expectedOf(t);
    while (smalls.some((t) => t.completedS === undefined)) {
      if (seconds(performance.now()) > 3600)
        throw new Error('the small integrations did not catch up within an hour');
      for (const t of smalls.filter((s) => s.completedS === undefined)) {
        const published = await contactsOf(t);
        if (published.digest === t.expected!.digest)
          t.completedS = seconds(lastContactsAt.get(t.integrationId) ?? performance.now());
      }
      await pause(LOOK_EVERY_MS);
    }

    log(`bench: the small integrations caught up; ${WEBHOOKS} webhooks while the large one backfills…`);
    interface Pending {
      readonly tenant: Tenant;
      readonly sentAt: number;
      readonly contacts: number;
      freshS?: number;
    }
    const pending: Pending[] = [];
    // A ticket whose creation the truth counts nowhere cannot be seen arriving: it is left out.
    let uncounted = 0;
    const truthContacts = new Map(smalls.map((t) => [t, t.expected!.contacts]));
    const sending = (async () => {
      for (let k = 0; k < WEBHOOKS; k++) {
        const tenant = smalls[k % smalls.length]!;
        const sentAt = performance.now();
        await tenant.sandbox.ask({ type: 'createTicket', channel: 'email' });
        const { contacts } = await expectedOf(tenant);
        if (contacts > truthContacts.get(tenant)!) pending.push({ tenant, sentAt, contacts });
        else uncounted += 1;
        truthContacts.set(tenant, contacts);
        await pause(WEBHOOK_EVERY_MS);
      }
    })();
    let sentAll: number | undefined;
    void sending.then(() => (sentAll = performance.now()));
    // Gives up on a webhook still unseen ten minutes after the last was sent (it then fails the run).
    while (
      (sentAll === undefined || performance.now() - sentAll < 600_000) &&
      (sentAll === undefined || pending.some((p) => p.freshS === undefined))
    ) {
      for (const t of smalls) {
        const waiting = pending.filter((p) => p.tenant === t && p.freshS === undefined);
        if (waiting.length === 0) continue;
        const { contacts } = await contactsOf(t);
        const at = performance.now();
        for (const p of waiting) if (contacts >= p.contacts) p.freshS = (at - p.sentAt) / 1000;
      }
      await pause(LOOK_EVERY_MS);
    }
    await sending;
    clearInterval(ticking);
    finishing = true;
    await worker;
    const memory = rss.stop();
    const cpuSpent = cpu.stop();
    const largeDoneAt = lastContactsAt.get(tenants[0]!.integrationId) ?? performance.now();
    tenants[0]!.completedS = seconds(largeDoneAt);
    const seen = pending.filter((p) => p.freshS !== undefined);
    const duringBackfill = seen.filter((p) => p.sentAt < largeDoneAt);
    const fresh = freshnessOf((duringBackfill.length > 0 ? duringBackfill : seen).map((p) => p.freshS!));

    log('bench: checking every integration’s queues against its ground truth…');
    for (const t of tenants) {
      t.published = await contactsOf(t);
      t.expected = await expectedOf(t);
    }
    const requests = await Promise.all(
      tenants.map((t) => t.sandbox.ask({ type: 'requests', prefixes: COUNTED_ZENDESK_PATHS })),
    );
    const byPath: Record<string, number> = {};
    for (const r of requests) for (const [p, n] of Object.entries(r.byPath)) byPath[p] = (byPath[p] ?? 0) + n;
    const events =
      zendesk.counts.ticketEvents + zendesk.counts.calls + zendesk.counts.users + zendesk.counts.tickets;
    const run: RunReport = runs.reduce((a, b) => ({
      invocations: {
        fetchJobs: a.invocations.fetchJobs + b.invocations.fetchJobs,
        changes: a.invocations.changes + b.invocations.changes,
        updates: a.invocations.updates + b.invocations.updates,
        contacts: a.invocations.contacts + b.invocations.contacts,
      },
      delivered: a.delivered + b.delivered,
      failed: a.failed + b.failed,
    }));
    const result: BenchResult = {
      size: `${largeSize} account and ${tenants.length - 1} small ones (${smalls.map((t) => t.size).join(', ')})`,
      seed: args.seed,
      events,
      fetched: { ...zendesk.counts },
      // Throughput: everything imported until the large integration's backfill was complete.
      totalMs: largeDoneAt - started,
      stages: times,
      run,
      zendeskRequests:
        requests.reduce((n, r) => n + r.total, 0) - requestsBefore.reduce((n, r) => n + r.total, 0),
      requestsByPath: byPath,
      ...resourceFigures(dynamo, dynamoBefore, memory),
      cpu: cpuSpent,
      published: tenants[0]!.published!,
      expected: tenants[0]!.expected!,
      aws: {
        usage: awsUsageOf({
          events,
          stages: times,
          sqs: { standardRequests: sqs.counts.standardRequests, fifoRequests: sqs.counts.fifoRequests },
          dynamodb: {
            writeRequestUnits: dynamo.writeUnits - dynamoBefore.writeUnits,
            readRequestUnits: dynamo.readUnits - dynamoBefore.readUnits,
          },
          secretsManagerCalls: secretCalls.gets,
          otherFunctions: [{ name: 'webhook', invocations: webhookInvocations, durationMs: webhookMs }],
        }),
        fixed: fixedUsageOf({
          integrations: tenants.length,
          schedulerMs,
          meanFetchMs: times.ms.fetchJobs / Math.max(1, times.invocations.fetchJobs),
        }),
      },
      fresh,
    };
    process.stdout.write(renderTable(result, goalVerdicts(result)));
    const perTenant = tenants.map(
      (t) =>
        `| ${t.name} (${t.size}) | ${t.completedS!.toFixed(1)} s | ${t.published!.contacts.toLocaleString('en-US')} contacts | ${t.published!.digest === t.expected!.digest ? 'equal' : 'DIFFERENT'} |`,
    );
    process.stdout.write(
      [
        '| integration | initial import complete after | history | ground truth |',
        '|:--|--:|--:|:--|',
        ...perTenant,
        '',
        `freshness (webhook → updated history) of the small integrations, ${duringBackfill.length} webhooks sent during the large backfill ` +
          `(${pending.length} in all, ${pending.length - seen.length} never seen, ${uncounted} tickets the truth counts nowhere; coalescing window ${COALESCE_SECONDS} s): median ${fresh.medianS.toFixed(1)} s, ` +
          `p95 ${fresh.p95S.toFixed(1)} s, max ${fresh.maxS.toFixed(1)} s`,
        `webhooks refused: ${refused.length}`,
        '',
      ].join('\n'),
    );
    const sane =
      tenants.every((t) => t.published!.digest === t.expected!.digest) &&
      run.failed === 0 &&
      refused.length === 0 &&
      seen.length === pending.length &&
      duringBackfill.length >= 50;
    if (!sane) {
      process.stdout.write(
        `\nSANITY CHECK FAILED: ground truth ${tenants.map((t) => (t.published!.digest === t.expected!.digest ? 'equal' : 'DIFFERENT')).join(', ')}; ` +
          `${run.failed} failed deliveries; ${refused.length} webhooks refused; ${pending.length - seen.length} webhooks never seen; ${duringBackfill.length} webhooks during the backfill (at least 50 needed).\n`,
      );
      process.exitCode = 1;
    }
    process.stdout.write(`${benchLine(result)}\n`);
  } finally {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await Promise.all([stack.stop(), ...tenants.map((t) => t.sandbox.stop())]);
  }
};
