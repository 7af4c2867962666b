/**
 * What every Lambda of the pipeline shares: its AWS clients built once per container from the
 * environment (module-scope singletons), from which each handler builds only its own use case's
 * dependencies, and the SQS consumer wiring — middy, the Powertools logger, zod parsing of each
 * record, partial batch responses (the FIFO processor with skipGroupOnError on FIFO queues, so one
 * stuck integration does not hold up the others).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import {
  BatchProcessor,
  EventType,
  SqsFifoPartialProcessorAsync,
  processPartialResponse,
} from '@aws-lambda-powertools/batch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { z } from 'zod';
import { clientConfig, withoutSdkCallLogging } from '../shared/aws.js';
import { config } from '../shared/config.js';
import { MalformedMessageError, parseMessage } from '../shared/messages/issues.js';
import { QUEUES, type QueueKey } from '../shared/messages/queues.js';
import type { FunctionClients } from '../shared/pipeline/build-deps.js';
import type { ConsumerDeps, PipelineLogger } from '../shared/pipeline/deps.js';
import {
  mayHaveFailedOut,
  verdictAfterFailure,
  verdictAfterRateLimit,
  verdictBeforeWork,
  type ParkVerdict,
} from '../shared/pipeline/failed-deliveries.js';
import { failureKindOf } from '../shared/pipeline/integration-status.js';
import { isHeldIn, parkMessage } from '../shared/pipeline/parked-work.js';
import type { FailureKind } from '../shared/store/integrations-repository.js';
import { ZendeskRateLimitedError } from '../shared/pipeline/rate-limited.js';
import { SecretsManagerSecretStore } from '../shared/store/secret-store.js';
import { AFTER_LAST_REQUEST_MS, withTimeLeft } from '../shared/pipeline/time-left.js';
import { MIN_ATTEMPT_MS } from '../shared/zendesk/transport.js';
import { ZendeskOutOfTimeError } from '../shared/zendesk/errors.js';

/**
 * Less of the invocation's time than this, and a record is not started: handed back unread, visible
 * again at once for the next invocation, no failure of its own. Its work could not read what it
 * needs (5 s set aside), send one Zendesk request and still write what it did before Lambda stops
 * the invocation. A record whose work then finds too little time for its first Zendesk request
 * (`ZendeskOutOfTimeError` before any attempt) is handed back the same way.
 */
export const MIN_TIME_TO_START_MS = AFTER_LAST_REQUEST_MS + MIN_ATTEMPT_MS + 5_000;

/** Thrown for a record not started: too little of the invocation's time was left. */
class LeftForNextInvocation extends Error {
  override readonly name = 'LeftForNextInvocation';
}

let envClients: FunctionClients | undefined;

/** The Powertools logger as the use cases see it: a message and structured fields. */
export const pipelineLogger = (logger: Logger): PipelineLogger => ({
  info: (message, extra) => logger.info(message, extra ?? {}),
  warn: (message, extra) => logger.warn(message, extra ?? {}),
  error: (message, extra) => logger.error(message, extra ?? {}),
});

export const clientsFromEnvironment = (logger: Logger): FunctionClients => {
  if (!envClients) {
    const cfg = config();
    envClients = {
      dynamodb: new DynamoDBClient(clientConfig(cfg.endpoints.dynamodb)),
      sqs: withoutSdkCallLogging(new SQSClient(clientConfig(cfg.endpoints.sqs))),
      tables: cfg.tables,
      queues: cfg.queues,
      dlqs: cfg.dlqs,
      secrets: new SecretsManagerSecretStore(
        new SecretsManagerClient(clientConfig(cfg.endpoints.secretsManager)),
      ),
      logger: pipelineLogger(logger),
      settings: {
        maxRetryDelaySeconds: cfg.maxRetryDelaySeconds,
        fetchTimeBudgetMs: cfg.fetchTimeBudgetMs,
        ticketStateWarmUpDays: cfg.ticketStateWarmUpDays,
      },
    };
  }
  return envClients;
};

/** A handler's dependencies, built on its first invocation (not at import: the bundle loads without AWS configuration). */
export const depsFromEnvironment = <D>(logger: Logger, build: (clients: FunctionClients) => D) => {
  let deps: D | undefined;
  return (): D => (deps ??= build(clientsFromEnvironment(logger)));
};

/**
 * A record refused by Zendesk comes back when Zendesk allows, with the records of its FIFO group
 * that were failed behind it (they hold the group until they are visible again): their visibility
 * is set to the Retry-After before they are reported failed.
 */
