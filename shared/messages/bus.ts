import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { MAX_RECORDS_PER_MESSAGE, type ChangesMessage } from './changes.js';
import { MAX_FACTS_PER_MESSAGE, type ContactsMessage } from './contacts.js';
import type { FetchJob } from './fetch-job.js';
import type { QueueUrls } from './queues.js';
import { encodeBody } from './body.js';
import { partKey } from './split.js';
import { MAX_UPDATES_PER_MESSAGE, type UpdatesMessage } from './updates.js';

/**
 * How the pipeline hands work on. FIFO messages go to the integration's message group with the
 * producer's page key as deduplication id; a page too large for one message even compressed is
 * split into parts with derived keys (`<pageKey>.<n>`), sent in order.
 */
export interface MessageBus {
  sendFetchJob(job: FetchJob, delaySeconds?: number): Promise<void>;
  sendChanges(message: ChangesMessage): Promise<void>;
  sendUpdates(message: UpdatesMessage): Promise<void>;
  sendContacts(message: ContactsMessage): Promise<void>;
}

/** One item that does not fit in a message on its own, even compressed: `index` among the page's items. */
export class ItemTooLargeError extends Error {
  override readonly name = 'ItemTooLargeError';
  constructor(
    readonly pageKey: string,
    readonly index: number,
  ) {
    super(`item ${index} of ${pageKey} is larger than an SQS message`);
  }
}

/** The longest key a part can get (`<pageKey>.<n>`), so a part sized with it fits with its real key. */
const LONGEST_PART_SUFFIX = '.9999';

/**
 * The bodies of a message, as few as fit: the whole message when it fits (compressed if need be)
 * and holds no more items than its consumer's schema takes, otherwise runs of at most `maxItems`,
 * each halved again and again until it fits. Deterministic, so a repeated page repeats its parts
 * and their keys.
 */
export const encodeParts = <M extends { pageKey: string }, K extends keyof M>(
  message: M,
  field: K,
  items: M[K] & readonly unknown[],
  maxItems: number,
): { pageKey: string; body: string }[] => {
  const whole = items.length <= maxItems ? encodeBody(JSON.stringify(message)) : null;
  if (whole !== null) return [{ pageKey: message.pageKey, body: whole }];
  const fits = (part: readonly unknown[]) =>
    encodeBody(
      JSON.stringify({ ...message, pageKey: `${message.pageKey}${LONGEST_PART_SUFFIX}`, [field]: part }),
    ) !== null;
  const halve = (part: readonly unknown[]): (readonly unknown[])[] =>
    part.length <= 1 || fits(part)
      ? [part]
      : [...halve(part.slice(0, part.length >> 1)), ...halve(part.slice(part.length >> 1))];
  const runs: (readonly unknown[])[] = [];
  for (let i = 0; i < Math.max(items.length, 1); i += maxItems) runs.push(items.slice(i, i + maxItems));
  const parts = runs.flatMap(halve);
  return parts.map((part, i) => {
    const pageKey = partKey(message.pageKey, i, parts.length);
    const body = encodeBody(JSON.stringify({ ...message, pageKey, [field]: part }));
    if (body === null) throw new ItemTooLargeError(message.pageKey, items.indexOf(part[0]));
    return { pageKey, body };
  });
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
    const parts =
      message.stream === 'run_completed'
        ? [{ pageKey: message.pageKey, body: JSON.stringify(message) }]
        : encodeParts(message, 'records', message.records, MAX_RECORDS_PER_MESSAGE);
    for (const part of parts) {
      await this.sendFifo(this.queues.changes, message.integrationId, part);
    }
  }

  async sendUpdates(message: UpdatesMessage): Promise<void> {
    // A ticket's audits in parts are applied part after part, as the export's pages would be.
    const parts =
      message.type === 'ticket_updates' || message.type === 'ticket_audits'
        ? encodeParts(message, 'updates', message.updates, MAX_UPDATES_PER_MESSAGE)
        : [{ pageKey: message.pageKey, body: JSON.stringify(message) }];
    for (const part of parts) await this.sendFifo(this.queues.updates, message.integrationId, part);
  }

  async sendContacts(message: ContactsMessage): Promise<void> {
    for (const part of encodeParts(message, 'facts', message.facts, MAX_FACTS_PER_MESSAGE)) {
      await this.sendFifo(this.queues.contacts, message.integrationId, part);
    }
  }

  private async sendFifo(queueUrl: string, integrationId: string, part: { pageKey: string; body: string }) {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: part.body,
        MessageGroupId: integrationId,
        MessageDeduplicationId: part.pageKey,
      }),
    );
  }
}
