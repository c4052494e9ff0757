/**
 * How a traffic profile becomes each endpoint's arrival rate.
 *
 * A relative profile (the built-ins) is scaled by the endpoint's peak rate:
 * - `--peak-rps N`: every endpoint peaks at N requests/s (one news page view calls the ranker, the
 *   embedder and the reranker once each, so their rates move together);
 * - otherwise the topology's own sizing: the endpoint's max replicas serving at
 *   SCALING_SAFETY_FACTOR (0.5) of one replica's capacity, the margin SageMaker's load-test rule
 *   keeps (MAX_RPS × 0.5, autoscaling.md §1). Capacity is `scaling.maxRequestsPerSecondPerReplica`
 *   when measured, else the replica model's slots / mean service time.
 * A profile in requests/s is used as written, or rescaled so its peak is `--peak-rps`.
 * An endpoint's variants share its traffic by weight.
 */
import { SCALING_SAFETY_FACTOR, type ResolvedEndpoint } from '../../constructs';
import type { TrafficProfile } from '../traffic-profiles';
import type { ReplicaModel } from '../replica/replica-model';

export const DEFAULT_PEAK_SHARE_OF_MAX_CAPACITY = SCALING_SAFETY_FACTOR;

/** The endpoint's rate at the profile's peak, requests/s. */
export function peakRequestsPerSecond(
  endpoint: ResolvedEndpoint,
  firstVariant: ReplicaModel,
  profile: TrafficProfile,
  peakRps?: number,
): number {
  if (peakRps !== undefined) return peakRps;
  if (profile.unit === 'requests-per-second') return Math.max(...profile.ratesPerMinute);
  const perReplica = endpoint.scaling.maxRequestsPerSecondPerReplica ?? firstVariant.capacityPerSecond;
  return DEFAULT_PEAK_SHARE_OF_MAX_CAPACITY * endpoint.scaling.max * perReplica;
}

/** Multiplier from a profile value to requests/s for an endpoint peaking at `peak`. */
export function profileScale(profile: TrafficProfile, peak: number): number {
  return profile.unit === 'relative' ? peak : peak / Math.max(...profile.ratesPerMinute);
}
