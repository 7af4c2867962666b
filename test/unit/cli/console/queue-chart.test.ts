import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CliIo } from '../../../../cli/context.js';
import type { InstallLender } from '../../../../cli/local-install.js';
import type { HistoryJson } from '../../../../cli/history-files.js';
import { mountConsole } from '../../../../cli/console/start.js';
import { anIntegration } from '../../../support/integrations.js';

const HOUR = 3_600_000;
const QUEUE = 'Calls Inbound For Sales';

/** What `history --format json` writes: a row for every hour starting in [from, to), one contact each. */
const rowsOf = (fromIso: string, count: number) =>
  Array.from({ length: count }, (_, n) => {
    const start = new Date(Date.parse(fromIso) + n * HOUR).toISOString();
    return { start, startLocal: start, minutes: 60, offered: 1, handled: 1, handleTimeSeconds: 60 };
  });

/**
 * The queue page on loopback, its commands answered by a stand-in: `integration show` with a
 * 60-minute integration complete up to 2026-01-06T10:07Z, and `history` with the rows a test gives.
 */
describe("a queue page draws the history file's rows, up to how far the history is complete", () => {
  let server: Server;
  let base: string;
  let rows: ReturnType<typeof rowsOf> = [];
  const asked: string[][] = [];

  beforeAll(async () => {
    const mount = mountConsole({
      dataDir: '/srv/wfm',
      host: '127.0.0.1',
      env: {},
      run: (argv: readonly string[], io: CliIo) => {
        if (argv[0] === 'integration' && argv[1] === 'show')
          io.stdout(
            JSON.stringify({
              integration: anIntegration({
                intervalMinutes: 60,
                lastCompletedRun: { runId: 'run-1', at: '2026-01-06T10:12:00.000Z' },
              }),
              warnings: [],
              completeUpTo: '2026-01-06T10:07:00.000Z',
            }),
          );
        else if (argv[0] === 'history') {
          asked.push([...argv]);
          const file: HistoryJson = [
            {
              queue: { name: QUEUE, channel: 'call', source: 'talk' },
              rows,
              total: { start: '', startLocal: '', minutes: 0, offered: 0 },
            },
          ];
          io.stdout(JSON.stringify(file));
        } else io.stdout('[]\n');
        return Promise.resolve(0);
      },
      lend: () => ({}) as InstallLender,
      now: () => new Date('2026-01-06T12:34:00Z'),
    });
    server = createServer((req, res) => void mount.handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    mount.listening(port);
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const page = async (day: string, zone: string) => {
    const html = await (
      await fetch(
        `${base}/integrations/Acme/queue?queue=${encodeURIComponent(QUEUE)}&tz=${encodeURIComponent(zone)}&day=${day}`,
      )
    ).text();
    const data = JSON.parse(
      /<script type="application\/json" id="chart-data">(.*?)<\/script>/s.exec(html)?.[1] ?? '{}',
    ) as {
      xs: number[];
    };
    return {
      xs: data.xs.map((x) => new Date(x * 1000).toISOString()),
      tableRows: [...html.matchAll(/<tr><td><a [^>]*>[^<]*<\/a><\/td><td>([^<]+)<\/td>/g)].map((m) => m[1]),
      end: /<p id="period-end">(.*?)<\/p>/.exec(html)?.[1],
      download: /<a href="([^"]+)" data-format="csv"/.exec(html)?.[1]?.replaceAll('&amp;', '&'),
    };
  };

  it.each<
    [
      rule: string,
      day: string,
      zone: string,
      given: ReturnType<typeof rowsOf>,
      period: [from: string, to: string],
      end: string | undefined,
      download: string | undefined,
    ]
  >([
    [
      'an interval belongs to the day its start falls in (Asia/Kolkata, 60 min): the 23:30 one is drawn, a point for every row',
      '2026-01-05',
      'Asia/Kolkata',
      rowsOf('2026-01-04T19:00:00.000Z', 24),
      ['2026-01-04T18:30:00.000Z', '2026-01-05T18:30:00.000Z'],
      undefined,
      `/integrations/Acme/export?format=csv&from=${encodeURIComponent('2026-01-04T18:30:00.000Z')}&to=${encodeURIComponent('2026-01-05T18:30:00.000Z')}&tz=Asia%2FKolkata&queue=${encodeURIComponent(QUEUE)}`,
    ],
    [
      'a day past how far the history is complete ends there: the page says so, and its downloads stop there too',
      '2026-01-06',
      'UTC',
      rowsOf('2026-01-06T00:00:00.000Z', 10),
      ['2026-01-06T00:00:00.000Z', '2026-01-07T00:00:00.000Z'],
      'Shown up to <span id="period-end-at">2026-01-06 10:00 +00:00</span>: the history is complete up to 2026-01-06T10:07:00.000Z, and later intervals are not imported yet, so they are neither drawn nor in the downloads.',
      `/integrations/Acme/export?format=csv&from=${encodeURIComponent('2026-01-06T00:00:00.000Z')}&to=${encodeURIComponent('2026-01-06T10:00:00.000Z')}&tz=UTC&queue=${encodeURIComponent(QUEUE)}`,
    ],
    [
      'a day after the history ends: nothing drawn, nothing to download',
      '2026-01-08',
      'UTC',
      [],
      ['2026-01-08T00:00:00.000Z', '2026-01-09T00:00:00.000Z'],
      'Nothing of this period is shown: the history is complete up to 2026-01-06T10:07:00.000Z, and later intervals are not imported yet, so they are neither drawn nor in the downloads.',
      undefined,
    ],
  ])('%s', async (_rule, day, zone, given, period, end, download) => {
    rows = given;
    asked.length = 0;
    const shown = await page(day, zone);
    // The file is asked for the zoom's days; `history` ends them where the history does.
    expect(asked).toEqual([
      [
        'history',
        'Acme',
        '--queue',
        QUEUE,
        '--from',
        period[0],
        '--to',
        period[1],
        '--format',
        'json',
        '--data-dir',
        '/srv/wfm',
      ],
    ]);
    expect(shown.xs).toEqual(given.map((r) => r.start));
    expect(shown.tableRows).toEqual(given.map((r) => r.start));
    expect(shown.end).toBe(end);
    expect(shown.download).toBe(download);
  });
});
