/**
 * What a topology gets where it leaves a field unset and the value is decided when it resolves,
 * because it depends on the environment or on the hardware. `resolveTopology` applies these and
 * the schema's field descriptions quote them, so the field reference says what is deployed.
 */

/** `scaling.max` when unset: replicas a variant may scale out to, never fewer than its `scaling.min`. */
export const DEFAULT_MAX_INSTANCES = { production: 8, otherwise: 2 } as const;

/** `vectorStore.replicas` when unset: two serving replicas in production survive a zone, one elsewhere is cheapest. */
export const DEFAULT_VECTOR_STORE_REPLICAS = { production: { min: 2, max: 4 }, otherwise: { min: 1, max: 1 } } as const;

/** `featureCache.replicas` when unset: a multi-zone cache keeps one copy in another zone. */
export const DEFAULT_CACHE_REPLICAS = { multiZone: 1, singleZone: 0 } as const;

/** `featureCache.maxKiloEcpuPerSecond` when unset, for a serverless cache (thousands of ECPUs per second). */
export const DEFAULT_MAX_KILO_ECPU_PER_SECOND = 100;

/** `performance` when unset: a small CPU model and a batched GPU model, on the reference shape of their family. */
export const DEFAULT_PERFORMANCE = {
  cpu: { serviceTimeMs: 20, concurrencyPerReplica: 4 },
  gpu: { serviceTimeMs: 30, concurrencyPerReplica: 8 },
} as const;
