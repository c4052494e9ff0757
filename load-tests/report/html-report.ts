/**
 * report.html: one self-contained page (inline CSS and SVG charts, no script, no network), a pure
 * function of the report and its rendered charts.
 */
import type { ComparisonReport } from './comparison-report';
import { reportTables, type ReportTable } from './report-sections';

export interface RenderedChart {
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  readonly svg: string;
}

/** Which section each chart follows. */
const CHART_AFTER: Readonly<Record<string, string>> = {
  cost: 'cost-gcp',
  replicas: 'simulation',
  p99: 'simulation',
  'latency-distribution': 'simulation',
  'live-latency': 'live',
  retrieval: 'retrieval',
};

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 1200px; padding: 0 1rem; color: #1d2330; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #d8dce4; padding-bottom: .2rem; }
table { border-collapse: collapse; margin: .5rem 0; font-size: 13px; } th, td { border: 1px solid #d8dce4; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f2f4f8; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; font-size: 11px; padding: 1px 7px; border-radius: 9px; margin-right: .4rem; color: #fff; }
.badge.simulated { background: #6b4fbb; } .badge.measured-locally { background: #1f8a4c; } .badge.price-list { background: #b26200; }
.badge.offline-plan { background: #3d5a80; } .badge.topology { background: #5c6370; }
.note { color: #4a5263; margin: .2rem 0 .4rem; } figure { margin: 1rem 0; } figcaption { color: #4a5263; font-size: 12px; }
p.verdict { font-size: 15px; background: #f2f4f8; border-left: 4px solid #3d5a80; padding: .6rem .9rem; }
figure.chart svg { max-width: 100%; height: auto; } /* drawn for the full column (charts.ts), scaled down by its viewBox on a narrower window */
dl.provenance dt { font-weight: 600; margin-top: .3rem; } dl.provenance dd { margin-left: 1rem; }
`;

export function htmlReport(report: ComparisonReport, charts: readonly RenderedChart[]): string {
  const t = report.topology;
  const sections: string[] = [];
  for (const table of reportTables(report)) {
    sections.push(htmlTable(table));
    for (const chart of charts.filter((c) => (CHART_AFTER[c.id] ?? 'summary') === table.id)) sections.push(htmlChart(chart));
  }
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(`${t.name}/${t.environment}: AWS vs GCP`)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escape(`${t.name}/${t.environment}: AWS vs GCP`)}</h1>
<p id="verdict" class="verdict"><strong>Verdict.</strong> ${escape(report.verdict.summary)}</p>
<p class="note">Generated ${escape(report.generatedAt)} from ${escape(t.source)} by ml-serving-stacks. AWS ${escape(t.regions.aws)}, GCP ${escape(t.regions.gcp)}.${t.production ? ' Production guardrails on.' : ''}</p>
<dl class="provenance">
<dt><span class="badge simulated">simulated</span></dt><dd>${escape(report.provenance.simulated)}</dd>
<dt><span class="badge measured-locally">measured locally</span></dt><dd>${escape(report.provenance.measuredLocally)}</dd>
<dt><span class="badge price-list">price list</span></dt><dd>${escape(report.provenance.priceList)}</dd>
</dl>
${sections.join('\n')}
</body>
</html>
`;
}

function htmlTable(table: ReportTable): string {
  const badge = `<span class="badge ${table.provenance.replace(/ /g, '-')}">${escape(table.provenance)}</span>`;
  const note = table.note ? `<p class="note">${badge}${escape(table.note)}</p>` : `<p class="note">${badge}</p>`;
  if (table.rows.length === 0) return `<section id="${table.id}"><h2>${escape(table.title)}</h2>${note}</section>`;
  const head = `<tr>${table.header.map((h) => `<th>${escape(h)}</th>`).join('')}</tr>`;
  const body = table.rows
    .map((row) => `<tr>${row.map((cell) => `<td${/^[-+$]?[\d,.]+( ms| s)?$/.test(cell) ? ' class="num"' : ''}>${escape(cell)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<section id="${table.id}"><h2>${escape(table.title)}</h2>${note}<table>\n${head}\n${body}\n</table></section>`;
}

function htmlChart(chart: RenderedChart): string {
  return `<figure id="chart-${chart.id}" class="chart"><h2>${escape(chart.title)}</h2>${chart.svg}<figcaption>${escape(chart.caption)}</figcaption></figure>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
