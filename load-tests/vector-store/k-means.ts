/**
 * Seeded k-means (k-means++ seeding, Arthur & Vassilvitskii 2007, then Lloyd iterations) under the
 * index's own distance: how the tree-AH stand-in cuts its vectors into leaves. The same vectors in
 * the same order and the same seed give the same leaves on any machine.
 */
import { Random } from '../replica/random';
import { distance, type VectorMetric } from './vector-distance';

export interface KMeansOptions {
  readonly clusters: number;
  readonly metric: VectorMetric;
  readonly seed: number;
  /** Lloyd iterations at most; it stops earlier once no vector changes cluster. */
  readonly maxIterations: number;
}

export interface KMeansResult {
  readonly centroids: Float32Array[];
  /** Cluster of each input vector, in input order. */
  readonly assignment: Int32Array;
}

export function kMeans(vectors: readonly Float32Array[], options: KMeansOptions): KMeansResult {
  const clusters = Math.min(options.clusters, vectors.length);
  if (clusters < 1) return { centroids: [], assignment: new Int32Array(0) };
  const centroids = seedCentroids(vectors, clusters, options.metric, new Random(options.seed));
  const assignment = new Int32Array(vectors.length).fill(-1);
  for (let iteration = 0; iteration < options.maxIterations; iteration++) {
    let moved = 0;
    for (let i = 0; i < vectors.length; i++) {
      const nearest = nearestCentroid(vectors[i], centroids, options.metric);
      if (nearest !== assignment[i]) moved++;
      assignment[i] = nearest;
    }
    if (moved === 0) break;
    recomputeCentroids(vectors, assignment, centroids);
  }
  return { centroids, assignment };
}

export function nearestCentroid(vector: Float32Array, centroids: readonly Float32Array[], metric: VectorMetric): number {
  let best = 0;
  let bestDistance = Infinity;
  for (let c = 0; c < centroids.length; c++) {
    const d = distance(metric, vector, centroids[c]);
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return best;
}

/** k-means++: each next seed drawn with probability growing with its distance from the seeds so far. */
function seedCentroids(vectors: readonly Float32Array[], clusters: number, metric: VectorMetric, random: Random): Float32Array[] {
  const centroids = [Float32Array.from(vectors[Math.floor(random.uniform() * vectors.length)])];
  const closest = new Float64Array(vectors.length).fill(Infinity);
  while (centroids.length < clusters) {
    const latest = centroids[centroids.length - 1];
    let total = 0;
    for (let i = 0; i < vectors.length; i++) {
      // Distances can dip below zero (1 − a·b for long vectors); shift so weights stay non-negative.
      closest[i] = Math.min(closest[i], Math.max(0, distance(metric, vectors[i], latest)));
      total += closest[i];
    }
    let pick = random.uniform() * total;
    let chosen = vectors.length - 1;
    for (let i = 0; i < vectors.length; i++) {
      pick -= closest[i];
      if (pick < 0) {
        chosen = i;
        break;
      }
    }
    centroids.push(Float32Array.from(vectors[chosen]));
  }
  return centroids;
}

/** Each centroid becomes its members' mean; an emptied cluster keeps its old centroid. */
function recomputeCentroids(vectors: readonly Float32Array[], assignment: Int32Array, centroids: Float32Array[]): void {
  const dimensions = centroids[0].length;
  const sums = centroids.map(() => new Float64Array(dimensions));
  const counts = new Int32Array(centroids.length);
  for (let i = 0; i < vectors.length; i++) {
    const sum = sums[assignment[i]];
    const vector = vectors[i];
    for (let d = 0; d < dimensions; d++) sum[d] += vector[d];
    counts[assignment[i]]++;
  }
  for (let c = 0; c < centroids.length; c++) {
    if (counts[c] === 0) continue;
    for (let d = 0; d < dimensions; d++) centroids[c][d] = sums[c][d] / counts[c];
  }
}
