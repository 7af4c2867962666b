/**
 * The deployment's settings from CDK context (`cdk.json` or `-c key=value`), validated; an invalid
 * value fails synthesis with the context key named. Absent keys keep the stack's defaults.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { z } from 'zod';
import type { PipelineSettings } from './pipeline-stack.js';

const ContextSchema = z.object({
  scheduleRateMinutes: z.coerce.number().int().min(1).max(1440).optional(),
  retainData: z
    .union([z.boolean(), z.enum(['true', 'false'])])
    .transform((v) => v === true || v === 'true')
    .optional(),
  fetchMaxConcurrency: z.coerce.number().int().min(2).max(1000).optional(),
  consumerMaxConcurrency: z.coerce.number().int().min(2).max(1000).optional(),
  ticketStateWarmUpDays: z.coerce.number().min(0).max(365).optional(),
  alarmEmail: z.email().optional(),
});

export const CONTEXT_KEYS = Object.keys(ContextSchema.shape) as (keyof typeof ContextSchema.shape)[];

export const settingsFromContext = (context: (key: string) => unknown): Partial<PipelineSettings> => {
  const raw = Object.fromEntries(
    CONTEXT_KEYS.map((key) => [key, context(key)]).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = ContextSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid CDK context: ${issues}`);
  }
  const c = parsed.data;
  return {
    ...(c.scheduleRateMinutes !== undefined ? { scheduleRate: Duration.minutes(c.scheduleRateMinutes) } : {}),
    ...(c.retainData !== undefined
      ? { retainedDataRemovalPolicy: c.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY }
      : {}),
    ...(c.fetchMaxConcurrency !== undefined ? { fetchMaxConcurrency: c.fetchMaxConcurrency } : {}),
    ...(c.consumerMaxConcurrency !== undefined ? { consumerMaxConcurrency: c.consumerMaxConcurrency } : {}),
    ...(c.ticketStateWarmUpDays !== undefined ? { ticketStateWarmUpDays: c.ticketStateWarmUpDays } : {}),
    ...(c.alarmEmail !== undefined ? { alarmEmail: c.alarmEmail } : {}),
  };
};
