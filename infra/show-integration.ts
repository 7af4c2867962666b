/**
 * `integration show` against the deployed stack:
 *
 *   npx tsx infra/show-integration.ts cdk-outputs.json Acme
 *
 * The integration's settings, status and why, as the local command prints them, and the messages
 * parked in the stack's dead-letter queues: on AWS too parked work is never silent, also when SQS
 * itself moved a message after its last delivery (no function was left to mark its integration).
 * Runs with the caller's AWS credentials; reading is all it does.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { behindWarning, healthOf } from '../cli/health.js';
import { integrationDetails } from '../cli/render.js';
import { ALL_QUEUES, type QueueKey } from '../shared/messages/queues.js';
import { countedUpTo } from '../shared/pipeline/freshness.js';
import { integrationWarnings } from '../shared/pipeline/integrations.js';
import { documentClientFor } from '../shared/store/clients.js';
import { CursorsRepository } from '../shared/store/cursors-repository.js';
import { QueueHistoryRepository } from '../shared/store/queue-history-repository.js';
import {
  IntegrationsRepository,
  normaliseName,
  type Integration,
} from '../shared/store/integrations-repository.js';
import { secretName } from '../shared/store/secret-store.js';
import { depthOf, dlqArnOf } from './dead-letter-queues.js';
import { namesFromOutputs, STACK_NAME } from './stack-outputs.js';

export interface ShowClients {
  readonly dynamodb: DynamoDBClient;
  readonly sqs: SQSClient;
}

export interface DeployedIntegration {
  readonly integration: Integration;
  readonly warnings: readonly string[];
  /** Dead-letter queues holding messages (of any integration: a queue is shared). */
  readonly parked: readonly { queue: QueueKey; messages: number }[];
  /** Everything before this is counted (see `countedUpTo`); null before the first import. */
  readonly completeUpTo: Date | null;
}

export const showDeployed = async (
  stackOutputs: Readonly<Record<string, unknown>>,
  name: string,
  clients: ShowClients,
): Promise<DeployedIntegration> => {
  const { tables, queues } = namesFromOutputs(stackOutputs);
  const all = (
    await new IntegrationsRepository(documentClientFor(clients.dynamodb), tables.integrations).list()
  ).filter((i) => i.status !== 'deleted');
  const integration = all.find((i) => normaliseName(i.name) === normaliseName(name));
  if (!integration) {
    const known = all.map((i) => `"${i.name}"`).join(', ');
    throw new Error(
      `no integration named "${name}" in the deployed stack (${known ? `there are ${known}` : 'it has none'})`,
    );
  }
  const parked: { queue: QueueKey; messages: number }[] = [];
  for (const def of ALL_QUEUES) {
    const messages = await depthOf(clients.sqs, await dlqArnOf(clients.sqs, queues[def.key]));
    if (messages > 0) parked.push({ queue: def.key, messages });
  }
  const documents = documentClientFor(clients.dynamodb);
  // As the local commands read it: what the aggregator has counted, not how far the fetch has read.
  const completeUpTo = await countedUpTo(
    {
      cursors: new CursorsRepository(documents, tables.cursors),
      queueHistory: new QueueHistoryRepository(documents, tables.queueHistory),
    },
    integration.id,
  );
  return { integration, warnings: integrationWarnings(integration), parked, completeUpTo };
};

/** The read-out, as the local `integration show` prints it, with the parked messages after it. */
export const renderDeployed = (shown: DeployedIntegration, outputsFile: string, now: Date): string => {
  const health = healthOf({
    integration: shown.integration,
    newContacts: 0,
    completeUpTo: shown.completeUpTo,
    now,
    dataDir: '',
  });
  const behind = behindWarning(
    health,
    now,
    "the stack's scheduled imports are not keeping up: see the fetch function's logs and the dead-letter queues",
  );
  return integrationDetails(
    shown.integration,
    [
      ...(behind ? [behind] : []),
      ...shown.warnings,
      ...shown.parked.map(
        (p) =>
          `${p.messages} message${p.messages === 1 ? '' : 's'} parked in the ${p.queue} dead-letter queue (shared by every integration); fix the cause, then run \`npx tsx infra/redrive.ts ${outputsFile}\``,
      ),
    ],
    { completeUpTo: shown.completeUpTo },
    `AWS Secrets Manager as ${secretName(shown.integration.id)}`,
  );
};

const main = async (): Promise<void> => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const [outputsFile, name] = process.argv.slice(2);
  if (!outputsFile || !name)
    throw new Error('usage: npx tsx infra/show-integration.ts <cdk-outputs.json> <integration name>');
  const all = JSON.parse(readFileSync(outputsFile, 'utf8')) as Record<string, Record<string, unknown>>;
  const outputs = all[STACK_NAME];
  if (!outputs) throw new Error(`${outputsFile} has no outputs of the ${STACK_NAME} stack`);
  const shown = await showDeployed(outputs, name, {
    dynamodb: new DynamoDBClient({}),
    sqs: new SQSClient({}),
  });
  process.stdout.write(renderDeployed(shown, outputsFile, new Date()));
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
