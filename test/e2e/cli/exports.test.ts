import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { expectedBacklogSteps, expectedQueues, type Sandbox } from '../../../sandbox/index.js';
import { secondsCell, type HistoryJson } from '../../../cli/history-files.js';
import {
  CLI_PATH,
  TEST_MIN_FREE_MB,
  assertBuilt,
  finished,
  lines,
  runCli,
  spawnCli,
  sandboxAccountArgs,
  startCliSandbox,
  UNPACED_EXPORTS,
} from './support.js';

/**
 * Issue 19, exports and report: `history --format csv` and `report --out` write what the install
 * stored, to the contact, on their own and through a running `serve`.
 */
interface StoredQueue {
  id: string;
  name: string;
  channel: string;
  source: 'support' | 'talk';
  intervals: { start: string; contacts: number; handled?: number; handleTimeSeconds?: number }[];
}

const storedTotals = (queues: StoredQueue[]) =>
  Object.fromEntries(
    queues.map((q) => [
      q.name,
      {
        offered: q.intervals.reduce((s, i) => s + i.contacts, 0),
        ...(q.source === 'talk'
          ? {
              handled: q.intervals.reduce((s, i) => s + (i.handled ?? 0), 0),
              handleTimeSeconds: q.intervals.reduce((s, i) => s + (i.handleTimeSeconds ?? 0), 0),
            }
          : {}),
      },
    ]),
  );

type CsvRow = Record<string, string>;

let sandbox: Sandbox;
let dir: string;
let dataDir: string[];
let stored: StoredQueue[];
/**
 * The period of every file: from the import's start to how far the history is complete (the start
 * of the interval `completeUpTo` falls in), the longest a file covers: it never runs past that end.
 */
let period: string[];
/** The stored queues with the intervals of the period: those starting before its end. */
let inPeriod: StoredQueue[];
/** `history --format csv` of the whole period, run on its own (no serve). */
let standaloneCsv: string;

beforeAll(async () => {
  assertBuilt();
  sandbox = await startCliSandbox({ seed: 19, size: 'tiny', rateLimit: false });
  dir = await mkdtemp(join(tmpdir(), 'zendesk-wfm-exports-'));
  dataDir = ['--data-dir', join(dir, 'wfm')];
  const imported = await runCli(
    ['import', ...sandboxAccountArgs(sandbox), '--name', 'Acme', ...dataDir, '--json'],
    { ZENDESK_API_TOKEN: sandbox.credentials.apiToken },
  );
  if (imported.code !== 0) throw new Error(`import failed (${imported.code}): ${imported.stderr}`);
  const history = await runCli(['history', 'Acme', ...dataDir, '--json']);
  if (history.code !== 0) throw new Error(`history failed (${history.code}): ${history.stderr}`);
  stored = JSON.parse(history.stdout) as StoredQueue[];
  const queues = await runCli(['queues', 'Acme', ...dataDir, '--json']);
  const { completeUpTo } = JSON.parse(queues.stdout) as { completeUpTo: string };
  const end = Math.floor(Date.parse(completeUpTo) / 900_000) * 900_000;
  period = ['--from', sandbox.importWindow.since, '--to', new Date(end).toISOString()];
  inPeriod = stored.map((q) => ({ ...q, intervals: q.intervals.filter((i) => Date.parse(i.start) < end) }));
});
afterAll(async () => {
  await sandbox?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('import into the folder of an earlier import', () => {
  it('an import run again (one that stopped, most often) is refused, naming the command that finishes it', async () => {
    const again = await runCli(['import', ...sandboxAccountArgs(sandbox), '--name', 'Acme', ...dataDir], {
      ZENDESK_API_TOKEN: sandbox.credentials.apiToken,
    });
    expect(again.code).toBe(2);
    expect(again.stdout).toBe('');
    expect(again.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('warning: '))).toEqual([
      `zendesk-wfm import: error: --name: an integration named "Acme" already exists in ${dataDir[1]}; an import of it that stopped is finished by \`zendesk-wfm sync --data-dir ${dataDir[1]}\` (see \`zendesk-wfm integration list\`)`,
    ]);
  });
});

describe('import into the folder of an earlier import, paused meanwhile', () => {
  it('is refused naming the resume first (sync imports active integrations only); resumed and synced, the history is as it was', async () => {
    expect((await runCli(['integration', 'pause', 'Acme', ...dataDir])).code).toBe(0);
    const again = await runCli(['import', ...sandboxAccountArgs(sandbox), '--name', 'Acme', ...dataDir], {
      ZENDESK_API_TOKEN: sandbox.credentials.apiToken,
    });
    expect(again.code).toBe(2);
    expect(again.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('warning: '))).toEqual([
      `zendesk-wfm import: error: --name: an integration named "Acme" already exists in ${dataDir[1]} (paused); an import of it that stopped is finished by \`zendesk-wfm integration resume Acme --data-dir ${dataDir[1]}\`, then \`zendesk-wfm sync --data-dir ${dataDir[1]}\` (see \`zendesk-wfm integration list\`)`,
    ]);
    // What the error says, done: the later tests find the integration as the import left it.
    expect((await runCli(['integration', 'resume', 'Acme', ...dataDir])).code).toBe(0);
    const sync = await runCli(['sync', ...dataDir, ...UNPACED_EXPORTS]);
    expect([sync.code, sync.stderr.includes('error')]).toEqual([0, false]);
    const history = await runCli(['history', 'Acme', ...dataDir, '--json']);
    expect(JSON.parse(history.stdout)).toEqual(stored);
  });
});

