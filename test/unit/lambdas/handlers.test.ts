import { describe, expect, it, jest } from '@jest/globals';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { createHandler as aggregator } from '../../../lambdas/aggregator/handler.js';
import { createHandler as channelMapper } from '../../../lambdas/channel-mapper/handler.js';
import { createHandler as fetch } from '../../../lambdas/fetch/handler.js';
import { MIN_TIME_TO_START_MS } from '../../../lambdas/runtime.js';
import { AFTER_LAST_REQUEST_MS, requestTimeLeftMs } from '../../../shared/pipeline/time-left.js';
import { ZendeskOutOfTimeError } from '../../../shared/zendesk/errors.js';
import type { AggregatorDeps } from '../../../shared/pipeline/aggregator.js';
import type { ChannelMapperDeps } from '../../../shared/pipeline/channel-mapper.js';
import type { ConsumerDeps } from '../../../shared/pipeline/deps.js';
import type { FetchDeps } from '../../../shared/pipeline/fetch.js';
import type { Integration } from '../../../shared/store/integrations-repository.js';
import { fetchDepsWith } from '../../support/fetch-deps.js';
import { ACME, modifyOf } from '../../support/integrations.js';
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

/** An in-memory deliveries table: per message, the receives that waited and the first 429. */
const deliveryLog = () => {
  const waits = new Map<string, { receives: Set<number>; firstRateLimitedAt?: string }>();
  const entry = (queue: string, id: string) => {
    const key = `${queue}#${id}`;
    const e = waits.get(key) ?? { receives: new Set<number>() };
    waits.set(key, e);
    return e;
  };
  const historyOf = (e: { receives: Set<number>; firstRateLimitedAt?: string }) => ({
    waitedReceives: e.receives.size,
    ...(e.firstRateLimitedAt !== undefined ? { firstRateLimitedAt: e.firstRateLimitedAt } : {}),
  });
  const log: ConsumerDeps['deliveries'] = {
    recordRateLimited: async (queue, id, receive, at) => {
      const e = entry(queue, id);
      e.receives.add(receive);
      e.firstRateLimitedAt ??= at.toISOString();
      return historyOf(e);
    },
    recordWaitedBehind: async (queue, id, receive) => void entry(queue, id).receives.add(receive),
    history: async (queue, id) => historyOf(waits.get(`${queue}#${id}`) ?? { receives: new Set() }),
  };
  return { log, waits, entry };
};

const consumer = () => {
  const deliveries = deliveryLog();
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
    deliveries: deliveries.log,
    logger,
    // No integration is held by parked work.
    parkedWork: {
      integrations: { get: async () => undefined, modify: async () => undefined },
      deadLetters,
      now: () => new Date('2026-01-03T00:00:00Z'),
      logger,
    },
  };
  return { wiring, park, errors, delayed, deliveries };
};

const aggregatorDeps = (isApplied: (marker: string) => Promise<boolean>) => {
  const { wiring, park, errors, deliveries } = consumer();
  const deps: AggregatorDeps & ConsumerDeps = {
    ...wiring,
    applied: {
      isApplied,
      committedChunks: async () => new Set(),
      unfinishedWriterTags: async () => new Set<string>(),
      beginWriting: async () => undefined,
      endWriting: async () => undefined,
      commit: async () => 0,
      markApplied: async () => undefined,
    },
    facts: { getMany: async () => new Map(), putMany: async () => undefined },
    queueHistory: {
      getMany: async () => new Map(),
      getBacklogDays: async () => new Map(),
      recordFreshness: async () => true,
      table: 'h',
    },
    catalog: {
      register: async () => undefined,
      latestCounters: async () => null,
      raiseLatest: async () => undefined,
    },
    coverage: { list: async () => [], table: 'v' },
    now: () => new Date('2026-01-05T00:00:00Z'),
  };
  return { deps, park, errors, deliveries };
};

