import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { startLocalStack, type LocalStack } from '../shared/local/local-stack.js';
import { localPipeline, type LocalPipeline } from '../shared/local/pipeline.js';
import type { PipelineLogger } from '../shared/pipeline/deps.js';
import { IntegrationService, type CredentialChecker } from '../shared/pipeline/integrations.js';
import { LocalSecretStore } from '../shared/store/secret-store.js';
import { LocalWebhookSecretStore } from '../shared/store/webhook-secret-store.js';

/**
 * The pipeline on this machine: DynamoDB Local (on `dataDir`, or in memory), the SQS emulator, a
 * secret file beside the data (0600), and the same handlers through the local runner. Everything
 * a command needs, opened once and closed once.
 */
export interface LocalInstallOptions {
  /** Keeps integrations, histories and credentials here across runs; in memory when absent. */
  readonly dataDir?: string;
  readonly logger?: PipelineLogger;
  /** Requests per minute to Zendesk's incremental exports (Zendesk allows 10, more with add-ons). */
  readonly exportRequestsPerMinute?: number;
  /** Days of ticket events a first import reads before its window, for ticket state only. */
  readonly ticketStateWarmUpDays?: number;
  /** The import's clock; the wall clock by default. */
  readonly now?: () => Date;
  /** Replaces the credential check against Zendesk (a check already done before the stack started). */
  readonly checkCredentials?: CredentialChecker;
}

export interface LocalInstall {
  readonly stack: LocalStack;
  readonly pipeline: LocalPipeline;
  readonly service: IntegrationService;
  /** Webhook signing secrets, beside the credentials (0600), apart from them as on AWS. */
  readonly webhookSecrets: LocalWebhookSecretStore;
  close(): Promise<void>;
}

export const DATA_DIR_LAYOUT = {
  dynamodb: 'dynamodb',
  secrets: 'secrets.json',
  webhookSecrets: 'webhook-secrets.json',
} as const;

export const openLocalInstall = async (options: LocalInstallOptions = {}): Promise<LocalInstall> => {
  let dynamoDir: string | undefined;
  let secretFile: string | undefined;
  let webhookSecretFile: string | undefined;
  if (options.dataDir !== undefined) {
    const root = resolve(options.dataDir);
    dynamoDir = join(root, DATA_DIR_LAYOUT.dynamodb);
    secretFile = join(root, DATA_DIR_LAYOUT.secrets);
    webhookSecretFile = join(root, DATA_DIR_LAYOUT.webhookSecrets);
    await mkdir(dynamoDir, { recursive: true, mode: 0o700 });
  }
  const secrets = new LocalSecretStore(secretFile);
  const webhookSecrets = new LocalWebhookSecretStore(webhookSecretFile);
  // A secrets file others can read is refused before Java starts.
  await secrets.load();
  await webhookSecrets.load();
  const stack = await startLocalStack(dynamoDir !== undefined ? { dataDir: dynamoDir } : {});
  const pipeline = localPipeline(stack, {
    secrets,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.exportRequestsPerMinute !== undefined
      ? { zendeskOptions: { incrementalPerMinute: options.exportRequestsPerMinute } }
      : {}),
    ...(options.ticketStateWarmUpDays !== undefined
      ? { settings: { ticketStateWarmUpDays: options.ticketStateWarmUpDays } }
      : {}),
  });
  const service = new IntegrationService(pipeline.deps, options.checkCredentials);
  return { stack, pipeline, service, webhookSecrets, close: () => stack.stop() };
};

/** Opens an install, runs `work` with it, and always closes it (Java must not outlive the command). */
export const withLocalInstall = async <T>(
  options: LocalInstallOptions,
  work: (install: LocalInstall) => Promise<T>,
): Promise<T> => {
  const install = await openLocalInstall(options);
  try {
    return await work(install);
  } finally {
    await install.close();
  }
};
