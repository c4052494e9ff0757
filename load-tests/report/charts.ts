/**
 * The report's charts as Vega-Lite specs (pure functions of the report), rendered to SVG at
 * build time so report.html needs no script and no network to be read.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Cloud } from '../../constructs';
import type { ComparisonReport, RetrievalSection } from './comparison-report';

export interface Chart {
  readonly id: string;
  readonly title: string;
  /** What the chart shows and where its numbers come from. */
  readonly caption: string;
  readonly spec: TopLevelSpec;
}

const CLOUD_LABEL: Record<Cloud, string> = { aws: 'AWS SageMaker', gcp: 'GCP Vertex AI' };
const CLOUD_COLORS = { domain: [CLOUD_LABEL.aws, CLOUD_LABEL.gcp], range: ['#e8891c', '#2f6fdf'] };
const CLOUDS: readonly Cloud[] = ['aws', 'gcp'];

/**
 * Lines of the two clouds are often identical (same replicas, same p99): AWS solid, GCP dashed
 * on top, so where they coincide both colours show. Same field and title as the colour, so
 * Vega-Lite draws one legend with both.
 */
const CLOUD_DASH = {
  field: 'cloud',
  type: 'nominal',
  scale: { domain: CLOUD_COLORS.domain, range: [[1, 0], [6, 4]] },
  title: null,
} as const;

/**
 * Width the charts are drawn for: report.html's content column (html-report.ts). The page shows
 * each SVG at most this wide and scales it down, by its viewBox, on a narrower window.
 */
export const CHART_WIDTH_PX = 1150;
/** Per facet: its y axis with title and the spacing between facets. */
const FACET_OVERHEAD_PX = 80;

/** Width of each of `facets` side-by-side panels so that together they fill CHART_WIDTH_PX. */
export function facetWidth(facets: number): number {
  return Math.max(160, Math.floor(CHART_WIDTH_PX / Math.max(1, facets)) - FACET_OVERHEAD_PX);
}

/** Every chart of a report; the live-latency chart only when a live load test ran. */
export function reportCharts(report: ComparisonReport): Chart[] {
  const charts = [replicasChart(report), p99Chart(report), costChart(report), spectrumChart(report)];
  if (report.liveLoadTest && report.liveLoadTest.runs.length > 0) charts.push(liveLatencyChart(report));
  if (report.retrieval) charts.push(retrievalChart(report.retrieval));
  return charts;
}

/** Endpoints in the topology's order, not alphabetical. */
function endpointOrder(report: ComparisonReport): string[] {
  return Object.keys(report.clouds.aws.simulation.endpoints);
}

function seriesRows(report: ComparisonReport) {
  return CLOUDS.flatMap((cloud) =>
    Object.entries(report.clouds[cloud].simulation.endpoints).flatMap(([endpoint, e]) =>
      e.series.map((p) => ({ cloud: CLOUD_LABEL[cloud], endpoint, hour: p.minute / 60, replicas: p.replicas, p99Ms: p.p99Ms, sloP99Ms: e.sloP99Ms })),
    ),
  );
}

const spikeNote = (report: ComparisonReport) =>
  report.profile.spikeStartMinute === undefined ? '' : ` The spike starts at hour ${(report.profile.spikeStartMinute / 60).toFixed(1)}.`;

function replicasChart(report: ComparisonReport): Chart {
  return {
    id: 'replicas',
    title: 'Replicas in service over the day',
    caption: `Simulated: in-service replicas per minute of each endpoint on each cloud under the ${report.profile.name} profile.${spikeNote(report)}`,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      data: { values: seriesRows(report) },
      facet: { column: { field: 'endpoint', type: 'nominal', title: null, sort: endpointOrder(report) } },
      spec: {
        width: facetWidth(endpointOrder(report).length),
        height: 180,
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.5 },
        encoding: {
          x: { field: 'hour', type: 'quantitative', title: 'hour of the day', scale: { nice: false } },
          y: { field: 'replicas', type: 'quantitative', title: 'replicas' },
          color: { field: 'cloud', type: 'nominal', scale: CLOUD_COLORS, title: null },
          strokeDash: CLOUD_DASH,
        },
      },
      resolve: { scale: { y: 'independent' } },
      config: { legend: { orient: 'top' } },
    },
  };
}

function p99Chart(report: ComparisonReport): Chart {
  return {
    id: 'p99',
    title: 'p99 latency per minute, against the SLO',
    caption: 'Simulated: p99 of each minute (log scale); the dashed line is the endpoint\'s SLO. Minutes with no traffic are blank.',
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      data: { values: seriesRows(report).filter((r) => r.p99Ms !== null && r.p99Ms > 0) },
      facet: { column: { field: 'endpoint', type: 'nominal', title: null, sort: endpointOrder(report) } },
      spec: {
        width: facetWidth(endpointOrder(report).length),
        height: 180,
        layer: [
          {
            mark: { type: 'line', strokeWidth: 1.5 },
            encoding: {
              x: { field: 'hour', type: 'quantitative', title: 'hour of the day', scale: { nice: false } },
              y: { field: 'p99Ms', type: 'quantitative', title: 'p99 (ms)', scale: { type: 'log' } },
              color: { field: 'cloud', type: 'nominal', scale: CLOUD_COLORS, title: null },
              strokeDash: CLOUD_DASH,
            },
          },
          {
            mark: { type: 'rule', strokeDash: [4, 3], color: '#b00020' },
            encoding: { y: { field: 'sloP99Ms', type: 'quantitative', aggregate: 'max' } },
          },
        ],
      },
      resolve: { scale: { y: 'independent' } },
      config: { legend: { orient: 'top' } },
    },
  };
}

