import { describe, expect, it } from '@jest/globals';
import { defaultPer } from '../../../cli/commands/report.js';
import { withAbsolutePaths } from '../../../cli/forward-to-serve.js';
import { chartSvg, escapeHtml, reportHtml, rowLabel, type ReportModel } from '../../../cli/report-html.js';
import { queueSeries, type HistoryQueue } from '../../../shared/domain/queue-series.js';
import { resolve } from 'node:path';

const hostile: HistoryQueue = {
  name: 'Billing </script><script>alert(1)</script> "VIP", EU (email)',
  channel: 'email',
  source: 'support',
  viewId: 3,
  intervals: [
    { start: '2026-01-05T10:00:00.000Z', contacts: 4, support: { reopens: 1 } },
    { start: '2026-01-05T12:00:00.000Z', contacts: 1, support: { reopens: 0 } },
  ],
  // Two of the three tickets leave in the quiet hour; the last contact's ticket joins the one left.
  backlogSteps: [
    { start: '2026-01-05T10:00:00.000Z', backlog: 3 },
    { start: '2026-01-05T11:00:00.000Z', backlog: 1 },
    { start: '2026-01-05T12:00:00.000Z', backlog: 2 },
  ],
};
const calls: HistoryQueue = {
  name: 'Calls Inbound For Sales',
  channel: 'call',
  source: 'talk',
  intervals: [{ start: '2026-01-05T11:00:00.000Z', contacts: 3, handled: 2, handleTimeSeconds: 500 }],
};
const options = {
  fromMs: Date.parse('2026-01-05T10:00:00Z'),
  toMs: Date.parse('2026-01-05T13:00:00Z'),
  intervalMinutes: 60,
  per: 'hour' as const,
  timeZone: 'Europe/Berlin',
};

const model: ReportModel = {
  integration: {
    name: 'Acme & Co',
    domain: 'acme.zendesk.com',
    status: 'active',
    groupingStrategy: 'ivr',
    intervalMinutes: 60,
  },
  completeUpTo: '2026-01-05T13:05:00.000Z',
  lastCompletedRun: { at: '2026-01-05T13:06:00.000Z', runId: 'r-1' },
  period: { from: '2026-01-05T10:00:00.000Z', to: '2026-01-05T13:00:00.000Z' },
  timeZone: 'Europe/Berlin',
  per: 'hour',
  generatedAt: '2026-01-05T14:00:00.000Z',
  views: [
    {
      id: 3,
      title: 'Billing <b>',
      active: true,
      verdict: 'supported',
      excluded: false,
      reasons: [],
      queues: [hostile.name],
    },
    {
      id: 4,
      title: 'Mine',
      active: true,
      verdict: 'personal',
      excluded: false,
      reasons: ['restricted to one user'],
      queues: [],
      noQueuesBecause: 'personal',
    },
  ],
  queues: [queueSeries(hostile, options), queueSeries(calls, options)],
};

const html = reportHtml(model);

