import { describe, expect, it } from 'vitest';
import { cacheLayout, ELASTICACHE_NODE_TYPES, MEMORYSTORE_VALKEY_NODE_TYPES, preset, resolveTopology } from '../../constructs';

const byType = (types: typeof ELASTICACHE_NODE_TYPES) => Object.fromEntries(types.map((t) => [t.nodeType, t]));

describe('cache node types', () => {
  it('size Memorystore for Valkey on its default writable keyspace (80 % of node capacity), in GiB', () => {
    const gib = (gb: number) => Math.round(((gb * 1e9) / 2 ** 30) * 100) / 100;
    expect(byType(MEMORYSTORE_VALKEY_NODE_TYPES)).toMatchObject({
      SHARED_CORE_NANO: { nodeMemoryGiB: gib(1.4), usableMemoryGiB: gib(1.12) },
      STANDARD_SMALL: { nodeMemoryGiB: gib(6.5), usableMemoryGiB: gib(5.2) },
      HIGHMEM_MEDIUM: { nodeMemoryGiB: gib(13), usableMemoryGiB: gib(10.4) },
      HIGHMEM_XLARGE: { nodeMemoryGiB: gib(58), usableMemoryGiB: gib(46.4) },
    });
  });

  it('size ElastiCache on the memory left after the default 25 % reserve (30 % on cache.t4g.small)', () => {
    expect(byType(ELASTICACHE_NODE_TYPES)).toMatchObject({
      'cache.t4g.small': { nodeMemoryGiB: 1.37, usableMemoryGiB: 0.96 },
      'cache.t4g.medium': { nodeMemoryGiB: 3.09, usableMemoryGiB: 2.32 },
      'cache.r7g.large': { nodeMemoryGiB: 13.07, usableMemoryGiB: 9.8 },
    });
  });

  it('lays out enough shards for the data, not for the node memory', () => {
    // 16 GiB took 3 × STANDARD_SMALL (6.5 GB each) before; 4.84 GiB writable each needs 4.
    expect(cacheLayout(MEMORYSTORE_VALKEY_NODE_TYPES, 16, true)).toEqual({ nodeType: 'STANDARD_SMALL', shards: 4, memoryGiB: 19.36 });
    // 13 GiB fits one cache.r7g.large by node memory, but not by its 9.8 usable GiB.
    expect(cacheLayout(ELASTICACHE_NODE_TYPES, 13, true)).toEqual({ nodeType: 'cache.r7g.large', shards: 2, memoryGiB: 19.6 });
    expect(resolveTopology(preset('prod')).featureCache?.gcp).toMatchObject({ nodeType: 'STANDARD_SMALL', shards: 4, replicas: 1 });
  });
});
