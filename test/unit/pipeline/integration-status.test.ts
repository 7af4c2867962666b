import { describe, expect, it } from '@jest/globals';
import { markFailing } from '../../../shared/pipeline/integration-status.js';
import type { Integration } from '../../../shared/store/integrations-repository.js';
import { anIntegration, modifyOf } from '../../support/integrations.js';

const NOW = '2026-03-02T12:34:56.000Z';

/** markFailing on the integration as a write would find it. */
const marked = async (current: Integration): Promise<Integration> => {
  let stored = current;
  await markFailing(
    {
      integrations: {
        modify: modifyOf(
          () => stored,
          (i) => void (stored = i),
        ),
      },
      now: () => new Date(NOW),
    },
    current.id,
    'Zendesk refused the credentials',
    'credentials_refused',
  );
  return stored;
};

describe('markFailing (SPEC §8)', () => {
  it.each<[string, Integration, Partial<Integration>]>([
    [
      'an active integration is failing, with the reason and the kind, since now',
      anIntegration(),
      {
        status: 'failing',
        statusReason: 'Zendesk refused the credentials',
        failure: { kind: 'credentials_refused', since: NOW },
        updatedAt: NOW,
      },
    ],
    [
      'a paused one stays paused: the user’s pause stands, and the failure comes again after a resume',
      anIntegration({ status: 'paused', statusReason: 'paused by the user' }),
      { status: 'paused', statusReason: 'paused by the user', failure: undefined },
    ],
    [
      'a deleted one stays deleted',
      anIntegration({ status: 'deleted', statusReason: 'deleted by the user' }),
      { status: 'deleted', statusReason: 'deleted by the user', failure: undefined },
    ],
  ])('%s', async (_rule, current, expected) => {
    const after = await marked(current);
    expect({
      status: after.status,
      statusReason: after.statusReason,
      failure: after.failure,
      ...(expected.updatedAt ? { updatedAt: after.updatedAt } : {}),
    }).toEqual(expected);
  });
});
