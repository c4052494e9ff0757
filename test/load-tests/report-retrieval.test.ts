/**
 * The comparison report's Retrieval section: the recall-against-p99 curve per engine from the
 * sweep, and the vector search's cost per million queries on each cloud, checked against the
 * cost model's own vector-store lines (never against prices written here).
 */
import { describe, expect, it } from 'vitest';
import { parseTopology, preset, presetInput, resolveTopology, type Topology } from '../../constructs';
import { HOURS_PER_MONTH } from '../../load-tests/cost/cost-lines';
import { priceTopology } from '../../load-tests/cost/topology-cost';
import { htmlReport, markdownReport, renderSvg, reportCharts, reportTables, runRetrievalSweep, type ComparisonReport } from '../../load-tests/report';
import { offlineComparison } from './offline-comparison';

const SWEEP = { documents: 400, queries: 20, k: 10, seed: 1, targetRecall: 0.95 };

function withRetrieval(topology: Topology): ComparisonReport {
  const store = resolveTopology(topology).vectorStore;
  if (!store) throw new Error('topology without a vector store');
  return offlineComparison(topology, 'breaking-news', undefined, { retrieval: runRetrievalSweep(store, SWEEP) });
}

/** What the cost model itself says the vector store costs a month, and per million queries at the topology's rate. */
function expectedPerMillion(topology: Topology, cloud: 'aws' | 'gcp') {
  const resolved = resolveTopology(topology);
  const lines = priceTopology(resolved).clouds[cloud].lines.filter((l) => l.category === 'vector-store' && l.quantityPer !== 'once');
  const queriesPerMonth = (resolved.vectorStore?.queriesPerSecond ?? Number.NaN) * HOURS_PER_MONTH * 3600;
  const sum = (pick: (l: (typeof lines)[number]) => number) => lines.reduce((s, l) => s + pick(l), 0);
  return {
    lines: lines.length,
    base: (sum((l) => l.monthlyUsd) / queriesPerMonth) * 1e6,
    low: (sum((l) => l.monthlyRangeUsd.low) / queriesPerMonth) * 1e6,
    high: (sum((l) => l.monthlyRangeUsd.high) / queriesPerMonth) * 1e6,
    sources: lines.map((l) => l.price.source),
  };
}

describe('the Retrieval section of the comparison report', () => {
  const topology = preset('dev');
  const report = withRetrieval(topology);
  const json = JSON.parse(JSON.stringify(report)) as ComparisonReport;

  it('carries the curve per engine of the sweep in report.json, with the corpus size and the local-index note', () => {
    const r = json.retrieval;
    expect(r?.corpus).toMatchObject({ documents: 400, queries: 20, seed: 1, dimensions: 768, metric: 'cosine' });
    expect(r?.note).toMatch(/Local indexes, not the clouds' engines/);
    expect(r?.target).toEqual({ recall: 0.95, k: 10, p99Ms: null });
    expect(r?.engines.map((e) => [e.engine, e.knob])).toEqual([
      ['opensearch', 'efSearch'],
      ['vertex', 'leafNodesToSearchPercent'],
    ]);
    for (const e of r?.engines ?? []) {
      expect(e.points.length).toBeGreaterThan(5);
      for (const p of e.points) expect(p).toEqual({ value: expect.any(Number), recall: expect.any(Number), p50Ms: expect.any(Number), p99Ms: expect.any(Number) });
    }
  });

  it('divides each cloud\'s vector-store cost lines by the topology\'s queries a month', () => {
    for (const cloud of ['aws', 'gcp'] as const) {
      const expected = expectedPerMillion(topology, cloud);
      const c = json.retrieval?.costPerMillionQueries[cloud];
      expect(expected.lines).toBeGreaterThan(0);
      expect(c?.usdPerMillionQueries).toBeCloseTo(expected.base, 9);
      expect(c?.usdPerMillionQueriesRange.low).toBeCloseTo(expected.low, 9);
      expect(c?.usdPerMillionQueriesRange.high).toBeCloseTo(expected.high, 9);
      expect(c?.queriesPerMonth).toBe((resolveTopology(topology).vectorStore?.queriesPerSecond ?? Number.NaN) * 730 * 3600);
      expect(c?.lines.map((l) => l.source)).toEqual(expected.sources);
      for (const source of expected.sources) expect(source).toMatch(/^https:\/\//);
    }
    expect(json.retrieval?.costPerMillionQueries.aws?.engine).toBe('OpenSearch Serverless');
    expect(json.retrieval?.costPerMillionQueries.gcp?.engine).toBe('Vertex AI Vector Search');
  });

  it('shows the curve and the cost per million queries, with the formula and both ends of the range, in report.md', () => {
    const markdown = markdownReport(report);
    expect(markdown).toContain('## Retrieval: recall against p99 per engine (local index, 400 news documents)');
    expect(markdown).toContain('## Retrieval: vector search cost per million queries');
    for (const cloud of ['aws', 'gcp'] as const) {
      const c = report.retrieval?.costPerMillionQueries[cloud];
      const dollars = (v: number) => `$${v.toLocaleString('en-US', { minimumFractionDigits: 4, maximumFractionDigits: 4 })}`;
      expect(markdown).toContain(`| ${dollars(c?.usdPerMillionQueries ?? 0)} | ${dollars(c?.usdPerMillionQueriesRange.low ?? 0)} – ${dollars(c?.usdPerMillionQueriesRange.high ?? 0)} |`);
      expect(markdown).toContain(c?.formula ?? 'no formula');
    }
    expect(markdown).toMatch(/\| opensearch \| hnsw .*\| efSearch 512 \(topology\)/);
    expect(reportTables(report).map((t) => t.id)).toEqual(expect.arrayContaining(['retrieval', 'retrieval-cost']));
  });

  it('draws the curve in report.html', async () => {
    const chart = reportCharts(report).find((c) => c.id === 'retrieval');
    expect(chart).toBeDefined();
    const svg = await renderSvg(chart?.spec ?? ({} as never));
    expect(svg).toMatch(/^<svg/);
    const html = htmlReport(report, [{ id: 'retrieval', title: chart?.title ?? '', caption: chart?.caption ?? '', svg }]);
    expect(html.indexOf('<figure id="chart-retrieval"')).toBeGreaterThan(html.indexOf('<section id="retrieval">'));
  });

  it('prices pgvector on both clouds and sweeps its HNSW only', () => {
    const input = presetInput('dev');
    const pg = parseTopology({ ...input, vectorStore: { ...input.vectorStore, engine: 'pgvector' } });
    const r = withRetrieval(pg).retrieval;
    expect(r?.engines.map((e) => e.engine)).toEqual(['pgvector']);
    expect([r?.costPerMillionQueries.aws?.engine, r?.costPerMillionQueries.gcp?.engine]).toEqual(['Aurora PostgreSQL with pgvector', 'AlloyDB with pgvector']);
    expect(r?.costPerMillionQueries.gcp?.usdPerMillionQueries).toBeCloseTo(expectedPerMillion(pg, 'gcp').base, 9);
  });

  it('has no Retrieval section when the sweep was not run', () => {
    const plain = offlineComparison(preset('dev'));
    expect(plain.retrieval).toBeUndefined();
    expect(reportTables(plain).map((t) => t.id)).not.toContain('retrieval');
  });
});
