import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { run } from '../../cli/program.js';
import { secretName } from '../../shared/store/secret-store.js';
import { startSecretsManagerStandIn } from '../support/secrets-manager-stand-in.js';
import { importOnce } from '../../local/import.js';
import { reconcileDocument, reconcileReport, reconcileText } from '../../cli/commands/reconcile.js';
import { viewMatches } from '../../shared/domain/view-conditions.js';
import { zendeskClients } from '../../shared/pipeline/zendesk.js';
import type { ZendeskClient } from '../../shared/zendesk/client.js';
import type { Integration } from '../../shared/store/integrations-repository.js';
import { integrationInput, startWorld, writeStackOutputs, type World } from './support.js';

/**
 * `reconcile` on the sandbox account after an import: the sandbox answers the view endpoints
 * (count, tickets) and the exports from its own truth, so the product must agree with it; a view
 * evaluator broken on purpose must be caught, with the tickets it misplaces.
 */
describe('reconcile: the reconstruction checked against Zendesk', () => {
  let world: World;
  let integration: Integration;
  let zendesk: ZendeskClient;

  beforeAll(async () => {
    world = await startWorld('tiny');
    const result = await importOnce(world.pipeline, integrationInput(world), { newId: () => 'acme' });
    integration = result.integration.integration;
    zendesk = await zendeskClients(world.pipeline.deps.secrets, {
      clock: () => world.sandbox.now().getTime(),
      incrementalPerMinute: 10_000,
    })(integration);
  });
  afterAll(async () => {
    await world?.stop();
  });

  it('agrees with the sandbox on every counted view, the creations and the inbound calls of the window', async () => {
    const report = await reconcileReport(world.pipeline, integration, world.sandbox.now(), zendesk);
    expect(reconcileText(report)).toMatch(
      /\nTickets created: Zendesk \d+, product \d+ \(\d+ counted as contacts\): they agree\nInbound calls: Zendesk \d+, product \d+: they agree\n\nThe product agrees with Zendesk/,
    );
    const doc = reconcileDocument(report);
    const counted = world.sandbox.truth.views.filter((v) => v.supported && v.active && !v.personal);
    expect(doc.views.map((v) => v.id)).toEqual(counted.map((v) => v.id).sort((a, b) => a - b));
    expect(doc.views.some((v) => v.product > 0)).toBe(true);
    for (const view of doc.views) expect(view.verdict).not.toBe('differs');
    // The product's creations and calls are the sandbox's, one for one.
    expect(doc.creations.zendesk).toBeGreaterThan(0);
    expect(doc.creations).toMatchObject({ onlyInZendesk: [], onlyInProduct: [], agrees: true });
    const calls = doc.inboundCalls;
    if ('talkRefused' in calls) throw new Error(`the sandbox refused its Talk export: ${calls.talkRefused}`);
    expect(calls.zendesk).toBeGreaterThan(0);
    expect(calls).toMatchObject({
      zendesk: calls.product,
      onlyInZendesk: [],
      onlyInProduct: [],
      agrees: true,
    });
    expect(doc.agrees).toBe(true);
  });

  it('catches a deliberately wrong view evaluation (a status condition read backwards) and reports the tickets it misplaces', async () => {
    const doc = reconcileDocument(
      await reconcileReport(world.pipeline, integration, world.sandbox.now(), zendesk),
    );
    const statusView = world.sandbox.truth.views.find(
      (v) => v.supported && v.active && !v.personal && doc.views.some((d) => d.id === v.id && d.product > 0),
    )!;
    // The evaluator says the opposite for one view: every ticket it held is out, every other in.
    const broken: typeof viewMatches = (view, state, at, context) =>
      view.id === statusView.id
        ? !viewMatches(view, state, at, context)
        : viewMatches(view, state, at, context);
    const wrong = reconcileDocument(
      await reconcileReport(world.pipeline, integration, world.sandbox.now(), zendesk, { matches: broken }),
    );
    expect(wrong.agrees).toBe(false);
    const view = wrong.views.find((v) => v.id === statusView.id)!;
    expect(view.verdict).toBe('differs');
    const right = doc.views.find((v) => v.id === statusView.id)!;
    // Every ticket Zendesk lists is missing from the broken evaluation, reported with the view's link.
    const onlyInZendesk = view.differences.filter((d) => d.onlyIn === 'zendesk' && !d.explained);
    expect(onlyInZendesk.length).toBeGreaterThan(0);
    expect(onlyInZendesk.length).toBeLessThanOrEqual(right.zendesk!);
    for (const d of onlyInZendesk) {
      expect(d.link).toBe(`https://acme.zendesk.com/agent/tickets/${d.ticketId}`);
      expect(d.reason.kind).toBe('conditions');
    }
    // The other views are untouched.
    for (const other of wrong.views.filter((v) => v.id !== statusView.id))
      expect(other.verdict).not.toBe('differs');
  });

  /** `zendesk-wfm reconcile NAME --stack-outputs … --json` on the world's tables, at `at`. */
  const reconcileDeployed = async (at: Date) => {
    const dir = await mkdtemp(join(tmpdir(), 'zendesk-wfm-outputs-'));
    const secretsManager = await startSecretsManagerStandIn();
    try {
      const file = await writeStackOutputs(world, dir);
      // On AWS the admin step writes the credentials secret; here it is copied from the local store.
      secretsManager.put(
        secretName(integration.id),
        JSON.stringify(await world.pipeline.deps.secrets.get(integration.id)),
      );
      let stdout = '';
      let stderr = '';
      const code = await run(['reconcile', integration.name, '--stack-outputs', file, '--json'], {
        stdout: (t) => void (stdout += t),
        stderr: (t) => void (stderr += t),
        env: {
          DYNAMODB_ENDPOINT: world.stack.endpoints.dynamodb,
          SECRETS_MANAGER_ENDPOINT: secretsManager.endpoint,
        },
        stderrIsTty: false,
        now: () => at,
      });
      return { code, stdout, stderr, secretCalls: [...secretsManager.calls] };
    } finally {
      await secretsManager.stop();
      await rm(dir, { recursive: true, force: true });
    }
  };

  it('reconciles the deployed stack named in the stack outputs (--stack-outputs): its tables, its credentials from Secrets Manager, the same verdicts', async () => {
    const at = world.sandbox.now();
    const { code, stdout, stderr, secretCalls } = await reconcileDeployed(at);
    expect([code, stderr]).toEqual([0, '']);
    // The integration as stored now (its last completed run included), checked at the same instant.
    const stored = (await world.pipeline.deps.integrations.list()).find((i) => i.id === integration.id)!;
    const local = reconcileDocument(await reconcileReport(world.pipeline, stored, at, zendesk));
    expect(JSON.parse(stdout)).toEqual(JSON.parse(JSON.stringify(local)));
    expect(secretCalls).toContain(`GetSecretValue ${secretName(integration.id)}`);
  });

  it('exits 1 when a view differs beyond what it can explain: a stored ticket state that says solved where Zendesk lists the ticket as unsolved', async () => {
    // "Support Tickets": every ticket whose status is less than solved.
    const view = world.sandbox.truth.views.find((v) => v.title === 'Support Tickets')!;
    const listed = await zendesk.viewTickets(view.id);
    if (!Array.isArray(listed)) throw new Error('the sandbox rate-limited the view');
    const ticketId = listed[0]!.id;
    const states = world.pipeline.deps.repos.ticketState;
    const loaded = await states.load(integration.id, [ticketId]);
    const original = loaded.states.get(ticketId)!;
    await states.save(loaded, new Map([[ticketId, { ...original, status: 'solved' }]]));
    try {
      const { code, stdout, stderr } = await reconcileDeployed(world.sandbox.now());
      expect(code).toBe(1);
      expect(stderr).toBe(
        `zendesk-wfm reconcile: error: "${integration.name}" differs from Zendesk beyond what can be explained (see the views and counts marked DIFFERS)\n`,
      );
      const doc = JSON.parse(stdout) as ReturnType<typeof reconcileDocument>;
      expect(doc.agrees).toBe(false);
      const differing = doc.views.find((v) => v.id === view.id)!;
      expect(differing.verdict).toBe('differs');
      expect(differing.differences.filter((d) => !d.explained).map((d) => [d.ticketId, d.onlyIn])).toEqual([
        [ticketId, 'zendesk'],
      ]);
    } finally {
      await states.save(await states.load(integration.id, [ticketId]), new Map([[ticketId, original]]));
    }
  });
});
