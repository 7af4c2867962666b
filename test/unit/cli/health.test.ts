import { describe, expect, it } from '@jest/globals';
import {
  behindWarning,
  clockTime,
  exitCodeOf,
  fixCommand,
  healthLine,
  healthOf,
  lag,
  newContacts,
} from '../../../cli/health.js';
import { integrationWarnings } from '../../../shared/pipeline/integrations.js';
import type { FailureKind, Integration } from '../../../shared/store/integrations-repository.js';

const NOW = new Date('2026-12-02T14:20:00.000Z');

const acme: Integration = {
  id: 'i-1',
  name: 'Acme',
  domain: 'acme.zendesk.com',
  username: 'admin@acme.example',
  credentialKind: 'oauth_client_credentials',
  groupingStrategy: 'ivr',
  intervalMinutes: 15,
  historyDays: 30,
  importFrom: '2026-11-01T00:00:00.000Z',
  status: 'active',
  statusReason: null,
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-12-02T14:05:00.000Z',
};

const failing = (kind: FailureKind, parked: boolean, reason = 'why'): Integration => ({
  ...acme,
  status: 'failing',
  statusReason: reason,
  failure: { kind, since: '2026-12-02T14:05:00.000Z' },
  ...(parked
    ? {
        parked: [
          { queue: 'fetchJobs', reason, concerns: 'the users stream', since: '2026-12-02T14:05:00.000Z' },
        ],
      }
    : {}),
});

const line = (integration: Integration, contacts: number, upTo: Date | null, retrying?: string) =>
  healthLine(
    healthOf({ integration, newContacts: contacts, completeUpTo: upTo, now: NOW, dataDir: './wfm-data' }),
    NOW,
    retrying,
  );

describe('the plain line per integration per run', () => {
  it.each<
    [
      rule: string,
      integration: Integration,
      contacts: number,
      upTo: Date | null,
      retrying: string | undefined,
      expected: string,
    ]
  >([
    [
      'current: what the run added and how far the history is complete',
      acme,
      12,
      new Date('2026-12-02T14:05:00Z'),
      undefined,
      'Acme: 12 new contacts, complete up to 14:05 UTC',
    ],
    [
      'one contact is singular',
      acme,
      1,
      new Date('2026-12-02T14:05:00Z'),
      undefined,
      'Acme: 1 new contact, complete up to 14:05 UTC',
    ],
    [
      'before the first import: nothing imported yet',
      acme,
      0,
      null,
      undefined,
      'Acme: 0 new contacts, nothing imported yet',
    ],
    [
      'behind: more than 30 minutes, with how far',
      acme,
      1_234,
      new Date('2026-12-02T11:08:00Z'),
      undefined,
      'Acme: behind by 3 h 12 min: 1,234 new contacts, complete up to 11:08 UTC',
    ],
    [
      'another day: the date is said',
      acme,
      0,
      new Date('2026-11-30T23:00:00Z'),
      undefined,
      'Acme: behind by 1 day 15 h: 0 new contacts, complete up to 2026-11-30 23:00 UTC',
    ],
    [
      'Zendesk unreachable, serve retrying: since when, why, what it does',
      failing('zendesk_unreachable', true, 'ECONNREFUSED'),
      0,
      new Date('2026-12-02T14:00:00Z'),
      'retrying every 5 min',
      'Acme: failing since 14:05 UTC: Zendesk unreachable (ECONNREFUSED); retrying every 5 min',
    ],
    [
      'credentials refused: the command that fixes it',
      failing('credentials_refused', false, "Couldn't authenticate you"),
      0,
      null,
      undefined,
      "Acme: failing since 14:05 UTC: Zendesk refuses the credentials (Couldn't authenticate you); to fix: `zendesk-wfm integration set-credentials Acme --data-dir ./wfm-data …`",
    ],
    [
      'Zendesk refuses the Talk export: the run line says no calls are imported, and where to read why',
      {
        ...acme,
        talkUnavailable: { reason: 'Zendesk answered 404 on …', since: '2026-12-01T00:00:00.000Z' },
      },
      12,
      new Date('2026-12-02T14:05:00Z'),
      undefined,
      'Acme: 12 new contacts, complete up to 14:05 UTC; no Talk calls: Zendesk refuses its Talk export (`integration show` says why)',
    ],
    [
      'paused: no failure, how far complete',
      { ...acme, status: 'paused', statusReason: 'paused by the user' },
      0,
      new Date('2026-12-02T14:05:00Z'),
      undefined,
      'Acme: paused, complete up to 14:05 UTC',
    ],
  ])('%s', (_rule, integration, contacts, upTo, retrying, expected) => {
    expect(line(integration, contacts, upTo, retrying)).toBe(expected);
  });
});

