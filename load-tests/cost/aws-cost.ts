/** The AWS bill of a resolved topology, line by line, from a price list. */
import type { ResolvedTopology } from '../../constructs';
import { ELASTICACHE_NODE_TYPES } from '../../constructs';
import type { AwsPrices } from '../../constructs/catalog/pricing-catalog';
import { ENDPOINTS_AT_MINIMUM, type CacheBasis, type CostBasis, type OpenSearchBasis, type PgvectorBasis, type PriceListBasis } from './cost-basis';
import type { CostAssumptions } from './cost-assumptions';
import { cloudCost, CostSheet, type CloudCost } from './cost-lines';
import type { AwsResourceCounts } from './resource-counts';
import { opensearchOcus } from './vector-store-sizing';

const ELASTICACHE_PRICING = 'aws.amazon.com/elasticache/pricing';
/** [S] SQS: send, receive and delete: at least 3 requests per message; each 64 KB chunk is a request (aws.amazon.com/sqs/pricing). */
export const SQS_REQUESTS_PER_MESSAGE = 3;
export const SQS_REQUEST_CHUNK_BYTES = 64 * 1024;
/** [V] ElastiCache Serverless: 1 ECPU per KB read or written (aws.amazon.com/elasticache/pricing). */
export const ECPU_PER_KIB = 1;
/** [V] ElastiCache Serverless Valkey bills at least 100 MB of data, Redis OSS at least 1 GB (aws.amazon.com/elasticache/pricing). */
export const ELASTICACHE_SERVERLESS_MIN_GB = { valkey: 0.1, redis: 1 } as const;

