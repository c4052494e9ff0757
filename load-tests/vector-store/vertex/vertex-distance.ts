/**
 * `FindNeighborsResponse.Neighbor.distance` as Vertex reports it, from the local index's distance
 * (smaller is closer, vector-distance.ts):
 * - DOT_PRODUCT_DISTANCE (the topology's cosine and dot-product metrics; cosine with UNIT_L2_NORM,
 *   which Vertex recommends over COSINE_DISTANCE for the same ranking): the dot product itself,
 *   higher is closer, as findNeighbors responses carry it. The DistanceMeasureType enum's comment
 *   defines the distance as the negative of the dot product, which is how it ranks
 *   (https://cloud.google.com/vertex-ai/docs/vector-search/configuring-indexes#distance-measure-type);
 *   the sign on the wire is the one thing here not checked against a deployed index.
 * - SQUARED_L2_DISTANCE (euclidean): Σ(a−b)², smaller is closer, as the local index has it.
 */
import type { VectorMetric } from '../vector-distance';

export function vertexWireDistance(metric: VectorMetric, localDistance: number): number {
  // Cosine and inner product are stored as 1 − similarity (vector-distance.ts).
  return metric === 'euclidean' ? localDistance : 1 - localDistance;
}
