/**
 * Right-sizing, as SageMaker Inference Recommender does for one cloud, done for both, open-loop
 * and with full latency distributions: for each endpoint and cloud, the cheapest catalog shape of
 * the endpoint's family (`shapesLike`) with the replica bounds that hold its SLO through the
 * traffic profile, judged by the simulator.
 *
 * Search, per shape: max = enough replicas to carry the profile's peak at half their capacity
 * (the SAFETY_FACTOR of SageMaker's load-test rule), capped at the schema's 100; if even a fleet
 * fixed at that max breaks the SLO the shape cannot hold it. Otherwise the smallest min that holds
 * the SLO (binary search; a larger floor absorbs a spike while scale-out is still provisioning).
 * Every candidate sees the same offered load and the same random arrivals (one seed), and costs
 * what its simulated replica time costs at catalog prices with each cloud's billing increments.
 */
import {
  isProduction,
  MAX_REPLICAS,
  resolveTopology,
  SCALING_SAFETY_FACTOR,
  shapesLike,
  type Cloud,
  type ResolvedEndpoint,
  type Topology,
} from '../../constructs';
import { vertexNodeKey, type PricingCatalog } from '../../constructs/catalog/pricing-catalog';
import { priceListsFor } from '../cost/topology-cost';
import { billedReplicaHours } from '../cost/simulated-cost';
import type { CapacityMeasurement } from '../simulator/capacity-file';
import { peakRequestsPerSecond } from '../traffic/endpoint-peak';
import type { QueueMethod } from '../simulator/queue-engine';
import { replicaModelFor } from '../replica/replica-model';
import { DEFAULT_SEED, simulateEndpoint } from '../simulator/simulate';
import type { EndpointSimulation } from '../simulator/simulation-result';
import { scheduleMinutes, type TrafficSchedule } from '../traffic/traffic-schedule';
import { candidateEndpoint } from './candidate-endpoint';


export interface RecommendOptions {
  readonly profile: TrafficSchedule;
  readonly seed?: number;
  readonly peakRequestsPerSecond?: number;
  readonly capacity?: Readonly<Record<string, CapacityMeasurement>>;
  readonly clouds?: readonly Cloud[];
  readonly endpoints?: readonly string[];
  /** SLO-violating minutes a candidate may have over the profile (default 0). */
  readonly allowedViolationMinutes?: number;
  readonly method?: QueueMethod | 'auto';
  /** The prices candidates cost at (default: the catalog). */
  readonly catalog?: PricingCatalog;
}

export interface EvaluatedCandidate {
  readonly shape: string;
  readonly instanceType: string;
  readonly min: number;
  readonly max: number;
  readonly holdsSlo: boolean;
  readonly sloViolationMinutes: number;
  readonly droppedRequests: number;
  readonly p99Ms: number | null;
  readonly replicaHours: number;
  /** Billed cost of the simulated run, USD; null when the catalog has no price for the instance. */
  readonly costUsd: number | null;
}

export interface EndpointRecommendation {
  readonly endpoint: string;
  readonly cloud: Cloud;
  readonly peakRequestsPerSecond: number;
  readonly slo: { readonly p99Ms: number; readonly errorRate: number };
  /** The topology as written, on the same load. */
  readonly current: EvaluatedCandidate;
  /** The cheapest candidate that holds the SLO, or null when none does. */
  readonly recommended: EvaluatedCandidate | null;
  /** When nothing holds the SLO: the candidate with the fewest violating minutes. */
  readonly closest?: EvaluatedCandidate;
  /** Every simulated candidate, in the order tried. */
  readonly evaluated: readonly EvaluatedCandidate[];
}

export interface Recommendation {
  readonly topology: { readonly name: string; readonly environment: string };
  readonly profile: { readonly name: string; readonly hours: number; readonly spikeStartMinute?: number };
  readonly seed: number;
  readonly allowedViolationMinutes: number;
  readonly clouds: { readonly aws?: Readonly<Record<string, EndpointRecommendation>>; readonly gcp?: Readonly<Record<string, EndpointRecommendation>> };
}

