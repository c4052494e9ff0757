/**
 * The autoscaling simulator: each endpoint of a resolved topology on each cloud, under a traffic
 * profile, on a virtual clock. Per variant, Poisson arrivals queue at replicas (queue engines),
 * replicas come and go by the cloud's autoscaling policy (load-tests/autoscaling), and every
 * minute the endpoint's replicas, latency percentiles (from merged HdrHistograms), rejected
 * requests and SLO breaches are recorded. Deterministic for a seed.
 */
import type { Histogram } from 'hdr-histogram-js';
import { assumptionSet, type AssumptionSet, type Cloud, type ResolvedEndpoint, type ResolvedTopology } from '../../constructs';
import { vertexNodeKey } from '../../constructs/catalog/pricing-catalog';
import { EndpointUpdateLock } from '../autoscaling/endpoint-update-lock';
import { policyFor } from '../autoscaling/policy-for-endpoint';
import type { CapacityMeasurement } from './capacity-file';
import { ExactQueue } from './exact-queue';
import { FluidQueue } from './fluid-queue';
import { encodeHistogram, latencyHistogram, percentileMs } from './latency-histogram';
import { endpointPeak, endpointRate, type PeakSource } from '../traffic/endpoint-peak';
import { scheduleMinutes, type TrafficSchedule } from '../traffic/traffic-schedule';
import type { QueueEngine, QueueMethod } from './queue-engine';
import { hashSeed, Random } from '../replica/random';
import { replicaModelFor } from '../replica/replica-model';
import {
  SIMULATION_FORMAT_VERSION,
  type CloudSimulation,
  type EndpointSimulation,
  type MinutePoint,
  type SimulationResult,
  type VariantSimulation,
} from './simulation-result';
import { VariantPool } from './variant-pool';

/** A pool expecting at most this many requests over the run is simulated request by request. */
export const EXACT_REQUEST_LIMIT = 2_000_000;
export const DEFAULT_TICK_SECONDS = 1;
export const DEFAULT_SEED = 1;

export interface SimulationOptions {
  readonly profile: TrafficSchedule;
  readonly seed?: number;
  /** Every endpoint's peak rate, requests/s (load-tests/traffic/endpoint-peak.ts explains the default). */
  readonly peakRequestsPerSecond?: number;
  /** Measured capacity by endpoint name (`--capacity`). */
  readonly capacity?: Readonly<Record<string, CapacityMeasurement>>;
  /** `auto`: exact below EXACT_REQUEST_LIMIT requests per pool, fluid above. */
  readonly method?: QueueMethod | 'auto';
  readonly clouds?: readonly Cloud[];
  /** Simulate only these endpoints. */
  readonly endpoints?: readonly string[];
  readonly tickSeconds?: number;
  /** Each cloud's assumptions (constructs/assumptions); a cloud not given uses its base set. */
  readonly assumptions?: Partial<Readonly<Record<Cloud, AssumptionSet>>>;
}

