import { describe, expect, it } from '@jest/globals';
import { integrationDetails } from '../../../cli/render.js';
import { withAccountTimeZone } from '../../../shared/pipeline/fetch.js';
import { integrationWarnings } from '../../../shared/pipeline/integrations.js';
import type { Integration } from '../../../shared/store/integrations-repository.js';
import { ACME } from '../../support/integrations.js';

const NOW = new Date('2026-12-06T10:00:00.000Z');
const EARLIER = '2026-12-01T08:00:00.000Z';

describe('withAccountTimeZone: the zone the views’ date conditions are evaluated in, as Zendesk’s account settings name it', () => {
  it.each<[string, Integration, string | null, Integration | undefined]>([
    ['an IANA zone is kept', ACME, 'Europe/Berlin', { ...ACME, timeZone: 'Europe/Berlin' }],
    [
      'the zone already kept changes nothing',
      { ...ACME, timeZone: 'Europe/Berlin' },
      'Europe/Berlin',
      undefined,
    ],
    [
      'no zone in the answer: the zone in use stays, and the integration says so since now',
      ACME,
      null,
      { ...ACME, timeZoneUnknown: { said: null, since: NOW.toISOString() } },
    ],
    [
      'a Rails name the platform does not know ("Eastern Time (US & Canada)"): the zone in use stays, said by name',
      { ...ACME, timeZone: 'Europe/Berlin' },
      'Eastern Time (US & Canada)',
      {
        ...ACME,
        timeZone: 'Europe/Berlin',
        timeZoneUnknown: { said: 'Eastern Time (US & Canada)', since: NOW.toISOString() },
      },
    ],
    [
      'the same unknown name again changes nothing (it keeps since when)',
      { ...ACME, timeZoneUnknown: { said: 'Mars/Olympus', since: EARLIER } },
      'Mars/Olympus',
      undefined,
    ],
    [
      'another unknown name keeps since when the zone has been unknown',
      { ...ACME, timeZoneUnknown: { said: 'Mars/Olympus', since: EARLIER } },
      null,
      { ...ACME, timeZoneUnknown: { said: null, since: EARLIER } },
    ],
    [
      'a known zone named again ends the warning',
      { ...ACME, timeZone: 'Europe/Berlin', timeZoneUnknown: { said: null, since: EARLIER } },
      'Europe/Berlin',
      { ...ACME, timeZone: 'Europe/Berlin' },
    ],
  ])('%s', (_name, integration, said, expected) => {
    expect(withAccountTimeZone(integration, said, NOW)).toEqual(expected);
  });
});

describe('integration show warns while the account’s time zone is not known', () => {
  // OAuth credentials: no warning of API tokens' end beside the one shown.
  const OAUTH: Integration = { ...ACME, credentialKind: 'oauth_client_credentials' };
  it.each<[string, Integration, string[]]>([
    [
      'no zone named: UTC is used',
      { ...OAUTH, timeZoneUnknown: { said: null, since: EARLIER } },
      [
        `Zendesk's account settings name no time zone (since ${EARLIER}): the views' date conditions are evaluated in UTC. ` +
          "Choose the account's zone with `integration update --time-zone <zone>` (e.g. Europe/Berlin).",
      ],
    ],
    [
      'a name not known: the zone kept before is used',
      {
        ...OAUTH,
        timeZone: 'America/New_York',
        timeZoneUnknown: { said: 'Eastern Time (US & Canada)', since: EARLIER },
      },
      [
        `Zendesk's account time zone "Eastern Time (US & Canada)" is not an IANA zone this product knows (since ${EARLIER}): ` +
          "the views' date conditions are evaluated in America/New_York. Choose the account's zone with " +
          '`integration update --time-zone <zone>` (e.g. Europe/Berlin).',
      ],
    ],
    [
      'a zone the user chose: no warning',
      {
        ...OAUTH,
        timeZone: 'Asia/Kolkata',
        timeZoneChosen: true,
        timeZoneUnknown: { said: null, since: EARLIER },
      },
      [],
    ],
  ])('%s', (_name, integration, expected) => {
    expect(integrationWarnings(integration)).toEqual(expected);
  });
});

describe('integration show names the zone date conditions are evaluated in, and where it comes from', () => {
  it.each<[string, Partial<Integration>, string]>([
    ['before the first run', {}, "time zone         UTC (until the first run reads the account's)"],
    [
      'the account’s',
      { timeZone: 'Europe/Berlin' },
      "time zone         Europe/Berlin (the Zendesk account's)",
    ],
    [
      'chosen by the user',
      { timeZone: 'Asia/Kolkata', timeZoneChosen: true },
      'time zone         Asia/Kolkata (chosen)',
    ],
    [
      'the account’s not known',
      { timeZoneUnknown: { said: null, since: EARLIER } },
      "time zone         UTC (the account's is not known: see the warning)",
    ],
  ])('%s', (_name, fields, line) => {
    const shown = integrationDetails({ ...ACME, ...fields }, [], { completeUpTo: null }).split('\n');
    expect(shown.filter((l) => l.startsWith('time zone'))).toEqual([line]);
  });
});
