/**
 * The instance-shape catalog: one neutral shape, the SageMaker instance type and the Vertex
 * machine type + accelerator that realise it. Both clouds get equivalent hardware so a
 * comparison is fair; where a cloud has no equivalent, the shape says so and why. Each cloud
 * gets its own smallest machine: where one sells an accelerator only in larger machines (A100s
 * eight to a SageMaker instance, no 2-GPU L4 instance), that cloud runs more GPUs than asked and
 * the shape's gap names it; the other cloud is not forced up with it.
 *
 * Hardware facts: aws.amazon.com/sagemaker/pricing (instance details), the SageMaker API's
 * ProductionVariantInstanceType values (docs.aws.amazon.com/sagemaker/latest/APIReference/
 * API_PendingProductionVariantSummary.html: ml.p5.4xlarge, ml.g6.*, ml.p4d.24xlarge),
 * cloud.google.com/vertex-ai/docs/predictions/configure-compute (machine types for prediction),
 * cloud.google.com/compute/docs/gpus (G2, A2 and A3 machines: vCPUs, memory, GPUs). How long a
 * replica takes to start is a modelling assumption per family (CPU, GPU), in the assumption
 * register (constructs/assumptions/register.ts), the same on both clouds.
 */

import type { Cloud } from '../parity';

export const ACCELERATOR_TYPES = ['none', 't4', 'l4', 'a10g', 'a100', 'h100'] as const;
export type AcceleratorType = (typeof ACCELERATOR_TYPES)[number];

/** Vertex `acceleratorType` enum values (google.cloud.aiplatform.v1.AcceleratorType). */
export type VertexAcceleratorType = 'NVIDIA_TESLA_T4' | 'NVIDIA_L4' | 'NVIDIA_TESLA_A100' | 'NVIDIA_H100_80GB';

export interface AwsInstance {
  readonly instanceType: string;
  readonly vcpus: number;
  readonly memoryGiB: number;
  /** GPUs of the instance, all of the shape's accelerator type (SageMaker has every type the catalog names). */
  readonly acceleratorCount: number;
  /**
   * Nitro instances with local NVMe storage encrypt it with a hardware key; CreateEndpointConfig
   * rejects a `KmsKeyId` for them (SageMaker API reference, CreateEndpointConfig `KmsKeyId`).
   */
  readonly localNvme: boolean;
}

/**
 * Instance families whose SageMaker instances carry local NVMe instance storage, beyond the `d`
 * suffix (m5d, c6id, g4dn, p4d, …) that marks storage in every family name. From the instance store
 * tables of the Amazon EC2 instance types guide (docs.aws.amazon.com/ec2/latest/instancetypes/,
 * "Instance store specifications"); Inferentia inf1/inf2 and g5g are EBS-only there.
 */
const NVME_FAMILIES: ReadonlySet<string> = new Set(['g5', 'g6', 'g6e', 'gr6', 'p5', 'p5e', 'p5en', 'p6-b200', 'p6-b300', 'p6e-gb200', 'trn1', 'trn1n', 'trn2']);

/** A family with storage has a `d` among the letters after its generation digit: m5d, m6id, g4dn, p4de, x2idn. */
const STORAGE_SUFFIX = /^[a-z]+\d+[a-z]*d[a-z]*$/;

/**
 * Whether a SageMaker instance type has local NVMe instance storage, which SageMaker encrypts with a
 * hardware key and for which CreateEndpointConfig rejects a `KmsKeyId`. Families may be hyphenated
 * (`ml.p6-b200.48xlarge`).
 */
export function hasLocalNvme(instanceType: string): boolean {
  const family = /^ml\.([a-z0-9]+(?:-[a-z0-9]+)*)\.[a-z0-9]+$/.exec(instanceType)?.[1];
  if (!family) return false;
  return NVME_FAMILIES.has(family) || STORAGE_SUFFIX.test(family);
}

export interface GcpMachine {
  readonly machineType: string;
  readonly vcpus: number;
  readonly memoryGiB: number;
  readonly acceleratorType?: VertexAcceleratorType;
  readonly acceleratorCount: number;
}

