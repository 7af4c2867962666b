import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import { SendMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { expectedQueues, unmappedChannelCounts, type GroundTruth } from '../../sandbox/index.js';
import { importOnce, readBack } from '../../local/import.js';
import { TALK_FIGURES } from '../../shared/domain/counters.js';
import { QUEUES, type QueueKey } from '../../shared/messages/queues.js';
import {
  freshnessItems,
  integrationInput,
  countedHistory,
  historyItems,
  scanTable,
  startWorld,
  streamRecords,
  worldTruth,
  type World,
} from './support.js';

describe('importing the sandbox account through the local pipeline', () => {
  // One import, made before any test; each test changes only what it then looks at.
  let world: World;
  let result: Awaited<ReturnType<typeof importOnce>>;
  let integrationId: string;
  let since: string;
  const delivered: { queue: QueueKey; body: string; groupId?: string }[] = [];
  /** The ground truth, the queue history and its stream right after the import, before any test ran. */
  let imported: { truth: GroundTruth; until: string; table: string[]; streamed: _Record[] };
  /** The view the new-view test adds (counted from then on through a replay). */
  let viewId: number | undefined;

  beforeAll(async () => {
    world = await startWorld('tiny');
    result = await importOnce(world.pipeline, integrationInput(world), {
      newId: () => 'acme',
      onDelivery: (queue, r) => delivered.push({ queue, body: r.body, groupId: r.attributes.MessageGroupId }),
    });
    integrationId = result.integration.integration.id;
    since = result.integration.integration.importFrom;
    imported = {
      truth: structuredClone(world.sandbox.truth),
      until: world.sandbox.now().toISOString(),
      table: await scanTable(world.stack, world.stack.tableNames.queueHistory),
      streamed: await streamRecords(world.stack),
    };
    // A whole import: as long as a test of its own may take, and then some on a busy machine.
  });
  afterAll(async () => {
    await world?.stop();
  });

  it('publishes exactly the ground truth, and unsupported views get reasons but no queues', () => {
    const { truth, until } = imported;
    expect(result.queues).toEqual(
      expectedQueues(truth, { groupingStrategy: 'ivr', intervalMinutes: 15, since, until }),
    );

    const unsupported = truth.views.filter((v) => !v.supported);
    expect(unsupported.length).toBeGreaterThan(0);
    expect(result.views.filter((v) => !v.supported).map((v) => v.id)).toEqual(unsupported.map((v) => v.id));
    for (const view of result.views.filter((v) => !v.supported))
      expect(view.reasons.length).toBeGreaterThan(0);
    const queueViews = new Set(result.queues.map((q) => q.viewId));
    for (const view of unsupported) expect(queueViews.has(view.id)).toBe(false);
    expect(result.coverage.viewsByVerdict).toEqual({
      supported: truth.views.length - unsupported.length,
      unsupported: unsupported.length,
    });
    // The warm-up's events before the window built ticket state and are counted nowhere.
    const inWindow = truth.interactions.filter((i) => i.at >= since);
    expect(inWindow.length).toBeLessThan(truth.interactions.length);
    expect(result.coverage.interactionsCounted).toBe(inWindow.filter((i) => i.wfmChannel !== null).length);
    expect(result.coverage.unmappedChannels).toEqual(unmappedChannelCounts(truth, { since, until }));
  });

  it("streams the run's end last, after every interval it counted: how far the history is complete and the run", async () => {
    const events = await world.pipeline.deps.repos.cursors.get(integrationId, 'ticket_events');
    const run = (await world.pipeline.deps.repos.integrations.get(integrationId))?.lastCompletedRun;
    const last = imported.streamed.at(-1);
    expect(last?.dynamodb?.NewImage).toEqual({
      pk: { S: `${integrationId}#freshness` },
      sk: { S: 'freshness' },
      kind: { S: 'freshness' },
      integrationId: { S: integrationId },
      completeUpTo: {
        S: new Date((events?.position as { startTime: number }).startTime * 1000).toISOString(),
      },
      lastCompletedRun: { M: { runId: { S: run!.runId }, at: { S: run!.at } } },
    });
    // Before it: intervals (no kind) and Support queues' backlog days.
    expect(
      new Set(imported.streamed.slice(0, -1).map((r) => r.dynamodb?.NewImage?.kind?.S ?? 'interval')),
    ).toEqual(new Set(['interval', 'backlogDay']));
  });

  it('leaves every interval byte for byte unchanged on a re-run and on a re-delivery of every message; the freshness item names the re-run', async () => {
    const table = world.stack.tableNames.queueHistory;
    expect(imported.table.length).toBeGreaterThan(0);
    // The first import wrote each interval once and its end once: one INSERT per item; a backlog
    // day is inserted once, then changed by each later page with moves on that day.
    expect(imported.streamed.filter((r) => r.eventName === 'INSERT')).toHaveLength(imported.table.length);
    expect(
      imported.streamed
        .filter((r) => r.eventName !== 'INSERT')
        .map((r) => [r.eventName, r.dynamodb?.NewImage?.kind?.S])
        .filter(([eventName, kind]) => eventName !== 'MODIFY' || kind !== 'backlogDay'),
    ).toEqual([]);
    const before = historyItems(await scanTable(world.stack, table));
    expect(before.length).toBe(imported.table.length - 1);

    await world.pipeline.sync({ runId: 'again' });
    expect(historyItems(await scanTable(world.stack, table))).toEqual(before);
    const again = await world.pipeline.deps.repos.queueHistory.freshness(integrationId);
    expect(again?.lastCompletedRun.runId).toBe('again');

    for (const m of delivered) {
      await world.stack.sqs.send(
        new SendMessageCommand({
          QueueUrl: world.stack.queueUrls[m.queue],
          MessageBody: m.body,
          ...(QUEUES[m.queue].fifo
            ? { MessageGroupId: m.groupId, MessageDeduplicationId: `again-${delivered.indexOf(m)}` }
            : {}),
        }),
      );
    }
    await world.pipeline.drain();
    expect(historyItems(await scanTable(world.stack, table))).toEqual(before);
    // The fetch jobs delivered again read every stream to its end once more: a later run's end, the
    // one the integration records; the first run's end delivered again is older and moved nothing back.
    const redelivered = await world.pipeline.deps.repos.queueHistory.freshness(integrationId);
    const integration = await world.pipeline.deps.repos.integrations.get(integrationId);
    expect(redelivered).toEqual({
      completeUpTo: again!.completeUpTo,
      lastCompletedRun: integration!.lastCompletedRun,
    });
    expect(redelivered!.lastCompletedRun.at >= again!.lastCompletedRun.at).toBe(true);
    expect((await readBack(world.pipeline, integrationId)).queues).toEqual(worldTruth(world, since));
  });

  it('gives a view added after the first import its queues and full history on the next run', async () => {
    viewId = world.sandbox.addView({
      title: 'All Open',
      conditions: { all: [{ field: 'status', operator: 'less_than', value: 'solved' }] },
    });
    world.sandbox.advanceClock(600);
    await world.pipeline.sync({ runId: 'with-new-view' });
    const { queues } = await readBack(world.pipeline, integrationId);
    expect(queues).toEqual(worldTruth(world, since, [viewId]));
    expect(queues.filter((q) => q.viewId === viewId).length).toBeGreaterThan(0);
  });

  it("counts a call whose wrap-up time changed once, with the new handle time, and streams that one change, then the run's end", async () => {
    const call = world.sandbox.truth.calls.find(
      (c) => c.direction === 'inbound' && c.handled && c.at >= since,
    )!;
    const streamedBefore = (await streamRecords(world.stack)).length;
    const before = world.sandbox.truth.calls.find((c) => c.id === call.id)!.handleSeconds;
    world.sandbox.updateCallWrapUp(call.id, 777);
    world.sandbox.advanceClock(600);
    const after = world.sandbox.truth.calls.find((c) => c.id === call.id)!.handleSeconds;
    expect(after).not.toBe(before);
    await world.pipeline.sync({ runId: 'after-wrap-up' });
    const { queues, coverage } = await readBack(world.pipeline, integrationId);
    expect(queues).toEqual(worldTruth(world, since, viewId === undefined ? [] : [viewId]));
    expect(coverage.callsSeen).toBe(world.sandbox.truth.calls.filter((c) => c.at >= since).length);

    const changes = (await streamRecords(world.stack)).slice(streamedBefore);
    expect(changes.map((r) => [r.eventName, r.dynamodb?.NewImage?.kind?.S ?? 'interval'])).toEqual([
      ['MODIFY', 'interval'],
      ['MODIFY', 'freshness'],
    ]);
    expect(changes[1]?.dynamodb?.NewImage?.lastCompletedRun?.M?.runId).toEqual({ S: 'after-wrap-up' });
    const [change] = changes;
    expect(
      Number(change?.dynamodb?.NewImage?.handleSeconds?.N) -
        Number(change?.dynamodb?.OldImage?.handleSeconds?.N),
    ).toBe(after - before);
    expect(change?.dynamodb?.NewImage?.contacts).toEqual(change?.dynamodb?.OldImage?.contacts);
    // The stream's consumers see schema 5 with Talk's figures; wrap-up changes none of them.
    expect(change?.dynamodb?.NewImage?.schemaVersion).toEqual({ N: '5' });
    expect(Object.keys(change?.dynamodb?.NewImage?.talk?.M ?? {}).sort()).toEqual([...TALK_FIGURES].sort());
    expect(change?.dynamodb?.NewImage?.talk).toEqual(change?.dynamodb?.OldImage?.talk);
  });
});

describe('faults on the way', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld('tiny');
  });
  afterAll(async () => {
    await world?.stop();
  });

  it('completes through 429s, 5xx and a one-off malformed page (retried, not parked) and counts everything once', async () => {
    world.sandbox.injectFault({
      kind: 'rateLimit',
      retryAfterSeconds: 1,
      pathPrefix: '/api/v2/incremental/ticket_events',
    });
    world.sandbox.injectFault({
      kind: 'status',
      status: 503,
      pathPrefix: '/api/v2/incremental/users',
      times: 2,
    });
    world.sandbox.injectFault({ kind: 'malformed', pathPrefix: '/api/v2/channels/voice' });
    const result = await importOnce(world.pipeline, integrationInput(world), { newId: () => 'acme' });
    const since = result.integration.integration.importFrom;
    expect(result.queues).toEqual(worldTruth(world, since));
    expect(result.coverage.callsSeen).toBe(world.sandbox.truth.calls.filter((c) => c.at >= since).length);

    const parked = await world.stack.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: world.stack.dlqUrls.fetchJobs, MaxNumberOfMessages: 10 }),
    );
    expect(parked.Messages ?? []).toEqual([]);
    expect((await world.pipeline.deps.repos.integrations.get('acme'))?.status).toBe('active');
    const retried = world.logs.filter((l) => l.message === 'malformed page: retrying');
    expect(retried.map((l) => [l.level, l.extra?.stream, l.extra?.attempts])).toEqual([['warn', 'calls', 1]]);
    expect(String(retried[0]?.extra?.reason)).toMatch(
      /^\/api\/v2\/channels\/voice\/stats\/incremental\/calls: /,
    );
    expect(world.logs.filter((l) => l.level === 'error')).toEqual([]);
    expect(world.logs.some((l) => l.message === 'rate limited: job re-queued')).toBe(true);
    // A whole import of the tiny account (three dozen views) on a loaded machine.
  });
});

