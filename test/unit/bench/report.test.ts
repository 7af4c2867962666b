import { describe, expect, it } from '@jest/globals';
import { benchLine, cpuPer1000, goalVerdicts, renderTable, type BenchResult } from '../../../bench/report.js';

const summary = {
  queues: 39,
  intervals: 38_063,
  contacts: 79_748,
  digest: 'abc123',
  contactsByQueue: { 'Support Tickets (email)': 79_748 },
};

/**
 * A run of 141,000 export records in 50 s: 2,820 records/s, 16.89 × the ceiling. On AWS: an
 * invocation and 0.8 write units per record, $0.20 + $0.50 per million records.
 */
const result = (overrides: Partial<BenchResult> = {}): BenchResult => ({
  size: 'medium',
  seed: 1,
  events: 141_000,
  fetched: {
    ticketEvents: 120_000,
    warmUpTicketEvents: 19_000,
    calls: 16_000,
    users: 5_000,
    tickets: 0,
    audits: 1,
    ticketLookups: 0,
    userLookups: 0,
    zendeskMs: 4_000,
  },
  totalMs: 50_000,
  stages: {
    ms: { fetchJobs: 20_000, changes: 30_000, updates: 40_000, contacts: 35_000 },
    invocations: { fetchJobs: 14, changes: 144, updates: 129, contacts: 118 },
    messages: { fetchJobs: 14, changes: 144, updates: 129, contacts: 118 },
  },
  run: {
    invocations: { fetchJobs: 14, changes: 144, updates: 129, contacts: 118 },
    delivered: 405,
    failed: 0,
  },
  zendeskRequests: 146,
  requestsByPath: { '/api/v2/incremental/ticket_events': 121, '/api/v2/tickets': 1 },
  dynamoWrites: 79_000,
  dynamoReads: 110_000,
  dynamoWritesByCommand: { BatchWriteItemCommand: 38_000 },
  dynamoRequestsByCommand: { BatchWriteItemCommand: 1_566 },
  dynamoByTable: {
    'zendesk-wfm-ticket-state': { writes: 16_800, reads: 17_500, writeUnits: 33_600, readUnits: 8_750 },
  },
  peakRssBytes: 312 * 2 ** 20,
  heapLimitBytes: 4144 * 2 ** 20,
  cpu: { wall: 50, pipeline: 56.4, dynamoDbLocal: 35.25 },
  cores: 2,
  machine: '2 × test cpu, 24 GiB, Node v20',
  published: summary,
  expected: summary,
  aws: {
    usage: {
      events: 141_000,
      lambda: [{ name: 'aggregator', invocations: 141_000, durationMs: 0, memoryMb: 1024 }],
      sqs: { standardRequests: 0, fifoRequests: 0 },
      dynamodb: { writeRequestUnits: 112_800, readRequestUnits: 0, streamReadRequestUnits: 0 },
      secretsManagerCalls: 0,
    },
    fixed: {
      integrations: 1,
      secretsPerIntegration: 2,
      alarms: 6,
      schedule: [],
      idlePolling: { standardRequests: 0, fifoRequests: 0 },
    },
  },
  ...overrides,
});

describe('the benchmark report', () => {
  it('ends with the BENCH line in exactly the issue’s form', () => {
    expect(benchLine(result())).toBe(
      'BENCH events_per_s=2820 ceiling_ratio=16.89 requests_per_1000_events=1.035 ddb_writes_per_1000_events=560 peak_rss_mb=312 aws_usd_per_million_events=0.7',
    );
  });

  it('adds the small integrations’ freshness with --tenants, and judges it', () => {
    const tenants = result({ fresh: { webhooks: 60, medianS: 33.04, p95S: 41.26, maxS: 47 } });
    expect(benchLine(tenants)).toBe(
      'BENCH events_per_s=2820 ceiling_ratio=16.89 requests_per_1000_events=1.035 ddb_writes_per_1000_events=560 peak_rss_mb=312 aws_usd_per_million_events=0.7 fresh_p95_s=41.3',
    );
    expect(goalVerdicts(tenants).at(-1)).toEqual({
      goal: 'webhook to history p95 ≤ 60 s',
      measured: '41.3 s',
      met: true,
    });
    const stale = result({ fresh: { webhooks: 60, medianS: 50, p95S: 61, maxS: 70 } });
    expect(goalVerdicts(stale).at(-1)?.met).toBe(false);
  });

  type Row = [what: string, overrides: Partial<BenchResult>, met: boolean[]];
  const rows: Row[] = [
    ['every goal met', {}, [true, true, true, true, true]],
    ['too slow: 1,650 records/s is 9.88 × the ceiling', { totalMs: 85_455 }, [false, true, true, true, true]],
    ['an audits request per ticket', { zendeskRequests: 3_106 }, [true, false, true, true, true]],
    ['a write per event and a half', { dynamoWrites: 212_000 }, [true, true, false, true, true]],
    ['more than 512 MB', { peakRssBytes: 513 * 2 ** 20 }, [true, true, true, false, true]],
    [
      'more than $1 per million events: 1.6 write units per event',
      {
        aws: {
          ...result().aws,
          usage: {
            ...result().aws.usage,
            dynamodb: { writeRequestUnits: 225_600, readRequestUnits: 0, streamReadRequestUnits: 0 },
          },
        },
      },
      [true, true, true, true, false],
    ],
  ];
  it.each(rows)('judges each goal: %s', (_what, overrides, met) => {
    expect(goalVerdicts(result(overrides)).map((g) => g.met)).toEqual(met);
  });

  it('says what the events are and how many of the requests were not export pages', () => {
    const table = renderTable(result(), goalVerdicts(result()));
    expect(table).toContain(
      '141,000 = 120,000 ticket events (19,000 of them the warm-up) + 16,000 calls + 5,000 users + 0 ticket records',
    );
    expect(table).toContain('1.035 (146 requests, 1 of them ticket audits)');
    expect(table).toContain('1.074 (users and ticket records not counted as events)');
    expect(table).toContain('equal: 39 queues, 38,063 intervals, 79,748 contacts (expected 79,748)');
    expect(table).toContain('| DynamoDB (on-demand)');
    expect(table).toContain('$0.5000 |');
    expect(table).toContain('| Secrets Manager: 2 secrets');
  });

  it('gives the peak RSS with the V8 heap limit it was reached under (garbage piles up to the limit)', () => {
    expect(renderTable(result(), goalVerdicts(result()))).toContain('312 MB (V8 heap limit 4144 MB)');
    expect(renderTable(result({ heapLimitBytes: 320 * 2 ** 20 }), goalVerdicts(result()))).toContain(
      '312 MB (V8 heap limit 320 MB)',
    );
  });

  it('gives the CPU seconds per 1000 events of each process and how busy they kept the cores', () => {
    // 91.65 CPU seconds in 50 s on 2 cores: 91.65 %.
    expect(cpuPer1000(result())).toBe(
      '0.65 s = 0.40 s in this process + 0.25 s in DynamoDB Local (the two kept 2 cores 92 % busy)',
    );
    expect(renderTable(result(), goalVerdicts(result()))).toContain('| CPU per 1000 events ');
    expect(cpuPer1000(result({ cpu: { wall: 50, pipeline: 56.4 } }))).toBe(
      "0.40 s in this process (DynamoDB Local's not readable here)",
    );
  });

  it('shows each table’s items and request units per 1000 events, to see which table costs what', () => {
    const table = renderTable(result(), goalVerdicts(result()));
    expect(table).toMatch(/\| zendesk-wfm-ticket-state \| +119 \| +238 \| +124 \| +62 \|/);
  });
});
