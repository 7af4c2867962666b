import { describe, expect, it, jest } from '@jest/globals';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { createHandler as aggregator } from '../../../lambdas/aggregator/handler.js';
import { createHandler as channelMapper } from '../../../lambdas/channel-mapper/handler.js';
import { createHandler as fetch } from '../../../lambdas/fetch/handler.js';
import type { AggregatorDeps } from '../../../shared/pipeline/aggregator.js';
import type { ChannelMapperDeps } from '../../../shared/pipeline/channel-mapper.js';
import type { ConsumerDeps } from '../../../shared/pipeline/deps.js';
import type { FetchDeps } from '../../../shared/pipeline/fetch.js';
import { ACME } from '../../support/integrations.js';
import { fetchJob, sqsRecord } from '../../support/messages.js';

const context = {
  getRemainingTimeInMillis: () => 60_000,
  functionName: 'f',
  awsRequestId: 'r',
} as unknown as Context;

const record = sqsRecord;

const contacts = (pageKey: string, integrationId: string) => ({
  version: 2,
  pageKey,
  integrationId,
  facts: [],
});

const consumer = () => {
  const park = jest.fn(async (_queue: string, _body: string, _reason: string, _group?: string) => undefined);
  const delayed: { queue: string; handles: readonly string[]; seconds: number }[] = [];
  const errors: unknown[][] = [];
  const deadLetters = { canPark: () => true, park };
  const logger = {
    info: () => undefined,
    warn: () => undefined,
    error: (...args: unknown[]) => void errors.push(args),
  };
  const wiring: ConsumerDeps = {
    deadLetters,
    visibility: { delay: async (queue, handles, seconds) => void delayed.push({ queue, handles, seconds }) },
    logger,
    // No integration is held by parked work.
    parkedWork: {
      integrations: { get: async () => undefined, save: async () => undefined },
      deadLetters,
      now: () => new Date('2026-01-03T00:00:00Z'),
      logger,
    },
  };
  return { wiring, park, errors, delayed };
};

const aggregatorDeps = (isApplied: (marker: string) => Promise<boolean>) => {
  const { wiring, park, errors } = consumer();
  const deps: AggregatorDeps & ConsumerDeps = {
    ...wiring,
    applied: {
      isApplied,
      committedChunks: async () => new Set(),
      commit: async () => 0,
      markApplied: async () => undefined,
    },
    facts: { getMany: async () => new Map(), putMany: async () => undefined },
    queueHistory: { getMany: async () => new Map(), table: 'h' },
    catalog: { list: async () => [], register: async () => undefined },
    coverage: { list: async () => [], table: 'v' },
    now: () => new Date('2026-01-05T00:00:00Z'),
  };
  return { deps, park, errors };
};

const fetchDeps = (get: FetchDeps['integrations']['get']): FetchDeps & ConsumerDeps => ({
  ...consumer().wiring,
  integrations: { get, save: async () => undefined },
  cursors: { get: async () => undefined, advance: async () => ({ position: { startTime: 0 }, seq: 1 }) },
  quarantine: { put: async () => true },
  bus: { sendChanges: async () => undefined, sendFetchJob: async () => undefined },
  zendesk: async () => {
    throw new Error('no Zendesk here');
  },
  now: () => new Date('2026-01-05T00:00:00Z'),
  progress: () => undefined,
  settings: {
    maxRetryDelaySeconds: 900,
    fetchTimeBudgetMs: 0,
    maxMalformedAttempts: 3,
    ticketStateWarmUpDays: 7,
  },
});

describe('the aggregator handler (FIFO)', () => {
  it('reports the failed record and the rest of its group, and parks a malformed one without failing it', async () => {
    const { deps, park, errors } = aggregatorDeps(async (marker) => {
      if (marker === 'a#p2') throw new Error('DynamoDB unavailable');
      return true;
    });
    const event: SQSEvent = {
      Records: [
        record('m1', contacts('p1', 'a'), 'a'),
        record('m2', contacts('p2', 'a'), 'a'),
        record('m3', contacts('p3', 'a'), 'a'),
        record('m4', { version: 2, pageKey: 'p4', integrationId: 'b', facts: [{ kind: 'call' }] }, 'b'),
        record('m5', contacts('p5', 'b'), 'b'),
      ],
    };
    const response = await aggregator(() => deps)(event, context);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }, { itemIdentifier: 'm3' }] });
    expect(park).toHaveBeenCalledTimes(1);
    expect(park.mock.calls[0]?.[0]).toBe('contacts');
    expect(park.mock.calls[0]?.[2]).toBe(
      'facts.0.callId: Invalid input: expected number, received undefined; facts.0.updatedAt: Invalid input: expected string, received undefined; facts.0.contribution: Invalid input: expected object, received undefined; facts.0.outcome: Invalid input: expected object, received undefined',
    );
    expect(park.mock.calls[0]?.[3]).toBe('b');
    expect(errors.map((e) => e[0])).toEqual(['malformed message parked in the dead-letter queue']);
  });
});