export interface InstanceShape {
  /** Stable neutral id, e.g. `cpu-4x16` or `l4-1`. */
  readonly id: string;
  /** vCPUs and memory both clouds' machines have at least (t4-1 excepted: its gap says why). */
  readonly vcpus: number;
  readonly memoryGiB: number;
  /**
   * The accelerators a model on this shape is sized for. A cloud that sells the type only in larger
   * machines runs it on more (its `acceleratorCount`), and the gap names that cloud.
   */
  readonly accelerator: { readonly type: AcceleratorType; readonly count: number };
  readonly aws: AwsInstance;
  readonly gcp: GcpMachine;
  /** Why a cloud's realisation departs from the neutral shape (`both` when the two differ from each other). */
  readonly gap?: { readonly cloud: Cloud | 'both'; readonly reason: string };
  /**
   * Throughput of one replica relative to the reference shape of its family (cpu-4x16 for CPU,
   * l4-1 for GPU), used to scale an endpoint's service time across shapes.
   */
  readonly relativeSpeed: number;
}

/** SageMaker instances that serve several shapes: the only multi-GPU L4 and A100 sizes the catalog uses, and the 8-GPU H100. */
const G6_12XLARGE: AwsInstance = { instanceType: 'ml.g6.12xlarge', vcpus: 48, memoryGiB: 192, acceleratorCount: 4, localNvme: true };
const P4D_24XLARGE: AwsInstance = { instanceType: 'ml.p4d.24xlarge', vcpus: 96, memoryGiB: 1152, acceleratorCount: 8, localNvme: true };
const P5_48XLARGE: AwsInstance = { instanceType: 'ml.p5.48xlarge', vcpus: 192, memoryGiB: 2048, acceleratorCount: 8, localNvme: true };
const A3_HIGHGPU_8G: GcpMachine = { machineType: 'a3-highgpu-8g', vcpus: 208, memoryGiB: 1872, acceleratorType: 'NVIDIA_H100_80GB', acceleratorCount: 8 };
/**
 * [U] Compute Engine sells a3-highgpu-1g, -2g and -4g only as Spot, flex-start or reserved VMs, and
 * Vertex AI's on-demand prediction nodes are not known to include them: H100s on GCP are 8 a machine.
 */
const A3_ON_DEMAND = 'Vertex AI is not known to serve the smaller A3 machines (a3-highgpu-1g, -2g, -4g) on demand [U]';