describe('an account whose Talk export Zendesk refuses (a plan without Talk)', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld('tiny');
  });
  afterAll(async () => {
    await world?.stop();
  });

  it("imports Support's contacts without calls and says why; once Zendesk answers, every call of the history comes", async () => {
    const calls = '/api/v2/channels/voice/stats/incremental/calls';
    world.sandbox.injectFault({
      kind: 'status',
      status: 404,
      body: JSON.stringify({ error: 'InvalidEndpoint', description: 'Not found' }),
      pathPrefix: calls,
      times: 100,
    });
    const result = await importOnce(world.pipeline, integrationInput(world), { newId: () => 'acme' });
    const since = result.integration.integration.importFrom;
    const truth = worldTruth(world, since);
    expect(truth.filter((q) => q.source === 'talk').length).toBeGreaterThan(0);
    expect(result.queues).toEqual(truth.filter((q) => q.source === 'support'));
    expect(result.coverage.callsSeen).toBe(0);
    const refused = await world.pipeline.deps.repos.integrations.get('acme');
    expect(refused?.status).toBe('active');
    expect(refused?.talkUnavailable?.reason).toBe(
      `Zendesk answered 404 on ${calls}: InvalidEndpoint: Not found`,
    );
    expect(refused?.lastCompletedRun).toBeDefined();
    // The queue-history stream says so too: its freshness item names the refusal beside the run.
    expect(await world.pipeline.deps.repos.queueHistory.freshness('acme')).toEqual({
      completeUpTo: expect.any(String),
      lastCompletedRun: refused?.lastCompletedRun,
      talkUnavailable: refused?.talkUnavailable,
    });
    expect(world.logs.filter((l) => l.level === 'error')).toEqual([]);

    world.sandbox.clearFaults();
    await world.pipeline.sync();
    const answered = await readBack(world.pipeline, 'acme');
    expect(answered.queues).toEqual(worldTruth(world, since));
    expect(answered.coverage.callsSeen).toBe(world.sandbox.truth.calls.filter((c) => c.at >= since).length);
    expect((await world.pipeline.deps.repos.integrations.get('acme'))?.talkUnavailable).toBeUndefined();
    expect(await world.pipeline.deps.repos.queueHistory.freshness('acme')).not.toHaveProperty(
      'talkUnavailable',
    );
  });
});