export function simulateTopology(topology: ResolvedTopology, options: SimulationOptions): SimulationResult {
  const clouds = options.clouds ?? (['aws', 'gcp'] as const);
  const wanted = options.endpoints;
  const unknown = wanted?.filter((name) => !topology.endpoints.some((e) => e.name === name)) ?? [];
  if (unknown.length > 0) {
    throw new Error(`no endpoint ${unknown.join(', ')} in ${topology.name}; endpoints: ${topology.endpoints.map((e) => e.name).join(', ')}`);
  }
  const endpoints = topology.endpoints.filter((e) => !wanted || wanted.includes(e.name));
  const seed = options.seed ?? DEFAULT_SEED;
  const tickSeconds = options.tickSeconds ?? DEFAULT_TICK_SECONDS;
  const profile = options.profile;
  const result: { aws?: CloudSimulation; gcp?: CloudSimulation } = {};
  for (const cloud of clouds) {
    const simulated: Record<string, EndpointSimulation> = {};
    for (const endpoint of endpoints) simulated[endpoint.name] = simulateEndpoint(endpoint, cloud, options);
    const all = Object.values(simulated);
    result[cloud] = {
      cloud,
      region: topology.regions[cloud],
      rejectedAs: cloud === 'aws' ? 'ThrottlingException' : 'dropped',
      endpoints: simulated,
      totals: {
        arrivals: sum(all.map((e) => e.arrivals)),
        droppedRequests: sum(all.map((e) => e.droppedRequests)),
        sloViolationMinutes: sum(all.map((e) => e.sloViolationMinutes)),
        replicaHours: sum(all.map((e) => e.replicaHours)),
      },
    };
  }
  return {
    formatVersion: SIMULATION_FORMAT_VERSION,
    topology: { name: topology.name, environment: topology.environment },
    profile: {
      name: profile.name,
      description: profile.description,
      hours: scheduleMinutes(profile) / 60,
      minutes: scheduleMinutes(profile),
      unit: profile.unit,
      spikeStartMinute: profile.spike === undefined ? undefined : Math.floor(profile.spike.startSeconds / 60),
      spikesPerWeek: profile.spike?.spikesPerWeek,
      peakSource: profilePeakSource(Object.values(result).flatMap((c) => Object.values(c.endpoints).map((e) => e.peakSource))),
    },
    seed,
    tickSeconds,
    clouds: result,
  };
}

/**
 * The same run without its spike, for a profile that knows that day (the built-in breaking-news):
 * what the month's other days cost (load-tests/cost/simulated-cost.ts). Same seed and peaks.
 */
export function simulateBaseline(topology: ResolvedTopology, options: SimulationOptions): SimulationResult | undefined {
  const baseline = options.profile.spike?.baseline;
  return baseline ? simulateTopology(topology, { ...options, profile: baseline }) : undefined;
}

