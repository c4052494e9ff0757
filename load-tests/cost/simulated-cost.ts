/**
 * What a simulated day costs: each variant's replica time at its instance price, billed the way
 * each cloud bills it, plus the rest of the topology's hourly bill over the same hours, and the
 * cost per million inferences served. A month at this load weighs the day with its spike by the
 * profile's spike frequency (`spikesPerWeek`) against the same day without it, when the profile
 * knows that day (the built-in breaking-news); otherwise every period of the month is the run.
 */
import type { Cloud, ResolvedTopology } from '../../constructs';
import { PRICING_CATALOG, type Price } from '../../constructs/catalog/pricing-catalog';
import type { CapacityMeasurement } from '../simulator/capacity-file';
import type { CloudSimulation, SimulationResult } from '../simulator/simulation-result';
import { HOURS_PER_MONTH } from './cost-lines';
import { priceListsFor, priceTopology, type PriceOptions } from './topology-cost';

/**
 * Billing granularity of a replica's lifetime: SageMaker per second while InService [S],
 * Vertex node-hours in 30-second increments [S] (aws.amazon.com/sagemaker/pricing,
 * cloud.google.com/vertex-ai/pricing).
 */
export const BILLING_INCREMENT_SECONDS: Readonly<Record<Cloud, number>> = { aws: 1, gcp: 30 };

/** Replica hours as the cloud bills them: each replica's lifetime rounded up to the cloud's increment. */
export function billedReplicaHours(lifetimesSeconds: readonly number[], cloud: Cloud): number {
  const increment = BILLING_INCREMENT_SECONDS[cloud];
  return lifetimesSeconds.reduce((s, life) => s + Math.ceil(life / increment) * increment, 0) / 3600;
}

export interface SimulatedEndpointCost {
  readonly replicaHours: number;
  /** Replica hours after each cloud's rounding. */
  readonly billedReplicaHours: number;
  /** Null when the region has no prices. */
  readonly usd: number | null;
  readonly servedRequests: number;
  readonly costPerMillionInferencesUsd: number | null;
}

/** Every money figure is null when the region has no prices (`available` false). */
export interface SimulatedCloudCost {
  readonly cloud: Cloud;
  readonly available: boolean;
  readonly simulatedHours: number;
  readonly servedRequests: number;
  readonly endpoints: Readonly<Record<string, SimulatedEndpointCost>>;
  readonly endpointsUsd: number | null;
  /** The topology's other lines (cache, vector store, queues, network, keys, alarms) over the simulated hours. */
  readonly otherUsd: number | null;
  readonly totalUsd: number | null;
  /** Everything the topology costs over the run, per million requests served. */
  readonly costPerMillionInferencesUsd: number | null;
  /** Endpoint replicas alone, per million requests served. */
  readonly endpointCostPerMillionInferencesUsd: number | null;
  /**
   * A month at this load: with a spike frequency, spikesPerWeek × hours / 168 of the month's
   * periods are the run and the rest the run without its spike; otherwise every period is the run.
   */
  readonly monthlyUsdAtSimulatedLoad: number | null;
  /** The spike frequency the month was weighed with; null when every period is the run. */
  readonly spikesPerWeek: number | null;
  /** A month of the run without its spike; null when it was not simulated (or no prices). */
  readonly monthlyUsdWithoutSpikes: number | null;
  /** How the monthly figure was made, in words. */
  readonly monthlyBasis: string;
  readonly unpriced: readonly string[];
}

export interface SimulatedCost {
  readonly clouds: { readonly aws?: SimulatedCloudCost; readonly gcp?: SimulatedCloudCost };
  /** The measured capacity files the simulation used (`--capacity`), by endpoint; empty when it used the topology's figures. */
  readonly capacityFiles: readonly { readonly endpoint: string; readonly file: string }[];
}

export interface SimulatedPriceOptions extends PriceOptions {
  /** The measurements the simulation ran with, to name them in the basis. */
  readonly capacity?: Readonly<Record<string, CapacityMeasurement>>;
  /** The same run without its spike (simulateBaseline), to weigh the month by spikesPerWeek. */
  readonly baseline?: SimulationResult;
  /**
   * Price every unverified price and sizing rule at the low or the high end of its range (as
   * `monthlyRangeUsd` does), for a sensitivity case; as listed when absent.
   * @default - the listed prices
   */
  readonly priceEnd?: 'low' | 'high';
}

export const HOURS_PER_WEEK = 168;

/** Share of a month's periods (each as long as the run) that carry a spike, at `spikesPerWeek`. */
export function spikeShare(spikesPerWeek: number, runHours: number): number {
  return Math.min(1, (spikesPerWeek * runHours) / HOURS_PER_WEEK);
}

