/** Writes report.md, report.html (charts rendered to inline SVG) and report.json into a directory. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { reportCharts } from './charts';
import type { ComparisonReport } from './comparison-report';
import { htmlReport, type RenderedChart } from './html-report';
import { markdownReport } from './markdown-report';
import { renderSvg } from './render-svg';

export interface WrittenReport {
  readonly markdown: string;
  readonly html: string;
  readonly json: string;
}

export async function writeReport(report: ComparisonReport, directory: string): Promise<WrittenReport> {
  const charts: RenderedChart[] = [];
  for (const chart of reportCharts(report)) charts.push({ id: chart.id, title: chart.title, caption: chart.caption, svg: await renderSvg(chart.spec) });
  mkdirSync(directory, { recursive: true });
  const files = { markdown: join(directory, 'report.md'), html: join(directory, 'report.html'), json: join(directory, 'report.json') };
  writeFileSync(files.markdown, markdownReport(report));
  writeFileSync(files.html, htmlReport(report, charts));
  writeFileSync(files.json, `${JSON.stringify(report, null, 2)}\n`);
  return files;
}
