import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ChangesMessage } from './changes.js';
import type { ContactsMessage } from './contacts.js';
import type { FetchJob } from './fetch-job.js';
import type { QueueUrls } from './queues.js';
import { partKey, splitBySize } from './split.js';
import type { UpdatesMessage } from './updates.js';

/**
 * How the pipeline hands work on. FIFO messages go to the integration's message group with the
 * producer's page key as deduplication id; a page too large for one message is split into parts
 * with derived keys (`<pageKey>.<n>`), sent in order.
 */
export interface MessageBus {
  sendFetchJob(job: FetchJob, delaySeconds?: number): Promise<void>;
  sendChanges(message: ChangesMessage): Promise<void>;
  sendUpdates(message: UpdatesMessage): Promise<void>;
  sendContacts(message: ContactsMessage): Promise<void>;
}

const withParts = <M extends { pageKey: string }, K extends keyof M>(
  message: M,
  field: K,
  items: M[K] & readonly unknown[],
): M[] => {
  const parts = splitBySize(items);
  return parts.map((part, i) => ({
    ...message,
    pageKey: partKey(message.pageKey, i, parts.length),
    [field]: part,
  }));
};

export class SqsMessageBus implements MessageBus {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queues: QueueUrls,
  ) {}

  async sendFetchJob(job: FetchJob, delaySeconds = 0): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queues.fetchJobs,
        MessageBody: JSON.stringify(job),
        ...(delaySeconds > 0 ? { DelaySeconds: Math.min(900, Math.ceil(delaySeconds)) } : {}),
      }),
    );
  }

  async sendChanges(message: ChangesMessage): Promise<void> {
    for (const part of withParts(message, 'records', message.records)) {
      await this.sendFifo(this.queues.changes, part);
    }
  }

  async sendUpdates(message: UpdatesMessage): Promise<void> {
    const parts =
      message.type === 'ticket_updates'
        ? withParts(message, 'updates', message.updates)
        : message.type === 'views'
          ? [message]
          : [message];
    for (const part of parts) await this.sendFifo(this.queues.updates, part);
  }

  async sendContacts(message: ContactsMessage): Promise<void> {
    for (const part of withParts(message, 'facts', message.facts)) {
      await this.sendFifo(this.queues.contacts, part);
    }
  }

  private async sendFifo(queueUrl: string, message: { pageKey: string; integrationId: string }) {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify(message),
        MessageGroupId: message.integrationId,
        MessageDeduplicationId: message.pageKey,
      }),
    );
  }
}