function costChart(report: ComparisonReport): Chart {
  const values = CLOUDS.flatMap((cloud) =>
    report.clouds[cloud].costLines.map((l) => ({ cloud: CLOUD_LABEL[cloud], category: l.category, monthlyUsd: l.monthlyUsd })),
  );
  return {
    id: 'cost',
    title: 'Monthly cost by category, at minimum replicas',
    caption: 'Price list: each cloud\'s monthly bill for the topology at its minimum replicas, from the dated pricing catalog.',
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      data: { values },
      // The category legend takes about 200 px on the right.
      width: CHART_WIDTH_PX - 300,
      height: 120,
      mark: 'bar',
      encoding: {
        y: { field: 'cloud', type: 'nominal', title: null },
        x: { field: 'monthlyUsd', type: 'quantitative', aggregate: 'sum', title: 'USD per month', axis: { format: '$,.0f' } },
        color: { field: 'category', type: 'nominal', title: 'category', scale: { scheme: 'tableau10' } },
        order: { field: 'category' },
      },
    },
  };
}

function spectrumChart(report: ComparisonReport): Chart {
  const values = CLOUDS.flatMap((cloud) =>
    Object.entries(report.clouds[cloud].simulation.endpoints).flatMap(([endpoint, e]) =>
      e.latencySpectrum.map((s) => ({ cloud: CLOUD_LABEL[cloud], endpoint, percentile: `p${s.percentile}`, ms: Math.max(s.ms, 0.001) })),
    ),
  );
  const order = [...new Set(values.map((v) => v.percentile))];
  return {
    id: 'latency-distribution',
    title: 'Latency distribution over the whole day',
    caption: 'Simulated: latency percentiles of every request served over the profile, merged from HdrHistograms (log scale).',
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      data: { values },
      facet: { column: { field: 'endpoint', type: 'nominal', title: null, sort: endpointOrder(report) } },
      spec: {
        width: facetWidth(endpointOrder(report).length),
        height: 180,
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'percentile', type: 'ordinal', sort: order, title: 'percentile', axis: { labelAngle: -45 } },
          y: { field: 'ms', type: 'quantitative', title: 'latency (ms)', scale: { type: 'log' } },
          color: { field: 'cloud', type: 'nominal', scale: CLOUD_COLORS, title: null },
          strokeDash: CLOUD_DASH,
        },
      },
      resolve: { scale: { y: 'independent' } },
      config: { legend: { orient: 'top' } },
    },
  };
}

function liveLatencyChart(report: ComparisonReport): Chart {
  const runs = report.liveLoadTest?.runs ?? [];
  const values = runs.flatMap((r) =>
    (['p50', 'p90', 'p99', 'max'] as const).map((p) => ({
      client: CLOUD_LABEL[r.cloud],
      endpoint: r.endpoint,
      percentile: p,
      ms: Math.max(r.latencyMs.corrected[p], 0.001),
    })),
  );
  return {
    id: 'live-latency',
    title: 'Live load test against the local endpoints',
    caption:
      'Measured locally: latency from each request\'s intended send time (no coordinated omission) through the real SageMaker and Vertex clients, against the local endpoints on 127.0.0.1.',
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      data: { values },
      facet: { column: { field: 'endpoint', type: 'nominal', title: null, sort: endpointOrder(report) } },
      spec: {
        width: facetWidth(new Set(runs.map((r) => r.endpoint)).size),
        height: 160,
        mark: 'bar',
        encoding: {
          x: { field: 'percentile', type: 'ordinal', sort: ['p50', 'p90', 'p99', 'max'], title: null },
          xOffset: { field: 'client', type: 'nominal' },
          y: { field: 'ms', type: 'quantitative', title: 'latency (ms)' },
          color: { field: 'client', type: 'nominal', scale: CLOUD_COLORS, title: null },
        },
      },
      config: { legend: { orient: 'top' } },
    },
  };
}

/** Recall against the local index's p99 per engine, one point per setting, labelled with its value. */
function retrievalChart(retrieval: RetrievalSection): Chart {
  const values = retrieval.engines.flatMap((e) =>
    e.points.map((p) => ({ engine: `${e.engine} (${e.knob})`, setting: p.value, recall: p.recall, p99Ms: Math.max(p.p99Ms, 0.001), recommended: p.value === e.recommended })),
  );
  const encoding = {
    x: { field: 'p99Ms', type: 'quantitative', title: 'p99 per query on the local index (ms, log scale)', scale: { type: 'log' } },
    y: { field: 'recall', type: 'quantitative', title: `recall@${retrieval.target.k}`, scale: { zero: false } },
    color: { field: 'engine', type: 'nominal', title: null },
    order: { field: 'setting', type: 'quantitative' },
  } as const;
  return {
    id: 'retrieval',
    title: 'Retrieval: recall against p99 per engine',
    caption:
      `Measured locally on ${retrieval.corpus.documents.toLocaleString('en-US')} generated news documents: each point is one setting (labelled), larger points the recommended ones. ` +
      'Local indexes, not the clouds\' engines: the latency is relative between settings.',
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      width: CHART_WIDTH_PX - FACET_OVERHEAD_PX,
      height: 260,
      data: { values },
      layer: [
        { mark: { type: 'line', point: true }, encoding },
        { mark: { type: 'point', filled: true, size: 160 }, transform: [{ filter: 'datum.recommended' }], encoding },
        { mark: { type: 'text', dy: -9, fontSize: 10 }, encoding: { ...encoding, text: { field: 'setting', type: 'quantitative' } } },
      ],
      config: { legend: { orient: 'top', labelLimit: 400 } },
    },
  };
}