export const INSTANCE_SHAPES: readonly InstanceShape[] = [
  {
    id: 'cpu-2x8',
    vcpus: 2,
    memoryGiB: 8,
    accelerator: { type: 'none', count: 0 },
    aws: { instanceType: 'ml.m5.large', vcpus: 2, memoryGiB: 8, acceleratorCount: 0, localNvme: false },
    gcp: { machineType: 'e2-standard-2', vcpus: 2, memoryGiB: 8, acceleratorCount: 0 },
    relativeSpeed: 0.5,
  },
  {
    id: 'cpu-4x16',
    vcpus: 4,
    memoryGiB: 16,
    accelerator: { type: 'none', count: 0 },
    aws: { instanceType: 'ml.m5.xlarge', vcpus: 4, memoryGiB: 16, acceleratorCount: 0, localNvme: false },
    gcp: { machineType: 'e2-standard-4', vcpus: 4, memoryGiB: 16, acceleratorCount: 0 },
    relativeSpeed: 1,
  },
  {
    id: 'cpu-8x32',
    vcpus: 8,
    memoryGiB: 32,
    accelerator: { type: 'none', count: 0 },
    aws: { instanceType: 'ml.m5.2xlarge', vcpus: 8, memoryGiB: 32, acceleratorCount: 0, localNvme: false },
    gcp: { machineType: 'e2-standard-8', vcpus: 8, memoryGiB: 32, acceleratorCount: 0 },
    relativeSpeed: 2,
  },
  {
    id: 'cpu-16x64',
    vcpus: 16,
    memoryGiB: 64,
    accelerator: { type: 'none', count: 0 },
    aws: { instanceType: 'ml.m5.4xlarge', vcpus: 16, memoryGiB: 64, acceleratorCount: 0, localNvme: false },
    gcp: { machineType: 'e2-standard-16', vcpus: 16, memoryGiB: 64, acceleratorCount: 0 },
    relativeSpeed: 4,
  },
  {
    id: 't4-1',
    vcpus: 4,
    memoryGiB: 16,
    accelerator: { type: 't4', count: 1 },
    aws: { instanceType: 'ml.g4dn.xlarge', vcpus: 4, memoryGiB: 16, acceleratorCount: 1, localNvme: true },
    gcp: { machineType: 'n1-standard-4', vcpus: 4, memoryGiB: 15, acceleratorType: 'NVIDIA_TESLA_T4', acceleratorCount: 1 },
    gap: { cloud: 'gcp', reason: 'n1-standard-4 has 15 GiB of memory where ml.g4dn.xlarge has 16 GiB; N1 is the only Vertex family that takes a T4.' },
    relativeSpeed: 0.5,
  },
  {
    id: 'l4-1',
    vcpus: 4,
    memoryGiB: 16,
    accelerator: { type: 'l4', count: 1 },
    aws: { instanceType: 'ml.g6.xlarge', vcpus: 4, memoryGiB: 16, acceleratorCount: 1, localNvme: true },
    gcp: { machineType: 'g2-standard-4', vcpus: 4, memoryGiB: 16, acceleratorType: 'NVIDIA_L4', acceleratorCount: 1 },
    relativeSpeed: 1,
  },
  {
    id: 'l4-1x8',
    vcpus: 8,
    memoryGiB: 32,
    accelerator: { type: 'l4', count: 1 },
    aws: { instanceType: 'ml.g6.2xlarge', vcpus: 8, memoryGiB: 32, acceleratorCount: 1, localNvme: true },
    gcp: { machineType: 'g2-standard-8', vcpus: 8, memoryGiB: 32, acceleratorType: 'NVIDIA_L4', acceleratorCount: 1 },
    relativeSpeed: 1.1,
  },
  {
    id: 'l4-2',
    vcpus: 24,
    memoryGiB: 96,
    accelerator: { type: 'l4', count: 2 },
    aws: G6_12XLARGE,
    gcp: { machineType: 'g2-standard-24', vcpus: 24, memoryGiB: 96, acceleratorType: 'NVIDIA_L4', acceleratorCount: 2 },
    gap: { cloud: 'aws', reason: 'SageMaker has no 2-GPU L4 instance (ml.g6 sizes carry 1, 4 or 8 L4s): two L4s run on ml.g6.12xlarge, which has 4.' },
    relativeSpeed: 2,
  },
  {
    id: 'l4-4',
    vcpus: 48,
    memoryGiB: 192,
    accelerator: { type: 'l4', count: 4 },
    aws: G6_12XLARGE,
    gcp: { machineType: 'g2-standard-48', vcpus: 48, memoryGiB: 192, acceleratorType: 'NVIDIA_L4', acceleratorCount: 4 },
    relativeSpeed: 4,
  },
  {
    id: 'a10g-1',
    vcpus: 4,
    memoryGiB: 16,
    accelerator: { type: 'a10g', count: 1 },
    aws: { instanceType: 'ml.g5.xlarge', vcpus: 4, memoryGiB: 16, acceleratorCount: 1, localNvme: true },
    gcp: { machineType: 'g2-standard-4', vcpus: 4, memoryGiB: 16, acceleratorType: 'NVIDIA_L4', acceleratorCount: 1 },
    gap: { cloud: 'gcp', reason: 'Google Cloud offers no NVIDIA A10G; Vertex serves it on the nearest 24 GB GPU, an NVIDIA L4 (g2-standard-4).' },
    relativeSpeed: 1.2,
  },
  ...[1, 2, 4].map((count): InstanceShape => ({
    id: `a100-${count}`,
    vcpus: 12 * count,
    memoryGiB: 85 * count,
    accelerator: { type: 'a100', count },
    aws: P4D_24XLARGE,
    gcp: { machineType: `a2-highgpu-${count}g`, vcpus: 12 * count, memoryGiB: 85 * count, acceleratorType: 'NVIDIA_TESLA_A100', acceleratorCount: count },
    gap: { cloud: 'aws', reason: `SageMaker sells A100s only eight to an instance (ml.p4d.24xlarge, ml.p4de.24xlarge): ${count === 1 ? 'one runs' : `${count} run`} on ml.p4d.24xlarge.` },
    relativeSpeed: 2 * count,
  })),
  {
    id: 'a100-8',
    vcpus: 96,
    memoryGiB: 680,
    accelerator: { type: 'a100', count: 8 },
    aws: P4D_24XLARGE,
    gcp: { machineType: 'a2-highgpu-8g', vcpus: 96, memoryGiB: 680, acceleratorType: 'NVIDIA_TESLA_A100', acceleratorCount: 8 },
    gap: { cloud: 'aws', reason: 'ml.p4d.24xlarge has 1152 GiB of memory; a2-highgpu-8g has 680 GiB.' },
    relativeSpeed: 16,
  },
  {
    id: 'h100-1',
    vcpus: 16,
    memoryGiB: 256,
    accelerator: { type: 'h100', count: 1 },
    aws: { instanceType: 'ml.p5.4xlarge', vcpus: 16, memoryGiB: 256, acceleratorCount: 1, localNvme: true },
    gcp: A3_HIGHGPU_8G,
    gap: { cloud: 'gcp', reason: `${A3_ON_DEMAND}: one runs on a3-highgpu-8g, which has 8.` },
    relativeSpeed: 4,
  },
  ...[2, 4].map((count): InstanceShape => ({
    id: `h100-${count}`,
    vcpus: 192,
    memoryGiB: 1872,
    accelerator: { type: 'h100', count },
    aws: P5_48XLARGE,
    gcp: A3_HIGHGPU_8G,
    gap: {
      cloud: 'both',
      reason: `SageMaker sells H100s one (ml.p5.4xlarge) or eight (ml.p5.48xlarge) to an instance; ${A3_ON_DEMAND}: ${count} run on 8-GPU machines on both clouds.`,
    },
    relativeSpeed: 4 * count,
  })),
  {
    id: 'h100-8',
    vcpus: 192,
    memoryGiB: 1872,
    accelerator: { type: 'h100', count: 8 },
    aws: P5_48XLARGE,
    gcp: A3_HIGHGPU_8G,
    gap: { cloud: 'both', reason: 'ml.p5.48xlarge has 192 vCPUs and 2048 GiB; a3-highgpu-8g has 208 vCPUs and 1872 GiB.' },
    relativeSpeed: 32,
  },
];

