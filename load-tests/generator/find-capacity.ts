/**
 * `--find-capacity`: the highest steady rate an endpoint holds within its SLO, divided by the
 * replicas serving it, as `scaling.maxRequestsPerSecondPerReplica` (the topology field SageMaker's
 * load-test rule sizes targets from: MAX_RPS × 0.5 × 60, assumption `target.safety-factor`).
 *
 * Like SageMaker Inference Recommender's stairs, but open-loop: steady steps growing by a
 * factor until a step breaks the latency SLO, the error budget or a threshold, then a few
 * bisection steps between the last good and the first bad rate. A step the generator itself
 * could not hold (an invalid run) is repeated once; if it fails again the search stops there.
 */
import type { LoadTestResult } from './result-format';
import { thresholdActual } from './thresholds';

export interface CapacitySlo {
  readonly p99Ms: number;
  /** Fraction of requests allowed to fail (all error classes, dropped included). */
  readonly errorRate: number;
}

export interface FindCapacityOptions {
  /** Runs one steady step at `rate` requests/s. */
  readonly runStep: (rate: number) => Promise<LoadTestResult>;
  readonly startRate: number;
  readonly slo: CapacitySlo;
  readonly replicas: number;
  /** @default DEFAULT_GROWTH */
  readonly growth?: number;
  /** Bisection steps after the first failure. @default DEFAULT_REFINE_STEPS */
  readonly refineSteps?: number;
  /** @default DEFAULT_MAX_STEPS */
  readonly maxSteps?: number;
  /** @default 1_000_000 */
  readonly maxRate?: number;
  readonly onStep?: (step: CapacityStep) => void;
}

export interface CapacityStep {
  readonly rate: number;
  readonly achievedRate: number;
  readonly p99Ms: number;
  readonly errorRate: number;
  readonly valid: boolean;
  readonly pass: boolean;
  /** Why the step failed, when it did. */
  readonly reason?: string;
}

export type CapacityLimit = 'latency-or-errors' | 'generator' | 'max-rate' | 'max-steps';

export interface CapacityResult {
  /** Highest rate that held, requests/s over all replicas; 0 if even the first step failed. */
  readonly maxRequestsPerSecond: number;
  readonly replicas: number;
  readonly maxRequestsPerSecondPerReplica: number;
  readonly slo: CapacitySlo;
  /** What ended the search. */
  readonly limitedBy: CapacityLimit;
  readonly steps: readonly CapacityStep[];
}

/** Each growth step is this many times the last: capacities span orders of magnitude. */
export const DEFAULT_GROWTH = 1.5;
export const DEFAULT_REFINE_STEPS = 3;
/** Bounds the search's time: steps × step duration. */
export const DEFAULT_MAX_STEPS = 16;

export interface CapacitySearchLength {
  /** Steps the search takes when the endpoint breaks near `nominalRate`; absent when that is unknown. */
  readonly expectedSteps?: number;
  readonly maxSteps: number;
}

/**
 * How many steps the search will run, said before it starts: growth steps from `startRate` up
 * to the first above `nominalRate` (where it should break), then the bisection steps.
 */
export function capacitySearchLength(startRate: number, nominalRate?: number): CapacitySearchLength {
  if (nominalRate === undefined || !(startRate > 0)) return { maxSteps: DEFAULT_MAX_STEPS };
  let growthSteps = 1;
  for (let rate = startRate; rate <= nominalRate && growthSteps < DEFAULT_MAX_STEPS; rate *= DEFAULT_GROWTH) growthSteps++;
  return { expectedSteps: Math.min(DEFAULT_MAX_STEPS, growthSteps + DEFAULT_REFINE_STEPS), maxSteps: DEFAULT_MAX_STEPS };
}

/** A step may lose a little to scheduling; more than this means the target could not take the load. */
const MIN_ACHIEVED_FRACTION = 0.95;

