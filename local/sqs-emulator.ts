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
  readonly QueueName?: string;
  readonly Attributes?: Record<string, string>;
  readonly ReceiptHandle?: string;
  readonly Entries?: readonly (SendEntry & { ReceiptHandle?: string })[];
}

interface SqsJsonAnswer {
  readonly QueueUrl?: string;
  readonly MessageId?: string;
  readonly Successful?: readonly { Id: string; MessageId?: string }[];
  readonly Messages?: readonly { MessageId?: string; ReceiptHandle?: string }[];
}

const queueNameOf = (url: string | undefined): string => (url ?? '').split('/').pop() ?? '';

/** A queue's redrive policy: after `maxReceiveCount` receives, the emulator moves a message to `deadLetterQueue`. */
interface Redrive {
  readonly deadLetterQueue: string;
  readonly maxReceiveCount: number;
}

const redriveOf = (attributes: Record<string, string> | undefined): Redrive | undefined => {
  if (!attributes?.RedrivePolicy) return undefined;
  try {
    const policy = JSON.parse(attributes.RedrivePolicy) as {
      deadLetterTargetArn?: unknown;
      maxReceiveCount?: unknown;
    };
    const count = Number(policy.maxReceiveCount);
    if (typeof policy.deadLetterTargetArn !== 'string' || !Number.isFinite(count)) return undefined;
    return { deadLetterQueue: policy.deadLetterTargetArn.split(':').pop() ?? '', maxReceiveCount: count };
  } catch {
    return undefined;
  }
};

/** The ids of the messages a queue holds (ready, delayed or in flight). */
export type QueueContent = (queue: string) => Promise<ReadonlySet<string>>;

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
  /** Receives seen per message not deleted yet (the emulator's own count restarts with the process). */
  private readonly receives = new Map<string, number>();
  private readonly redrives = new Map<string, Redrive>();
  /** Per queue, its messages received maxReceiveCount times: the next receive that reaches one moves it. */
  private readonly dueToMove = new Map<string, Set<string>>();
  /** When each dead-letter queue was last looked into (ms): once a second is enough. */
  private readonly lookedAt = new Map<string, number>();

  constructor(
    private readonly journal: QueueJournal,
    private readonly contentOf: QueueContent,
    private readonly lookEveryMs: number,
  ) {}

  async observe(action: string, request: SqsJsonRequest, answer: SqsJsonAnswer): Promise<void> {
    const queue = queueNameOf(request.QueueUrl);
    const now = Date.now();
    switch (action) {
      case 'CreateQueue':
      case 'SetQueueAttributes': {
        const name = request.QueueName ?? queue;
        const redrive = redriveOf(request.Attributes);
        if (redrive) this.redrives.set(name, redrive);
        return;
      }
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
          this.countReceive(queue, m.MessageId);
        }
        this.seenInDeadLetterQueue(
          queue,
          (answer.Messages ?? []).flatMap((m) => (m.MessageId ? [m.MessageId] : [])),
        );
        await this.journalMoves(queue, now);
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
        this.forget(id);
        ids.push(id);
      }
    }
    this.journal.recordDeletes(ids);
  }

  private countReceive(queue: string, id: string): void {
    const redrive = this.redrives.get(queue);
    if (!redrive) return;
    const count = (this.receives.get(id) ?? 0) + 1;
    this.receives.set(id, count);
    if (count < redrive.maxReceiveCount) return;
    const due = this.dueToMove.get(queue) ?? new Set<string>();
    due.add(id);
    this.dueToMove.set(queue, due);
  }

  /**
   * The emulator moves a message to its dead-letter queue inside a receive and says nothing of it.
   * Unseen, the journal would hold it under its first queue, and the next start would put parked
   * work back in line. So after a receive from a queue with messages due to move, the dead-letter
   * queue is looked at, which is rare: only work that failed maxReceiveCount times is due. A look
   * reads the whole queue, bodies and all, so it is made at most once a second: a move journaled
   * that much later is put back in its first queue only by a crash within that second.
   */
  private async journalMoves(queue: string, now: number): Promise<void> {
    const due = this.dueToMove.get(queue);
    const redrive = this.redrives.get(queue);
    if (!due || due.size === 0 || !redrive) return;
    if (now - (this.lookedAt.get(redrive.deadLetterQueue) ?? Number.NEGATIVE_INFINITY) < this.lookEveryMs)
      return;
    this.lookedAt.set(redrive.deadLetterQueue, now);
    const parked = await this.contentOf(redrive.deadLetterQueue);
    this.moved(
      [...due].filter((id) => parked.has(id)),
      redrive.deadLetterQueue,
    );
  }

  /** A receive from a dead-letter queue names what is in it: the messages due there have moved. */
  private seenInDeadLetterQueue(queue: string, ids: readonly string[]): void {
    for (const [source, redrive] of this.redrives) {
      if (redrive.deadLetterQueue !== queue) continue;
      const due = this.dueToMove.get(source);
      if (due && due.size > 0)
        this.moved(
          ids.filter((id) => due.has(id)),
          queue,
        );
    }
  }

  private moved(ids: readonly string[], deadLetterQueue: string): void {
    if (ids.length === 0) return;
    for (const id of ids) {
      this.receives.delete(id);
      for (const due of this.dueToMove.values()) due.delete(id);
    }
    this.journal.recordMoves(ids.map((id) => ({ id, queue: deadLetterQueue })));
  }

  private forget(id: string): void {
    this.handleOf.delete(id);
    this.receives.delete(id);
    for (const due of this.dueToMove.values()) due.delete(id);
  }
}

const JOURNALED_ACTIONS = new Set([
  'CreateQueue',
  'SetQueueAttributes',
  'SendMessage',
  'SendMessageBatch',
  'ReceiveMessage',
  'DeleteMessage',
  'DeleteMessageBatch',
]);

interface InspectedQueue {
  readonly messages: {
    readonly ready: readonly { messageId: string }[];
    readonly delayed: readonly { messageId: string }[];
    readonly inflight: readonly { message: { messageId: string } }[];
  };
}

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
  options: {
    port?: number;
    journal?: QueueJournal;
    /** How often at most a dead-letter queue is looked into for moves (ms); default a second. */
    deadLetterLookEveryMs?: number;
  } = {},
): Promise<SqsEmulator> => {
  const app = buildApp({ logger: false });
  if (options.journal) {
    // fauxqs's own inspection route: read-only, and answered in this process.
    const contentOf: QueueContent = async (queue) => {
      const answer = await app.inject({ method: 'GET', url: `/_fauxqs/queues/${encodeURIComponent(queue)}` });
      if (answer.statusCode !== 200) return new Set();
      const { messages } = answer.json<InspectedQueue>();
      return new Set(
        [...messages.ready, ...messages.delayed, ...messages.inflight.map((m) => m.message)].map(
          (m) => m.messageId,
        ),
      );
    };
    const tap = new JournalTap(options.journal, contentOf, options.deadLetterLookEveryMs ?? 1_000);
    app.addHook('onSend', async (request, reply, payload) => {
      const target = request.headers['x-amz-target'];
      const action = typeof target === 'string' ? target.replace('AmazonSQS.', '') : '';
      if (!JOURNALED_ACTIONS.has(action) || reply.statusCode !== 200) return payload;
      const body = parseJson<SqsJsonRequest>(request.body);
      const answer = parseJson<SqsJsonAnswer>(payload);
      if (!body || !answer) return payload;
      try {
        await tap.observe(action, body, answer);
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
