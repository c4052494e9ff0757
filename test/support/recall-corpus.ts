/**
 * The recall tests' corpus: 10,000 topic-clustered unit vectors in the dev preset's dimensions,
 * 50 queries from the same topics, and the dev preset's vector store (whose index settings are the
 * schema's defaults).
 */
import { preset, resolveTopology, type ResolvedVectorStore } from '../../constructs';
import { clusteredVectorSet, createVectorIndex, ExactIndex, indexSettingsFor, type VectorEngine, type VectorIndex } from '../../load-tests/vector-store';

export const RECALL_DOCUMENTS = 10_000;
export const RECALL_QUERIES = 50;

export function devVectorStore(): ResolvedVectorStore {
  const store = resolveTopology(preset('dev')).vectorStore;
  if (!store) throw new Error('the dev preset has no vector store');
  return store;
}

export interface RecallCorpus {
  readonly exact: ExactIndex;
  readonly approximate: VectorIndex;
  readonly queries: readonly Float32Array[];
}

export function loadRecallCorpus(engine: VectorEngine): RecallCorpus {
  const store = devVectorStore();
  const set = clusteredVectorSet(store.dimensions, 50, 7);
  const exact = new ExactIndex(store.dimensions, store.metric);
  const approximate = createVectorIndex(indexSettingsFor(store, engine));
  set.draw(RECALL_DOCUMENTS, 1).forEach((vector, i) => {
    exact.upsert(`doc-${i}`, vector);
    approximate.upsert(`doc-${i}`, vector);
  });
  return { exact, approximate, queries: set.draw(RECALL_QUERIES, 2) };
}
