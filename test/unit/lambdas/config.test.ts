import { describe, expect, it } from '@jest/globals';
import { configFromEnv } from '../../../shared/config.js';
import { ALL_QUEUES } from '../../../shared/messages/queues.js';
import { ALL_TABLES } from '../../../shared/store/tables.js';

/** Every table and queue a full pipeline function is given, by its variable. */
const baseEnv = (): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(ALL_TABLES.map((t) => [t.envVar, `table-${t.key}`])),
  ...Object.fromEntries(ALL_QUEUES.map((q) => [q.envVar, `https://sqs.example/${q.key}`])),
});

describe('configFromEnv', () => {
  it('takes the defaults for what the environment does not set', () => {
    const config = configFromEnv(baseEnv());
    expect({
      maxRetryDelaySeconds: config.maxRetryDelaySeconds,
      fetchTimeBudgetMs: config.fetchTimeBudgetMs,
      ticketStateWarmUpDays: config.ticketStateWarmUpDays,
    }).toEqual({ maxRetryDelaySeconds: 900, fetchTimeBudgetMs: 45_000, ticketStateWarmUpDays: 7 });
  });

  it('reads the warm-up in days, fractions allowed', () => {
    expect(configFromEnv({ ...baseEnv(), TICKET_STATE_WARM_UP_DAYS: '0.5' }).ticketStateWarmUpDays).toBe(0.5);
    expect(configFromEnv({ ...baseEnv(), TICKET_STATE_WARM_UP_DAYS: '0' }).ticketStateWarmUpDays).toBe(0);
  });

  it('takes an empty value as unset, not as 0', () => {
    expect(configFromEnv({ ...baseEnv(), TICKET_STATE_WARM_UP_DAYS: '' }).ticketStateWarmUpDays).toBe(7);
    expect(configFromEnv({ ...baseEnv(), MAX_RETRY_DELAY_SECONDS: '' }).maxRetryDelaySeconds).toBe(900);
  });

  type Row = [value: string];
  const bad: Row[] = [['-1'], ['366'], ['a week']];
  it.each(bad)('refuses TICKET_STATE_WARM_UP_DAYS=%s, naming the variable and not its value', (value) => {
    expect(() => configFromEnv({ ...baseEnv(), TICKET_STATE_WARM_UP_DAYS: value })).toThrow(
      'Invalid environment: TICKET_STATE_WARM_UP_DAYS',
    );
  });
});
