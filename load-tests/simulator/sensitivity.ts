/**
 * The simulation at the three sensitivity cases: `low` (each cloud with every unverified
 * assumption at the end of its range that favours it), `base` (as registered) and `high` (the end
 * that disfavours it). The band a cloud's figures span over the three runs is the uncertainty the
 * unverified assumptions leave in them.
 */
import type { Cloud, ResolvedTopology } from '../../constructs';
import { ASSUMPTIONS, assumptionSet, type Assumption, type AssumptionSet, type SensitivityCase } from '../../constructs/assumptions';
import { simulateTopology, type SimulationOptions } from './simulate';
import type { CloudSimulation, SimulatedCaseFigures, SimulationResult, SimulationSensitivity } from './simulation-result';

export const SENSITIVITY_CASES: readonly SensitivityCase[] = ['low', 'base', 'high'];

export interface SensitivityRuns {
  /** The simulation at each case; a case whose assumption sets equal base's is base's run, not a rerun. */
  readonly runs: Readonly<Record<SensitivityCase, SimulationResult>>;
  readonly band: SimulationSensitivity;
  /** Per cloud, the assumption names the models looked up in the low and high runs (empty when those were the base run). */
  readonly read: Partial<Readonly<Record<Cloud, readonly string[]>>>;
}

export interface SensitivityOptions {
  /** The register to read (tests pass their own). */
  readonly register?: readonly Assumption[];
  /** The base run when the caller already has it (it must have been run with the base sets). */
  readonly base?: SimulationResult;
}

export function simulateSensitivity(topology: ResolvedTopology, options: SimulationOptions, sensitivity: SensitivityOptions = {}): SensitivityRuns {
  const register = sensitivity.register ?? ASSUMPTIONS;
  const clouds = options.clouds ?? (['aws', 'gcp'] as const);
  const setsAt = (c: SensitivityCase) => Object.fromEntries(clouds.map((cloud) => [cloud, assumptionSet(cloud, c, register)])) as Record<Cloud, AssumptionSet>;
  const baseSets = setsAt('base');
  const base = sensitivity.base ?? simulateTopology(topology, { ...options, assumptions: baseSets });
  const read = Object.fromEntries(clouds.map((cloud) => [cloud, new Set<string>()])) as Record<Cloud, Set<string>>;
  const runAt = (c: SensitivityCase): SimulationResult => {
    const sets = setsAt(c);
    // Nothing unverified with a range applies: the case is base, and rerunning it would only cost time.
    if (clouds.every((cloud) => sameValues(sets[cloud], baseSets[cloud], register))) return base;
    const recorded = Object.fromEntries(clouds.map((cloud) => [cloud, recording(sets[cloud], read[cloud])]));
    return simulateTopology(topology, { ...options, assumptions: recorded });
  };
  const runs = { low: runAt('low'), base, high: runAt('high') };
  const band: Partial<Record<Cloud, Record<SensitivityCase, SimulatedCaseFigures>>> = {};
  for (const cloud of clouds) {
    const at = (c: SensitivityCase) => caseFigures(runs[c].clouds[cloud]);
    band[cloud] = { low: at('low'), base: at('base'), high: at('high') };
  }
  return { runs, band, read: Object.fromEntries(clouds.map((cloud) => [cloud, [...read[cloud]].sort()])) };
}

/** The set with every lookup by name noted in `read`, so the verdict names only assumptions a model used. */
function recording(set: AssumptionSet, read: Set<string>): AssumptionSet {
  const wrapped: Record<string, unknown> = { ...set };
  for (const [key, lookup] of Object.entries(set)) {
    if (typeof lookup !== 'function') continue;
    wrapped[key] = (name: string, ...rest: unknown[]) => {
      read.add(name);
      return (lookup as (...args: unknown[]) => unknown).call(set, name, ...rest);
    };
  }
  return wrapped as unknown as AssumptionSet;
}

export function caseFigures(simulation: CloudSimulation | undefined): SimulatedCaseFigures {
  if (!simulation) throw new Error('sensitivity: a case run is missing a simulated cloud');
  const t = simulation.totals;
  return {
    arrivals: t.arrivals,
    droppedRequests: t.droppedRequests,
    refusedShare: t.arrivals > 0 ? t.droppedRequests / t.arrivals : 0,
    sloViolationMinutes: t.sloViolationMinutes,
    replicaHours: t.replicaHours,
  };
}

function sameValues(a: AssumptionSet, b: AssumptionSet, register: readonly Assumption[]): boolean {
  return register.filter((x) => x.cloud === 'both' || x.cloud === a.cloud).every((x) => a.value(x.name) === b.value(x.name));
}
