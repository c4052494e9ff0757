/**
 * How many OpenSearch Serverless OCUs an index needs, from the topology's dimensions, expected
 * vectors, HNSW `m` and standby replicas. (Vector Search's shards are decided by resolveTopology.)
 */
import type { ResolvedVectorStore } from '../../constructs';

/** [S] OpenSearch k-NN memory estimate for HNSW: 1.1 × (4 × dimensions + 8 × m) bytes per vector (OpenSearch k-NN docs, "Memory estimation"). */
export function hnswGraphBytes(v: ResolvedVectorStore): number {
  return 1.1 * (4 * v.dimensions + 8 * v.index.m) * v.expectedVectors;
}

/** [V] One OCU: 1 vCPU and 6 GB of memory (AWS Big Data blog, pricing.md). */
export const OCU_MEMORY_GB = 6;
/** [U] Share of an OCU's memory that holds k-NN graphs: the k-NN circuit breaker's default limit, 50 %. */
export const OCU_GRAPH_SHARE = 0.5;
/** [S] OCUs come in halves; with standby replicas the floor is 1 OCU indexing + 1 OCU search (2 × 0.5 each, pricing.md). */
export const OCU_STEP = 0.5;
/** [U] Without standby replicas (dev/test collections) the floor is 0.5 OCU indexing + 0.5 OCU search. */
export const OCU_FLOOR_WITHOUT_STANDBY = { indexing: 0.5, search: 0.5 } as const;
export const OCU_FLOOR_WITH_STANDBY = { indexing: 1, search: 1 } as const;

export interface OcuSizing {
  readonly indexing: number;
  readonly search: number;
  readonly graphGB: number;
}

/** OpenSearch Serverless OCUs: indexing at its floor; search holds the HNSW graph, doubled by standby replicas. */
export function opensearchOcus(v: ResolvedVectorStore): OcuSizing {
  const graphGB = hnswGraphBytes(v) / 1e9;
  const floor = v.aws.standbyReplicas ? OCU_FLOOR_WITH_STANDBY : OCU_FLOOR_WITHOUT_STANDBY;
  const perCopy = Math.ceil(graphGB / (OCU_MEMORY_GB * OCU_GRAPH_SHARE) / OCU_STEP) * OCU_STEP;
  const search = Math.max(floor.search, perCopy * (v.aws.standbyReplicas ? 2 : 1));
  return { indexing: floor.indexing, search, graphGB };
}
