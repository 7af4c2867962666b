import { buildApp } from 'fauxqs';
import type { JournaledMessage, QueueJournal } from './queue-journal.js';

/**
 * The fauxqs SQS emulator, embedded in this process and listening on a loopback port. Being
 * in-process, it cannot outlive us. Its state is in memory; given a journal, every message it
 * accepts is written to disk before the send is acknowledged and every deletion after it, so the
 * work in the queues survives the process (see QueueJournal).
 *
 * The journal listens at the protocol level (the SQS JSON requests and answers) rather than inside
 * fauxqs, so it sees every client, whoever built it, and depends on nothing but the SQS API.
 */
export interface SqsEmulator {
  readonly endpoint: string;
  stop(): Promise<void>;
}

interface SendEntry {
  readonly Id?: string;
  readonly MessageBody?: string;
  readonly DelaySeconds?: number;
  readonly MessageGroupId?: string;
  readonly MessageDeduplicationId?: string;
  readonly MessageAttributes?: Record<string, { DataType: string; StringValue?: string }>;
}

interface SqsJsonRequest extends SendEntry {
  readonly QueueUrl?: string;
  readonly ReceiptHandle?: string;
  readonly Entries?: readonly (SendEntry & { ReceiptHandle?: string })[];
}

interface SqsJsonAnswer {
  readonly MessageId?: string;
  readonly Successful?: readonly { Id: string; MessageId?: string }[];
  readonly Messages?: readonly { MessageId?: string; ReceiptHandle?: string }[];
}

const queueNameOf = (url: string | undefined): string => (url ?? '').split('/').pop() ?? '';

const journaled = (queue: string, id: string, entry: SendEntry, now: number): JournaledMessage => ({
  queue,
  id,
  body: entry.MessageBody ?? '',
  ...(entry.MessageGroupId !== undefined ? { groupId: entry.MessageGroupId } : {}),
  ...(entry.MessageDeduplicationId !== undefined ? { deduplicationId: entry.MessageDeduplicationId } : {}),
  ...(entry.DelaySeconds ? { notBefore: now + entry.DelaySeconds * 1000 } : {}),
  ...(entry.MessageAttributes && Object.keys(entry.MessageAttributes).length > 0
    ? { attributes: entry.MessageAttributes }
    : {}),
});

/** Follows the SQS conversation and writes what changes the queues' content to the journal. */
class JournalTap {
  /** Which message a receipt handle belongs to (DeleteMessage names handles, not ids). */
  private readonly byHandle = new Map<string, string>();
  /** Each message's latest handle: an older one is dropped, so the map stays as small as the queues. */
  private readonly handleOf = new Map<string, string>();

  constructor(private readonly journal: QueueJournal) {}

  observe(action: string, request: SqsJsonRequest, answer: SqsJsonAnswer): void {
    const queue = queueNameOf(request.QueueUrl);
    const now = Date.now();
    switch (action) {
      case 'SendMessage':
        if (answer.MessageId) this.journal.recordSends([journaled(queue, answer.MessageId, request, now)]);
        return;
      case 'SendMessageBatch': {
        const entries = new Map((request.Entries ?? []).map((e) => [e.Id, e]));
        this.journal.recordSends(
          (answer.Successful ?? []).flatMap((s) => {
            const entry = entries.get(s.Id);
            return entry && s.MessageId ? [journaled(queue, s.MessageId, entry, now)] : [];
          }),
        );
        return;
      }
      case 'ReceiveMessage':
        for (const m of answer.Messages ?? []) {
          if (!m.ReceiptHandle || !m.MessageId) continue;
          const older = this.handleOf.get(m.MessageId);
          if (older !== undefined) this.byHandle.delete(older);
          this.byHandle.set(m.ReceiptHandle, m.MessageId);
          this.handleOf.set(m.MessageId, m.ReceiptHandle);
        }
        return;
      case 'DeleteMessage':
        this.deleted([request.ReceiptHandle]);
        return;
      case 'DeleteMessageBatch': {
        const done = new Set((answer.Successful ?? []).map((s) => s.Id));
        this.deleted((request.Entries ?? []).filter((e) => done.has(e.Id ?? '')).map((e) => e.ReceiptHandle));
        return;
      }
      default:
        return;
    }
  }

  private deleted(handles: readonly (string | undefined)[]): void {
    const ids: string[] = [];
    for (const handle of handles) {
      if (handle === undefined) continue;
      const id = this.byHandle.get(handle);
      this.byHandle.delete(handle);
      if (id !== undefined) {
        this.handleOf.delete(id);
        ids.push(id);
      }
    }
    this.journal.recordDeletes(ids);
  }
}

const JOURNALED_ACTIONS = new Set([
  'SendMessage',
  'SendMessageBatch',
  'ReceiveMessage',
  'DeleteMessage',
  'DeleteMessageBatch',
]);

const parseJson = <T>(value: unknown): T | undefined => {
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as T;
    } catch {
      return undefined;
    }
  }
  return (value ?? undefined) as T | undefined;
};

export const startSqsEmulator = async (
  options: { port?: number; journal?: QueueJournal } = {},
): Promise<SqsEmulator> => {
  const app = buildApp({ logger: false });
  if (options.journal) {
    const tap = new JournalTap(options.journal);
    app.addHook('onSend', async (request, reply, payload) => {
      const target = request.headers['x-amz-target'];
      const action = typeof target === 'string' ? target.replace('AmazonSQS.', '') : '';
      if (!JOURNALED_ACTIONS.has(action) || reply.statusCode !== 200) return payload;
      const body = parseJson<SqsJsonRequest>(request.body);
      const answer = parseJson<SqsJsonAnswer>(payload);
      if (!body || !answer) return payload;
      try {
        tap.observe(action, body, answer);
        return payload;
      } catch (error) {
        // Not on disk, so not accepted: the sender sees a failure and tries again later.
        void reply.code(500);
        return JSON.stringify({
          __type: 'com.amazonaws.sqs#InternalError',
          message: (error as Error).message,
        });
      }
    });
  }
  const address = await app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  let stopped = false;
  return {
    endpoint: address,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await app.close();
      options.journal?.close();
    },
  };
};
