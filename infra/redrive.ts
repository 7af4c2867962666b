/**
 * Replays the deployed stack's parked work once its cause is fixed, as `zendesk-wfm redrive` does
 * locally:
 *
 *   npx tsx infra/redrive.ts cdk-outputs.json
 *
 * First the integrations with parked work are made active again (a moved message must not find its
 * integration still held, or it would be parked again), then one SQS message move task per
 * dead-letter queue that holds messages moves them back to the queue it serves, oldest first, in
 * order per message group (SQS's DLQ redrive, `StartMessageMoveTask`, FIFO queues included). Each
 * is then processed exactly as a redelivery would be, so nothing is counted twice. The next
 * scheduled run reads on from the integrations' cursors. Runs with the caller's AWS credentials;
 * the stack's IntegrationAdminPolicy grants what it needs.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import { ALL_QUEUES, type QueueKey } from '../shared/messages/queues.js';
import { clearParkedHolds } from '../shared/pipeline/parked-work.js';
import { documentClientFor } from '../shared/store/clients.js';
import { IntegrationsRepository } from '../shared/store/integrations-repository.js';
import { deadLetterRouteOf, depthOf } from './dead-letter-queues.js';
import { namesFromOutputs, STACK_NAME } from './stack-outputs.js';

export interface RedriveClients {
  readonly dynamodb: DynamoDBClient;
  readonly sqs: SQSClient;
}

export interface DeployedRedrive {
  /** Integrations made active again. */
  readonly resumed: readonly { id: string; name: string }[];
  /** Move tasks started, per queue, with the messages they move. */
  readonly moves: readonly { queue: QueueKey; messages: number; taskHandle: string }[];
}

export const redriveDeployed = async (
  stackOutputs: Readonly<Record<string, unknown>>,
  clients: RedriveClients,
  now: () => Date = () => new Date(),
): Promise<DeployedRedrive> => {
  const { tables, queues } = namesFromOutputs(stackOutputs);
  const integrations = new IntegrationsRepository(documentClientFor(clients.dynamodb), tables.integrations);
  const resumed = await clearParkedHolds(integrations, now);
  const moves: { queue: QueueKey; messages: number; taskHandle: string }[] = [];
  for (const def of ALL_QUEUES) {
    const { queueArn, dlqArn } = await deadLetterRouteOf(clients.sqs, queues[def.key]);
    const messages = await depthOf(clients.sqs, dlqArn);
    if (messages === 0) continue;
    // The destination is named: without one SQS returns each message to the queue its own redrive
    // policy moved it from (`DeadLetterQueueSourceArn`), which a message the consumer parked itself
    // (shared/messages/dead-letters.ts, nearly all of them) does not carry.
    const { TaskHandle } = await clients.sqs.send(
      new StartMessageMoveTaskCommand({ SourceArn: dlqArn, DestinationArn: queueArn }),
    );
    moves.push({ queue: def.key, messages, taskHandle: TaskHandle ?? '' });
  }
  return { resumed: resumed.map((i) => ({ id: i.id, name: i.name })), moves };
};

const main = async (): Promise<void> => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const [outputsFile] = process.argv.slice(2);
  if (!outputsFile) throw new Error('usage: npx tsx infra/redrive.ts <cdk-outputs.json>');
  const all = JSON.parse(readFileSync(outputsFile, 'utf8')) as Record<string, Record<string, unknown>>;
  const outputs = all[STACK_NAME];
  if (!outputs) throw new Error(`${outputsFile} has no outputs of the ${STACK_NAME} stack`);
  const result = await redriveDeployed(outputs, {
    dynamodb: new DynamoDBClient({}),
    sqs: new SQSClient({}),
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
