/**
 * The comparison report's Retrieval section: recall against p99 per engine, swept on the local
 * indexes over a small news corpus (small so `npm start` stays quick), and what a vector search
 * costs per million queries on each cloud, from the cost model's vector-store lines.
 */
import { performance } from 'node:perf_hooks';
import type { Cloud, ResolvedTopology } from '../../constructs';
import type { ResolvedVectorStore } from '../../constructs/resolved-topology';
import { CORPUS_GENERATOR_VERSION, generateCorpus, tuningCorpusOf } from '../corpus';
import type { TopologyCost } from '../cost/topology-cost';
import { vectorQueryCost } from '../cost/vector-query-cost';
import { engineCurve, LOCAL_INDEX_NOTE, tuneVectorStore } from '../vector-store';
import type { RetrievalSection, RetrievalSweep } from './comparison-report';

/**
 * The report's sweep: 2,000 documents and 100 queries keep it to seconds on a laptop (the
 * tune-index command defaults to 10,000 and 200); the same seed as `serving-stacks corpus`.
 */
export const REPORT_RETRIEVAL_SWEEP = { documents: 2_000, queries: 100, k: 10, seed: 1, targetRecall: 0.95 } as const;

export interface RetrievalSweepOptions {
  readonly documents: number;
  readonly queries: number;
  readonly k: number;
  readonly seed: number;
  readonly targetRecall: number;
  readonly onProgress?: (message: string) => void;
}

export function runRetrievalSweep(store: ResolvedVectorStore, options: RetrievalSweepOptions = REPORT_RETRIEVAL_SWEEP): RetrievalSweep {
  const started = performance.now();
  const { documents, queries, k, seed, targetRecall } = options;
  options.onProgress?.(`generating ${documents} news documents`);
  const corpus = tuningCorpusOf(generateCorpus({ documents, queries, k, seed, dimensions: store.dimensions, metric: store.metric }));
  const target = { targetRecall, p99TargetMs: store.slo?.p99Ms, k };
  const engines = tuneVectorStore(store, corpus, { ...target, onProgress: options.onProgress }).map((t) => engineCurve(t, target));
  return {
    note: LOCAL_INDEX_NOTE,
    corpus: {
      generator: `serving-stacks corpus v${CORPUS_GENERATOR_VERSION} (load-tests/corpus/news-corpus.ts)`,
      seed,
      documents,
      queries,
      dimensions: store.dimensions,
      metric: store.metric,
    },
    target: { recall: targetRecall, k, p99Ms: store.slo?.p99Ms ?? null },
    engines,
    sweepSeconds: (performance.now() - started) / 1000,
  };
}

const COST_ENGINE: Record<ResolvedVectorStore['engine'], Record<Cloud, string>> = {
  managed: { aws: 'OpenSearch Serverless', gcp: 'Vertex AI Vector Search' },
  pgvector: { aws: 'Aurora PostgreSQL with pgvector', gcp: 'AlloyDB with pgvector' },
};

/** The sweep and each cloud's cost per million queries; nothing when the topology has no vector store. */
export function retrievalSection(sweep: RetrievalSweep, cost: TopologyCost, resolved: ResolvedTopology): RetrievalSection | undefined {
  const store = resolved.vectorStore;
  if (!store) return undefined;
  const perCloud = (cloud: Cloud) => {
    const figures = vectorQueryCost(cost.clouds[cloud], store.queriesPerSecond);
    return figures && { engine: COST_ENGINE[store.engine][cloud], ...figures };
  };
  return { ...sweep, costPerMillionQueries: { aws: perCloud('aws'), gcp: perCloud('gcp') } };
}
