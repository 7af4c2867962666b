import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { run } from '../../cli/program.js';
import { importOnce } from '../../local/import.js';
import {
  explainQueueReport,
  explainTicketReport,
  queueExplanationDocument,
  queueExplanationText,
  ticketExplanationDocument,
} from '../../cli/commands/explain.js';
import { integrationReport } from '../../cli/report.js';
import type { Integration } from '../../shared/store/integrations-repository.js';
import { callTalkFigures, type TruthInteraction } from '../../sandbox/index.js';
import { integrationInput, startWorld, writeStackOutputs, type World } from './support.js';

/**
 * `explain` on the sandbox account after an import: the contacts it lists behind every non-empty
 * interval of every queue add up to the stored interval exactly, and they are the sandbox's own
 * interactions and calls.
 */
describe('explain: the contacts behind the stored numbers', () => {
  let world: World;
  let integration: Integration;

  beforeAll(async () => {
    world = await startWorld('tiny');
    const result = await importOnce(world.pipeline, integrationInput(world), { newId: () => 'acme' });
    integration = result.integration.integration;
  });
  afterAll(async () => {
    await world?.stop();
  });

  const wholeHistory = () => ({
    from: integration.importFrom,
    to: new Date(world.sandbox.now().getTime() + 3_600_000).toISOString(),
  });

  // One explanation per queue, and the sandbox's three dozen views make a few hundred queues.
  it('explains every non-empty interval of every Support and Talk queue to the stored counts exactly', async () => {
    const { queues } = await integrationReport(world.pipeline, integration);
    expect(queues.some((q) => q.source === 'support')).toBe(true);
    expect(queues.some((q) => q.source === 'talk')).toBe(true);
    for (const queue of queues) {
      const report = await explainQueueReport(world.pipeline, integration, queue.name, wholeHistory());
      const doc = queueExplanationDocument(report);
      // Every stored non-empty interval, and no other, with the same counts as the listed contacts.
      expect(doc.intervals.map((i) => i.start)).toEqual(queue.intervals.map((i) => i.start));
      for (const [n, stored] of queue.intervals.entries()) {
        const interval = doc.intervals[n]!;
        expect(interval.agrees).toBe(true);
        expect(interval.contacts.length).toBeGreaterThan(0);
        expect(interval.explained).toEqual(
          queue.source === 'talk'
            ? {
                contacts: stored.contacts,
                handled: stored.handled,
                handleTimeSeconds: stored.handleTimeSeconds,
              }
            : { contacts: stored.contacts },
        );
      }
      expect(doc.totals.agrees).toBe(true);
      expect(doc.totals.explained).toEqual(doc.totals.stored);
    }
  });

  it('finds the queue by its id as by its name (any case); an unknown one is refused naming it', async () => {
    const { queues } = await integrationReport(world.pipeline, integration);
    const period = wholeHistory();
    for (const queue of [
      queues.find((q) => q.source === 'support')!,
      queues.find((q) => q.source === 'talk')!,
    ]) {
      const byName = queueExplanationDocument(
        await explainQueueReport(world.pipeline, integration, queue.name.toUpperCase(), period),
      );
      const byId = queueExplanationDocument(
        await explainQueueReport(world.pipeline, integration, ` ${queue.id} `, period),
      );
      expect(byName.queue).toMatchObject({ name: queue.name });
      expect(byId).toEqual(byName);
    }
    await expect(explainQueueReport(world.pipeline, integration, 'No Such Queue', period)).rejects.toThrow(
      `--queue: "No Such Queue" is not a source queue of "${integration.name}"`,
    );
  });

  it("lists a Support queue's contacts as the sandbox's interactions in that view and channel, with link, kind, channel and author", async () => {
    const { queues } = await integrationReport(world.pipeline, integration);
    const queue = queues.find((q) => q.source === 'support')!;
    const doc = queueExplanationDocument(
      await explainQueueReport(world.pipeline, integration, queue.name, wholeHistory()),
    );
    const listed = doc.intervals.flatMap((i) => i.contacts) as {
      ticketId: number;
      updateId: number;
      link: string;
      kind: string;
      zendeskChannel: string;
      authorRole: string;
      countedIn: string[];
    }[];
    const truth = world.sandbox.truth.interactions.filter(
      (i: TruthInteraction) =>
        i.at >= integration.importFrom && i.wfmChannel === queue.channel && i.viewIds.includes(queue.viewId!),
    );
    expect(listed.map((c) => [c.ticketId, c.updateId]).sort()).toEqual(
      truth.map((i) => [i.ticketId, i.auditId]).sort(),
    );
    const byAudit = new Map(truth.map((i) => [i.auditId, i]));
    for (const c of listed) {
      expect(c.link).toBe(`https://acme.zendesk.com/agent/tickets/${c.ticketId}`);
      expect(['creation', 'end_user_comment', 'chat_session']).toContain(c.kind);
      expect(c.zendeskChannel).toBe(byAudit.get(c.updateId)!.viaChannel);
      expect(c.countedIn).toContain(queue.name);
      expect(typeof c.authorRole).toBe('string');
    }
  });

  it("lists a Talk queue's calls as the sandbox's inbound calls of that group, with their handle times", async () => {
    const { queues } = await integrationReport(world.pipeline, integration);
    const queue = queues.find((q) => q.source === 'talk' && q.name.startsWith('Calls Inbound For '))!;
    const group = queue.name.slice('Calls Inbound For '.length);
    const doc = queueExplanationDocument(
      await explainQueueReport(world.pipeline, integration, queue.name, wholeHistory()),
    );
    const listed = doc.intervals.flatMap((i) => i.contacts) as {
      callId: number;
      direction: string;
      ivrGroup: string;
      handled: boolean;
      talkSeconds: number;
      holdSeconds: number;
      wrapUpSeconds: number;
      waitSeconds: number | null;
      completionStatus: string | null;
      callback: boolean | null;
      withinServiceLevel: boolean | null;
    }[];
    const truth = world.sandbox.truth.calls.filter(
      (c) => c.at >= integration.importFrom && c.direction === 'inbound' && c.ivrGroup === group,
    );
    expect(listed.map((c) => c.callId).sort()).toEqual(truth.map((c) => c.id).sort());
    const byId = new Map(truth.map((c) => [c.id, c]));
    for (const c of listed) {
      const t = byId.get(c.callId)!;
      expect([c.direction, c.ivrGroup, c.handled]).toEqual(['inbound', group, t.handled]);
      // The sandbox counts handle time for handled calls only.
      expect(t.handled ? c.talkSeconds + c.holdSeconds + c.wrapUpSeconds : 0).toBe(t.handleSeconds);
      // Its wait, completion status, callback, and whether it was answered within service level.
      const figures = callTalkFigures(t, integration.serviceLevelSeconds ?? 20);
      expect([c.waitSeconds, c.completionStatus, c.callback, c.withinServiceLevel]).toEqual([
        t.waitSeconds,
        t.completionStatus,
        t.callback,
        figures.serviceLevelOffered === 1 ? figures.serviceLevelAnswered === 1 : null,
      ]);
    }
  });

  it('explains a ticket: every imported update in time order, its verdict, and the queues its interactions counted in', async () => {
    const counted = world.sandbox.truth.interactions.filter(
      (i) => i.at >= integration.importFrom && i.wfmChannel !== null && i.viewIds.length > 0,
    );
    const ticketId = counted[0]!.ticketId;
    const doc = ticketExplanationDocument(await explainTicketReport(world.pipeline, integration, ticketId));
    expect(doc.link).toBe(`https://acme.zendesk.com/agent/tickets/${ticketId}`);
    const times = doc.updates.map((u) => u.at);
    expect(times).toEqual([...times].sort());
    // Counted updates are exactly the sandbox's interactions of the ticket in the window.
    const truthOfTicket = world.sandbox.truth.interactions.filter(
      (i) => i.ticketId === ticketId && i.at >= integration.importFrom && i.wfmChannel !== null,
    );
    expect(doc.updates.filter((u) => u.verdict.kind === 'counted').map((u) => u.updateId)).toEqual(
      truthOfTicket.map((i) => i.auditId),
    );
    const { views } = await integrationReport(world.pipeline, integration);
    const titles = new Map(views.map((v) => [v.id, v.title]));
    for (const t of truthOfTicket) {
      const update = doc.updates.find((u) => u.updateId === t.auditId)!;
      expect(update.countedIn.sort()).toEqual(
        t.viewIds.map((id) => `${titles.get(id)} (${t.wfmChannel})`).sort(),
      );
    }
    // Anything not counted says why.
    for (const u of doc.updates.filter((x) => x.verdict.kind !== 'counted'))
      expect(['skipped', 'unmapped', 'warm_up']).toContain(u.verdict.kind);
  });

  it("still adds up after a new view's replay and a call's later wrap-up, listing the replayed interactions with their kind", async () => {
    const viewId = world.sandbox.addView({
      title: 'Not yet solved',
      conditions: { all: [{ field: 'status', operator: 'less_than', value: 'solved' }] },
    });
    const inbound = world.sandbox.truth.calls.find(
      (c) => c.at >= integration.importFrom && c.direction === 'inbound' && c.handled,
    )!;
    world.sandbox.updateCallWrapUp(inbound.id, 4321);
    world.sandbox.advanceClock(600);
    await world.pipeline.sync({ runId: 'after-changes' });

    const { queues } = await integrationReport(world.pipeline, integration);
    const replayed = queues.filter((q) => q.viewId === viewId);
    expect(replayed.length).toBeGreaterThan(0);
    const touched = [...replayed, ...queues.filter((q) => q.source === 'talk')];
    for (const queue of touched) {
      const doc = queueExplanationDocument(
        await explainQueueReport(world.pipeline, integration, queue.name, wholeHistory()),
      );
      expect(doc.intervals.map((i) => i.start)).toEqual(queue.intervals.map((i) => i.start));
      expect(doc.totals.agrees).toBe(true);
    }
    // The replayed interactions keep the verdict their classification logged.
    for (const queue of replayed) {
      const doc = queueExplanationDocument(
        await explainQueueReport(world.pipeline, integration, queue.name, wholeHistory()),
      );
      const kinds = (doc.intervals.flatMap((i) => i.contacts) as { kind: string | null }[]).map(
        (c) => c.kind,
      );
      expect(kinds.filter((k) => k === null)).toEqual([]);
    }
    const call = touched
      .filter((q) => q.source === 'talk')
      .map(async (q) =>
        queueExplanationDocument(
          await explainQueueReport(world.pipeline, integration, q.name, wholeHistory()),
        ),
      );
    const wrapUps = (await Promise.all(call))
      .flatMap((d) => d.intervals.flatMap((i) => i.contacts) as { callId: number; wrapUpSeconds: number }[])
      .filter((c) => c.callId === inbound.id)
      .map((c) => c.wrapUpSeconds);
    expect(wrapUps).toEqual([4321]);
  });

  it('carries how fresh the numbers are: complete up to, and the last run that read every stream to its end', async () => {
    const current = (await world.pipeline.deps.repos.integrations.get(integration.id))!;
    expect(current.lastCompletedRun).toEqual({ runId: expect.any(String), at: expect.any(String) });
    const { queues } = await integrationReport(world.pipeline, current);
    const report = await explainQueueReport(world.pipeline, current, queues[0]!.name, wholeHistory());
    const doc = queueExplanationDocument(report);
    expect(doc.lastCompletedRun).toEqual(current.lastCompletedRun);
    expect(Date.parse(doc.completeUpTo!)).toBeGreaterThan(Date.parse(integration.importFrom));
    expect(queueExplanationText(report)).toContain(
      `\nComplete up to: ${doc.completeUpTo}\nLast completed run: ${current.lastCompletedRun!.at} (run ${current.lastCompletedRun!.runId})\n`,
    );
  });

  it('explains from the deployed tables named in the stack outputs (--stack-outputs), as from a local install', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zendesk-wfm-outputs-'));
    try {
      const file = await writeStackOutputs(world, dir);
      const { queues } = await integrationReport(world.pipeline, integration);
      const queue = queues.find((q) => q.source === 'support')!;
      let stdout = '';
      let stderr = '';
      const code = await run(
        ['explain', integration.name, '--stack-outputs', file, '--queue', queue.name, '--json'],
        {
          stdout: (t) => void (stdout += t),
          stderr: (t) => void (stderr += t),
          env: { DYNAMODB_ENDPOINT: world.stack.endpoints.dynamodb },
          stderrIsTty: false,
          now: () => world.sandbox.now(),
        },
      );
      expect([code, stderr]).toEqual([0, '']);
      const doc = JSON.parse(stdout) as ReturnType<typeof queueExplanationDocument>;
      expect(doc.queue.id).toBe(queue.id);
      expect(doc.totals.agrees).toBe(true);
      expect(doc.intervals.map((i) => i.start)).toEqual(queue.intervals.map((i) => i.start));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
