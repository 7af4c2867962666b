/**
 * Adds an integration to the deployed stack from an operator's machine, through the same
 * integration service as local mode (validation per field, credential check against Zendesk,
 * credentials stored in Secrets Manager, name claimed): the scheduler picks it up on its next run.
 *
 *   npx cdk deploy --outputs-file cdk-outputs.json
 *   npx tsx infra/add-integration.ts cdk-outputs.json < integration.json
 *
 * `integration.json` is the integration service's input, plus an optional `webhookSigningSecret`
 * (the Zendesk webhook's signing secret, stored apart from the credentials). Runs with the
 * caller's AWS credentials; the stack's IntegrationAdminPolicy grants what it needs.
 */
import { readFileSync } from 'node:fs';
import { text } from 'node:stream/consumers';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { operatorDeps } from '../shared/pipeline/build-deps.js';
import {
  IntegrationService,
  rateLimitWaitMessage,
  zendeskCredentialChecker,
  type CredentialChecker,
  type SavedIntegration,
} from '../shared/pipeline/integrations.js';
import { sweepUnconfirmedSecrets } from '../shared/pipeline/unconfirmed-secrets.js';
import { SecretsManagerSecretStore } from '../shared/store/secret-store.js';
import { SecretsManagerWebhookSecretStore } from '../shared/store/webhook-secret-store.js';
import { signingSecretOf } from '../shared/webhook/signing-secret.js';
import { namesFromOutputs, STACK_NAME } from './stack-outputs.js';

const signingSecretIn = (input: unknown): string | undefined => {
  const value =
    typeof input === 'object' && input !== null
      ? (input as { webhookSigningSecret?: unknown }).webhookSigningSecret
      : undefined;
  if (value === undefined) return undefined;
  // Checked before anything is saved, so a bad secret leaves no integration behind without one.
  if (typeof value !== 'string') throw new Error('webhookSigningSecret: must be a string');
  return signingSecretOf(value);
};

/** How long an id marked unconfirmed is left alone: far longer than an add takes, its waits included. */
export const UNCONFIRMED_SECRETS_SWEPT_AFTER_MS = 3_600_000;

export interface AddIntegrationClients {
  readonly dynamodb: DynamoDBClient;
  readonly sqs: SQSClient;
  readonly secretsManager: SecretsManagerClient;
}

export const addIntegration = async (
  stackOutputs: Readonly<Record<string, unknown>>,
  input: unknown,
  clients: AddIntegrationClients,
  options: {
    checkCredentials?: CredentialChecker;
    newId?: () => string;
    /** Told the ids whose secrets an earlier, interrupted add left and this one removed. */
    onSecretsRemoved?: (integrationIds: readonly string[]) => void;
    /** Told why those secrets could not be removed this time. */
    onSweepFailed?: (error: Error) => void;
  } = {},
): Promise<SavedIntegration> => {
  const signingSecret = signingSecretIn(input);
  const { tables, queues } = namesFromOutputs(stackOutputs);
  const deps = operatorDeps({
    dynamodb: clients.dynamodb,
    sqs: clients.sqs,
    tables,
    queues,
    dlqs: {},
    secrets: new SecretsManagerSecretStore(clients.secretsManager),
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  const signingSecrets = new SecretsManagerWebhookSecretStore(clients.secretsManager);
  const saved = await new IntegrationService(deps, options.checkCredentials, options.newId).create(
    input,
    signingSecret === undefined
      ? undefined
      : {
          store: (id) => signingSecrets.put(id, signingSecret),
          remove: (id) => signingSecrets.delete(id),
        },
  );
  // Then what an earlier add killed mid-way left (its id marked, no integration saved). Operators
  // are not serialised on AWS, so an id marked within the hour may be another add on its way. A
  // sweep that fails keeps the marks for the next add: the one saved here is not undone for it.
  try {
    const removed = await sweepUnconfirmedSecrets(
      {
        integrations: deps.integrations,
        secrets: deps.secrets,
        webhookSecrets: signingSecrets,
        now: deps.now,
      },
      new Date(deps.now().getTime() - UNCONFIRMED_SECRETS_SWEPT_AFTER_MS),
    );
    if (removed.length > 0) options.onSecretsRemoved?.(removed);
  } catch (error) {
    options.onSweepFailed?.(error as Error);
  }
  return saved;
};

const main = async (): Promise<void> => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const [outputsFile] = process.argv.slice(2);
  if (!outputsFile)
    throw new Error('usage: npx tsx infra/add-integration.ts <cdk-outputs.json> < integration.json');
  const all = JSON.parse(readFileSync(outputsFile, 'utf8')) as Record<string, Record<string, unknown>>;
  const outputs = all[STACK_NAME];
  if (!outputs) throw new Error(`${outputsFile} has no outputs of the ${STACK_NAME} stack`);
  let input: unknown;
  try {
    input = JSON.parse(await text(process.stdin));
  } catch {
    throw new Error('standard input: must be the integration as JSON');
  }
  const saved = await addIntegration(
    outputs,
    input,
    {
      dynamodb: new DynamoDBClient({}),
      sqs: new SQSClient({}),
      secretsManager: new SecretsManagerClient({}),
    },
    // Zendesk's 429s on the credential check are waited out, each wait said.
    {
      checkCredentials: zendeskCredentialChecker(Date.now, {
        onWait: (wait) => process.stderr.write(`warning: ${rateLimitWaitMessage(wait)}\n`),
      }),
      onSweepFailed: (error) =>
        process.stderr.write(
          `warning: the secrets interrupted adds left could not be removed this time (${error.name}); the next add tries again\n`,
        ),
      onSecretsRemoved: (ids) =>
        process.stderr.write(
          `note: removed the secrets an interrupted command left under ${ids.length} integration id(s) with no live integration: ${ids.join(', ')}\n`,
        ),
    },
  );
  for (const warning of saved.warnings) process.stderr.write(`warning: ${warning}\n`);
  if (saved.checkPending !== undefined) process.stderr.write(`warning: ${saved.checkPending}\n`);
  process.stdout.write(`${JSON.stringify({ id: saved.integration.id, name: saved.integration.name })}\n`);
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    // Messages of the integration service name fields, never values.
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
