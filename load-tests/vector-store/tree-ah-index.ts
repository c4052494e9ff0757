/**
 * A documented local stand-in for Vertex AI Vector Search's tree-AH index. It is NOT ScaNN: it
 * keeps the shape of the algorithm and the meaning of its knobs, not its quantiser, speed or
 * exact recall. Knobs, as Google documents them
 * (https://cloud.google.com/vertex-ai/docs/vector-search/configuring-indexes):
 * - `leafNodeEmbeddingCount`: vectors per leaf. Here: k-means (seeded, under the index's own
 *   distance) cuts the vectors into about size / leafNodeEmbeddingCount leaves.
 * - `leafNodesToSearchPercent` (per query: `fractionLeafNodesToSearchOverride`, SearchOptions
 *   leafFraction): a query scores every leaf centroid and searches the nearest share of leaves.
 * - `approximateNeighborsCount`: how many candidates the approximate score keeps before the
 *   exact reordering. ScaNN scores with anisotropic product quantisation ("AH", asymmetric
 *   hashing); here the cheap score is int8 scalar quantisation (int8-code.ts), asymmetric too.
 * Vertex rebuilds a streaming index's partitions in the background as it grows; here the leaves
 * are rebuilt at the next search once the size has doubled or halved since the last build, and
 * an upsert in between joins its nearest leaf, so upserts stay cheap.
 */
import { Random } from '../replica/random';
import { encodeInt8, approximateDistance, type Int8Code } from './int8-code';
import { kMeans, nearestCentroid } from './k-means';
import { distance, type VectorMetric } from './vector-distance';
import type { Neighbor, SearchOptions, VectorIndex } from './vector-index';

export interface TreeAhParameters {
  readonly leafNodeEmbeddingCount: number;
  readonly leafNodesToSearchPercent: number;
  readonly approximateNeighborsCount: number;
}

/** The partition's seed: the same vectors give the same leaves on every run. */
const PARTITION_SEED = 0x7ea4;
/**
 * k-means trains on a sample of at most this many vectors per leaf, then assigns everything:
 * FAISS's default (`max_points_per_centroid`), and ScaNN too trains its tree on a sample.
 */
const TRAINING_SAMPLE_PER_LEAF = 256;
const LLOYD_ITERATIONS = 10;

interface Entry {
  readonly vector: Float32Array;
  readonly code: Int8Code;
  leaf: number;
}

interface Leaf {
  readonly centroid: Float32Array;
  readonly members: Set<string>;
}

interface Candidate {
  readonly id: string;
  readonly approximate: number;
}

export class TreeAhIndex implements VectorIndex {
  readonly kind = 'tree-ah stand-in (k-means leaves + int8 scores; not ScaNN)';
  private readonly entries = new Map<string, Entry>();
  private leaves: Leaf[] = [];
  /** Size at the last partition; 0 before the first. */
  private partitionedSize = 0;

  constructor(
    readonly dimensions: number,
    readonly metric: VectorMetric,
    readonly parameters: TreeAhParameters,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Leaves in the current partition (0 until the first search). */
  get leafCount(): number {
    return this.leaves.length;
  }

  upsert(id: string, vector: Float32Array): void {
    if (vector.length !== this.dimensions) throw new Error(`vector for "${id}" has ${vector.length} dimensions; the index takes ${this.dimensions}`);
    this.remove(id);
    const leaf = this.leaves.length > 0 ? nearestCentroid(vector, this.leaves.map((l) => l.centroid), this.metric) : -1;
    this.entries.set(id, { vector, code: encodeInt8(vector), leaf });
    if (leaf >= 0) this.leaves[leaf].members.add(id);
  }

  remove(id: string): boolean {
    const entry = this.entries.get(id);
    if (!entry) return false;
    if (entry.leaf >= 0) this.leaves[entry.leaf].members.delete(id);
    return this.entries.delete(id);
  }

  search(query: Float32Array, options: SearchOptions): Neighbor[] {
    if (query.length !== this.dimensions) throw new Error(`query has ${query.length} dimensions; the index takes ${this.dimensions}`);
    const fraction = options.leafFraction ?? this.parameters.leafNodesToSearchPercent / 100;
    if (!(fraction > 0 && fraction <= 1)) throw new Error(`leafFraction must be a fraction in (0, 1], got ${fraction}`);
    if (this.size === 0 || options.k <= 0) return [];
    if (this.partitionIsStale()) this.partition();

    const order = this.leaves
      .map((leaf, index) => ({ index, distance: distance(this.metric, query, leaf.centroid) }))
      .sort((a, b) => a.distance - b.distance || a.index - b.index);
    let searched = Math.max(1, Math.ceil(fraction * this.leaves.length));
    let querySquaredLength = 0;
    for (const v of query) querySquaredLength += v * v;

    const candidates: Candidate[] = [];
    const score = (from: number, to: number) => {
      for (const { index } of order.slice(from, to)) {
        for (const id of this.leaves[index].members) {
          if (options.filter && !options.filter(id)) continue;
          candidates.push({ id, approximate: approximateDistance(this.metric, query, querySquaredLength, (this.entries.get(id) as Entry).code) });
        }
      }
    };
    score(0, searched);
    // Like Vertex's restricts, the filter applies during the search: open more leaves until k pass
    // (or, in a tiny index, until k exist) or none are left.
    for (; candidates.length < options.k && searched < order.length; searched++) score(searched, searched + 1);

    candidates.sort((a, b) => a.approximate - b.approximate);
    const kept = candidates.slice(0, Math.max(this.parameters.approximateNeighborsCount, options.k));
    return kept
      .map(({ id }) => ({ id, distance: distance(this.metric, query, (this.entries.get(id) as Entry).vector) }))
      .sort((a, b) => a.distance - b.distance || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, options.k);
  }

  private partitionIsStale(): boolean {
    return this.partitionedSize === 0 || this.size >= 2 * this.partitionedSize || this.size <= this.partitionedSize / 2;
  }

  private partition(): void {
    const ids = [...this.entries.keys()];
    const vectors = ids.map((id) => (this.entries.get(id) as Entry).vector);
    const leafCount = Math.max(1, Math.round(ids.length / this.parameters.leafNodeEmbeddingCount));
    const sample = seededSample(vectors, leafCount * TRAINING_SAMPLE_PER_LEAF, new Random(PARTITION_SEED));
    const { centroids } = kMeans(sample, { clusters: leafCount, metric: this.metric, seed: PARTITION_SEED, maxIterations: LLOYD_ITERATIONS });
    this.leaves = centroids.map((centroid) => ({ centroid, members: new Set<string>() }));
    ids.forEach((id, i) => {
      const entry = this.entries.get(id) as Entry;
      entry.leaf = nearestCentroid(vectors[i], centroids, this.metric);
      this.leaves[entry.leaf].members.add(id);
    });
    this.partitionedSize = ids.length;
  }
}

/** Up to `count` of the vectors, drawn without replacement (partial Fisher–Yates). */
function seededSample(vectors: readonly Float32Array[], count: number, random: Random): Float32Array[] {
  if (vectors.length <= count) return [...vectors];
  const picked = [...vectors];
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random.uniform() * (picked.length - i));
    [picked[i], picked[j]] = [picked[j], picked[i]];
  }
  return picked.slice(0, count);
}
