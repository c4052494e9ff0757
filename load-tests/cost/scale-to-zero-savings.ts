/**
 * What scale to zero buys and costs, per cloud and endpoint: the same day simulated with the
 * topology's endpoints at `scaling.min: 0` and again with them kept at one replica, priced alike.
 * Saved: the endpoint cost without minus with. Lost: the requests refused at zero (SageMaker's
 * no-capacity ValidationError, Vertex's 429). Time to first success: from the first request at zero
 * to a replica serving, per wake (the assumption `scale-to-zero.wake-seconds` as simulated).
 */
import type { Cloud, ResolvedTopology } from '../../constructs';
import { simulateTopology, type SimulationOptions } from '../simulator/simulate';
import type { SimulationResult } from '../simulator/simulation-result';
import type { SimulatedCost } from './simulated-cost';

/** True when some endpoint is at `scaling.min: 0` (it then has an idle period before scaling in to zero). */
export function scalesToZero(topology: ResolvedTopology): boolean {
  return topology.endpoints.some((e) => e.scaling.idleSeconds !== undefined);
}

/** The topology with every endpoint at min 0 kept at one replica instead: what it costs without scale to zero. */
export function alwaysOn(topology: ResolvedTopology): ResolvedTopology {
  return {
    ...topology,
    endpoints: topology.endpoints.map((e) => {
      if (e.scaling.idleSeconds === undefined) return e;
      const { idleSeconds: _idle, ...scaling } = e.scaling;
      return { ...e, scaling: { ...scaling, min: 1 } };
    }),
  };
}

export interface ScaleToZeroOutcome {
  readonly cloud: Cloud;
  readonly endpoint: string;
  /** Endpoint cost over the run, with and without scale to zero; null without prices. */
  readonly withUsd: number | null;
  readonly withoutUsd: number | null;
  readonly savedUsd: number | null;
  /** Requests refused because the endpoint was at zero (beyond what the always-on run refused). */
  readonly requestsLost: number;
  readonly wakes: number;
  /** Seconds from the first request at zero to a replica serving, the longest over the run's wakes; null without a wake. */
  readonly longestTimeToFirstSuccessSeconds: number | null;
  /** Minutes the endpoint spent at zero. */
  readonly minutesAtZero: number;
}

/** One row per cloud and endpoint at min 0. */
export function scaleToZeroOutcomes(
  topology: ResolvedTopology,
  runs: { readonly with: SimulationResult; readonly without: SimulationResult },
  costs: { readonly with: SimulatedCost; readonly without: SimulatedCost },
): ScaleToZeroOutcome[] {
  const atZero = topology.endpoints.filter((e) => e.scaling.idleSeconds !== undefined).map((e) => e.name);
  const rows: ScaleToZeroOutcome[] = [];
  for (const cloud of ['aws', 'gcp'] as const) {
    for (const name of atZero) {
      const on = runs.with.clouds[cloud]?.endpoints[name];
      const off = runs.without.clouds[cloud]?.endpoints[name];
      if (!on || !off) continue;
      const withUsd = costs.with.clouds[cloud]?.endpoints[name]?.usd ?? null;
      const withoutUsd = costs.without.clouds[cloud]?.endpoints[name]?.usd ?? null;
      const wakes = on.scalingEvents.filter((ev) => ev.kind === 'scale-out' && ev.from === 0);
      const ready = on.scalingEvents.filter((ev) => ev.kind === 'replicas-ready' && ev.from === 0);
      const waits = wakes.flatMap((w) => {
        const served = ready.find((r) => r.variant === w.variant && r.atSeconds >= w.atSeconds);
        return served ? [served.atSeconds - w.atSeconds] : [];
      });
      rows.push({
        cloud,
        endpoint: name,
        withUsd,
        withoutUsd,
        savedUsd: withUsd !== null && withoutUsd !== null ? withoutUsd - withUsd : null,
        requestsLost: Math.max(0, on.droppedRequests - off.droppedRequests),
        wakes: wakes.length,
        longestTimeToFirstSuccessSeconds: waits.length > 0 ? Math.max(...waits) : null,
        minutesAtZero: on.series.filter((m) => m.replicas === 0).length,
      });
    }
  }
  return rows;
}

/**
 * The day again with every endpoint at min 0 kept at one replica, both priced by `price` (the
 * caller's catalog and assumptions, without the month's weighing); undefined when no endpoint
 * scales to zero. `serving-stacks cost` and the comparison report both call this.
 */
export function compareScaleToZero(
  resolved: ResolvedTopology,
  simulation: SimulationResult,
  price: (t: ResolvedTopology, sim: SimulationResult) => SimulatedCost,
  options: SimulationOptions,
): ScaleToZeroOutcome[] | undefined {
  if (!scalesToZero(resolved)) return undefined;
  const always = alwaysOn(resolved);
  const without = simulateTopology(always, options);
  return scaleToZeroOutcomes(resolved, { with: simulation, without }, { with: price(resolved, simulation), without: price(always, without) });
}
