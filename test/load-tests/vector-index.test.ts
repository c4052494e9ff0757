import { describe, expect, it } from 'vitest';
import { preset, resolveTopology } from '../../constructs';
import {
  clusteredVectorSet,
  createVectorIndex,
  ExactIndex,
  HnswIndex,
  indexSettingsFor,
  overlapAtK,
  recallAtK,
  TreeAhIndex,
  vectorEnginesFor,
  type VectorIndex,
  type VectorMetric,
} from '../../load-tests/vector-store';

const DIMENSIONS = 16;
const METRICS: readonly VectorMetric[] = ['cosine', 'dot-product', 'euclidean'];
const HNSW = { m: 16, efConstruction: 64, efSearch: 64 };
// 30% of leaves: in 16 dimensions topics overlap more than in 768, so one leaf in six misses more
// (the 10,000-vector recall test holds the topology's defaults).
const TREE_AH = { leafNodeEmbeddingCount: 100, leafNodesToSearchPercent: 30, approximateNeighborsCount: 150 };

function indexes(metric: VectorMetric): VectorIndex[] {
  return [new ExactIndex(DIMENSIONS, metric), new HnswIndex(DIMENSIONS, metric, HNSW), new TreeAhIndex(DIMENSIONS, metric, TREE_AH)];
}

function load(index: VectorIndex, vectors: readonly Float32Array[]): VectorIndex {
  vectors.forEach((v, i) => index.upsert(`doc-${i}`, v));
  return index;
}

/** Brute force written apart from vector-distance.ts: float64, from the definitions. */
function bruteForce(metric: VectorMetric, vectors: readonly Float32Array[], query: Float32Array, k: number): string[] {
  const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i], 0);
  const score = (v: Float32Array) =>
    metric === 'euclidean'
      ? v.reduce((sum, x, i) => sum + (x - query[i]) ** 2, 0)
      : metric === 'dot-product'
        ? -dot(v, query)
        : -dot(v, query) / Math.sqrt(dot(v, v) * dot(query, query));
  return vectors
    .map((v, i) => ({ id: `doc-${i}`, s: score(v) }))
    .sort((a, b) => a.s - b.s)
    .slice(0, k)
    .map((n) => n.id);
}

const set = clusteredVectorSet(DIMENSIONS, 8, 3);
const docs = set.draw(600, 1);
const queries = set.draw(20, 2);

describe('exact search', () => {
  it.each(METRICS)('agrees with an independent brute force (%s)', (metric) => {
    // Unnormalised vectors, so cosine, inner product and Euclidean rank differently.
    const scaled = docs.map((v, i) => v.map((x) => x * (1 + (i % 7))));
    const exact = load(new ExactIndex(DIMENSIONS, metric), scaled);
    for (const query of queries) expect(exact.search(query, { k: 10 }).map((n) => n.id)).toEqual(bruteForce(metric, scaled, query, 10));
  });
});

describe.each(METRICS)('approximate indexes (%s)', (metric) => {
  it('report distances in the conventions of vector-distance.ts', () => {
    const [exact, ...approximate] = indexes(metric).map((i) => load(i, docs));
    const truth = new Map(exact.search(queries[0], { k: docs.length }).map((n) => [n.id, n.distance]));
    for (const index of approximate) {
      for (const n of index.search(queries[0], { k: 10 })) expect(n.distance).toBeCloseTo(truth.get(n.id) as number, 4);
    }
  });

  it('find what exact search finds on a small set', () => {
    const [exact, ...approximate] = indexes(metric).map((i) => load(i, docs));
    for (const index of approximate) expect(recallAtK(index, exact, queries, 10)).toBeGreaterThanOrEqual(0.9);
  });
});

