import type { Integration } from '../../shared/store/integrations-repository.js';
import type { coverageDocument, queuesDocument } from '../commands/queues.js';
import type { importDocument } from '../report.js';
import { CSRF_FIELD } from './guard.js';
import { localTimeLabel, periodDays, type Zoom } from './time-zone.js';

/**
 * The console's HTML: plain server-rendered pages from the commands' `--json` documents, so a page
 * shows exactly what the command line shows. Every value is escaped; the only script is the chart.
 */

export interface IntegrationShown {
  readonly integration: Integration;
  readonly warnings: readonly string[];
  readonly completeUpTo: string | null;
}
export type QueuesShown = ReturnType<typeof queuesDocument>;
export type CoverageShown = ReturnType<typeof coverageDocument>;
type ImportDocument = ReturnType<typeof importDocument>;
export type ViewsShown = ImportDocument['views'];

export const escapeHtml = (text: string): string =>
  text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');

const e = escapeHtml;
const enc = encodeURIComponent;

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2733;background:#f6f7f9}
header{background:#17494d;color:#fff;padding:10px 24px;display:flex;gap:24px;align-items:center}
header a{color:#fff;text-decoration:none;font-weight:600}
nav.sub{padding:8px 24px;background:#e3ecec;display:flex;gap:16px}
main{padding:16px 24px;max-width:1200px}
table{border-collapse:collapse;background:#fff;margin:8px 0}
th,td{border:1px solid #d5dbe1;padding:4px 8px;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.status-active{color:#1a7f37}.status-paused{color:#9a6700}.status-failing{color:#cf222e;font-weight:600}
.warning{background:#fff8c5;border:1px solid #d4a72c;padding:6px 10px;margin:6px 0}
.error{color:#cf222e}.notice{background:#dafbe1;border:1px solid #4ac26b;padding:6px 10px}
form.inline{display:inline}
fieldset{background:#fff;border:1px solid #d5dbe1;margin:12px 0;max-width:640px}
label{display:block;margin:8px 0 2px;font-weight:600}
input[type=text],input[type=password],input[type=url],select{width:100%;max-width:420px;padding:4px}
.hint{color:#57606a;font-size:12px}
.personal{background:#ddf4ff;border-radius:8px;padding:0 6px;font-size:12px}
#chart{background:#fff;border:1px solid #d5dbe1;margin:8px 0}
`;

export interface Layout {
  readonly title: string;
  readonly integration?: string;
  readonly body: string;
  readonly notice?: string;
  readonly head?: string;
  /** The time zone the person picked: every navigation link carries it, so it stays as they move on. */
  readonly zone?: string;
}

/**
 * A console path with the zone picked (`tz`), as a redirect's location. UTC, the default, is left
 * out, so the links of a person who never picked a zone stay plain.
 */
export const withZone = (path: string, zone: string | undefined): string =>
  zone === undefined || zone === 'UTC' ? path : `${path}${path.includes('?') ? '&' : '?'}tz=${enc(zone)}`;

/** `withZone`, escaped for an attribute. */
export const zoned = (path: string, zone: string | undefined): string => e(withZone(path, zone));

const integrationNav = (name: string, zone: string | undefined): string => {
  const base = `/integrations/${enc(name)}`;
  return `<nav class="sub"><strong>${e(name)}</strong><a href="${zoned(`${base}/queues`, zone)}">Queues</a><a href="${zoned(`${base}/views`, zone)}">Views</a><a href="${zoned(`${base}/coverage`, zone)}">Coverage</a></nav>`;
};

export const page = (layout: Layout): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${e(layout.title)} · zendesk-wfm</title>
<meta name="referrer" content="same-origin"><style>${STYLE}</style><script src="/assets/console.js" defer></script>${layout.head ?? ''}</head>
<body><header><a href="${zoned('/integrations', layout.zone)}">zendesk-wfm console</a><a href="${zoned('/integrations', layout.zone)}">Integrations</a><a href="/integrations/new">Add integration</a></header>
${layout.integration !== undefined ? integrationNav(layout.integration, layout.zone) : ''}
<main><h1>${e(layout.title)}</h1>${layout.notice ? `<p class="notice" role="status">${e(layout.notice)}</p>` : ''}${layout.body}</main></body></html>`;

const csrfInput = (csrf: string): string => `<input type="hidden" name="${CSRF_FIELD}" value="${e(csrf)}">`;

/** A button that posts `verb` for the integration; the zone picked rides on the form's address to the page after it. */
const action = (
  name: string,
  verb: string,
  label: string,
  csrf: string,
  zone: string | undefined,
  confirm?: string,
): string =>
  `<form class="inline" method="post" action="${zoned(`/integrations/${enc(name)}/${verb}`, zone)}"${confirm ? ` data-confirm="${e(confirm)}"` : ''}>${csrfInput(csrf)}<button type="submit">${e(label)}</button></form>`;

const statusCell = (i: Integration): string => {
  const reason = i.status === 'failing' && i.statusReason ? `: ${e(i.statusReason)}` : '';
  const since = i.failure ? ` (since ${e(i.failure.since)})` : '';
  return `<span class="status-${e(i.status)}">${e(i.status)}</span>${reason}${since}`;
};

export const integrationsPage = (
  shown: readonly IntegrationShown[],
  csrf: string,
  notice?: string,
  zone?: string,
): string =>
  page({
    title: 'Integrations',
    ...(zone !== undefined ? { zone } : {}),
    ...(notice !== undefined ? { notice } : {}),
    body:
      shown.length === 0
        ? '<p>No integration yet. <a href="/integrations/new">Add integration</a></p>'
        : `<table id="integrations"><thead><tr><th>Name</th><th>Domain</th><th>Status</th><th>Complete up to</th><th>Last run</th><th>Settings</th><th>Warnings</th><th>Actions</th></tr></thead><tbody>
${shown
  .map(({ integration: i, warnings, completeUpTo }) => {
    const base = `/integrations/${enc(i.name)}`;
    return `<tr data-integration="${e(i.name)}"><td><a href="${zoned(`${base}/queues`, zone)}">${e(i.name)}</a></td><td>${e(i.domain)}</td><td class="status">${statusCell(i)}</td><td class="complete-up-to">${completeUpTo ? e(completeUpTo) : 'nothing yet'}</td><td class="last-run">${i.lastCompletedRun ? e(i.lastCompletedRun.at) : 'none yet'}</td><td class="settings">credentials ${e(i.credentialKind)}<br>grouping <span class="grouping">${e(i.groupingStrategy)}</span> (cannot be changed)<br>${i.intervalMinutes}-minute intervals (cannot be changed)</td><td class="warnings">${warnings.map((w) => `<div class="warning">${e(w)}</div>`).join('')}</td><td>${
      i.status === 'paused'
        ? action(i.name, 'resume', 'Resume', csrf, zone)
        : i.status === 'failing'
          ? action(i.name, 'resume', 'Resume', csrf, zone) + action(i.name, 'pause', 'Pause', csrf, zone)
          : action(i.name, 'pause', 'Pause', csrf, zone)
    }<a class="switch-credentials" href="${zoned(`${base}/credentials`, zone)}">Switch credentials</a>${action(i.name, 'delete', 'Delete', csrf, zone, `Delete ${i.name}? Its credentials are removed; its queue history is kept.`)}</td></tr>`;
  })
  .join('\n')}</tbody></table>`,
  });

/** What a credentials form was given, its secrets left out: a refused form comes back without them. */
export interface CredentialsFormValues {
  readonly credentialKind: 'api_token' | 'oauth';
  readonly oauthClientId: string;
}

/** What the add form was given, its secrets left out. */
export interface AddFormValues extends CredentialsFormValues {
  readonly name: string;
  readonly domain: string;
  readonly baseUrl: string;
  readonly username: string;
  readonly grouping: 'ivr' | 'phone_number' | '';
  readonly interval: string;
}

export const EMPTY_CREDENTIALS_FORM: CredentialsFormValues = { credentialKind: 'oauth', oauthClientId: '' };

export const EMPTY_ADD_FORM: AddFormValues = {
  name: '',
  domain: '',
  baseUrl: '',
  username: '',
  credentialKind: 'api_token',
  oauthClientId: '',
  grouping: '',
  interval: '15',
};

export type AddFormField =
  | 'name'
  | 'domain'
  | 'baseUrl'
  | 'username'
  | 'apiToken'
  | 'oauthClientId'
  | 'oauthClientSecret'
  | 'oauthRefreshToken'
  | 'grouping'
  | 'interval'
  | 'form';

export const GROUPING_WARNING = 'The grouping strategy cannot be changed once the integration is saved.';

type FormErrors = Partial<Record<AddFormField, string>>;

const formControls = (errors: FormErrors) => {
  const error = (field: AddFormField) =>
    errors[field] ? `<div class="error" id="${field}-error" role="alert">${e(errors[field])}</div>` : '';
  const text = (field: AddFormField, label: string, value: string, hint: string, type = 'text') =>
    `<label for="${field}">${e(label)}</label><input type="${type}" id="${field}" name="${field}" value="${e(value)}" autocomplete="off"${errors[field] ? ' aria-invalid="true"' : ''}><div class="hint">${e(hint)}</div>${error(field)}`;
  // A secret is never put back into a page: its input is always empty.
  const secret = (field: AddFormField, label: string, hint: string) =>
    text(field, label, '', hint, 'password');
  return { error, text, secret };
};

/** The credential inputs of the add and switch-credentials forms. */
const credentialInputs = (values: CredentialsFormValues, errors: FormErrors): string => {
  const { text, secret } = formControls(errors);
  return `<label>Sign in with</label>
<label class="hint"><input type="radio" name="credentialKind" value="api_token"${values.credentialKind === 'api_token' ? ' checked' : ''}> API token</label>
<label class="hint"><input type="radio" name="credentialKind" value="oauth"${values.credentialKind === 'oauth' ? ' checked' : ''}> OAuth client</label>
${secret('apiToken', 'API token', 'Zendesk stops accepting API tokens on 30 April 2027; OAuth keeps working. Never shown again once saved.')}
${text('oauthClientId', 'OAuth client id', values.oauthClientId, 'With OAuth: the unique identifier of the OAuth client.')}
${secret('oauthClientSecret', 'OAuth client secret', 'With OAuth. Never shown again once saved.')}
${secret('oauthRefreshToken', 'OAuth refresh token (optional)', 'From the authorization-code flow; without it the client-credentials grant is used.')}`;
};

export const addIntegrationPage = (values: AddFormValues, errors: FormErrors, csrf: string): string => {
  const { error, text } = formControls(errors);
  return page({
    title: 'Add a Zendesk integration',
    body: `${error('form')}<form method="post" action="/integrations" id="add-integration">${csrfInput(csrf)}
<fieldset><legend>Integration</legend>${text('name', 'Name', values.name, 'A unique name that identifies the data source.')}</fieldset>
<fieldset><legend>User credentials</legend>
${text('domain', 'Zendesk domain', values.domain, 'Your full Zendesk domain, including the subdomain, e.g. example.zendesk.com')}
${text('baseUrl', 'Base URL (a local sandbox only)', values.baseUrl, 'Leave empty for a real Zendesk account; a loopback address such as http://127.0.0.1:8080 for the sandbox.')}
${text('username', 'Username', values.username, 'The email of a Zendesk admin.')}
${credentialInputs(values, errors)}
</fieldset>
<fieldset><legend>Configuration</legend>
<label>Grouping strategy</label>
<p class="warning" id="grouping-warning">${e(GROUPING_WARNING)}</p>
<label class="hint"><input type="radio" name="grouping" value="ivr"${values.grouping === 'ivr' ? ' checked' : ''}> IVR (the destination group names the Talk queue)</label>
<label class="hint"><input type="radio" name="grouping" value="phone_number"${values.grouping === 'phone_number' ? ' checked' : ''}> Phone number (the receiving number names the Talk queue)</label>
${error('grouping')}
<label for="interval">Interval</label><select id="interval" name="interval">${['15', '30', '60']
      .map((m) => `<option value="${m}"${values.interval === m ? ' selected' : ''}>${m} minutes</option>`)
      .join('')}</select><div class="hint">Cannot be changed once saved.</div>${error('interval')}
</fieldset>
<p class="hint">The credentials are checked against Zendesk before anything is saved.</p>
<button type="submit" id="save">Save integration</button></form>`,
  });
};

/**
 * Switch credentials (an API token to OAuth, or a new token): `integration update NAME` with the
 * new credentials, checked against Zendesk before they replace the stored ones. The stored ones
 * are never shown, only their kind.
 */
export const credentialsPage = (
  integration: Integration,
  values: CredentialsFormValues,
  errors: FormErrors,
  csrf: string,
  zone?: string,
): string => {
  const { error } = formControls(errors);
  return page({
    title: `Switch the credentials of ${integration.name}`,
    integration: integration.name,
    ...(zone !== undefined ? { zone } : {}),
    body: `${error('form')}<p>Signed in now with <strong id="current-kind">${e(integration.credentialKind)}</strong> as ${e(integration.username)} on ${e(integration.domain)}. The new credentials are checked against Zendesk first; the history and settings are kept.</p>
<form method="post" action="${zoned(`/integrations/${enc(integration.name)}/credentials`, zone)}" id="switch-credentials">${csrfInput(csrf)}
<fieldset><legend>New credentials</legend>
${credentialInputs(values, errors)}
</fieldset>
<button type="submit" id="save">Switch credentials</button></form>`,
  });
};

export const loginPage = (refusal?: string): string =>
  page({
    title: 'Sign in',
    body: `${refusal ? `<p class="error" role="alert">${e(refusal)}</p>` : ''}<form method="post" action="/login"><label for="token">Console token</label><input type="password" id="token" name="token" autocomplete="current-password"><div class="hint">The token given to <code>zendesk-wfm serve</code> when it started.</div><button type="submit">Sign in</button></form>`,
  });

export const errorPage = (title: string, message: string, integration?: string): string =>
  page({
    title,
    ...(integration !== undefined ? { integration } : {}),
    body: `<p class="error" role="alert">${e(message)}</p>`,
  });

const num = (n: number | undefined): string => (n === undefined ? '' : n.toLocaleString('en-US'));

/** The files `history --format` writes, offered for download from the queue pages. */
export const EXPORT_FORMATS = ['csv', 'injixo', 'erlang'] as const;
const EXPORT_LABELS: Readonly<Record<(typeof EXPORT_FORMATS)[number], string>> = {
  csv: 'CSV',
  injixo: 'injixo',
  erlang: 'Erlang-C',
};

/** Download links for a period (UTC instants) in a zone; Erlang-C takes one queue, so only with one. */
const exportLinks = (
  integration: string,
  period: { from: string; to: string },
  zone: string,
  queue?: string,
): string => {
  const formats = EXPORT_FORMATS.filter((f) => f !== 'erlang' || queue !== undefined);
  const href = (format: string) =>
    `/integrations/${enc(integration)}/export?format=${format}&amp;from=${enc(period.from)}&amp;to=${enc(period.to)}&amp;tz=${enc(zone)}${queue !== undefined ? `&amp;queue=${enc(queue)}` : ''}`;
  return `<p id="exports">Download this period (every interval up to how far the history is complete, quiet ones as zeros; local times in ${e(zone)}): ${formats.map((f) => `<a href="${href(f)}" data-format="${f}" download>${EXPORT_LABELS[f]}</a>`).join(' · ')}</p>`;
};

/** The time-zone picker: the page is shown again in the zone chosen. */
const zonePicker = (zones: readonly string[], zone: string): string =>
  `<label for="tz">Time zone</label><select id="tz" name="tz" data-submit-on-change>${zones.map((z) => `<option${z === zone ? ' selected' : ''}>${e(z)}</option>`).join('')}</select>`;

export const queuesPage = (doc: QueuesShown, zone: string, zones: readonly string[]): string => {
  const base = `/integrations/${enc(doc.integration)}`;
  const period = { from: new Date(doc.from), to: new Date(doc.to) };
  const days = periodDays(period, zone);
  return page({
    title: `Queues of ${doc.integration}`,
    integration: doc.integration,
    zone,
    body: `<form method="get" id="period">${zonePicker(zones, zone)}<label for="from">From (a day in ${e(zone)})</label><input type="date" id="from" name="from" value="${e(days.from)}"><label for="to">To (a day in ${e(zone)}, included)</label><input type="date" id="to" name="to" value="${e(days.to)}"> <button type="submit">Show totals</button></form>
${exportLinks(doc.integration, doc, zone)}
<p id="period-shown">Totals from <span id="period-from">${e(localTimeLabel(period.from, zone))}</span> to <span id="period-to">${e(localTimeLabel(period.to, zone))}</span> (${e(zone)}; stored in UTC: ${e(doc.from)} to ${e(doc.to)}).</p>
<p>Complete up to ${doc.completeUpTo ? e(doc.completeUpTo) : 'nothing yet'}; last run ${doc.lastCompletedRun ? e(doc.lastCompletedRun.at) : 'none yet'}.</p>
<table id="queues"><thead><tr><th>Queue</th><th>Source</th><th>Channel</th><th>Contacts</th><th>Handled</th><th>AHT (s)</th></tr></thead><tbody>
${doc.queues
  .map(
    (q) =>
      `<tr data-queue="${e(q.name)}"><td><a href="${base}/queue?queue=${enc(q.name)}&amp;tz=${enc(zone)}">${e(q.name)}</a></td><td>${e(q.source)}</td><td>${e(q.channel)}</td><td class="n contacts">${num(q.contacts)}</td><td class="n">${num(q.handled)}</td><td class="n">${num(q.ahtSeconds)}</td></tr>`,
  )
  .join('\n')}</tbody></table>`,
  });
};

export const viewsPage = (name: string, views: ViewsShown, zone: string): string =>
  page({
    title: `Views of ${name}`,
    integration: name,
    zone,
    body: `<table id="views"><thead><tr><th>View</th><th>Verdict</th><th>Reasons</th><th>Queues</th></tr></thead><tbody>
${views
  .map(
    (v) =>
      `<tr data-view="${v.id}"><td>${e(v.title)}${v.verdict === 'personal' ? ' <span class="personal">personal</span>' : ''}${v.active ? '' : ' (inactive)'}${v.excluded ? ' (excluded)' : ''}</td><td class="verdict">${e(v.verdict)}</td><td>${v.reasons.map((r) => e(r)).join('<br>')}</td><td>${v.queues.map((q) => e(q)).join('<br>')}${v.noQueuesBecause ? `<span class="hint">none: ${e(v.noQueuesBecause)}</span>` : ''}</td></tr>`,
  )
  .join('\n')}</tbody></table>`,
  });

const countTable = (id: string, title: string, counts: Readonly<Record<string, number>>): string => {
  const rows = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
  return `<h2>${e(title)}</h2>${
    rows.length === 0
      ? '<p>none</p>'
      : `<table id="${id}"><tbody>${rows.map(([k, n]) => `<tr><td>${e(k)}</td><td class="n">${num(n)}</td></tr>`).join('')}</tbody></table>`
  }`;
};

export const coveragePage = (doc: CoverageShown, zone: string): string =>
  page({
    title: `Coverage of ${doc.integration}`,
    integration: doc.integration,
    zone,
    body: `<p>Complete up to ${doc.completeUpTo ? e(doc.completeUpTo) : 'nothing yet'}; last run ${doc.lastCompletedRun ? e(doc.lastCompletedRun.at) : 'none yet'}.</p>
<table id="coverage-totals"><tbody><tr><td>Updates seen</td><td class="n">${num(doc.updatesSeen)}</td></tr><tr><td>Interactions counted</td><td class="n" id="interactions-counted">${num(doc.interactionsCounted)}</td></tr><tr><td>Calls seen</td><td class="n">${num(doc.callsSeen)}</td></tr><tr><td>Calls counted</td><td class="n">${num(doc.callsCounted)}</td></tr><tr><td>Quarantined records</td><td class="n" id="quarantined">${num(doc.quarantined)}</td></tr></tbody></table>
${countTable('by-channel', 'Counted by channel', doc.interactionsByChannel)}
${countTable('skipped', 'Skipped, by reason', doc.skippedByReason)}
${countTable('unmapped', 'Unmapped channels', doc.unmappedChannels)}
${countTable('calls-skipped', 'Calls skipped', doc.callsSkipped)}
${countTable('quarantined-by-stream', 'Quarantined, by stream', doc.quarantinedByStream)}`,
  });

/** One point of the chart: an interval of the period, zero when the history has none. */
export interface ChartPoint {
  readonly start: string;
  readonly label: string;
  readonly contacts: number;
  readonly handled?: number;
  readonly ahtSeconds?: number | null;
  /** Support only, where the history recorded them: of contacts, the reopens; the backlog at the interval's end. */
  readonly reopens?: number;
  readonly backlog?: number;
}

export interface QueueChart {
  readonly integration: string;
  readonly queue: string;
  readonly source: 'support' | 'talk';
  readonly channel: string;
  readonly zone: string;
  readonly zoom: Zoom;
  readonly day: string;
  readonly previousDay: string;
  readonly nextDay: string;
  readonly intervalMinutes: number;
  readonly points: readonly ChartPoint[];
  /**
   * The period shown, in UTC instants: local midnight to local midnight of the zoom's days, or to
   * how far the history is complete when that is earlier (`completeUpTo`).
   */
  readonly period: { readonly from: string; readonly to: string };
  /** Set when the zoom's days run past how far the history is complete: the period ends there. */
  readonly completeUpTo?: string;
}

/** A Support queue whose history recorded the backlog: its chart and table show it. */
const hasBacklog = (chart: QueueChart): boolean =>
  chart.source === 'support' && chart.points.some((p) => p.backlog !== undefined);

/** The data the chart script plots, inline in the page (the script reads it; nothing is fetched). */
export const chartData = (chart: QueueChart) => ({
  zone: chart.zone,
  // The left axis counts contacts, and a Support queue's backlog in tickets beside them.
  countsAxis: hasBacklog(chart) ? 'contacts · tickets in backlog' : 'contacts',
  xs: chart.points.map((p) => Date.parse(p.start) / 1000),
  series: [
    { label: 'Contacts', values: chart.points.map((p) => p.contacts) },
    ...(chart.source === 'talk'
      ? [
          { label: 'Handled', values: chart.points.map((p) => p.handled ?? 0) },
          { label: 'AHT (s)', values: chart.points.map((p) => p.ahtSeconds ?? null), axis: 'seconds' },
        ]
      : []),
    ...(hasBacklog(chart)
      ? [{ label: 'Backlog (tickets)', values: chart.points.map((p) => p.backlog ?? null) }]
      : []),
  ],
  explain: chart.points.map((p) => explainHref(chart, p.start)),
});

const explainHref = (chart: QueueChart, start: string): string =>
  `/integrations/${enc(chart.integration)}/explain?queue=${enc(chart.queue)}&interval=${enc(start)}&tz=${enc(chart.zone)}`;

/** `<` cannot close the script element from inside JSON. */
const inlineJson = (value: unknown): string => JSON.stringify(value).replaceAll('<', '\\u003c');

/**
 * Where a chart stops before the end of its days, and why: its intervals after it are not imported
 * yet, so neither the chart nor the downloads hold them (as zeros they would read as quiet ones).
 */
const periodEnd = (chart: QueueChart): string => {
  if (chart.completeUpTo === undefined) return '';
  const why = `the history is complete up to ${e(chart.completeUpTo)}, and later intervals are not imported yet, so they are neither drawn nor in the downloads.`;
  return Date.parse(chart.period.from) < Date.parse(chart.period.to)
    ? `<p id="period-end">Shown up to <span id="period-end-at">${e(localTimeLabel(new Date(chart.period.to), chart.zone))}</span>: ${why}</p>\n`
    : `<p id="period-end">Nothing of this period is shown: ${why}</p>\n`;
};

export const queuePage = (chart: QueueChart, zones: readonly string[]): string => {
  const base = `/integrations/${enc(chart.integration)}/queue?queue=${enc(chart.queue)}`;
  const link = (over: { zoom?: Zoom; day?: string; tz?: string }) =>
    `${base}&amp;zoom=${over.zoom ?? chart.zoom}&amp;day=${over.day ?? chart.day}&amp;tz=${enc(over.tz ?? chart.zone)}`;
  const talk = chart.source === 'talk';
  const backlog = hasBacklog(chart);
  return page({
    title: chart.queue,
    integration: chart.integration,
    zone: chart.zone,
    head: '<link rel="stylesheet" href="/assets/uPlot.min.css"><script src="/assets/uPlot.iife.min.js"></script><script src="/assets/queue-chart.js" defer></script>',
    body: `<p>${e(chart.source)} · ${e(chart.channel)} · ${chart.intervalMinutes}-minute intervals, stored in UTC, shown in <strong id="zone">${e(chart.zone)}</strong>.</p>
<form method="get" id="chart-controls" action="/integrations/${enc(chart.integration)}/queue"><input type="hidden" name="queue" value="${e(chart.queue)}"><input type="hidden" name="zoom" value="${chart.zoom}">
${zonePicker(zones, chart.zone)}
<label for="day">Day</label><input type="text" id="day" name="day" value="${e(chart.day)}"> <button type="submit">Show</button></form>
<p id="zoom">Zoom: ${(['day', 'week', 'month'] as const).map((z) => (z === chart.zoom ? `<strong>${z}</strong>` : `<a href="${link({ zoom: z })}">${z}</a>`)).join(' · ')}
 &nbsp; <a href="${link({ day: chart.previousDay })}" id="previous">◀ previous</a> · <a href="${link({ day: chart.nextDay })}" id="next">next ▶</a></p>
<div id="chart"></div>
${periodEnd(chart)}${Date.parse(chart.period.from) < Date.parse(chart.period.to) ? exportLinks(chart.integration, chart.period, chart.zone, chart.queue) : ''}
<script type="application/json" id="chart-data">${inlineJson(chartData(chart))}</script>
<p class="hint">Click an interval in the chart, or a row below, for the contacts behind it.</p>
<table id="intervals"><thead><tr><th>Interval (${e(chart.zone)})</th><th>Start (UTC)</th><th>Contacts</th>${talk ? '<th>Handled</th><th>AHT (s)</th>' : ''}${backlog ? '<th>Reopens</th><th>Backlog</th>' : ''}</tr></thead><tbody>
${chart.points
  .map(
    (p) =>
      `<tr><td><a href="${e(explainHref(chart, p.start))}">${e(p.label)}</a></td><td>${e(p.start)}</td><td class="n">${p.contacts}</td>${talk ? `<td class="n">${p.handled ?? 0}</td><td class="n">${p.ahtSeconds ?? ''}</td>` : ''}${backlog ? `<td class="n reopens">${p.reopens ?? ''}</td><td class="n backlog">${p.backlog ?? ''}</td>` : ''}</tr>`,
  )
  .join('\n')}</tbody></table>`,
  });
};

export const explainPage = (name: string, queue: string, text: string, back: string, zone: string): string =>
  page({
    title: `Contacts behind ${queue}`,
    integration: name,
    zone,
    body: `<p><a href="${e(back)}">◀ back to the chart</a></p><pre id="explain">${e(text)}</pre>`,
  });
