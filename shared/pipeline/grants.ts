/**
 * What a function may call on AWS, declared once beside its use case (the `*_GRANTS` constant next
 * to each use case's dependencies interface). The CDK stack grants exactly this
 * (infra/constructs/functions.ts), the infrastructure test asserts the synthesized policies
 * against it, and local mode refuses every call outside it (local/grant-guard.ts), so a
 * use case that starts calling something new fails its tests until its declaration says so.
 *
 * A transaction needs the per-item actions of its parts (Put → PutItem): there is no IAM action
 * for TransactWriteItems itself.
 */
import type { QueueKey } from '../messages/queues.js';
import type { TableKey } from '../store/tables.js';

export type TableAction =
  'GetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'Query' | 'Scan' | 'BatchGetItem' | 'BatchWriteItem';

/**
 * Secret access by name prefix: `credentials` are the Zendesk credentials (`zendesk-wfm/<id>`), read
 * to build a Zendesk client and rewritten when an OAuth refresh token rotates; `webhookSigning` are
 * the signing secrets (`zendesk-wfm-webhook/<id>`), which the webhook reads and nothing else does.
 */
export interface SecretAccess {
  readonly credentials?: 'read' | 'readAndRotate';
  readonly webhookSigning?: 'read';
}

export interface Grants {
  readonly tables: Readonly<Partial<Record<TableKey, readonly TableAction[]>>>;
  /** Queues it sends messages to. */
  readonly sendsTo: readonly QueueKey[];
  readonly secrets: SecretAccess;
  /**
   * The queue whose messages it consumes: Lambda's event source mapping needs the consumer
   * actions on it (CONSUMER_QUEUE_ACTIONS), and a consumer parks malformed messages in its
   * dead-letter queue (SendMessage there).
   */
  readonly consumes?: QueueKey;
}

/** What CDK's SqsEventSource grants a consumer on its queue (and what the consumer may call itself). */
export const CONSUMER_QUEUE_ACTIONS = [
  'ReceiveMessage',
  'ChangeMessageVisibility',
  'GetQueueUrl',
  'DeleteMessage',
  'GetQueueAttributes',
] as const;

/** The Secrets Manager actions of a secret access. */
export const secretActions = (access: 'read' | 'readAndRotate'): readonly string[] =>
  access === 'readAndRotate' ? ['GetSecretValue', 'PutSecretValue'] : ['GetSecretValue'];