// Filtered recall: HNSW widens its one graph search until k pass, so it finds nearly the filtered
// truth; tree-AH opens leaves one by one until k pass, so true neighbours in unopened leaves are missed.
describe.each([
  ['hnsw', () => new HnswIndex(DIMENSIONS, 'cosine', HNSW), 0.9],
  ['tree-ah', () => new TreeAhIndex(DIMENSIONS, 'cosine', TREE_AH), 0.5],
] as const)('%s index', (_name, make, filteredRecall) => {
  it('replaces a vector on upsert under the same id', () => {
    const index = load(make(), docs);
    const target = queries[0];
    expect(index.search(target, { k: 1 })[0].distance).toBeGreaterThan(1e-3);
    index.upsert('doc-5', target);
    expect(index.size).toBe(docs.length);
    expect(index.search(target, { k: 1 })[0]).toMatchObject({ id: 'doc-5' });
    expect(index.search(target, { k: 1 })[0].distance).toBeCloseTo(0, 5);
    // The old vector is gone: searching for it does not find doc-5 at distance zero.
    const old = index.search(docs[5], { k: 3 });
    expect(old.find((n) => n.id === 'doc-5')?.distance ?? 1).toBeGreaterThan(1e-3);
  });

  it('keeps taking writes and finding every live document through thousands of replacements', () => {
    // USearch 2.25.3 hangs in add after ~170 removals from a 100-vector graph; the pipeline replaces a document per write.
    const index = make();
    const vectors = docs.slice(0, 100);
    vectors.forEach((v, i) => index.upsert(`doc-${i}`, v));
    for (let j = 0; j < 3000; j++) index.upsert(`doc-${(j * 37) % 100}`, vectors[(j * 53) % 100]);
    for (let i = 0; i < 10; i++) index.remove(`doc-${i}`);
    expect(index.size).toBe(90);
    const found = Array.from({ length: 100 }, (_, i) => index.search(queries[0], { k: 1, filter: (id) => id === `doc-${i}` }).length);
    expect(found).toEqual(Array.from({ length: 100 }, (_, i) => (i < 10 ? 0 : 1)));
  });

  it('forgets a removed vector and says whether it held it', () => {
    const index = load(make(), docs);
    expect(index.search(docs[7], { k: 1 })[0].id).toBe('doc-7');
    expect(index.remove('doc-7')).toBe(true);
    expect(index.remove('doc-7')).toBe(false);
    expect(index.size).toBe(docs.length - 1);
    expect(index.search(docs[7], { k: 50 }).map((n) => n.id)).not.toContain('doc-7');
    index.upsert('doc-7', docs[7]);
    expect(index.search(docs[7], { k: 1 })[0].id).toBe('doc-7');
  });

  it('fills k with accepted results when a filter rejects most of the nearest', () => {
    const index = load(make(), docs);
    const exact = load(new ExactIndex(DIMENSIONS, 'cosine'), docs);
    // One document in thirty passes: the graph's or the leaf's first answer is nearly all rejected.
    const filter = (id: string) => Number(id.slice(4)) % 30 === 0;
    let overlap = 0;
    for (const query of queries) {
      const found = index.search(query, { k: 10, filter });
      expect(found).toHaveLength(10);
      expect(found.every((n) => filter(n.id))).toBe(true);
      overlap += overlapAtK(found, exact.search(query, { k: 10, filter }), 10);
    }
    expect(overlap / queries.length).toBeGreaterThanOrEqual(filteredRecall);
  });

  it('returns everything it holds when k exceeds the size, and nothing when empty', () => {
    const index = make();
    expect(index.search(queries[0], { k: 5 })).toEqual([]);
    load(index, docs.slice(0, 3));
    expect(index.search(queries[0], { k: 5 }).map((n) => n.id).sort()).toEqual(['doc-0', 'doc-1', 'doc-2']);
  });

  it('fails on a vector of the wrong dimension, naming both', () => {
    expect(() => make().upsert('x', new Float32Array(3))).toThrow(/"x" has 3 dimensions; the index takes 16/);
  });
});

describe('hnsw index under a restrictive filter', () => {
  it('searches exactly when no more documents pass the filter than k, as OpenSearch efficient filtering does', () => {
    const index = load(new HnswIndex(DIMENSIONS, 'cosine', HNSW), docs);
    const exact = load(new ExactIndex(DIMENSIONS, 'cosine'), docs);
    // A graph that reaches nothing: a node the traversal cannot reach must still be found by id.
    (index as unknown as { graph: { search: () => { keys: BigUint64Array; distances: Float32Array } } }).graph.search = () => ({ keys: new BigUint64Array(), distances: new Float32Array() });
    const few = (id: string) => ['doc-3', 'doc-9', 'doc-27'].includes(id);
    const found = index.search(queries[1], { k: 5, filter: few });
    expect(found.map((n) => n.id)).toEqual(exact.search(queries[1], { k: 5, filter: few }).map((n) => n.id));
    expect(found[0].distance).toBeCloseTo(exact.search(queries[1], { k: 1, filter: few })[0].distance, 5);
    // More passing than k: the graph decides (here it finds nothing).
    expect(index.search(queries[1], { k: 2, filter: few })).toEqual([]);
  });
});

