/**
 * The one model of a serving replica, shared by the emulator (load-tests/emulator/replica-pool.ts)
 * and the simulator (load-tests/simulator/variant-pool.ts): its service-time distribution, its
 * slots, and how many requests it queues before refusing (admission.ts). The queue limit is the
 * assumption register's `replica.queue-limit`, read through an AssumptionSet so a sensitivity run
 * can pass another one.
 */
import { assumptionSet, type AssumptionSet, type Cloud, type ResolvedEndpoint, type ResolvedVariant } from '../../constructs';
import type { CapacityMeasurement } from '../simulator/capacity-file';
import { meanServiceMs, serviceTimeModel, type ServiceTimeModel } from './service-time';

/** The register entries this model reads: the per-replica queue limit, and the service-time spread when nothing was measured. */
export const QUEUE_LIMIT_ASSUMPTION = 'replica.queue-limit';
export const SERVICE_TIME_SPREAD_ASSUMPTION = 'replica.service-time-log-sigma';

/**
 * [U] CPU utilisation of a GPU replica as a share of its accelerator duty cycle: the host only
 * decodes requests and feeds the GPU. Vertex scales a GPU model up on CPU or duty cycle.
 */
export const GPU_HOST_CPU_SHARE = 0.25;

export interface ReplicaModel {
  readonly serviceTime: ServiceTimeModel;
  /** Requests one replica serves at once. */
  readonly concurrencyPerReplica: number;
  /** Requests one replica holds waiting beyond those in service before refusing more. */
  readonly queueLimitPerReplica: number;
  /** Requests per second one replica completes when every slot is busy. */
  readonly capacityPerSecond: number;
  readonly accelerated: boolean;
}

export interface ReplicaModelOptions {
  /** The assumptions to read. @default assumptionSet(cloud) - the register's base values */
  readonly assumptions?: AssumptionSet;
  /** A measurement of the endpoint (`--capacity`), replacing the topology's service time and slots. */
  readonly measured?: CapacityMeasurement;
}

/**
 * From the resolved topology (`variant.performance`, whose serviceTimeMs is the median), or from a
 * measurement of the endpoint's first variant (capacity-file.ts): its service time, and slots =
 * measured requests/s × mean service time, scaled to this variant's shape by relative speed (a
 * shape twice as fast serves twice as many at once, as resolveTopology scales it).
 */
export function replicaModelFor(endpoint: ResolvedEndpoint, variant: ResolvedVariant, cloud: Cloud, options: ReplicaModelOptions = {}): ReplicaModel {
  const assumptions = options.assumptions ?? assumptionSet(cloud);
  const measured = options.measured;
  const serviceTime = measured?.serviceTime ?? serviceTimeModel(variant.performance.serviceTimeMs, assumptions.value(SERVICE_TIME_SPREAD_ASSUMPTION));
  const meanSeconds = meanServiceMs(serviceTime) / 1000;
  const concurrencyPerReplica = measured
    ? Math.max(1, Math.round(measured.requestsPerSecondPerReplica * meanSeconds * (variant.shape.relativeSpeed / endpoint.variants[0].shape.relativeSpeed)))
    : variant.performance.concurrencyPerReplica;
  return {
    serviceTime,
    concurrencyPerReplica,
    queueLimitPerReplica: queueLimit(assumptions),
    capacityPerSecond: concurrencyPerReplica / meanSeconds,
    accelerated: variant.shape.accelerator.type !== 'none',
  };
}

/** The model with another per-replica queue limit (`emulate --queue-depth`). */
export function withQueueLimit(model: ReplicaModel, queueLimitPerReplica: number): ReplicaModel {
  if (!Number.isInteger(queueLimitPerReplica) || queueLimitPerReplica < 0) {
    throw new RangeError(`queue limit per replica must be a whole number >= 0, got ${queueLimitPerReplica}`);
  }
  return { ...model, queueLimitPerReplica };
}

function queueLimit(assumptions: AssumptionSet): number {
  const value = assumptions.value(QUEUE_LIMIT_ASSUMPTION);
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`assumption ${QUEUE_LIMIT_ASSUMPTION} must be a whole number >= 0, got ${value}`);
  return value;
}
