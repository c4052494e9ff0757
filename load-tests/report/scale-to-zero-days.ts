/**
 * The report's scale-to-zero runs: the diurnal and the breaking-news day, each simulated and priced
 * with the topology's endpoints at `scaling.min: 0` and again kept at one replica, by the cost
 * module's own comparison (load-tests/cost/scale-to-zero-savings.ts), as `serving-stacks cost` prints it.
 */
import type { ResolvedTopology } from '../../constructs';
import { compareScaleToZero, scalesToZero, type ScaleToZeroOutcome } from '../cost/scale-to-zero-savings';
import { costOfSimulation, type SimulatedPriceOptions } from '../cost/simulated-cost';
import { simulateTopology, type SimulationOptions } from '../simulator/simulate';
import { selectProfile, type ProfileSelection } from '../traffic/select-profile';

/** The quiet day scale to zero is for, and the day whose spike wakes it. */
export const SCALE_TO_ZERO_PROFILES = ['diurnal', 'breaking-news'] as const;

export interface ScaleToZeroDayRun {
  readonly profile: { readonly name: string; readonly hours: number };
  readonly seed: number;
  readonly outcomes: readonly ScaleToZeroOutcome[];
}

/**
 * Each of SCALE_TO_ZERO_PROFILES with `options` otherwise as given (seed, endpoints, capacity);
 * undefined, with nothing simulated, when no endpoint is at min 0.
 */
export function runScaleToZeroDays(
  resolved: ResolvedTopology,
  options: SimulationOptions,
  prices: Pick<SimulatedPriceOptions, 'catalog' | 'capacity'>,
  selection: ProfileSelection = {},
): ScaleToZeroDayRun[] | undefined {
  if (!scalesToZero(resolved)) return undefined;
  return SCALE_TO_ZERO_PROFILES.map((name) => {
    // --spikes-per-week applies to the breaking-news day only.
    const profile = selectProfile(name, { hours: selection.hours, ...(name === 'breaking-news' && { spikesPerWeek: selection.spikesPerWeek }) });
    const day = { ...options, profile };
    const simulation = simulateTopology(resolved, day);
    // Priced as `serving-stacks cost` prices it: the run alone, without the month's weighing.
    const outcomes = compareScaleToZero(resolved, simulation, (t, sim) => costOfSimulation(t, sim, prices), day) ?? [];
    return { profile: { name: simulation.profile.name, hours: simulation.profile.hours }, seed: simulation.seed, outcomes };
  });
}
