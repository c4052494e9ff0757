/**
 * Node types for a provisioned (node-based) feature cache on each cloud, smallest first.
 * Memory is usable data memory per node.
 * AWS: docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html.
 * GCP: cloud.google.com/memorystore/docs/valkey/instance-node-specification.
 */

export interface CacheNodeType {
  readonly nodeType: string;
  readonly memoryGiB: number;
  /** Burstable / shared-core nodes carry no SLA and are kept out of production. */
  readonly production: boolean;
}

export const ELASTICACHE_NODE_TYPES: readonly CacheNodeType[] = [
  { nodeType: 'cache.t4g.small', memoryGiB: 1.37, production: false },
  { nodeType: 'cache.t4g.medium', memoryGiB: 3.09, production: false },
  { nodeType: 'cache.r7g.large', memoryGiB: 13.07, production: true },
  { nodeType: 'cache.r7g.xlarge', memoryGiB: 26.32, production: true },
  { nodeType: 'cache.r7g.2xlarge', memoryGiB: 52.82, production: true },
];

export const MEMORYSTORE_VALKEY_NODE_TYPES: readonly CacheNodeType[] = [
  { nodeType: 'SHARED_CORE_NANO', memoryGiB: 1.4, production: false },
  { nodeType: 'STANDARD_SMALL', memoryGiB: 6.5, production: true },
  { nodeType: 'HIGHMEM_MEDIUM', memoryGiB: 13, production: true },
  { nodeType: 'HIGHMEM_XLARGE', memoryGiB: 58, production: true },
];

export interface CacheLayout {
  readonly nodeType: string;
  readonly shards: number;
  readonly memoryGiB: number;
}

/**
 * The fewest shards that hold `memoryGiB`, on the smallest node type that needs no more than
 * `maxShards` of them; production layouts skip nodes without an SLA.
 */
export function cacheLayout(types: readonly CacheNodeType[], memoryGiB: number, production: boolean, maxShards = 4): CacheLayout {
  const eligible = types.filter((t) => t.production || !production);
  const fits = eligible.find((t) => Math.ceil(memoryGiB / t.memoryGiB) <= maxShards) ?? eligible[eligible.length - 1];
  const shards = Math.max(1, Math.ceil(memoryGiB / fits.memoryGiB));
  return { nodeType: fits.nodeType, shards, memoryGiB: Math.round(shards * fits.memoryGiB * 100) / 100 };
}
