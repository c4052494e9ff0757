/**
 * One metric period being accumulated (a CloudWatch datapoint, a Vertex evaluation window):
 * load samples are integrated over time so a period's mean does not depend on how the driver
 * sliced its reports.
 */
import type { LoadSample } from './policy';

export interface MetricPeriod {
  /** Requests that reached the endpoint in the period, rejected ones included. */
  readonly requests: number;
  readonly rejectedRequests: number;
  /** ∫ in-service replicas dt. */
  readonly replicaSeconds: number;
  /** ∫ concurrency per replica dt, ∫ CPU % dt, ∫ duty cycle % dt. */
  readonly concurrencySeconds: number;
  readonly cpuPercentSeconds: number;
  readonly dutyCyclePercentSeconds: number;
  readonly seconds: number;
}

export const EMPTY_PERIOD: MetricPeriod = {
  requests: 0,
  rejectedRequests: 0,
  replicaSeconds: 0,
  concurrencySeconds: 0,
  cpuPercentSeconds: 0,
  dutyCyclePercentSeconds: 0,
  seconds: 0,
};

/**
 * Adds the share of `load` that falls in a slice of `seconds` out of a report covering
 * `reportSeconds` (counts are spread evenly over the report; means hold throughout it).
 */
export function accumulate(
  period: MetricPeriod,
  load: LoadSample,
  seconds: number,
  reportSeconds: number,
  inService: number,
): MetricPeriod {
  const share = reportSeconds > 0 ? seconds / reportSeconds : 0;
  return {
    requests: period.requests + load.requests * share,
    rejectedRequests: period.rejectedRequests + load.rejectedRequests * share,
    replicaSeconds: period.replicaSeconds + inService * seconds,
    concurrencySeconds: period.concurrencySeconds + load.concurrencyPerReplica * seconds,
    cpuPercentSeconds: period.cpuPercentSeconds + load.cpuPercent * seconds,
    dutyCyclePercentSeconds: period.dutyCyclePercentSeconds + load.acceleratorDutyCyclePercent * seconds,
    seconds: period.seconds + seconds,
  };
}

/** Mean in-service replicas over the period (at least one, so per-replica metrics stay finite). */
export function meanReplicas(p: MetricPeriod): number {
  return p.seconds > 0 ? Math.max(1, p.replicaSeconds / p.seconds) : 1;
}

export function meanOver(p: MetricPeriod, integral: number): number {
  return p.seconds > 0 ? integral / p.seconds : 0;
}
