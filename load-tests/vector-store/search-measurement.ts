/**
 * One search setting measured on a loaded index: recall@k against exact search and the time of
 * each query, one at a time on this thread. What the retrieval benchmark and tune-index print.
 */
import { performance } from 'node:perf_hooks';
import { overlapAtK, type SearchSettings } from './recall';
import type { Neighbor, VectorIndex } from './vector-index';

export interface SearchMeasurement {
  readonly recall: number;
  readonly queriesPerSecond: number;
  /** Per-query latency, milliseconds (nearest-rank percentiles). */
  readonly latencyMs: { readonly p50: number; readonly p90: number; readonly p99: number; readonly max: number };
}

/** The exact top k of every query: computed once, measured against many times. */
export function exactNeighbors(exact: VectorIndex, queries: readonly Float32Array[], k: number): Neighbor[][] {
  return queries.map((query) => exact.search(query, { k }));
}

export function measureSearch(
  index: VectorIndex,
  queries: readonly Float32Array[],
  truth: readonly (readonly Neighbor[])[],
  k: number,
  settings: SearchSettings = {},
): SearchMeasurement {
  if (queries.length === 0 || queries.length !== truth.length) throw new Error(`need one exact answer per query: ${queries.length} queries, ${truth.length} answers`);
  const latencies = new Float64Array(queries.length);
  let recall = 0;
  for (let i = 0; i < queries.length; i++) {
    const started = performance.now();
    const found = index.search(queries[i], { ...settings, k });
    latencies[i] = performance.now() - started;
    recall += overlapAtK(found, truth[i], k);
  }
  const total = latencies.reduce((sum, ms) => sum + ms, 0);
  latencies.sort();
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)];
  return {
    recall: recall / queries.length,
    queriesPerSecond: total > 0 ? (queries.length * 1000) / total : Infinity,
    latencyMs: { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: latencies[latencies.length - 1] },
  };
}
