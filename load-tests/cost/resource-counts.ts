/**
 * How many of the small fixed-price resources each cloud's realisation creates: private network
 * endpoints, encryption keys, alarms. The defaults follow the rules the back-ends implement (cited
 * per field; load-tests may not import aws/ or gcp/). A caller holding the offline plans (the
 * comparison report) can pass the counts it read from them instead.
 */
import type { ResolvedTopology } from '../../constructs';

export interface AwsResourceCounts {
  /** Interface VPC endpoints; each is billed per availability zone it has an interface in. */
  readonly interfaceEndpoints: number;
  readonly availabilityZones: number;
  readonly kmsKeys: number;
  readonly standardAlarms: number;
  readonly highResolutionAlarms: number;
}

export interface GcpResourceCounts {
  readonly pscEndpoints: number;
  readonly kmsKeyVersions: number;
  readonly alertConditions: number;
}

/**
 * - Interface endpoints: the resolved network's (`network.aws.interfaceEndpoints`), in a new VPC
 *   only; an imported VPC's owner has them.
 * - Keys: one per endpoint, cache, vector store, queue, the monitoring topic and the flow logs of a
 *   new VPC (aws/private/component-key.ts and its callers).
 * - Alarms: p99 latency and error rate per endpoint (aws/model-endpoint/endpoint-alarms.ts), a dead-letter alarm
 *   per queue (aws/work-queue.ts), and the two alarms target tracking creates per variant, high
 *   and low (docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-target-tracking.html);
 *   the high one is high-resolution for the concurrency metric.
 */
export function awsResourceCounts(topology: ResolvedTopology): AwsResourceCounts {
  const ownVpc = !topology.network.existing?.aws;
  const interfaceEndpoints = ownVpc ? topology.network.aws.interfaceEndpoints.length : 0;
  const scaledVariants = topology.endpoints.filter((e) => e.mode !== 'serverless').flatMap((e) => e.variants.map(() => e));
  const highResolution = scaledVariants.filter(
    (e) => e.aws.scalingMetric.kind === 'predefined' && e.aws.scalingMetric.metric === 'SageMakerVariantConcurrentRequestsPerModelHighResolution',
  ).length;
  return {
    interfaceEndpoints,
    availabilityZones: topology.network.existing?.aws?.availabilityZones.length ?? topology.network.zoneCount,
    kmsKeys:
      topology.endpoints.length +
      (topology.featureCache ? 1 : 0) +
      (topology.vectorStore ? 1 : 0) +
      topology.queues.length +
      1 +
      (ownVpc ? 1 : 0),
    standardAlarms: 2 * topology.endpoints.length + topology.queues.length + 2 * scaledVariants.length - highResolution,
    highResolutionAlarms: highResolution,
  };
}

/**
 * - PSC endpoints: one per Vertex endpoint (gcp/model-endpoint/model-endpoint.ts privateServiceConnectConfig),
 *   one for the Vector Search index endpoint (gcp/vector-store/vector-search-store.ts), and two for a Memorystore
 *   instance, its discovery and data endpoints [U] (Memorystore for Valkey networking docs, recalled).
 * - Keys: one per endpoint, cache, vector store, queue and monitoring (gcp/serving-topology.ts
 *   servingKeyIds), one active version each [U]: a 90-day rotation adds versions, billed while enabled.
 * - Alert conditions: latency and errors per endpoint (gcp/model-endpoint/endpoint-alerts.ts), one per queue (gcp/work-queue.ts).
 */
export function gcpResourceCounts(topology: ResolvedTopology): GcpResourceCounts {
  return {
    pscEndpoints: topology.endpoints.length + (topology.vectorStore?.engine === 'managed' ? 1 : 0) + (topology.featureCache ? 2 : 0),
    kmsKeyVersions: topology.endpoints.length + (topology.featureCache ? 1 : 0) + (topology.vectorStore ? 1 : 0) + topology.queues.length + 1,
    alertConditions: 2 * topology.endpoints.length + topology.queues.length,
  };
}
