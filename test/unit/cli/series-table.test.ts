import { describe, expect, it } from '@jest/globals';
import { seriesTable } from '../../../cli/render.js';
import { queueSeries, type HistoryQueue, type Per } from '../../../shared/domain/queue-series.js';

const talk: HistoryQueue = {
  name: 'Calls Inbound For Sales',
  channel: 'call',
  source: 'talk',
  intervals: [
    { start: '2026-03-28T23:00:00.000Z', contacts: 2, handled: 2, handleTimeSeconds: 300 },
    { start: '2026-03-29T22:00:00.000Z', contacts: 1, handled: 1, handleTimeSeconds: 60 },
  ],
};

const tableOf = (per: Per) =>
  seriesTable(
    [
      queueSeries(talk, {
        fromMs: Date.parse('2026-03-28T23:00:00Z'),
        toMs: Date.parse('2026-03-30T22:00:00Z'),
        intervalMinutes: 60,
        per,
        timeZone: 'Europe/Berlin',
      }),
    ],
    per,
    'Europe/Berlin',
  );

describe('history --per: the table', () => {
  it('a day reads as its date in the zone; each queue ends with its total, AHT over the sum', () => {
    expect(tableOf('day')).toBe(
      [
        '  day (Europe/Berlin)  queue                    contacts  handled  handle time     AHT',
        '  2026-03-29           Calls Inbound For Sales         2        2       5m 00s  2m 30s',
        '  2026-03-30           Calls Inbound For Sales         1        1       1m 00s  1m 00s',
        '  total                Calls Inbound For Sales         3        3       6m 00s  2m 00s',
      ].join('\n'),
    );
  });

  it('a week reads as the date of its Monday', () => {
    expect(tableOf('week').split('\n').slice(0, 3)).toEqual([
      '  week from Monday (Europe/Berlin)  queue                    contacts  handled  handle time     AHT',
      '  2026-03-23                        Calls Inbound For Sales         2        2       5m 00s  2m 30s',
      '  2026-03-30                        Calls Inbound For Sales         1        1       1m 00s  1m 00s',
    ]);
  });

  it("a Support queue adds reopens and the backlog at the row's end (the total's at the period's end); Talk's cells there stay empty", () => {
    const support: HistoryQueue = {
      name: 'Tier 1 (email)',
      channel: 'email',
      source: 'support',
      viewId: 7,
      intervals: [{ start: '2026-03-29T08:00:00.000Z', contacts: 3, support: { reopens: 1 } }],
      backlogSteps: [
        { start: '2026-03-29T08:00:00.000Z', backlog: 3 },
        { start: '2026-03-30T09:00:00.000Z', backlog: 1 },
      ],
    };
    const options = {
      fromMs: Date.parse('2026-03-28T23:00:00Z'),
      toMs: Date.parse('2026-03-30T22:00:00Z'),
      intervalMinutes: 60,
      per: 'day' as const,
      timeZone: 'Europe/Berlin',
    };
    expect(
      seriesTable([queueSeries(talk, options), queueSeries(support, options)], 'day', 'Europe/Berlin'),
    ).toBe(
      [
        '  day (Europe/Berlin)  queue                    contacts  handled  handle time     AHT  reopens  backlog',
        '  2026-03-29           Calls Inbound For Sales         2        2       5m 00s  2m 30s',
        '  2026-03-30           Calls Inbound For Sales         1        1       1m 00s  1m 00s',
        '  total                Calls Inbound For Sales         3        3       6m 00s  2m 00s',
        '  2026-03-29           Tier 1 (email)                  3                                      1        3',
        '  2026-03-30           Tier 1 (email)                  0                                      0        1',
        '  total                Tier 1 (email)                  3                                      1        1',
      ].join('\n'),
    );
  });

  it('says so when no queue has a history', () => {
    expect(seriesTable([], 'hour', 'UTC')).toBe('  (no queues with a history)');
  });
});