const fetchDeps = (get: FetchDeps['integrations']['get']): FetchDeps & ConsumerDeps => ({
  ...fetchDepsWith({
    integrations: { get, modify: async () => undefined, recordCompletedRun: async () => undefined },
  }),
  ...consumer().wiring,
});

/** Consumer wiring whose parked work marks integrations kept in `stored`. */
const storingParkedWork = (wiring: ConsumerDeps, stored: Map<string, Integration>): ConsumerDeps => ({
  ...wiring,
  parkedWork: {
    ...wiring.parkedWork,
    integrations: {
      get: async (id: string) => stored.get(id),
      modify: modifyOf(
        (id) => stored.get(id),
        (i) => void stored.set(i.id, i),
      ),
    },
  },
});

type UsersLookUp = Awaited<ReturnType<Awaited<ReturnType<ChannelMapperDeps['zendesk']>>['usersByIds']>>;

/** The channel mapper's deps, looking comment authors up with `usersByIds` of the integration. */
const mapperDeps = (
  wiring: ConsumerDeps,
  usersByIds: (integrationId: string) => UsersLookUp,
): ChannelMapperDeps & ConsumerDeps => ({
  ...wiring,
  integrations: { get: async (id) => ({ ...ACME, id }) },
  users: { roles: async () => new Map(), upsert: async () => 0 },
  zendesk: async (integration) => ({ usersByIds: async () => usersByIds(integration.id) }),
  bus: { sendUpdates: async () => undefined, sendContacts: async () => undefined },
});

