/** The feature cache: ElastiCache (serverless or nodes) and Memorystore, sized from one memory figure. */
import { cacheLayout, ELASTICACHE_NODE_TYPES, MEMORYSTORE_VALKEY_NODE_TYPES } from '../catalog/cache-shapes';
import { AWS_NAMING, fitName, gcpFeatureCacheNames } from '../naming';
import type { ParityNote } from '../parity';
import type { ResolvedFeatureCache } from '../resolved-topology';
import type { FeatureCacheSpec } from '../spec/topology-schema';
import { DEFAULT_CACHE_REPLICAS, DEFAULT_MAX_KILO_ECPU_PER_SECOND } from '../spec/unset-defaults';
import type { TopologyNames } from './topology-names';

export function resolveFeatureCache(c: FeatureCacheSpec, names: TopologyNames, production: boolean, parity: ParityNote[]): ResolvedFeatureCache {
  const multiZone = c.multiZone ?? production;
  const replicas = c.replicas ?? (multiZone ? DEFAULT_CACHE_REPLICAS.multiZone : DEFAULT_CACHE_REPLICAS.singleZone);
  const gcpLayout = cacheLayout(MEMORYSTORE_VALKEY_NODE_TYPES, c.memoryGiB, production);
  const awsLayout = cacheLayout(ELASTICACHE_NODE_TYPES, c.memoryGiB, production);
  const snapshotRetentionDays = production ? 15 : 1;
  if (c.deployment === 'serverless') {
    parity.push({
      path: 'featureCache.deployment',
      cloud: 'gcp',
      realisedAs: `Memorystore ${gcpLayout.shards} × ${gcpLayout.nodeType} (${gcpLayout.memoryGiB} GiB provisioned)`,
      reason: 'Memorystore has no serverless mode; the AWS cache grows up to the limit while GCP provisions nodes that hold it',
    });
    if (!multiZone) {
      parity.push({
        path: 'featureCache.multiZone',
        cloud: 'aws',
        realisedAs: 'data replicated across availability zones',
        reason: 'ElastiCache Serverless always replicates across zones; single-zone applies to GCP only',
      });
    }
  }
  if (c.engine === 'redis' && !multiZone && replicas > 0) {
    parity.push({
      path: 'featureCache.replicas',
      cloud: 'gcp',
      realisedAs: 'Memorystore for Redis Basic tier, no replicas',
      reason: 'Memorystore for Redis keeps replicas only in the Standard (multi-zone) tier',
    });
  }
  const awsClustered = c.deployment === 'serverless' || awsLayout.shards > 1;
  if (c.engine === 'redis' && awsClustered) {
    parity.push({
      path: 'featureCache.engine',
      cloud: 'gcp',
      realisedAs: 'Memorystore for Redis: one unsharded primary',
      reason: `Memorystore for Redis instances are not sharded, while the AWS cache is cluster-mode (${
        c.deployment === 'serverless' ? 'ElastiCache Serverless' : `${awsLayout.shards} shards`
      }): clients need the Redis cluster protocol on AWS only`,
    });
  }
  return {
    engine: c.engine,
    deployment: c.deployment,
    memoryGiB: c.memoryGiB,
    replicas,
    multiZone,
    defaultTtlSeconds: c.defaultTtlSeconds,
    aws: {
      cacheName: fitName([names.topology, names.environment, 'features'], AWS_NAMING.serverlessCache),
      serverless:
        c.deployment === 'serverless'
          ? { maxDataStorageGiB: Math.ceil(c.memoryGiB), maxEcpuPerSecond: (c.maxKiloEcpuPerSecond ?? DEFAULT_MAX_KILO_ECPU_PER_SECOND) * 1000 }
          : undefined,
      nodes:
        c.deployment === 'nodes' ? { nodeType: awsLayout.nodeType, shards: awsLayout.shards, replicasPerShard: replicas } : undefined,
      snapshotRetentionDays,
    },
    gcp: {
      ...gcpFeatureCacheNames(names.topology, names.environment),
      nodeType: gcpLayout.nodeType,
      shards: gcpLayout.shards,
      replicas,
      zoneMode: multiZone ? 'MULTI_ZONE' : 'SINGLE_ZONE',
      backupRetentionDays: snapshotRetentionDays,
    },
  };
}
