/**
 * A production variant: the catalog shape its compute request resolves to, the instance type and
 * machine type each cloud runs it on, and the service model it is simulated with.
 */
import { catalogRequest, concurrencyOnShape, hasLocalNvme, shapeForRequest, type InstanceShape } from '../catalog/instance-shapes';
import { fitName, GCP_NAMING } from '../naming';
import type { ParityNote } from '../parity';
import type { ReplicaPerformance, ResolvedScaling, ResolvedVariant } from '../resolved-topology';
import { shapeRealisation } from '../shape-realisation';
import type { ComputeSpec, EndpointSpec } from '../spec/topology-schema';
import { DEFAULT_PERFORMANCE } from '../spec/unset-defaults';
import { awsScalingTargetValue } from './scaling';

interface VariantInput {
  readonly name: string;
  readonly weight: number;
  readonly model: EndpointSpec['model'];
  readonly compute: ComputeSpec;
  /** Where the compute request is written: the variant's own, or the endpoint's it inherits. */
  readonly computePath: string;
  readonly performance: EndpointSpec['performance'];
  readonly scaling: ResolvedScaling;
}

export function resolveVariant(v: VariantInput, path: string, nameParts: string[], parity: ParityNote[]): ResolvedVariant {
  const requested = catalogRequest(v.compute);
  const shape = shapeFor(v.compute);
  if (shape.gap) {
    parity.push({ path: `${path}.compute`, cloud: shape.gap.cloud, realisedAs: shapeRealisation(shape, shape.gap.cloud), reason: shape.gap.reason });
  }
  const override = v.compute.instanceType;
  const awsInstanceType = override?.aws ?? shape.aws.instanceType;
  const gcpMachine = override?.gcp ?? shape.gcp;
  for (const cloud of ['aws', 'gcp'] as const) {
    if (override?.[cloud]) {
      parity.push({
        path: `${path}.compute.instanceType.${cloud}`,
        cloud,
        realisedAs: cloud === 'aws' ? awsInstanceType : gcpMachine.machineType,
        reason: `explicit override of the catalog shape ${shape.id}; hardware may no longer match the other cloud`,
      });
    }
  }
  return {
    name: v.name,
    weight: v.weight,
    model: v.model,
    requested: { ...requested, path: v.computePath },
    shape,
    performance: replicaPerformance(shape, v.performance),
    aws: {
      variantName: v.name,
      instanceType: awsInstanceType,
      localNvme: override?.aws ? hasLocalNvme(override.aws) : shape.aws.localNvme,
      scalingTargetValue: awsScalingTargetValue(v.scaling.target, shape),
    },
    gcp: {
      displayName: fitName([...nameParts, v.name], GCP_NAMING.vertexDisplayName),
      machineType: gcpMachine.machineType,
      acceleratorType: gcpMachine.acceleratorType,
      acceleratorCount: gcpMachine.acceleratorCount,
    },
  };
}

/** The catalog shape for a compute request; the schema has already rejected requests nothing fits. */
export function shapeFor(compute: ComputeSpec): InstanceShape {
  const shape = shapeForRequest(compute);
  if (!shape) throw new Error(`no catalog shape fits ${JSON.stringify(compute)}; the schema should have rejected it`);
  return shape;
}

/** Scales the family's reference service model to a shape: a shape twice as fast serves twice as many at once. */
export function replicaPerformance(shape: InstanceShape, spec?: ReplicaPerformance): ReplicaPerformance {
  const base = spec ?? (shape.accelerator.type === 'none' ? DEFAULT_PERFORMANCE.cpu : DEFAULT_PERFORMANCE.gpu);
  return {
    serviceTimeMs: base.serviceTimeMs,
    concurrencyPerReplica: concurrencyOnShape(base.concurrencyPerReplica, shape),
  };
}
