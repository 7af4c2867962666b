import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { namesFromOutputs, STACK_NAME } from '../infra/stack-outputs.js';
import { clientConfig, endpointsFromEnv } from '../shared/aws.js';
import { repositories, type Repositories } from '../shared/pipeline/deps.js';
import { documentClientFor } from '../shared/store/clients.js';
import { normaliseName, type Integration } from '../shared/store/integrations-repository.js';
import { SecretsManagerSecretStore, type SecretStore } from '../shared/store/secret-store.js';
import { UsageError } from './errors.js';

/**
 * The deployed stack as a command reads it (`--stack-outputs cdk-outputs.json`): its tables, named
 * in the file `cdk deploy --outputs-file` wrote, and the integrations' credentials in Secrets
 * Manager, with the caller's AWS credentials and region as `cdk deploy` used them (the *_ENDPOINT
 * variables point elsewhere, as they do for the functions). Reading is all it does.
 */
export interface DeployedStack {
  readonly repos: Repositories;
  readonly secrets: SecretStore;
  integration(name: string): Promise<Integration>;
}

/** The deployed stack's table names from `cdk deploy --outputs-file` (the stack's own outputs). */
const deployedTables = (file: string) => {
  let all: Record<string, Record<string, unknown> | undefined>;
  try {
    all = JSON.parse(readFileSync(file, 'utf8')) as typeof all;
  } catch (error) {
    throw new UsageError(
      `--stack-outputs: cannot read ${file} as JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const outputs = all[STACK_NAME];
  if (!outputs) throw new UsageError(`--stack-outputs: ${file} has no outputs of the ${STACK_NAME} stack`);
  return namesFromOutputs(outputs).tables;
};

const deployedIntegration = async (repos: Repositories, name: string): Promise<Integration> => {
  const all = (await repos.integrations.list()).filter((i) => i.status !== 'deleted');
  const found = all.find((i) => normaliseName(i.name) === normaliseName(name));
  if (found) return found;
  const known = all.map((i) => `"${i.name}"`).join(', ');
  throw new UsageError(
    `NAME: no integration named "${name}" in the deployed stack (${known ? `there are ${known}` : 'it has none'})`,
  );
};

export const withDeployedStack = async <T>(
  file: string,
  env: Readonly<Record<string, string | undefined>>,
  use: (stack: DeployedStack) => Promise<T>,
): Promise<T> => {
  const tables = deployedTables(file);
  const endpoints = endpointsFromEnv(env as NodeJS.ProcessEnv);
  const dynamodb = new DynamoDBClient(clientConfig(endpoints.dynamodb));
  const secretsManager = new SecretsManagerClient(clientConfig(endpoints.secretsManager));
  try {
    const repos = repositories(documentClientFor(dynamodb), tables);
    return await use({
      repos,
      secrets: new SecretsManagerSecretStore(secretsManager),
      integration: (name) => deployedIntegration(repos, name),
    });
  } finally {
    dynamodb.destroy();
    secretsManager.destroy();
  }
};
