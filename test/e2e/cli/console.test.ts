import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { Sandbox } from '../../../sandbox/index.js';
import type { HistoryJson } from '../../../cli/history-files.js';
import {
  CLI_PATH,
  TEST_MIN_FREE_MB,
  assertBuilt,
  lines,
  runCli,
  startCliSandbox,
  UNPACED_EXPORTS,
} from './support.js';

/** Debian's Chromium (`.ci/run` installs it); CHROMIUM_PATH points elsewhere on other systems. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots of every page, kept as the test's artefacts (the folder is gitignored). */
const ARTEFACTS = fileURLToPath(new URL('../../../test-artifacts/console/', import.meta.url));

interface StoredInterval {
  readonly start: string;
  readonly contacts: number;
  readonly handled?: number;
  readonly ahtSeconds?: number;
}
interface StoredQueue {
  readonly name: string;
  readonly source: 'support' | 'talk';
  readonly intervals: StoredInterval[];
}

/** The stored queue of a source with the most intervals. */
const busiestQueue = (queues: readonly StoredQueue[], source: StoredQueue['source']): StoredQueue =>
  [...queues]
    .filter((q) => q.source === source)
    .sort((a, b) => b.intervals.length - a.intervals.length)[0] as StoredQueue;

/**
 * The UTC day with the most intervals of a queue among the days the history is complete through:
 * well inside the history, which no run still going changes. A day after how far the history is
 * complete would show only the intervals before that point (the day the clock is in, whatever the
 * hour the tests run at).
 */
const busiestDay = (queue: StoredQueue, completeUpTo: string | null): string => {
  if (completeUpTo === null) throw new Error('the history is not complete up to any time yet');
  const days = new Map<string, number>();
  for (const i of queue.intervals) {
    const day = i.start.slice(0, 10);
    if (Date.parse(`${day}T00:00:00.000Z`) + 86_400_000 <= Date.parse(completeUpTo))
      days.set(day, (days.get(day) ?? 0) + 1);
  }
  const [busiest] = [...days.entries()].sort((a, b) => b[1] - a[1]);
  if (!busiest) throw new Error(`no day of ${queue.name} is complete by ${completeUpTo}`);
  return busiest[0];
};

const shootPage = (page: Page, name: string) =>
  page.screenshot({ path: join(ARTEFACTS, `${name}.png`), fullPage: true });

interface Served {
  readonly serve: ChildProcessWithoutNullStreams;
  readonly out: ReturnType<typeof lines>;
  readonly err: ReturnType<typeof lines>;
  /** The console's first page, as serve prints it. */
  readonly consoleUrl: string;
}

/** `zendesk-wfm serve` on a data folder, once it prints its console's address. */
const startServe = async (args: string[], env: Record<string, string> = {}): Promise<Served> => {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('ZENDESK_')),
  ) as Record<string, string>;
  const serve = spawn(
    process.execPath,
    [CLI_PATH, 'serve', ...args, '--schedule-minutes', '60', ...UNPACED_EXPORTS],
    {
      env: { ...inherited, ZENDESK_WFM_MIN_FREE_MB: TEST_MIN_FREE_MB, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const out = lines(serve.stdout);
  const err = lines(serve.stderr);
  const exited = new Promise<never>((_resolve, reject) =>
    serve.once('exit', (code) => reject(new Error(`serve exited (${code}): ${err.seen.join(' | ')}`))),
  );
  const line = await Promise.race([out.next((l) => l.startsWith('Console: ')), exited]);
  // `Console: http://…/integrations`, and with sign-in ` (sign in with the token of …)` after it.
  return { serve, out, err, consoleUrl: line.slice('Console: '.length).split(' ')[0] ?? '' };
};

const stopServe = async (serve: ChildProcessWithoutNullStreams | undefined): Promise<void> => {
  if (serve && serve.exitCode === null) {
    serve.kill('SIGTERM');
    await new Promise((r) => serve.once('exit', r));
  }
};

/** Debian's Chromium, headless, with a profile of its own (no download, no network of its own). */
const launchChromium = async (profile: string): Promise<BrowserContext> => {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    viewport: { width: 1280, height: 900 },
  });
  // A page is a command run on serve's install: on a loaded machine it can take longer than
  // Playwright's 30 s default, which is no fault of the page.
  context.setDefaultTimeout(120_000);
  return context;
};

