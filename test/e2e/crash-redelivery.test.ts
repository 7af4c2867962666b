import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sqsConsumer } from '../../lambdas/runtime.js';
import { localFunctionClients } from '../../local/function-clients.js';
import { importOnce } from '../../local/import.js';
import { runPipelineUntilIdle } from '../../local/runner.js';
import { ContactsMessageSchema } from '../../shared/messages/contacts.js';
import { UpdatesMessageSchema } from '../../shared/messages/updates.js';
import { aggregateContacts } from '../../shared/pipeline/aggregator.js';
import {
  aggregatorDeps,
  viewClassifierDeps,
  type FunctionClients,
} from '../../shared/pipeline/build-deps.js';
import { FUNCTION_GRANTS, type FunctionKey } from '../../shared/pipeline/function-grants.js';
import { IntegrationService } from '../../shared/pipeline/integrations.js';
import { classifyUpdates } from '../../shared/pipeline/view-classifier.js';
import { crashAfterWrites, type CrashSwitch } from '../support/crash-after-writes.js';
import {
  freshnessItems,
  integrationInput,
  countedHistory,
  historyItems,
  scanTable,
  startWorld,
  type World,
} from './support.js';

/**
 * Rule (SPEC §6, exactly once; issue "no lost counts on a partial commit"): the view classifier
 * and the aggregator may die after any single write of a message — an interaction chunk, a
 * ticket-state bucket batch, a send, a catalog entry, a counter chunk, a marker — and the
 * redelivered message must leave queue history byte for byte as an uninterrupted import. Every
 * message of the sandbox's tiny account is delivered to them again and again, dying after its
 * first write, then its second, … until a delivery completes, on clients with the functions'
 * grants enforced.
 */
describe('the view classifier and the aggregator crashed after every single write of every message', () => {
  let clean: World;
  let crashed: World;
  beforeAll(async () => {
    [clean, crashed] = await Promise.all([startWorld('tiny'), startWorld('tiny')]);
  });
  afterAll(async () => {
    await Promise.all([clean?.stop(), crashed?.stop()]);
  });

  it('leaves queue history byte for byte as an uninterrupted import', async () => {
    await importOnce(clean.pipeline, integrationInput(clean), { newId: () => 'acme' });

    const world = crashed;
    const clientsOf = (key: FunctionKey, crash: CrashSwitch): FunctionClients => {
      const { clients } = localFunctionClients(world.stack, key, FUNCTION_GRANTS[key], {
        secrets: world.pipeline.deps.secrets,
        logger: world.pipeline.deps.logger,
        now: () => world.sandbox.now(),
        zendeskOptions: { incrementalPerMinute: 10_000, retryBaseDelayMs: 1, retryMaxDelayMs: 5 },
      });
      return { ...clients, dynamodb: crash.install(clients.dynamodb), sqs: crash.install(clients.sqs) };
    };
    const crashes: Record<string, number> = { updates: 0, contacts: 0 };
    /** Delivers the message with a crash after write 1, 2, … until a delivery completes. */
    const untilComplete =
      <M>(queue: 'updates' | 'contacts', run: (crash: CrashSwitch, message: M) => Promise<unknown>) =>
      async (_deps: unknown, message: M) => {
        for (let after = 1; ; after += 1) {
          const crash = crashAfterWrites(after);
          try {
            await run(crash, message);
          } catch (error) {
            if (!crash.crashed) throw error;
          }
          if (!crash.crashed) return;
          crashes[queue] += 1;
        }
      };
    const logger = new Logger({ serviceName: 'crash-test', logLevel: 'SILENT' });
    const wiring = () => world.pipeline.functions.viewClassifier;
    const handlers = {
      ...world.pipeline.handlers,
      updates: sqsConsumer(
        {
          queue: 'updates',
          schema: UpdatesMessageSchema,
          work: untilComplete('updates', (crash, m) =>
            classifyUpdates(viewClassifierDeps(clientsOf('viewClassifier', crash)), m),
          ),
        },
        logger,
        wiring,
      ),
      contacts: sqsConsumer(
        {
          queue: 'contacts',
          schema: ContactsMessageSchema,
          work: untilComplete('contacts', (crash, m) =>
            aggregateContacts(aggregatorDeps(clientsOf('aggregator', crash)), m),
          ),
        },
        logger,
        wiring,
      ),
    };
    await new IntegrationService(world.pipeline.admin, undefined, () => 'acme').create(
      integrationInput(world),
    );
    await world.pipeline.schedule('crashing');
    const report = await runPipelineUntilIdle(world.stack, handlers);

    expect(report.failed).toBe(0);
    // Every message that writes died at least once per write (the tiny account's pages write a few each).
    expect(crashes.updates).toBeGreaterThan(5);
    expect(crashes.contacts).toBeGreaterThan(5);
    const table = clean.stack.tableNames.queueHistory;
    // Every interval the same, value for value; each world's freshness says its own run.
    const expected = await scanTable(clean.stack, table);
    const afterCrashes = await scanTable(world.stack, table);
    expect(historyItems(expected).length).toBeGreaterThan(0);
    expect(countedHistory(afterCrashes)).toEqual(countedHistory(expected));
    expect(freshnessItems(afterCrashes)).toHaveLength(1);
    expect(freshnessItems(expected)).toHaveLength(1);
  }, 900_000);
});
