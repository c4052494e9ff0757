/**
 * Distances the local vector store ranks by, smaller is closer, with the conventions of the
 * ANN libraries it wraps (usearch `cos`, `ip`, `l2sq`): cosine 1 − cos θ, inner product 1 − a·b,
 * squared Euclidean Σ(a−b)². Each cloud turns them into its own score on the wire.
 */
export type VectorMetric = 'cosine' | 'dot-product' | 'euclidean';

export function distance(metric: VectorMetric, a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  if (metric === 'euclidean') {
    for (let i = 0; i < a.length; i++) {
      const d = a[i] - b[i];
      dot += d * d;
    }
    return dot;
  }
  if (metric === 'dot-product') {
    for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
    return 1 - dot;
  }
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na === 0 || nb === 0 ? 1 : 1 - dot / Math.sqrt(na * nb);
}