const delayRateLimited = async (
  d: ConsumerDeps,
  queue: QueueKey,
  records: readonly SQSRecord[],
  retryAfter: ReadonlyMap<string, number>,
  groupOf: (r: SQSRecord) => string,
) => {
  const byDelay = new Map<number, string[]>();
  for (const r of records) {
    const seconds = retryAfter.get(groupOf(r));
    if (seconds === undefined) continue;
    byDelay.set(seconds, [...(byDelay.get(seconds) ?? []), r.receiptHandle]);
  }
  for (const [seconds, handles] of byDelay) {
    await d.visibility.delay(queue, handles, seconds);
    d.logger.info('rate limited by Zendesk: messages visible again after Retry-After', {
      queue,
      messages: handles.length,
      retryAfterSeconds: seconds,
    });
  }
};

/**
 * The records left for the next invocation, with those of their FIFO group failed behind them:
 * visible again at once (the queue's visibility timeout would hold them, and their group, for
 * minutes). They were not tried, so their receive is a wait (`recordWaitedBehind`), not a failure.
 */
const handBack = async (
  d: ConsumerDeps,
  queue: QueueKey,
  records: readonly SQSRecord[],
  groups: ReadonlySet<string>,
  groupOf: (r: SQSRecord) => string,
) => {
  const handles = records.filter((r) => groups.has(groupOf(r))).map((r) => r.receiptHandle);
  await d.visibility.delay(queue, handles, 0);
  d.logger.info("left for the next invocation: too little of this one's time left", {
    queue,
    messages: handles.length,
  });
};

/**
 * The records of a FIFO batch handed back unread behind an earlier record of their group that
 * failed or waited: this receive is no failure of theirs (shared/pipeline/failed-deliveries.ts).
 * A record that cannot be written only makes that receive count as a failure.
 */
const recordWaitedBehind = async (d: ConsumerDeps, queue: QueueKey, records: readonly SQSRecord[]) => {
  for (const r of records) {
    try {
      await d.deliveries.recordWaitedBehind(queue, r.messageId, Number(r.attributes.ApproximateReceiveCount));
    } catch (error) {
      d.logger.warn(
        'a wait behind an earlier message could not be recorded; it counts as a failed delivery',
        {
          queue,
          messageId: r.messageId,
          error: (error as Error).message,
        },
      );
    }
  }
};

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** What every message names: its integration, and what it carries, for a parked message's reason. */
interface MessageEnvelope {
  readonly integrationId: string;
  readonly stream?: string;
  readonly pageKey?: string;
  readonly type?: string;
}

export interface ConsumerSpec<M extends MessageEnvelope, D> {
  readonly queue: QueueKey;
  readonly schema: z.ZodType<M>;
  readonly work: (deps: D, message: M, context: Context) => Promise<unknown>;
}