describe('per-query search knobs', () => {
  const exact = load(new ExactIndex(DIMENSIONS, 'cosine'), docs);
  it('efSearch widens the HNSW candidate list: recall does not fall as it grows', () => {
    const index = load(new HnswIndex(DIMENSIONS, 'cosine', { m: 4, efConstruction: 8, efSearch: 1 }), docs);
    const narrow = recallAtK(index, exact, queries, 10, { efSearch: 1 });
    const wide = recallAtK(index, exact, queries, 10, { efSearch: 600 });
    expect(wide).toBeGreaterThan(narrow);
    expect(wide).toBeGreaterThanOrEqual(0.99);
  });

  it('leafFraction 1 with every vector kept as a candidate is exact search', () => {
    const index = load(new TreeAhIndex(DIMENSIONS, 'cosine', { ...TREE_AH, approximateNeighborsCount: 600 }), docs);
    expect(recallAtK(index, exact, queries, 10, { leafFraction: 1 })).toBe(1);
    expect(() => index.search(queries[0], { k: 10, leafFraction: 0 })).toThrow(/leafFraction must be a fraction in \(0, 1\], got 0/);
  });

  it('tree-AH cuts about size / leafNodeEmbeddingCount leaves, and re-cuts once the size doubles', () => {
    const index = new TreeAhIndex(DIMENSIONS, 'cosine', TREE_AH);
    load(index, docs.slice(0, 300));
    index.search(queries[0], { k: 1 });
    expect(index.leafCount).toBe(3);
    docs.slice(300, 599).forEach((v, i) => index.upsert(`more-${i}`, v));
    index.search(queries[0], { k: 1 });
    expect(index.leafCount).toBe(3);
    index.upsert('last', docs[599]);
    index.search(queries[0], { k: 1 });
    expect(index.leafCount).toBe(6);
  });
});

describe('createVectorIndex and indexSettingsFor', () => {
  const store = resolveTopology(preset('dev')).vectorStore;
  if (!store) throw new Error('the dev preset has a vector store');

  it('gives OpenSearch and pgvector the HNSW knobs and Vertex the tree-AH ones, from the topology', () => {
    expect(indexSettingsFor(store, 'opensearch')).toEqual({ dimensions: 768, metric: 'cosine', hnsw: { m: 16, efConstruction: 512, efSearch: 512 } });
    expect(indexSettingsFor(store, 'pgvector')).toEqual(indexSettingsFor(store, 'opensearch'));
    expect(indexSettingsFor(store, 'vertex')).toEqual({
      dimensions: 768,
      metric: 'cosine',
      treeAh: { leafNodeEmbeddingCount: 1000, leafNodesToSearchPercent: 10, approximateNeighborsCount: 150 },
    });
    expect(vectorEnginesFor(store)).toEqual(['opensearch', 'vertex']);
    expect(vectorEnginesFor({ ...store, engine: 'pgvector' })).toEqual(['pgvector']);
  });

  it('builds HNSW, tree-AH or exact, and says in kind that none is the cloud engine', () => {
    const hnsw = createVectorIndex(indexSettingsFor(store, 'opensearch'));
    const treeAh = createVectorIndex(indexSettingsFor(store, 'vertex'));
    const exact = createVectorIndex({ dimensions: 768, metric: 'euclidean' });
    expect(hnsw).toBeInstanceOf(HnswIndex);
    expect(treeAh).toBeInstanceOf(TreeAhIndex);
    expect(exact).toBeInstanceOf(ExactIndex);
    expect(hnsw.kind).toMatch(/not the cloud engine/);
    expect(treeAh.kind).toMatch(/not ScaNN/);
    expect([hnsw.dimensions, exact.metric]).toEqual([768, 'euclidean']);
  });

  it('fails when the settings name both kinds of index', () => {
    const both = { ...indexSettingsFor(store, 'opensearch'), treeAh: indexSettingsFor(store, 'vertex').treeAh };
    expect(() => createVectorIndex(both)).toThrow(/both hnsw and treeAh/);
  });
});

describe('recall@k', () => {
  const n = (id: string) => ({ id, distance: 0 });
  it('counts the share of the exact top k found in the first k returned', () => {
    expect(overlapAtK([n('a'), n('x'), n('b'), n('c')], [n('a'), n('b'), n('c')], 3)).toBeCloseTo(2 / 3);
    expect(overlapAtK([], [], 10)).toBe(1);
    expect(overlapAtK([n('a')], [n('a'), n('b')], 10)).toBe(0.5);
  });

  it('is 1 for exact search against itself and fails with no queries', () => {
    const exact = load(new ExactIndex(DIMENSIONS, 'cosine'), docs);
    expect(recallAtK(exact, exact, queries, 10)).toBe(1);
    expect(() => recallAtK(exact, exact, [], 10)).toThrow(/at least one query/);
  });
});
