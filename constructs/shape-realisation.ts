/**
 * What each cloud's machine for a shape actually has (machine, accelerators, vCPUs, memory), found
 * by the machine's name in the shape catalog, and how to say it: the words parity notes, the
 * shapes table and the round-up warnings use.
 */
import { INSTANCE_SHAPES, type AcceleratorType, type InstanceShape, type VertexAcceleratorType } from './catalog/instance-shapes';
import type { Cloud } from './parity';

export interface MachineHardware {
  readonly cloud: Cloud;
  /** The SageMaker instance type or the Vertex machine type. */
  readonly machine: string;
  /** Its accelerators (`none`, 0 for a CPU machine); undefined for an explicit instance type the catalog does not know. */
  readonly accelerator?: { readonly type: AcceleratorType | string; readonly count: number };
  readonly vcpus?: number;
  readonly memoryGiB?: number;
}

/** Vertex `acceleratorType` values in the spec's words. */
const VERTEX_ACCELERATORS: Readonly<Record<VertexAcceleratorType, AcceleratorType>> = {
  NVIDIA_TESLA_T4: 't4',
  NVIDIA_L4: 'l4',
  NVIDIA_TESLA_A100: 'a100',
  NVIDIA_H100_80GB: 'h100',
};

/** A SageMaker instance type's hardware; SageMaker's GPU is always the shape's own type. */
export function awsHardware(instanceType: string): MachineHardware {
  const shape = INSTANCE_SHAPES.find((s) => s.aws.instanceType === instanceType);
  if (!shape) return { cloud: 'aws', machine: instanceType };
  const { vcpus, memoryGiB, acceleratorCount } = shape.aws;
  return { cloud: 'aws', machine: instanceType, accelerator: { type: shape.accelerator.type, count: acceleratorCount }, vcpus, memoryGiB };
}

/** A Vertex machine's hardware: the accelerators as deployed, vCPUs and memory from the catalog when it lists the machine type. */
export function gcpHardware(machine: { readonly machineType: string; readonly acceleratorType?: string; readonly acceleratorCount: number }): MachineHardware {
  const listed = INSTANCE_SHAPES.find((s) => s.gcp.machineType === machine.machineType)?.gcp;
  const type = machine.acceleratorType ? (VERTEX_ACCELERATORS[machine.acceleratorType as VertexAcceleratorType] ?? machine.acceleratorType) : 'none';
  return {
    cloud: 'gcp',
    machine: machine.machineType,
    accelerator: { type, count: machine.acceleratorType ? machine.acceleratorCount : 0 },
    vcpus: listed?.vcpus,
    memoryGiB: listed?.memoryGiB,
  };
}

/** `8 × A100`. */
export function describeAccelerators(accelerator: { readonly type: string; readonly count: number }): string {
  return `${accelerator.count} × ${accelerator.type.toUpperCase()}`;
}

/** `ml.p4d.24xlarge (8 × A100, 96 vCPUs, 1152 GiB)`; a machine outside the catalog says so. */
export function describeHardware(h: MachineHardware): string {
  if (!h.accelerator) return `${h.machine} (not in the shape catalog)`;
  const parts = [
    ...(h.accelerator.count > 0 ? [describeAccelerators(h.accelerator)] : []),
    ...(h.vcpus !== undefined ? [`${h.vcpus} vCPUs`] : []),
    ...(h.memoryGiB !== undefined ? [`${h.memoryGiB} GiB`] : []),
  ];
  return parts.length > 0 ? `${h.machine} (${parts.join(', ')})` : h.machine;
}

/**
 * A shape as one cloud realises it, in that cloud's terms: `ml.p4d.24xlarge (8 × A100)`,
 * `g2-standard-4 + 1 × NVIDIA_L4` (a Vertex machine spec); both, joined, for `both`.
 */
export function shapeRealisation(shape: InstanceShape, cloud: Cloud | 'both'): string {
  const aws = shape.aws.acceleratorCount > 0 ? `${shape.aws.instanceType} (${describeAccelerators({ type: shape.accelerator.type, count: shape.aws.acceleratorCount })})` : shape.aws.instanceType;
  const gcp = shape.gcp.acceleratorType ? `${shape.gcp.machineType} + ${shape.gcp.acceleratorCount} × ${shape.gcp.acceleratorType}` : shape.gcp.machineType;
  return cloud === 'aws' ? aws : cloud === 'gcp' ? gcp : `${aws}; ${gcp}`;
}
