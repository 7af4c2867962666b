import { afterEach, describe, expect, it } from '@jest/globals';
import { expectedQueues, type GroundTruth } from '../../sandbox/index.js';
import { importOnce, readBack } from '../../local/import.js';
import { integrationInput, startWorld, type World } from './support.js';

/**
 * Real accounts never stop an import (SPEC §8): one record that does not fit costs that record and
 * nothing else, and an export Zendesk closes to the client marks the integration failing with what
 * to do, once, instead of a retry loop.
 */
const EVENTS = '/api/v2/incremental/ticket_events';

const expectedFrom = (truth: GroundTruth, since: string, until: string) =>
  expectedQueues(truth, { groupingStrategy: 'ivr', intervalMinutes: 15, since, until });

describe('one bad record costs one record', () => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.stop();
    world = undefined;
  });

  it('a page with one malformed ticket event loses exactly that event: quarantined, listed, counted; everything else equals the ground truth', async () => {
    world = await startWorld('tiny', 7);
    const { sandbox } = world;
    // A new ticket, then a customer comment on it that changes nothing but adds one interaction:
    // the truth without that comment is the truth before it.
    const ticketId = sandbox.createTicket({ channel: 'email' });
    sandbox.advanceClock(30);
    const truthWithoutComment = sandbox.truth;
    const commentId = sandbox.addCustomerComment(ticketId, 'email');
    sandbox.advanceClock(120);
    expect(sandbox.truth.interactions.length).toBe(truthWithoutComment.interactions.length + 1);
    // The comment's author is missing on every page that carries it, as in a real account.
    sandbox.injectFault({
      kind: 'dropField',
      pathPrefix: EVENTS,
      list: 'ticket_events',
      recordId: commentId,
      path: 'child_events.0.author_id',
      times: 10_000,
    });

    const result = await importOnce(world.pipeline, integrationInput(world), { newId: () => 'acme' });
    const since = result.integration.integration.importFrom;
    const until = sandbox.now().toISOString();

    const integration = await world.pipeline.deps.repos.integrations.get('acme');
    expect([integration?.status, integration?.statusReason]).toEqual(['active', null]);
    const quarantined = await world.pipeline.deps.repos.quarantine.list('acme');
    expect(quarantined).toEqual([
      {
        stream: 'ticket_events',
        endpoint: EVENTS,
        recordId: commentId,
        fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
        position: { startTime: expect.any(Number) },
        field: 'child_events[0].author_id',
        problem: 'Invalid input: expected number, received undefined',
        quarantinedAt: expect.any(String),
      },
    ]);
    expect([result.coverage.quarantined, result.coverage.quarantinedByStream]).toEqual([
      1,
      { ticket_events: 1 },
    ]);
    // Everything else: every queue and interval, and the interactions counted, as the ground truth
    // has them without that one comment.
    expect(result.queues).toEqual(expectedFrom(truthWithoutComment, since, until));
    expect(result.coverage.interactionsCounted).toBe(
      truthWithoutComment.interactions.filter((i) => i.at >= since && i.wfmChannel !== null).length,
    );

    // Read again (the next run re-reads the last minutes): the record is quarantined once.
    sandbox.advanceClock(600);
    await world.pipeline.sync({ runId: 'again' });
    const again = await readBack(world.pipeline, 'acme');
    expect(again.coverage.quarantined).toBe(1);
    expect((await world.pipeline.deps.repos.quarantine.list('acme')).map((r) => r.recordId)).toEqual([
      commentId,
    ]);
    expect(again.queues).toEqual(expectedFrom(truthWithoutComment, since, sandbox.now().toISOString()));
  });
});

describe('an export Zendesk closes to the client', () => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.stop();
    world = undefined;
  });

  it('a 403 "not available to this client" marks the integration failing with the message and what to do, after one request', async () => {
    world = await startWorld('tiny', 7);
    world.sandbox.injectFault({ kind: 'endpointClosed', pathPrefix: EVENTS, times: 10_000 });
    await importOnce(world.pipeline, integrationInput(world), { newId: () => 'acme' });
    const integration = await world.pipeline.deps.repos.integrations.get('acme');
    expect(integration?.status).toBe('failing');
    expect(integration?.statusReason).toBe(
      `Zendesk does not make ${EVENTS} available to this client (403): Forbidden: This endpoint is not ` +
        'available to this OAuth client. Incremental exports are not available to third-party integrations. ' +
        'Zendesk keeps its incremental exports from third-party OAuth clients: create an OAuth client in your own ' +
        'Zendesk account (Admin Center, Apps and integrations, APIs, OAuth clients) and give this integration its ' +
        'credentials (`zendesk-wfm integration set-credentials`), which makes it active again.',
    );
    // Not a retry loop: the refusal was taken at its word.
    expect(world.sandbox.requestCount(EVENTS)).toBe(1);
    expect(integration?.parked).toBeUndefined();
  });
});
