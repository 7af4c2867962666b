/**
 * The ticket record as a second source (issues 16 and 17), against the sandbox: every fourth
 * messaging-created ticket has no creation in the ticket event export, and every third creation
 * audit is silent on the default brand, form and the requester's organization.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectedQueues } from '../../sandbox/index.js';
import { importOnce, readBack } from '../../local/import.js';
import { integrationInput, historyItems, scanTable, startWorld, type World } from './support.js';
const DEFAULT_BRAND = '360000301';
const DEFAULT_FORM = '360000222';

describe('the ticket record beside the ticket events', () => {
  let world: World;
  let since: string;
  let until: string;
  let brandView: number;
  let formView: number;
  let integrationId: string;

  /**
   * The ground truth, less what no source can tell: a deleted ticket's record is scrubbed and its
   * audits are gone, so when its creation never stated the default brand and form, nothing says
   * which they were, and it is in neither view (nor in their backlogs).
   */
  const expected = () => {
    const truth = world.sandbox.truth;
    const unknowable = new Set(
      world.sandbox.creations.filter((c) => c.deleted && !c.statesDefaults).map((c) => c.ticketId),
    );
    const withoutBrandAndForm = <T extends { ticketId: number; viewIds: readonly number[] }>(item: T): T =>
      unknowable.has(item.ticketId)
        ? { ...item, viewIds: item.viewIds.filter((v) => v !== brandView && v !== formView) }
        : item;
    // Neither in the views' contacts nor in their backlogs.
    const knowable = {
      ...truth,
      interactions: truth.interactions.map(withoutBrandAndForm),
      ...(truth.backlogSteps ? { backlogSteps: truth.backlogSteps.map(withoutBrandAndForm) } : {}),
    };
    return expectedQueues(knowable, { groupingStrategy: 'ivr', intervalMinutes: 15, since, until });
  };

  beforeAll(async () => {
    world = await startWorld('tiny');
    brandView = world.sandbox.addView({
      title: 'Acme brand',
      conditions: { all: [{ field: 'brand_id', operator: 'is', value: DEFAULT_BRAND }] },
    });
    formView = world.sandbox.addView({
      title: 'Default form, unsolved',
      conditions: {
        all: [
          { field: 'ticket_form_id', operator: 'is', value: DEFAULT_FORM },
          { field: 'status', operator: 'less_than', value: 'solved' },
        ],
      },
    });
  });
  afterAll(async () => {
    await world?.stop();
  });

  it('counts every creation of the window once: those the ticket events lack from their record, the others from the events', async () => {
    const result = await importOnce(world.pipeline, integrationInput(world), { newId: () => 'acme' });
    integrationId = result.integration.integration.id;
    since = result.integration.integration.importFrom;
    until = world.sandbox.now().toISOString();
    expect(result.queues).toEqual(expected());

    const inWindow = world.sandbox.creations.filter((c) => c.at >= since && c.at < until);
    const missing = inWindow.filter((c) => !c.inTicketEventExport);
    expect(missing.length).toBeGreaterThan(0);
    const bySource = result.coverage.creationsBySource;
    expect(bySource.ticket_events).toBe(inWindow.length - missing.length);
    expect((bySource.ticket_audits ?? 0) + (bySource.ticket_record ?? 0)).toBe(missing.length);
    // Each counted once: every interaction of the ground truth, no more.
    const interactions = world.sandbox.truth.interactions.filter((i) => i.at >= since);
    expect(result.coverage.interactionsCounted).toBe(
      interactions.filter((i) => i.wfmChannel !== null).length,
    );
    // The missing creations are in the queues of their views, as the ground truth has them.
    const missingAudits = new Set(missing.map((c) => c.auditId));
    const countedMissing = interactions.filter((i) => missingAudits.has(i.auditId) && i.viewIds.length > 0);
    expect(countedMissing.length).toBeGreaterThan(0);
    // Every missing creation is counted from its record, also one whose later updates the export
    // brought (they waited for the record, which, rolled back through them, is the state right
    // after the creation): no audits asked for them.
    expect(missing.filter((c) => c.laterUpdates > 0).length).toBeGreaterThan(0);
    expect(bySource).not.toHaveProperty('ticket_audits');
    expect(bySource.ticket_record).toBe(missing.length);
    // (Every ticket of this account was created after the export's start: no audits at all.)
    expect(world.sandbox.requestCount('/api/v2/tickets/')).toBe(0);
  });

  it('sees tickets whose creation never stated their brand or form in the views on brand and form, from the creation on', async () => {
    const silent = new Set(
      world.sandbox.creations.filter((c) => !c.statesDefaults && c.at >= since).map((c) => c.auditId),
    );
    const truth = world.sandbox.truth.interactions.filter((i) => i.at >= since);
    for (const viewId of [brandView, formView]) {
      const silentCreations = truth.filter((i) => silent.has(i.auditId) && i.viewIds.includes(viewId));
      expect(silentCreations.length).toBeGreaterThan(0);
      const queues = expected().filter((q) => q.viewId === viewId);
      expect(queues.length).toBeGreaterThan(0);
    }
    const { queues } = await readBack(world.pipeline, integrationId);
    expect(queues.filter((q) => q.viewId === brandView)).toEqual(
      expected().filter((q) => q.viewId === brandView),
    );
    expect(queues.filter((q) => q.viewId === formView)).toEqual(
      expected().filter((q) => q.viewId === formView),
    );
  });

  it('a second run counts no creation again: the queue history and the creations by source stay as they are', async () => {
    const table = world.stack.tableNames.queueHistory;
    // Every interval as it was, value for value (the freshness item moves on to the new run).
    const before = historyItems(await scanTable(world.stack, table));
    const coverageBefore = (await readBack(world.pipeline, integrationId)).coverage.creationsBySource;
    world.sandbox.advanceClock(600);
    await world.pipeline.sync({ runId: 'again' });
    expect(historyItems(await scanTable(world.stack, table))).toEqual(before);
    expect((await readBack(world.pipeline, integrationId)).coverage.creationsBySource).toEqual(
      coverageBefore,
    );
  });
});

