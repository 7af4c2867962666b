import { describe, expect, it } from '@jest/globals';
import { createTableInput } from '../../local/provision.js';
import { ALL_QUEUES, QUEUES } from '../../shared/messages/queues.js';
import { ALL_TABLES, TABLES } from '../../shared/store/tables.js';
import { FUNCTION_SPECS } from '../../infra/function-specs.js';
import { getAtt, resourcesOf, synthesize } from './support.js';

/**
 * The stack and the local stand-in (local/provision.ts) build from the same definition
 * objects, so what runs on one machine is what runs on AWS: every table and queue of the
 * synthesized template is checked against its definition and the stand-in's CreateTable input.
 */
const { stack, template, tableId, queueId, dlqId, functionId } = synthesize();
const tables = resourcesOf(template, 'AWS::DynamoDB::Table');
const queues = resourcesOf(template, 'AWS::SQS::Queue');

describe('tables', () => {
  it('the stack builds one table per definition, from the very objects the stand-in uses', () => {
    expect(Object.keys(tables)).toHaveLength(ALL_TABLES.length);
    for (const def of ALL_TABLES) expect(stack.storage.definition(def.key)).toBe(TABLES[def.key]);
  });

  it.each(ALL_TABLES.map((t) => [t.key, t] as const))(
    '%s: keys and stream as the stand-in creates them, TTL, on-demand, point-in-time recovery',
    (key, def) => {
      const local = createTableInput(def, def.localName);
      const synthesized = tables[tableId(key)]!;
      expect(synthesized.Properties).toEqual({
        AttributeDefinitions: local.AttributeDefinitions,
        KeySchema: local.KeySchema,
        BillingMode: local.BillingMode,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        ...(local.StreamSpecification
          ? { StreamSpecification: { StreamViewType: local.StreamSpecification.StreamViewType } }
          : {}),
        ...(def.ttlAttribute
          ? { TimeToLiveSpecification: { AttributeName: def.ttlAttribute, Enabled: true } }
          : {}),
      });
      expect([synthesized.DeletionPolicy, synthesized.UpdateReplacePolicy]).toEqual(
        def.retain ? ['Retain', 'Retain'] : ['Delete', 'Delete'],
      );
    },
  );

  it('the definitions say what the stack assumes: queue-history streams, applied markers expire', () => {
    expect(TABLES.queueHistory.stream).toBe('NEW_AND_OLD_IMAGES');
    expect(TABLES.appliedMarkers.ttlAttribute).toBe('expiresAt');
    expect(tables[tableId('appliedMarkers')]!.Properties!.TimeToLiveSpecification).toEqual({
      AttributeName: 'expiresAt',
      Enabled: true,
    });
  });
});

describe('queues', () => {
  it('the stack builds one queue and one dead-letter queue per definition, from the same objects', () => {
    expect(Object.keys(queues)).toHaveLength(ALL_QUEUES.length * 2);
    for (const def of ALL_QUEUES) expect(stack.queues.definition(def.key)).toBe(QUEUES[def.key]);
  });

  it.each(ALL_QUEUES.map((q) => [q.key, q] as const))(
    '%s: FIFO flag, visibility timeout, retention and redrive of its definition',
    (key, def) => {
      const fifo = def.fifo ? { FifoQueue: true } : {};
      expect(queues[queueId(key)]!.Properties).toEqual({
        ...fifo,
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: def.retentionSeconds,
        VisibilityTimeout: def.visibilityTimeoutSeconds,
        RedrivePolicy: { deadLetterTargetArn: getAtt(dlqId(key)), maxReceiveCount: def.maxReceiveCount },
      });
      expect(queues[dlqId(key)]!.Properties).toEqual({
        ...fifo,
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: def.retentionSeconds,
      });
    },
  );

  it('each consumer runs as long as its queue definition allows, below the visibility timeout', () => {
    const lambdas = resourcesOf(template, 'AWS::Lambda::Function');
    for (const spec of Object.values(FUNCTION_SPECS)) {
      if (spec.trigger.kind !== 'queue') continue;
      const def = QUEUES[spec.trigger.queue];
      const timeout = lambdas[functionId(spec.key)]!.Properties!.Timeout as number;
      expect([spec.key, timeout]).toEqual([spec.key, def.consumerTimeoutSeconds]);
      expect(def.visibilityTimeoutSeconds).toBeGreaterThan(timeout);
    }
  });
});
