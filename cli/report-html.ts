/**
 * `zendesk-wfm report`: one self-contained HTML page to send to a colleague: the integration with
 * its status and freshness, the views with their verdicts and reasons, the queues with their totals
 * and a chart each over the period. Everything is inline (styles, the charts as hand-made SVG, the
 * numbers as a JSON block), so it opens offline and loads nothing: an SVG of bars is a few lines,
 * where a charting library would add hundreds of kilobytes to every file sent.
 */
import type { Per, QueueSeries, SeriesRow } from '../shared/domain/queue-series.js';
import { localIso, localTime, mondayOf } from '../shared/domain/time-zones.js';

export interface ReportView {
  readonly id: number;
  readonly title: string;
  readonly active: boolean;
  readonly verdict: string;
  readonly excluded: boolean;
  readonly reasons: readonly string[];
  readonly queues: readonly string[];
  readonly noQueuesBecause?: string;
}

export interface ReportModel {
  readonly integration: {
    readonly name: string;
    readonly domain: string;
    readonly status: string;
    readonly statusReason?: string;
    readonly groupingStrategy: string;
    readonly intervalMinutes: number;
  };
  readonly completeUpTo: string | null;
  readonly lastCompletedRun: { readonly at: string; readonly runId: string } | null;
  readonly period: { readonly from: string; readonly to: string };
  readonly timeZone: string;
  readonly per: Per;
  readonly generatedAt: string;
  readonly views: readonly ReportView[];
  readonly queues: readonly QueueSeries[];
}

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text and attribute values: a queue or view title is Zendesk data, never markup. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);

const count = (n: number): string => n.toLocaleString('en-US');
const secondsText = (s: number | undefined): string => (s === undefined ? '' : `${Math.round(s)} s`);

/** How a row's start reads: a day as its date, a week as its Monday, an hour or interval with its offset. */
export const rowLabel = (startMs: number, per: Per, timeZone: string): string =>
  per === 'week'
    ? `week of ${mondayOf(localTime(startMs, timeZone).date)}`
    : per === 'day'
      ? localTime(startMs, timeZone).date
      : localIso(startMs, timeZone);

const CHART = { width: 720, height: 180, left: 44, bottom: 22, top: 8 } as const;

/** Bars of contacts per row; each bar says its start and value (hover) and carries them as data. */
export const chartSvg = (series: QueueSeries, per: Per, timeZone: string): string => {
  const rows = series.rows;
  const plotW = CHART.width - CHART.left - 4;
  const plotH = CHART.height - CHART.top - CHART.bottom;
  const max = rows.reduce((m, r) => Math.max(m, r.offered), 1);
  const step = rows.length > 0 ? plotW / rows.length : plotW;
  const barW = Math.max(1, step * 0.8);
  const bars = rows
    .map((r: SeriesRow, i) => {
      const h = (r.offered / max) * plotH;
      const x = CHART.left + i * step + (step - barW) / 2;
      const y = CHART.top + plotH - h;
      const label = rowLabel(r.startMs, per, timeZone);
      const talk =
        r.handled !== undefined
          ? `, ${count(r.handled)} handled${r.ahtSeconds !== undefined ? `, AHT ${Math.round(r.ahtSeconds)} s` : ''}`
          : '';
      return `<rect class="bar" x="${x.toFixed(2)}" y="${y.toFixed(2)}" width="${barW.toFixed(2)}" height="${h.toFixed(2)}" data-start="${new Date(r.startMs).toISOString()}" data-value="${r.offered}"><title>${escapeHtml(label)}: ${count(r.offered)} contacts${talk}</title></rect>`;
    })
    .join('');
  const first = rows[0];
  const last = rows[rows.length - 1];
  const axis = [
    `<line x1="${CHART.left}" y1="${CHART.top + plotH}" x2="${CHART.width - 4}" y2="${CHART.top + plotH}" class="axis"/>`,
    `<text x="${CHART.left - 6}" y="${CHART.top + 10}" text-anchor="end">${count(max)}</text>`,
    `<text x="${CHART.left - 6}" y="${CHART.top + plotH}" text-anchor="end">0</text>`,
    first
      ? `<text x="${CHART.left}" y="${CHART.height - 6}">${escapeHtml(rowLabel(first.startMs, per, timeZone))}</text>`
      : '',
    last && last !== first
      ? `<text x="${CHART.width - 4}" y="${CHART.height - 6}" text-anchor="end">${escapeHtml(rowLabel(last.startMs, per, timeZone))}</text>`
      : '',
  ].join('');
  return `<svg class="chart" viewBox="0 0 ${CHART.width} ${CHART.height}" role="img" aria-label="${escapeHtml(`${series.queue.name}: contacts per ${per}`)}">${axis}${bars}</svg>`;
};

