import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { Sandbox } from '../../../sandbox/index.js';
import { CLI_PATH, TEST_MIN_FREE_MB, assertBuilt, lines, runCli, startCliSandbox } from './support.js';

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

describe('the web console of zendesk-wfm serve, in Chromium', () => {
  let sandbox: Sandbox;
  let dir: string;
  let dataDir: string[];
  let serve: ChildProcessWithoutNullStreams | undefined;
  let out: ReturnType<typeof lines>;
  let consoleUrl: string;
  let context: BrowserContext;
  let page: Page;

  const shoot = (name: string) => page.screenshot({ path: join(ARTEFACTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    assertBuilt();
    await mkdir(ARTEFACTS, { recursive: true });
    sandbox = await startCliSandbox({ seed: 5, size: 'tiny', rateLimit: false });
    dir = await mkdtemp(join(tmpdir(), 'zendesk-wfm-console-'));
    dataDir = ['--data-dir', join(dir, 'wfm')];
    serve = spawn(process.execPath, [CLI_PATH, 'serve', ...dataDir, '--schedule-minutes', '60'], {
      env: { ...process.env, ZENDESK_WFM_MIN_FREE_MB: TEST_MIN_FREE_MB },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    out = lines(serve.stdout);
    const err = lines(serve.stderr);
    const exited = new Promise<never>((_resolve, reject) =>
      serve?.once('exit', (code) => reject(new Error(`serve exited (${code}): ${err.seen.join(' | ')}`))),
    );
    const line = await Promise.race([out.next((l) => l.startsWith('Console: ')), exited]);
    consoleUrl = line.slice('Console: '.length);
    context = await chromium.launchPersistentContext(join(dir, 'chromium-profile'), {
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
    page = context.pages()[0] ?? (await context.newPage());
  }, 480_000);

  afterAll(async () => {
    await context?.close();
    if (serve && serve.exitCode === null) {
      serve.kill('SIGTERM');
      await new Promise((r) => serve?.once('exit', r));
    }
    await sandbox?.stop();
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

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
  }, 120_000);

  it('a queue chart plots exactly the stored history (contacts, handled and AHT of a Talk queue), every interval linking to its explanation', async () => {
    // The start-up import of the new integration is done when serve says how far it is complete.
    await out.next((l) => l.startsWith('Tiny: '), 0);
    const history = await runCli(['history', 'Tiny', ...dataDir, '--json']);
    expect(history.code).toBe(0);
    const stored = JSON.parse(history.stdout) as StoredQueue[];
    const talk = stored
      .filter((q) => q.source === 'talk')
      .sort((a, b) => b.intervals.length - a.intervals.length)[0] as StoredQueue;
    // The UTC day with the most intervals of this queue.
    const days = new Map<string, number>();
    for (const i of talk.intervals) days.set(i.start.slice(0, 10), (days.get(i.start.slice(0, 10)) ?? 0) + 1);
    const day = [...days.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] as string;

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
  }, 120_000);

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
  }, 120_000);

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
    await Promise.all([page.waitForURL(/notice=/), row.locator('button', { hasText: 'Pause' }).click()]);
    await expect(row.locator('.status').textContent()).resolves.toBe('paused');
    await Promise.all([page.waitForURL(/notice=/), row.locator('button', { hasText: 'Resume' }).click()]);
    await expect(row.locator('.status').textContent()).resolves.toBe('active');
  }, 120_000);
});
