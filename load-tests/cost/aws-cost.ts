/** The AWS bill of a resolved topology, line by line, from a catalog price list. */
import type { ResolvedTopology } from '../../constructs';
import type { AwsPriceList } from '../../constructs/pricing-catalog';
import type { CostAssumptions } from './cost-assumptions';
import { cloudCost, costLine, type CloudCost, type CostLine } from './cost-lines';
import type { AwsResourceCounts } from './resource-counts';
import { opensearchOcus } from './vector-store-sizing';

/** [S] SQS: send, receive and delete: at least 3 requests per message; each 64 KB chunk is a request (pricing.md §3). */
export const SQS_REQUESTS_PER_MESSAGE = 3;
export const SQS_REQUEST_CHUNK_BYTES = 64 * 1024;
/** [V] ElastiCache Serverless: 1 ECPU per KB read or written (pricing.md §3). */
export const ECPU_PER_KIB = 1;
/** [V] ElastiCache Serverless Valkey bills at least 100 MB of data; [S] Redis OSS at least 1 GB (pricing.md §2). */
export const ELASTICACHE_SERVERLESS_MIN_GB = { valkey: 0.1, redis: 1 } as const;

export function priceAws(topology: ResolvedTopology, list: AwsPriceList, assumptions: CostAssumptions, counts: AwsResourceCounts): CloudCost {
  const lines: CostLine[] = [];
  const unpriced: string[] = [];

  for (const endpoint of topology.endpoints) {
    if (endpoint.mode === 'serverless') {
      unpriced.push(`${endpoint.name}: SageMaker Serverless Inference (billed per GB-second of compute; not in the catalog)`);
      continue;
    }
    for (const variant of endpoint.variants) {
      const type = variant.aws.instanceType;
      const p = list.sagemakerInstances[type];
      if (!p) {
        unpriced.push(`${endpoint.name}/${variant.name}: ${type} (no catalog price in ${list.region})`);
        continue;
      }
      lines.push(
        costLine(
          {
            category: 'endpoints',
            item: `${endpoint.name}/${variant.name}`,
            resource: type,
            quantity: endpoint.scaling.min,
            quantityPer: 'hour',
            basis: `min ${endpoint.scaling.min} instances (autoscaling adds up to ${endpoint.scaling.max} under load)`,
          },
          p,
        ),
      );
    }
  }

  const cache = topology.featureCache;
  if (cache) {
    if (cache.aws.serverless) {
      const prices = list.elasticacheServerless[cache.engine];
      const gb = Math.max(ELASTICACHE_SERVERLESS_MIN_GB[cache.engine], cache.memoryGiB * 1.073741824);
      lines.push(
        costLine(
          { category: 'cache', item: 'feature cache data', resource: `ElastiCache Serverless ${cache.engine}`, quantity: gb, quantityPer: 'hour', basis: `${cache.memoryGiB} GiB stored (floor ${ELASTICACHE_SERVERLESS_MIN_GB[cache.engine]} GB)` },
          prices.data,
        ),
      );
      const ecpuPerHour = (assumptions.cacheRequestsPerSecond * Math.max(1, Math.ceil(assumptions.cacheItemKiB)) * ECPU_PER_KIB * 3600) / 1e6;
      lines.push(
        costLine(
          {
            category: 'cache',
            item: 'feature cache requests',
            resource: `ElastiCache Serverless ${cache.engine} ECPUs`,
            quantity: ecpuPerHour,
            quantityPer: 'hour',
            basis: `${assumptions.cacheRequestsPerSecond} requests/s × ${assumptions.cacheItemKiB} KiB (assumption), 1 ECPU per KiB`,
          },
          prices.ecpu,
        ),
      );
    } else if (cache.aws.nodes) {
      const { nodeType, shards, replicasPerShard } = cache.aws.nodes;
      const p = list.elasticacheNodes[cache.engine][nodeType];
      if (p) {
        lines.push(
          costLine(
            {
              category: 'cache',
              item: 'feature cache nodes',
              resource: nodeType,
              quantity: shards * (1 + replicasPerShard),
              quantityPer: 'hour',
              basis: `${shards} shards × (1 primary + ${replicasPerShard} replicas)`,
            },
            p,
          ),
        );
      } else unpriced.push(`feature cache: ${nodeType} (no catalog price)`);
    }
  }

  const vectors = topology.vectorStore;
  if (vectors?.engine === 'managed') {
    const ocus = opensearchOcus(vectors);
    lines.push(
      costLine(
        {
          category: 'vector-store',
          item: 'vector store',
          resource: 'OpenSearch Serverless OCU',
          quantity: ocus.indexing + ocus.search,
          quantityPer: 'hour',
          basis: `${ocus.indexing} indexing + ${ocus.search} search OCUs: HNSW graph ≈ ${ocus.graphGB.toFixed(1)} GB (${vectors.expectedVectors.toLocaleString('en-US')} × ${vectors.dimensions} dims, m ${vectors.index.m})${vectors.aws.standbyReplicas ? ', standby replicas doubling search' : ''}`,
        },
        list.opensearchServerlessOcu,
      ),
    );
  } else if (vectors) {
    unpriced.push('vector store: Aurora PostgreSQL with pgvector (not in the catalog)');
  }

  for (const queue of topology.queues) {
    const requestsPerMessage = SQS_REQUESTS_PER_MESSAGE * Math.max(1, Math.ceil(assumptions.messageBytes / SQS_REQUEST_CHUNK_BYTES));
    lines.push(
      costLine(
        {
          category: 'queues',
          item: `queue ${queue.name}`,
          resource: 'SQS standard requests',
          quantity: (assumptions.queueMessagesPerSecond * 3600 * requestsPerMessage) / 1e6,
          quantityPer: 'hour',
          basis: `${assumptions.queueMessagesPerSecond} messages/s (assumption) × ${requestsPerMessage} requests (send, receive, delete)`,
        },
        list.sqsStandardRequests,
      ),
    );
  }

  if (counts.interfaceEndpoints > 0) {
    lines.push(
      costLine(
        {
          category: 'network',
          item: 'interface VPC endpoints',
          resource: 'PrivateLink interface endpoint',
          quantity: counts.interfaceEndpoints * counts.availabilityZones,
          quantityPer: 'hour',
          basis: `${counts.interfaceEndpoints} endpoints × ${counts.availabilityZones} availability zones`,
        },
        list.interfaceEndpoint,
      ),
    );
  }
  lines.push(
    costLine({ category: 'keys', item: 'KMS keys', resource: 'customer-managed key', quantity: counts.kmsKeys, quantityPer: 'month', basis: `${counts.kmsKeys} keys, one per component` }, list.kmsKey),
  );
  lines.push(
    costLine(
      { category: 'monitoring', item: 'alarms', resource: 'CloudWatch alarm', quantity: counts.standardAlarms, quantityPer: 'month', basis: `${counts.standardAlarms} standard-resolution alarms` },
      list.alarm,
    ),
  );
  if (counts.highResolutionAlarms > 0) {
    lines.push(
      costLine(
        {
          category: 'monitoring',
          item: 'high-resolution alarms',
          resource: 'CloudWatch high-resolution alarm',
          quantity: counts.highResolutionAlarms,
          quantityPer: 'month',
          basis: `${counts.highResolutionAlarms} target-tracking scale-out alarms on the 10-s concurrency metric`,
        },
        list.highResolutionAlarm,
      ),
    );
  }
  return cloudCost('aws', list.region, lines, unpriced);
}
