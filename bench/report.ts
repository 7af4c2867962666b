import type { RunReport } from '../local/runner.js';
import type { QueueKey } from '../shared/messages/queues.js';
import { AWS_PRICES, awsCost, type AwsCost, type AwsUsage, type FixedUsage } from './aws-cost.js';
import type { CpuSeconds } from './cpu-time.js';
import type { Freshness } from './freshness.js';
import type { FetchCounts, StageTimes, TableCounts } from './metrics.js';
import type { QueueSummary } from './protocol.js';

/** What one benchmark run measured, and how it is printed. */
export interface BenchResult {
  readonly size: string;
  readonly seed: number;
  /**
   * Records the incremental exports delivered and the pipeline processed: ticket events (the
   * warm-up included), Talk calls and users. The ceiling (1000 records per request, 10 requests a
   * minute) is that of these exports, so throughput and requests are measured against them all.
   */
  readonly events: number;
  readonly fetched: FetchCounts;
  readonly totalMs: number;
  readonly stages: StageTimes;
  readonly run: RunReport;
  readonly zendeskRequests: number;
  readonly requestsByPath: Readonly<Record<string, number>>;
  readonly dynamoWrites: number;
  readonly dynamoReads: number;
  readonly dynamoWritesByCommand: Readonly<Record<string, number>>;
  readonly dynamoRequestsByCommand: Readonly<Record<string, number>>;
  readonly dynamoByTable: Readonly<Record<string, Readonly<TableCounts>>>;
  readonly peakRssBytes: number;
  /**
   * V8's old-generation limit in this process: V8's own choice from the machine's memory unless
   * set (`NODE_OPTIONS=--max-old-space-size=…`). How far garbage may pile up before it is
   * collected, so the peak RSS means little without it.
   */
  readonly heapLimitBytes: number;
  /** CPU time of the timed run, this process's and DynamoDB Local's (bench/cpu-time.ts). */
  readonly cpu: CpuSeconds;
  readonly machine: string;
  /** The machine's cores (the CPU figure's denominator). */
  readonly cores: number;
  readonly published: QueueSummary;
  readonly expected: QueueSummary;
  /** What the run did as AWS bills it, and the deployment's fixed monthly usage (bench/aws-usage.ts). */
  readonly aws: { readonly usage: AwsUsage; readonly fixed: FixedUsage };
  /** With --tenants: the small integrations' time from a webhook to the updated history. */
  readonly fresh?: Freshness;
}

/** Zendesk's incremental export ceiling: 1000 events per request, 10 requests per minute. */
export const ZENDESK_CEILING_EVENTS_PER_S = 167;

export const GOALS = {
  ceilingRatio: 10,
  requestsPer1000Events: 1.05,
  dynamoWritesPer1000Events: 1500,
  peakRssMb: 512,
  awsUsdPerMillionEvents: 1,
  freshP95Seconds: 60,
} as const;

const STAGES: readonly { queue: QueueKey; name: string }[] = [
  { queue: 'fetchJobs', name: 'fetch' },
  { queue: 'changes', name: 'map' },
  { queue: 'updates', name: 'classify' },
  { queue: 'contacts', name: 'aggregate' },
];

const round = (n: number, digits = 0) => Number(n.toFixed(digits));

export const eventsPerSecond = (r: BenchResult) => r.events / (r.totalMs / 1000);
const per1000 = (n: number, r: BenchResult) => (n / r.events) * 1000;
const ticketEventsAndCalls = (r: BenchResult) => r.fetched.ticketEvents + r.fetched.calls;
const peakRssMb = (r: BenchResult) => r.peakRssBytes / 2 ** 20;

export interface GoalVerdict {
  readonly goal: string;
  readonly measured: string;
  readonly met: boolean;
}

export const costOf = (r: BenchResult): AwsCost => awsCost(r.aws.usage, r.aws.fixed);

export const goalVerdicts = (r: BenchResult): GoalVerdict[] => {
  const ratio = eventsPerSecond(r) / ZENDESK_CEILING_EVENTS_PER_S;
  const usd = costOf(r).perMillionEvents.total;
  const requests = per1000(r.zendeskRequests, r);
  const writes = per1000(r.dynamoWrites, r);
  const rss = peakRssMb(r);
  return [
    {
      goal: `ceiling_ratio ≥ ${GOALS.ceilingRatio}`,
      measured: ratio.toFixed(2),
      met: ratio >= GOALS.ceilingRatio,
    },
    {
      goal: `requests per 1000 events ≤ ${GOALS.requestsPer1000Events}`,
      measured: requests.toFixed(3),
      met: requests <= GOALS.requestsPer1000Events,
    },
    {
      goal: `DynamoDB writes per 1000 events ≤ ${GOALS.dynamoWritesPer1000Events}`,
      measured: writes.toFixed(0),
      met: writes <= GOALS.dynamoWritesPer1000Events,
    },
    {
      goal: `peak RSS ≤ ${GOALS.peakRssMb} MB`,
      measured: `${rss.toFixed(0)} MB`,
      met: rss <= GOALS.peakRssMb,
    },
    {
      goal: `AWS cost per million events ≤ $${GOALS.awsUsdPerMillionEvents}`,
      measured: `$${usd.toFixed(3)}`,
      met: usd <= GOALS.awsUsdPerMillionEvents,
    },
    ...(r.fresh
      ? [
          {
            goal: `webhook to history p95 ≤ ${GOALS.freshP95Seconds} s`,
            measured: `${r.fresh.p95S.toFixed(1)} s`,
            met: r.fresh.p95S <= GOALS.freshP95Seconds,
          },
        ]
      : []),
  ];
};

