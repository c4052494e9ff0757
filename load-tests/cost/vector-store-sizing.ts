/**
 * How many OpenSearch Serverless OCUs a vector index needs, from the topology's vector count,
 * dimensions, HNSW `m` and standby replicas, and the rules each step rests on (exported as
 * register entries, with a range where the rule is not documented). Vector Search's shards are
 * decided by resolveTopology.
 */
import type { ResolvedVectorStore } from '../../constructs';

/** A sizing rule as the assumption register lists it. */
export interface SizingAssumption {
  readonly name: string;
  readonly cloud: 'aws' | 'gcp' | 'both';
  readonly value: number;
  readonly unit: string;
  readonly source: string;
  readonly verified: boolean;
  readonly low?: number;
  readonly high?: number;
}

const SERVERLESS_SCALING = 'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-scaling.html';
const HALF_OCU_BLOG = 'https://aws.amazon.com/blogs/big-data/amazon-opensearch-serverless-cost-effective-search-capabilities-at-any-scale/';
const KNN_MEMORY = 'https://docs.opensearch.org/latest/mappings/supported-field-types/knn-methods-engines/#memory-estimation';
const KNN_SETTINGS = 'https://docs.opensearch.org/latest/vector-search/settings/';

/** Memory of one OCU: "6 GiB of memory and corresponding virtual CPU". */
export const OCU_MEMORY_GIB = 6;
/** HNSW graph memory: "1.1 * (4 * dimension + 8 * m) bytes/vector"; a replica holds its own copy. */
export const HNSW_OVERHEAD = 1.1;
/**
 * Share of an OCU's memory that holds graphs. Not documented for Serverless: 0.5 is the k-NN
 * circuit breaker's default limit (knn.memory.circuit_breaker.limit); 0.25 if half the memory is
 * JVM heap as on provisioned domains (50 % of the other half); 0.75 if AWS raised the limit.
 */
export const OCU_GRAPH_SHARE = { value: 0.5, low: 0.25, high: 0.75 } as const;
/** Capacity grows by half an OCU first, then one OCU at a time. */
export const OCU_FIRST_STEP = 0.5;
/** The least an account's vector OCUs scale down to, per function: 0.5 × 2 with redundancy (standby replicas), 0.5 without. */
export const OCU_FLOOR = { withStandby: 1, withoutStandby: 0.5 } as const;
/** Indexing OCUs above the floor: none at rest, as modelled; bulk loads and heavy streaming scale them out for their duration. */
export const INDEXING_OCUS_ABOVE_FLOOR = { value: 0, low: 0, high: 2 } as const;

export const OPENSEARCH_SIZING_ASSUMPTIONS: readonly SizingAssumption[] = [
  { name: 'OpenSearch Serverless OCU memory', cloud: 'aws', value: OCU_MEMORY_GIB, unit: 'GiB per OCU', source: SERVERLESS_SCALING, verified: true },
  { name: 'HNSW graph memory overhead', cloud: 'both', value: HNSW_OVERHEAD, unit: '× (4 × dimensions + 8 × m) bytes per vector', source: KNN_MEMORY, verified: true },
  {
    name: 'OpenSearch Serverless OCU memory share for vector graphs',
    cloud: 'aws',
    value: OCU_GRAPH_SHARE.value,
    unit: 'share of OCU memory',
    source: KNN_SETTINGS,
    verified: false,
    low: OCU_GRAPH_SHARE.low,
    high: OCU_GRAPH_SHARE.high,
  },
  { name: 'OpenSearch Serverless first scaling step', cloud: 'aws', value: OCU_FIRST_STEP, unit: 'OCU, then whole OCUs', source: HALF_OCU_BLOG, verified: true },
  { name: 'OpenSearch Serverless OCU floor per function with standby replicas', cloud: 'aws', value: OCU_FLOOR.withStandby, unit: 'OCU', source: SERVERLESS_SCALING, verified: true },
  { name: 'OpenSearch Serverless OCU floor per function without standby replicas', cloud: 'aws', value: OCU_FLOOR.withoutStandby, unit: 'OCU', source: SERVERLESS_SCALING, verified: true },
  {
    name: 'OpenSearch Serverless indexing OCUs above the floor',
    cloud: 'aws',
    value: INDEXING_OCUS_ABOVE_FLOOR.value,
    unit: 'OCU',
    source: SERVERLESS_SCALING,
    verified: false,
    low: INDEXING_OCUS_ABOVE_FLOOR.low,
    high: INDEXING_OCUS_ABOVE_FLOOR.high,
  },
];

export interface OcuSizing {
  readonly vectors: number;
  readonly dimensions: number;
  readonly m: number;
  /** One copy of the HNSW graph, GiB. */
  readonly graphGiB: number;
  readonly standbyReplicas: boolean;
  readonly indexing: number;
  readonly search: number;
  /** Search OCUs at the graph share's high and low ends (more share, fewer OCUs). */
  readonly searchLow: number;
  readonly searchHigh: number;
  /** Indexing OCUs at the top of their range. */
  readonly indexingHigh: number;
}

export function hnswGraphBytes(v: Pick<ResolvedVectorStore, 'dimensions' | 'expectedVectors' | 'index'>): number {
  return HNSW_OVERHEAD * (4 * v.dimensions + 8 * v.index.m) * v.expectedVectors;
}

/** OCUs holding one copy of a graph: half an OCU while it fits, then whole OCUs. */
function ocusPerCopy(graphGiB: number, share: number): number {
  const perOcu = OCU_MEMORY_GIB * share;
  return graphGiB <= OCU_FIRST_STEP * perOcu ? OCU_FIRST_STEP : Math.ceil(graphGiB / perOcu);
}

/** OpenSearch Serverless OCUs: indexing at its floor; search holds the HNSW graph, twice with standby replicas. */
export function opensearchOcus(v: ResolvedVectorStore): OcuSizing {
  const graphGiB = hnswGraphBytes(v) / 2 ** 30;
  const standby = v.aws.standbyReplicas;
  const floor = standby ? OCU_FLOOR.withStandby : OCU_FLOOR.withoutStandby;
  const search = (share: number) => Math.max(floor, ocusPerCopy(graphGiB, share) * (standby ? 2 : 1));
  return {
    vectors: v.expectedVectors,
    dimensions: v.dimensions,
    m: v.index.m,
    graphGiB,
    standbyReplicas: standby,
    indexing: floor + INDEXING_OCUS_ABOVE_FLOOR.value,
    search: search(OCU_GRAPH_SHARE.value),
    searchLow: search(OCU_GRAPH_SHARE.high),
    searchHigh: search(OCU_GRAPH_SHARE.low),
    indexingHigh: floor + INDEXING_OCUS_ABOVE_FLOOR.high,
  };
}
