/** Vertex AI Vector Search's shard sizes, and the index size they are chosen by. */
import type { VectorSearchShardSize } from '../resolved-topology';
import type { VectorStoreSpec } from '../spec/topology-schema';

/**
 * Vector Search shard sizes with their capacity and serving machine ([V] Vertex AI REST reference,
 * IndexConfig.ShardSize: SMALL 2 GiB on e2-standard-2, MEDIUM 20 GiB on e2-standard-16, LARGE
 * 50 GiB on e2-highmem-16).
 */
export const VECTOR_SEARCH_SHARD_SIZES = [
  { size: 'SHARD_SIZE_SMALL', gib: 2, machineType: 'e2-standard-2' },
  { size: 'SHARD_SIZE_MEDIUM', gib: 20, machineType: 'e2-standard-16' },
  { size: 'SHARD_SIZE_LARGE', gib: 50, machineType: 'e2-highmem-16' },
] as const;

/** [U] Shards per index beyond which the next size up is used: few shards keep fan-out and node count low. */
export const MAX_SHARDS_PER_SIZE = 8;

/** [U] Index size: float32 embeddings, 4 bytes per dimension; restricts and ids not counted. */
export function vectorIndexGiB(v: Pick<VectorStoreSpec, 'dimensions' | 'expectedVectors'>): number {
  return (4 * v.dimensions * v.expectedVectors) / 2 ** 30;
}

/** The smallest shard size that holds the index in at most MAX_SHARDS_PER_SIZE shards (else the largest). */
export function vectorSearchShard(v: Pick<VectorStoreSpec, 'dimensions' | 'expectedVectors'>): {
  size: VectorSearchShardSize;
  machineType: string;
  shards: number;
} {
  const gib = vectorIndexGiB(v);
  const fits = VECTOR_SEARCH_SHARD_SIZES.find((s) => Math.ceil(gib / s.gib) <= MAX_SHARDS_PER_SIZE) ?? VECTOR_SEARCH_SHARD_SIZES[2];
  return { size: fits.size, machineType: fits.machineType, shards: Math.max(1, Math.ceil(gib / fits.gib)) };
}
