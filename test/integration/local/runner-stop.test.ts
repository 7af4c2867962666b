import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { SQSEvent } from 'aws-lambda';
import { clientConfig } from '../../../shared/aws.js';
import { createQueues } from '../../../local/provision.js';
import { queueDepth, runPipelineUntilIdle, type PipelineHandlers } from '../../../local/runner.js';
import { startSqsEmulator, type SqsEmulator } from '../../../local/sqs-emulator.js';
import { ALL_QUEUES } from '../../../shared/messages/queues.js';

describe('stopping a local run (serve stops within seconds, the queues keep what is left)', () => {
  let emulator: SqsEmulator | undefined;
  let sqs: SQSClient | undefined;
  afterEach(async () => {
    sqs?.destroy();
    await emulator?.stop();
  });

  it('finishes the invocation in hand, receives nothing more, and leaves the rest queued', async () => {
    emulator = await startSqsEmulator();
    sqs = new SQSClient(clientConfig(emulator.endpoint));
    const queueUrls = await createQueues(sqs, ALL_QUEUES);
    for (const n of [1, 2, 3])
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrls.contacts,
          MessageBody: `{"n":${n}}`,
          MessageGroupId: 'acme',
          MessageDeduplicationId: `m${n}`,
        }),
      );
    const handled: string[] = [];
    let release: () => void = () => undefined;
    let started: () => void = () => undefined;
    const inHand = new Promise<void>((r) => (started = r));
    const none = () => Promise.resolve();
    const handlers: PipelineHandlers = {
      fetchJobs: none,
      changes: none,
      updates: none,
      contacts: async (event: SQSEvent) => {
        started();
        await new Promise<void>((r) => (release = r));
        handled.push(...event.Records.map((r) => r.body));
      },
    };
    const stop = new AbortController();
    const run = runPipelineUntilIdle({ sqs, queueUrls }, handlers, { batchSize: 1, signal: stop.signal });
    await inHand;
    stop.abort();
    release();
    const report = await run;
    expect(handled).toEqual(['{"n":1}']);
    expect(report.delivered).toBe(1);
    expect(await queueDepth({ sqs, queueUrls }, 'contacts')).toBe(2);
  });
});
