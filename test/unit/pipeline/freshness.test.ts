import { describe, expect, it } from '@jest/globals';
import type { HistoryFreshness } from '../../../shared/messages/freshness.js';
import { countedUpTo } from '../../../shared/pipeline/freshness.js';
import type { StreamCursor } from '../../../shared/store/cursors-repository.js';

const at = (iso: string) => Date.parse(iso) / 1000;
const run = { runId: 'run-1', at: '2026-11-02T10:05:00.000Z' };

describe('countedUpTo: how far the history is complete, as the readers are told', () => {
  const rows: [
    rule: string,
    stored: HistoryFreshness | null,
    cursor: StreamCursor | undefined,
    expected: string | null,
  ][] = [
    [
      "a completed run's freshness, as the aggregator stored it, even with the export read further since",
      { completeUpTo: '2026-11-02T10:00:00.000Z', lastCompletedRun: run },
      { position: { startTime: at('2026-11-02T11:00:00.000Z') }, seq: 9 },
      '2026-11-02T10:00:00.000Z',
    ],
    [
      'a completed run that read no ticket events: nothing complete yet',
      { completeUpTo: null, lastCompletedRun: run },
      undefined,
      null,
    ],
    [
      "before any run completed (a first import under way): the export's position",
      null,
      { position: { startTime: at('2026-11-02T09:30:00.000Z') }, seq: 3 },
      '2026-11-02T09:30:00.000Z',
    ],
    ['nothing imported: nothing complete', null, undefined, null],
  ];
  it.each(rows)('%s', async (_rule, stored, cursor, expected) => {
    const repos = {
      cursors: {
        get: (_id: string, stream: string) =>
          Promise.resolve(stream === 'ticket_events' ? cursor : undefined),
      },
      queueHistory: { freshness: (_id: string) => Promise.resolve(stored) },
    };
    expect((await countedUpTo(repos, 'i-1'))?.toISOString() ?? null).toBe(expected);
  });
});
