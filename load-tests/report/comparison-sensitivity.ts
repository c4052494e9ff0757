/**
 * The comparison's sensitivity runs: the simulation at the low, base and high cases and each run
 * priced at the matching end of the prices' ranges (base at the listed prices).
 */
import type { Cloud, ResolvedTopology } from '../../constructs';
import { ASSUMPTIONS, assumptionSet, type Assumption, type SensitivityCase } from '../../constructs/assumptions';
import { costOfSimulation, type SimulatedCost, type SimulatedPriceOptions } from '../cost/simulated-cost';
import { simulateSensitivity } from '../simulator/sensitivity';
import { simulateBaseline, type SimulationOptions } from '../simulator/simulate';
import type { SimulationResult } from '../simulator/simulation-result';

export interface ComparisonSensitivity {
  readonly runs: Readonly<Record<SensitivityCase, SimulationResult>>;
  readonly simulatedCost: Readonly<Record<SensitivityCase, SimulatedCost>>;
  /** The register the runs read; report.json lists it as `assumptions[]`. */
  readonly register: readonly Assumption[];
  /** Per cloud, the assumption names the models looked up in the low and high runs. */
  readonly read: Partial<Readonly<Record<Cloud, readonly string[]>>>;
}

export interface ComparisonSensitivityInputs {
  readonly resolved: ResolvedTopology;
  readonly options: SimulationOptions;
  /** The base run and its cost, already computed by the caller. */
  readonly base: SimulationResult;
  readonly baseCost: SimulatedCost;
  /** The prices the base cost was computed with, its `baseline` (the base run without its spike) included. */
  readonly prices: SimulatedPriceOptions;
  readonly register?: readonly Assumption[];
}

export function comparisonSensitivity(inputs: ComparisonSensitivityInputs): ComparisonSensitivity {
  const register = inputs.register ?? ASSUMPTIONS;
  const { runs, read } = simulateSensitivity(inputs.resolved, inputs.options, { register, base: inputs.base });
  const clouds = inputs.options.clouds ?? (['aws', 'gcp'] as const);
  // A month weighs spike days against days without it: each case's run needs its own day without the spike.
  const baselineAt = (c: 'low' | 'high') =>
    runs[c] === inputs.base
      ? inputs.prices.baseline
      : simulateBaseline(inputs.resolved, { ...inputs.options, assumptions: Object.fromEntries(clouds.map((cloud) => [cloud, assumptionSet(cloud, c, register)])) });
  const priced = (c: 'low' | 'high') => costOfSimulation(inputs.resolved, runs[c], { ...inputs.prices, priceEnd: c, baseline: baselineAt(c) });
  return { runs, simulatedCost: { low: priced('low'), base: inputs.baseCost, high: priced('high') }, register, read };
}
