import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CliIo } from '../context.js';
import type { InstallLender } from '../local-install.js';
import type { ErrorReport } from '../errors.js';
import {
  addCommandFromForm,
  addFormFieldOf,
  credentialsFormFieldOf,
  switchCredentialsCommandFromForm,
} from './forms.js';
import { consoleAssets } from './assets.js';
import type { HistoryJson } from '../history-files.js';
import type { ConsoleGuard } from './guard.js';
import {
  EMPTY_ADD_FORM,
  EXPORT_FORMATS,
  EMPTY_CREDENTIALS_FORM,
  addIntegrationPage,
  coveragePage,
  credentialsPage,
  errorPage,
  explainPage,
  integrationsPage,
  loginPage,
  queuePage,
  queuesPage,
  viewsPage,
  withZone,
  type ChartPoint,
  type CoverageShown,
  type IntegrationShown,
  type QueuesShown,
  type ViewsShown,
} from './pages.js';
import { isTimeZone } from '../../shared/domain/time-zones.js';
import { historyPeriod } from '../commands/inspect.js';
import {
  ZOOMS,
  isDay,
  localDay,
  localDayStart,
  localDaysPeriod,
  localTimeLabel,
  zoomPeriod,
  type Zoom,
} from './time-zone.js';

/**
 * The web console `serve` offers beside its webhooks: each page runs the command the CLI runs for
 * the same question (`integration list`, `queues`, `history`, `views`, `coverage`, `explain`, with
 * `--json`) on serve's open install, in this process, exactly as serve's local API runs a client's
 * command line; each form runs the command that does the same change (`integration add`, `pause`,
 * `resume`, `delete`). One code path, the same numbers.
 */
export interface ConsoleOptions {
  /** The data folder serve holds: every command is run on it. */
  readonly dataDir: string;
  /** Runs a command line as `zendesk-wfm` does (program.ts's run). */
  readonly run: (argv: readonly string[], io: CliIo) => Promise<number>;
  /** Serve's open install, lent to one command; the signal stops its run. */
  readonly lend: (signal: AbortSignal) => InstallLender;
  readonly now: () => Date;
  readonly guard: ConsoleGuard;
  /** Aborts the commands in hand when serve stops. */
  readonly stopping: AbortSignal;
}

export type ConsoleHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

interface CommandRun {
  readonly exitCode: number;
  readonly stdout: string;
  /** What the command said of its failure, as a value: its line, exit code and the field it concerns. */
  readonly failure?: ErrorReport;
}

/** A failed command's line for a page (a failure it did not report as a value cannot happen; said plainly if it does). */
const failureText = (run: CommandRun): string =>
  run.failure?.message ?? `the command failed (exit code ${run.exitCode})`;

class CommandRefused extends Error {}

/** The zones offered first in the picker; any IANA zone can be given in the URL. */
const COMMON_ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Paris',
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'Asia/Kolkata',
  'Asia/Tokyo',
  'Australia/Sydney',
];

/** The picker's zones: the common ones, and the chosen one when it is not among them. */
const zonesFor = (zone: string): string[] =>
  COMMON_ZONES.includes(zone) ? COMMON_ZONES : [zone, ...COMMON_ZONES];

const MAX_FORM_BYTES = 64 * 1024;

/** A refusal of the input (exit 2) or by Zendesk (exit 3) is the form's to fix; anything else failed. */
const refusalStatus = (run: CommandRun): number => (run.exitCode === 2 || run.exitCode === 3 ? 422 : 500);

const readForm = (req: IncomingMessage): Promise<URLSearchParams | undefined> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_FORM_BYTES) chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(
        size > MAX_FORM_BYTES ? undefined : new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
      ),
    );
    req.on('error', reject);
  });

const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  // Only this console's own scripts and styles; no frame may hold it (clickjacking).
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

