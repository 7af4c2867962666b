import { describe, expect, it } from '@jest/globals';
import {
  isDay,
  localDay,
  localDayStart,
  localDaysPeriod,
  localTimeLabel,
  offsetMinutes,
  periodDays,
  zoomPeriod,
  type Zoom,
} from '../../../../cli/console/time-zone.js';

describe('the console calendar: stored in UTC, cut at local midnights', () => {
  it.each<[string, string, string, string]>([
    ['UTC: midnight is midnight', '2026-03-29', 'UTC', '2026-03-29T00:00:00.000Z'],
    ['Berlin in winter: an hour ahead', '2026-01-05', 'Europe/Berlin', '2026-01-04T23:00:00.000Z'],
    [
      'Berlin on the spring-forward day: still CET at midnight',
      '2026-03-29',
      'Europe/Berlin',
      '2026-03-28T23:00:00.000Z',
    ],
    ['Berlin the day after: CEST', '2026-03-30', 'Europe/Berlin', '2026-03-29T22:00:00.000Z'],
    ['New York: behind UTC', '2026-11-01', 'America/New_York', '2026-11-01T04:00:00.000Z'],
    ['Kolkata: a half-hour offset', '2026-06-01', 'Asia/Kolkata', '2026-05-31T18:30:00.000Z'],
    [
      'Santiago skips midnight in spring: the day starts at 01:00',
      '2026-09-06',
      'America/Santiago',
      '2026-09-06T04:00:00.000Z',
    ],
    [
      'Havana skips midnight in spring: the day starts at 01:00 (-04:00)',
      '2026-03-08',
      'America/Havana',
      '2026-03-08T05:00:00.000Z',
    ],
  ])('localDayStart — %s', (_rule, day, zone, expected) => {
    expect(localDayStart(day, zone).toISOString()).toBe(expected);
  });

  it.each<[string, Zoom, string, string, number]>([
    ['a spring-forward day has 23 hours', 'day', '2026-03-29', 'Europe/Berlin', 23],
    ['a fall-back day has 25 hours', 'day', '2026-10-25', 'Europe/Berlin', 25],
    ['a plain day has 24 hours', 'day', '2026-10-26', 'Europe/Berlin', 24],
    [
      'a week runs Monday to Monday, its DST hour included',
      'week',
      '2026-10-21',
      'Europe/Berlin',
      7 * 24 + 1,
    ],
    ['a month runs from its first day to the next', 'month', '2026-02-14', 'UTC', 28 * 24],
  ])('zoomPeriod — %s', (_rule, zoom, day, zone, hours) => {
    const { from, to } = zoomPeriod(zoom, day, zone);
    expect((to.getTime() - from.getTime()) / 3_600_000).toBe(hours);
  });

  it('zoomPeriod — a week starts on the Monday of the day given, at local midnight', () => {
    expect(zoomPeriod('week', '2026-10-21', 'Europe/Berlin').from.toISOString()).toBe(
      '2026-10-18T22:00:00.000Z',
    );
  });

  it.each<[string, string, string, string]>([
    [
      'the first 02:00 of a fall-back day, summer time',
      '2026-10-25T00:00:00Z',
      'Europe/Berlin',
      '2026-10-25 02:00 +02:00',
    ],
    ['the second 02:00, winter time', '2026-10-25T01:00:00Z', 'Europe/Berlin', '2026-10-25 02:00 +01:00'],
    ['a negative offset', '2026-07-01T03:30:00Z', 'America/New_York', '2026-06-30 23:30 -04:00'],
  ])('localTimeLabel — %s', (_rule, instant, zone, expected) => {
    expect(localTimeLabel(new Date(instant), zone)).toBe(expected);
  });

  it('offsetMinutes and localDay read the zone at the instant', () => {
    expect(offsetMinutes(new Date('2026-07-01T00:00:00Z'), 'Europe/Berlin')).toBe(120);
    expect(localDay(new Date('2026-07-01T23:30:00Z'), 'Europe/Berlin')).toBe('2026-07-02');
  });

  it.each<[string, string, string, string, string, string]>([
    [
      'one day in UTC is its 24 hours',
      '2026-03-29',
      '2026-03-29',
      'UTC',
      '2026-03-29T00:00:00.000Z',
      '2026-03-30T00:00:00.000Z',
    ],
    [
      'the spring-forward day in Berlin: local midnight to local midnight, 23 hours',
      '2026-03-29',
      '2026-03-29',
      'Europe/Berlin',
      '2026-03-28T23:00:00.000Z',
      '2026-03-29T22:00:00.000Z',
    ],
    [
      'the fall-back day in Berlin: 25 hours',
      '2026-10-25',
      '2026-10-25',
      'Europe/Berlin',
      '2026-10-24T22:00:00.000Z',
      '2026-10-25T23:00:00.000Z',
    ],
    [
      'a week in New York, the last day included',
      '2026-11-02',
      '2026-11-08',
      'America/New_York',
      '2026-11-02T05:00:00.000Z',
      '2026-11-09T05:00:00.000Z',
    ],
  ])('localDaysPeriod — %s', (_rule, fromDay, toDay, zone, from, to) => {
    const period = localDaysPeriod(fromDay, toDay, zone);
    expect([period.from.toISOString(), period.to.toISOString()]).toEqual([from, to]);
    // What the inputs show again is what was chosen.
    expect(periodDays(period, zone)).toEqual({ from: fromDay, to: toDay });
  });

  it('periodDays — a period ending mid-day shows that day as its last', () => {
    expect(
      periodDays(
        { from: new Date('2026-05-31T18:30:00Z'), to: new Date('2026-06-02T10:00:00Z') },
        'Asia/Kolkata',
      ),
    ).toEqual({ from: '2026-06-01', to: '2026-06-02' });
  });

  it.each<[string, boolean]>([
    ['2026-02-28', true],
    ['2026-02-30', false],
    ['2026-2-3', false],
  ])('isDay(%s) is %s', (raw, expected) => {
    expect(isDay(raw)).toBe(expected);
  });
});
