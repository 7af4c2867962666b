import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig, withoutSdkCallLogging, type AwsEndpoints } from '../shared/aws.js';
import {
  ALL_QUEUES,
  type QueueDefinition,
  type QueueKey,
  type QueueUrls,
} from '../shared/messages/queues.js';
import {
  ALL_TABLES,
  localTableNames,
  type TableDefinition,
  type TableNames,
} from '../shared/store/tables.js';
import { withoutRedriveLeftovers } from './dead-letters.js';
import { startDynamoDbLocal, type DynamoDbLocalExitedError } from './dynamodb-local.js';
import { createQueues, createTables } from './provision.js';
import { QueueJournal, restorable, type JournaledMessage } from './queue-journal.js';
import { startSqsEmulator } from './sqs-emulator.js';
import { awaitTransactionCommits } from './transaction-commits.js';

/**
 * The embedded AWS stand-in: DynamoDB Local (streams on) and the fauxqs SQS emulator on free
 * loopback ports, with every table and queue of the pipeline created from the shared definitions.
 * One call starts it, one call stops it, and nothing survives the process.
 */
export interface LocalStackOptions {
  /** Persist DynamoDB data here; in memory when absent. */
  readonly dataDir?: string;
  readonly tables?: readonly TableDefinition[];
  readonly queues?: readonly QueueDefinition[];
  /**
   * Journal every queued message in this file, and put back what it holds from the last run before
   * anything runs: the queues then survive the process (a crash, Ctrl-C, a full disk).
   */
  readonly queueJournalFile?: string;
}

export interface LocalStack {
  readonly endpoints: Required<Pick<AwsEndpoints, 'dynamodb' | 'sqs'>>;
  readonly tableNames: TableNames;
  readonly queueUrls: QueueUrls;
  /** Dead-letter queue URL per queue. */
  readonly dlqUrls: QueueUrls;
  /** A client of the stand-in (its answered transactions already committed: transaction-commits.ts). */
  readonly dynamodb: DynamoDBClient;
  /**
   * Makes another client of the stand-in wait, after each transaction it is answered, until DynamoDB
   * Local has committed it (transaction-commits.ts); every client of the stand-in needs it.
   */
  awaitTransactionCommits<C extends Pick<DynamoDBClient, 'middlewareStack'>>(client: C): C;
  readonly sqs: SQSClient;
  /** The environment a Lambda handler would get on AWS, pointing at this stand-in. */
  readonly env: Record<string, string>;
  readonly dynamoDbLocalPid: number;
  /** Set once DynamoDB Local has ended without `stop` (see DynamoDbLocal.unexpectedExit). */
  unexpectedDatabaseExit(): DynamoDbLocalExitedError | undefined;
  /** The queue journal, when the queues are durable. */
  readonly journal?: QueueJournal;
  /** Messages the last run left in the queues, put back at start. */
  readonly restoredMessages: number;
  stop(): Promise<void>;
}

/** Puts a journal's pending messages back into their queues, in the order they were first sent. */
export const restorePending = async (
  sqs: SQSClient,
  urlsByName: ReadonlyMap<string, string>,
  pending: readonly JournaledMessage[],
): Promise<void> => {
  const now = Date.now();
  for (const m of restorable(pending)) {
    const url = urlsByName.get(m.queue);
    if (url === undefined) continue; // a queue this version no longer has
    const delay = m.notBefore !== undefined ? Math.ceil((m.notBefore - now) / 1000) : 0;
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: m.body,
        ...(m.groupId !== undefined ? { MessageGroupId: m.groupId } : {}),
        ...(m.deduplicationId !== undefined ? { MessageDeduplicationId: m.deduplicationId } : {}),
        ...(delay > 0 ? { DelaySeconds: Math.min(900, delay) } : {}),
        ...(m.attributes ? { MessageAttributes: m.attributes } : {}),
      }),
    );
  }
};

export const startLocalStack = async (options: LocalStackOptions = {}): Promise<LocalStack> => {
  const tables = options.tables ?? ALL_TABLES;
  const queues = options.queues ?? ALL_QUEUES;
  const opened =
    options.queueJournalFile !== undefined ? QueueJournal.open(options.queueJournalFile) : undefined;
  // Both start at once; when one fails, the other is stopped before the error goes up: a listening
  // emulator left behind would keep the process alive (a command that never exits).
  const [ddbStart, sqsStart] = await Promise.allSettled([
    startDynamoDbLocal({ dataDir: options.dataDir }),
    startSqsEmulator(opened ? { journal: opened.journal } : {}),
  ]);
  if (ddbStart.status === 'rejected' || sqsStart.status === 'rejected') {
    if (ddbStart.status === 'fulfilled') await ddbStart.value.stop();
    if (sqsStart.status === 'fulfilled') await sqsStart.value.stop();
    else opened?.journal.close();
    throw ddbStart.status === 'rejected' ? ddbStart.reason : (sqsStart as PromiseRejectedResult).reason;
  }
  const ddbLocal = ddbStart.value;
  const sqsEmulator = sqsStart.value;
  const dynamodb = new DynamoDBClient(clientConfig(ddbLocal.endpoint));
  const commitBarrier = new DynamoDBClient({
    ...clientConfig(ddbLocal.endpoint),
    requestHandler: dynamodb.config.requestHandler,
  });
  const committed = <C extends Pick<DynamoDBClient, 'middlewareStack'>>(client: C) =>
    awaitTransactionCommits(client, commitBarrier);
  committed(dynamodb);
  const sqs = withoutSdkCallLogging(new SQSClient(clientConfig(sqsEmulator.endpoint)));
  const stop = async () => {
    dynamodb.destroy();
    commitBarrier.destroy();
    sqs.destroy();
    await Promise.all([ddbLocal.stop(), sqsEmulator.stop()]);
  };
  try {
    await createTables(dynamodb, tables);
    const queueUrls = await createQueues(sqs, queues);
    const dlqUrls: Partial<Record<QueueKey, string>> = {};
    const urlsByName = new Map<string, string>();
    for (const q of queues) {
      dlqUrls[q.key] = (await sqs.send(new GetQueueUrlCommand({ QueueName: q.dlqLocalName }))).QueueUrl;
      urlsByName.set(q.localName, queueUrls[q.key]);
      urlsByName.set(q.dlqLocalName, dlqUrls[q.key] ?? '');
    }
    const pending = opened ? withoutRedriveLeftovers(opened.pending, queues) : [];
    if (opened) {
      await restorePending(sqs, urlsByName, pending);
      opened.journal.settled();
    }
    const tableNames = localTableNames();
    const env: Record<string, string> = {
      AWS_REGION: 'us-east-1',
      DYNAMODB_ENDPOINT: ddbLocal.endpoint,
      SQS_ENDPOINT: sqsEmulator.endpoint,
      ...Object.fromEntries(tables.map((t) => [t.envVar, tableNames[t.key]])),
      ...Object.fromEntries(queues.map((q) => [q.envVar, queueUrls[q.key]])),
    };
    return {
      endpoints: { dynamodb: ddbLocal.endpoint, sqs: sqsEmulator.endpoint },
      tableNames,
      queueUrls,
      dlqUrls: dlqUrls as QueueUrls,
      dynamodb,
      awaitTransactionCommits: committed,
      sqs,
      env,
      dynamoDbLocalPid: ddbLocal.pid,
      unexpectedDatabaseExit: () => ddbLocal.unexpectedExit(),
      ...(opened ? { journal: opened.journal } : {}),
      restoredMessages: pending.length,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
