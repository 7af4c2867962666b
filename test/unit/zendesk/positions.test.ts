import { describe, expect, it } from '@jest/globals';
import { ZendeskExportStuckError } from '../../../shared/zendesk/errors.js';
import {
  advanceCursorPosition,
  advanceTimePosition,
  checkPosition,
  MAX_STALLED_PAGES,
  requestStartTime,
  type TimePosition,
} from '../../../shared/zendesk/positions.js';

const EVENTS = '/api/v2/incremental/ticket_events';
const NOW = 1_717_500_000;
const OLD = NOW - 86_400; // a day back: far from the head of the stream

const step = (
  from: TimePosition,
  items: { id: number; second: number }[],
  endTime: number | null,
  endOfStream: boolean | 'when_nothing_fresh',
  nowSeconds = NOW,
) =>
  advanceTimePosition({
    endpoint: EVENTS,
    from,
    requestStart: requestStartTime(from, nowSeconds),
    items,
    endTime,
    endOfStream,
    nowSeconds,
  });

describe('requestStartTime', () => {
  it.each<[string, number, number]>([
    ['an old position as is', OLD, OLD],
    ['a position within the last minute clamped to one minute ago', NOW - 10, NOW - 60],
    ['a position in the future clamped to one minute ago', NOW + 500, NOW - 60],
    ['a position exactly one minute ago as is', NOW - 60, NOW - 60],
  ])('sends %s', (_, startTime, expected) => {
    expect(requestStartTime({ startTime }, NOW)).toBe(expected);
  });
});

