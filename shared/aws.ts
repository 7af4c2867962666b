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