export async function findCapacity(options: FindCapacityOptions): Promise<CapacityResult> {
  const growth = options.growth ?? DEFAULT_GROWTH;
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  const maxRate = options.maxRate ?? 1_000_000;
  const steps: CapacityStep[] = [];
  const run = async (rate: number): Promise<CapacityStep> => {
    let step = judgeStep(rate, await options.runStep(rate), options.slo);
    // A step the generator could not hold (often another process taking the CPU) is run once more.
    if (!step.valid && steps.length + 1 < maxSteps) {
      steps.push(step);
      options.onStep?.(step);
      step = judgeStep(rate, await options.runStep(rate), options.slo);
    }
    steps.push(step);
    options.onStep?.(step);
    return step;
  };

  let good = 0;
  let bad: number | undefined;
  let limitedBy: CapacityLimit = 'max-steps';
  for (let rate = options.startRate; steps.length < maxSteps; rate = Math.min(maxRate, rate * growth)) {
    const step = await run(round(rate));
    if (!step.valid) {
      limitedBy = 'generator';
      break;
    }
    if (!step.pass) {
      bad = step.rate;
      limitedBy = 'latency-or-errors';
      break;
    }
    good = step.rate;
    if (rate >= maxRate) {
      limitedBy = 'max-rate';
      break;
    }
  }
  for (let i = 0; bad !== undefined && i < (options.refineSteps ?? DEFAULT_REFINE_STEPS) && steps.length < maxSteps; i++) {
    // Geometric midpoint: capacities span orders of magnitude.
    const mid = round(good > 0 ? Math.sqrt(good * bad) : bad / 2);
    if (mid <= good || mid >= bad) break;
    const step = await run(mid);
    if (!step.valid) {
      limitedBy = 'generator';
      break;
    }
    if (step.pass) good = mid;
    else bad = mid;
  }
  const perReplica = Math.floor((good / options.replicas) * 10) / 10;
  return { maxRequestsPerSecond: good, replicas: options.replicas, maxRequestsPerSecondPerReplica: perReplica, slo: options.slo, limitedBy, steps };
}

export function judgeStep(rate: number, result: LoadTestResult, slo: CapacitySlo): CapacityStep {
  const p99Ms = result.latencyMs.corrected.p99;
  const errorRate = thresholdActual({ kind: 'fraction', name: 'errors' }, result);
  const reasons: string[] = [];
  if (!result.valid) reasons.push(`generator-bound: ${result.invalidReasons.join('; ')}`);
  if (p99Ms > slo.p99Ms) reasons.push(`p99 ${p99Ms} ms > ${slo.p99Ms} ms`);
  if (errorRate > slo.errorRate) reasons.push(`errors ${round(errorRate * 100)} % > ${round(slo.errorRate * 100)} %`);
  if (result.achievedRate < MIN_ACHIEVED_FRACTION * rate) reasons.push(`achieved ${result.achievedRate} of ${rate} req/s`);
  for (const t of result.thresholds) if (!t.pass) reasons.push(`threshold ${t.expression} failed (${t.actual})`);
  return {
    rate,
    achievedRate: result.achievedRate,
    p99Ms,
    errorRate: round(errorRate),
    valid: result.valid,
    pass: reasons.length === 0,
    ...(reasons.length ? { reason: reasons.join('; ') } : {}),
  };
}

/** The measured number as the topology spec takes it. */
export function capacitySnippet(endpointName: string, capacity: CapacityResult): string {
  return [
    'endpoints:',
    `  - name: ${endpointName}`,
    '    scaling:',
    `      # ${capacity.maxRequestsPerSecond} req/s held on ${capacity.replicas} replica(s) within p99 ${capacity.slo.p99Ms} ms and ${capacity.slo.errorRate * 100} % errors`,
    `      maxRequestsPerSecondPerReplica: ${capacity.maxRequestsPerSecondPerReplica}`,
    '',
  ].join('\n');
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