describe("the ticket record beside the ticket events, on a past period's import (--until)", () => {
  let world: World;
  afterAll(async () => {
    await world?.stop();
  });

  it('counts every creation of the window once, those the ticket events lack from their audits (no record settles), on every page of the tickets export', async () => {
    // Pages of 40 records: the tickets export then spans several pages, each holding records
    // updated after the window, which never settle and must not hold the pass on its first page.
    world = await startWorld('tiny', 7, {}, {}, false, { pageSize: 40 });
    const since = world.sandbox.importWindow.since;
    // Half a day before now: the tickets' records all show them as they are now, after the window.
    const until = new Date(world.sandbox.now().getTime() - 12 * 3_600_000).toISOString();
    const result = await importOnce(
      world.pipeline,
      { ...integrationInput(world, 'Past'), importFrom: since, importUntil: until },
      { newId: () => 'past' },
    );
    expect(result.queues).toEqual(
      expectedQueues(world.sandbox.truth, { groupingStrategy: 'ivr', intervalMinutes: 15, since, until }),
    );
    const missing = world.sandbox.creations.filter(
      (c) => c.at >= since && c.at < until && !c.inTicketEventExport,
    );
    expect(missing.length).toBeGreaterThan(0);
    expect(result.coverage.creationsBySource.ticket_audits).toBe(missing.length);
    expect(result.coverage.creationsBySource).not.toHaveProperty('ticket_record');
    const creationPages = world.logs.filter(
      (l) => l.message === 'page handed on' && l.extra?.stream === 'ticket_creations',
    );
    expect(creationPages.length).toBeGreaterThan(1);
    expect(creationPages.filter((l) => l.extra?.held === true)).toEqual([]);
  });
});
