import { describe, expect, it } from '@jest/globals';
import { explainPeriod, ticketLink } from '../../../cli/commands/explain.js';
import { ACME } from '../../support/integrations.js';

const NOW = new Date('2026-01-10T09:07:00Z');

describe('explainPeriod: the intervals explain covers', () => {
  it.each<[string, Parameters<typeof explainPeriod>[0], { from: string; to: string }]>([
    [
      '--interval: the interval containing the instant',
      { interval: '2026-01-05T09:44:59Z' },
      { from: '2026-01-05T09:30:00.000Z', to: '2026-01-05T09:45:00.000Z' },
    ],
    [
      '--day: that UTC day',
      { day: '2026-01-05' },
      { from: '2026-01-05T00:00:00.000Z', to: '2026-01-06T00:00:00.000Z' },
    ],
    [
      '--from/--to: whole intervals, as history keeps them',
      { from: '2026-01-05T09:00:00Z', to: '2026-01-05T10:10:00Z' },
      { from: '2026-01-05T09:00:00.000Z', to: '2026-01-05T10:00:00.000Z' },
    ],
    [
      'nothing: the whole history, the current interval included',
      {},
      { from: new Date(ACME.importFrom).toISOString(), to: '2026-01-10T09:15:00.000Z' },
    ],
  ])('%s', (_rule, options, expected) => {
    expect(explainPeriod(options, ACME, NOW)).toEqual(expected);
  });

  it.each<[string, Parameters<typeof explainPeriod>[0], RegExp]>([
    ['two ways at once', { interval: '2026-01-05T09:00Z', day: '2026-01-05' }, /give one of them/],
    ['a day that is not a date', { day: '5 Jan' }, /--day must be a date like 2026-01-05/],
    ['an interval that is not an instant', { interval: 'soon' }, /--interval/],
  ])('refuses %s, naming the option', (_rule, options, message) => {
    expect(() => explainPeriod(options, ACME, NOW)).toThrow(message);
  });

  it("links a ticket to the agent's view in the integration's own Zendesk", () => {
    expect(ticketLink(ACME, 4711)).toBe(`https://${ACME.domain}/agent/tickets/4711`);
  });
});
