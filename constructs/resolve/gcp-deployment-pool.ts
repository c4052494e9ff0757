/**
 * A pool (`endpoints[].sharing.pool`) on Vertex AI: a deployment resource pool when Vertex can host
 * its members, dedicated replicas per member otherwise. Vertex pools take only its prebuilt
 * TensorFlow and PyTorch prediction containers, one image per pool (constructs/deployment-pool-rules.ts),
 * so the decision is made from the members' GCP images, once, for every member alike.
 */
import { createHash } from 'node:crypto';
import { vertexPoolImageProblem } from '../deployment-pool-rules';
import { fitName, GCP_NAMING, gcpEndpointNames } from '../naming';
import type { GcpDeploymentPoolPlan, ResolvedSharing, ResolvedVariant } from '../resolved-topology';
import type { EndpointSpec } from '../spec/topology-schema';
import type { TopologyNames } from './topology-names';

export type GcpPoolDecision = { readonly pool: GcpDeploymentPoolPlan } | { readonly dedicatedBecause: string };

/**
 * The pool's replicas are sized as SageMaker's pool instances (the same copies-per-instance
 * arithmetic), raised to the 1 replica a Vertex pool never goes below; its CMEK key is the first
 * member's, which every member's endpoint then uses (a pool and its endpoints have the same
 * EncryptionSpec, deployment_resource_pool.proto). The pool scales on Vertex's default metrics
 * (CPU, and GPU duty cycle, at 60 %): its members' own targets are per model, the pool's per replica.
 */
export function gcpPoolDecision(
  sharing: ResolvedSharing,
  members: readonly EndpointSpec[],
  variant: ResolvedVariant,
  instances: { readonly min: number; readonly max: number },
  names: TopologyNames,
): GcpPoolDecision {
  const problem = vertexPoolImageProblem(members.map((m) => m.model.image.gcp));
  if (problem) return { dedicatedBecause: problem };
  const keyName = gcpEndpointNames(names.topology, names.environment, members[0].name).keyName;
  const minReplicaCount = Math.max(1, instances.min);
  const settings = {
    machineType: variant.gcp.machineType,
    acceleratorType: variant.gcp.acceleratorType ?? null,
    acceleratorCount: variant.gcp.acceleratorCount,
    minReplicaCount,
    maxReplicaCount: Math.max(minReplicaCount, instances.max),
    keyName,
  };
  // New settings, new pool: Vertex cannot change a pool's replicas in place from here, and the id must differ for create-before-delete.
  const hash = createHash('sha256').update(JSON.stringify(settings)).digest('hex').slice(0, 6);
  return {
    pool: {
      pool: sharing.pool,
      poolId: `${fitName([names.topology, names.environment, sharing.pool], { ...GCP_NAMING.vertexEndpointId, maxLength: 63 - hash.length - 1 })}-${hash}`,
      minReplicaCount: settings.minReplicaCount,
      maxReplicaCount: settings.maxReplicaCount,
      keyName,
    },
  };
}
