import type { LocalStack } from '../local/local-stack.js';
import { localPipeline } from '../local/pipeline.js';
import { zendeskClients } from '../shared/pipeline/zendesk.js';
import { LocalSecretStore } from '../shared/store/secret-store.js';
import { countDynamoDb, countingSecrets, countingZendesk, countSqs } from './metrics.js';

/**
 * The local pipeline a benchmark runs, with every client its functions bill counted (DynamoDB,
 * SQS, the secrets, Zendesk's requests; not the stack's own DynamoDB client, see countDynamoDb) and the client-side rate limit out of the way (the sandbox's is off).
 * `window.startSeconds` is set once the import window is known, to tell warm-up events apart.
 */
export const countedPipeline = (stack: LocalStack, now: () => Date) => {
  const { counts: dynamo, attach: countWritesOf } = countDynamoDb();
  const sqs = countSqs();
  const { store: secrets, counts: secretCalls } = countingSecrets(new LocalSecretStore());
  const window = { startSeconds: 0 };
  const zendesk = countingZendesk(
    zendeskClients(secrets, {
      clock: () => now().getTime(),
      incrementalPerMinute: 1_000_000,
      retryBaseDelayMs: 1,
      retryMaxDelayMs: 5,
    }),
    window,
  );
  const pipeline = localPipeline(stack, {
    now,
    secrets,
    zendesk: zendesk.factory,
    settings: { maxRetryDelaySeconds: 1 },
    onDynamoDbClient: countWritesOf,
    onSqsClient: sqs.attach,
  });
  return { pipeline, dynamo, sqs, secretCalls, window, zendesk };
};
