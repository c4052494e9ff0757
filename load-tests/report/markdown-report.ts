/** report.md: the comparison as Markdown, a pure function of the report. */
import type { ComparisonReport } from './comparison-report';
import { reportTables, type ReportTable } from './report-sections';

export function markdownReport(report: ComparisonReport): string {
  const t = report.topology;
  const out = [
    `# ${t.name}/${t.environment}: AWS vs GCP`,
    '',
    `**Verdict.** ${report.verdict.summary}`,
    '',
    `Generated ${report.generatedAt} from ${t.source} by ml-serving-stacks. AWS ${t.regions.aws}, GCP ${t.regions.gcp}.` +
      `${t.production ? ' Production guardrails on.' : ''} Charts are in report.html; every number is in report.json.`,
    '',
    '**Where the numbers come from**',
    '',
    `- *Simulated*: ${report.provenance.simulated}`,
    `- *Measured locally*: ${report.provenance.measuredLocally}`,
    `- *Price list*: ${report.provenance.priceList}`,
  ];
  for (const table of reportTables(report)) out.push('', ...markdownTable(table));
  return `${out.join('\n')}\n`;
}

function markdownTable(table: ReportTable): string[] {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [`## ${table.title}`, '', `*${table.provenance}*${table.note ? ` — ${table.note}` : ''}`];
  if (table.rows.length === 0) return lines;
  return [
    ...lines,
    '',
    `| ${table.header.map(cell).join(' | ')} |`,
    `|${table.header.map(() => '---').join('|')}|`,
    ...table.rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ];
}
