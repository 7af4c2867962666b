import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { startSandbox, type Sandbox, type SandboxSize } from '../../sandbox/index.js';
import { startLocalStack, type LocalStack } from '../../shared/local/local-stack.js';
import { localPipeline, type LocalPipeline } from '../../shared/local/pipeline.js';
import type { PipelineLogger } from '../../shared/pipeline/deps.js';

/** A sandbox account, the embedded stack and the local pipeline on the sandbox's clock. */
export interface World {
  readonly sandbox: Sandbox;
  readonly stack: LocalStack;
  readonly pipeline: LocalPipeline;
  readonly logs: { level: string; message: string; extra?: Record<string, unknown> }[];
  stop(): Promise<void>;
}

export const startWorld = async (size: SandboxSize, seed = 7): Promise<World> => {
  const [sandbox, stack] = await Promise.all([
    startSandbox({ seed, size, now: '2026-03-02T12:00:00Z', rateLimit: false }),
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
    settings: { maxRetryDelaySeconds: 1 },
    zendeskOptions: { incrementalPerMinute: 10_000, retryBaseDelayMs: 1, retryMaxDelayMs: 5 },
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
    items.push(...(page.Items ?? []).map((item) => JSON.stringify(item, Object.keys(item).sort())));
    ExclusiveStartKey = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (ExclusiveStartKey);
  return items.sort();
};
