/**
 * The `_score` OpenSearch reports for a k-NN hit, from the local distance (vector-distance.ts), per
 * space type and engine, as the k-NN docs tabulate it
 * (https://docs.opensearch.org/latest/mappings/supported-field-types/knn-spaces/):
 * - l2: d = Σ(x−y)² (the local euclidean distance, squared), score = 1 / (1 + d);
 * - cosinesimil: d = 1 − cos θ (the local cosine distance), score = (2 − d) / 2;
 * - innerproduct, Faiss and NMSLIB: d = −x·y, score = 1 / (1 + d) when d ≥ 0, else −d + 1;
 *   Lucene: d = x·y, score = d + 1 when d > 0, else 1 / (1 − d). The local distance is 1 − x·y.
 */
import type { KnnEngine, SpaceType } from './knn-mapping';

export function knnScore(spaceType: SpaceType, engine: KnnEngine, localDistance: number): number {
  if (spaceType === 'l2') return 1 / (1 + localDistance);
  if (spaceType === 'cosinesimil') return (2 - localDistance) / 2;
  const dot = 1 - localDistance;
  if (engine === 'lucene') return dot > 0 ? dot + 1 : 1 / (1 - dot);
  const d = -dot;
  return d >= 0 ? 1 / (1 + d) : -d + 1;
}
