import { describe, expect, it } from '@jest/globals';
import {
  chartData,
  integrationsPage,
  queuePage,
  zoned,
  type QueueChart,
} from '../../../../cli/console/pages.js';
import { anIntegration } from '../../../support/integrations.js';

describe('zoned: a navigation link carries the time zone picked', () => {
  it.each<[string, string, string | undefined, string]>([
    ['no zone picked: the plain path', '/integrations/Acme/queues', undefined, '/integrations/Acme/queues'],
    ['UTC is the default: left out', '/integrations/Acme/queues', 'UTC', '/integrations/Acme/queues'],
    [
      'a zone on a path without a query: ?tz=',
      '/integrations/Acme/views',
      'Europe/Berlin',
      '/integrations/Acme/views?tz=Europe%2FBerlin',
    ],
    [
      'a zone on a path with a query: &tz=, escaped for the attribute',
      '/integrations/Acme/queue?queue=Sales',
      'America/Sao_Paulo',
      '/integrations/Acme/queue?queue=Sales&amp;tz=America%2FSao_Paulo',
    ],
  ])('%s', (_rule, path, zone, expected) => {
    expect(zoned(path, zone)).toBe(expected);
  });
});

describe("integrationsPage: an integration's buttons and links keep the zone picked", () => {
  const html = integrationsPage(
    [{ integration: anIntegration({ name: 'Acme', status: 'active' }), warnings: [], completeUpTo: null }],
    'the-csrf-token',
    undefined,
    'Europe/Berlin',
  );
  it.each<[string, string]>([
    ['the pause button posts with the zone', 'action="/integrations/Acme/pause?tz=Europe%2FBerlin"'],
    ['the delete button posts with the zone', 'action="/integrations/Acme/delete?tz=Europe%2FBerlin"'],
    [
      'the switch-credentials link carries the zone',
      'href="/integrations/Acme/credentials?tz=Europe%2FBerlin"',
    ],
  ])('%s', (_rule, fragment) => {
    expect(html).toContain(fragment);
  });
});

describe("chartData: a Support queue's chart plots its backlog beside its contacts", () => {
  const chart = (source: 'support' | 'talk', points: QueueChart['points']): QueueChart => ({
    integration: 'Acme',
    queue: source === 'talk' ? 'Calls Inbound For Sales' : 'Pending (email)',
    source,
    channel: source === 'talk' ? 'call' : 'email',
    zone: 'UTC',
    zoom: 'day',
    day: '2026-03-02',
    previousDay: '2026-03-01',
    nextDay: '2026-03-03',
    intervalMinutes: 15,
    points,
    period: { from: '2026-03-02T00:00:00.000Z', to: '2026-03-03T00:00:00.000Z' },
  });
  const point = (start: string, fields: Partial<QueueChart['points'][number]> = {}) => ({
    start,
    label: start.slice(11, 16),
    contacts: 0,
    ...fields,
  });
  it.each<[string, QueueChart, string[]]>([
    [
      'Support with the backlog recorded: contacts, then the backlog',
      chart('support', [point('2026-03-02T00:00:00.000Z', { contacts: 2, reopens: 1, backlog: 4 })]),
      ['Contacts', 'Backlog (tickets)'],
    ],
    [
      'Support recorded before the backlog: contacts only',
      chart('support', [point('2026-03-02T00:00:00.000Z', { contacts: 2 })]),
      ['Contacts'],
    ],
    [
      'Talk: contacts, handled and AHT, never a backlog',
      chart('talk', [point('2026-03-02T00:00:00.000Z', { contacts: 2, handled: 1, ahtSeconds: 300 })]),
      ['Contacts', 'Handled', 'AHT (s)'],
    ],
  ])('%s', (_rule, given, expected) => {
    expect(chartData(given).series.map((s) => s.label)).toEqual(expected);
    expect(chartData(given).countsAxis).toBe(
      expected.includes('Backlog (tickets)') ? 'contacts · tickets in backlog' : 'contacts',
    );
  });

  it("lists each interval's reopens and backlog in the table", () => {
    const html = queuePage(
      chart('support', [
        point('2026-03-02T00:00:00.000Z', { contacts: 2, reopens: 1, backlog: 4 }),
        point('2026-03-02T00:15:00.000Z', { reopens: 0, backlog: 3 }),
      ]),
      ['UTC'],
    );
    expect([...html.matchAll(/<td class="n backlog">(\d+)<\/td>/g)].map((m) => m[1])).toEqual(['4', '3']);
    expect([...html.matchAll(/<td class="n reopens">(\d+)<\/td>/g)].map((m) => m[1])).toEqual(['1', '0']);
    expect(html).toContain('<th>Reopens</th><th>Backlog</th>');
  });
});