/** A ticket-events page with one email comment by user 77, whom the mapper has not seen. */
const unknownAuthorPage = (pageKey: string, integrationId: string) => ({
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
  const receivedTimes = (n: number, r: SQSRecord): SQSRecord => ({
    ...r,
    attributes: { ...r.attributes, ApproximateReceiveCount: String(n) },
  });
  const lastDelivery = (r: SQSRecord): SQSRecord => receivedTimes(5, r);

  it('parks the failing message with its reason, marks its integration, parks its later messages behind it, and goes on with the others', async () => {
    const { deps, park } = aggregatorDeps(async (marker) => {
      if (marker === 'a#p1') throw new Error('DynamoDB unavailable');
      return true;
    });
    const stored = new Map([['a', { ...ACME, id: 'a' }]]);
    const reads: string[] = [];
    const storing = storingParkedWork(deps, stored);
    const wired = {
      ...deps,
      ...storing,
      parkedWork: {
        ...storing.parkedWork,
        integrations: {
          ...storing.parkedWork.integrations,
          get: async (id: string) => {
            reads.push(id);
            return stored.get(id);
          },
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
    // The hold is read once per integration and batch (parking reads it within its own change).
    expect(reads.filter((id) => id === 'a')).toEqual(['a']);
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

  it('a failure on the 7th receive of a message that waited 5 times for Zendesk is its 2nd: retried, not parked', async () => {
    const { deps, park, deliveries } = aggregatorDeps(async () => {
      throw new Error('DynamoDB unavailable');
    });
    for (const n of [1, 2, 3, 4, 5]) deliveries.entry('contacts', 'm1').receives.add(n);
    const response = await aggregator(() => deps)(
      { Records: [receivedTimes(7, record('m1', contacts('p1', 'a'), 'a'))] },
      context,
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    expect(park).not.toHaveBeenCalled();
  });

  it('a message whose earlier receives ended without an answer 5 times is parked before it is tried again', async () => {
    const tried: string[] = [];
    const { deps, park } = aggregatorDeps(async (marker) => {
      tried.push(marker);
      return true;
    });
    const response = await aggregator(() => deps)(
      { Records: [receivedTimes(6, record('m1', contacts('p1', 'a'), 'a'))] },
      context,
    );
    expect(response).toEqual({ batchItemFailures: [] });
    expect(tried).toEqual([]);
    expect(park.mock.calls.map((c) => c[2])).toEqual([
      '5 deliveries ended without an answer (the function timed out or stopped)',
    ]);
  });

  it('records the receives handed back unread behind a failed message of their group as waits, not failures', async () => {
    const { deps, deliveries } = aggregatorDeps(async (marker) => {
      if (marker === 'a#p1') throw new Error('DynamoDB unavailable');
      return true;
    });
    await aggregator(() => deps)(
      {
        Records: [
          receivedTimes(2, record('m1', contacts('p1', 'a'), 'a')),
          receivedTimes(2, record('m2', contacts('p2', 'a'), 'a')),
          record('m3', contacts('p3', 'b'), 'b'),
        ],
      },
      context,
    );
    expect([...deliveries.waits.entries()].map(([k, v]) => [k, [...v.receives]])).toEqual([
      ['contacts#m2', [2]],
    ]);
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
    // Integration a's author is unknown and Zendesk refuses the look-up for 30 s.
    const deps = mapperDeps(wiring, (id) =>
      id === 'a' ? { kind: 'rate_limited', retryAfterSeconds: 30 } : [],
    );
    const page = unknownAuthorPage;
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

  const rateLimitedMapper = () => {
    const c = consumer();
    const stored = new Map([['a', { ...ACME, id: 'a' }]]);
    const deps = mapperDeps(storingParkedWork(c.wiring, stored), () => ({
      kind: 'rate_limited',
      retryAfterSeconds: 30,
    }));
    return { ...c, deps, stored };
  };
  const nthReceive = (n: number, r: SQSRecord): SQSRecord => ({
    ...r,
    attributes: { ...r.attributes, ApproximateReceiveCount: String(n) },
  });

  it('a 429 on the 6th receive, after 5 waits, is a wait again: recorded, delayed, not parked', async () => {
    const { deps, delayed, park, deliveries } = rateLimitedMapper();
    deliveries.entry('changes', 'm1').firstRateLimitedAt = '2026-01-02T23:57:00.000Z';
    for (const n of [1, 2, 3, 4, 5]) deliveries.entry('changes', 'm1').receives.add(n);
    const response = await channelMapper(() => deps)(
      {
        Records: [
          nthReceive(6, record('m1', unknownAuthorPage('p1', 'a'), 'a')),
          nthReceive(6, record('m2', unknownAuthorPage('p2', 'a'), 'a')),
        ],
      },
      context,
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }, { itemIdentifier: 'm2' }] });
    expect(park).not.toHaveBeenCalled();
    expect(delayed).toEqual([{ queue: 'changes', handles: ['rh-m1', 'rh-m2'], seconds: 30 }]);
    expect(
      [...deliveries.waits.entries()].map(([k, v]) => [k, [...v.receives], v.firstRateLimitedAt]),
    ).toEqual([
      ['changes#m1', [1, 2, 3, 4, 5, 6], '2026-01-02T23:57:00.000Z'],
      ['changes#m2', [6], undefined],
    ]);
  });

  it('a 429 that would make the wait pass its bound parks the message, saying it is Zendesk’s rate limit and from when to retry', async () => {
    const { deps, delayed, park, deliveries, stored } = rateLimitedMapper();
    // First refused 59 min 40 s before the consumer's clock (2026-01-03T00:00:00Z); 30 s more pass the hour.
    deliveries.entry('changes', 'm1').firstRateLimitedAt = '2026-01-02T23:00:20.000Z';
    for (let n = 1; n < 40; n += 1) deliveries.entry('changes', 'm1').receives.add(n);
    const response = await channelMapper(() => deps)(
      {
        Records: [
          nthReceive(40, record('m1', unknownAuthorPage('p1', 'a'), 'a')),
          nthReceive(40, record('m2', unknownAuthorPage('p2', 'a'), 'a')),
        ],
      },
      context,
    );
    expect(response).toEqual({ batchItemFailures: [] });
    expect(delayed).toEqual([]);
    const reason =
      "Zendesk's rate limit: looking up comment authors was rate-limited by Zendesk; retry after 30 s; " +
      'refused since 2026-01-02T23:00:20.000Z (60 min, the wait is bounded at 60 min), ' +
      'Zendesk allows requests again from 2026-01-03T00:00:30.000Z: retry after then';
    expect(park.mock.calls.map((c) => [JSON.parse(c[1]).pageKey, c[2]])).toEqual([
      ['p1', reason],
      ['p2', 'behind earlier parked work'],
    ]);
    expect(stored.get('a')).toMatchObject({ status: 'failing', parked: [{ queue: 'changes', reason }] });
  });
});

describe("the SQS consumer: a batch never outlasts its function's timeout", () => {
  /** A context whose remaining time is read from `left`, as the invocation goes on. */
  const contextLeft = (left: () => number) =>
    ({ ...context, getRemainingTimeInMillis: left }) as unknown as Context;

  it(`a record met with less than ${MIN_TIME_TO_START_MS / 1000} s left is not started: handed back visible at once with the rest of its group, a wait and no failure`, async () => {
    const { wiring, delayed, park, deliveries } = consumer();
    const looked: string[] = [];
    const deps = mapperDeps(wiring, (id) => {
      looked.push(id);
      return [];
    });
    // 60 s left when the batch starts; the first record's work leaves 10 s.
    let left = 60_000;
    const page = unknownAuthorPage;
    const handler = channelMapper(() => ({
      ...deps,
      zendesk: async (integration) => {
        left = 10_000;
        return deps.zendesk(integration);
      },
    }));
    const response = await handler(
      {
        Records: [
          record('m1', page('p1', 'a'), 'a'),
          record('m2', page('p2', 'a'), 'a'),
          record('m3', page('p3', 'b'), 'b'),
        ],
      },
      contextLeft(() => left),
    );
    expect(looked).toEqual(['a']);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }, { itemIdentifier: 'm3' }] });
    expect(delayed).toEqual([{ queue: 'changes', handles: ['rh-m2', 'rh-m3'], seconds: 0 }]);
    expect([...deliveries.waits.keys()]).toEqual(['changes#m2', 'changes#m3']);
    expect(park).not.toHaveBeenCalled();
  });

  it.each([
    [0, 'handed back visible at once, a wait', [{ queue: 'changes', handles: ['rh-m1'], seconds: 0 }], 1],
    [1, 'a failure (Zendesk was asked, and failed to answer in time)', [], 0],
  ])(
    'a record whose Zendesk request found too little time after %i attempts is %s',
    async (attempts, _what, expectedDelays, waits) => {
      const { wiring, delayed, deliveries } = consumer();
      const deps = mapperDeps(wiring, () => {
        throw new ZendeskOutOfTimeError('/api/v2/users/show_many', attempts, 'too little time left');
      });
      const response = await channelMapper(() => deps)(
        { Records: [record('m1', unknownAuthorPage('p1', 'a'), 'a')] },
        context,
      );
      expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
      expect(delayed).toEqual(expectedDelays);
      expect(deliveries.waits.size).toBe(waits);
    },
  );

  it(`a Zendesk request of the invocation may take its remaining time less the ${AFTER_LAST_REQUEST_MS / 1000} s its work needs afterwards`, async () => {
    const { wiring } = consumer();
    const seen: number[] = [];
    const deps = mapperDeps(wiring, () => {
      seen.push(requestTimeLeftMs());
      return [];
    });
    await channelMapper(() => deps)(
      { Records: [record('m1', unknownAuthorPage('p1', 'a'), 'a')] },
      contextLeft(() => 42_000),
    );
    expect(seen).toEqual([32_000]);
    expect(requestTimeLeftMs()).toBe(Number.POSITIVE_INFINITY);
  });
});
