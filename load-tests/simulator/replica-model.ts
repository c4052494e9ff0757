/** How one replica of a variant serves: service-time distribution, slots, queue. */
import { assumptionSet, type ResolvedEndpoint, type ResolvedVariant } from '../../constructs';
import type { CapacityMeasurement } from './capacity-file';
import { meanServiceMs, serviceTimeModel, type ServiceTimeModel } from './service-time';

/** Requests one replica holds waiting beyond those in service before refusing more (assumption `replica.queue-limit`). */
export const REPLICA_QUEUE_LIMIT = assumptionSet('aws').value('replica.queue-limit');

/**
 * [U] CPU utilisation of a GPU replica as a share of its accelerator duty cycle: the host only
 * decodes requests and feeds the GPU. Vertex scales a GPU model up on CPU or duty cycle.
 */
export const GPU_HOST_CPU_SHARE = 0.25;

export interface ReplicaModel {
  readonly serviceTime: ServiceTimeModel;
  /** Requests one replica serves at once. */
  readonly concurrencyPerReplica: number;
  readonly queueLimitPerReplica: number;
  /** Requests per second one replica completes when every slot is busy. */
  readonly capacityPerSecond: number;
  readonly accelerated: boolean;
}

/**
 * From the resolved topology (`variant.performance`, whose serviceTimeMs is the median), or from a
 * measurement of the endpoint's first variant (capacity-file.ts): its service time, and slots =
 * measured requests/s × mean service time, scaled to this variant's shape by relative speed (a
 * shape twice as fast serves twice as many at once, as resolveTopology scales it).
 */
export function replicaModelFor(endpoint: ResolvedEndpoint, variant: ResolvedVariant, measured?: CapacityMeasurement): ReplicaModel {
  const serviceTime = measured?.serviceTime ?? serviceTimeModel(variant.performance.serviceTimeMs);
  const meanSeconds = meanServiceMs(serviceTime) / 1000;
  const concurrencyPerReplica = measured
    ? Math.max(1, Math.round(measured.requestsPerSecondPerReplica * meanSeconds * (variant.shape.relativeSpeed / endpoint.variants[0].shape.relativeSpeed)))
    : variant.performance.concurrencyPerReplica;
  return {
    serviceTime,
    concurrencyPerReplica,
    queueLimitPerReplica: REPLICA_QUEUE_LIMIT,
    capacityPerSecond: concurrencyPerReplica / meanSeconds,
    accelerated: variant.shape.accelerator.type !== 'none',
  };
}
