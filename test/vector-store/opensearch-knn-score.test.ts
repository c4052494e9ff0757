/**
 * Scores on the wire as the OpenSearch k-NN docs define them per space type and engine
 * (https://docs.opensearch.org/latest/mappings/supported-field-types/knn-spaces/), from the local
 * distances of vector-distance.ts.
 */
import { describe, expect, it } from 'vitest';
import { distance } from '../../load-tests/vector-store';
import { knnScore } from '../../load-tests/vector-store/opensearch';

const a = Float32Array.from([1, 2, 2]);
const b = Float32Array.from([2, 0, 1]);
const dot = 1 * 2 + 2 * 0 + 2 * 1; // 4
const cos = dot / (3 * Math.sqrt(5));

describe('k-NN score', () => {
  it('l2: 1 / (1 + squared distance)', () => {
    expect(knnScore('l2', 'faiss', distance('euclidean', a, b))).toBeCloseTo(1 / (1 + (1 + 4 + 1)), 6);
  });

  it('cosinesimil: (2 − (1 − cos)) / 2', () => {
    expect(knnScore('cosinesimil', 'faiss', distance('cosine', a, b))).toBeCloseTo((1 + cos) / 2, 6);
  });

  it('innerproduct, Faiss and NMSLIB: −d + 1 for a positive product, 1 / (1 + d) otherwise, with d = −a·b', () => {
    expect(knnScore('innerproduct', 'faiss', distance('dot-product', a, b))).toBeCloseTo(dot + 1, 5);
    const negative = Float32Array.from([-2, 0, -1]);
    expect(knnScore('innerproduct', 'nmslib', distance('dot-product', a, negative))).toBeCloseTo(1 / (1 + dot), 6);
  });

  it('innerproduct, Lucene: a·b + 1 for a positive product, 1 / (1 − a·b) otherwise', () => {
    expect(knnScore('innerproduct', 'lucene', distance('dot-product', a, b))).toBeCloseTo(dot + 1, 5);
    expect(knnScore('innerproduct', 'lucene', distance('dot-product', a, Float32Array.from([-2, 0, -1])))).toBeCloseTo(1 / (1 + dot), 6);
  });
});
