import { describe, expect, it } from '@jest/globals';
import type { Context, SQSRecord } from 'aws-lambda';
import { invoke, lambdaContext, type QueueHandler } from '../../../../local/runner/invoking.js';

const record = (messageId: string) => ({ messageId, body: messageId }) as SQSRecord;
const batch = [record('m1'), record('m2'), record('m3')];
const ids = (records: readonly SQSRecord[]) => records.map((r) => r.messageId);

describe('invoke: a handler called as the SQS event source calls it', () => {
  it('hands the batch over in one event and counts every message as succeeded when it returns nothing', async () => {
    const seen: string[][] = [];
    const handler: QueueHandler = async (event) => {
      seen.push(event.Records.map((r) => r.body));
    };
    const result = await invoke(handler, 'changes', batch);
    expect(seen).toEqual([['m1', 'm2', 'm3']]);
    expect({ succeeded: ids(result.succeeded), failed: ids(result.failed) }).toEqual({
      succeeded: ['m1', 'm2', 'm3'],
      failed: [],
    });
  });

  it('fails exactly the batch item failures it reports', async () => {
    const handler: QueueHandler = async () => ({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
    const result = await invoke(handler, 'changes', batch);
    expect({ succeeded: ids(result.succeeded), failed: ids(result.failed) }).toEqual({
      succeeded: ['m1', 'm3'],
      failed: ['m2'],
    });
  });

  it('fails the whole batch when the invocation throws', async () => {
    const handler: QueueHandler = async () => {
      throw new Error('crashed');
    };
    const result = await invoke(handler, 'updates', batch);
    expect({ succeeded: ids(result.succeeded), failed: ids(result.failed) }).toEqual({
      succeeded: [],
      failed: ['m1', 'm2', 'm3'],
    });
  });

  it("gives the handler its function's context, its remaining time counted on the run's clock", async () => {
    let now = 1_000;
    const contexts: Context[] = [];
    const handler: QueueHandler = async (_event, context) => {
      contexts.push(context);
    };
    await invoke(handler, 'fetchJobs', batch, () => now);
    const [context] = contexts;
    expect(context?.functionName).toBe('zendesk-wfm-fetchJobs');
    // fetch-jobs' consumer timeout is 120 s (shared/messages/queues.ts).
    expect(context?.getRemainingTimeInMillis()).toBe(120_000);
    now += 119_500;
    expect(context?.getRemainingTimeInMillis()).toBe(500);
    now += 1_000;
    expect(context?.getRemainingTimeInMillis()).toBe(0);
  });

  it.each([
    ['an invocation that ends within its 60 s timeout keeps its answer', 60_000, ['m1', 'm3'], ['m2'], false],
    [
      'an invocation that runs past its 60 s timeout fails whole: Lambda stops it and no answer comes',
      60_001,
      [],
      ['m1', 'm2', 'm3'],
      true,
    ],
  ])('%s', async (_rule, tookMs, succeeded, failed, timedOut) => {
    let now = 5_000;
    const handler: QueueHandler = async () => {
      now += tookMs;
      return { batchItemFailures: [{ itemIdentifier: 'm2' }] };
    };
    // The view classifier's (updates) consumer timeout is 60 s (shared/messages/queues.ts).
    const result = await invoke(handler, 'updates', batch, () => now);
    expect({
      succeeded: ids(result.succeeded),
      failed: ids(result.failed),
      tookMs: result.tookMs,
      timedOut: result.timedOut,
    }).toEqual({ succeeded, failed, tookMs, timedOut });
  });

  it('names the invoked function in the ARN the handler sees', () => {
    expect(lambdaContext('contacts', () => 0).invokedFunctionArn).toBe(
      'arn:aws:lambda:us-east-1:000000000000:function:zendesk-wfm-contacts',
    );
  });
});
