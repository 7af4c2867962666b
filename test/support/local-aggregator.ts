import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { localFunctionClients } from '../../local/function-clients.js';
import type { LocalStack } from '../../local/local-stack.js';
import { silentLogger } from '../../local/pipeline.js';
import { aggregatorDeps } from '../../shared/pipeline/build-deps.js';
import { FUNCTION_GRANTS } from '../../shared/pipeline/function-grants.js';
import type { Item } from '../../shared/store/batch.js';
import { documentClientFor } from '../../shared/store/clients.js';
import { LocalSecretStore } from '../../shared/store/secret-store.js';

/** The aggregator's clients on a local stack, with its grants enforced, at a fixed clock. */
export const localAggregatorClients = (stack: LocalStack, now: Date) =>
  localFunctionClients(stack, 'aggregator', FUNCTION_GRANTS.aggregator, {
    secrets: new LocalSecretStore(),
    logger: silentLogger,
    now: () => now,
  }).clients;

/** The aggregator's dependencies on a local stack, with its grants enforced, at a fixed clock. */
export const localAggregatorDeps = (stack: LocalStack, now: Date) =>
  aggregatorDeps(localAggregatorClients(stack, now));

/** The items of one partition of a local table as stored, in key order. */
export const partitionItems = async (stack: LocalStack, table: string, pk: string): Promise<Item[]> =>
  ((
    await documentClientFor(stack.dynamodb).send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ConsistentRead: true,
      }),
    )
  ).Items ?? []) as Item[];
