import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The console's static files, all from this package (no CDN: the console works offline). uPlot
 * draws the chart: a small, dependency-free, well-kept time-series library whose `tzDate` shows
 * UTC instants in any IANA zone, which is what a planner's local view of a UTC history needs.
 */

/** The chart script: plots the page's inline data and opens an interval's explanation on a click. */
const QUEUE_CHART_JS = `(() => {
  const data = JSON.parse(document.getElementById('chart-data').textContent);
  const el = document.getElementById('chart');
  const colours = ['#17494d', '#d4a72c', '#cf222e'];
  const series = [{}].concat(data.series.map((s, i) => ({
    label: s.label,
    stroke: colours[i],
    width: 2,
    scale: s.axis === 'seconds' ? 's' : 'n',
    points: { show: data.xs.length <= 200 },
  })));
  const axes = [{}, { scale: 'n', label: data.countsAxis }];
  if (data.series.some((s) => s.axis === 'seconds')) axes.push({ scale: 's', side: 1, label: 'AHT (s)', grid: { show: false } });
  const chart = new uPlot({
    width: Math.max(600, Math.min(1150, el.clientWidth || 1100)),
    height: 360,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), data.zone),
    scales: { x: { time: true }, n: { auto: true, range: (u, min, max) => [0, Math.max(1, max)] } },
    series,
    axes,
  }, [data.xs].concat(data.series.map((s) => s.values)), el);
  chart.over.style.cursor = 'pointer';
  chart.over.addEventListener('click', () => {
    const idx = chart.cursor.idx;
    if (idx !== null && idx !== undefined && data.explain[idx]) window.location.href = data.explain[idx];
  });
  // What is plotted, for whoever checks it (the browser tests read it back).
  window.queueChart = chart;
  el.dataset.points = String(data.xs.length);
})();
`;

/** The pages' behaviour, from a file (the console's CSP allows no inline script or handler). */
const CONSOLE_JS = `document.addEventListener('submit', (event) => {
  const message = event.target.dataset && event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});
document.addEventListener('change', (event) => {
  if (event.target.hasAttribute && event.target.hasAttribute('data-submit-on-change')) event.target.form.submit();
});
`;

const require = createRequire(import.meta.url);
const uplotDist = dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));

export interface Asset {
  readonly type: string;
  readonly body: string;
}

let cache: Map<string, Asset> | undefined;

export const consoleAssets = (): Map<string, Asset> => {
  cache ??= new Map([
    [
      '/assets/uPlot.iife.min.js',
      { type: 'text/javascript', body: readFileSync(join(uplotDist, 'uPlot.iife.min.js'), 'utf8') },
    ],
    [
      '/assets/uPlot.min.css',
      { type: 'text/css', body: readFileSync(join(uplotDist, 'uPlot.min.css'), 'utf8') },
    ],
    ['/assets/console.js', { type: 'text/javascript', body: CONSOLE_JS }],
    ['/assets/queue-chart.js', { type: 'text/javascript', body: QUEUE_CHART_JS }],
  ]);
  return cache;
};
