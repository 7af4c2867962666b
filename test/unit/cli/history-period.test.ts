import { describe, expect, it } from '@jest/globals';
import { historyPeriod, periodCutWarning } from '../../../cli/commands/inspect.js';
import type { Integration } from '../../../shared/store/integrations-repository.js';
import { anIntegration } from '../../support/integrations.js';

const at = (iso: string) => new Date(iso);
const RUN = { runId: 'run-1', at: '2026-01-06T10:12:00.000Z' };
/** An import of the past period [2026-01-01, 2026-01-04) whose run has completed. */
const PAST: Partial<Integration> = { importUntil: '2026-01-04T00:00:00.000Z', lastCompletedRun: RUN };

describe('historyPeriod: the period --per, the files and the console cover', () => {
  const rows: [
    rule: string,
    integration: Partial<Integration>,
    given: { from?: string; to?: string },
    completeUpTo: string | null,
    expected: { from: string; to: string; cut?: { asked: string; completeUpTo: string } },
  ][] = [
    [
      'without --to it ends at the start of the interval Complete up to falls in (that one is not complete yet)',
      { lastCompletedRun: RUN },
      {},
      '2026-01-06T10:07:00.000Z',
      { from: '2026-01-01T00:00:00.000Z', to: '2026-01-06T10:00:00.000Z' },
    ],
    [
      'a --to before Complete up to is kept as given',
      { lastCompletedRun: RUN },
      { from: '2026-01-05T00:00:00Z', to: '2026-01-06T09:10:00Z' },
      '2026-01-06T10:07:00.000Z',
      { from: '2026-01-05T00:00:00.000Z', to: '2026-01-06T09:10:00.000Z' },
    ],
    [
      'a --to later than Complete up to ends the period there: intervals never imported are not written as zeros',
      { lastCompletedRun: RUN },
      { from: '2026-01-05T00:00:00Z', to: '2026-01-08T00:00:00Z' },
      '2026-01-06T10:07:00.000Z',
      {
        from: '2026-01-05T00:00:00.000Z',
        to: '2026-01-06T10:00:00.000Z',
        cut: { asked: '2026-01-08T00:00:00.000Z', completeUpTo: '2026-01-06T10:07:00.000Z' },
      },
    ],
    [
      'before anything is imported it ends at the start of the interval now falls in',
      {},
      { to: '2026-01-08T00:00:00Z' },
      null,
      {
        from: '2026-01-01T00:00:00.000Z',
        to: '2026-01-06T12:30:00.000Z',
        cut: { asked: '2026-01-08T00:00:00.000Z', completeUpTo: '2026-01-06T12:34:00.000Z' },
      },
    ],
    [
      'a period wholly after Complete up to is empty (it ends at its start), never inverted',
      { lastCompletedRun: RUN },
      { from: '2026-01-07T00:00:00Z', to: '2026-01-08T00:00:00Z' },
      '2026-01-06T10:07:00.000Z',
      {
        from: '2026-01-07T00:00:00.000Z',
        to: '2026-01-07T00:00:00.000Z',
        cut: { asked: '2026-01-08T00:00:00.000Z', completeUpTo: '2026-01-06T10:07:00.000Z' },
      },
    ],
    [
      'an import of a past period exports its whole period once a run completed, not the never-imported days its export position ran on to',
      PAST,
      {},
      '2026-01-05T03:12:00.000Z',
      { from: '2026-01-01T00:00:00.000Z', to: '2026-01-04T00:00:00.000Z' },
    ],
    [
      'an import of a past period exports its whole period once a run completed, though its export stopped before the end (nothing happened after)',
      PAST,
      {},
      '2026-01-03T20:00:01.000Z',
      { from: '2026-01-01T00:00:00.000Z', to: '2026-01-04T00:00:00.000Z' },
    ],
    [
      'an import of a past period ends a --to past its end at its end',
      PAST,
      { to: '2026-01-10T00:00:00Z' },
      '2026-01-05T03:12:00.000Z',
      {
        from: '2026-01-01T00:00:00.000Z',
        to: '2026-01-04T00:00:00.000Z',
        cut: { asked: '2026-01-10T00:00:00.000Z', completeUpTo: '2026-01-04T00:00:00.000Z' },
      },
    ],
    [
      "an import of a past period whose first run is under way is complete up to its export's position",
      { importUntil: '2026-01-04T00:00:00.000Z' },
      {},
      '2026-01-02T05:20:00.000Z',
      { from: '2026-01-01T00:00:00.000Z', to: '2026-01-02T05:15:00.000Z' },
    ],
    [
      'the end is on the interval grid of the integration (60 minutes)',
      { intervalMinutes: 60, lastCompletedRun: RUN },
      { to: '2026-01-08T00:00:00Z' },
      '2026-01-06T10:07:00.000Z',
      {
        from: '2026-01-01T00:00:00.000Z',
        to: '2026-01-06T10:00:00.000Z',
        cut: { asked: '2026-01-08T00:00:00.000Z', completeUpTo: '2026-01-06T10:07:00.000Z' },
      },
    ],
  ];
  it.each(rows)('%s', (_rule, fields, given, completeUpTo, expected) => {
    const period = historyPeriod(
      anIntegration(fields),
      {
        ...(given.from !== undefined ? { from: at(given.from) } : {}),
        ...(given.to !== undefined ? { to: at(given.to) } : {}),
      },
      completeUpTo === null ? null : at(completeUpTo),
      at('2026-01-06T12:34:00.000Z'),
    );
    expect({
      from: period.from.toISOString(),
      to: period.to.toISOString(),
      ...(period.cut !== undefined
        ? {
            cut: {
              asked: period.cut.asked.toISOString(),
              completeUpTo: period.cut.completeUpTo.toISOString(),
            },
          }
        : {}),
    }).toEqual(expected);
  });
});

describe('periodCutWarning: one line naming the end used', () => {
  const rows: [rule: string, period: Parameters<typeof periodCutWarning>[0], expected: string | undefined][] =
    [
      [
        'a period as asked: nothing to say',
        { from: at('2026-01-05T00:00:00Z'), to: at('2026-01-06T00:00:00Z') },
        undefined,
      ],
      [
        'a period ended before its --to names the --to, how far the history is complete and the end used',
        {
          from: at('2026-01-05T00:00:00Z'),
          to: at('2026-01-06T10:00:00Z'),
          cut: { asked: at('2026-01-08T00:00:00Z'), completeUpTo: at('2026-01-06T10:07:00Z') },
        },
        '--to 2026-01-08T00:00:00.000Z is later than the history is complete (2026-01-06T10:07:00.000Z): the period ends at 2026-01-06T10:00:00.000Z; the intervals after it are not written: they are not imported, and a zero would read as a quiet interval',
      ],
      [
        'a period with nothing complete says none of it is written',
        {
          from: at('2026-01-07T00:00:00Z'),
          to: at('2026-01-07T00:00:00Z'),
          cut: { asked: at('2026-01-08T00:00:00Z'), completeUpTo: at('2026-01-06T10:07:00Z') },
        },
        '--to 2026-01-08T00:00:00.000Z is later than the history is complete (2026-01-06T10:07:00.000Z): the period ends at 2026-01-07T00:00:00.000Z, its start: none of it is written; the intervals after it are not written: they are not imported, and a zero would read as a quiet interval',
      ],
    ];
  it.each(rows)('%s', (_rule, period, expected) => {
    expect(periodCutWarning(period)).toBe(expected);
  });
});
