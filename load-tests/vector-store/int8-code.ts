/**
 * Scalar quantisation to int8, one scale per vector: the tree-AH stand-in's cheap first score,
 * standing in for ScaNN's anisotropic product quantisation. Asymmetric like AH: the query stays in
 * float and only the stored vectors are coded, so a candidate costs a quarter of the memory and
 * its score errs by the coding error alone.
 */
import type { VectorMetric } from './vector-distance';

export interface Int8Code {
  readonly values: Int8Array;
  /** The vector is about values × scale. */
  readonly scale: number;
  /** Squared length of the decoded vector, for cosine and Euclidean scores. */
  readonly squaredLength: number;
}

export function encodeInt8(vector: Float32Array): Int8Code {
  let largest = 0;
  for (const v of vector) largest = Math.max(largest, Math.abs(v));
  const scale = largest === 0 ? 1 : largest / 127;
  const values = new Int8Array(vector.length);
  let squaredLength = 0;
  for (let i = 0; i < vector.length; i++) {
    values[i] = Math.round(vector[i] / scale);
    squaredLength += (values[i] * scale) ** 2;
  }
  return { values, scale, squaredLength };
}

/** The distance of vector-distance.ts between a float query and a coded vector, approximately. */
export function approximateDistance(metric: VectorMetric, query: Float32Array, querySquaredLength: number, code: Int8Code): number {
  let dot = 0;
  const values = code.values;
  for (let i = 0; i < values.length; i++) dot += query[i] * values[i];
  dot *= code.scale;
  if (metric === 'dot-product') return 1 - dot;
  if (metric === 'euclidean') return querySquaredLength - 2 * dot + code.squaredLength;
  return querySquaredLength === 0 || code.squaredLength === 0 ? 1 : 1 - dot / Math.sqrt(querySquaredLength * code.squaredLength);
}
