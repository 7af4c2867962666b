import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { clientConfig } from '../../../shared/aws.js';
import { redriveDeadLetters } from '../../../local/dead-letters.js';
import { restorePending, startLocalStack } from '../../../local/local-stack.js';
import { createQueues } from '../../../local/provision.js';
import { QueueJournal } from '../../../local/queue-journal.js';
import { startSqsEmulator, type SqsEmulator } from '../../../local/sqs-emulator.js';
import { QUEUES } from '../../../shared/messages/queues.js';

/** The emulator with its journal, as a local install runs it: what a restart would put back. */
describe('the SQS emulator journals what its queues hold (issue: crash-safe local mode)', () => {
  let dir: string;
  let file: string;
  let emulator: SqsEmulator | undefined;
  let sqs: SQSClient | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'emulator-journal-'));
    file = join(dir, 'queue-journal.jsonl');
  });
  afterEach(async () => {
    sqs?.destroy();
    await emulator?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sent and not deleted is pending after the process is gone, with its group, deduplication id and delay', async () => {
    const opened = QueueJournal.open(file);
    emulator = await startSqsEmulator({ journal: opened.journal });
    sqs = new SQSClient(clientConfig(emulator.endpoint));
    const urls = await createQueues(sqs, [QUEUES.changes, QUEUES.fetchJobs]);
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: urls.changes,
        Entries: ['p1', 'p2', 'p3'].map((p) => ({
          Id: p,
          MessageBody: `{"page":"${p}"}`,
          MessageGroupId: 'acme',
          MessageDeduplicationId: `dedup-${p}`,
        })),
      }),
    );
    await sqs.send(
      new SendMessageCommand({ QueueUrl: urls.fetchJobs, MessageBody: '{"job":1}', DelaySeconds: 30 }),
    );
    // p1 is received and processed (deleted); p2 is received and in flight when the process dies.
    const receive = async () =>
      (await sqs!.send(new ReceiveMessageCommand({ QueueUrl: urls.changes, MaxNumberOfMessages: 1 })))
        .Messages?.[0];
    const first = await receive();
    expect(first?.Body).toBe('{"page":"p1"}');
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: urls.changes,
        Entries: [{ Id: 'a', ReceiptHandle: first?.ReceiptHandle }],
      }),
    );
    expect((await receive())?.Body).toBe('{"page":"p2"}');

    const after = QueueJournal.open(file);
    after.journal.close();
    expect(
      after.pending.map(({ id: _id, notBefore, ...m }) => ({ ...m, delayed: notBefore !== undefined })),
    ).toEqual([
      {
        queue: QUEUES.changes.localName,
        body: '{"page":"p2"}',
        groupId: 'acme',
        deduplicationId: 'dedup-p2',
        delayed: false,
      },
      {
        queue: QUEUES.changes.localName,
        body: '{"page":"p3"}',
        groupId: 'acme',
        deduplicationId: 'dedup-p3',
        delayed: false,
      },
      { queue: QUEUES.fetchJobs.localName, body: '{"job":1}', delayed: true },
    ]);
  });

  it('a deduplicated send changes nothing at the next start: a processed message stays gone, a queued one keeps its body', async () => {
    const opened = QueueJournal.open(file);
    emulator = await startSqsEmulator({ journal: opened.journal });
    sqs = new SQSClient(clientConfig(emulator.endpoint));
    const urls = await createQueues(sqs, [QUEUES.changes]);
    const send = (page: string) =>
      sqs!.send(
        new SendMessageCommand({
          QueueUrl: urls.changes,
          MessageBody: `{"page":"${page}"}`,
          MessageGroupId: 'acme',
          MessageDeduplicationId: `dedup-${page}`,
        }),
      );
    const first = await send('p1');
    const received = (
      await sqs.send(new ReceiveMessageCommand({ QueueUrl: urls.changes, MaxNumberOfMessages: 1 }))
    ).Messages?.[0];
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: urls.changes,
        Entries: [{ Id: 'a', ReceiptHandle: received?.ReceiptHandle }],
      }),
    );
    // The same page sent again (a fetch that read it again): SQS accepts it and enqueues nothing.
    const again = await send('p1');
    expect(again.MessageId).toBe(first.MessageId);
    // p3 sent twice while the first is in the queue, the second saying less: the queue keeps the first.
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: urls.changes,
        MessageBody: '{"page":"p3"}',
        MessageGroupId: 'acme',
        MessageDeduplicationId: 'dedup-p3',
      }),
    );
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: urls.changes,
        MessageBody: '{"page":"p3","fewer":true}',
        MessageGroupId: 'acme',
        MessageDeduplicationId: 'dedup-p3',
      }),
    );
    const batch = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: urls.changes,
        Entries: ['p1', 'p2', 'p2'].map((p, n) => ({
          Id: `e${n}`,
          MessageBody: `{"page":"${p}"}`,
          MessageGroupId: 'acme',
          MessageDeduplicationId: `dedup-${p}`,
        })),
      }),
    );
    expect(batch.Successful?.length).toBe(3);

    const after = QueueJournal.open(file);
    after.journal.close();
    expect(after.pending.map((m) => m.body)).toEqual(['{"page":"p3"}', '{"page":"p2"}']);
  });

  it.each([
    ['seen by a look into the dead-letter queue after a receive', { deadLetterLookEveryMs: 0 }, false],
    [
      'seen by a receive from the dead-letter queue (looks are at most once a second)',
      { deadLetterLookEveryMs: 3_600_000 },
      true,
    ],
  ])(
    "a message the emulator's redrive policy parks stays parked at the next start, not back in its queue: %s",
    async (_way, lookOptions, receiveFromDeadLetters) => {
      const opened = QueueJournal.open(file);
      emulator = await startSqsEmulator({ journal: opened.journal, ...lookOptions });
      sqs = new SQSClient(clientConfig(emulator.endpoint));
      const created = async (name: string, attributes: Record<string, string>) =>
        (await sqs!.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl!;
      const dlqUrl = await created('work-dlq.fifo', { FifoQueue: 'true' });
      const dlqArn = (
        await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))
      ).Attributes?.QueueArn;
      const workUrl = await created('work.fifo', {
        FifoQueue: 'true',
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }),
      });
      for (const page of ['p1', 'p2'])
        await sqs.send(
          new SendMessageCommand({
            QueueUrl: workUrl,
            MessageBody: `{"page":"${page}"}`,
            MessageGroupId: 'acme',
            MessageDeduplicationId: `dedup-${page}`,
          }),
        );
      // p1 fails twice (received, never deleted); the third receive moves it and hands out p2.
      const receive = async (url: string) =>
        (
          await sqs!.send(
            new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1, VisibilityTimeout: 0 }),
          )
        ).Messages?.[0]?.Body;
      expect(await receive(workUrl)).toBe('{"page":"p1"}');
      expect(await receive(workUrl)).toBe('{"page":"p1"}');
      expect(await receive(workUrl)).toBe('{"page":"p2"}');
      // The sweep for parked work reads the dead-letter queue; the other way nobody does.
      const swept = receiveFromDeadLetters ? await receive(dlqUrl) : null;
      expect(swept).toBe(receiveFromDeadLetters ? '{"page":"p1"}' : null);

      const after = QueueJournal.open(file);
      after.journal.close();
      expect(after.pending.map((m) => [m.queue, m.body])).toEqual([
        ['work-dlq.fifo', '{"page":"p1"}'],
        ['work.fifo', '{"page":"p2"}'],
      ]);
    },
  );

  it('two queued messages that share a deduplication id (the second sent after the interval) are both queued again at the next start', async () => {
    emulator = await startSqsEmulator();
    sqs = new SQSClient(clientConfig(emulator.endpoint));
    const urls = await createQueues(sqs, [QUEUES.contacts]);
    const page = (id: string, body: string) => ({
      queue: QUEUES.contacts.localName,
      id,
      body,
      groupId: 'acme',
      deduplicationId: 'dedup-p1',
    });
    await restorePending(sqs, new Map([[QUEUES.contacts.localName, urls.contacts]]), [
      page('m1', '{"page":"p1"}'),
      page('m2', '{"page":"p1","again":true}'),
    ]);
    const bodies: string[] = [];
    for (;;) {
      const messages = (
        await sqs.send(new ReceiveMessageCommand({ QueueUrl: urls.contacts, MaxNumberOfMessages: 10 }))
      ).Messages;
      if (messages === undefined || messages.length === 0) break;
      for (const m of messages) bodies.push(m.Body ?? '');
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: urls.contacts,
          Entries: messages.map((m, n) => ({ Id: `d${n}`, ReceiptHandle: m.ReceiptHandle })),
        }),
      );
    }
    expect(bodies).toEqual(['{"page":"p1"}', '{"page":"p1","again":true}']);
  });

  it('a redrive that died after putting a parked message back and before deleting it from the dead-letter queue: the next start holds the work once, in its queue, and nothing parked', async () => {
    const opened = QueueJournal.open(file);
    emulator = await startSqsEmulator({ journal: opened.journal });
    sqs = new SQSClient(clientConfig(emulator.endpoint));
    const urls = await createQueues(sqs, [QUEUES.fetchJobs]);
    const dlq = (await sqs.send(new GetQueueUrlCommand({ QueueName: QUEUES.fetchJobs.dlqLocalName })))
      .QueueUrl!;
    const body = JSON.stringify({ integrationId: 'acme', stream: 'ticket_events' });
    await sqs.send(new SendMessageCommand({ QueueUrl: dlq, MessageBody: body }));
    // The process dies at the redrive's delete: its send went through, its delete never does.
    const dying = {
      send: (command: object) => {
        if (command instanceof DeleteMessageBatchCommand) throw new Error('killed');
        return sqs!.send(command as never);
      },
    } as unknown as SQSClient;
    const integrations = { get: async () => undefined, list: async () => [], modify: async () => undefined };
    await expect(
      redriveDeadLetters(
        { sqs: dying, queueUrls: { ...urls }, dlqUrls: { ...urls, fetchJobs: dlq } },
        integrations,
        () => new Date(),
      ),
    ).rejects.toThrow('killed');
    sqs.destroy();
    sqs = undefined;
    await emulator.stop();
    emulator = undefined;

    const next = await startLocalStack({ tables: [], queues: [QUEUES.fetchJobs], queueJournalFile: file });
    try {
      const bodiesIn = async (url: string) =>
        (
          (await next.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 })))
            .Messages ?? []
        ).map((m) => m.Body);
      expect(next.restoredMessages).toBe(1);
      expect(await bodiesIn(next.dlqUrls.fetchJobs)).toEqual([]);
      expect(await bodiesIn(next.queueUrls.fetchJobs)).toEqual([body]);
    } finally {
      await next.stop();
    }
  });
});
