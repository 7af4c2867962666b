import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { z } from 'zod';
import { clientConfig, endpointsFromEnv } from '../../shared/aws.js';
import { QUEUES } from '../../shared/messages/queues.js';
import { TABLES } from '../../shared/store/tables.js';
import { SecretsManagerWebhookSecretStore } from '../../shared/store/webhook-secret-store.js';
import { webhookDeps } from '../../shared/webhook/build-deps.js';
import { MAX_DELAY_SECONDS } from '../../shared/webhook/coalesce.js';
import { EXPORT_LAG_SECONDS } from '../../shared/zendesk/positions.js';
import { receiveWebhook, webhookResponseHeaders, type WebhookDeps } from '../../shared/webhook/receive.js';

const logger = new Logger({ serviceName: 'webhook' });

const EnvSchema = z.object({
  [TABLES.integrations.envVar]: z.string().min(1),
  [QUEUES.fetchJobs.envVar]: z.string().min(1),
  // With Zendesk's export lag after it, a window's fetch must still fit SQS's 900 s delay.
  WEBHOOK_COALESCE_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_DELAY_SECONDS - EXPORT_LAG_SECONDS)
    .default(30),
});

let deps: WebhookDeps | undefined;

/** Built once per container: only what the webhook touches (the integrations table, fetch-jobs, signing secrets). */
const depsFromEnvironment = (): WebhookDeps => {
  if (deps) return deps;
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    throw new Error(`Invalid environment: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  }
  const env = parsed.data;
  const endpoints = endpointsFromEnv();
  deps = webhookDeps({
    dynamodb: new DynamoDBClient(clientConfig(endpoints.dynamodb)),
    sqs: new SQSClient(clientConfig(endpoints.sqs)),
    integrationsTable: env[TABLES.integrations.envVar] as string,
    fetchJobsUrl: env[QUEUES.fetchJobs.envVar] as string,
    signingSecrets: new SecretsManagerWebhookSecretStore(
      new SecretsManagerClient(clientConfig(endpoints.secretsManager)),
    ),
    windowSeconds: env.WEBHOOK_COALESCE_SECONDS as number,
    logger: { info: (m, e) => logger.info(m, { ...e }), warn: (m, e) => logger.warn(m, { ...e }) },
  });
  return deps;
};

/** Lambda Function URL → the webhook use case. The raw event is never logged: it carries the signature. */
export const createHandler = (getDeps: () => WebhookDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event) => {
      const response = await receiveWebhook(getDeps(), {
        method: event.requestContext.http.method,
        path: event.rawPath,
        headers: event.headers ?? {},
        body: event.body,
        isBase64Encoded: event.isBase64Encoded,
      });
      // One structured line per refusal: CloudWatch aggregates them; the reason, never the request.
      if (response.refusal) logger.warn('webhook refused', { reason: response.refusal });
      return {
        statusCode: response.status,
        headers: webhookResponseHeaders(response),
        body: JSON.stringify(response.body),
      };
    });

export const handler = createHandler(depsFromEnvironment);
