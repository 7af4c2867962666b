import { describe, expect, it } from '@jest/globals';
import { instantOfLocal } from '../../../shared/domain/time-zones.js';

describe('instantOfLocal: the first instant at or after a local wall-clock time', () => {
  const rows: [rule: string, day: string, hour: number, zone: string, expected: string][] = [
    ['UTC: midnight is midnight', '2026-01-05', 0, 'UTC', '2026-01-05T00:00:00.000Z'],
    [
      'a zone ahead of UTC starts its day the evening before (Berlin in winter)',
      '2026-01-05',
      0,
      'Europe/Berlin',
      '2026-01-04T23:00:00.000Z',
    ],
    ['a half-hour offset (Asia/Kolkata +05:30)', '2026-01-05', 0, 'Asia/Kolkata', '2026-01-04T18:30:00.000Z'],
    [
      'a quarter-hour offset (Asia/Kathmandu +05:45)',
      '2026-01-05',
      0,
      'Asia/Kathmandu',
      '2026-01-04T18:15:00.000Z',
    ],
    [
      'noon of a due date in the account zone (Asia/Kolkata)',
      '2026-01-05',
      12,
      'Asia/Kolkata',
      '2026-01-05T06:30:00.000Z',
    ],
    [
      'a day whose clocks go forward later starts at its midnight, still in winter time (Berlin)',
      '2026-03-29',
      0,
      'Europe/Berlin',
      '2026-03-28T23:00:00.000Z',
    ],
    [
      'a skipped time is the jump over it, never the hour before (Berlin 02:00 on 2026-03-29 is 03:00 CEST)',
      '2026-03-29',
      2,
      'Europe/Berlin',
      '2026-03-29T01:00:00.000Z',
    ],
    [
      'a repeated time is its first occurrence (Berlin 02:00 on 2026-10-25 is 02:00 CEST)',
      '2026-10-25',
      2,
      'Europe/Berlin',
      '2026-10-25T00:00:00.000Z',
    ],
    [
      'a day whose midnight is skipped starts at 01:00, not 23:00 the day before (America/Santiago)',
      '2026-09-06',
      0,
      'America/Santiago',
      '2026-09-06T04:00:00.000Z',
    ],
    [
      'a day whose midnight is skipped starts at 01:00, not 23:00 the day before (America/Havana)',
      '2026-03-08',
      0,
      'America/Havana',
      '2026-03-08T05:00:00.000Z',
    ],
    [
      'a skipped midnight east of UTC starts the day at 01:00 (Asia/Beirut)',
      '2026-03-29',
      0,
      'Asia/Beirut',
      '2026-03-28T22:00:00.000Z',
    ],
    [
      'a skipped midnight east of UTC starts the day at 01:00 (Africa/Cairo)',
      '2026-04-24',
      0,
      'Africa/Cairo',
      '2026-04-23T22:00:00.000Z',
    ],
    [
      'a half-hour jump is the jump too (Australia/Lord_Howe 02:00 on 2026-10-04 is 02:30 +11:00)',
      '2026-10-04',
      2,
      'Australia/Lord_Howe',
      '2026-10-03T15:30:00.000Z',
    ],
    [
      'a day that does not exist starts where the next one does (Pacific/Apia, 2011-12-30)',
      '2011-12-30',
      0,
      'Pacific/Apia',
      '2011-12-30T10:00:00.000Z',
    ],
  ];
  it.each(rows)('%s', (_rule, day, hour, zone, expected) => {
    expect(new Date(instantOfLocal(day, hour, zone)).toISOString()).toBe(expected);
  });
});
