import { describe, expect, it } from '@jest/globals';
import {
  sweepUnconfirmedSecrets,
  type UnconfirmedSecretsSweepDeps,
} from '../../../shared/pipeline/unconfirmed-secrets.js';
import type { Integration, UnconfirmedSecretsMark } from '../../../shared/store/integrations-repository.js';
import { anIntegration } from '../../support/integrations.js';

/** An install's secrets and marks after a command died, as plain sets. */
const installWith = (state: {
  integrations: Integration[];
  credentials: string[];
  signingSecrets: string[];
  marked: string[];
  /** Marks a sweep has claimed, and when. */
  claimed?: Record<string, string>;
}) => {
  const credentials = new Set(state.credentials);
  const signingSecrets = new Set(state.signingSecrets);
  // Each id marked at 10:00 and a second per place in the list.
  const marked = new Map<string, UnconfirmedSecretsMark>(
    state.marked.map((integrationId, i) => {
      const sweptAt = state.claimed?.[integrationId];
      const since = new Date(Date.parse('2026-12-07T10:00:00.000Z') + i * 1000).toISOString();
      return [integrationId, { integrationId, since, ...(sweptAt ? { sweptAt } : {}) }];
    }),
  );
  const deps: UnconfirmedSecretsSweepDeps = {
    integrations: {
      get: async (id) => state.integrations.find((i) => i.id === id),
      secretsMarkedUnconfirmed: async () => [...marked.values()],
      // As the table's conditional update: the same mark, unclaimed or claimed before the bound.
      claimUnconfirmedMark: async (mark, at, claimsBefore) => {
        const now = marked.get(mark.integrationId);
        const free =
          now?.since === mark.since &&
          (claimsBefore === undefined || now.sweptAt === undefined || now.sweptAt < claimsBefore);
        if (free) marked.set(mark.integrationId, { ...now, sweptAt: at });
        return free;
      },
      releaseClaimedMark: async (id, at) => {
        if (marked.get(id)?.sweptAt === at) marked.delete(id);
      },
    },
    secrets: { delete: async (id) => void credentials.delete(id) },
    webhookSecrets: { delete: async (id) => void signingSecrets.delete(id) },
    now: () => new Date('2026-12-07T12:00:00.000Z'),
  };
  const left = () => ({
    credentials: [...credentials],
    signingSecrets: [...signingSecrets],
    marked: [...marked.keys()],
  });
  return { deps, left };
};

describe('sweepUnconfirmedSecrets (rule: nothing a dead `add` or `delete` stored outlives it; nothing saved is swept)', () => {
  const live = anIntegration({ id: 'live', status: 'active' });
  const paused = anIntegration({ id: 'paused', status: 'paused' });
  const deleted = anIntegration({ id: 'gone', status: 'deleted' });
  it.each([
    [
      'an add that died before saving its integration: its credentials and signing secret are removed',
      { integrations: [], credentials: ['new'], signingSecrets: ['new'], marked: ['new'] },
      ['new'],
      { credentials: [], signingSecrets: [], marked: [] },
    ],
    [
      'an add that died after saving its integration: the secrets are its, kept; the mark goes',
      { integrations: [live], credentials: ['live'], signingSecrets: ['live'], marked: ['live'] },
      [],
      { credentials: ['live'], signingSecrets: ['live'], marked: [] },
    ],
    [
      'a paused integration is saved too: kept',
      { integrations: [paused], credentials: ['paused'], signingSecrets: [], marked: ['paused'] },
      [],
      { credentials: ['paused'], signingSecrets: [], marked: [] },
    ],
    [
      'a delete that died after marking the integration deleted: its secrets are removed',
      { integrations: [deleted], credentials: ['gone'], signingSecrets: ['gone'], marked: ['gone'] },
      ['gone'],
      { credentials: [], signingSecrets: [], marked: [] },
    ],
    [
      'secrets not marked whose integration is unknown (a database lost or put back): kept',
      { integrations: [], credentials: ['live', 'other'], signingSecrets: ['live'], marked: [] },
      [],
      { credentials: ['live', 'other'], signingSecrets: ['live'], marked: [] },
    ],
    [
      'only the marked id is swept beside secrets of saved integrations',
      {
        integrations: [live],
        credentials: ['live', 'new'],
        signingSecrets: ['live', 'new'],
        marked: ['new'],
      },
      ['new'],
      { credentials: ['live'], signingSecrets: ['live'], marked: [] },
    ],
  ])('%s', async (_rule, state, removed, left) => {
    const install = installWith(state);
    expect(await sweepUnconfirmedSecrets(install.deps)).toEqual(removed);
    expect(install.left()).toEqual(left);
  });

  it('ids marked since `markedBefore` are left to the command that may still be writing them (AWS: operators run side by side)', async () => {
    const install = installWith({
      integrations: [],
      credentials: ['old', 'recent'],
      signingSecrets: [],
      marked: ['old', 'recent'],
    });
    // old: marked at 10:00:00; recent: at 10:00:01.
    expect(await sweepUnconfirmedSecrets(install.deps, new Date('2026-12-07T10:00:01.000Z'))).toEqual([
      'old',
    ]);
    expect(install.left()).toEqual({ credentials: ['recent'], signingSecrets: [], marked: ['recent'] });
  });

  it('a mark another sweep claimed within the bound is left to it; one claimed before the bound is taken over (that sweep died)', async () => {
    const install = installWith({
      integrations: [],
      credentials: ['held', 'dead-sweep'],
      signingSecrets: [],
      marked: ['held', 'dead-sweep'],
      claimed: { held: '2026-12-07T11:30:00.000Z', 'dead-sweep': '2026-12-07T10:30:00.000Z' },
    });
    expect(await sweepUnconfirmedSecrets(install.deps, new Date('2026-12-07T11:00:00.000Z'))).toEqual([
      'dead-sweep',
    ]);
    expect(install.left()).toEqual({ credentials: ['held'], signingSecrets: [], marked: ['held'] });
  });

  it('a removal that fails keeps the mark, so the next sweep tries again', async () => {
    const install = installWith({
      integrations: [],
      credentials: ['new'],
      signingSecrets: [],
      marked: ['new'],
    });
    const failing = {
      ...install.deps,
      webhookSecrets: { delete: async () => Promise.reject(new Error('secret store down')) },
    };
    await expect(sweepUnconfirmedSecrets(failing)).rejects.toThrow('secret store down');
    expect(install.left().marked).toEqual(['new']);
    expect(await sweepUnconfirmedSecrets(install.deps)).toEqual(['new']);
    expect(install.left()).toEqual({ credentials: [], signingSecrets: [], marked: [] });
  });
});
