/**
 * `npm run bench:retrieval`: queries per second of the local approximate indexes (HNSW on USearch,
 * the tree-AH stand-in) against exact search, in the same run on the same data, at the dev
 * preset's index settings (the schema's defaults), with recall@10 beside each, and USearch's own
 * published figure for reference. One query at a time, one thread. The local indexes are not the
 * clouds' engines: the ratios say how the algorithms compare here, not what the clouds serve.
 */
import { performance } from 'node:perf_hooks';
import { preset, resolveTopology } from '../constructs';
import {
  clusteredVectorSet,
  createVectorIndex,
  exactNeighbors,
  ExactIndex,
  indexSettingsFor,
  measureSearch,
  type SearchMeasurement,
  type VectorIndex,
} from '../load-tests/vector-store';

const DOCUMENTS = 10_000;
const QUERIES = 200;
const WARM_UP_QUERIES = 20;
const K = 10;
/** USearch's README: 100 M 96-d f32 vectors indexed in 0.3 h on Intel Sapphire Rapids (many cores), the library's headline figure. */
const USEARCH_PUBLISHED = {
  text: '100 million 96-d f32 vectors indexed in 0.3 h on Intel Sapphire Rapids ≈ 93,000 vectors/s, all cores; the README publishes no single-thread query rate',
  url: 'https://github.com/unum-cloud/USearch#readme; method: https://www.unum.cloud/blog/2023-11-07-scaling-vector-search-with-intel',
};

const store = resolveTopology(preset('dev')).vectorStore;
if (!store) throw new Error('the dev preset has no vector store');
const set = clusteredVectorSet(store.dimensions, 50, 7);
const documents = set.draw(DOCUMENTS, 1);
const queries = set.draw(QUERIES, 2);

function build(index: VectorIndex): { index: VectorIndex; vectorsPerSecond: number } {
  const started = performance.now();
  documents.forEach((vector, i) => index.upsert(`doc-${i}`, vector));
  // The tree-AH stand-in cuts its leaves at the first search: count that as building.
  index.search(queries[0], { k: K });
  return { index, vectorsPerSecond: (DOCUMENTS * 1000) / (performance.now() - started) };
}

const exact = build(new ExactIndex(store.dimensions, store.metric));
const truth = exactNeighbors(exact.index, queries, K);
const built = [exact, build(createVectorIndex(indexSettingsFor(store, 'opensearch'))), build(createVectorIndex(indexSettingsFor(store, 'vertex')))];

const measured = built.map(({ index, vectorsPerSecond }) => {
  measureSearch(index, queries.slice(0, WARM_UP_QUERIES), truth.slice(0, WARM_UP_QUERIES), K);
  return { index, vectorsPerSecond, result: measureSearch(index, queries, truth, K) };
});
const exactQps = measured[0].result.queriesPerSecond;

const row = (kind: string, vectorsPerSecond: number, r: SearchMeasurement) =>
  `${kind.padEnd(62)} ${r.queriesPerSecond.toFixed(0).padStart(7)} q/s  ${`${(r.queriesPerSecond / exactQps).toFixed(1)}×`.padStart(7)} exact  recall@${K} ${r.recall.toFixed(3)}  p99 ${r.latencyMs.p99.toFixed(2)} ms  build ${vectorsPerSecond.toFixed(0)} vectors/s`;

const { index } = store;
const lines = [
  `retrieval bench: ${DOCUMENTS.toLocaleString('en-US')} topic-clustered ${store.dimensions}-d unit vectors (${store.metric}), ${QUERIES} queries, k ${K}, one thread`,
  `settings (dev preset = schema defaults): HNSW m ${index.m}, efConstruction ${index.efConstruction}, efSearch ${index.efSearch}; tree-AH leafNodeEmbeddingCount ${index.leafNodeEmbeddingCount}, leafNodesToSearchPercent ${index.leafNodesToSearchPercent}, approximateNeighborsCount ${index.approximateNeighborsCount}`,
  ...measured.map((m) => row(m.index.kind, m.vectorsPerSecond, m.result)),
  `USearch's own figure, for reference: ${USEARCH_PUBLISHED.text}. Source: ${USEARCH_PUBLISHED.url}`,
  'Local indexes, not the clouds\' engines (OpenSearch Serverless, pgvector, Vertex AI Vector Search ScaNN): compare ratios, not absolute rates.',
];
process.stdout.write(`${lines.join('\n')}\n`);
