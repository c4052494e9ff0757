/** Recall@k: the share of the exact top k an approximate search also returns, averaged over queries. */
import type { Neighbor, SearchOptions, VectorIndex } from './vector-index';

/** Share of `truth`'s first k ids found among `found`'s first k; 1 when truth is empty (nothing to miss). */
export function overlapAtK(found: readonly Neighbor[], truth: readonly Neighbor[], k: number): number {
  const expected = truth.slice(0, k);
  if (expected.length === 0) return 1;
  const returned = new Set(found.slice(0, k).map((n) => n.id));
  return expected.filter((n) => returned.has(n.id)).length / expected.length;
}

/** Search-time settings recall is measured at: everything SearchOptions takes but k and the filter. */
export type SearchSettings = Omit<SearchOptions, 'k' | 'filter'>;

export function recallAtK(approx: VectorIndex, exact: VectorIndex, queries: readonly Float32Array[], k: number, settings: SearchSettings = {}): number {
  if (queries.length === 0) throw new Error('recall needs at least one query');
  let total = 0;
  for (const query of queries) total += overlapAtK(approx.search(query, { ...settings, k }), exact.search(query, { k }), k);
  return total / queries.length;
}
