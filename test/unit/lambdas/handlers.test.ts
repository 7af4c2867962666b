import { describe, expect, it, jest } from '@jest/globals';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { createHandler as aggregator } from '../../../lambdas/aggregator/handler.js';
import { createHandler as fetch } from '../../../lambdas/fetch/handler.js';
import type { PipelineDeps } from '../../../shared/pipeline/deps.js';

const context = {
  getRemainingTimeInMillis: () => 60_000,
  functionName: 'f',
  awsRequestId: 'r',
} as unknown as Context;

const record = (messageId: string, body: unknown, groupId?: string): SQSRecord => ({
  messageId,
  receiptHandle: `rh-${messageId}`,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  attributes: {
    ApproximateReceiveCount: '1',
    SentTimestamp: '0',
    SenderId: 's',
    ApproximateFirstReceiveTimestamp: '0',
    ...(groupId ? { MessageGroupId: groupId } : {}),
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q',
  awsRegion: 'us-east-1',
});

const contacts = (pageKey: string, integrationId: string) => ({
  version: 1,
  pageKey,
  integrationId,
  facts: [],
});

const fakeDeps = (overrides: { isApplied: (marker: string) => Promise<boolean> }) => {
  const park = jest.fn(async (_queue: string, _body: string, _reason: string, _group?: string) => undefined);
  const errors: unknown[][] = [];
  const deps = {
    repos: {
      applied: {
        isApplied: overrides.isApplied,
        commit: async () => 0,
        markApplied: async () => undefined,
      },
      facts: { getMany: async () => new Map(), putMany: async () => undefined },
      queueHistory: { getMany: async () => new Map(), table: 'h' },
      integrations: { get: async () => undefined },
    },
    deadLetters: { canPark: () => true, park },
    logger: {
      info: () => undefined,
      warn: () => undefined,
      error: (...args: unknown[]) => errors.push(args),
    },
    now: () => new Date('2026-01-05T00:00:00Z'),
  } as unknown as PipelineDeps;
  return { deps, park, errors };
};

describe('the aggregator handler (FIFO)', () => {
  it('reports the failed record and the rest of its group, and parks a malformed one without failing it', async () => {
    const { deps, park, errors } = fakeDeps({
      isApplied: async (marker) => {
        if (marker === 'a#p2') throw new Error('DynamoDB unavailable');
        return true;
      },
    });
    const event: SQSEvent = {
      Records: [
        record('m1', contacts('p1', 'a'), 'a'),
        record('m2', contacts('p2', 'a'), 'a'),
        record('m3', contacts('p3', 'a'), 'a'),
        record('m4', { version: 1, pageKey: 'p4', integrationId: 'b', facts: [{ sourceId: 'x' }] }, 'b'),
        record('m5', contacts('p5', 'b'), 'b'),
      ],
    };
    const response = await aggregator(() => deps)(event, context);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }, { itemIdentifier: 'm3' }] });
    expect(park).toHaveBeenCalledTimes(1);
    expect(park.mock.calls[0]?.[0]).toBe('contacts');
    expect(park.mock.calls[0]?.[2]).toBe(
      'facts.0.scope: Invalid input: expected string, received undefined; facts.0.version: Invalid input: expected string, received undefined; facts.0.contribution: Invalid input: expected object, received undefined; facts.0.outcome: Invalid input: expected string, received undefined',
    );
    expect(park.mock.calls[0]?.[3]).toBe('b');
    expect(errors.map((e) => e[0])).toEqual(['malformed message parked in the dead-letter queue']);
  });
});

describe('the fetch handler (standard queue)', () => {
  it('drops a job of an unknown integration and fails only the record that threw', async () => {
    const { deps } = fakeDeps({ isApplied: async () => false });
    (deps.repos.integrations as unknown as { get: (id: string) => Promise<unknown> }).get = async (
      id: string,
    ) => {
      if (id === 'boom') throw new Error('DynamoDB unavailable');
      return undefined;
    };
    const job = (integrationId: string) => ({
      version: 1,
      integrationId,
      stream: 'users',
      chain: true,
      runId: 'r',
    });
    const response = await fetch(() => deps)(
      { Records: [record('j1', job('gone')), record('j2', job('boom'))] },
      context,
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'j2' }] });
  });
});
