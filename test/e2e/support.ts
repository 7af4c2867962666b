import { DescribeTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import stableStringify from 'fast-json-stable-stringify';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { queueOutputId, STACK_NAME, tableOutputId } from '../../infra/stack-outputs.js';
import { clientConfig } from '../../shared/aws.js';
import { ALL_QUEUES } from '../../shared/messages/queues.js';
import { ALL_TABLES } from '../../shared/store/tables.js';
import {
  expectedQueues,
  startSandbox,
  type Sandbox,
  type SandboxOptions,
  type SandboxSize,
} from '../../sandbox/index.js';
import { startLocalStack, type LocalStack } from '../../local/local-stack.js';
import { localPipeline, type LocalPipeline, type LocalPipelineOptions } from '../../local/pipeline.js';
import type { PipelineLogger, PipelineSettings } from '../../shared/pipeline/deps.js';
import { importOnce } from '../../local/import.js';
import { serveLocal, type LocalServer } from '../../local/serve.js';
import { LocalWebhookSecretStore } from '../../shared/store/webhook-secret-store.js';

/** A sandbox account, the embedded stack and the local pipeline on the sandbox's clock. */
export interface World {
  readonly sandbox: Sandbox;
  readonly stack: LocalStack;
  readonly pipeline: LocalPipeline;
  readonly logs: { level: string; message: string; extra?: Record<string, unknown> }[];
  stop(): Promise<void>;
}

export const startWorld = async (
  size: SandboxSize,
  seed = 7,
  settings: Partial<PipelineSettings> = {},
  /** Functions' grants replaced (every run enforces them; a test removes one). */
  grants: LocalPipelineOptions['grants'] = {},
  /** The sandbox's rate limits; off unless a test is about them. */
  rateLimit: SandboxOptions['rateLimit'] = false,
  /** The Zendesk client's options on top of the tests' (a smaller page size, say). */
  zendeskOptions: LocalPipelineOptions['zendeskOptions'] = {},
): Promise<World> => {
  const [sandbox, stack] = await Promise.all([
    startSandbox({ seed, size, now: '2026-03-02T12:00:00Z', rateLimit }),
    startLocalStack(),
  ]);
  const logs: World['logs'] = [];
  const logger: PipelineLogger = {
    info: (message, extra) => logs.push({ level: 'info', message, ...(extra ? { extra } : {}) }),
    warn: (message, extra) => logs.push({ level: 'warn', message, ...(extra ? { extra } : {}) }),
    error: (message, extra) => logs.push({ level: 'error', message, ...(extra ? { extra } : {}) }),
  };
  const pipeline = localPipeline(stack, {
    now: () => sandbox.now(),
    logger,
    settings: { maxRetryDelaySeconds: 1, ...settings },
    zendeskOptions: {
      incrementalPerMinute: 10_000,
      retryBaseDelayMs: 1,
      retryMaxDelayMs: 5,
      ...zendeskOptions,
    },
    grants,
  });
  return {
    sandbox,
    stack,
    pipeline,
    logs,
    stop: async () => {
      await Promise.all([sandbox.stop(), stack.stop()]);
    },
  };
};

/** The sandbox's own ground truth for the world's integration (IVR, 15-minute intervals) from `since` to now. */
export const worldTruth = (world: World, since: string, replayedViews: readonly number[] = []) =>
  expectedQueues(world.sandbox.truth, {
    groupingStrategy: 'ivr',
    intervalMinutes: 15,
    since,
    until: world.sandbox.now().toISOString(),
  }).map((q) =>
    // A view counted after its history was imported gets it from a replay of the stored
    // interactions: contacts and reopens, no backlog (only interactions are stored); its backlog
    // starts at its tickets' next updates (README, "The backlog").
    q.viewId !== undefined && replayedViews.includes(q.viewId)
      ? {
          ...q,
          intervals: q.intervals.map((i) => ({
            ...i,
            support: { ...i.support!, backlogEntered: 0, backlogLeft: 0 },
            backlog: 0,
          })),
        }
      : q,
  );

/**
 * Writes into `dir` the file `cdk deploy --outputs-file` writes, naming the world's tables as the
 * deployed stack's (the queues unused by the readers: placeholders); returns its path.
 */
export const writeStackOutputs = async (world: World, dir: string): Promise<string> => {
  const file = join(dir, 'cdk-outputs.json');
  const outputs = {
    ...Object.fromEntries(ALL_TABLES.map((t) => [tableOutputId(t.key), world.stack.tableNames[t.key]])),
    ...Object.fromEntries(
      ALL_QUEUES.map((q) => [queueOutputId(q.key), `https://sqs.invalid/${q.localName}`]),
    ),
  };
  await writeFile(file, JSON.stringify({ [STACK_NAME]: outputs }));
  return file;
};

export const integrationInput = (world: World, name = 'Acme') => ({
  name,
  domain: 'acme.zendesk.com',
  baseUrl: world.sandbox.baseUrl,
  username: world.sandbox.credentials.email,
  credentials: { kind: 'api_token', apiToken: world.sandbox.credentials.apiToken },
  groupingStrategy: 'ivr',
  intervalMinutes: 15,
  historyDays: world.sandbox.profile.importDays,
});

/** Every item of a table, as DynamoDB returns it (attribute values, not JS values), in key order. */
export const scanTable = async (stack: LocalStack, table: string): Promise<string[]> => {
  const items: string[] = [];
  let ExclusiveStartKey: Record<string, never> | undefined;
  do {
    const page = await stack.dynamodb.send(
      new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey }),
    );
    // Keys sorted at every depth, so an item's text is the same however DynamoDB ordered it.
    items.push(...(page.Items ?? []).map((item) => stableStringify(item)));
    ExclusiveStartKey = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (ExclusiveStartKey);
  return items.sort();
};

