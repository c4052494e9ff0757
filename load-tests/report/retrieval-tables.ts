/** The Retrieval section's tables: the local recall-against-latency curve per engine, and the cost per million queries per cloud. */
import type { Cloud } from '../../constructs';
import type { ComparisonReport } from './comparison-report';
import { usd, type ReportTable } from './report-sections';

const CLOUD_NAME: Record<Cloud, string> = { aws: 'AWS', gcp: 'GCP' };

export function retrievalCurveTable(report: ComparisonReport): ReportTable | undefined {
  const r = report.retrieval;
  if (!r) return undefined;
  const target = `target recall@${r.target.k} ${r.target.recall}${r.target.p99Ms === null ? ' (no vectorStore.slo.p99Ms: recall alone decides)' : ` and p99 <= ${r.target.p99Ms} ms on the local index (vectorStore.slo.p99Ms)`}`;
  return {
    id: 'retrieval',
    title: `Retrieval: recall against p99 per engine (local index, ${r.corpus.documents.toLocaleString('en-US')} news documents)`,
    provenance: 'measured locally',
    note:
      `${r.note} Corpus: ${r.corpus.documents.toLocaleString('en-US')} documents and ${r.corpus.queries} queries, ${r.corpus.dimensions}-d ${r.corpus.metric}, from ${r.corpus.generator}, seed ${r.corpus.seed}; ` +
      `${target}. Indexes: load-tests/vector-store/hnsw-index.ts (HNSW on USearch, for OpenSearch and pgvector) and load-tests/vector-store/tree-ah-index.ts (the tree-AH stand-in for Vertex); ` +
      `p99 of ${r.corpus.queries} queries is close to their slowest, so it moves with whatever else this machine runs. ` +
      `The sweep took ${r.sweepSeconds.toFixed(1)} s; \`serving-stacks tune-index\` runs it on 10,000 documents or on your corpus (--corpus).` +
      r.engines.map((e) => (e.recommended === null ? ` ${e.engine}: ${e.unmet}.` : '')).join(''),
    header: ['engine', 'local index', 'setting', `recall@${r.target.k}`, 'p50 ms', 'p99 ms'],
    rows: r.engines.flatMap((e) =>
      e.points.map((p) => [
        e.engine,
        e.kind,
        `${e.knob} ${p.value}${p.value === e.current ? ' (topology)' : ''}${p.value === e.recommended ? ' ← recommended' : ''}`,
        p.recall.toFixed(3),
        p.p50Ms.toFixed(2),
        p.p99Ms.toFixed(2),
      ]),
    ),
  };
}

export function retrievalCostTable(report: ComparisonReport): ReportTable | undefined {
  const r = report.retrieval;
  if (!r) return undefined;
  const range = (low: number, high: number, digits: number) => (low === high ? usd(low, digits) : `${usd(low, digits)} – ${usd(high, digits)}`);
  return {
    id: 'retrieval-cost',
    title: 'Retrieval: vector search cost per million queries',
    provenance: 'price list',
    note:
      `The vector store's monthly cost (its cost lines above, one-off index builds excluded) ÷ (vectorStore.queriesPerSecond of ${report.topology.source} × 730 h × 3,600 s) × 1,000,000. ` +
      'The store is billed by the hour whatever the traffic, so this is the cost at that rate held all month: at a lower average rate each query costs more, in proportion.',
    header: ['cloud', 'vector store', 'monthly', 'monthly range', 'queries/s', 'queries a month', 'per million queries', 'range', 'formula', 'price sources'],
    rows: (['aws', 'gcp'] as const).map((cloud) => {
      const c = r.costPerMillionQueries[cloud];
      if (!c) return [CLOUD_NAME[cloud], 'n/a', 'n/a', '', '', '', 'n/a', '', `no price for the vector store in ${report.clouds[cloud].region}`, ''];
      return [
        CLOUD_NAME[cloud],
        c.engine,
        usd(c.monthlyUsd),
        range(c.monthlyRangeUsd.low, c.monthlyRangeUsd.high, 2),
        `${c.queriesPerSecond}`,
        c.queriesPerMonth.toLocaleString('en-US'),
        usd(c.usdPerMillionQueries, 4),
        range(c.usdPerMillionQueriesRange.low, c.usdPerMillionQueriesRange.high, 4),
        c.formula,
        c.lines.map((l) => `${l.resource} [${l.tag}] ${l.source}`).join('; '),
      ];
    }),
  };
}
