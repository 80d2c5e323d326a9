// The trend chart: pass rate per policy over time, drawn in the browser by uPlot (MIT, a dependency served
// by the app itself from node_modules: no CDN) from a JSON data block in the page. Without JavaScript the
// same figures are a table. Also the dashboard's stylesheet and its one script, served as files so that
// the Content-Security-Policy can forbid inline scripts and styles.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { DailyRollup } from '../report/store/types.js';

export interface Trend {
  /** `2026-12-01`, oldest first. */
  days: string[];
  /** Per policy: pass rate in percent (pass / (pass + fail)) per day; null when nothing was judged. */
  series: { policy: string; title: string; rates: (number | null)[] }[];
}

/** Pass rate per policy per day, policies in `titles`' order (those without any rollup left out). */
export function trendOf(rollups: DailyRollup[], titles: ReadonlyMap<string, string>): Trend {
  const days = rollups.map((r) => r.day);
  const series: Trend['series'] = [];
  for (const [policy, title] of titles) {
    const rates = rollups.map((r) => {
      const counts = r.policies[policy];
      if (!counts) return null;
      const judged = counts.pass + counts.fail;
      return judged === 0 ? null : Math.round((1000 * counts.pass) / judged) / 10;
    });
    if (rates.some((rate) => rate !== null)) series.push({ policy, title, rates });
  }
  return { days, series };
}

/**
 * An installation-like history from repositories' own histories, for a viewer who sees only some of
 * them: each day sums, per repository, its rollup of that day or else its latest earlier one (a
 * repository is counted as it was last seen).
 */
export function combineHistories(histories: DailyRollup[][]): DailyRollup[] {
  const days = [...new Set(histories.flatMap((h) => h.map((r) => r.day)))].sort();
  const totals = days.map((day): DailyRollup => ({
    day,
    repositories: 0,
    policies: {},
    findings: { error: 0, warning: 0, info: 0 },
    images: { count: 0, eol: 0, staleDigests: 0 },
    packages: { outdated: 0, libyears: 0 },
  }));
  // Each history (oldest first) walked once beside the days: linear in days × repositories.
  for (const history of histories) {
    let next = 0;
    let current: DailyRollup | undefined;
    for (const total of totals) {
      while (next < history.length && history[next]!.day <= total.day) current = history[next++];
      if (current) add(total, current);
    }
  }
  return totals;
}

function add(total: DailyRollup, current: DailyRollup): void {
  total.repositories += current.repositories;
  for (const policy in current.policies) {
    const counts = current.policies[policy]!;
    const sum = (total.policies[policy] ??= { pass: 0, fail: 0, 'no-data': 0 });
    sum.pass += counts.pass;
    sum.fail += counts.fail;
    sum['no-data'] += counts['no-data'];
  }
  total.findings.error += current.findings.error;
  total.findings.warning += current.findings.warning;
  total.findings.info += current.findings.info;
  total.images.count += current.images.count;
  total.images.eol += current.images.eol;
  total.images.staleDigests += current.images.staleDigests;
  total.packages.outdated += current.packages.outdated;
  total.packages.libyears += current.packages.libyears;
}

/** JSON for a `<script type="application/json">` block: `<` escaped, so no text can close the element. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export interface Asset {
  contentType: string;
  body: Buffer;
}

const require = createRequire(import.meta.url);

/** The files under /dashboard/assets/, read once. */
export function loadAssets(): Map<string, Asset> {
  const file = (specifier: string) => readFileSync(require.resolve(specifier));
  return new Map<string, Asset>([
    [
      'uplot.js',
      { contentType: 'text/javascript; charset=utf-8', body: file('uplot/dist/uPlot.iife.min.js') },
    ],
    ['uplot.css', { contentType: 'text/css; charset=utf-8', body: file('uplot/dist/uPlot.min.css') }],
    ['dashboard.js', { contentType: 'text/javascript; charset=utf-8', body: Buffer.from(DASHBOARD_JS) }],
    ['dashboard.css', { contentType: 'text/css; charset=utf-8', body: Buffer.from(DASHBOARD_CSS) }],
  ]);
}

