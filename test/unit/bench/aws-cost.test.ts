import { describe, expect, it } from '@jest/globals';
import { awsCost, billedSqsRequests, type AwsUsage, type FixedUsage } from '../../../bench/aws-cost.js';

const nothing: AwsUsage = {
  events: 1_000_000,
  lambda: [],
  sqs: { standardRequests: 0, fifoRequests: 0 },
  dynamodb: { writeRequestUnits: 0, readRequestUnits: 0, streamReadRequestUnits: 0 },
  secretsManagerCalls: 0,
};
const noFixed: FixedUsage = {
  integrations: 0,
  secretsPerIntegration: 2,
  alarms: 0,
  schedule: [],
  idlePolling: { standardRequests: 0, fifoRequests: 0 },
};

describe('the AWS cost of a run (us-east-1 on-demand prices)', () => {
  type Row = [
    rule: string,
    usage: Partial<AwsUsage>,
    service: 'lambda' | 'sqs' | 'dynamodb' | 'secretsManager',
    usd: number,
  ];
  const rows: Row[] = [
    [
      'Lambda: $0.20 per million invocations plus $0.0000133334 per arm64 GB-second at the configured memory',
      { lambda: [{ name: 'aggregator', invocations: 2_000_000, durationMs: 1_000_000, memoryMb: 1024 }] },
      'lambda',
      0.4 + 1000 * 0.0000133334,
    ],
    [
      'Lambda: half the memory, half the GB-seconds',
      { lambda: [{ name: 'fetch', invocations: 0, durationMs: 1_000_000, memoryMb: 512 }] },
      'lambda',
      500 * 0.0000133334,
    ],
    [
      'SQS: FIFO requests at $0.50 and standard ones at $0.40 per million',
      { sqs: { fifoRequests: 2_000_000, standardRequests: 1_000_000 } },
      'sqs',
      1.4,
    ],
    [
      'DynamoDB: $0.625 per million write units, $0.125 per million read units, $0.20 per million stream reads',
      {
        dynamodb: {
          writeRequestUnits: 4_000_000,
          readRequestUnits: 8_000_000,
          streamReadRequestUnits: 1_000_000,
        },
      },
      'dynamodb',
      2.5 + 1 + 0.2,
    ],
    ['Secrets Manager: $0.05 per 10,000 calls', { secretsManagerCalls: 20_000 }, 'secretsManager', 0.1],
    [
      'per million events: two million events halve the price of the same work',
      { events: 2_000_000, sqs: { fifoRequests: 2_000_000, standardRequests: 0 } },
      'sqs',
      0.5,
    ],
  ];
  it.each(rows)('%s', (_rule, usage, service, usd) => {
    const cost = awsCost({ ...nothing, ...usage }, noFixed).perMillionEvents;
    expect(cost[service]).toBeCloseTo(usd, 10);
    expect(cost.total).toBeCloseTo(usd, 10);
  });

  it('adds up the fixed monthly cost: secrets, alarms, schedule ticks and idle polling', () => {
    const fixed = awsCost(nothing, {
      integrations: 3,
      secretsPerIntegration: 2,
      alarms: 6,
      schedule: [{ name: 'scheduler', invocations: 8_760, durationMs: 876_000, memoryMb: 256 }],
      idlePolling: { standardRequests: 1_000_000, fifoRequests: 2_000_000 },
    }).monthlyFixed;
    expect(fixed.secrets).toBeCloseTo(2.4, 10);
    expect(fixed.alarms).toBeCloseTo(0.6, 10);
    expect(fixed.schedule).toBeCloseTo(0.001752 + 219 * 0.0000133334, 10);
    expect(fixed.idlePolling).toBeCloseTo(1.4, 10);
    expect(fixed.total).toBeCloseTo(2.4 + 0.6 + 0.001752 + 219 * 0.0000133334 + 1.4, 10);
  });

  it('refuses to price a run of no events, naming the field', () => {
    expect(() => awsCost({ ...nothing, events: 0 }, noFixed)).toThrow(
      'events must be positive to price per million, got 0',
    );
  });

  it.each([
    ['an empty request is one request', 0, 1],
    ['64 KiB is one request', 65_536, 1],
    ['a byte more is two', 65_537, 2],
    ['256 KiB is four', 262_144, 4],
  ])('SQS bills per started 64 KiB: %s', (_rule, bytes, requests) => {
    expect(billedSqsRequests(bytes)).toBe(requests);
  });
});
