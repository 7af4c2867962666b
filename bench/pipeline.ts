/**
 * `npm run bench [-- --quick] [-- --seed <n>]`: imports the sandbox's large account (medium with
 * --quick) through the whole local pipeline, with the sandbox's rate limit off, and prints
 * throughput (end to end and per stage), Zendesk requests and DynamoDB writes per 1000 events, and
 * the process's peak memory, what the run would cost on AWS (bench/aws-cost.ts), then one `BENCH …`
 * line. Not part of the tests. With `--tenants N`, N integrations at once (bench/tenants.ts).
 *
 * The sandbox runs in a child process, so this process's peak RSS is the pipeline's alone (the
 * runner, the handlers, the SQS emulator; DynamoDB Local is a Java process of its own). After the
 * timed run the published queue histories are compared with the sandbox's ground truth, which
 * the child computes: a run that publishes anything else fails, however fast.
 */
import { startLocalStack, type LocalStack } from '../local/local-stack.js';
import { runPipelineUntilIdle } from '../local/runner.js';
import { IntegrationService } from '../shared/pipeline/integrations.js';
import { awsUsageOf, fixedUsageOf } from './aws-usage.js';
import { countedPipeline } from './counted-pipeline.js';
import { measureCpu } from './cpu-time.js';
import { resourceFigures, sampleRss, timedHandlers } from './metrics.js';
import { COUNTED_ZENDESK_PATHS, type QueueSummary } from './protocol.js';
import { startSandboxProcess } from './sandbox-client.js';
import { runTenants } from './tenants.js';
import { benchLine, goalVerdicts, renderTable, type BenchResult } from './report.js';
import { queueDifferences, summarisePublished } from './summary.js';

interface Args {
  readonly quick: boolean;
  readonly seed: number;
  /** Integrations imported at once (--tenants N); absent: one. */
  readonly tenants?: number;
}

const parseArgs = (argv: readonly string[]): Args => {
  let quick = false;
  let seed = 1;
  let tenants: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') quick = true;
    else if (arg === '--seed') {
      const raw = argv[++i] ?? '';
      if (!/^\d+$/.test(raw)) throw new Error(`--seed must be a non-negative integer, got "${raw}"`);
      seed = Number(raw);
    } else if (arg === '--tenants') {
      const raw = argv[++i] ?? '';
      if (!/^\d+$/.test(raw) || Number(raw) < 2)
        throw new Error(`--tenants must be an integer of at least 2, got "${raw}"`);
      tenants = Number(raw);
    } else throw new Error(`unknown argument "${arg}" (expected --quick, --seed <n>, --tenants <n>)`);
  }
  return { quick, seed, ...(tenants !== undefined ? { tenants } : {}) };
};

const SANDBOX_NOW = '2026-03-02T12:00:00Z';
const GROUPING = 'ivr';
const INTERVAL_MINUTES = 15;

