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
import { buildDeps } from '../shared/pipeline/build-deps.js';
import { isHeldIn, isLastDelivery, parkMessage, parkedWorkDeps } from '../shared/pipeline/parked-work.js';
import type { PipelineDeps, PipelineLogger } from '../shared/pipeline/deps.js';
import { SecretsManagerSecretStore } from '../shared/store/secret-store.js';

/**
 * What every Lambda of the pipeline shares: dependencies built once per container from the
 * environment (SDK clients as module-scope singletons), and the SQS consumer wiring — middy, the
 * Powertools logger, zod parsing of each record, partial batch responses (the FIFO processor with
 * skipGroupOnError on FIFO queues, so one stuck integration does not hold up the others).
 */
let envDeps: PipelineDeps | undefined;

/** The Powertools logger as the use cases see it: a message and structured fields. */
export const pipelineLogger = (logger: Logger): PipelineLogger => ({
  info: (message, extra) => logger.info(message, extra ?? {}),
  warn: (message, extra) => logger.warn(message, extra ?? {}),
  error: (message, extra) => logger.error(message, extra ?? {}),
});

export const depsFromEnvironment = (logger: Logger) => (): PipelineDeps => {
  if (!envDeps) {
    const cfg = config();
    envDeps = buildDeps({
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
    });
  }
  return envDeps;
};

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** What every message names: its integration, and what it carries, for a parked message's reason. */
interface MessageEnvelope {
  readonly integrationId: string;
  readonly stream?: string;
  readonly pageKey?: string;
  readonly type?: string;
}

export interface ConsumerSpec<M extends MessageEnvelope> {
  readonly queue: QueueKey;
  readonly schema: z.ZodType<M>;
  readonly work: (deps: PipelineDeps, message: M, context: Context) => Promise<unknown>;
}

export const sqsConsumer = <M extends MessageEnvelope>(
  spec: ConsumerSpec<M>,
  logger: Logger,
  deps: () => PipelineDeps,
): SqsHandler => {
  const fifo = QUEUES[spec.queue].fifo;
  const fifoProcessor = new SqsFifoPartialProcessorAsync();
  const processor = new BatchProcessor(EventType.SQS);

  const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const d = deps();
    const record = async (r: SQSRecord): Promise<void> => {
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
      if (canPark && isHeldIn(await d.repos.integrations.get(message.integrationId), spec.queue)) {
        // Behind parked work of its integration: parked too, so the redrive keeps their order.
        await d.deadLetters.park(spec.queue, r.body, 'behind earlier parked work', message.integrationId);
        return;
      }
      try {
        await spec.work(d, message, context);
      } catch (error) {
        if (!canPark || !isLastDelivery(spec.queue, Number(r.attributes.ApproximateReceiveCount)))
          throw error;
        await parkMessage(parkedWorkDeps(d), spec.queue, subject, r.body, (error as Error).message);
      }
    };
    return fifo
      ? processPartialResponse(event, record, fifoProcessor, { context, skipGroupOnError: true })
      : processPartialResponse(event, record, processor, { context });
  };

  return middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(handler);
};