describe('advanceTimePosition', () => {
  it('resumes mid-stream at the boundary second and remembers the ids delivered in it', () => {
    const result = step(
      { startTime: OLD },
      [
        { id: 1, second: OLD },
        { id: 2, second: OLD + 5 },
        { id: 3, second: OLD + 9 },
        { id: 4, second: OLD + 9 },
      ],
      OLD + 9,
      false,
    );
    expect(result).toEqual({
      fresh: [0, 1, 2, 3],
      next: { startTime: OLD + 9, seen: { [String(OLD + 9)]: [3, 4] } },
      endOfStream: false,
    });
  });

  it('delivers events of the boundary second once: the known ids are dropped, the late one is kept', () => {
    const from = { startTime: OLD + 9, seen: { [String(OLD + 9)]: [3, 4] } };
    const result = step(
      from,
      [
        { id: 3, second: OLD + 9 },
        { id: 4, second: OLD + 9 },
        { id: 5, second: OLD + 9 },
        { id: 6, second: OLD + 20 },
      ],
      OLD + 20,
      false,
    );
    expect(result).toEqual({
      fresh: [2, 3],
      next: { startTime: OLD + 20, seen: { [String(OLD + 20)]: [6] } },
      endOfStream: false,
    });
  });

  it('drops a duplicate inside one page', () => {
    expect(
      step(
        { startTime: OLD },
        [
          { id: 1, second: OLD + 1 },
          { id: 1, second: OLD + 1 },
        ],
        OLD + 1,
        false,
      ).fresh,
    ).toEqual([0]);
  });

  it('at the end of the stream stores no later than now − 5 minutes and keeps the ids of that window', () => {
    const result = step(
      { startTime: NOW - 900 },
      [
        { id: 10, second: NOW - 800 },
        { id: 11, second: NOW - 299 },
        { id: 12, second: NOW - 120 },
      ],
      NOW - 120,
      true,
    );
    expect(result).toEqual({
      fresh: [0, 1, 2],
      next: { startTime: NOW - 300, seen: { [String(NOW - 299)]: [11], [String(NOW - 120)]: [12] } },
      endOfStream: true,
    });
  });

  it('re-reads the window on the next run without delivering its events twice, but delivers a late one', () => {
    const from = { startTime: NOW - 300, seen: { [String(NOW - 299)]: [11], [String(NOW - 120)]: [12] } };
    const later = NOW + 600;
    const result = step(
      from,
      [
        { id: 11, second: NOW - 299 },
        { id: 13, second: NOW - 200 }, // indexed late: it was not in the first read
        { id: 12, second: NOW - 120 },
        { id: 14, second: NOW + 400 },
      ],
      NOW + 400,
      true,
      later,
    );
    expect(result).toEqual({
      fresh: [1, 3],
      next: { startTime: later - 300, seen: { [String(NOW + 400)]: [14] } },
      endOfStream: true,
    });
  });

  it('an empty last page keeps the position (no later than now − 5 minutes)', () => {
    expect(step({ startTime: OLD }, [], null, true)).toEqual({
      fresh: [],
      next: { startTime: OLD },
      endOfStream: true,
    });
  });

  it("an end_time beyond the page's last record never skips records: the next page starts at the last record", () => {
    const result = step(
      { startTime: OLD },
      [
        { id: 1, second: OLD + 10 },
        { id: 2, second: OLD + 60 },
      ],
      OLD + 60 + 6 * 3600,
      false,
    );
    // One second past the last record at most: Zendesk never splits a second across pages.
    expect(result.next).toEqual({ startTime: OLD + 61 });
  });

  it('a page all in one second with end_time one second on (as Zendesk answers it) moves on', () => {
    const items = Array.from({ length: 1200 }, (_, i) => ({ id: i + 1, second: OLD }));
    expect(step({ startTime: OLD }, items, OLD + 1, false).next).toEqual({ startTime: OLD + 1 });
  });

  it('an end_time beyond the last record of the final page resumes at the data too', () => {
    const result = step({ startTime: OLD }, [{ id: 1, second: OLD + 10 }], NOW - 120, true);
    expect(result.next).toEqual({ startTime: OLD + 11 });
  });

  it('an end_time before the last record re-reads from end_time (the ids are known)', () => {
    const result = step({ startTime: OLD }, [{ id: 1, second: OLD + 10 }], OLD + 5, false);
    expect(result.next).toEqual({ startTime: OLD + 5, seen: { [String(OLD + 10)]: [1] } });
  });

  it("an end_time before the page's start never moves the position backwards", () => {
    const result = step({ startTime: OLD }, [{ id: 1, second: OLD + 10 }], OLD - 3600, false);
    expect(result.next).toEqual({ startTime: OLD, seen: { [String(OLD + 10)]: [1] } });
  });

  type StallRow = [
    rule: string,
    items: { id: number; second: number }[],
    endTime: number | null,
    reason: string,
  ];
  const stallRows: StallRow[] = [
    ['an empty page that is not the end', [], OLD, 'an empty page that is not the end of the stream'],
    [
      'an empty page whose end_time runs ahead of it',
      [],
      OLD + 6 * 3600,
      'an empty page that is not the end of the stream',
    ],
    [
      'a page all in its start second (1000 items sharing one second)',
      Array.from({ length: 1000 }, (_, i) => ({ id: i + 1, second: OLD })),
      OLD,
      `1000 items up to second ${OLD}, not the end of the stream`,
    ],
  ];
  it.each(stallRows)(
    'a page that does not move is asked for again %#: %s, then fails naming the endpoint and position',
    (_rule, items, endTime, reason) => {
      // The page's records were delivered before: asking again brings nothing new.
      const ids = items.map((i) => i.id);
      let from: TimePosition =
        ids.length > 0 ? { startTime: OLD, seen: { [String(OLD)]: ids } } : { startTime: OLD };
      for (let stall = 1; stall <= MAX_STALLED_PAGES; stall += 1) {
        from = step(from, items, endTime, false).next;
        expect(from.startTime).toBe(OLD);
        expect(from.stalls).toBe(stall);
      }
      expect(() => step(from, items, endTime, false)).toThrow(ZendeskExportStuckError);
      expect(() => step(from, items, endTime, false)).toThrow(
        `Zendesk ${EVENTS} does not advance from start_time ${OLD} (${new Date(OLD * 1000).toISOString()}): ${MAX_STALLED_PAGES + 1} pages in a row brought ${reason}`,
      );
    },
  );

  it('a position later than a minute before the clock (a clock behind Zendesk) waits at the head: no stall, no move', () => {
    const ahead: TimePosition = { startTime: NOW + 100, seen: { [String(NOW + 100)]: [7] } };
    // The request starts a minute before the clock and brings only records already delivered.
    const known = [
      { id: 5, second: NOW - 60 },
      { id: 7, second: NOW + 100 },
    ];
    const seenBefore: TimePosition = {
      ...ahead,
      seen: { [String(NOW - 60)]: [5], [String(NOW + 100)]: [7] },
    };
    expect(step(seenBefore, known, NOW + 100, false)).toEqual({
      fresh: [],
      next: seenBefore,
      endOfStream: true,
    });
  });

  it('a page that delivers new records in its start second is no stall', () => {
    const result = step({ startTime: OLD }, [{ id: 1, second: OLD }], OLD, false);
    expect(result.next).toEqual({ startTime: OLD, seen: { [String(OLD)]: [1] } });
  });

  it('a page that moves forgets the stalls', () => {
    const result = step({ startTime: OLD, stalls: 2 }, [{ id: 1, second: OLD + 1 }], OLD + 1, false);
    expect(result.next).toEqual({ startTime: OLD + 1, seen: { [String(OLD + 1)]: [1] } });
  });

  it('ends a Talk export when a page brings nothing new', () => {
    const first = step(
      { startTime: OLD },
      [
        { id: 1, second: OLD },
        { id: 2, second: OLD },
      ],
      OLD,
      'when_nothing_fresh',
    );
    expect(first).toEqual({
      fresh: [0, 1],
      next: { startTime: OLD, seen: { [String(OLD)]: [1, 2] } },
      endOfStream: false,
    });
    const second = step(
      first.next,
      [
        { id: 1, second: OLD },
        { id: 2, second: OLD },
      ],
      OLD,
      'when_nothing_fresh',
    );
    expect(second).toEqual({
      fresh: [],
      next: { startTime: OLD, seen: { [String(OLD)]: [1, 2] } },
      endOfStream: true,
    });
  });

  it('delivers a call again when it comes back with a later updated_at', () => {
    const from = { startTime: OLD, seen: { [String(OLD)]: [1] } };
    expect(step(from, [{ id: 1, second: OLD + 30 }], OLD + 30, 'when_nothing_fresh').fresh).toEqual([0]);
  });
});