const table = (header: readonly string[], rows: readonly (readonly string[])[]): string => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w, i) => (i === 0 ? ':' : '-').padEnd(w + 1, '-') + (i === 0 ? '-' : ':')).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
};

const thousands = (n: number) => Math.round(n).toLocaleString('en-US');

export const renderTable = (r: BenchResult, goals: readonly GoalVerdict[]): string => {
  const eps = eventsPerSecond(r);
  const stageRows = STAGES.map(({ queue, name }) => {
    const seconds = r.stages.ms[queue] / 1000;
    return [
      `${name} (${queue})`,
      `${thousands(r.events / seconds)} events/s`,
      `${seconds.toFixed(1)} s`,
      `${thousands(r.stages.invocations[queue])} invocations, ${thousands(r.stages.messages[queue])} messages`,
    ];
  });
  const summary = table(
    ['measure', 'value'],
    [
      [
        'events (export records)',
        `${thousands(r.events)} = ${thousands(r.fetched.ticketEvents)} ticket events (${thousands(r.fetched.warmUpTicketEvents)} of them the warm-up) + ${thousands(r.fetched.calls)} calls + ${thousands(r.fetched.users)} users + ${thousands(r.fetched.tickets)} ticket records`,
      ],
      [
        'end to end',
        `${thousands(eps)} events/s (${(eps / ZENDESK_CEILING_EVENTS_PER_S).toFixed(2)} × the 167 events/s ceiling)`,
      ],
      ['total time', `${(r.totalMs / 1000).toFixed(1)} s`],
      [
        'Zendesk requests per 1000 events',
        `${per1000(r.zendeskRequests, r).toFixed(3)} (${thousands(r.zendeskRequests)} requests, ${thousands(r.fetched.audits)} of them ticket audits)`,
      ],
      [
        'Zendesk requests per 1000 ticket events + calls',
        `${((r.zendeskRequests / ticketEventsAndCalls(r)) * 1000).toFixed(3)} (users and ticket records not counted as events)`,
      ],
      [
        'DynamoDB writes per 1000 events',
        `${per1000(r.dynamoWrites, r).toFixed(0)} (${thousands(r.dynamoWrites)} items written, ${thousands(r.dynamoReads)} read)`,
      ],
      ['CPU per 1000 events', cpuPer1000(r)],
      [
        'peak RSS (this process)',
        `${peakRssMb(r).toFixed(0)} MB (V8 heap limit ${(r.heapLimitBytes / 2 ** 20).toFixed(0)} MB)`,
      ],
      [
        'ground truth',
        `${r.published.digest === r.expected.digest ? 'equal' : 'DIFFERENT'}: ${thousands(r.published.queues)} queues, ${thousands(r.published.intervals)} intervals, ${thousands(r.published.contacts)} contacts (expected ${thousands(r.expected.contacts)})`,
      ],
    ],
  );
  const stages = table(['stage', 'rate (time in the handler)', 'time', 'work'], stageRows);
  const writes = table(
    ['DynamoDB command', 'requests', 'items written'],
    Object.keys(r.dynamoRequestsByCommand)
      .sort()
      .map((c) => [
        c,
        thousands(r.dynamoRequestsByCommand[c] ?? 0),
        thousands(r.dynamoWritesByCommand[c] ?? 0),
      ]),
  );
  const tables = table(
    [
      'DynamoDB table',
      'items written per 1000 events',
      'write units per 1000 events',
      'items read per 1000 events',
      'read units per 1000 events',
    ],
    Object.keys(r.dynamoByTable)
      .sort()
      .map((t) => [
        t,
        per1000(r.dynamoByTable[t]?.writes ?? 0, r).toFixed(0),
        per1000(r.dynamoByTable[t]?.writeUnits ?? 0, r).toFixed(0),
        per1000(r.dynamoByTable[t]?.reads ?? 0, r).toFixed(0),
        per1000(r.dynamoByTable[t]?.readUnits ?? 0, r).toFixed(0),
      ]),
  );
  const requests = table(
    ['Zendesk endpoint', 'requests', 'per 1000 events'],
    Object.keys(r.requestsByPath)
      .sort()
      .map((path) => [
        path,
        thousands(r.requestsByPath[path] ?? 0),
        per1000(r.requestsByPath[path] ?? 0, r).toFixed(3),
      ]),
  );
  const cost = costOf(r);
  const usage = r.aws.usage;
  const usd = (n: number) => `$${n.toFixed(4)}`;
  const lambdaBasis = usage.lambda
    .map(
      (l) =>
        `${l.name} ${thousands(l.invocations)} × ${l.memoryMb} MB, ${(l.durationMs / 1000).toFixed(1)} s`,
    )
    .join('; ');
  const costs = table(
    [
      `AWS service (on-demand, ${AWS_PRICES.region}, prices of ${AWS_PRICES.asOf})`,
      'USD per million events',
      'this run',
    ],
    [
      ['Lambda (arm64)', usd(cost.perMillionEvents.lambda), lambdaBasis],
      [
        'SQS',
        usd(cost.perMillionEvents.sqs),
        `${thousands(usage.sqs.fifoRequests)} FIFO + ${thousands(usage.sqs.standardRequests)} standard requests`,
      ],
      [
        'DynamoDB (on-demand)',
        usd(cost.perMillionEvents.dynamodb),
        `${thousands(usage.dynamodb.writeRequestUnits)} write + ${thousands(usage.dynamodb.readRequestUnits)} read request units, ${thousands(usage.dynamodb.streamReadRequestUnits)} stream reads`,
      ],
      [
        'Secrets Manager',
        usd(cost.perMillionEvents.secretsManager),
        `${thousands(usage.secretsManagerCalls)} calls`,
      ],
      ['total', usd(cost.perMillionEvents.total), `${thousands(usage.events)} events`],
    ],
  );
  const fixed = r.aws.fixed;
  const fixedCosts = table(
    [
      `fixed monthly cost (${fixed.integrations} integration${fixed.integrations === 1 ? '' : 's'})`,
      'USD per month',
    ],
    [
      [
        `Secrets Manager: ${fixed.integrations * fixed.secretsPerIntegration} secrets`,
        usd(cost.monthlyFixed.secrets),
      ],
      [`CloudWatch: ${fixed.alarms} alarms`, usd(cost.monthlyFixed.alarms)],
      ['Lambda: schedule ticks (scheduler, a fetch per integration)', usd(cost.monthlyFixed.schedule)],
      ['SQS: idle long polls and the ticks’ fetch jobs', usd(cost.monthlyFixed.idlePolling)],
      ['total', usd(cost.monthlyFixed.total)],
    ],
  );
  const goalTable = table(
    ['goal', 'measured', 'met'],
    goals.map((g) => [g.goal, g.measured, g.met ? 'yes' : 'NO']),
  );
  return [
    `zendesk-wfm pipeline benchmark: sandbox ${r.size} (seed ${r.seed}), ${r.machine}`,
    '',
    summary,
    '',
    stages,
    '',
    requests,
    '',
    writes,
    '',
    tables,
    '',
    costs,
    '',
    fixedCosts,
    '',
    goalTable,
    '',
  ].join('\n');
};

