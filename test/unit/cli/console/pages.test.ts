import { describe, expect, it } from '@jest/globals';
import { integrationsPage, zoned } from '../../../../cli/console/pages.js';
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