const main = async () => {
  const args = parseArgs(process.argv.slice(2));
  if (args.tenants !== undefined)
    return runTenants({ quick: args.quick, seed: args.seed, tenants: args.tenants, sandboxNow: SANDBOX_NOW });
  const size = args.quick ? 'medium' : 'large';
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log(`bench: generating the sandbox's ${size} account (seed ${args.seed}) in a child process…`);
  // DynamoDB Local's JVM starts while the sandbox generates its account.
  const [sandboxStart, stackStart] = await Promise.allSettled([
    startSandboxProcess(size, args.seed, SANDBOX_NOW),
    startLocalStack(),
  ]);
  if (sandboxStart.status === 'rejected' || stackStart.status === 'rejected') {
    if (sandboxStart.status === 'fulfilled') await sandboxStart.value.stop();
    if (stackStart.status === 'fulfilled') await stackStart.value.stop();
    throw sandboxStart.status === 'rejected'
      ? sandboxStart.reason
      : (stackStart as PromiseRejectedResult).reason;
  }
  const sandbox = sandboxStart.value;
  const stack: LocalStack = stackStart.value;
  try {
    const { ready } = sandbox;
    // The sandbox's clock runs in real time from the instant it announced; this one follows it.
    const now = () => new Date(ready.nowMs + (performance.now() - sandbox.readyAt));
    const { pipeline, dynamo, sqs, secretCalls, window, zendesk } = countedPipeline(stack, now);
    const service = new IntegrationService(pipeline.admin, undefined, () => 'bench');
    const saved = await service.create({
      name: 'Bench',
      domain: 'bench.zendesk.com',
      baseUrl: ready.baseUrl,
      username: ready.email,
      credentials: { kind: 'api_token', apiToken: ready.apiToken },
      groupingStrategy: GROUPING,
      intervalMinutes: INTERVAL_MINUTES,
      historyDays: ready.importDays,
    });
    const integration = saved.integration;
    window.startSeconds = Date.parse(integration.importFrom) / 1000;

    const requestsBefore = (await sandbox.ask({ type: 'requests', prefixes: [] })).total;
    const dynamoBefore = { ...dynamo };
    const sqsBefore = { ...sqs.counts };
    const secretCallsBefore = secretCalls.gets;
    const { handlers, times } = timedHandlers(pipeline.handlers);
    log(`bench: importing ${ready.eventCount} ticket events' account from ${integration.importFrom}…`);
    const rss = sampleRss();
    const cpu = measureCpu(stack.dynamoDbLocalPid);
    const started = performance.now();
    await pipeline.schedule('bench');
    const schedulerMs = performance.now() - started;
    const run = await runPipelineUntilIdle(stack, handlers, { timeoutMs: 4 * 3600_000 });
    const totalMs = performance.now() - started;
    const memory = rss.stop();
    const cpuSpent = cpu.stop();

    const requests = await sandbox.ask({ type: 'requests', prefixes: COUNTED_ZENDESK_PATHS });
    log('bench: checking the published queues against the ground truth…');
    const published: QueueSummary = await summarisePublished(pipeline.deps, integration.id);
    const expected = await sandbox.ask({
      type: 'expected',
      since: integration.importFrom,
      groupingStrategy: GROUPING,
      intervalMinutes: INTERVAL_MINUTES,
    });

    const events =
      zendesk.counts.ticketEvents + zendesk.counts.calls + zendesk.counts.users + zendesk.counts.tickets;
    const result: BenchResult = {
      size: `${size} account`,
      seed: args.seed,
      events,
      fetched: { ...zendesk.counts },
      totalMs,
      stages: times,
      run,
      zendeskRequests: requests.total - requestsBefore,
      requestsByPath: requests.byPath,
      ...resourceFigures(dynamo, dynamoBefore, memory),
      cpu: cpuSpent,
      published,
      expected,
      aws: {
        usage: awsUsageOf({
          events,
          stages: times,
          sqs: {
            standardRequests: sqs.counts.standardRequests - sqsBefore.standardRequests,
            fifoRequests: sqs.counts.fifoRequests - sqsBefore.fifoRequests,
          },
          dynamodb: {
            writeRequestUnits: dynamo.writeUnits - dynamoBefore.writeUnits,
            readRequestUnits: dynamo.readUnits - dynamoBefore.readUnits,
          },
          secretsManagerCalls: secretCalls.gets - secretCallsBefore,
        }),
        fixed: fixedUsageOf({
          integrations: 1,
          schedulerMs,
          meanFetchMs: times.ms.fetchJobs / Math.max(1, times.invocations.fetchJobs),
        }),
      },
    };
    process.stdout.write(renderTable(result, goalVerdicts(result)));
    const sane =
      published.digest === expected.digest &&
      run.failed === 0 &&
      result.events >= (args.quick ? 100_000 : 1_000_000) &&
      // Every stored contact is written by some function: none counted means a client went uncounted.
      result.dynamoWrites > 0;
    if (!sane) {
      process.stdout.write(
        `\nSANITY CHECK FAILED: the pipeline published ${published.queues} queues, ${published.intervals} intervals, ` +
          `${published.contacts} contacts (digest ${published.digest.slice(0, 12)}); the ground truth has ` +
          `${expected.queues} queues, ${expected.intervals} intervals, ${expected.contacts} contacts ` +
          `(digest ${expected.digest.slice(0, 12)}); ${run.failed} failed deliveries, ${result.events} events, ` +
          `${result.dynamoWrites} DynamoDB writes counted.\n` +
          queueDifferences(published, expected)
            .map((d) => `  ${d}\n`)
            .join(''),
      );
      process.exitCode = 1;
    }
    process.stdout.write(`${benchLine(result)}\n`);
  } finally {
    await Promise.all([stack.stop(), sandbox.stop()]);
  }
};

await main();