export function priceAws(
  topology: ResolvedTopology,
  list: AwsPrices,
  assumptions: CostAssumptions,
  counts: AwsResourceCounts,
  priceList: PriceListBasis,
): CloudCost {
  const sheet = new CostSheet();
  const where = `in ${list.region}`;

  for (const endpoint of topology.endpoints) {
    if (endpoint.mode === 'serverless') {
      sheet.unpriced.push(`${endpoint.name}: SageMaker Serverless Inference (billed per GB-second of compute; not in the price list)`);
      continue;
    }
    for (const variant of endpoint.variants) {
      const type = variant.aws.instanceType;
      sheet.add(
        {
          category: 'endpoints',
          item: `${endpoint.name}/${variant.name}`,
          resource: type,
          quantity: endpoint.scaling.min,
          quantityPer: 'hour',
          basis: `min ${endpoint.scaling.min} instances (autoscaling adds up to ${endpoint.scaling.max} under load)`,
        },
        list.sagemakerInstances?.[type],
        `${endpoint.name}/${variant.name}: ${type} (no price ${where})`,
      );
    }
  }

  let cacheBasis: CacheBasis | undefined;
  const cache = topology.featureCache;
  if (cache?.aws.serverless) {
    const prices = list.elasticacheServerless?.[cache.engine];
    const gb = Math.max(ELASTICACHE_SERVERLESS_MIN_GB[cache.engine], cache.memoryGiB * 1.073741824);
    cacheBasis = { engine: cache.engine, deployment: cache.deployment, memoryGiB: cache.memoryGiB, billedGB: gb };
    sheet.add(
      {
        category: 'cache',
        item: 'feature cache data',
        resource: `ElastiCache Serverless ${cache.engine}`,
        quantity: gb,
        quantityPer: 'hour',
        basis: `${cache.memoryGiB} GiB stored (floor ${ELASTICACHE_SERVERLESS_MIN_GB[cache.engine]} GB, ${ELASTICACHE_PRICING})`,
      },
      prices?.data,
      `feature cache: ElastiCache Serverless ${cache.engine} data (no price ${where})`,
    );
    const ecpuPerHour = (assumptions.cacheRequestsPerSecond * Math.max(1, Math.ceil(assumptions.cacheItemKiB)) * ECPU_PER_KIB * 3600) / 1e6;
    sheet.add(
      {
        category: 'cache',
        item: 'feature cache requests',
        resource: `ElastiCache Serverless ${cache.engine} ECPUs`,
        quantity: ecpuPerHour,
        quantityPer: 'hour',
        basis: `${assumptions.cacheRequestsPerSecond} requests/s × ${assumptions.cacheItemKiB} KiB (assumption), 1 ECPU per KiB`,
      },
      prices?.ecpu,
      `feature cache: ElastiCache Serverless ${cache.engine} ECPUs (no price ${where})`,
    );
  } else if (cache?.aws.nodes) {
    const { nodeType, shards, replicasPerShard } = cache.aws.nodes;
    const nodes = shards * (1 + replicasPerShard);
    const shape = ELASTICACHE_NODE_TYPES.find((t) => t.nodeType === nodeType);
    const usable = shape?.usableMemoryGiB;
    const reserved = shape ? `${Math.round((1 - shape.usableMemoryGiB / shape.nodeMemoryGiB) * 100)} % of ${shape.nodeMemoryGiB} GiB reserved` : 'node memory unknown';
    cacheBasis = { engine: cache.engine, deployment: cache.deployment, memoryGiB: cache.memoryGiB, nodeType, shards, nodes, usableGiBPerNode: usable };
    sheet.add(
      {
        category: 'cache',
        item: 'feature cache nodes',
        resource: nodeType,
        quantity: nodes,
        quantityPer: 'hour',
        basis: `${cache.memoryGiB} GiB of data on ${shards} shards of ${usable} GiB usable each (${reserved}) × (1 primary + ${replicasPerShard} replicas)`,
      },
      list.elasticacheNodes?.[cache.engine]?.[nodeType],
      `feature cache: ${nodeType} (no price ${where})`,
    );
  }

  let vectorBasis: CostBasis['vectorStore'];
  const vectors = topology.vectorStore;
  if (vectors?.engine === 'managed') {
    const ocus = opensearchOcus(vectors);
    vectorBasis = {
      engine: 'OpenSearch Serverless',
      vectors: ocus.vectors,
      dimensions: ocus.dimensions,
      hnswM: ocus.m,
      graphGiB: ocus.graphGiB,
      standbyReplicas: ocus.standbyReplicas,
      indexingOcus: ocus.indexing,
      searchOcus: ocus.search,
      searchOcusRange: { low: ocus.searchLow, high: ocus.searchHigh },
    } satisfies OpenSearchBasis;
    sheet.add(
      {
        category: 'vector-store',
        item: 'vector store',
        resource: 'OpenSearch Serverless OCU',
        quantity: ocus.indexing + ocus.search,
        quantityPer: 'hour',
        quantityRange: { low: ocus.indexing + ocus.searchLow, high: ocus.indexingHigh + ocus.searchHigh },
        basis:
          `${ocus.indexing} indexing + ${ocus.search} search OCUs: ${ocus.vectors.toLocaleString('en-US')} vectors × ${ocus.dimensions} dims, m ${ocus.m} → ` +
          `HNSW graph ${ocus.graphGiB.toFixed(1)} GiB per copy${ocus.standbyReplicas ? ', two copies (standby replicas)' : ''}`,
      },
      list.opensearchServerlessOcu,
      `vector store: OpenSearch Serverless OCUs (no price ${where})`,
    );
  } else if (vectors?.database) {
    const { memoryGiB, aws } = vectors.database;
    // A writer and a reader per replica beyond the first, each scaling with the writer (aws/vector-store/aurora-vector-store.ts).
    const instances = vectors.replicas.min;
    vectorBasis = {
      engine: 'Aurora PostgreSQL with pgvector',
      vectors: vectors.expectedVectors,
      dimensions: vectors.dimensions,
      memoryGiB,
      instances,
      capacity: { unit: 'ACU', min: aws.minCapacityAcu, max: aws.maxCapacityAcu },
    } satisfies PgvectorBasis;
    sheet.add(
      {
        category: 'vector-store',
        item: 'vector database',
        resource: 'Aurora Serverless v2 ACU',
        quantity: instances * aws.minCapacityAcu,
        quantityPer: 'hour',
        quantityRange: { low: instances * aws.minCapacityAcu, high: instances * aws.maxCapacityAcu },
        basis:
          `${instances === 1 ? 'a writer' : `a writer and ${instances - 1} reader${instances > 2 ? 's' : ''}`} at the ${aws.minCapacityAcu}-ACU floor, ` +
          `scaling to ${aws.maxCapacityAcu} ACU (${memoryGiB} GiB) each under load; storage and I/O not included`,
      },
      list.auroraServerlessV2Acu,
      `vector store: Aurora Serverless v2 ACUs (no price ${where})`,
    );
  }

  for (const queue of topology.queues) {
    const requestsPerMessage = SQS_REQUESTS_PER_MESSAGE * Math.max(1, Math.ceil(assumptions.messageBytes / SQS_REQUEST_CHUNK_BYTES));
    sheet.add(
      {
        category: 'queues',
        item: `queue ${queue.name}`,
        resource: 'SQS standard requests',
        quantity: (assumptions.queueMessagesPerSecond * 3600 * requestsPerMessage) / 1e6,
        quantityPer: 'hour',
        basis: `${assumptions.queueMessagesPerSecond} messages/s (assumption) × ${requestsPerMessage} requests (send, receive, delete)`,
      },
      list.sqsStandardRequests,
      `queue ${queue.name}: SQS requests (no price ${where})`,
    );
  }

  if (counts.interfaceEndpoints > 0) {
    sheet.add(
      {
        category: 'network',
        item: 'interface VPC endpoints',
        resource: 'PrivateLink interface endpoint',
        quantity: counts.interfaceEndpoints * counts.availabilityZones,
        quantityPer: 'hour',
        basis: `${counts.interfaceEndpoints} endpoints × ${counts.availabilityZones} availability zones`,
      },
      list.interfaceEndpoint,
      `interface VPC endpoints (no price ${where})`,
    );
  }
  sheet.add(
    { category: 'keys', item: 'KMS keys', resource: 'customer-managed key', quantity: counts.kmsKeys, quantityPer: 'month', basis: `${counts.kmsKeys} keys, one per component` },
    list.kmsKey,
    `KMS keys (no price ${where})`,
  );
  sheet.add(
    { category: 'monitoring', item: 'alarms', resource: 'CloudWatch alarm', quantity: counts.standardAlarms, quantityPer: 'month', basis: `${counts.standardAlarms} standard-resolution alarms` },
    list.alarm,
    `CloudWatch alarms (no price ${where})`,
  );
  if (counts.highResolutionAlarms > 0) {
    sheet.add(
      {
        category: 'monitoring',
        item: 'high-resolution alarms',
        resource: 'CloudWatch high-resolution alarm',
        quantity: counts.highResolutionAlarms,
        quantityPer: 'month',
        basis: `${counts.highResolutionAlarms} target-tracking scale-out alarms on the 10-s concurrency metric`,
      },
      list.highResolutionAlarm,
      `CloudWatch high-resolution alarms (no price ${where})`,
    );
  }
  return cloudCost('aws', list.region, sheet, {
    endpoints: ENDPOINTS_AT_MINIMUM,
    priceList,
    ...(cacheBasis && { cache: cacheBasis }),
    ...(vectorBasis && { vectorStore: vectorBasis }),
    oneOffCharges: [],
  });
}
