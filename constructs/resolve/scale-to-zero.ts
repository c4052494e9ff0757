/**
 * Endpoints that scale to zero (`scaling.min: 0`) or share an instance pool (`sharing`): how each
 * cloud hosts them, decided once. SageMaker hosts them as inference components of a pool endpoint
 * with managed instance scaling; Vertex AI deploys a model at zero through the v1beta1 API and a pool
 * member to a deployment resource pool. The rules and their sources are in `scale-to-zero-rules.ts`.
 */
import { createHash } from 'node:crypto';
import { SAGEMAKER_COPY_SCALING_METRICS } from '../catalog/autoscaling-metrics';
import type { InstanceShape } from '../catalog/instance-shapes';
import { AWS_NAMING, fitName } from '../naming';
import type { ParityNote } from '../parity';
import type { AwsInferenceComponentPlan, GcpEndpointPlan, ResolvedScaling, ResolvedSharing, ResolvedVariant } from '../resolved-topology';
import { MIN_SCALEUP_SECONDS } from '../scale-to-zero-rules';
import { defaultMinInstances, type EndpointSpec } from '../spec/topology-schema';
import { resolveScaling } from './scaling';
import type { GcpPoolDecision } from './gcp-deployment-pool';
import type { TopologyNames } from './topology-names';

/** Whether the endpoint is hosted as an inference component on SageMaker. */
export function hostedAsInferenceComponent(e: EndpointSpec): boolean {
  return e.scaling.min === 0 || e.sharing !== undefined;
}

/** The pool an endpoint is placed on, with every member's name; undefined when it has its own instances. */
export function resolveSharing(e: EndpointSpec, members: readonly string[]): ResolvedSharing | undefined {
  if (!e.sharing) return undefined;
  return { pool: e.sharing.pool, copy: { ...e.sharing.compute }, members };
}

/**
 * The pool endpoint's name: a hash of the pool keeps it apart from the plain `<topology>-<environment>-<endpoint>`
 * of an endpoint of the same name, and moving an endpoint between a variant and a component is then a
 * new endpoint (SageMaker cannot turn a model variant into a component host in place).
 */
export function poolEndpointName(names: TopologyNames, pool: string): string {
  const hash = createHash('sha256').update(`inference-components:${pool}`).digest('hex').slice(0, 4);
  return fitName([names.topology, names.environment, pool, hash], AWS_NAMING.sagemakerEndpoint);
}

/** How many copies of one model one instance of the shape holds, by its scarcest resource. */
export function copiesPerInstance(copy: ResolvedSharing['copy'], shape: InstanceShape): number {
  const instance = shape.aws;
  const byGpu = copy.acceleratorCount > 0 ? Math.floor(instance.acceleratorCount / copy.acceleratorCount) : Infinity;
  const byMemory = Math.floor(instance.memoryGiB / copy.memoryGiB);
  const byCpu = Math.floor(instance.vcpus / copy.cpus);
  return Math.max(1, Math.min(byGpu, byMemory, byCpu));
}

/**
 * One copy's requirements when the endpoint shares no pool: the whole shape it asked for (so one copy
 * per instance, as a production variant would run).
 */
function copyRequirements(e: EndpointSpec, shape: InstanceShape): ResolvedSharing['copy'] {
  if (e.sharing) return { ...e.sharing.compute };
  return { acceleratorCount: shape.accelerator.count, memoryGiB: shape.memoryGiB, cpus: shape.vcpus };
}

/**
 * SageMaker managed instance scaling of a pool: at least the instances the largest member's minimum
 * copies need (0 when every member may be at zero), at most enough for every member at its maximum
 * without sharing an instance.
 */
function poolInstances(members: readonly EndpointSpec[], shape: InstanceShape, production: boolean): { min: number; max: number } {
  const bounds = members.map((m) => {
    const scaling = resolveScaling(m.scaling, production);
    const perInstance = copiesPerInstance(copyRequirements(m, shape), shape);
    return { min: Math.ceil(scaling.min / perInstance), max: Math.ceil(scaling.max / perInstance) };
  });
  // Production pools keep two instances, one per zone, however many copies fit one (SRV-01).
  const min = Math.max(...bounds.map((b) => b.min), production ? defaultMinInstances(true) : 0);
  return { min, max: Math.max(min, bounds.reduce((sum, b) => sum + b.max, 0)) };
}

export function awsInferenceComponentPlan(
  e: EndpointSpec,
  scaling: ResolvedScaling,
  variant: ResolvedVariant,
  sharing: ResolvedSharing | undefined,
  names: TopologyNames,
  pool: { readonly members: readonly EndpointSpec[]; readonly production: boolean },
): AwsInferenceComponentPlan {
  const copy = copyRequirements(e, variant.shape);
  return {
    componentName: fitName([names.topology, names.environment, e.name], AWS_NAMING.sagemakerInferenceComponent),
    pool: sharing?.pool ?? e.name,
    computeResourceRequirements: {
      numberOfCpuCoresRequired: copy.cpus,
      minMemoryRequiredInMb: Math.round(copy.memoryGiB * 1024),
      ...(copy.acceleratorCount > 0 && { numberOfAcceleratorDevicesRequired: copy.acceleratorCount }),
    },
    // CreateInferenceComponent starts copies on instances the endpoint has; the scalable target's
    // min 0 lets target tracking remove the last one once traffic stops.
    copyScalingMetric: e.scaling.target.metric === 'concurrency' ? SAGEMAKER_COPY_SCALING_METRICS.concurrency : SAGEMAKER_COPY_SCALING_METRICS.invocations,
    poolInstances: { instanceType: variant.aws.instanceType, ...poolInstances(pool.members, variant.shape, pool.production) },
    initialCopyCount: Math.max(1, scaling.min),
    minCopies: scaling.min,
    maxCopies: scaling.max,
  };
}