export const consoleHandler = (options: ConsoleOptions): ConsoleHandler => {
  const { guard } = options;

  const runCommand = async (
    argv: readonly string[],
    signal: AbortSignal,
    env: Record<string, string> = {},
  ): Promise<CommandRun> => {
    const stdout: string[] = [];
    let failure: ErrorReport | undefined;
    const exitCode = await options.run([...argv, '--data-dir', options.dataDir], {
      stdout: (t) => stdout.push(t),
      // Warnings and progress lines are for a terminal; a page shows the result or the failure.
      stderr: () => undefined,
      env,
      stderrIsTty: false,
      now: options.now,
      lender: options.lend(signal),
      failed: (f) => {
        failure = f;
      },
    });
    return { exitCode, stdout: stdout.join(''), ...(failure ? { failure } : {}) };
  };
  /** A read: the command's `--json` document, or its refusal in its own words. */
  /** A command whose output is one JSON document (`--json`, or a file such as `--format json`). */
  const readDocument = async <T>(argv: readonly string[], signal: AbortSignal): Promise<T> => {
    const run = await runCommand(argv, signal);
    if (run.exitCode !== 0) throw new CommandRefused(failureText(run));
    return JSON.parse(run.stdout) as T;
  };
  const readJson = <T>(argv: readonly string[], signal: AbortSignal): Promise<T> =>
    readDocument<T>([...argv, '--json'], signal);

  const send = (res: ServerResponse, status: number, html: string, cookies: string[] = []) => {
    res.writeHead(status, { ...HEADERS, ...(cookies.length > 0 ? { 'set-cookie': cookies } : {}) }).end(html);
  };
  const redirect = (res: ServerResponse, location: string, cookies: string[] = []) => {
    res.writeHead(303, { location, ...(cookies.length > 0 ? { 'set-cookie': cookies } : {}) }).end();
  };

  const integrations = async (signal: AbortSignal): Promise<IntegrationShown[]> => {
    const all = await readJson<{ name: string }[]>(['integration', 'list'], signal);
    const shown: IntegrationShown[] = [];
    for (const i of all)
      shown.push(await readJson<IntegrationShown>(['integration', 'show', i.name], signal));
    return shown;
  };

  const zoneOf = (url: URL): string => {
    const zone = url.searchParams.get('tz') ?? 'UTC';
    if (!isTimeZone(zone))
      throw new CommandRefused(`tz: "${zone}" is not an IANA time zone, e.g. Europe/Berlin`);
    return zone;
  };

  const queueChart = async (name: string, url: URL, signal: AbortSignal): Promise<string> => {
    const queue = url.searchParams.get('queue') ?? '';
    const zone = zoneOf(url);
    const zoomGiven = url.searchParams.get('zoom') ?? 'day';
    if (!(ZOOMS as readonly string[]).includes(zoomGiven))
      throw new CommandRefused(`zoom: one of ${ZOOMS.join(', ')}, not "${zoomGiven}"`);
    const zoom = zoomGiven as Zoom;
    const shown = await readJson<IntegrationShown>(['integration', 'show', name], signal);
    const { integration } = shown;
    // By default the last day the history is complete for (or today), in the chosen zone.
    const dayGiven = url.searchParams.get('day');
    if (dayGiven !== null && !isDay(dayGiven)) throw new CommandRefused(`day: YYYY-MM-DD, not "${dayGiven}"`);
    const day =
      dayGiven ??
      localDay(shown.completeUpTo ? new Date(Date.parse(shown.completeUpTo) - 1) : options.now(), zone);
    const asked = zoomPeriod(zoom, day, zone);
    // What `history` writes of it: never past how far the history is complete (intervals not
    // imported are no zeros). The page says where it ends, and its downloads stop there too.
    const period = historyPeriod(
      integration,
      asked,
      shown.completeUpTo === null ? null : new Date(shown.completeUpTo),
      options.now(),
    );
    // The history file's rows: every interval of the period, quiet ones included, a Support row
    // with its reopens and the backlog at its end.
    const [series] = await readDocument<HistoryJson>(
      [
        'history',
        name,
        '--queue',
        queue,
        '--from',
        asked.from.toISOString(),
        '--to',
        asked.to.toISOString(),
        '--format',
        'json',
      ],
      signal,
    );
    // The file names its queue (history refuses a queue the integration does not have): no other
    // read is needed, and the page reads the period's history only. A point is a row of the file,
    // so none is drawn that the file does not hold.
    const source = series?.queue.source ?? 'support';
    const points: ChartPoint[] = (series?.rows ?? []).map((row) => ({
      start: row.start,
      label: localTimeLabel(new Date(row.start), zone),
      contacts: row.offered,
      ...(source === 'talk' ? { handled: row.handled ?? 0, ahtSeconds: row.ahtSeconds ?? null } : {}),
      ...(row.reopens !== undefined ? { reopens: row.reopens } : {}),
      ...(row.backlog !== undefined ? { backlog: row.backlog } : {}),
    }));
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    const shift = (months: number, days: number) =>
      new Date(Date.UTC(y, m - 1 + months, zoom === 'month' ? 1 : d + days)).toISOString().slice(0, 10);
    const step = zoom === 'week' ? 7 : 1;
    return queuePage(
      {
        integration: integration.name,
        queue: series?.queue.name ?? queue,
        source,
        channel: series?.queue.channel ?? '',
        zone,
        zoom,
        day,
        previousDay: zoom === 'month' ? shift(-1, 0) : shift(0, -step),
        nextDay: zoom === 'month' ? shift(1, 0) : shift(0, step),
        intervalMinutes: integration.intervalMinutes,
        points,
        period: { from: period.from.toISOString(), to: period.to.toISOString() },
        ...(period.cut !== undefined ? { completeUpTo: period.cut.completeUpTo.toISOString() } : {}),
      },
      zonesFor(zone),
    );
  };

  const answer = async (req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://console.invalid');
    const path = url.pathname;
    if (!guard.hostAllowed(req))
      return send(res, 421, errorPage('Wrong address', 'this console is served on another address'));
    const asset = consoleAssets().get(path);
    if (asset && req.method === 'GET') {
      res
        .writeHead(200, {
          'content-type': asset.type,
          'cache-control': 'max-age=3600',
          'x-content-type-options': 'nosniff',
        })
        .end(asset.body);
      return;
    }
    const browser = guard.browser(req);
    const cookies = browser.setCookie ? [browser.setCookie] : [];
    const csrf = guard.csrfToken(browser.id);

    if (path === '/login') {
      if (!guard.requiresSignIn) return redirect(res, '/integrations', cookies);
      if (req.method === 'GET') return send(res, 200, loginPage(), cookies);
      const form = await readForm(req);
      if (!form) return send(res, 413, loginPage('the form is too large'));
      // Signing in comes from this console's page too: another site cannot sign a browser in.
      const origin = req.headers.origin;
      if (origin !== undefined && origin !== `http://${req.headers.host ?? ''}`)
        return send(res, 403, loginPage('the request did not come from a page of this console'));
      const session = guard.signIn(form.get('token') ?? '');
      if (!session) return send(res, 401, loginPage('wrong token'), cookies);
      return redirect(res, '/integrations', [...cookies, session]);
    }
    if (!guard.signedIn(req)) return redirect(res, '/login', cookies);

    let form: URLSearchParams | undefined;
    if (req.method === 'POST') {
      form = await readForm(req);
      if (!form) return send(res, 413, errorPage('Refused', 'the form is too large'));
      const refusal = guard.crossSiteRefusal(req, form);
      if (refusal) return send(res, 403, errorPage('Refused', refusal));
    } else if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, errorPage('Refused', `${req.method ?? ''} is not answered here`));

    if (path === '/' || path === '') return redirect(res, '/integrations', cookies);
    if (path === '/integrations' && !form) {
      const notice = url.searchParams.get('notice') ?? undefined;
      return send(res, 200, integrationsPage(await integrations(signal), csrf, notice, zoneOf(url)), cookies);
    }
    if (path === '/integrations/new' && !form)
      return send(res, 200, addIntegrationPage(EMPTY_ADD_FORM, {}, csrf), cookies);
    if (path === '/integrations' && form) {
      const add = addCommandFromForm(form);
      const run = await runCommand(add.argv, signal, add.env);
      if (run.exitCode === 0)
        return redirect(
          res,
          `/integrations?notice=${encodeURIComponent(`Added integration "${add.values.name}"; its import has started.`)}`,
        );
      return send(
        res,
        refusalStatus(run),
        addIntegrationPage(add.values, { [addFormFieldOf(run.failure, add.values)]: failureText(run) }, csrf),
        cookies,
      );
    }
    const match = /^\/integrations\/([^/]+)\/([a-z]+)$/.exec(path);
    if (!match) return send(res, 404, errorPage('Not found', `no page at ${path}`), cookies);
    const name = decodeURIComponent(match[1] ?? '');
    const verb = match[2] ?? '';
    if (form && verb === 'credentials') {
      const change = switchCredentialsCommandFromForm(name, form);
      const run = await runCommand(change.argv, signal, change.env);
      if (run.exitCode === 0)
        return redirect(
          res,
          withZone(`/integrations?notice=${encodeURIComponent(run.stdout.trim())}`, zoneOf(url)),
        );
      const shown = await readJson<IntegrationShown>(['integration', 'show', name], signal);
      return send(
        res,
        refusalStatus(run),
        credentialsPage(
          shown.integration,
          change.values,
          { [credentialsFormFieldOf(run.failure, change.values)]: failureText(run) },
          csrf,
          zoneOf(url),
        ),
        cookies,
      );
    }
    if (form) {
      if (verb !== 'pause' && verb !== 'resume' && verb !== 'delete')
        return send(res, 404, errorPage('Not found', `no action ${verb}`));
      const run = await runCommand(['integration', verb, name], signal);
      const said = run.exitCode === 0 ? run.stdout.trim() : `${verb} refused: ${failureText(run)}`;
      return redirect(res, withZone(`/integrations?notice=${encodeURIComponent(said)}`, zoneOf(url)));
    }
    const zone = zoneOf(url);
    switch (verb) {
      case 'credentials': {
        const shown = await readJson<IntegrationShown>(['integration', 'show', name], signal);
        return send(
          res,
          200,
          credentialsPage(shown.integration, EMPTY_CREDENTIALS_FORM, {}, csrf, zone),
          cookies,
        );
      }
      case 'queues': {
        // The period is chosen in local days of the chosen zone (the last one included) and asked
        // for in UTC instants: its first local midnight to the one after its last day.
        const day = (key: 'from' | 'to'): string | undefined => {
          const given = url.searchParams.get(key) ?? '';
          if (given === '') return undefined;
          if (!isDay(given)) throw new CommandRefused(`${key}: a day, YYYY-MM-DD, not "${given}"`);
          return given;
        };
        const [fromDay, toDay] = [day('from'), day('to')];
        const period = [
          ...(fromDay !== undefined ? ['--from', localDayStart(fromDay, zone).toISOString()] : []),
          ...(toDay !== undefined ? ['--to', localDaysPeriod(toDay, toDay, zone).to.toISOString()] : []),
        ];
        const doc = await readJson<QueuesShown>(['queues', name, ...period], signal);
        return send(res, 200, queuesPage(doc, zone, zonesFor(zone)), cookies);
      }
      case 'queue':
        return send(res, 200, await queueChart(name, url, signal), cookies);
      case 'export': {
        // The file `history --format` writes for the same question: one code path, the same bytes.
        const format = url.searchParams.get('format') ?? '';
        if (!(EXPORT_FORMATS as readonly string[]).includes(format))
          throw new CommandRefused(`format: one of ${EXPORT_FORMATS.join(', ')}, not "${format}"`);
        const queue = url.searchParams.get('queue') ?? '';
        const argv = [
          'history',
          name,
          '--format',
          format,
          '--tz',
          zone,
          ...(['from', 'to'] as const).flatMap((k) => {
            const v = url.searchParams.get(k) ?? '';
            return v === '' ? [] : [`--${k}`, v];
          }),
          ...(queue !== '' ? ['--queue', queue] : []),
        ];
        const run = await runCommand(argv, signal);
        if (run.exitCode !== 0) throw new CommandRefused(failureText(run));
        const file = `${[name, queue || 'queues', format].join('-').replace(/[^A-Za-z0-9._-]+/g, '_')}.csv`;
        res
          .writeHead(200, {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': `attachment; filename="${file}"`,
            'cache-control': 'no-store',
            'x-content-type-options': 'nosniff',
            ...(cookies.length > 0 ? { 'set-cookie': cookies } : {}),
          })
          .end(run.stdout);
        return;
      }
      case 'views':
        return send(
          res,
          200,
          viewsPage(name, await readJson<ViewsShown>(['views', name], signal), zone),
          cookies,
        );
      case 'coverage':
        return send(
          res,
          200,
          coveragePage(await readJson<CoverageShown>(['coverage', name], signal), zone),
          cookies,
        );
      case 'explain': {
        const queue = url.searchParams.get('queue') ?? '';
        const interval = url.searchParams.get('interval') ?? '';
        const run = await runCommand(['explain', name, '--queue', queue, '--interval', interval], signal);
        // Exit code 1 with an explanation: its contacts do not add up, which the text marks (DIFFERS).
        if (run.exitCode !== 0 && run.stdout === '') throw new CommandRefused(failureText(run));
        const back = `/integrations/${encodeURIComponent(name)}/queue?queue=${encodeURIComponent(queue)}&tz=${encodeURIComponent(zone)}&day=${localDay(new Date(interval), zone)}`;
        return send(res, 200, explainPage(name, queue, run.stdout, back, zone), cookies);
      }
      default:
        return send(res, 404, errorPage('Not found', `no page at ${path}`), cookies);
    }
  };

  return async (req, res) => {
    const gone = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    const signal = AbortSignal.any([gone.signal, options.stopping]);
    try {
      await answer(req, res, signal);
    } catch (error) {
      if (res.headersSent) return void res.end();
      if (error instanceof CommandRefused)
        return send(res, 400, errorPage('Cannot show this', error.message));
      send(res, 500, errorPage('Internal error', "the console could not answer; serve's output says why"));
      throw error;
    }
  };
};
