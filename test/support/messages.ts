/**
 * Messages for tests: fetch jobs, and SQS records carrying a body as a Lambda receives them.
 */
import type { SQSRecord } from 'aws-lambda';
import type { ExportFetchJob } from '../../shared/messages/fetch-job.js';
import { ACME } from './integrations.js';

/** A job of run `r1` for `ACME`, chained to the next stream unless told otherwise. */
export const fetchJob = (
  stream: ExportFetchJob['stream'],
  fields: Partial<ExportFetchJob> = {},
): ExportFetchJob => ({
  version: 1,
  integrationId: ACME.id,
  stream,
  chain: true,
  runId: 'r1',
  ...fields,
});

/** An SQS record received for the first time; a FIFO queue's when it has a group id. */
export const sqsRecord = (messageId: string, body: unknown, groupId?: string): SQSRecord => ({
  messageId,
  receiptHandle: `rh-${messageId}`,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  attributes: {
    ApproximateReceiveCount: '1',
    SentTimestamp: '0',
    SenderId: 's',
    ApproximateFirstReceiveTimestamp: '0',
    ...(groupId ? { MessageGroupId: groupId } : {}),
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q',
  awsRegion: 'us-east-1',
});