/** Draws #trend-chart from #trend-data with uPlot; marks the chart `data-rendered` once drawn. */
const DASHBOARD_JS = `'use strict';
(function () {
  var data = document.getElementById('trend-data');
  var target = document.getElementById('trend-chart');
  if (!data || !target || typeof uPlot === 'undefined') return;
  var trend = JSON.parse(data.textContent);
  if (!trend.days.length || !trend.series.length) return;
  var colors = ['#0969da', '#cf222e', '#1a7f37', '#8250df', '#bf8700', '#1b7c83', '#e16f24', '#6e7781', '#d1242f', '#116329'];
  var xs = trend.days.map(function (day) { return Date.parse(day + 'T00:00:00Z') / 1000; });
  var series = [{}].concat(trend.series.map(function (s, i) {
    return {
      label: s.title,
      stroke: colors[i % colors.length],
      width: 2,
      spanGaps: true,
      points: { show: trend.days.length < 40 },
      value: function (u, v) { return v == null ? '–' : v.toFixed(1) + '%'; }
    };
  }));
  function width() { return Math.max(280, target.clientWidth || 600); }
  var chart = new uPlot({
    width: width(),
    height: 280,
    scales: { y: { range: [0, 100] } },
    axes: [{
      // One tick per day at most, about eight in all, labelled with the day.
      splits: function () {
        var step = Math.max(1, Math.ceil(xs.length / 8));
        return xs.filter(function (x, i) { return i % step === 0; });
      },
      values: function (u, splits) {
        return splits.map(function (s) { return new Date(s * 1000).toISOString().slice(5, 10); });
      }
    }, { values: function (u, values) { return values.map(function (v) { return v + '%'; }); } }],
    series: series
  }, [xs].concat(trend.series.map(function (s) { return s.rates; })), target);
  target.setAttribute('data-rendered', 'true');
  var pending = null;
  window.addEventListener('resize', function () {
    clearTimeout(pending);
    pending = setTimeout(function () { chart.setSize({ width: width(), height: 280 }); }, 100);
  });
})();
`;

const DASHBOARD_CSS = `:root{--pass:#1a7f37;--fail:#cf222e;--none:#6e7781;--line:#d0d7de;--bg:#f6f8fa;font-family:system-ui,-apple-system,"Segoe UI",sans-serif}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1200px;padding:.75rem;color:#1f2328;line-height:1.45}
header.top{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;justify-content:space-between;border-bottom:1px solid var(--line);padding-bottom:.5rem}
header.top a.home{font-weight:700;font-size:1.1rem;color:inherit;text-decoration:none}
header.top form{display:inline;margin:0}
h1{font-size:1.4rem;margin:.6rem 0 .2rem}h2{font-size:1.15rem;margin-top:1.8rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}
a{color:#0969da}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0}
th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:var(--bg)}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
.s{font-weight:600;white-space:nowrap}.pass{color:var(--pass)}.fail{color:var(--fail)}.no-data{color:var(--none)}
svg.bar{display:block;width:100%;min-width:6rem;height:.8rem;border-radius:3px;background:#eaeef2}
svg.bar .pass{fill:var(--pass)}svg.bar .fail{fill:var(--fail)}svg.bar .no-data{fill:#afb8c1}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.85em;word-break:break-all}
.muted{color:var(--none)}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:.6rem;margin:.8rem 0}
form.filters label{display:flex;flex-direction:column;font-size:.85rem;gap:.15rem}
input,select,button{font:inherit;padding:.3rem .5rem;border:1px solid var(--line);border-radius:6px;background:#fff}
button,.button{cursor:pointer;background:#1f883d;color:#fff;border-color:#1a7f37;font-weight:600;text-decoration:none;display:inline-block;padding:.35rem .8rem;border-radius:6px}
button.link{background:none;color:#0969da;border:none;padding:0;font-weight:400;text-decoration:underline}
ul.evidence{margin:.2rem 0;padding-left:1.1rem}
ul.cards{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));gap:.6rem}
ul.cards li{border:1px solid var(--line);border-radius:6px;padding:.7rem}
#trend-chart{min-height:1rem;width:100%}
details{margin:.4rem 0}summary{cursor:pointer}
.exports a{margin-right:.8rem}
@media (max-width:700px){body{padding:.5rem}th,td{padding:.25rem}.hide-narrow{display:none}h1{font-size:1.2rem}}
`;