/**
 * The CPU seconds per 1000 events of the pipeline's process and of DynamoDB Local, and how busy the
 * two kept the cores. With the cores near full, events per second depend on the machine's cores as
 * much as on the code; the work per event says what the code asks of them.
 */
export const cpuPer1000 = (r: BenchResult): string => {
  const { pipeline, dynamoDbLocal } = r.cpu;
  const both = pipeline + (dynamoDbLocal ?? 0);
  const busy = both / r.cpu.wall / r.cores;
  return dynamoDbLocal === undefined
    ? `${per1000(pipeline, r).toFixed(2)} s in this process (DynamoDB Local's not readable here)`
    : `${per1000(both, r).toFixed(2)} s = ${per1000(pipeline, r).toFixed(2)} s in this process + ${per1000(dynamoDbLocal, r).toFixed(2)} s in DynamoDB Local (the two kept ${r.cores} cores ${(busy * 100).toFixed(0)} % busy)`;
};

export const benchLine = (r: BenchResult): string => {
  const eps = eventsPerSecond(r);
  return [
    'BENCH',
    `events_per_s=${round(eps)}`,
    `ceiling_ratio=${round(eps / ZENDESK_CEILING_EVENTS_PER_S, 2)}`,
    `requests_per_1000_events=${round(per1000(r.zendeskRequests, r), 3)}`,
    `ddb_writes_per_1000_events=${round(per1000(r.dynamoWrites, r))}`,
    `peak_rss_mb=${round(peakRssMb(r))}`,
    `aws_usd_per_million_events=${round(costOf(r).perMillionEvents.total, 3)}`,
    ...(r.fresh ? [`fresh_p95_s=${round(r.fresh.p95S, 1)}`] : []),
  ].join(' ');
};