export function costOfSimulation(topology: ResolvedTopology, simulation: SimulationResult, options: SimulatedPriceOptions = {}): SimulatedCost {
  const lists = priceListsFor(topology, options.catalog ?? PRICING_CATALOG);
  const fixed = priceTopology(topology, options);
  const hours = simulation.profile.minutes / 60;
  const clouds: { aws?: SimulatedCloudCost; gcp?: SimulatedCloudCost } = {};
  for (const cloud of ['aws', 'gcp'] as const) {
    const sim = simulation.clouds[cloud];
    if (!sim) continue;
    const listed = (instanceType: string): Price | undefined =>
      cloud === 'aws' ? lists.aws?.sagemakerInstances?.[instanceType] : lists.gcp?.vertexPredictionNodes?.[instanceType];
    const end = options.priceEnd;
    const priceOf = (instanceType: string) => atEnd(listed(instanceType), end);
    const other = fixed.clouds[cloud];
    const otherLines = other.lines.filter((l) => l.category !== 'endpoints');
    const otherHourly = end
      ? otherLines.reduce((s, l) => s + l.monthlyRangeUsd[end], 0) / HOURS_PER_MONTH
      : otherLines.reduce((s, l) => s + l.hourlyUsd, 0);
    const otherUsd = other.available ? otherHourly * hours : null;
    const run = cloudCostOfSimulation(sim, hours, priceOf, otherUsd);
    const base = options.baseline?.clouds[cloud];
    const spikesPerWeek = simulation.profile.spikesPerWeek;
    clouds[cloud] = base && spikesPerWeek !== undefined ? weighBySpikes(run, cloudCostOfSimulation(base, hours, priceOf, otherUsd), spikesPerWeek, hours) : run;
  }
  const capacityFiles = Object.entries(options.capacity ?? {}).map(([endpoint, m]) => ({ endpoint, file: m.source }));
  return { clouds, capacityFiles };
}

/** One cloud's simulated cost; `otherUsd` is the rest of the bill over the same hours, null when the region has no prices. */
export function cloudCostOfSimulation(
  sim: CloudSimulation,
  hours: number,
  priceOf: (instanceType: string) => Price | undefined,
  otherUsd: number | null,
): SimulatedCloudCost {
  const available = otherUsd !== null;
  const endpoints: Record<string, SimulatedEndpointCost> = {};
  const unpriced: string[] = [];
  let endpointsUsd = 0;
  let served = 0;
  for (const [name, e] of Object.entries(sim.endpoints)) {
    let usd = 0;
    let billedHours = 0;
    for (const v of e.variants) {
      const billed = billedReplicaHours(v.replicaLifetimesSeconds, sim.cloud);
      billedHours += billed;
      const p = priceOf(v.instanceType);
      if (p) usd += billed * p.usd;
      else unpriced.push(`${name}/${v.name}: ${v.instanceType}`);
    }
    endpoints[name] = {
      replicaHours: e.replicaHours,
      billedReplicaHours: billedHours,
      usd: available ? usd : null,
      servedRequests: e.servedRequests,
      costPerMillionInferencesUsd: available ? perMillion(usd, e.servedRequests) : null,
    };
    endpointsUsd += usd;
    served += e.servedRequests;
  }
  const totalUsd = available ? endpointsUsd + otherUsd : null;
  return {
    cloud: sim.cloud,
    available,
    simulatedHours: hours,
    servedRequests: served,
    endpoints,
    endpointsUsd: available ? endpointsUsd : null,
    otherUsd,
    totalUsd,
    costPerMillionInferencesUsd: totalUsd === null ? null : perMillion(totalUsd, served),
    endpointCostPerMillionInferencesUsd: available ? perMillion(endpointsUsd, served) : null,
    monthlyUsdAtSimulatedLoad: totalUsd !== null && hours > 0 ? (totalUsd / hours) * HOURS_PER_MONTH : null,
    spikesPerWeek: null,
    monthlyUsdWithoutSpikes: null,
    monthlyBasis: `every ${hours} h of the month like the simulated run`,
    unpriced: available ? unpriced : [],
  };
}

/** The run's month re-weighed: spikeShare of the periods with the spike, the rest as the baseline run. */
function weighBySpikes(run: SimulatedCloudCost, baseline: SimulatedCloudCost, spikesPerWeek: number, hours: number): SimulatedCloudCost {
  const share = spikeShare(spikesPerWeek, hours);
  const withSpike = run.monthlyUsdAtSimulatedLoad;
  const without = baseline.monthlyUsdAtSimulatedLoad;
  return {
    ...run,
    monthlyUsdAtSimulatedLoad: withSpike === null || without === null ? null : share * withSpike + (1 - share) * without,
    spikesPerWeek,
    monthlyUsdWithoutSpikes: without,
    monthlyBasis: `${spikesPerWeek} spike(s) a week: ${round(share * 100, 1)} % of the month's ${hours}-h periods like the simulated run, the rest like it without its spike`,
  };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** The price at one end of its range; a verified price has none and stays as listed. */
function atEnd(price: Price | undefined, end: 'low' | 'high' | undefined): Price | undefined {
  if (!price || !end) return price;
  return { ...price, usd: price[end] ?? price.usd };
}

function perMillion(usd: number, requests: number): number | null {
  return requests > 0 ? (usd / requests) * 1e6 : null;
}
