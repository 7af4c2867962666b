import { beforeAll, describe, expect, it } from '@jest/globals';
import { assertBuilt, runCli } from './support.js';

describe('zendesk-wfm demo (what npm start runs)', () => {
  beforeAll(assertBuilt);

  it('starts the sandbox, imports it through the pipeline and prints the summary, saying the rate limit is relaxed', async () => {
    const run = await runCli(['demo', '--size', 'tiny', '--seed', '3']);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^Zendesk sandbox: a tiny synthetic account \(seed 3: [\d,]+ ticket events, [\d,]+ calls, 50 views\) at http:\/\/127\.0\.0\.1:\d+$/,
    );
    expect(lines[1]).toBe(
      'Its rate limits are relaxed to 600 export requests per minute (Zendesk allows 10) so the demo finishes in under a minute.',
    );
    expect(lines).toContain(
      'Integration "Sandbox" (sandbox.zendesk.com): grouping ivr, 15-minute intervals, status active',
    );
    expect(lines).toContain('Views: 50 (42 supported, 7 unsupported, 1 personal)');
    expect(run.stdout).toMatch(
      /\nSource queues: \d+ \([\d,]+ contacts; a contact counts in every view it is in\)\n/,
    );
    expect(run.stdout).toMatch(/\n {2}Calls Inbound For Senior Agents +talk +call +\d+ +\d+ +\d+m \d\ds\n/);
    // Talk's figures: the threshold, then one row per Talk queue with abandons, callbacks, SL % and ASA
    expect(run.stdout).toMatch(
      /\nTalk \(service level: answered within 20 s\)\n {2}queue +calls +abandoned queue +abandoned IVR /,
    );
    expect(run.stdout).toMatch(
      /\n {2}Calls Inbound For Senior Agents +\d+( +\d+){6} +\d+\.\d% +(\d+m )?\d+s\n/,
    );
    expect(run.stdout).toMatch(/\nUnmapped channels: (none|[a-z_]+ \d+(, [a-z_]+ \d+)*)\n/);
    expect(run.stdout).toMatch(
      /\nTook (\d+ min )?\d+ s \(\d+ pages, [\d,]+ ticket events \([\d,]+ of them before the window, for ticket state only\), [\d,]+ call records, 0 rate-limit waits\)\n$/,
    );
    expect(run.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('progress: '))).toEqual([]);
  }, 240_000);
});
