/**
 * HNSW on USearch (https://github.com/unum-cloud/USearch), the graph index OpenSearch Serverless
 * and pgvector build: the topology's `m` is USearch's connectivity, `efConstruction` its
 * expansion_add, `efSearch` its expansion_search. It is not the cloud's engine (OpenSearch runs
 * Faiss or nmslib, pgvector its own C), only the same algorithm with the same knobs.
 *
 * Library chosen by measurement (10,000 clustered 768-d unit vectors, cosine, m 16,
 * efConstruction 512, 200 queries, one thread, a 2-core machine under load ~8):
 *   usearch 2.25.3      install 16 s (prebuilt binary), build 32.5 s; ef 16: 2,658 q/s, recall@10 0.911;
 *                       ef 64: 1,558 q/s, 0.999; ef 512: 234 q/s, 1.000
 *   hnswlib-node 3.0.0  install 87 s (compiles with node-gyp: needs python3, make, g++), build 25.2 s;
 *                       ef 16: 4,648 q/s, 0.912; ef 64: 2,700 q/s, 0.999; ef 512: 392 q/s, 1.000
 * Same recall; hnswlib-node searches ~1.7× faster but only installs where a C++ toolchain does,
 * and an emulator that `npm ci` cannot install on a laptop is worth less than one that is slower.
 * USearch ships binaries for Linux, macOS and Windows and loads them at run time (no build/ here).
 * USearch 2.25.3 is pinned: 2.26 needs Node 22.
 */
import { Index, MetricKind, ScalarKind } from 'usearch';
import { distance, type VectorMetric } from './vector-distance';
import type { Neighbor, SearchOptions, VectorIndex } from './vector-index';

export interface HnswParameters {
  /** Links per vector (USearch connectivity). */
  readonly m: number;
  /** Candidate list size while building (USearch expansion_add). */
  readonly efConstruction: number;
  /** Candidate list size while searching, unless a query says otherwise (USearch expansion_search). */
  readonly efSearch: number;
}

/** The distances of vector-distance.ts: USearch `cos` is 1 − cos θ, `ip` 1 − a·b, `l2sq` Σ(a−b)². */
const USEARCH_METRIC: Record<VectorMetric, MetricKind> = {
  cosine: MetricKind.Cos,
  'dot-product': MetricKind.IP,
  euclidean: MetricKind.L2sq,
};

/** How much wider each retry searches when a filter (or dead entries) rejected too many of the results. */
const FILTER_WIDENING = 4;
/** Dead entries a small graph may hold before it is rebuilt. */
const MIN_DEAD_BEFORE_COMPACTION = 64;

export class HnswIndex implements VectorIndex {
  readonly kind = 'hnsw (USearch; not the cloud engine)';
  private graph: Index;
  private readonly keyById = new Map<string, bigint>();
  private readonly idByKey = new Map<bigint, string>();
  /** The live vectors by key, to rebuild the graph without its dead entries. */
  private readonly vectorByKey = new Map<bigint, Float32Array>();
  /** Entries of the graph no document points at any more (replaced or removed). */
  private dead = 0;
  private nextKey = 0n;

  constructor(
    readonly dimensions: number,
    readonly metric: VectorMetric,
    readonly parameters: HnswParameters,
  ) {
    this.graph = this.newGraph();
  }

  private newGraph(): Index {
    // expansion_search 1: USearch searches with max(expansion_search, wanted), so asking for
    // max(k, efSearch) results makes the query's own efSearch the candidate list size.
    return new Index({
      dimensions: this.dimensions,
      metric: USEARCH_METRIC[this.metric],
      connectivity: this.parameters.m,
      expansion_add: this.parameters.efConstruction,
      expansion_search: 1,
      quantization: ScalarKind.F32,
      multi: false,
    });
  }

  /**
   * USearch 2.25.3's add never returns once enough entries were removed from a graph (seen after ~170
   * replacements of 100 documents), so a replaced or removed document stays in the graph, dead: the
   * search skips it, and once the dead outnumber the live the graph is built again from the live
   * vectors (amortised constant work per write; every pipeline write replaces a document).
   */
  private compactIfMostlyDead(): void {
    if (this.dead < Math.max(MIN_DEAD_BEFORE_COMPACTION, this.keyById.size)) return;
    this.graph = this.newGraph();
    this.dead = 0;
    for (const [key, vector] of this.vectorByKey) this.graph.add(key, vector);
  }

  get size(): number {
    return this.keyById.size;
  }

  upsert(id: string, vector: Float32Array): void {
    if (vector.length !== this.dimensions) throw new Error(`vector for "${id}" has ${vector.length} dimensions; the index takes ${this.dimensions}`);
    this.remove(id);
    // Keys only grow, so a key the graph returns names one version of one document, never a replaced one.
    const key = this.nextKey++;
    this.compactIfMostlyDead();
    this.graph.add(key, vector);
    this.keyById.set(id, key);
    this.idByKey.set(key, id);
    this.vectorByKey.set(key, Float32Array.from(vector));
  }

  remove(id: string): boolean {
    const key = this.keyById.get(id);
    if (key === undefined) return false;
    this.dead++;
    this.keyById.delete(id);
    this.idByKey.delete(key);
    this.vectorByKey.delete(key);
    return true;
  }

  search(query: Float32Array, options: SearchOptions): Neighbor[] {
    if (query.length !== this.dimensions) throw new Error(`query has ${query.length} dimensions; the index takes ${this.dimensions}`);
    if (this.size === 0 || options.k <= 0) return [];
    // OpenSearch's efficient filtering searches exactly when no more documents pass the filter than k
    // (https://docs.opensearch.org/latest/vector-search/filter-search-knn/efficient-knn-filtering/):
    // a filter on one document id finds it even where the graph would not reach it.
    if (options.filter) {
      const passing = [...this.keyById].filter(([id]) => options.filter!(id));
      if (passing.length <= options.k) return this.exact(query, passing);
    }
    const ef = options.efSearch ?? this.parameters.efSearch;
    const entries = this.size + this.dead;
    let wanted = Math.min(Math.max(options.k, ef), entries);
    for (;;) {
      const accepted = this.accepted(query, wanted, options);
      // A filter or dead entries may reject most of the graph's answer: search wider until k pass or nothing is left to find.
      if (accepted.length >= options.k || wanted >= entries) return accepted.slice(0, options.k);
      wanted = Math.min(wanted * FILTER_WIDENING, entries);
    }
  }

  private exact(query: Float32Array, entries: readonly (readonly [string, bigint])[]): Neighbor[] {
    return entries.map(([id, key]) => ({ id, distance: distance(this.metric, query, this.vectorByKey.get(key)!) })).sort((a, b) => a.distance - b.distance);
  }

  private accepted(query: Float32Array, wanted: number, options: SearchOptions): Neighbor[] {
    const matches = this.graph.search(query, wanted, 1);
    const found: Neighbor[] = [];
    for (let i = 0; i < matches.keys.length; i++) {
      const id = this.idByKey.get(matches.keys[i]);
      if (id === undefined || (options.filter && !options.filter(id))) continue;
      found.push({ id, distance: matches.distances[i] });
    }
    return found;
  }
}