const STYLE = `
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2933;margin:2rem auto;max-width:62rem;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.25rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d9e2ec}
h3{font-size:1rem;margin:1.5rem 0 .25rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #eef2f6;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.muted{color:#627d98}.status-active{color:#18794e}.status-paused{color:#9a6700}.status-failing{color:#c62828}
.chart{width:100%;height:auto}.chart .bar{fill:#2f80ed}.chart .axis{stroke:#9fb3c8}.chart text{font-size:11px;fill:#627d98}
`;

const viewRows = (views: readonly ReportView[]): string =>
  views
    .map(
      (v) =>
        `<tr><td class="n">${v.id}</td><td>${escapeHtml(v.title)}</td><td>${v.active ? 'active' : 'inactive'}</td><td>${escapeHtml(v.excluded ? `${v.verdict}, excluded` : v.verdict)}</td><td>${escapeHtml(v.queues.length > 0 ? v.queues.join(', ') : `none (${v.noQueuesBecause ?? ''})`)}</td><td>${escapeHtml(v.reasons.join('; '))}</td></tr>`,
    )
    .join('\n');

const totalCells = (t: SeriesRow): string =>
  `<td class="n">${count(t.offered)}</td><td class="n">${t.handled !== undefined ? count(t.handled) : ''}</td><td class="n">${t.handleTimeSeconds !== undefined ? secondsText(t.handleTimeSeconds) : ''}</td><td class="n">${secondsText(t.ahtSeconds)}</td><td class="n">${t.reopens !== undefined ? count(t.reopens) : ''}</td><td class="n">${t.backlog !== undefined ? count(t.backlog) : ''}</td>`;

/** The numbers of the page, for a reader's own tools: what the tables and charts show. */
export const reportData = (model: ReportModel) => ({
  integration: model.integration.name,
  period: model.period,
  timeZone: model.timeZone,
  per: model.per,
  completeUpTo: model.completeUpTo,
  queues: model.queues.map((s) => ({
    name: s.queue.name,
    channel: s.queue.channel,
    source: s.queue.source,
    total: { ...s.total, start: new Date(s.total.startMs).toISOString() },
    rows: s.rows.map((r) => ({ start: new Date(r.startMs).toISOString(), ...r })),
  })),
});

/** A JSON block inside a script element: `<` escaped, so no text in it can close the element. */
const jsonBlock = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

export const reportHtml = (model: ReportModel): string => {
  const i = model.integration;
  const live = model.views;
  const queues = model.queues;
  const perText = model.per === 'interval' ? `${i.intervalMinutes}-minute interval` : model.per;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${i.name}: Zendesk WFM report`)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(i.name)} <span class="muted">(${escapeHtml(i.domain)})</span></h1>
<p>Status <strong class="status-${escapeHtml(i.status)}">${escapeHtml(i.status)}</strong>${i.statusReason ? ` (${escapeHtml(i.statusReason)})` : ''}; grouping ${escapeHtml(i.groupingStrategy)}; ${i.intervalMinutes}-minute intervals.</p>
<p>Complete up to <strong>${escapeHtml(model.completeUpTo ?? 'nothing imported yet')}</strong>; last completed run ${escapeHtml(model.lastCompletedRun ? `${model.lastCompletedRun.at} (run ${model.lastCompletedRun.runId})` : 'none yet')}.</p>
<p class="muted">Period ${escapeHtml(model.period.from)} → ${escapeHtml(model.period.to)}, shown in ${escapeHtml(model.timeZone)}, per ${escapeHtml(perText)}. Written ${escapeHtml(model.generatedAt)}.</p>

<h2>Views</h2>
${live.length > 0 ? `<table id="views"><thead><tr><th class="n">id</th><th>title</th><th>state</th><th>verdict</th><th>queues</th><th>reasons</th></tr></thead><tbody>\n${viewRows(live)}\n</tbody></table>` : '<p>No views yet.</p>'}

<h2>Queues</h2>
${queues.length > 0 ? `<table id="queues"><thead><tr><th>queue</th><th>channel</th><th>source</th><th class="n">contacts</th><th class="n">handled</th><th class="n">handle time</th><th class="n">AHT</th><th class="n">reopens</th><th class="n">backlog at end</th></tr></thead><tbody>\n${queues.map((s) => `<tr><td>${escapeHtml(s.queue.name)}</td><td>${escapeHtml(s.queue.channel)}</td><td>${s.queue.source}</td>${totalCells(s.total)}</tr>`).join('\n')}\n</tbody></table>` : '<p>No queue has a history yet.</p>'}

${queues.map((s) => `<section class="queue"><h3>${escapeHtml(s.queue.name)}</h3>\n${chartSvg(s, model.per, model.timeZone)}</section>`).join('\n')}

<script type="application/json" id="report-data">${jsonBlock(reportData(model))}</script>
</body>
</html>
`;
};