export function recommend(topology: Topology, options: RecommendOptions): Recommendation {
  const resolved = resolveTopology(topology);
  const lists = priceListsFor(resolved, options.catalog);
  const allowed = options.allowedViolationMinutes ?? 0;
  const endpoints = resolved.endpoints.filter((e) => !options.endpoints || options.endpoints.includes(e.name));
  const missing = options.endpoints?.filter((n) => !resolved.endpoints.some((e) => e.name === n)) ?? [];
  if (missing.length > 0) throw new Error(`no endpoint ${missing.join(', ')} in ${topology.name}; endpoints: ${resolved.endpoints.map((e) => e.name).join(', ')}`);
  const floor = isProduction(topology) ? 2 : 1;
  const clouds: { aws?: Record<string, EndpointRecommendation>; gcp?: Record<string, EndpointRecommendation> } = {};

  for (const cloud of options.clouds ?? (['aws', 'gcp'] as const)) {
    const priceOf = (instanceType: string) =>
      (cloud === 'aws' ? lists.aws?.sagemakerInstances?.[instanceType] : lists.gcp?.vertexPredictionNodes?.[instanceType])?.usd;
    const byEndpoint: Record<string, EndpointRecommendation> = {};
    for (const endpoint of endpoints) {
      const measured = options.capacity?.[endpoint.name];
      // The offered load is the topology's, whatever the candidate: fixed once here.
      const peak = peakRequestsPerSecond(endpoint, replicaModelFor(endpoint, endpoint.variants[0], cloud, { measured }), options.profile, options.peakRequestsPerSecond);
      const evaluate = (candidate: ResolvedEndpoint, shapeId: string): EvaluatedCandidate => {
        const sim = simulateEndpoint(candidate, cloud, {
          profile: options.profile,
          seed: options.seed,
          peakRequestsPerSecond: peak,
          capacity: options.capacity,
          method: options.method,
        });
        return summarise(sim, candidate, shapeId, allowed, cloud, priceOf);
      };
      const current = evaluate(endpoint, endpoint.variants[0].shape.id);
      const evaluated: EvaluatedCandidate[] = [];
      const currentShape = endpoint.variants[0].shape;
      for (const shape of shapesLike(currentShape.accelerator.type)) {
        const sized = (min: number, max: number) => candidateEndpoint(topology, endpoint.name, currentShape, { shape, min, max });
        const probe = sized(floor, floor);
        if (priceOf(billedResource(cloud, probe)) === undefined) continue;
        const at = (min: number, max: number) => {
          const result = evaluate(sized(min, max), shape.id);
          evaluated.push(result);
          return result;
        };
        const capacity = replicaModelFor(probe, probe.variants[0], cloud, { measured }).capacityPerSecond;
        const max = Math.min(MAX_REPLICAS, Math.max(floor, Math.ceil(peak / (capacity * SCALING_SAFETY_FACTOR))));
        if (!at(max, max).holdsSlo) continue;
        // The smallest floor that holds: every `hi` tried so far held, every `lo - 1` did not.
        let lo = floor;
        let hi = max;
        while (lo < hi) {
          const mid = Math.floor((lo + hi) / 2);
          if (at(mid, max).holdsSlo) hi = mid;
          else lo = mid + 1;
        }
      }
      const holding = evaluated.filter((c) => c.holdsSlo);
      const recommended = holding.reduce<EvaluatedCandidate | null>((best, c) => (best === null || cheaper(c, best) ? c : best), null);
      const closest = recommended
        ? undefined
        : [...evaluated, current].reduce((best, c) =>
            c.sloViolationMinutes < best.sloViolationMinutes || (c.sloViolationMinutes === best.sloViolationMinutes && cheaper(c, best)) ? c : best,
          );
      byEndpoint[endpoint.name] = { endpoint: endpoint.name, cloud, peakRequestsPerSecond: peak, slo: endpoint.slo, current, recommended, closest, evaluated };
    }
    clouds[cloud] = byEndpoint;
  }
  return {
    topology: { name: topology.name, environment: topology.environment },
    profile: { name: options.profile.name, hours: scheduleMinutes(options.profile) / 60, spikeStartMinute: options.profile.spike && Math.floor(options.profile.spike.startSeconds / 60) },
    seed: options.seed ?? DEFAULT_SEED,
    allowedViolationMinutes: allowed,
    clouds,
  };
}

function summarise(
  sim: EndpointSimulation,
  candidate: ResolvedEndpoint,
  shapeId: string,
  allowed: number,
  cloud: Cloud,
  priceOf: (instanceType: string) => number | undefined,
): EvaluatedCandidate {
  let costUsd: number | null = 0;
  for (const v of sim.variants) {
    const unitPrice = priceOf(v.instanceType);
    costUsd = unitPrice === undefined || costUsd === null ? null : costUsd + billedReplicaHours(v.replicaLifetimesSeconds, cloud) * unitPrice;
  }
  return {
    shape: shapeId,
    instanceType: sim.variants[0].instanceType,
    min: candidate.scaling.min,
    max: candidate.scaling.max,
    holdsSlo: sim.sloViolationMinutes <= allowed,
    sloViolationMinutes: sim.sloViolationMinutes,
    droppedRequests: sim.droppedRequests,
    p99Ms: sim.p99Ms,
    replicaHours: sim.replicaHours,
    costUsd,
  };
}

function cheaper(a: EvaluatedCandidate, b: EvaluatedCandidate): boolean {
  return a.costUsd !== null && (b.costUsd === null || a.costUsd < b.costUsd);
}

/** What the cloud bills the endpoint's replicas as: the catalog key of its instance type or Vertex node. */
function billedResource(cloud: Cloud, endpoint: ResolvedEndpoint): string {
  const v = endpoint.variants[0];
  return cloud === 'aws' ? v.aws.instanceType : vertexNodeKey(v.gcp.machineType, v.gcp.acceleratorType, v.gcp.acceleratorCount);
}
