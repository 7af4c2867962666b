import { describe, expect, it } from '@jest/globals';
import { FetchJobSchema, importRunStart } from '../../../shared/messages/fetch-job.js';

describe('importRunStart: the first fetch job of an import run', () => {
  it.each([
    ['a scheduled run', 'i1', '2026-03-02T12:35:00Z'],
    ['a webhook nudge', 'i2', 'webhook-2026-03-02T12:35:00.000Z'],
    ['the CLI', 'i3', 'cli-2026-03-02T12:35:00.000Z'],
    ['a resume', 'i4', 'resume-2026-03-02T12:35:00.000Z'],
  ])('%s reads the first stream and chains the rest, under its run id', (_who, integrationId, runId) => {
    const job = importRunStart(integrationId, runId);
    expect(job).toEqual({ version: 1, integrationId, stream: 'users', chain: true, runId });
    expect(FetchJobSchema.parse(job)).toEqual(job);
  });
});