/**
 * Vertex's side: the v1beta1 scale-to-zero fields at min 0, and the parity notes where Vertex does not
 * do what the spec asks. A pool member is deployed to a deployment resource pool when Vertex can host
 * the pool's images there (gcp-deployment-pool.ts), on dedicated replicas of its own otherwise; a
 * pooled model never scales to zero, the pool keeping at least one replica.
 */
export function gcpScaleToZeroPlan(
  scaling: ResolvedScaling,
  sharing: ResolvedSharing | undefined,
  pool: GcpPoolDecision | undefined,
  path: string,
  parity: ParityNote[],
): Pick<GcpEndpointPlan, 'scaleToZero'> {
  if (sharing && pool && 'pool' in pool) {
    const { poolId, minReplicaCount, maxReplicaCount } = pool.pool;
    parity.push({
      path: `${path}.sharing`,
      cloud: 'gcp',
      realisedAs: `deployment resource pool ${poolId} (${sharing.members.join(', ')}): ${minReplicaCount}-${maxReplicaCount} replicas on Vertex's default CPU and GPU duty-cycle targets; each replica serves every member`,
      reason:
        'Vertex AI pools take no per-model compute requirements (sharing.compute is not sent): the models on a replica compete for its CPU and memory, and the pool, not the model, owns replicas and autoscaling (https://cloud.google.com/vertex-ai/docs/predictions/model-co-hosting)',
    });
    if (scaling.idleSeconds !== undefined) {
      parity.push({
        path: `${path}.scaling.min`,
        cloud: 'gcp',
        realisedAs: `no scale to zero: the model is served by pool ${poolId}, which keeps at least ${minReplicaCount} replica`,
        reason:
          'a Vertex AI deployment resource pool keeps min_replica_count >= 1, and a model deployed to it (DeployedModel.shared_resources) has no dedicated resources, so no scale_to_zero_spec (https://cloud.google.com/vertex-ai/docs/predictions/model-co-hosting)',
      });
    }
    return {};
  }
  if (sharing && pool && 'dedicatedBecause' in pool) {
    parity.push({
      path: `${path}.sharing`,
      cloud: 'gcp',
      realisedAs: `dedicated replicas of its own (min ${scaling.min}, max ${scaling.max}); pool ${sharing.pool} (${sharing.members.join(', ')}) shares none`,
      reason: `${pool.dedicatedBecause}; each model of the pool costs its own replicas on GCP (https://cloud.google.com/vertex-ai/docs/predictions/model-co-hosting)`,
    });
  }
  if (scaling.idleSeconds === undefined) return {};
  parity.push({
    path: `${path}.scaling.min`,
    cloud: 'gcp',
    realisedAs: `v1beta1 deployModel: minReplicaCount 0, initialReplicaCount 1, scaleToZeroSpec idleScaledownPeriod ${scaling.idleSeconds}s, minScaleupPeriod ${MIN_SCALEUP_SECONDS.min}s`,
    reason:
      'Vertex AI scale to zero is a v1beta1 preview: the v1 API requires minReplicaCount >= 1; the endpoint keeps one deployed model (https://cloud.google.com/vertex-ai/docs/reference/rest/v1beta1/DedicatedResources)',
  });
  return {
    scaleToZero: {
      initialReplicaCount: 1,
      // The shortest stay Vertex allows: a woken model is evaluated for scale-down as early as it can be.
      minScaleupPeriodSeconds: MIN_SCALEUP_SECONDS.min,
      idleScaledownPeriodSeconds: scaling.idleSeconds,
    },
  };
}

/** SageMaker's side of `idleSeconds`: target tracking, not a timer, takes the last copy away. */
export function awsIdleParityNote(scaling: ResolvedScaling, path: string): ParityNote | undefined {
  if (scaling.idleSeconds === undefined) return undefined;
  return {
    path: `${path}.scaling.idleSeconds`,
    cloud: 'aws',
    realisedAs: `target tracking on the copy count scales in to 0 when its managed scale-in alarm fires (about 15 one-minute datapoints below target, assumption autoscaling.sagemaker.scale-in-datapoints), then waits scaleInCooldownSeconds (${scaling.scaleInCooldownSeconds} s) before the next scale-in`,
    reason:
      'Application Auto Scaling owns a target-tracking policy\'s alarms and they cannot be edited, so SageMaker has no idle period to set; an endpoint leaves zero on a step scaling policy on NoCapacityInvocationFailures (https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-zero-instances.html)',
  };
}
