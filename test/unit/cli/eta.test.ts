import { describe, expect, it } from '@jest/globals';
import { estimateRemaining, importTimeAtExportRate, pagesLeftIn, type EtaInput } from '../../../cli/eta.js';

const DAY = 86_400_000;

describe('pages left in a stream', () => {
  it.each([
    ['done: none', { remainingMs: 0, recordsRead: 5_000, spanReadMs: DAY }, 0],
    ['not started: at least one request', { remainingMs: 300 * DAY, recordsRead: 0, spanReadMs: 0 }, 1],
    // 2,000 records a day so far, 30 days left: 60,000 records, 60 pages of 1000.
    [
      'the density so far over the time left',
      { remainingMs: 30 * DAY, recordsRead: 10_000, spanReadMs: 5 * DAY },
      60,
    ],
    ['a part of a page is a page', { remainingMs: DAY / 2, recordsRead: 100, spanReadMs: DAY }, 1],
  ])('%s', (_rule, stream, expected) => {
    expect(pagesLeftIn(stream, 1000)).toBe(expected);
  });
});

describe("the ETA knows Zendesk's export rate", () => {
  const base: EtaInput = {
    exportRequestsPerMinute: 10,
    pageSize: 1000,
    elapsedMs: 0,
    pagesRead: 0,
    streams: [],
  };

  it('a fast start does not promise more than the export rate allows (the 2 min 20 s that took 13 min 35 s)', () => {
    // 8 pages in 10 s (the client's budget had not bitten yet); 81 pages left at 10 a minute.
    const eta = estimateRemaining({
      ...base,
      elapsedMs: 10_000,
      pagesRead: 8,
      streams: [
        { remainingMs: 270 * DAY, recordsRead: 8_000, spanReadMs: 30 * DAY },
        { remainingMs: 365 * DAY, recordsRead: 0, spanReadMs: 0 },
      ],
    });
    expect(eta).toEqual({ pagesLeft: 73, remainingMs: 73 * 6_000, boundBy: 'export_rate' });
  });

  it('the High Volume add-on (30 a minute) makes each page 2 s', () => {
    const eta = estimateRemaining({
      ...base,
      exportRequestsPerMinute: 30,
      elapsedMs: 10_000,
      pagesRead: 10,
      streams: [{ remainingMs: 10 * DAY, recordsRead: 10_000, spanReadMs: 10 * DAY }],
    });
    expect(eta).toEqual({ pagesLeft: 10, remainingMs: 20_000, boundBy: 'export_rate' });
  });

  it('rate-limit waits so far slow the pace: the observed pace bounds it', () => {
    // 10 pages took 5 minutes (Zendesk's 429s said to wait): 30 s a page, slower than 6 s.
    const eta = estimateRemaining({
      ...base,
      elapsedMs: 300_000,
      pagesRead: 10,
      streams: [{ remainingMs: 4 * DAY, recordsRead: 10_000, spanReadMs: 10 * DAY }],
    });
    expect(eta).toEqual({ pagesLeft: 4, remainingMs: 120_000, boundBy: 'observed_pace' });
  });
});

describe("a year's import at Zendesk's limits (README)", () => {
  it.each([
    // 1,000,000 ticket events + 100,000 calls + 20,000 users = 1,120 requests.
    [1_120_000, 10, 112 * 60_000],
    [1_120_000, 30, (112 * 60_000) / 3],
    [250_500, 10, 251 * 6_000],
  ])('%d records at %d requests a minute: %d ms', (records, rpm, ms) => {
    expect(importTimeAtExportRate(records, rpm)).toBe(ms);
  });
});
