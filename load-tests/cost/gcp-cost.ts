/** The GCP bill of a resolved topology, line by line, from a price list. */
import { MEMORYSTORE_VALKEY_NODE_TYPES, vectorIndexGiB, type ResolvedTopology } from '../../constructs';
import { vertexNodeKey, type GcpPrices } from '../../constructs/catalog/pricing-catalog';
import { ENDPOINTS_AT_MINIMUM, type CacheBasis, type CostBasis, type OneOffCharge, type PgvectorBasis, type PriceListBasis, type VectorSearchBasis } from './cost-basis';
import type { CostAssumptions } from './cost-assumptions';
import { cloudCost, CostSheet, type CloudCost } from './cost-lines';
import type { GcpResourceCounts } from './resource-counts';

/** [V] Pub/Sub bills at least 1,000 bytes per publish, push or pull request (cloud.google.com/pubsub/pricing). */
export const PUBSUB_MIN_BILLED_BYTES = 1000;
/** Each message is published once and pulled once. */
export const PUBSUB_REQUESTS_PER_MESSAGE = 2;
const BYTES_PER_TIB = 2 ** 40;

export function priceGcp(
  topology: ResolvedTopology,
  list: GcpPrices,
  assumptions: CostAssumptions,
  counts: GcpResourceCounts,
  priceList: PriceListBasis,
): CloudCost {
  const sheet = new CostSheet();
  const where = `in ${list.region}`;
  const oneOffCharges: OneOffCharge[] = [];

  for (const endpoint of topology.endpoints) {
    for (const variant of endpoint.variants) {
      const key = vertexNodeKey(variant.gcp.machineType, variant.gcp.acceleratorType, variant.gcp.acceleratorCount);
      sheet.add(
        {
          category: 'endpoints',
          item: `${endpoint.name}/${variant.name}`,
          resource: key,
          quantity: endpoint.scaling.min,
          quantityPer: 'hour',
          basis: `min ${endpoint.scaling.min} replicas, billed while deployed (autoscaling adds up to ${endpoint.scaling.max})`,
        },
        list.vertexPredictionNodes?.[key],
        `${endpoint.name}/${variant.name}: ${key} (no price ${where})`,
      );
    }
  }

  let cacheBasis: CacheBasis | undefined;
  const cache = topology.featureCache;
  if (cache) {
    const { nodeType, shards, replicas } = cache.gcp;
    const nodes = shards * (1 + replicas);
    const usable = MEMORYSTORE_VALKEY_NODE_TYPES.find((t) => t.nodeType === nodeType)?.usableMemoryGiB;
    cacheBasis = { engine: cache.engine, deployment: cache.deployment, memoryGiB: cache.memoryGiB, nodeType, shards, nodes, usableGiBPerNode: usable };
    sheet.add(
      {
        category: 'cache',
        item: 'feature cache nodes',
        resource: `Memorystore ${nodeType}`,
        quantity: nodes,
        quantityPer: 'hour',
        basis:
          `${cache.memoryGiB} GiB of data on ${shards} shards of ${usable} GiB writable keyspace each × (1 primary + ${replicas} replicas)` +
          (cache.deployment === 'serverless' ? '; Memorystore has no serverless mode, so nodes hold the AWS serverless cache\'s size' : ''),
      },
      list.memorystoreNodes?.[nodeType],
      `feature cache: Memorystore ${nodeType} (no price ${where})`,
    );
  }

  let vectorBasis: CostBasis['vectorStore'];
  const vectors = topology.vectorStore;
  if (vectors?.engine === 'managed') {
    const { shards, shardSize, machineType } = vectors.gcp;
    const indexGiB = vectorIndexGiB(vectors);
    vectorBasis = {
      engine: 'Vertex AI Vector Search',
      vectors: vectors.expectedVectors,
      dimensions: vectors.dimensions,
      indexGiB,
      shards,
      shardSize,
      machineType,
      replicas: vectors.replicas.min,
    } satisfies VectorSearchBasis;
    sheet.add(
      {
        category: 'vector-store',
        item: 'vector store serving',
        resource: `Vector Search ${machineType} node`,
        quantity: shards * vectors.replicas.min,
        quantityPer: 'hour',
        basis: `${vectors.expectedVectors.toLocaleString('en-US')} vectors × ${vectors.dimensions} dims → ${indexGiB.toFixed(1)} GiB index → ${shards} × ${shardSize} shards × ${vectors.replicas.min} replicas`,
      },
      list.vectorSearchNodes?.[machineType],
      `vector store: Vector Search ${machineType} nodes (no price ${where})`,
    );
    const build = list.vectorSearchBuild;
    const buildBasis = `one full build of the ${indexGiB.toFixed(2)} GiB index; streaming updates are billed per GiB ingested (volume not modelled)`;
    sheet.add(
      { category: 'vector-store', item: 'vector index build', resource: 'Vector Search index build', quantity: indexGiB, quantityPer: 'once', basis: buildBasis },
      build,
      `vector store: Vector Search index build (no price ${where})`,
    );
    if (build) oneOffCharges.push({ item: 'vector index build', usd: indexGiB * build.usd, basis: `${indexGiB.toFixed(2)} GiB × $${build.usd} per GiB built` });
  } else if (vectors?.database) {
    const { memoryGiB, highAvailability, gcp } = vectors.database;
    // [U] A regional (highly available) primary is an active node and a standby, both billed.
    const nodes = highAvailability ? 2 : 1;
    vectorBasis = {
      engine: 'AlloyDB with pgvector',
      vectors: vectors.expectedVectors,
      dimensions: vectors.dimensions,
      memoryGiB,
      instances: nodes,
      capacity: { unit: 'vCPU', count: gcp.cpuCount },
    } satisfies PgvectorBasis;
    sheet.add(
      {
        category: 'vector-store',
        item: 'vector database',
        resource: 'AlloyDB vCPU (with 8 GB)',
        quantity: nodes * gcp.cpuCount,
        quantityPer: 'hour',
        basis: `a primary of ${gcp.cpuCount} vCPUs (${memoryGiB} GiB)${highAvailability ? ' and its standby in another zone' : ''}, provisioned whatever the load; storage not included`,
      },
      list.alloydbVcpu,
      `vector store: AlloyDB vCPUs (no price ${where})`,
    );
  }

  for (const queue of topology.queues) {
    const billedBytes = Math.max(PUBSUB_MIN_BILLED_BYTES, assumptions.messageBytes) * PUBSUB_REQUESTS_PER_MESSAGE;
    sheet.add(
      {
        category: 'queues',
        item: `queue ${queue.name}`,
        resource: 'Pub/Sub message delivery',
        quantity: (assumptions.queueMessagesPerSecond * 3600 * billedBytes) / BYTES_PER_TIB,
        quantityPer: 'hour',
        basis: `${assumptions.queueMessagesPerSecond} messages/s (assumption) × (publish + pull) × max(${PUBSUB_MIN_BILLED_BYTES} B, ${assumptions.messageBytes} B)`,
      },
      list.pubsubDelivery,
      `queue ${queue.name}: Pub/Sub delivery (no price ${where})`,
    );
  }

  sheet.add(
    { category: 'network', item: 'Private Service Connect endpoints', resource: 'PSC endpoint (forwarding rule)', quantity: counts.pscEndpoints, quantityPer: 'hour', basis: `${counts.pscEndpoints} endpoints` },
    list.pscEndpoint,
    `Private Service Connect endpoints (no price ${where})`,
  );
  sheet.add(
    { category: 'keys', item: 'Cloud KMS keys', resource: 'key version', quantity: counts.kmsKeyVersions, quantityPer: 'month', basis: `${counts.kmsKeyVersions} keys, one active version each` },
    list.kmsKeyVersion,
    `Cloud KMS key versions (no price ${where})`,
  );
  sheet.add(
    { category: 'monitoring', item: 'alert policies', resource: 'alerting condition', quantity: counts.alertConditions, quantityPer: 'month', basis: `${counts.alertConditions} conditions` },
    list.alertCondition,
    `alerting conditions (no price ${where})`,
  );
  return cloudCost('gcp', list.region, sheet, {
    endpoints: ENDPOINTS_AT_MINIMUM,
    priceList,
    ...(cacheBasis && { cache: cacheBasis }),
    ...(vectorBasis && { vectorStore: vectorBasis }),
    oneOffCharges,
  });
}
