import { describe, expect, it } from '@jest/globals';
import type { FetchJob } from '../../../shared/messages/fetch-job.js';
import { scheduleImports } from '../../../shared/pipeline/scheduler.js';
import { ACME } from '../../support/integrations.js';

describe('scheduleImports', () => {
  it('starts an import run for every active integration, none for a paused, failing or deleted one, nor for one whose parked work a redrive is moving back', async () => {
    const sent: FetchJob[] = [];
    const scheduled = await scheduleImports(
      {
        integrations: {
          list: async () => [
            ACME,
            { ...ACME, id: 'paused', status: 'paused' },
            { ...ACME, id: 'failing', status: 'failing' },
            { ...ACME, id: 'deleted', status: 'deleted' },
            { ...ACME, id: 'redriving', redriving: { since: '2026-03-02T12:30:00.000Z' } },
            { ...ACME, id: 'beta' },
          ],
        },
        bus: { sendFetchJob: async (job) => void sent.push(job) },
        now: () => new Date('2026-03-02T12:35:00Z'),
        logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      },
      '2026-03-02T12:35:00Z',
    );
    expect(scheduled).toEqual(['acme', 'beta']);
    expect(sent).toEqual([
      { version: 1, integrationId: 'acme', stream: 'users', chain: true, runId: '2026-03-02T12:35:00Z' },
      { version: 1, integrationId: 'beta', stream: 'users', chain: true, runId: '2026-03-02T12:35:00Z' },
    ]);
  });
});