describe('a fetch killed between handing a page on and advancing its cursor', () => {
  let clean: World;
  let crashed: World;
  beforeAll(async () => {
    [clean, crashed] = await Promise.all([startWorld('tiny'), startWorld('tiny')]);
  });
  afterAll(async () => {
    await Promise.all([clean?.stop(), crashed?.stop()]);
  });

  it('redoes the page on resume and ends with exactly the same table as an uninterrupted import', async () => {
    await importOnce(clean.pipeline, integrationInput(clean), { newId: () => 'acme' });
    const cursors = crashed.pipeline.functions.fetch.cursors;
    const advance = cursors.advance.bind(cursors);
    let calls = 0;
    jest.spyOn(cursors, 'advance').mockImplementation(async (...args) => {
      calls += 1;
      if (calls === 3) throw new Error('killed after the page was handed on');
      return advance(...args);
    });
    await importOnce(crashed.pipeline, integrationInput(crashed), { newId: () => 'acme' });
    expect(calls).toBeGreaterThan(3);
    const table = clean.stack.tableNames.queueHistory;
    // Every interval the same, value for value; each world's freshness says its own run.
    const crashedItems = await scanTable(crashed.stack, table);
    const cleanItems = await scanTable(clean.stack, table);
    expect(countedHistory(crashedItems)).toEqual(countedHistory(cleanItems));
    expect(freshnessItems(crashedItems)).toHaveLength(1);
    expect(freshnessItems(cleanItems)).toHaveLength(1);
  });
});