describe('history --format csv', () => {
  it('has every 15-minute interval of the period per queue, and totals equal to the stored history', async () => {
    expect(stored.length).toBeGreaterThan(1);
    expect(stored.some((q) => q.source === 'talk')).toBe(true);
    const run = await runCli([
      'history',
      'Acme',
      ...dataDir,
      ...period,
      '--format',
      'csv',
      '--tz',
      'Europe/Berlin',
    ]);
    expect([run.code, run.stderr]).toEqual([0, '']);
    standaloneCsv = run.stdout;
    const rows = parse(run.stdout, { columns: true }) as CsvRow[];
    const totals = rows.filter((r) => r.interval_start_utc === 'total');
    expect(totals.map((r) => r.queue)).toEqual(stored.map((q) => q.name));
    expect(
      Object.fromEntries(
        totals.map((r) => [
          r.queue,
          {
            offered: Number(r.offered),
            ...(r.source === 'talk'
              ? { handled: Number(r.handled), handleTimeSeconds: Number(r.handle_time_seconds) }
              : {}),
          },
        ]),
      ),
    ).toEqual(storedTotals(inPeriod));

    // Every interval of the period, once per queue, the stored ones with their numbers.
    const from = Date.parse(sandbox.importWindow.since);
    const first = Math.ceil(from / 900_000) * 900_000;
    const end = Date.parse(period[3] ?? '');
    const intervals = (end - first) / 900_000;
    for (const q of inPeriod) {
      const own = rows.filter((r) => r.queue === q.name && r.interval_start_utc !== 'total');
      expect(own).toHaveLength(intervals);
      expect(own[0]?.interval_start_utc).toBe(new Date(first).toISOString());
      const byStart = new Map(own.map((r) => [r.interval_start_utc, r]));
      for (const i of q.intervals) expect(Number(byStart.get(i.start)?.offered)).toBe(i.contacts);
      expect(own.reduce((s, r) => s + Number(r.offered), 0)).toBe(storedTotals([q])[q.name]?.offered);
    }
  });

  it('--queue takes a queue’s id (the csv’s queue_id), which tells apart two queues of one name: the same erlang file as by its name', async () => {
    const talk = stored.find((q) => q.source === 'talk') as StoredQueue;
    const erlang = (queue: string) =>
      runCli(['history', 'Acme', ...dataDir, ...period, '--format', 'erlang', '--queue', queue]);
    // One command at a time per data folder.
    const byName = await erlang(talk.name);
    const byId = await erlang(talk.id);
    expect([byId.code, byId.stderr]).toEqual([0, '']);
    expect(byId.stdout).toBe(byName.stdout);
    expect(byId.stdout.split('\r\n').length).toBeGreaterThan(2);
  });

  it('--per day sums to the same totals', async () => {
    const run = await runCli(['history', 'Acme', ...dataDir, ...period, '--format', 'csv', '--per', 'day']);
    expect(run.code).toBe(0);
    const rows = parse(run.stdout, { columns: true }) as CsvRow[];
    for (const q of inPeriod) {
      const days = rows.filter((r) => r.queue === q.name && r.interval_start_utc !== 'total');
      expect(days.reduce((s, r) => s + Number(r.offered), 0)).toBe(storedTotals([q])[q.name]?.offered);
    }
  });

  it('a --to later than the history is complete ends the period there, with one warning naming the end used: no interval after it is written as a zero', async () => {
    const end = period[3] ?? '';
    const later = new Date(Date.parse(end) + 2 * 86_400_000).toISOString();
    const run = await runCli([
      'history',
      'Acme',
      ...dataDir,
      '--from',
      sandbox.importWindow.since,
      '--to',
      later,
      '--format',
      'csv',
    ]);
    expect(run.code).toBe(0);
    const { completeUpTo } = JSON.parse((await runCli(['queues', 'Acme', ...dataDir, '--json'])).stdout) as {
      completeUpTo: string;
    };
    expect(run.stderr).toBe(
      `warning: --to ${later} is later than the history is complete (${completeUpTo}): the period ends at ${end}; the intervals after it are not written: they are not imported, and a zero would read as a quiet interval\n`,
    );
    // The same file as the one to the history's end.
    expect(run.stdout).toBe(
      (await runCli(['history', 'Acme', ...dataDir, ...period, '--format', 'csv'])).stdout,
    );
  });

  /** The backlog at `endMs` from a queue's ground-truth steps: the latest whose interval ended by then. */
  const backlogAt = (steps: readonly { start: string; backlog: number }[], endMs: number): number =>
    steps.reduce((level, s) => (Date.parse(s.start) < endMs ? s.backlog : level), 0);
  const supportTruth = () => {
    const o = {
      groupingStrategy: 'ivr' as const,
      intervalMinutes: 15 as const,
      since: sandbox.importWindow.since,
      until: period[3] ?? '',
    };
    const steps = new Map(
      expectedBacklogSteps(sandbox.truth, o).map((q) => [`${q.viewId}|${q.channel}`, q.steps]),
    );
    return expectedQueues(sandbox.truth, o)
      .filter((q) => q.source === 'support')
      .map((q) => ({ ...q, steps: steps.get(`${q.viewId}|${q.channel}`) ?? [] }));
  };

  it("reopens per interval and the backlog at each interval's end (quiet ones carrying it) equal the sandbox's ground truth; Talk's cells empty", async () => {
    const run = await runCli(['history', 'Acme', ...dataDir, ...period, '--format', 'csv']);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const rows = parse(run.stdout, { columns: true }) as CsvRow[];
    const truth = supportTruth();
    // The account has reopens, and tickets leaving backlogs in intervals without contacts.
    expect(truth.some((q) => q.intervals.some((i) => (i.support?.reopens ?? 0) > 0))).toBe(true);
    expect(truth.some((q) => q.steps.some((s) => !q.intervals.some((i) => i.start === s.start)))).toBe(true);
    // And queues that hold a backlog and never a contact (tickets reached their views through
    // agents' updates): their rows are in the file too, 0 offered, with their backlog.
    expect(truth.some((q) => q.intervals.length === 0 && q.steps.length > 0)).toBe(true);
    for (const q of truth) {
      const own = rows.filter((r) => r.queue === q.name);
      const reopens = new Map(q.intervals.map((i) => [i.start, i.support?.reopens ?? 0]));
      const intervals = own.filter((r) => r.interval_start_utc !== 'total');
      expect(intervals.length).toBeGreaterThan(0);
      expect(intervals.map((r) => [r.interval_start_utc, Number(r.reopens), Number(r.backlog)])).toEqual(
        intervals.map((r) => {
          const start = r.interval_start_utc ?? '';
          return [start, reopens.get(start) ?? 0, backlogAt(q.steps, Date.parse(start) + 900_000)];
        }),
      );
      const total = own.find((r) => r.interval_start_utc === 'total');
      expect([Number(total?.reopens), Number(total?.backlog)]).toEqual([
        [...reopens.values()].reduce((a, b) => a + b, 0),
        backlogAt(q.steps, Date.parse(period[3] ?? '')),
      ]);
    }
    for (const r of rows.filter((row) => row.source === 'talk'))
      expect([r.reopens, r.backlog]).toEqual(['', '']);
  });

  it("--format json: the csv's rows as typed fields, queue by queue, the same numbers in the same order", async () => {
    // One after the other: a second command on the folder meanwhile would be refused (busy).
    const csvRun = await runCli([
      'history',
      'Acme',
      ...dataDir,
      ...period,
      '--format',
      'csv',
      '--per',
      'hour',
    ]);
    const jsonRun = await runCli([
      'history',
      'Acme',
      ...dataDir,
      ...period,
      '--format',
      'json',
      '--per',
      'hour',
    ]);
    expect([csvRun.code, jsonRun.code, jsonRun.stderr]).toEqual([0, 0, '']);
    const cell = (value: number | undefined) => (value === undefined ? '' : String(value));
    const fromJson = (JSON.parse(jsonRun.stdout) as HistoryJson).flatMap(({ queue, rows, total }) =>
      [...rows, total].map((r, n) => [
        queue.name,
        queue.channel,
        queue.source,
        n < rows.length ? r.start : 'total',
        n < rows.length ? r.startLocal : '',
        String(r.offered),
        cell(r.handled),
        cell(r.handleTimeSeconds),
        r.ahtSeconds === undefined ? '' : String(secondsCell(r.ahtSeconds)),
        cell(r.reopens),
        cell(r.backlog),
        queue.id ?? '',
        cell(queue.viewId),
      ]),
    );
    const fromCsv = (parse(csvRun.stdout) as string[][]).slice(1);
    expect(fromJson).toEqual(fromCsv);
    expect(fromJson.length).toBeGreaterThan(100);
  });

  it("--per day: a day's reopens are its intervals' sum, its backlog the one at its last interval's end", async () => {
    const run = await runCli(['history', 'Acme', ...dataDir, ...period, '--format', 'csv', '--per', 'day']);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const rows = parse(run.stdout, { columns: true }) as CsvRow[];
    const end = Date.parse(period[3] ?? '');
    for (const q of supportTruth()) {
      const days = rows.filter((r) => r.queue === q.name && r.interval_start_utc !== 'total');
      expect(days.length).toBeGreaterThan(1);
      // A day runs to the next one's start; the last to the period's end.
      const bounds = days.map((r, n) => [
        Date.parse(r.interval_start_utc ?? ''),
        n + 1 < days.length ? Date.parse(days[n + 1]?.interval_start_utc ?? '') : end,
      ]);
      expect(days.map((r) => [r.interval_start_utc, Number(r.reopens), Number(r.backlog)])).toEqual(
        days.map((r, n) => {
          const [from, to] = bounds[n] as [number, number];
          const reopens = q.intervals
            .filter((i) => Date.parse(i.start) >= from && Date.parse(i.start) < to)
            .reduce((sum, i) => sum + (i.support?.reopens ?? 0), 0);
          return [r.interval_start_utc, reopens, backlogAt(q.steps, to)];
        }),
      );
    }
  });

  it('refuses an unknown --tz with exit 2, naming the option', async () => {
    const run = await runCli(['history', 'Acme', ...dataDir, '--format', 'csv', '--tz', 'Mars/Olympus']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--tz must be an IANA time zone name');
  });
});

describe('history --json', () => {
  it('alone stays the bare list of queues; with --with-freshness it is one document with how current they are, as queues --json says it', async () => {
    const plain = await runCli(['history', 'Acme', ...dataDir, '--json']);
    expect(JSON.parse(plain.stdout)).toEqual(stored);
    const run = await runCli(['history', 'Acme', ...dataDir, '--json', '--with-freshness']);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const queues = JSON.parse((await runCli(['queues', 'Acme', ...dataDir, '--json'])).stdout) as {
      completeUpTo: string;
      lastCompletedRun: { runId: string; at: string };
    };
    expect(queues.completeUpTo).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    expect(queues.lastCompletedRun).toEqual({ runId: expect.any(String), at: expect.any(String) });
    expect(JSON.parse(run.stdout)).toEqual({
      integration: 'Acme',
      completeUpTo: queues.completeUpTo,
      lastCompletedRun: queues.lastCompletedRun,
      queues: stored,
    });
  });

  it('refuses --with-freshness without --json with exit 2, naming both options', async () => {
    const run = await runCli(['history', 'Acme', ...dataDir, '--with-freshness']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--with-freshness shapes the --json document: give it with --json');
  });
});

const reportData = (html: string) => {
  const json = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)?.[1];
  if (json === undefined) throw new Error('the report has no data block');
  return JSON.parse(json) as {
    queues: { name: string; total: ReportRow; rows: (ReportRow & { start: string })[] }[];
  };
};

interface ReportRow {
  offered: number;
  handled?: number;
  handleTimeSeconds?: number;
  ahtSeconds?: number;
  reopens?: number;
  backlog?: number;
}

/** A row's figures, without where it starts or how long it is. */
const figures = ({ offered, handled, handleTimeSeconds, ahtSeconds, reopens, backlog }: ReportRow) => ({
  offered,
  handled,
  handleTimeSeconds,
  ahtSeconds,
  reopens,
  backlog,
});

const expectSelfContained = (html: string) => {
  expect(html).not.toMatch(/\s(src|href)\s*=/i);
  expect(html).not.toMatch(/url\(|@import/i);
  expect(html).not.toMatch(/https?:\/\//i);
};

describe('report --out', () => {
  it('writes one self-contained page whose numbers and bars equal the stored history', async () => {
    const out = join(dir, 'report.html');
    const run = await runCli(['report', 'Acme', ...dataDir, ...period, '--out', out, '--per', 'day']);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toBe(
      `Wrote ${out}: ${stored.length} queues, ${new Date(period[1] ?? '').toISOString()} → ${period[3]} per day in UTC\n`,
    );
    const html = await readFile(out, 'utf8');
    expectSelfContained(html);
    const data = reportData(html);
    expect(
      Object.fromEntries(
        data.queues.map((q) => [
          q.name,
          {
            offered: q.total.offered,
            ...(q.total.handled !== undefined
              ? { handled: q.total.handled, handleTimeSeconds: q.total.handleTimeSeconds }
              : {}),
          },
        ]),
      ),
    ).toEqual(storedTotals(inPeriod));
    // The bars of each chart add up to its queue's stored contacts.
    const sections = html.split('<section class="queue">').slice(1);
    expect(sections).toHaveLength(stored.length);
    sections.forEach((section, i) => {
      const bars = [...section.matchAll(/data-value="(\d+)"/g)].reduce((s, m) => s + Number(m[1]), 0);
      expect(bars).toBe(storedTotals(inPeriod)[inPeriod[i]?.name ?? '']?.offered);
    });
    expect(html).toContain('<table id="views">');
  });

  it('of one day equals that day of the whole period, the backlog carried into it included', async () => {
    const whole = join(dir, 'whole.html');
    const wholeRun = await runCli(['report', 'Acme', ...dataDir, ...period, '--out', whole, '--per', 'day']);
    expect([wholeRun.code, wholeRun.stderr]).toEqual([0, '']);
    const byDay = reportData(await readFile(whole, 'utf8'));
    // A whole UTC day inside the period (the first and the last may be partial).
    const day = byDay.queues[0]?.rows[1]?.start ?? '';
    // Its end, or the history's when that is earlier (a run just after midnight UTC).
    const next = new Date(Math.min(Date.parse(day) + 86_400_000, Date.parse(period[3] ?? ''))).toISOString();
    const out = join(dir, 'day.html');
    const run = await runCli([
      'report',
      'Acme',
      ...dataDir,
      '--from',
      day,
      '--to',
      next,
      '--out',
      out,
      '--per',
      'day',
    ]);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const oneDay = reportData(await readFile(out, 'utf8'));
    const expected = byDay.queues.map((q) => {
      const row = q.rows.find((r) => r.start === day);
      if (row === undefined) throw new Error(`the whole period's report has no row for ${day} in ${q.name}`);
      return [q.name, figures(row)];
    });
    // Every queue with a history, a quiet one too, with that day's figures and its backlog at the end.
    expect(oneDay.queues.map((q) => [q.name, figures(q.total)])).toEqual(expected);
    // Tickets wait in some queue at the day's end: the backlog carried in is part of what was checked.
    expect(expected.some(([, f]) => typeof f !== 'string' && (f.backlog ?? 0) > 0)).toBe(true);
  });

  it('refuses a missing --out with exit 2, naming the option', async () => {
    const run = await runCli(['report', 'Acme', ...dataDir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--out is required');
  });
});

describe('through a running serve', () => {
  let serve: ReturnType<typeof spawnCli>;
  afterAll(async () => {
    if (serve && serve.exitCode === null) {
      serve.kill('SIGTERM');
      await finished(serve);
    }
  });

  it('history --format csv prints the same file, and report writes --out where the person typed it', async () => {
    serve = spawnCli(['serve', ...dataDir, '--schedule-minutes', '1440', ...UNPACED_EXPORTS]);
    const out = lines(serve.stdout);
    await out.next((l) => l.startsWith('Other commands on '));

    const through = await runCli([
      'history',
      'Acme',
      ...dataDir,
      ...period,
      '--format',
      'csv',
      '--tz',
      'Europe/Berlin',
    ]);
    expect([through.code, through.stderr]).toEqual([0, '']);
    expect(through.stdout).toBe(standaloneCsv);

    // A relative --out is the client's: the command runs from the test's folder, serve from elsewhere.
    const child = spawn(
      process.execPath,
      [CLI_PATH, 'report', 'Acme', ...dataDir, ...period, '--out', 'through-serve.html', '--per', 'day'],
      {
        cwd: dir,
        env: {
          ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ZENDESK_'))),
          ZENDESK_WFM_MIN_FREE_MB: TEST_MIN_FREE_MB,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const run = await finished(child);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toContain(`Wrote ${join(dir, 'through-serve.html')}: `);
    const html = await readFile(join(dir, 'through-serve.html'), 'utf8');
    expectSelfContained(html);
    expect(reportData(html).queues.map((q) => [q.name, q.total.offered])).toEqual(
      inPeriod.map((q) => [q.name, storedTotals([q])[q.name]?.offered]),
    );
  });
});
