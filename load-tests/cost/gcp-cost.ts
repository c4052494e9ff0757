/** The GCP bill of a resolved topology, line by line, from a catalog price list. */
import { vectorIndexGiB, type ResolvedTopology } from '../../constructs';
import { vertexNodeKey, type GcpPriceList } from '../../constructs/pricing-catalog';
import type { CostAssumptions } from './cost-assumptions';
import { cloudCost, costLine, type CloudCost, type CostLine } from './cost-lines';
import type { GcpResourceCounts } from './resource-counts';

/** [V] Pub/Sub bills at least 1,000 bytes per publish, push or pull request (pricing.md §3). */
export const PUBSUB_MIN_BILLED_BYTES = 1000;
/** Each message is published once and pulled once. */
export const PUBSUB_REQUESTS_PER_MESSAGE = 2;
const BYTES_PER_TIB = 2 ** 40;

export function priceGcp(topology: ResolvedTopology, list: GcpPriceList, assumptions: CostAssumptions, counts: GcpResourceCounts): CloudCost {
  const lines: CostLine[] = [];
  const unpriced: string[] = [];

  for (const endpoint of topology.endpoints) {
    for (const variant of endpoint.variants) {
      const key = vertexNodeKey(variant.gcp.machineType, variant.gcp.acceleratorType, variant.gcp.acceleratorCount);
      const p = list.vertexPredictionNodes[key];
      if (!p) {
        unpriced.push(`${endpoint.name}/${variant.name}: ${key} (no catalog price in ${list.region})`);
        continue;
      }
      lines.push(
        costLine(
          {
            category: 'endpoints',
            item: `${endpoint.name}/${variant.name}`,
            resource: key,
            quantity: endpoint.scaling.min,
            quantityPer: 'hour',
            basis: `min ${endpoint.scaling.min} replicas, billed while deployed (autoscaling adds up to ${endpoint.scaling.max})`,
          },
          p,
        ),
      );
    }
  }

  const cache = topology.featureCache;
  if (cache) {
    const { nodeType, shards, replicas } = cache.gcp;
    const p = list.memorystoreNodes[nodeType];
    if (p) {
      lines.push(
        costLine(
          {
            category: 'cache',
            item: 'feature cache nodes',
            resource: `Memorystore ${nodeType}`,
            quantity: shards * (1 + replicas),
            quantityPer: 'hour',
            basis: `${shards} shards × (1 primary + ${replicas} replicas)${cache.deployment === 'serverless' ? '; Memorystore has no serverless mode, so nodes hold the AWS serverless cache\'s size' : ''}`,
          },
          p,
        ),
      );
    } else unpriced.push(`feature cache: Memorystore ${nodeType} (no catalog price)`);
  }

  const vectors = topology.vectorStore;
  if (vectors?.engine === 'managed') {
    const { shards, shardSize, machineType } = vectors.gcp;
    const indexGiB = vectorIndexGiB(vectors);
    lines.push(
      costLine(
        {
          category: 'vector-store',
          item: 'vector store serving',
          resource: `Vector Search ${machineType} node`,
          quantity: shards * vectors.replicas.min,
          quantityPer: 'hour',
          basis: `${indexGiB.toFixed(1)} GiB index → ${shards} × ${shardSize} shards × ${vectors.replicas.min} replicas`,
        },
        list.vectorSearchNodes[machineType],
      ),
    );
    lines.push(
      costLine(
        {
          category: 'vector-store',
          item: 'vector index build',
          resource: 'Vector Search index build',
          quantity: 0,
          quantityPer: 'month',
          oneOffUsd: indexGiB * list.vectorSearchBuild.usd,
          basis: `one full build of ${indexGiB.toFixed(1)} GiB; streaming updates are billed per GiB ingested (volume not modelled)`,
        },
        list.vectorSearchBuild,
      ),
    );
  } else if (vectors) {
    unpriced.push('vector store: AlloyDB with pgvector (not in the catalog)');
  }

  for (const queue of topology.queues) {
    const billedBytes = Math.max(PUBSUB_MIN_BILLED_BYTES, assumptions.messageBytes) * PUBSUB_REQUESTS_PER_MESSAGE;
    lines.push(
      costLine(
        {
          category: 'queues',
          item: `queue ${queue.name}`,
          resource: 'Pub/Sub message delivery',
          quantity: (assumptions.queueMessagesPerSecond * 3600 * billedBytes) / BYTES_PER_TIB,
          quantityPer: 'hour',
          basis: `${assumptions.queueMessagesPerSecond} messages/s (assumption) × (publish + pull) × max(${PUBSUB_MIN_BILLED_BYTES} B, ${assumptions.messageBytes} B)`,
        },
        list.pubsubDelivery,
      ),
    );
  }

  lines.push(
    costLine(
      { category: 'network', item: 'Private Service Connect endpoints', resource: 'PSC endpoint (forwarding rule)', quantity: counts.pscEndpoints, quantityPer: 'hour', basis: `${counts.pscEndpoints} endpoints` },
      list.pscEndpoint,
    ),
  );
  lines.push(
    costLine(
      { category: 'keys', item: 'Cloud KMS keys', resource: 'key version', quantity: counts.kmsKeyVersions, quantityPer: 'month', basis: `${counts.kmsKeyVersions} keys, one active version each` },
      list.kmsKeyVersion,
    ),
  );
  lines.push(
    costLine(
      { category: 'monitoring', item: 'alert policies', resource: 'alerting condition', quantity: counts.alertConditions, quantityPer: 'month', basis: `${counts.alertConditions} conditions` },
      list.alertCondition,
    ),
  );
  return cloudCost('gcp', list.region, lines, unpriced);
}