/** One endpoint on one cloud: its variants' pools side by side, minute by minute. */
export function simulateEndpoint(endpoint: ResolvedEndpoint, cloud: Cloud, options: SimulationOptions): EndpointSimulation {
  const profile = options.profile;
  const minutes = scheduleMinutes(profile);
  const seed = options.seed ?? DEFAULT_SEED;
  const tickSeconds = options.tickSeconds ?? DEFAULT_TICK_SECONDS;
  const measured = options.capacity?.[endpoint.name];
  const assumptions = options.assumptions?.[cloud] ?? assumptionSet(cloud);
  const models = endpoint.variants.map((v) => replicaModelFor(endpoint, v, cloud, { measured, assumptions }));
  const peak = endpointPeak(endpoint, models[0], profile, options.peakRequestsPerSecond);
  const rate = endpointRate(profile, peak);
  let expectedRequests = 0;
  for (let m = 0; m < minutes; m++) expectedRequests += rate(m * 60) * 60;

  const updateLock = new EndpointUpdateLock();
  const pools = endpoint.variants.map((variant, i) => {
    const share = variant.weight / 100;
    const method = options.method && options.method !== 'auto' ? options.method : expectedRequests * share <= EXACT_REQUEST_LIMIT ? 'exact' : 'fluid';
    // Streams keyed by seed, endpoint and variant but not cloud: both clouds start from the same
    // random numbers (common random numbers), so their differences owe more to policy than to chance.
    const random = new Random(hashSeed(seed, endpoint.name, variant.name));
    const engine: QueueEngine = method === 'exact' ? new ExactQueue(models[i].serviceTime, random) : new FluidQueue(models[i].serviceTime, random);
    const policy = policyFor(cloud, endpoint, variant, { assumptions, updateLock });
    const pool = new VariantPool(engine, policy, models[i], (seconds) => rate(seconds) * share, tickSeconds);
    return { variant, model: models[i], method, policy, pool };
  });

  const minute: Histogram = latencyHistogram();
  const overall: Histogram = latencyHistogram();
  try {
    const series: MinutePoint[] = [];
    let arrivals = 0;
    let accepted = 0;
    let rejected = 0;
    let violations = 0;
    for (let m = 0; m < minutes; m++) {
      const from = m * 60;
      const outcomes = pools.map((p) => p.pool.run(from, from + 60, minute));
      if (m === minutes - 1) for (const p of pools) p.pool.finish(minutes * 60, minute);
      for (const p of pools) p.pool.endMinute(minute);
      const point: MinutePoint = {
        minute: m,
        arrivals: sum(outcomes.map((o) => o.arrivals)),
        replicas: sum(outcomes.map((o) => o.replicas)),
        desiredReplicas: sum(outcomes.map((o) => o.desiredReplicas)),
        p50Ms: percentileMs(minute, 50),
        p99Ms: percentileMs(minute, 99),
        dropped: sum(outcomes.map((o) => o.rejected)),
      };
      series.push(point);
      arrivals += point.arrivals;
      accepted += sum(outcomes.map((o) => o.accepted));
      rejected += point.dropped;
      if (violatesSlo(point, endpoint.slo)) violations++;
      overall.add(minute);
      minute.reset();
    }
    const variants: VariantSimulation[] = pools.map((p) => ({
      name: p.variant.name,
      weight: p.variant.weight,
      instanceType: instanceTypeOf(cloud, p.variant),
      method: p.method,
      serviceTime: { medianMs: p.model.serviceTime.medianMs, logSigma: round(p.model.serviceTime.logSigma, 4) },
      concurrencyPerReplica: p.model.concurrencyPerReplica,
      queueLimitPerReplica: p.model.queueLimitPerReplica,
      replicaHours: sum(p.pool.lifetimes) / 3600,
      replicaLifetimesSeconds: p.pool.lifetimes,
    }));
    return {
      slo: endpoint.slo,
      peakRequestsPerSecond: round(peak.requestsPerSecond, 3),
      peakSource: peak.source,
      policy: { summary: pools[0].policy.summary, parameters: pools[0].policy.parameters },
      series,
      arrivals,
      servedRequests: accepted,
      droppedRequests: rejected,
      p50Ms: percentileMs(overall, 50),
      p90Ms: percentileMs(overall, 90),
      p99Ms: percentileMs(overall, 99),
      p999Ms: percentileMs(overall, 99.9),
      maxMs: overall.totalCount > 0 ? overall.maxValue / 1000 : null,
      sloViolationMinutes: violations,
      replicaHours: sum(variants.map((v) => v.replicaHours)),
      variants,
      scalingEvents: pools.flatMap((p) =>
        p.pool.events.map((e) => ({ atSeconds: e.at, variant: p.variant.name, kind: e.kind, from: e.from, to: e.to, reason: e.reason })),
      ).sort((a, b) => a.atSeconds - b.atSeconds),
      latencyHistogram: encodeHistogram(overall),
    };
  } finally {
    minute.destroy();
    overall.destroy();
  }
}

/** A minute breaches the SLO when its p99 is above the target or its rejected share above the error budget. */
export function violatesSlo(point: MinutePoint, slo: { readonly p99Ms: number; readonly errorRate: number }): boolean {
  return (point.p99Ms !== null && point.p99Ms > slo.p99Ms) || (point.arrivals > 0 && point.dropped / point.arrivals > slo.errorRate);
}

/** The billed resource: the SageMaker instance type, or the Vertex node as the pricing catalog keys it. */
function instanceTypeOf(cloud: Cloud, variant: ResolvedEndpoint['variants'][number]): string {
  return cloud === 'aws' ? variant.aws.instanceType : vertexNodeKey(variant.gcp.machineType, variant.gcp.acceleratorType, variant.gcp.acceleratorCount);
}

/**
 * Where the run's peak came from: one source when every endpoint shares it; `capacity` as soon as
 * one endpoint's peak had to be derived from capacity (the fallback a report must own up to).
 */
function profilePeakSource(sources: readonly PeakSource[]): PeakSource {
  if (sources.includes('capacity')) return 'capacity';
  return sources[0] ?? 'capacity';
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