/** The history of a scanned queue-history table: its interval and backlog-day items (freshness items set apart). */
export const historyItems = (items: readonly string[]): string[] =>
  items.filter((item) => !item.includes('"kind":{"S":"freshness"}'));

/**
 * The history without the aggregator's writer tags (`writtenBy`): what a run counted, to compare
 * runs whose pages were split differently. A page redone after a crash upstream (a fetch or a view
 * classifier that died) can reach the aggregator as other messages than in an uninterrupted run, so
 * other messages may write an item; its counts, version and everything else are the same.
 */
export const countedHistory = (items: readonly string[]): string[] =>
  historyItems(items)
    .map((item) => item.replace(/"writtenBy":\{"L":\[[^\]]*\]\},?/, ''))
    .sort();

/** The freshness items of a scanned queue-history table. */
export const freshnessItems = (items: readonly string[]): string[] =>
  items.filter((item) => item.includes('"kind":{"S":"freshness"}'));

/** Every record of the queue-history table's stream so far, oldest first (a downstream consumer's view). */
export const streamRecords = async (stack: LocalStack): Promise<_Record[]> => {
  const { Table } = await stack.dynamodb.send(
    new DescribeTableCommand({ TableName: stack.tableNames.queueHistory }),
  );
  const streams = new DynamoDBStreamsClient(clientConfig(stack.endpoints.dynamodb));
  try {
    const { StreamDescription } = await streams.send(
      new DescribeStreamCommand({ StreamArn: Table?.LatestStreamArn }),
    );
    const records: _Record[] = [];
    for (const shard of StreamDescription?.Shards ?? []) {
      let { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: Table?.LatestStreamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      while (ShardIterator) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator }));
        records.push(...(page.Records ?? []));
        if ((page.Records ?? []).length === 0) break;
        ShardIterator = page.NextShardIterator;
      }
    }
    return records.sort((a, b) =>
      (a.dynamodb?.SequenceNumber ?? '').localeCompare(b.dynamodb?.SequenceNumber ?? ''),
    );
  } finally {
    streams.destroy();
  }
};

/**
 * A tiny world, imported once as `acme`, then kept current by `serve` (no schedule, a 1 s coalescing
 * window, no wait for the export's minute) with the sandbox's signed webhooks pointed at it.
 * `until` waits, round of work by round of work, until a condition holds.
 */
export interface ServedWorld {
  readonly world: World;
  readonly server: LocalServer;
  readonly integrationId: string;
  /** The import window's start. */
  readonly since: string;
  until(done: () => Promise<boolean>): Promise<void>;
  stop(): Promise<void>;
}

export const startServedWorld = async (
  signingSecret: string,
  /** Integration settings beyond `integrationInput`'s (e.g. `webhookTicketReadsPerMinute`). */
  settings: Record<string, unknown> = {},
): Promise<ServedWorld> => {
  const world = await startWorld('tiny');
  const imported = await importOnce(
    world.pipeline,
    { ...integrationInput(world), ...settings },
    { newId: () => 'acme' },
  );
  const { id: integrationId, importFrom: since } = imported.integration.integration;
  const signingSecrets = new LocalWebhookSecretStore();
  await signingSecrets.put(integrationId, signingSecret);
  let drained: () => void = () => undefined;
  const server = await serveLocal(world.pipeline, {
    signingSecrets,
    logger: world.pipeline.deps.logger,
    scheduleEveryMs: 0,
    syncOnStart: false,
    coalesceSeconds: 1,
    // The sandbox's export still holds back its last minute: a test moves its clock past it.
    exportLagSeconds: 0,
    onDrained: () => drained(),
  });
  world.sandbox.configureWebhook({
    url: `${server.url}/integrations/${integrationId}/webhook`,
    signingSecret,
  });
  return {
    world,
    server,
    integrationId,
    since,
    until: async (done) => {
      for (;;) {
        // Armed before looking, so a round that ends while the condition is checked is not missed.
        const drainedAgain = new Promise<void>((resolve) => (drained = resolve));
        if (await done()) return;
        await drainedAgain;
      }
    },
    stop: async () => {
      await server.stop();
      await world.stop();
    },
  };
};
