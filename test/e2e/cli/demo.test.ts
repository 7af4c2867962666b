import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectedBacklogSteps, expectedQueues, startSandbox, type Sandbox } from '../../../sandbox/index.js';
import { assertBuilt, runCli, type CliRun } from './support.js';

/**
 * The demo's sandbox clock starts an hour back (the command reads Zendesk up to its own clock less
 * a minute); `--now` pins it, so the test's own sandbox of the same seed and start is the same
 * account, whose ground truth the summary is checked against.
 */
const NOW = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000).toISOString();

let run: CliRun;
let truthSandbox: Sandbox | undefined;

beforeAll(async () => {
  assertBuilt();
  run = await runCli(['demo', '--size', 'tiny', '--seed', '3', '--now', NOW]);
});
afterAll(async () => {
  await truthSandbox?.stop();
});

describe('zendesk-wfm demo (what npm start runs)', () => {
  it('starts the sandbox, imports it through the pipeline and prints the summary, saying the rate limit is relaxed', () => {
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^Zendesk sandbox: a tiny synthetic account \(seed 3: [\d,]+ ticket events, [\d,]+ calls, 56 views\) at http:\/\/127\.0\.0\.1:\d+$/,
    );
    expect(lines[1]).toBe(
      'Its rate limits are relaxed to 600 export requests per minute (Zendesk allows 10) so the demo finishes in under a minute.',
    );
    expect(lines).toContain(
      'Integration "Sandbox" (sandbox.zendesk.com): grouping ivr, 15-minute intervals, status active',
    );
    expect(lines).toContain('Views: 56 (48 supported, 7 unsupported, 1 personal)');
    expect(run.stdout).toMatch(
      /\nSource queues: \d+ \([\d,]+ contacts; a contact counts in every view it is in\)\n {2}queue +source +channel +contacts +handled +AHT +reopens +backlog at end\n/,
    );
    expect(run.stdout).toMatch(/\n {2}Calls Inbound For Senior Agents +talk +call +\d+ +\d+ +\d+m \d\ds\n/);
    // Talk's figures: the threshold, then one row per Talk queue with abandons, callbacks, SL % and ASA
    expect(run.stdout).toMatch(
      /\nTalk \(service level: answered within 20 s\)\n {2}queue +calls +abandoned queue +abandoned IVR /,
    );
    expect(run.stdout).toMatch(
      /\n {2}Calls Inbound For Senior Agents +\d+( +\d+){8} +\d+\.\d% +(\d+m )?\d+s\n/,
    );
    expect(run.stdout).toMatch(/\nUnmapped channels: (none|[a-z_]+ \d+(, [a-z_]+ \d+)*)\n/);
    expect(run.stdout).toMatch(
      /\nTook (\d+ min )?\d+ s \(\d+ pages, [\d,]+ ticket events \([\d,]+ of them before the window, for ticket state only\), [\d,]+ call records, 0 rate-limit waits\)\n$/,
    );
    expect(run.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('progress: '))).toEqual([]);
  });

  it("lists each Support queue's contacts, reopens and backlog at the window's end, equal to the sandbox's ground truth", async () => {
    expect(run.code).toBe(0);
    const window = /\nWindow: (\S+) → (\S+)\n/.exec(run.stdout);
    if (!window) throw new Error(`the summary has no window line:\n${run.stdout}`);
    const [, since, until] = window as unknown as [string, string, string];
    truthSandbox = await startSandbox({ seed: 3, size: 'tiny', now: NOW, rateLimit: false });
    const o = { groupingStrategy: 'ivr' as const, intervalMinutes: 15 as const, since, until };
    const steps = new Map(
      expectedBacklogSteps(truthSandbox.truth, o).map((q) => [`${q.viewId}|${q.channel}`, q.steps]),
    );
    const expected = Object.fromEntries(
      expectedQueues(truthSandbox.truth, o)
        .filter((q) => q.source === 'support')
        .map((q) => [
          q.name,
          {
            contacts: q.intervals.reduce((n, i) => n + i.contacts, 0),
            reopens: q.intervals.reduce((n, i) => n + (i.support?.reopens ?? 0), 0),
            backlogAtEnd: steps.get(`${q.viewId}|${q.channel}`)?.at(-1)?.backlog ?? 0,
          },
        ]),
    );
    // A Support row: name, source, channel, contacts, (no handled, no AHT), reopens, backlog at end.
    const listed = Object.fromEntries(
      [...run.stdout.matchAll(/^ {2}(.+?) +support +[a-z_]+ +([\d,]+) +([\d,]+) +([\d,]+)$/gm)].map((m) => [
        m[1],
        {
          contacts: Number(m[2]!.replace(/,/g, '')),
          reopens: Number(m[3]!.replace(/,/g, '')),
          backlogAtEnd: Number(m[4]!.replace(/,/g, '')),
        },
      ]),
    );
    expect(Object.keys(expected).length).toBeGreaterThan(10);
    // The seed has reopens and a backlog left at the end, so the comparison is not of zeros.
    expect(Object.values(expected).some((q) => q.reopens > 0)).toBe(true);
    expect(Object.values(expected).some((q) => q.backlogAtEnd > 0)).toBe(true);
    expect(listed).toEqual(expected);
  });

  it('refuses a --now in the future with exit 2, naming the option', async () => {
    const later = await runCli(['demo', '--size', 'tiny', '--now', '2999-01-01T00:00:00Z']);
    expect(later.code).toBe(2);
    expect(later.stderr).toContain('--now must not be in the future');
  });
});
