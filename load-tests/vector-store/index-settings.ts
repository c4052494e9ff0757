/**
 * The index each engine builds from the topology's vectorStore: OpenSearch Serverless and
 * pgvector read the HNSW knobs, Vertex AI Vector Search the tree-AH ones.
 */
import type { ResolvedVectorStore } from '../../constructs/resolved-topology';
import type { VectorIndexSettings } from './vector-index';

export type VectorEngine = 'opensearch' | 'vertex' | 'pgvector';

export function indexSettingsFor(store: ResolvedVectorStore, engine: VectorEngine): VectorIndexSettings {
  const { dimensions, metric, index } = store;
  if (engine === 'vertex') {
    const { leafNodeEmbeddingCount, leafNodesToSearchPercent, approximateNeighborsCount } = index;
    return { dimensions, metric, treeAh: { leafNodeEmbeddingCount, leafNodesToSearchPercent, approximateNeighborsCount } };
  }
  const { m, efConstruction, efSearch } = index;
  return { dimensions, metric, hnsw: { m, efConstruction, efSearch } };
}

/** The engines a store runs on, one per cloud where they differ: managed is OpenSearch (AWS) ⇔ Vertex (GCP); pgvector is pgvector on both. */
export function vectorEnginesFor(store: ResolvedVectorStore): readonly VectorEngine[] {
  return store.engine === 'pgvector' ? ['pgvector'] : ['opensearch', 'vertex'];
}
