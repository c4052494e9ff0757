/** The Scale to zero section's table: per day and endpoint, each measure with AWS and GCP side by side. */
import type { ComparisonReport, ScaleToZeroFigures } from './comparison-report';
import { usd, type ReportTable } from './report-sections';

const MEASURES: readonly (readonly [string, (f: ScaleToZeroFigures) => string])[] = [
  ['endpoint cost with scale to zero', (f) => usd(f.withUsd)],
  ['endpoint cost kept at one replica', (f) => usd(f.withoutUsd)],
  ['saved', (f) => usd(f.savedUsd)],
  ['requests lost to cold starts', (f) => f.requestsLost.toLocaleString('en-US')],
  ['wakes', (f) => `${f.wakes}`],
  ['time to first success (longest)', (f) => (f.longestTimeToFirstSuccessSeconds === null ? 'no wake' : `${f.longestTimeToFirstSuccessSeconds} s`)],
  ['minutes at zero', (f) => `${f.minutesAtZero}`],
];

export function scaleToZeroTable(report: ComparisonReport): ReportTable | undefined {
  const s = report.scaleToZero;
  if (!s) return undefined;
  const w = s.wakeAssumption;
  const range = w.low === undefined || w.high === undefined ? 'no range' : `range ${w.low}–${w.high} ${w.unit}`;
  return {
    id: 'scale-to-zero',
    title: 'Scale to zero: cost saved against requests lost to cold starts, per cloud',
    provenance: 'simulated',
    note:
      'Each day simulated with the endpoints at scaling.min 0 and again with one replica kept, the endpoint priced over the run at list prices ' +
      '(as `serving-stacks cost` prints it). Lost: requests refused at zero (SageMaker ValidationError "no capacity", Vertex 429). ' +
      `Time to first success: from the first request at zero to a replica serving, the longest of the day's wakes; it rests on ${w.name} = ${w.value} ${w.unit} ` +
      `(${range}; [${w.tag}] ${w.source}).`,
    header: ['day', 'endpoint', '', 'AWS', 'GCP'],
    rows: s.days.flatMap((d) =>
      Object.entries(d.endpoints).flatMap(([name, figures]) =>
        MEASURES.map(([label, render]) => [`${d.profile.name}, ${d.profile.hours} h`, name, label, render(figures.aws), render(figures.gcp)]),
      ),
    ),
  };
}