describe('the command that fixes a failing integration', () => {
  it.each<[rule: string, integration: Integration, expected: string]>([
    [
      'refused credentials: set-credentials',
      failing('credentials_refused', false),
      '`zendesk-wfm integration set-credentials Acme --data-dir ./wfm-data …`',
    ],
    [
      'an export closed to the client: set-credentials of an own OAuth client',
      failing('export_closed', false),
      '`zendesk-wfm integration set-credentials Acme --data-dir ./wfm-data …`',
    ],
    [
      'refused credentials with parked work: set-credentials, then redrive',
      failing('credentials_refused', true),
      '`zendesk-wfm integration set-credentials Acme --data-dir ./wfm-data …`, then `zendesk-wfm redrive Acme --data-dir ./wfm-data`',
    ],
    [
      'parked work (Zendesk unreachable): redrive',
      failing('zendesk_unreachable', true),
      '`zendesk-wfm redrive Acme --data-dir ./wfm-data` once the cause is fixed',
    ],
    [
      'failing without parked work (a stuck export): resume',
      failing('export_stuck', false),
      '`zendesk-wfm integration resume Acme --data-dir ./wfm-data` once the cause is fixed',
    ],
    [
      'a name or folder with spaces is quoted for the shell',
      { ...failing('credentials_refused', false), name: 'Acme EU' },
      '`zendesk-wfm integration set-credentials "Acme EU" --data-dir ./wfm-data …`',
    ],
  ])('%s', (_rule, integration, expected) => {
    expect(fixCommand(integration, './wfm-data')).toBe(expected);
  });
});

describe('exit codes of a failing integration (README: 3 when Zendesk refuses, 1 otherwise)', () => {
  it.each<[FailureKind | undefined, number]>([
    ['credentials_refused', 3],
    ['export_closed', 3],
    ['zendesk_unreachable', 1],
    ['zendesk_errors', 1],
    ['export_stuck', 1],
    ['request_refused', 1],
    ['work_failed', 1],
    [undefined, 1],
  ])('%s → %d', (kind, code) => {
    expect(exitCodeOf(kind)).toBe(code);
  });
});

describe('freshness', () => {
  it.each([
    [45 * 60_000, '45 min'],
    [3 * 3_600_000, '3 h'],
    [(3 * 60 + 12) * 60_000 + 59_000, '3 h 12 min'],
    [2 * 86_400_000 + 4 * 3_600_000, '2 days 4 h'],
  ])('lag %d ms reads %s', (ms, expected) => {
    expect(lag(ms)).toBe(expected);
  });
  it('a time today is said without its date', () => {
    expect(clockTime(new Date('2026-12-02T00:05:00Z'), NOW)).toBe('00:05 UTC');
    expect(clockTime(new Date('2026-12-01T23:55:00Z'), NOW)).toBe('2026-12-01 23:55 UTC');
  });
  it('new contacts: interactions and inbound calls the run added', () => {
    expect(
      newContacts(
        { interactionsCounted: 100, callsCounted: 7 },
        { interactionsCounted: 110, callsCounted: 9 },
      ),
    ).toBe(12);
    expect(newContacts(undefined, { interactionsCounted: 5, callsCounted: 2 })).toBe(7);
  });
});

describe('integration show warns when an integration is behind (issue 18: freshness in every answer)', () => {
  const warning = (integration: Integration, upTo: Date | null) =>
    behindWarning(
      healthOf({ integration, newContacts: 0, completeUpTo: upTo, now: NOW, dataDir: './wfm-data' }),
      NOW,
      'run sync',
    );
  it.each<[rule: string, integration: Integration, upTo: Date | null, expected: string | undefined]>([
    [
      'more than 30 minutes behind: how far, up to when, and what to do',
      acme,
      new Date('2026-12-02T11:08:00Z'),
      'behind by 3 h 12 min: complete up to 11:08 UTC; run sync',
    ],
    ['30 minutes or less is current: no warning', acme, new Date('2026-12-02T13:50:00Z'), undefined],
    ['nothing imported yet is not behind', acme, null, undefined],
    [
      'a paused integration is not behind: its user stopped it',
      { ...acme, status: 'paused' },
      new Date('2026-12-01T00:00:00Z'),
      undefined,
    ],
    [
      'a failing one is said by its failure, not as behind',
      failing('zendesk_unreachable', false),
      new Date('2026-12-01T00:00:00Z'),
      undefined,
    ],
  ])('%s', (_rule, integration, upTo, expected) => {
    expect(warning(integration, upTo)).toBe(expected);
  });
});

describe('integration show warns when Zendesk refuses the Talk export (an account without Talk)', () => {
  it('says since when, what Zendesk said, that Support goes on and that each run asks again', () => {
    const reason =
      'Zendesk answered 404 on /api/v2/channels/voice/stats/incremental/calls: InvalidEndpoint: Not found';
    expect(
      integrationWarnings({ ...acme, talkUnavailable: { reason, since: '2026-12-01T00:00:00.000Z' } }),
    ).toEqual([
      `no Talk calls imported since 2026-12-01T00:00:00.000Z: ${reason}. Support's contacts are imported as usual; ` +
        'each run asks for the calls again, and imports them from where they stopped once Zendesk gives Talk to these ' +
        'credentials (an account with Talk, an admin user).',
    ]);
    expect(integrationWarnings(acme)).toEqual([]);
  });
});

describe('integration show warns while a redrive on AWS holds the integration’s new runs', () => {
  it('says since when, that no new run starts, and to run the redrive again if it stopped', () => {
    expect(integrationWarnings({ ...acme, redriving: { since: '2026-12-02T08:00:00.000Z' } })).toEqual([
      'a redrive has been moving its parked work back since 2026-12-02T08:00:00.000Z: no new run starts until ' +
        'it is done. If `infra/redrive.ts` is no longer running (it failed or was stopped), run it again.',
    ]);
  });
});