describe('advanceCursorPosition', () => {
  const USERS = '/api/v2/incremental/users/cursor';
  const advance = (from: object, afterCursor: string | null, endOfStream: boolean) =>
    advanceCursorPosition({ endpoint: USERS, from: from as never, afterCursor, endOfStream });

  it.each<[string, object, string | null, boolean, object]>([
    ['a new cursor moves', { cursor: 'a', stalls: 1 }, 'b', false, { cursor: 'b' }],
    ['the first page of a start_time moves to its cursor', { startTime: 0 }, 'a', false, { cursor: 'a' }],
    [
      'the end of the stream with the same cursor stays, without stalls',
      { cursor: 'a', stalls: 2 },
      'a',
      true,
      { cursor: 'a' },
    ],
    ['the same cursor, not the end, is one stall', { cursor: 'a' }, 'a', false, { cursor: 'a', stalls: 1 }],
    [
      'no cursor, not the end, is one stall',
      { startTime: 0, stalls: 1 },
      null,
      false,
      { startTime: 0, stalls: 2 },
    ],
  ])('%s', (_rule, from, afterCursor, endOfStream, next) => {
    expect(advance(from, afterCursor, endOfStream)).toEqual(next);
  });

  it('an unchanged cursor fails after the bounded retries, naming the endpoint and the cursor', () => {
    expect(() => advance({ cursor: 'MTcxNw==', stalls: MAX_STALLED_PAGES }, 'MTcxNw==', false)).toThrow(
      `Zendesk ${USERS} does not advance from cursor MTcxNw==: ${MAX_STALLED_PAGES + 1} pages in a row brought the same after_cursor again, not the end of the stream`,
    );
  });
});

describe('checkPosition', () => {
  it.each<[string, object, string]>([
    ['a negative start time', { startTime: -1 }, 'position.startTime must be a non-negative integer'],
    ['a fractional start time', { startTime: 1.5 }, 'position.startTime must be a non-negative integer'],
    ['seen ids that are not integers', { startTime: 5, seen: { '5': ['a'] } }, 'position.seen.5 must map'],
    ['an empty cursor', { cursor: '' }, 'position.cursor must be a non-empty string'],
    ['a negative stall count', { cursor: 'a', stalls: -1 }, 'position.stalls must be a non-negative integer'],
  ])('rejects %s naming the field', (_, position, message) => {
    expect(() => checkPosition(position as never)).toThrow(message);
  });
});
