/**
 * Node types for a provisioned (node-based) feature cache on each cloud, smallest first, with
 * the memory a node has and the part of it that holds data. A cache is sized on the latter.
 * - ElastiCache: node memory from docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html;
 *   the default parameter group reserves 25 % of it (reserved-memory-percent) for backups and
 *   replication, and AWS recommends up to 30 % on small burstable types (cache.t4g.small here)
 *   (docs.aws.amazon.com/AmazonElastiCache/latest/dg/redis-memory-management.html).
 * - Memorystore for Valkey: "default writable keyspace capacity" and total node capacity from
 *   cloud.google.com/memorystore/docs/valkey/instance-node-specification (given in GB; read here
 *   as 10^9 bytes, which errs on the side of more nodes).
 */

export interface CacheNodeType {
  readonly nodeType: string;
  /** What the node has. */
  readonly nodeMemoryGiB: number;
  /** What holds data once the cloud's reserved share is set aside: the figure a cache is sized on. */
  readonly usableMemoryGiB: number;
  /** Burstable / shared-core nodes carry no SLA and are kept out of production. */
  readonly production: boolean;
}

const GIB_PER_GB = 1e9 / 2 ** 30;

/** ElastiCache's default reserved-memory-percent, and the share AWS recommends for small burstable types. */
export const ELASTICACHE_RESERVED_SHARE = { default: 0.25, smallBurstable: 0.3 } as const;

function elasticache(nodeType: string, nodeMemoryGiB: number, production: boolean, reserved: number = ELASTICACHE_RESERVED_SHARE.default): CacheNodeType {
  return { nodeType, nodeMemoryGiB, usableMemoryGiB: Math.round(nodeMemoryGiB * (1 - reserved) * 100) / 100, production };
}

export const ELASTICACHE_NODE_TYPES: readonly CacheNodeType[] = [
  elasticache('cache.t4g.small', 1.37, false, ELASTICACHE_RESERVED_SHARE.smallBurstable),
  elasticache('cache.t4g.medium', 3.09, false),
  elasticache('cache.r7g.large', 13.07, true),
  elasticache('cache.r7g.xlarge', 26.32, true),
  elasticache('cache.r7g.2xlarge', 52.82, true),
];

function memorystore(nodeType: string, totalGB: number, writableGB: number, production: boolean): CacheNodeType {
  const gib = (gb: number) => Math.round(gb * GIB_PER_GB * 100) / 100;
  return { nodeType, nodeMemoryGiB: gib(totalGB), usableMemoryGiB: gib(writableGB), production };
}

export const MEMORYSTORE_VALKEY_NODE_TYPES: readonly CacheNodeType[] = [
  memorystore('SHARED_CORE_NANO', 1.4, 1.12, false),
  memorystore('STANDARD_SMALL', 6.5, 5.2, true),
  memorystore('HIGHMEM_MEDIUM', 13, 10.4, true),
  memorystore('HIGHMEM_XLARGE', 58, 46.4, true),
];

export interface CacheLayout {
  readonly nodeType: string;
  readonly shards: number;
  /** Data the shards hold together (usable memory), GiB. */
  readonly memoryGiB: number;
}

/**
 * The fewest shards whose usable memory holds `memoryGiB`, on the smallest node type that needs
 * no more than `maxShards` of them; production layouts skip nodes without an SLA.
 */
export function cacheLayout(types: readonly CacheNodeType[], memoryGiB: number, production: boolean, maxShards = 4): CacheLayout {
  const eligible = types.filter((t) => t.production || !production);
  const fits = eligible.find((t) => Math.ceil(memoryGiB / t.usableMemoryGiB) <= maxShards) ?? eligible[eligible.length - 1];
  const shards = Math.max(1, Math.ceil(memoryGiB / fits.usableMemoryGiB));
  return { nodeType: fits.nodeType, shards, memoryGiB: Math.round(shards * fits.usableMemoryGiB * 100) / 100 };
}
