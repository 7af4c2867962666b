/**
 * How every AWS SDK client of zendesk-wfm is configured. On AWS the SDK's defaults apply. In local
 * mode the endpoints point at DynamoDB Local and the SQS emulator, with fixed dummy credentials:
 * DynamoDB Local keeps one database per access key unless shared, so every client must agree.
 */
export interface AwsEndpoints {
  readonly dynamodb?: string;
  readonly sqs?: string;
  readonly secretsManager?: string;
}

export const LOCAL_REGION = 'us-east-1';
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export interface ClientConfig {
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export const clientConfig = (endpoint: string | undefined): ClientConfig =>
  endpoint ? { endpoint, region: LOCAL_REGION, credentials: { ...LOCAL_CREDENTIALS } } : {};

export const endpointsFromEnv = (env: NodeJS.ProcessEnv = process.env): AwsEndpoints => ({
  dynamodb: env.DYNAMODB_ENDPOINT || undefined,
  sqs: env.SQS_ENDPOINT || undefined,
  secretsManager: env.SECRETS_MANAGER_ENDPOINT || undefined,
});

/**
 * Removes the SDK's logger middleware from a client. It runs on every call and, even with the
 * SDK's default no-op logger, first copies the whole input and output through their schemas to
 * mask sensitive fields: for the pipeline's batch reads and writes that was several percent of the
 * CPU of a run, for log lines nobody asked for (we log through our own logger).
 */
export const withoutSdkCallLogging = <C extends { middlewareStack: { remove(name: string): boolean } }>(
  client: C,
): C => {
  client.middlewareStack.remove('loggerMiddleware');
  return client;
};