export interface ShapeRequest {
  readonly cpus?: number;
  readonly memoryGiB?: number;
  readonly accelerator: { readonly type: AcceleratorType; readonly count: number };
}

/** Requests one replica of `shape` works on at once, from its family's reference figure: a shape twice as fast serves twice as many. */
export function concurrencyOnShape(referenceConcurrency: number, shape: InstanceShape): number {
  return Math.max(1, Math.round(referenceConcurrency * shape.relativeSpeed));
}

/**
 * The smallest catalog shape that satisfies a request: same accelerator type, at least the
 * accelerator count, vCPUs and memory asked for. Undefined when nothing fits.
 */
export function smallestShapeFor(request: ShapeRequest): InstanceShape | undefined {
  return INSTANCE_SHAPES.filter(
    (s) =>
      s.accelerator.type === request.accelerator.type &&
      s.accelerator.count >= request.accelerator.count &&
      s.vcpus >= (request.cpus ?? 0) &&
      s.memoryGiB >= (request.memoryGiB ?? 0),
  ).sort((a, b) => a.accelerator.count - b.accelerator.count || a.vcpus - b.vcpus || a.memoryGiB - b.memoryGiB)[0];
}

/** A compute request as a topology states it, in catalog terms: an accelerator of type `none` has no count. */
export function catalogRequest(request: ShapeRequest): ShapeRequest {
  return { cpus: request.cpus, memoryGiB: request.memoryGiB, accelerator: request.accelerator.type === 'none' ? { type: 'none', count: 0 } : request.accelerator };
}

/** The catalog shape for a compute request as a topology states it. */
export function shapeForRequest(request: ShapeRequest): InstanceShape | undefined {
  return smallestShapeFor(catalogRequest(request));
}

export function shapeById(id: string): InstanceShape | undefined {
  return INSTANCE_SHAPES.find((s) => s.id === id);
}

/** Shapes of the same family (same accelerator type) as `shape`, smallest first: the search space of a recommendation. */
export function shapesLike(accelerator: AcceleratorType): InstanceShape[] {
  return INSTANCE_SHAPES.filter((s) => s.accelerator.type === accelerator);
}
