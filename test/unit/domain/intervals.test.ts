import { describe, expect, it } from '@jest/globals';
import { bucketStart, type IntervalMinutes } from '../../../shared/domain/intervals.js';

describe('bucketStart', () => {
  const rows: [at: string, minutes: IntervalMinutes, expected: string][] = [
    ['2024-06-03T10:14:59.999Z', 15, '2024-06-03T10:00:00.000Z'],
    ['2024-06-03T10:15:00.000Z', 15, '2024-06-03T10:15:00.000Z'],
    ['2024-06-03T10:29:59.999Z', 15, '2024-06-03T10:15:00.000Z'],
    ['2024-06-03T10:44:59Z', 15, '2024-06-03T10:30:00.000Z'],
    ['2024-06-03T10:59:59.999Z', 15, '2024-06-03T10:45:00.000Z'],
    ['2024-06-03T10:29:59.999Z', 30, '2024-06-03T10:00:00.000Z'],
    ['2024-06-03T10:30:00.000Z', 30, '2024-06-03T10:30:00.000Z'],
    ['2024-06-03T10:59:59.999Z', 60, '2024-06-03T10:00:00.000Z'],
    ['2024-06-03T11:00:00.000Z', 60, '2024-06-03T11:00:00.000Z'],
    // day boundary
    ['2024-06-03T23:59:59.999Z', 15, '2024-06-03T23:45:00.000Z'],
    ['2024-06-04T00:00:00.000Z', 15, '2024-06-04T00:00:00.000Z'],
    ['2024-06-03T23:59:59.999Z', 60, '2024-06-03T23:00:00.000Z'],
    // year boundary
    ['2024-12-31T23:59:59.999Z', 15, '2024-12-31T23:45:00.000Z'],
    ['2025-01-01T00:00:00.000Z', 15, '2025-01-01T00:00:00.000Z'],
    ['2024-12-31T23:30:00.000Z', 30, '2024-12-31T23:30:00.000Z'],
    // leap day
    ['2024-02-29T12:07:00Z', 15, '2024-02-29T12:00:00.000Z'],
    // offsets are converted to UTC first: 12:14 at +02:00 is 10:14 UTC
    ['2024-06-03T12:14:00+02:00', 15, '2024-06-03T10:00:00.000Z'],
    // a timezone with a 30-minute offset must not shift the alignment
    ['2024-06-03T15:50:00+05:30', 60, '2024-06-03T10:00:00.000Z'],
  ];
  it.each(rows)('%s in %d-minute intervals → %s', (at, minutes, expected) => {
    expect(bucketStart(at, minutes)).toBe(expected);
  });

  it('takes a Date too', () => {
    expect(bucketStart(new Date('2024-06-03T10:14:59.999Z'), 15)).toBe('2024-06-03T10:00:00.000Z');
  });

  it('rejects an interval length other than 15, 30 or 60', () => {
    expect(() => bucketStart('2024-06-03T10:00:00Z', 20 as IntervalMinutes)).toThrow(
      'intervalMinutes must be 15, 30 or 60, got 20',
    );
  });

  it('rejects an instant that is not a timestamp', () => {
    expect(() => bucketStart('noon', 15)).toThrow('at is not a timestamp: "noon"');
  });
});