export const sqsConsumer = <M extends MessageEnvelope, D extends ConsumerDeps>(
  spec: ConsumerSpec<M, D>,
  logger: Logger,
  deps: () => D,
): SqsHandler => {
  const fifo = QUEUES[spec.queue].fifo;
  const fifoProcessor = new SqsFifoPartialProcessorAsync();
  const processor = new BatchProcessor(EventType.SQS);

  const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const d = deps();
    // Retry-After per FIFO group (per message on a standard queue) of the records Zendesk refused.
    const retryAfter = new Map<string, number>();
    const groupOf = (r: SQSRecord) => r.attributes.MessageGroupId ?? r.messageId;
    // The records handed to `record`; the other failed ones were handed back behind their group.
    const attempted = new Set<string>();
    // Whether an integration is held behind parked work, read once per batch (a batch is mostly one
    // integration's messages) and set when this batch parks one of its messages.
    const held = new Map<string, boolean>();
    const isHeld = async (integrationId: string): Promise<boolean> => {
      const known = held.get(integrationId);
      if (known !== undefined) return known;
      const now = isHeldIn(await d.parkedWork.integrations.get(integrationId), spec.queue);
      held.set(integrationId, now);
      return now;
    };
    // Groups whose next record was left for the next invocation (per message on a standard queue).
    const leftForNext = new Set<string>();
    const record = async (r: SQSRecord): Promise<void> => {
      if (context.getRemainingTimeInMillis() < MIN_TIME_TO_START_MS) {
        leftForNext.add(groupOf(r));
        throw new LeftForNextInvocation(`${r.messageId} left for the next invocation`);
      }
      attempted.add(r.messageId);
      let message: M;
      try {
        message = parseMessage(QUEUES[spec.queue].localName, spec.schema, r.body);
      } catch (error) {
        if (!(error instanceof MalformedMessageError) || !d.deadLetters.canPark(spec.queue)) throw error;
        d.logger.error('malformed message parked in the dead-letter queue', {
          queue: spec.queue,
          messageId: r.messageId,
          reason: error.reason,
        });
        await d.deadLetters.park(spec.queue, r.body, error.reason, r.attributes.MessageGroupId);
        return;
      }
      const subject = {
        integrationId: message.integrationId,
        ...(message.stream !== undefined ? { stream: message.stream } : {}),
        ...(message.pageKey !== undefined ? { pageKey: message.pageKey } : {}),
        ...(message.type !== undefined ? { type: message.type } : {}),
      };
      const canPark = d.deadLetters.canPark(spec.queue);
      if (canPark && (await isHeld(message.integrationId))) {
        // Behind parked work of its integration: parked too, so the redrive keeps their order.
        await d.deadLetters.park(spec.queue, r.body, 'behind earlier parked work', message.integrationId);
        return;
      }
      const receiveCount = Number(r.attributes.ApproximateReceiveCount);
      const park = async (verdict: ParkVerdict, kind: FailureKind = 'work_failed'): Promise<boolean> => {
        if (!verdict.park) return false;
        await parkMessage(d.parkedWork, spec.queue, subject, r.body, verdict.reason, kind);
        held.set(message.integrationId, true);
        return true;
      };
      const history = () => d.deliveries.history(spec.queue, r.messageId);
      if (canPark && mayHaveFailedOut(spec.queue, receiveCount - 1)) {
        if (await park(verdictBeforeWork(spec.queue, receiveCount, await history()))) return;
      }
      try {
        await spec.work(d, message, context);
      } catch (error) {
        if (error instanceof ZendeskOutOfTimeError && error.attempts === 0) {
          // Nothing was asked of Zendesk: not tried, as a record not started.
          attempted.delete(r.messageId);
          leftForNext.add(groupOf(r));
          throw error;
        }
        if (error instanceof ZendeskRateLimitedError) {
          // Zendesk said when: a wait, never a delivery that counts towards parking, up to a bound.
          if (canPark) {
            const waited = await d.deliveries.recordRateLimited(
              spec.queue,
              r.messageId,
              receiveCount,
              d.parkedWork.now(),
            );
            const verdict = verdictAfterRateLimit(
              spec.queue,
              receiveCount,
              waited,
              error,
              d.parkedWork.now(),
            );
            if (await park(verdict, 'rate_limited')) return;
          }
          const group = groupOf(r);
          retryAfter.set(group, Math.max(retryAfter.get(group) ?? 0, error.retryAfterSeconds));
          throw error;
        }
        if (!canPark || !mayHaveFailedOut(spec.queue, receiveCount)) throw error;
        if (
          !(await park(
            verdictAfterFailure(spec.queue, receiveCount, await history(), (error as Error).message),
            failureKindOf(error),
          ))
        )
          throw error;
      }
    };
    // A batch that fails whole is reported like any other (Lambda retries it all the same), so the
    // rate-limited records among it still get their visibility set.
    const response = fifo
      ? await processPartialResponse(event, record, fifoProcessor, {
          context,
          skipGroupOnError: true,
          throwOnFullBatchFailure: false,
        })
      : await processPartialResponse(event, record, processor, { context, throwOnFullBatchFailure: false });
    const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
    const failedRecords = event.Records.filter((r) => failed.has(r.messageId));
    if (retryAfter.size > 0) await delayRateLimited(d, spec.queue, failedRecords, retryAfter, groupOf);
    if (leftForNext.size > 0) await handBack(d, spec.queue, failedRecords, leftForNext, groupOf);
    // Not tried: behind a failed record of their FIFO group, or left for the next invocation.
    if ((fifo || leftForNext.size > 0) && d.deadLetters.canPark(spec.queue))
      await recordWaitedBehind(
        d,
        spec.queue,
        failedRecords.filter((r) => !attempted.has(r.messageId)),
      );
    return response;
  };

  return middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler((event, context) =>
      withTimeLeft(
        () => context.getRemainingTimeInMillis(),
        () => handler(event, context),
      ),
    );
};
