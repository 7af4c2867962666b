import { describe, expect, it } from '@jest/globals';
import { ALARMS, awsUsageOf, fixedUsageOf, SCHEDULE_MINUTES } from '../../../bench/aws-usage.js';
import { DEFAULT_PIPELINE_SETTINGS } from '../../../infra/pipeline-stack.js';

const stages = {
  ms: { fetchJobs: 1_000, changes: 2_000, updates: 3_000, contacts: 4_000 },
  invocations: { fetchJobs: 10, changes: 20, updates: 30, contacts: 40 },
  messages: { fetchJobs: 10, changes: 20, updates: 30, contacts: 40 },
};

describe('a run as AWS bills it', () => {
  const usage = awsUsageOf({
    events: 100_000,
    stages,
    sqs: { standardRequests: 5, fifoRequests: 7 },
    dynamodb: { writeRequestUnits: 900, readRequestUnits: 300 },
    secretsManagerCalls: 4,
    otherFunctions: [{ name: 'webhook', invocations: 50, durationMs: 500 }],
  });

  it('prices each consumer’s time at the memory its function is deployed with', () => {
    expect(usage.lambda).toEqual([
      { name: 'fetch', invocations: 10, durationMs: 1_000, memoryMb: 512 },
      { name: 'channelMapper', invocations: 20, durationMs: 2_000, memoryMb: 512 },
      { name: 'viewClassifier', invocations: 30, durationMs: 3_000, memoryMb: 1024 },
      { name: 'aggregator', invocations: 40, durationMs: 4_000, memoryMb: 1024 },
      { name: 'webhook', invocations: 50, durationMs: 500, memoryMb: 256 },
    ]);
  });

  it('adds a receive and a delete per invocation to the functions’ own requests, by queue type', () => {
    expect(usage.sqs).toEqual({ standardRequests: 5 + 2 * 10, fifoRequests: 7 + 2 * (20 + 30 + 40) });
  });

  it('counts no stream reads: the forecaster’s Lambda trigger reads the stream for free', () => {
    expect(usage.dynamodb).toEqual({
      writeRequestUnits: 900,
      readRequestUnits: 300,
      streamReadRequestUnits: 0,
    });
  });
});

describe('a month of a deployment', () => {
  it('ticks at the stack’s default schedule rate', () => {
    expect(SCHEDULE_MINUTES).toBe(DEFAULT_PIPELINE_SETTINGS.scheduleRate.toMinutes());
  });

  it('has two alarms per dead-letter queue (a message waits; the oldest nears SQS’s retention) and two on the fetch function', () => {
    expect(ALARMS).toBe(10);
  });

  it('counts the ticks of a 730-hour month, per integration, and five idle long-pollers per queue', () => {
    const fixed = fixedUsageOf({ integrations: 2, schedulerMs: 100, meanFetchMs: 1_000 });
    const ticks = (730 * 60) / 5;
    expect(fixed.schedule).toEqual([
      { name: 'scheduler', invocations: ticks, durationMs: ticks * 100, memoryMb: 256 },
      { name: 'fetch', invocations: 2 * ticks, durationMs: 2 * ticks * 1_000, memoryMb: 512 },
    ]);
    expect(fixed.idlePolling).toEqual({
      standardRequests: 5 * 3 * 730 * 60 + 3 * 2 * ticks,
      fifoRequests: 3 * 5 * 3 * 730 * 60,
    });
    expect(fixed.integrations * fixed.secretsPerIntegration).toBe(4);
  });
});