describe('the web console of zendesk-wfm serve, in Chromium', () => {
  let sandbox: Sandbox;
  let dir: string;
  let dataDir: string[];
  let serve: ChildProcessWithoutNullStreams | undefined;
  let out: ReturnType<typeof lines>;
  let err: ReturnType<typeof lines>;
  let consoleUrl: string;
  let context: BrowserContext;
  let page: Page;

  const shoot = (name: string) => shootPage(page, name);
  /** The stored queues, and how far they are complete. */
  const storedHistory = async (): Promise<{ completeUpTo: string | null; queues: StoredQueue[] }> => {
    const history = await runCli(['history', 'Tiny', ...dataDir, '--json', '--with-freshness']);
    expect([history.code, history.stderr]).toEqual([0, '']);
    return JSON.parse(history.stdout) as { completeUpTo: string | null; queues: StoredQueue[] };
  };

  beforeAll(async () => {
    assertBuilt();
    await mkdir(ARTEFACTS, { recursive: true });
    sandbox = await startCliSandbox({ seed: 5, size: 'tiny', rateLimit: false });
    dir = await mkdtemp(join(tmpdir(), 'zendesk-wfm-console-'));
    dataDir = ['--data-dir', join(dir, 'wfm')];
    const served = await startServe(dataDir);
    ({ serve, out, err, consoleUrl } = served);
    context = await launchChromium(join(dir, 'chromium-profile'));
    page = context.pages()[0] ?? (await context.newPage());
  }, 480_000);

  afterAll(async () => {
    await context?.close();
    await stopServe(serve);
    await sandbox?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('is served on 127.0.0.1 and opens on the integrations page', () => {
    expect(consoleUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/integrations$/);
  });

  it('add integration (the seed): the domain is refused with its expected form, a wrong API token by its field, the grouping warning is shown, and the saved strategy cannot be changed', async () => {
    await page.goto(consoleUrl);
    await page.click('text=Add integration');
    await expect(page.textContent('#grouping-warning')).resolves.toBe(
      'The grouping strategy cannot be changed once the integration is saved.',
    );
    await shoot('add-integration');

    // Rule: the full domain, the expected form shown on error.
    await page.fill('#name', 'Tiny');
    await page.fill('#domain', 'tiny');
    await page.fill('#username', sandbox.credentials.email);
    await page.fill('#apiToken', 'not-the-token');
    await page.check('input[name=grouping][value=ivr]');
    await page.click('#save');
    await expect(page.textContent('#domain-error')).resolves.toContain('example.zendesk.com');

    // Rule: credentials are checked against Zendesk before saving; the refusal is shown by its field.
    await page.fill('#domain', '');
    await page.fill('#baseUrl', sandbox.baseUrl);
    await page.fill('#apiToken', 'not-the-token');
    await page.click('#save');
    await expect(page.textContent('#apiToken-error')).resolves.toMatch(/^wrong credentials/);
    // Rule: a secret is never shown again; what is not secret is kept for the next try.
    await expect(page.inputValue('#apiToken')).resolves.toBe('');
    await expect(page.inputValue('#name')).resolves.toBe('Tiny');
    await expect(page.content()).resolves.not.toContain('not-the-token');
    await shoot('add-integration-refused');

    await page.fill('#apiToken', sandbox.credentials.apiToken);
    await page.click('#save');
    await page.waitForURL(/\/integrations\?notice=/);
    await expect(page.textContent('[role=status]')).resolves.toBe(
      'Added integration "Tiny"; its import has started.',
    );
    const row = page.locator('tr[data-integration="Tiny"]');
    await expect(row.locator('.settings').textContent()).resolves.toContain(
      'grouping ivr (cannot be changed)',
    );
    // Rule: the strategy is fixed: no page offers a control to change it, and the token is never shown.
    await expect(page.locator('input[name=grouping]').count()).resolves.toBe(0);
    await expect(page.content()).resolves.not.toContain(sandbox.credentials.apiToken);
    await expect(row.locator('.warnings').textContent()).resolves.toBe(
      'Zendesk stops accepting API tokens on 2027-04-30: switch this integration to OAuth credentials before then (its history is kept).',
    );
  });

  it('a queue chart plots exactly the stored history (contacts, handled and AHT of a Talk queue), every interval linking to its explanation', async () => {
    // The start-up import of the new integration is done when serve says how far it is complete.
    await out.next((l) => l.startsWith('Tiny: '), 0);
    const { completeUpTo, queues: stored } = await storedHistory();
    const talk = busiestQueue(stored, 'talk');
    // The UTC day with the most intervals of this queue.
    const day = busiestDay(talk, completeUpTo);

    await page.goto(`${consoleUrl}/Tiny/queues`);
    await shoot('integrations-queues');
    await page.click(`tr[data-queue="${talk.name}"] a`);
    await page.waitForURL(/\/queue\?/);
    await page.goto(`${page.url()}&day=${day}`);
    await page.waitForFunction(() => 'queueChart' in globalThis);
    const plotted = (await page.evaluate(() => {
      const chart = (globalThis as unknown as { queueChart: { data: (number | null)[][] } }).queueChart;
      return chart.data;
    })) as (number | null)[][];
    const [xs = [], contacts = [], handled = [], aht = []] = plotted;
    expect(xs).toHaveLength(96);
    const byStart = new Map(talk.intervals.map((i) => [Date.parse(i.start) / 1000, i]));
    const expected = xs.map((x) => byStart.get(x as number));
    expect(contacts).toEqual(expected.map((i) => i?.contacts ?? 0));
    expect(handled).toEqual(expected.map((i) => i?.handled ?? 0));
    expect(aht).toEqual(expected.map((i) => i?.ahtSeconds ?? null));
    expect(contacts.reduce((a, b) => (a ?? 0) + (b ?? 0), 0)).toBeGreaterThan(0);
    await shoot('queue');
    // The README's picture of the queue page: what a screen shows of it.
    await page.screenshot({ path: join(ARTEFACTS, 'queue-viewport.png') });

    // An interval links to the contacts behind it (explain).
    const busiest = talk.intervals.find((i) => i.start.startsWith(day)) as StoredInterval;
    await page.click(`#intervals a[href*="${encodeURIComponent(busiest.start)}"]`);
    await page.waitForURL(/\/explain\?/);
    await expect(page.textContent('#explain')).resolves.toContain(busiest.start.slice(0, 16));
    await shoot('explain');
  }, 540_000);

  it("a Support queue's chart and table show its contacts, reopens and the backlog at each interval's end: the rows `history --format json` gives for the day shown", async () => {
    const { completeUpTo, queues } = await storedHistory();
    const support = busiestQueue(queues, 'support');
    const day = busiestDay(support, completeUpTo);
    const from = `${day}T00:00:00.000Z`;
    const to = new Date(Date.parse(from) + 86_400_000).toISOString();
    const cli = await runCli([
      'history',
      'Tiny',
      ...dataDir,
      '--format',
      'json',
      '--from',
      from,
      '--to',
      to,
      '--queue',
      support.name,
    ]);
    expect(cli.code).toBe(0);
    const [{ rows } = { rows: [] }] = JSON.parse(cli.stdout) as HistoryJson;
    expect(rows).toHaveLength(96);
    expect(rows.some((r) => (r.backlog ?? 0) > 0)).toBe(true);

    await page.goto(`${consoleUrl}/Tiny/queue?queue=${encodeURIComponent(support.name)}&tz=UTC&day=${day}`);
    await page.waitForFunction(() => 'queueChart' in globalThis);
    const plotted = (await page.evaluate(() => {
      const chart = (globalThis as unknown as { queueChart: { data: (number | null)[][] } }).queueChart;
      return chart.data;
    })) as (number | null)[][];
    const [xs = [], contacts = [], backlog = []] = plotted;
    expect(xs).toEqual(rows.map((r) => Date.parse(r.start) / 1000));
    expect(contacts).toEqual(rows.map((r) => r.offered));
    expect(backlog).toEqual(rows.map((r) => r.backlog ?? null));
    const cells = async (selector: string) =>
      (await page.$$eval(selector, (tds) => tds.map((td) => td.textContent))).map(Number);
    expect(await cells('#intervals tbody td.reopens')).toEqual(rows.map((r) => r.reopens));
    expect(await cells('#intervals tbody td.backlog')).toEqual(rows.map((r) => r.backlog));
    await shoot('support-queue');
  });

  it("the queues page's period is chosen in days of the chosen time zone: its totals are the stored intervals from that zone's midnight to the next", async () => {
    const { completeUpTo, queues: stored } = await storedHistory();
    const talk = busiestQueue(stored, 'talk');
    // The UTC day with the most intervals of this queue.
    const day = busiestDay(talk, completeUpTo);
    // Kolkata is 5:30 ahead of UTC all year: its day is not the UTC day, whatever the season.
    const from = Date.parse(`${day}T00:00:00+05:30`);
    const to = from + 86_400_000;
    const expected = talk.intervals
      .filter((i) => Date.parse(i.start) >= from && Date.parse(i.start) < to)
      .reduce((sum, i) => sum + i.contacts, 0);
    await page.goto(`${consoleUrl}/Tiny/queues`);
    await Promise.all([page.waitForURL(/tz=Asia%2FKolkata/), page.selectOption('#tz', 'Asia/Kolkata')]);
    await page.fill('#from', day);
    await page.fill('#to', day);
    await Promise.all([page.waitForURL(/from=/), page.click('#period button[type=submit]')]);
    await expect(page.textContent('#period-from')).resolves.toBe(`${day} 00:00 +05:30`);
    await expect(page.textContent('#period-to')).resolves.toBe(
      `${new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)} 00:00 +05:30`,
    );
    // The inputs show the days chosen again, in the zone chosen.
    await expect(page.inputValue('#from')).resolves.toBe(day);
    await expect(page.inputValue('#to')).resolves.toBe(day);
    await expect(page.textContent(`tr[data-queue="${talk.name}"] .contacts`)).resolves.toBe(
      expected.toLocaleString('en-US'),
    );
    // Asked for in UTC from Kolkata's midnight to the next, not from UTC midnights.
    await expect(page.textContent('#period-shown')).resolves.toContain(
      `stored in UTC: ${new Date(from).toISOString()} to ${new Date(to).toISOString()}`,
    );
    await shoot('queues-period-in-zone');
  });

  it("a queue page's downloads are the files `history --format` writes for the period shown, in the zone chosen", async () => {
    const { completeUpTo, queues } = await storedHistory();
    const talk = busiestQueue(queues, 'talk');
    // A day well inside the history (its busiest), which no import still running changes.
    const day = busiestDay(talk, completeUpTo);
    const from = new Date(Date.parse(`${day}T00:00:00+05:30`)).toISOString();
    const to = new Date(Date.parse(`${day}T00:00:00+05:30`) + 86_400_000).toISOString();
    await page.goto(
      `${consoleUrl}/Tiny/queue?queue=${encodeURIComponent(talk.name)}&tz=Asia%2FKolkata&day=${day}`,
    );
    for (const format of ['csv', 'injixo', 'erlang']) {
      const href = (await page.getAttribute(`#exports a[data-format=${format}]`, 'href')) as string;
      const download = await context.request.get(new URL(href, consoleUrl).toString());
      expect([download.status(), download.headers()['content-type']]).toEqual([
        200,
        'text/csv; charset=utf-8',
      ]);
      expect(download.headers()['content-disposition']).toMatch(/^attachment; filename="Tiny-.+\.csv"$/);
      const cli = await runCli([
        'history',
        'Tiny',
        ...dataDir,
        '--format',
        format,
        '--tz',
        'Asia/Kolkata',
        '--from',
        from,
        '--to',
        to,
        '--queue',
        talk.name,
      ]);
      expect(cli.code).toBe(0);
      expect(await download.text()).toBe(cli.stdout);
    }
  });

  it('the time-zone switch on daylight-saving days: 23 hours (92 quarter-hours) in spring, 25 (100) in autumn, 24 in UTC', async () => {
    const base = `${consoleUrl}/Tiny/queue?queue=${encodeURIComponent('Calls Inbound For Senior Agents')}`;
    await page.goto(`${base}&tz=Europe/Berlin&day=2026-03-29`);
    await expect(page.getAttribute('#chart', 'data-points')).resolves.toBe('92');
    const springHours = await page.$$eval('#intervals tbody tr td:first-child', (cells) =>
      cells.map((c) => (c.textContent ?? '').slice(11, 13)),
    );
    expect(new Set(springHours).size).toBe(23);
    expect(springHours).not.toContain('02');
    await shoot('queue-dst-spring');

    // The picker switches the zone of the same day.
    await Promise.all([page.waitForURL(/tz=UTC/), page.selectOption('#tz', 'UTC')]);
    await expect(page.getAttribute('#chart', 'data-points')).resolves.toBe('96');

    await page.goto(`${base}&tz=Europe/Berlin&day=2026-10-25`);
    await expect(page.getAttribute('#chart', 'data-points')).resolves.toBe('100');
    const autumn = await page.$$eval('#intervals tbody tr td:first-child', (cells) =>
      cells.map((c) => c.textContent ?? ''),
    );
    // The hour the clocks go back is shown twice, told apart by its offset.
    expect(autumn.filter((l) => l.includes(' 02:00 '))).toEqual([
      '2026-10-25 02:00 +02:00',
      '2026-10-25 02:00 +01:00',
    ]);
  });

  it('views (personal ones marked) and coverage pages', async () => {
    await page.goto(`${consoleUrl}/Tiny/views`);
    await expect(page.locator('#views .personal').count()).resolves.toBe(1);
    await shoot('views');
    await page.goto(`${consoleUrl}/Tiny/coverage`);
    const coverage = await runCli(['coverage', 'Tiny', ...dataDir, '--json']);
    const doc = JSON.parse(coverage.stdout) as { interactionsCounted: number };
    await expect(page.textContent('#interactions-counted')).resolves.toBe(
      doc.interactionsCounted.toLocaleString('en-US'),
    );
    await shoot('coverage');
    await page.goto(consoleUrl);
    await shoot('integrations');
  });

  it('refuses a cross-site form: without its CSRF token or from another origin nothing changes', async () => {
    const origin = new URL(consoleUrl).origin;
    const forged = await fetch(`${origin}/integrations/Tiny/delete`, {
      method: 'POST',
      headers: { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'csrf=x',
      redirect: 'manual',
    });
    expect(forged.status).toBe(403);
    const sameOriginNoToken = await fetch(`${origin}/integrations/Tiny/pause`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
      redirect: 'manual',
    });
    expect(sameOriginNoToken.status).toBe(403);
    const list = await runCli(['integration', 'list', ...dataDir, '--json']);
    expect(
      (JSON.parse(list.stdout) as { name: string; status: string }[]).map((i) => [i.name, i.status]),
    ).toEqual([['Tiny', 'active']]);
  });

  it('pause and resume from the integrations page', async () => {
    await page.goto(consoleUrl);
    const row = page.locator('tr[data-integration="Tiny"]');
    // Each wait names its own notice: the page before the click already has one in its address.
    await Promise.all([
      page.waitForURL(/notice=Paused/),
      row.locator('button', { hasText: 'Pause' }).click(),
    ]);
    await expect(row.locator('.status').textContent()).resolves.toBe('paused');
    await Promise.all([
      page.waitForURL(/notice=Resumed/),
      row.locator('button', { hasText: 'Resume' }).click(),
    ]);
    await expect(row.locator('.status').textContent()).resolves.toBe('active');
  });

  it('switch credentials (API token to OAuth): a refused client secret is shown by its field and changes nothing; the right one replaces the token, which is never shown', async () => {
    const { clientId, clientSecret } = sandbox.credentials.oauth;
    await page.goto(consoleUrl);
    const row = page.locator('tr[data-integration="Tiny"]');
    await Promise.all([page.waitForURL(/\/Tiny\/credentials$/), row.locator('a.switch-credentials').click()]);
    await expect(page.textContent('#current-kind')).resolves.toBe('api_token');
    await shoot('switch-credentials');

    // Rule: the new credentials are checked against Zendesk first; a refusal names its field.
    await page.check('input[name=credentialKind][value=oauth]');
    await page.fill('#oauthClientId', clientId);
    await page.fill('#oauthClientSecret', 'not-the-secret');
    await page.click('#save');
    await expect(page.textContent('#oauthClientSecret-error')).resolves.toMatch(
      /^credentials were refused by Zendesk: /,
    );
    await expect(page.inputValue('#oauthClientSecret')).resolves.toBe('');
    await expect(page.inputValue('#oauthClientId')).resolves.toBe(clientId);
    await expect(page.content()).resolves.not.toContain('not-the-secret');
    const before = await runCli(['integration', 'show', 'Tiny', ...dataDir, '--json']);
    expect(
      (JSON.parse(before.stdout) as { integration: { credentialKind: string } }).integration.credentialKind,
    ).toBe('api_token');
    await shoot('switch-credentials-refused');

    await page.fill('#oauthClientSecret', clientSecret);
    await Promise.all([page.waitForURL(/\/integrations\?notice=/), page.click('#save')]);
    await expect(page.textContent('[role=status]')).resolves.toBe(
      '"Tiny": credentials replaced (oauth_client_credentials); status active; serve imports with the change now.',
    );
    await expect(row.locator('.settings').textContent()).resolves.toContain(
      'credentials oauth_client_credentials',
    );
    // The API token's retirement no longer concerns it.
    await expect(row.locator('.warnings').textContent()).resolves.not.toContain('API tokens');
    const after = await runCli(['integration', 'show', 'Tiny', ...dataDir, '--json']);
    expect(
      (JSON.parse(after.stdout) as { integration: { credentialKind: string } }).integration.credentialKind,
    ).toBe('oauth_client_credentials');
    // Rule: secrets are never shown back, nor written by serve.
    await page.goto(`${consoleUrl}/Tiny/credentials`);
    await expect(page.textContent('#current-kind')).resolves.toBe('oauth_client_credentials');
    for (const secret of [clientSecret, sandbox.credentials.apiToken]) {
      await expect(page.content()).resolves.not.toContain(secret);
      expect([...out.seen, ...err.seen].join('\n')).not.toContain(secret);
    }
  });

  it('add integration with an OAuth client: a missing client id and a refused secret by their fields, then saved with no API-token warning; delete removes it', async () => {
    const { clientId, clientSecret } = sandbox.credentials.oauth;
    await page.goto(`${consoleUrl}/new`);
    await page.fill('#name', 'Tiny OAuth');
    await page.fill('#baseUrl', sandbox.baseUrl);
    await page.fill('#username', sandbox.credentials.email);
    await page.check('input[name=credentialKind][value=oauth]');
    await page.fill('#oauthClientSecret', clientSecret);
    await page.check('input[name=grouping][value=phone_number]');
    await page.click('#save');
    await expect(page.textContent('#oauthClientId-error')).resolves.toBe('--oauth-client-id is required');

    await page.fill('#oauthClientId', clientId);
    await page.fill('#oauthClientSecret', 'not-the-secret');
    await page.click('#save');
    await expect(page.textContent('#oauthClientSecret-error')).resolves.toMatch(/^wrong credentials: /);
    // Not secret, so kept for the next try; the grouping chosen too.
    await expect(page.inputValue('#oauthClientId')).resolves.toBe(clientId);
    await expect(page.isChecked('input[name=grouping][value=phone_number]')).resolves.toBe(true);
    await expect(page.content()).resolves.not.toContain('not-the-secret');

    await page.fill('#oauthClientSecret', clientSecret);
    await Promise.all([page.waitForURL(/\/integrations\?notice=/), page.click('#save')]);
    await expect(page.textContent('[role=status]')).resolves.toBe(
      'Added integration "Tiny OAuth"; its import has started.',
    );
    const row = page.locator('tr[data-integration="Tiny OAuth"]');
    await expect(row.locator('.settings').textContent()).resolves.toBe(
      'credentials oauth_client_credentialsgrouping phone_number (cannot be changed)15-minute intervals (cannot be changed)',
    );
    await expect(row.locator('.warnings').textContent()).resolves.not.toContain('API tokens');
    await expect(page.content()).resolves.not.toContain(clientSecret);

    page.once('dialog', (dialog) => void dialog.accept());
    await Promise.all([
      page.waitForURL(/notice=Deleted/),
      row.locator('button', { hasText: 'Delete' }).click(),
    ]);
    await expect(page.textContent('[role=status]')).resolves.toBe(
      'Deleted "Tiny OAuth"; its credentials are removed, its queue history is kept.',
    );
    await expect(page.locator('tr[data-integration="Tiny OAuth"]').count()).resolves.toBe(0);
  });

  it("the zone picked stays across the navigation links: queues list, a queue, the day shown, an interval's explanation and back, then the sub-navigation and the integrations page", async () => {
    const zone = 'America/Sao_Paulo';
    const zoneInUrl = () => new URL(page.url()).searchParams.get('tz');
    const history = await runCli(['history', 'Tiny', ...dataDir, '--json']);
    const talk = busiestQueue(JSON.parse(history.stdout) as StoredQueue[], 'talk');
    // São Paulo keeps -03:00 all year: the busiest interval's local day, and its label there.
    const busiest = [...talk.intervals].sort((a, b) => b.contacts - a.contacts)[0] as StoredInterval;
    const local = new Date(Date.parse(busiest.start) - 3 * 3_600_000).toISOString();
    const day = local.slice(0, 10);

    await page.goto(`${consoleUrl}/Tiny/queues`);
    await Promise.all([page.waitForURL(/tz=America%2FSao_Paulo/), page.selectOption('#tz', zone)]);
    // Queues list → a queue's page.
    await Promise.all([page.waitForURL(/\/queue\?/), page.click(`tr[data-queue="${talk.name}"] a`)]);
    expect(zoneInUrl()).toBe(zone);
    await expect(page.textContent('#zone')).resolves.toBe(zone);
    // The day chosen on the queue's page is shown in the same zone.
    await page.fill('#day', day);
    await Promise.all([
      page.waitForURL(new RegExp(`day=${day}`)),
      page.click('#chart-controls button[type=submit]'),
    ]);
    expect(zoneInUrl()).toBe(zone);
    await expect(page.inputValue('#tz')).resolves.toBe(zone);
    await expect(page.textContent('#intervals tbody tr:first-child td:first-child')).resolves.toBe(
      `${day} 00:00 -03:00`,
    );
    // A queue's page → an interval's explanation → back to the chart: the zone and the day stay.
    const label = `${local.slice(0, 10)} ${local.slice(11, 16)} -03:00`;
    await Promise.all([page.waitForURL(/\/explain\?/), page.click(`#intervals a:text-is("${label}")`)]);
    expect(zoneInUrl()).toBe(zone);
    await expect(page.textContent('#explain')).resolves.toContain(busiest.start.slice(0, 16));
    await Promise.all([page.waitForURL(/\/queue\?/), page.click('text=◀ back to the chart')]);
    expect([zoneInUrl(), new URL(page.url()).searchParams.get('day')]).toEqual([zone, day]);
    await expect(page.textContent('#zone')).resolves.toBe(zone);
    // The sub-navigation and the header keep it too: Views → Queues, Integrations → a name → its queues.
    await Promise.all([page.waitForURL(/\/views/), page.click('nav.sub >> text=Views')]);
    expect(zoneInUrl()).toBe(zone);
    await Promise.all([page.waitForURL(/\/queues/), page.click('nav.sub >> text=Queues')]);
    await expect(page.inputValue('#tz')).resolves.toBe(zone);
    await Promise.all([page.waitForURL(/\/integrations\?/), page.click('header >> text=Integrations')]);
    expect(zoneInUrl()).toBe(zone);
    await Promise.all([
      page.waitForURL(/\/queues/),
      page.click('tr[data-integration="Tiny"] td:first-child a'),
    ]);
    await expect(page.inputValue('#tz')).resolves.toBe(zone);
    await expect(page.textContent('#period-shown')).resolves.toContain(`(${zone}; stored in UTC:`);
  });

  it('report --out: the file opened from disk draws a chart per queue with the stored totals, names the integration and its queues, and asks the network for nothing', async () => {
    const file = join(dir, 'report.html');
    // The sandbox's days, per hour: the integration's history reaches a year back, nearly all empty.
    const report = await runCli([
      'report',
      'Tiny',
      ...dataDir,
      '--out',
      file,
      '--tz',
      'Europe/Berlin',
      '--from',
      sandbox.importWindow.since,
      '--per',
      'hour',
    ]);
    expect([report.code, report.stderr]).toEqual([0, '']);
    const queues = await runCli(['queues', 'Tiny', ...dataDir, '--json']);
    const listed = (JSON.parse(queues.stdout) as { queues: { name: string }[] }).queues.map((q) => q.name);

    const viewer = await context.newPage();
    const requested: string[] = [];
    viewer.on('request', (request) => requested.push(request.url()));
    // Anything but the file itself is refused, so a request would fail the page, not reach a network.
    await viewer.route(
      (url) => url.protocol !== 'file:',
      (route) => route.abort(),
    );
    const fileUrl = pathToFileURL(file).toString();
    await viewer.goto(fileUrl, { waitUntil: 'load' });

    // Rule: self-contained: the one request is the file itself.
    expect(requested).toEqual([fileUrl]);
    await expect(viewer.textContent('h1')).resolves.toBe('Tiny (sandbox.zendesk.com)');
    const data = JSON.parse((await viewer.textContent('#report-data')) ?? '') as {
      queues: { name: string; rows: { offered: number }[] }[];
    };
    expect(data.queues.map((q) => q.name).sort()).toEqual([...listed].sort());
    // Each queue's section: its name, an SVG laid out at its size, one bar per row, drawn as tall
    // as its value and filled with the report's colour.
    const drawn = await viewer.$$eval('section.queue', (sections) =>
      sections.map((section) => {
        // What the page drew, read through the few DOM members needed (the tests compile without the DOM's types).
        interface Box {
          readonly width: number;
          readonly height: number;
        }
        interface Bar {
          readonly dataset: Readonly<Record<string, string | undefined>>;
          getBBox(): Box;
        }
        const svg = section.querySelector('svg.chart') as unknown as {
          getBoundingClientRect(): Box;
          querySelectorAll(selector: string): Iterable<Bar>;
        };
        const style = (globalThis as unknown as { getComputedStyle(bar: Bar): { fill: string } })
          .getComputedStyle;
        const box = svg.getBoundingClientRect();
        const bars = [...svg.querySelectorAll('rect.bar')];
        return {
          name: section.querySelector('h3')?.textContent,
          laidOut: box.width > 100 && box.height > 20,
          values: bars.map((b) => Number(b.dataset.value)),
          drawnBars: bars.filter((b) => b.getBBox().height > 0).length,
          fills: [...new Set(bars.map((b) => style(b).fill))],
        };
      }),
    );
    expect(drawn).toEqual(
      data.queues.map((q) => ({
        name: q.name,
        laidOut: true,
        values: q.rows.map((r) => r.offered),
        drawnBars: q.rows.filter((r) => r.offered > 0).length,
        fills: q.rows.length > 0 ? ['rgb(47, 128, 237)'] : [],
      })),
    );
    expect(drawn.reduce((sum, q) => sum + q.drawnBars, 0)).toBeGreaterThan(0);
    // The top of the report, and the busiest queue's chart (a whole page of ~100 charts takes long to shoot).
    await viewer.screenshot({ path: join(ARTEFACTS, 'report.png') });
    const busiest = drawn.reduce((a, b) => (b.drawnBars > a.drawnBars ? b : a));
    await viewer
      .locator('section.queue', { has: viewer.locator(`h3:text-is("${busiest.name ?? ''}")`) })
      .screenshot({ path: join(ARTEFACTS, 'report-chart.png') });
    await viewer.close();
    expect(requested).toEqual([fileUrl]);
  });

  it('integrations page: an integration whose credentials Zendesk refuses is shown failing with the reason and since when, its freshness (complete up to, last run) as before the failure', async () => {
    const show = async () =>
      JSON.parse((await runCli(['integration', 'show', 'Tiny', ...dataDir, '--json'])).stdout) as {
        integration: {
          status: string;
          statusReason?: string;
          failure?: { kind: string; since: string };
          lastCompletedRun?: { at: string };
        };
        completeUpTo: string | null;
      };
    const before = await show();
    expect(before.integration.status).toBe('active');
    // The credentials revoked in Zendesk: every request of this account is refused.
    sandbox.injectFault({
      kind: 'status',
      status: 401,
      body: '{"error":"Couldn\'t authenticate you"}',
      times: 100_000,
    });
    try {
      sandbox.createTicket({ channel: 'email' });
      sandbox.advanceClock(65);
      const sync = await runCli(['sync', ...dataDir, ...UNPACED_EXPORTS]);
      expect(sync.code).toBe(3);
    } finally {
      sandbox.clearFaults();
    }
    const after = await show();
    const { statusReason, failure, lastCompletedRun } = after.integration;
    expect([after.integration.status, failure?.kind]).toEqual(['failing', 'credentials_refused']);
    expect(statusReason).toMatch(
      /^Zendesk refused the credentials \(401\) on \/\S+: Couldn't authenticate you$/,
    );
    // Nothing was imported by the refused run: the freshness is what it was.
    expect([after.completeUpTo, lastCompletedRun]).toEqual([
      before.completeUpTo,
      before.integration.lastCompletedRun,
    ]);

    await page.goto(consoleUrl);
    const row = page.locator('tr[data-integration="Tiny"]');
    await expect(row.locator('.status').textContent()).resolves.toBe(
      `failing: ${statusReason ?? ''} (since ${failure?.since ?? ''})`,
    );
    await expect(row.locator('.status .status-failing').textContent()).resolves.toBe('failing');
    await expect(row.locator('.complete-up-to').textContent()).resolves.toBe(after.completeUpTo);
    await expect(row.locator('.last-run').textContent()).resolves.toBe(lastCompletedRun?.at);
    // The warning says what fixes it.
    await expect(row.locator('.warnings').textContent()).resolves.toMatch(
      /^Tiny: failing since (\d{4}-\d\d-\d\d )?\d\d:\d\d UTC: Zendesk refuses the credentials \(Zendesk refused the credentials \(401\) .+\); to fix: `zendesk-wfm integration set-credentials Tiny --data-dir \S+ …`$/,
    );
    await expect(row.locator('button').allTextContents()).resolves.toEqual(['Resume', 'Pause', 'Delete']);
    await shoot('integrations-failing');
  });
});

describe('sign-in to the console of a serve on another address than loopback', () => {
  // 127.0.0.2 is no address the console trusts as loopback (only 127.0.0.1, localhost and ::1),
  // yet it is reachable from this machine only: the test exposes nothing to the network.
  const TOKEN = 'console-token-0123456789abcdef';
  let dir: string;
  let served: Served | undefined;
  let context: BrowserContext;
  const requested: string[] = [];

  beforeAll(async () => {
    assertBuilt();
    await mkdir(ARTEFACTS, { recursive: true });
    dir = await mkdtemp(join(tmpdir(), 'zendesk-wfm-console-sign-in-'));
    served = await startServe(['--data-dir', join(dir, 'wfm'), '--host', '127.0.0.2'], {
      ZENDESK_WFM_CONSOLE_TOKEN: TOKEN,
    });
    context = await launchChromium(join(dir, 'chromium-profile'));
    context.on('request', (request) => requested.push(request.url()));
  }, 480_000);

  afterAll(async () => {
    await context?.close();
    await stopServe(served?.serve);
    await rm(dir, { recursive: true, force: true });
  });

  it('a wrong token is refused, the right one gives a session cookie that is not the token; the token is in no URL and no line of serve', async () => {
    const { consoleUrl, out, err } = served as Served;
    expect(consoleUrl).toMatch(/^http:\/\/127\.0\.0\.2:\d+\/integrations$/);
    const origin = new URL(consoleUrl).origin;
    const page = context.pages()[0] ?? (await context.newPage());

    // Rule: without a session every page leads to the sign-in form.
    await page.goto(consoleUrl);
    expect(page.url()).toBe(`${origin}/login`);
    await shootPage(page, 'sign-in');

    // Rule: a wrong token is refused, and gives no session.
    await page.fill('#token', 'not-the-console-token');
    const refused = page.waitForResponse(
      (r) => r.url() === `${origin}/login` && r.request().method() === 'POST',
    );
    await page.click('button[type=submit]');
    expect((await refused).status()).toBe(401);
    await expect(page.textContent('[role=alert]')).resolves.toBe('wrong token');
    expect((await context.cookies()).map((c) => c.name)).not.toContain('wfm_session');

    // Rule: the right token signs in; the browser keeps a session cookie, never the token.
    await page.fill('#token', TOKEN);
    await Promise.all([page.waitForURL(consoleUrl), page.click('button[type=submit]')]);
    await expect(page.textContent('h1')).resolves.toBe('Integrations');
    const session = (await context.cookies()).find((c) => c.name === 'wfm_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(session?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session?.value).not.toContain(TOKEN);
    await shootPage(page, 'signed-in');

    // Another client without the session is still sent to sign in.
    const anonymous = await fetch(consoleUrl, { redirect: 'manual' });
    expect([anonymous.status, anonymous.headers.get('location')]).toEqual([303, '/login']);

    // Rule: the token travels only in the form's body: in no URL asked for, no line serve wrote.
    expect(requested.length).toBeGreaterThan(3);
    expect(requested.filter((url) => url.includes(TOKEN))).toEqual([]);
    expect([...out.seen, ...err.seen].filter((line) => line.includes(TOKEN))).toEqual([]);
  });
});