describe('the SQS consumer: work that fails its last delivery is parked, never dropped', () => {
  const lastDelivery = (r: SQSRecord): SQSRecord => ({
    ...r,
    attributes: { ...r.attributes, ApproximateReceiveCount: '5' },
  });

  it('parks the failing message with its reason, marks its integration, parks its later messages behind it, and goes on with the others', async () => {
    const { deps, park } = aggregatorDeps(async (marker) => {
      if (marker === 'a#p1') throw new Error('DynamoDB unavailable');
      return true;
    });
    const stored = new Map([['a', { ...ACME, id: 'a' }]]);
    const reads: string[] = [];
    const wired = {
      ...deps,
      parkedWork: {
        ...deps.parkedWork,
        integrations: {
          get: async (id: string) => {
            reads.push(id);
            return stored.get(id);
          },
          save: async (i: typeof ACME) => void stored.set(i.id, i),
        },
      },
    };
    const response = await aggregator(() => wired)(
      {
        Records: [
          lastDelivery(record('m1', contacts('p1', 'a'), 'a')),
          record('m2', contacts('p2', 'a'), 'a'),
          record('m3', contacts('p3', 'b'), 'b'),
        ],
      },
      context,
    );
    expect(response).toEqual({ batchItemFailures: [] });
    expect(park.mock.calls.map((c) => [c[0], JSON.parse(c[1]).pageKey, c[2], c[3]])).toEqual([
      ['contacts', 'p1', 'DynamoDB unavailable', 'a'],
      ['contacts', 'p2', 'behind earlier parked work', 'a'],
    ]);
    expect(stored.get('a')).toMatchObject({
      status: 'failing',
      parked: [
        {
          queue: 'contacts',
          reason: 'DynamoDB unavailable',
          concerns: 'page p1',
          since: '2026-01-03T00:00:00.000Z',
        },
      ],
    });
    // The hold is read once per integration and batch.
    expect(reads.filter((id) => id === 'a')).toEqual(['a', 'a']);
  });

  it('before its last delivery a failing message is reported failed, not parked', async () => {
    const { deps, park } = aggregatorDeps(async () => {
      throw new Error('DynamoDB unavailable');
    });
    const response = await aggregator(() => deps)(
      { Records: [record('m1', contacts('p1', 'a'), 'a')] },
      context,
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    expect(park).not.toHaveBeenCalled();
  });
});

describe('the fetch handler (standard queue)', () => {
  it('drops a job of an unknown integration and fails only the record that threw', async () => {
    const deps = fetchDeps(async (id) => {
      if (id === 'boom') throw new Error('DynamoDB unavailable');
      return undefined;
    });
    const job = (integrationId: string) => fetchJob('users', { integrationId });
    const response = await fetch(() => deps)(
      { Records: [record('j1', job('gone')), record('j2', job('boom'))] },
      context,
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'j2' }] });
  });
});

describe('the channel mapper handler: a user look-up Zendesk rate-limits', () => {
  it('sets the visibility of the refused record and of its group behind it to the Retry-After, then reports them failed', async () => {
    const { wiring, delayed } = consumer();
    const deps: ChannelMapperDeps & ConsumerDeps = {
      ...wiring,
      integrations: { get: async (id) => ({ ...ACME, id }) },
      users: { roles: async () => new Map(), upsert: async () => 0 },
      // Integration a's author is unknown and Zendesk refuses the look-up for 30 s.
      zendesk: async (integration) => ({
        usersByIds: async () =>
          integration.id === 'a' ? { kind: 'rate_limited', retryAfterSeconds: 30 } : [],
      }),
      bus: { sendUpdates: async () => undefined, sendContacts: async () => undefined },
    };
    const page = (pageKey: string, integrationId: string) => ({
      version: 1,
      pageKey,
      integrationId,
      stream: 'ticket_events',
      records: [
        {
          id: 1,
          ticketId: 5,
          timestamp: 1_767_600_000,
          createdAt: '2026-01-05T08:00:00Z',
          updaterId: 77,
          via: 'Mail',
          viaReferenceId: null,
          children: [{ kind: 'Comment', authorId: 77, public: true, channel: 'email', rel: null }],
        },
      ],
    });
    const response = await channelMapper(() => deps)(
      {
        Records: [
          record('m1', page('p1', 'a'), 'a'),
          record('m2', page('p2', 'a'), 'a'),
          record('m3', page('p3', 'b'), 'b'),
        ],
      },
      context,
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }, { itemIdentifier: 'm2' }] });
    expect(delayed).toEqual([{ queue: 'changes', handles: ['rh-m1', 'rh-m2'], seconds: 30 }]);
  });
});