describe('report html', () => {
  it('loads nothing: no src or href attribute, no url(), no @import, no http(s) address anywhere', () => {
    expect(html).not.toMatch(/\s(src|href)\s*=/i);
    expect(html).not.toMatch(/url\(|@import/i);
    expect(html).not.toMatch(/https?:\/\//i);
  });

  it('escapes Zendesk text: a queue name cannot close a script or add markup', () => {
    expect(html.match(/<script\b/g)).toHaveLength(1);
    expect(html).toContain(
      'Billing &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &quot;VIP&quot;, EU (email)',
    );
    expect(html).toContain('<td>Billing &lt;b&gt;</td>');
    expect(html).toContain('Acme &amp; Co');
  });

  it('shows status, freshness, views with verdict and reasons, queue totals (for Support, reopens and the backlog at the period end)', () => {
    expect(html).toContain('Status <strong class="status-active">active</strong>');
    expect(html).toContain('Complete up to <strong>2026-01-05T13:05:00.000Z</strong>');
    expect(html).toContain(
      '<tr><td class="n">4</td><td>Mine</td><td>active</td><td>personal</td><td>none (personal)</td><td>restricted to one user</td></tr>',
    );
    expect(html).toContain(
      '<tr><td>Calls Inbound For Sales</td><td>call</td><td>talk</td><td class="n">3</td><td class="n">2</td><td class="n">500 s</td><td class="n">250 s</td><td class="n"></td><td class="n"></td></tr>',
    );
    expect(html).toContain(
      '<td>email</td><td>support</td><td class="n">5</td><td class="n"></td><td class="n"></td><td class="n"></td><td class="n">1</td><td class="n">2</td></tr>',
    );
  });

  it('charts every hour of the period per queue, quiet ones as zero-height bars, the values as data', () => {
    const bars = [...html.matchAll(/data-start="([^"]+)" data-value="(\d+)"/g)].map((m) => [
      m[1],
      Number(m[2]),
    ]);
    expect(bars).toEqual([
      ['2026-01-05T10:00:00.000Z', 4],
      ['2026-01-05T11:00:00.000Z', 0],
      ['2026-01-05T12:00:00.000Z', 1],
      ['2026-01-05T10:00:00.000Z', 0],
      ['2026-01-05T11:00:00.000Z', 3],
      ['2026-01-05T12:00:00.000Z', 0],
    ]);
  });

  it('embeds the numbers as JSON that parses back to the totals', () => {
    const json = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
    const data = JSON.parse(json) as {
      queues: { name: string; total: { offered: number; handled?: number } }[];
    };
    expect(data.queues.map((q) => [q.name, q.total.offered, q.total.handled])).toEqual([
      [hostile.name, 5, undefined],
      ['Calls Inbound For Sales', 3, 2],
    ]);
  });

  const labels: [rule: string, startMs: number, per: 'hour' | 'day' | 'week', expected: string][] = [
    ['an hour with its offset', Date.parse('2026-01-05T10:00:00Z'), 'hour', '2026-01-05T11:00:00+01:00'],
    ['a day as its local date', Date.parse('2026-01-05T23:30:00Z'), 'day', '2026-01-06'],
    ['a week as its Monday', Date.parse('2026-01-08T10:00:00Z'), 'week', 'week of 2026-01-05'],
  ];
  it.each(labels)('labels %s', (_rule, startMs, per, expected) => {
    expect(rowLabel(startMs, per, 'Europe/Berlin')).toBe(expected);
  });

  it('escapes the five HTML characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

describe('report: bars per', () => {
  const rows: [rule: string, hours: number, expected: string][] = [
    ['hours up to two days', 48, 'hour'],
    ['days beyond two days', 49, 'day'],
    ['days up to three months', 92 * 24, 'day'],
    ['weeks beyond', 92 * 24 + 1, 'week'],
  ];
  it.each(rows)('%s', (_rule, hours, expected) => {
    const from = new Date('2026-01-01T00:00:00Z');
    expect(defaultPer({ from, to: new Date(from.getTime() + hours * 3_600_000) })).toBe(expected);
  });
});

describe('a command sent to serve names the file it writes by its absolute path', () => {
  const rows: [rule: string, argv: string[], expected: string[]][] = [
    ['--out FILE', ['report', 'Acme', '--out', 'r.html'], ['report', 'Acme', '--out', resolve('r.html')]],
    [
      '--out=FILE',
      ['report', 'Acme', '--out=dir/r.html'],
      ['report', 'Acme', `--out=${resolve('dir/r.html')}`],
    ],
    [
      'an absolute path stays',
      ['report', 'Acme', '--out', '/tmp/r.html'],
      ['report', 'Acme', '--out', '/tmp/r.html'],
    ],
    [
      'other values stay as typed',
      ['history', 'Acme', '--queue', 'out'],
      ['history', 'Acme', '--queue', 'out'],
    ],
    // Resolved, a blank name was the client's folder: EISDIR, or a file named " " written.
    [
      'a blank --out stays blank, for report to refuse it as without serve',
      ['report', 'Acme', '--out', ' '],
      ['report', 'Acme', '--out', ' '],
    ],
    ['an empty --out= stays empty', ['report', 'Acme', '--out='], ['report', 'Acme', '--out=']],
  ];
  it.each(rows)('%s', (_rule, argv, expected) => {
    expect(withAbsolutePaths(argv)).toEqual(expected);
  });
});

describe('a chart of very many bars', () => {
  it('scales to the tallest bar of more bars than a call takes arguments (an hourly report of years)', () => {
    const hours = 200_000;
    const rows = Array.from({ length: hours }, (_, n) => ({
      startMs: Date.parse('2000-01-01T00:00:00Z') + n * 3_600_000,
      minutes: 60,
      offered: n === 123_456 ? 9 : n % 3,
    }));
    const svg = chartSvg(
      {
        queue: { name: 'Calls Inbound For Sales', channel: 'call', source: 'talk' },
        rows,
        total: { startMs: rows[0]!.startMs, minutes: hours * 60, offered: 0 },
      },
      'hour',
      'UTC',
    );
    const heights = [...svg.matchAll(/height="([\d.]+)" data-start="[^"]+" data-value="(\d+)"/g)];
    expect(heights).toHaveLength(hours);
    // The plot is 150 units high: the tallest bar (9) fills it, a bar of 2 is two ninths of it.
    expect(heights.find(([, , v]) => v === '9')?.[1]).toBe('150.00');
    expect(heights.find(([, , v]) => v === '2')?.[1]).toBe('33.33');
  });
});
