/**
 * Each endpoint's peak rate, the same for `simulate`, `compare`, `recommend` and `loadtest`:
 * 1. `--peak-rps N`: every endpoint peaks at N requests/s;
 * 2. else a profile file in requests/s: its rates as written;
 * 3. else the topology's `traffic.peakRequestsPerSecond` of the endpoint;
 * 4. else derived from capacity: the endpoint's max replicas serving at SCALING_SAFETY_FACTOR (0.5)
 *    of one replica's capacity, the margin SageMaker's load-test rule keeps (MAX_RPS × 0.5,
 *    https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-scaling-loadtest.html). Capacity is `scaling.maxRequestsPerSecondPerReplica` when measured, else
 *    the replica model's slots / mean service time. Reports say when this fallback was used.
 * An endpoint's variants share its traffic by weight.
 */
import { SCALING_SAFETY_FACTOR, type ResolvedEndpoint } from '../../constructs';
import type { ReplicaModel } from '../replica/replica-model';
import { peakRate, rateAt, rateMultiplier, type TrafficSchedule } from './traffic-schedule';

export const DEFAULT_PEAK_SHARE_OF_MAX_CAPACITY = SCALING_SAFETY_FACTOR;

/** Where a peak came from: the flag, a profile file's own rates, the topology's traffic field, or capacity. */
export type PeakSource = 'peak-rps' | 'profile' | 'topology' | 'capacity';

export interface EndpointPeak {
  /** The endpoint's rate at the profile's peak, requests/s. */
  readonly requestsPerSecond: number;
  readonly source: PeakSource;
}

export function endpointPeak(endpoint: ResolvedEndpoint, firstVariant: ReplicaModel, profile: TrafficSchedule, peakRps?: number): EndpointPeak {
  if (peakRps !== undefined) return { requestsPerSecond: peakRps, source: 'peak-rps' };
  if (profile.unit === 'requests-per-second') return { requestsPerSecond: peakRate(profile), source: 'profile' };
  if (endpoint.traffic) return { requestsPerSecond: endpoint.traffic.peakRequestsPerSecond, source: 'topology' };
  const perReplica = endpoint.scaling.maxRequestsPerSecondPerReplica ?? firstVariant.capacityPerSecond;
  return { requestsPerSecond: DEFAULT_PEAK_SHARE_OF_MAX_CAPACITY * endpoint.scaling.max * perReplica, source: 'capacity' };
}

/** The endpoint's rate at the profile's peak, requests/s. */
export function peakRequestsPerSecond(endpoint: ResolvedEndpoint, firstVariant: ReplicaModel, profile: TrafficSchedule, peakRps?: number): number {
  return endpointPeak(endpoint, firstVariant, profile, peakRps).requestsPerSecond;
}

/** The endpoint's arrival rate, requests/s, at `seconds` into the profile. */
export function endpointRate(profile: TrafficSchedule, peak: EndpointPeak): (seconds: number) => number {
  const k = rateMultiplier(profile, peak.requestsPerSecond);
  return (seconds) => rateAt(profile, seconds) * k;
}
