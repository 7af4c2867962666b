/**
 * The stack's outputs by id, shared by the stack that declares them and the operator tools that
 * read them back from `cdk deploy --outputs-file`.
 */
import { ALL_QUEUES, type QueueKey, type QueueUrls } from '../shared/messages/queues.js';
import { ALL_TABLES, type TableKey, type TableNames } from '../shared/store/tables.js';

const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export const STACK_NAME = 'ZendeskWfm';
export const WEBHOOK_URL_OUTPUT = 'WebhookUrl';
export const STREAM_ARN_OUTPUT = 'QueueHistoryStreamArn';
export const tableOutputId = (key: TableKey): string => `${upperFirst(key)}TableName`;
export const queueOutputId = (key: QueueKey): string => `${upperFirst(key)}QueueUrl`;

export interface DeployedNames {
  readonly tables: TableNames;
  readonly queues: QueueUrls;
}

/** Table names and queue URLs from the outputs of one stack; a missing output is named. */
export const namesFromOutputs = (outputs: Readonly<Record<string, unknown>>): DeployedNames => {
  const value = (id: string): string => {
    const v = outputs[id];
    if (typeof v !== 'string' || v === '') throw new Error(`stack output ${id} is missing`);
    return v;
  };
  return {
    tables: Object.fromEntries(ALL_TABLES.map((t) => [t.key, value(tableOutputId(t.key))])) as Record<
      TableKey,
      string
    >,
    queues: Object.fromEntries(ALL_QUEUES.map((q) => [q.key, value(queueOutputId(q.key))])) as Record<
      QueueKey,
      string
    >,
  };
};
