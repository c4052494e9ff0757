/**
 * Rollout defaults and the bounds SageMaker's deployment guardrails put on them, shared by the
 * schema (which rejects what SageMaker would reject) and `resolveTopology` (which plans the rollout).
 *
 * Bounds: SageMaker API reference, TrafficRoutingConfig (CanarySize "must be less than or equal to
 * 50% of the variant's total instance count", LinearStepSize "must be 10-50%", WaitIntervalInSeconds
 * 0–3600) and BlueGreenUpdatePolicy (MaximumExecutionTimeoutInSeconds 600–28800, "should be larger
 * than the total waiting time specified in TerminationWaitInSeconds and WaitIntervalInSeconds";
 * TerminationWaitInSeconds 0–3600).
 */
import type { ResolvedRollout } from './resolved-topology';
import type { EndpointMode, RolloutStrategy } from './spec/topology-schema';

export const SAGEMAKER_BLUE_GREEN_LIMITS = {
  maxCanaryPercent: 50,
  linearPercent: { min: 10, max: 50 },
  executionTimeoutSeconds: { min: 600, max: 28_800 },
  maxTerminationWaitSeconds: 3600,
} as const;

/** A rollout as written or resolved: what the timing and the bounds depend on. */
export type RolloutSettings = Pick<ResolvedRollout, 'strategy' | 'stepPercent' | 'bakeSeconds'> & { readonly autoRollback?: boolean };

/** [U] Headroom in the execution timeout for SageMaker to provision the new fleet before the first step. */
export const PROVISIONING_ALLOWANCE_SECONDS = 1800;

/** The strategy an endpoint gets when the topology names none: a canary in production and staging, else all at once. */
export function defaultRolloutStrategy(production: boolean, environment: string): RolloutStrategy {
  return production || environment === 'staging' ? 'canary' : 'all-at-once';
}

/** Cumulative traffic percent on the new model after each rollout step. */
export function rolloutSteps(rollout: RolloutSettings): number[] {
  switch (rollout.strategy) {
    case 'canary':
      return [rollout.stepPercent, 100];
    case 'linear': {
      const steps: number[] = [];
      // The schema reports a step below 1 % at its own path; the whole-topology checks still run, and must end.
      const step = Math.max(1, rollout.stepPercent);
      for (let p = step; p < 100; p += step) steps.push(p);
      return [...steps, 100];
    }
    default:
      return [100];
  }
}

export type SageMakerTrafficRouting = 'ALL_AT_ONCE' | 'CANARY' | 'LINEAR';

/**
 * How SageMaker shifts traffic for a rollout. Canary and linear steps are a percent of a variant's
 * instances, at most half of them, so they need instance-backed variants of at least two instances;
 * otherwise the rollout is blue/green with all traffic at once (still with the bake and alarm rollback).
 */
export function sageMakerTrafficRouting(mode: EndpointMode, strategy: RolloutStrategy, minInstances: number): SageMakerTrafficRouting {
  if (mode === 'serverless' || minInstances < 2) return 'ALL_AT_ONCE';
  return strategy === 'canary' ? 'CANARY' : strategy === 'linear' ? 'LINEAR' : 'ALL_AT_ONCE';
}

export interface BlueGreenTiming {
  /** Traffic steps SageMaker takes (1 when all at once). */
  readonly steps: number;
  /** WaitIntervalInSeconds: the bake after each step. */
  readonly waitIntervalSeconds: number;
  /** TerminationWaitInSeconds: how long the old fleet is kept after the last step. */
  readonly terminationWaitSeconds: number;
  /** Every step's bake plus the termination wait. */
  readonly totalWaitSeconds: number;
  /** MaximumExecutionTimeoutInSeconds: the total wait plus the provisioning allowance, at least SageMaker's minimum. */
  readonly maximumExecutionTimeoutSeconds: number;
}

/** The blue/green waits of a rollout. The timeout may exceed SageMaker's maximum: `rolloutProblems` says so. */
export function blueGreenTiming(routing: SageMakerTrafficRouting, rollout: RolloutSettings): BlueGreenTiming {
  const steps = routing === 'ALL_AT_ONCE' ? 1 : rolloutSteps(rollout).length;
  const waitIntervalSeconds = rollout.strategy === 'all-at-once' ? 0 : rollout.bakeSeconds;
  const terminationWaitSeconds = Math.min(SAGEMAKER_BLUE_GREEN_LIMITS.maxTerminationWaitSeconds, waitIntervalSeconds);
  const totalWaitSeconds = steps * waitIntervalSeconds + terminationWaitSeconds;
  return {
    steps,
    waitIntervalSeconds,
    terminationWaitSeconds,
    totalWaitSeconds,
    maximumExecutionTimeoutSeconds: Math.max(SAGEMAKER_BLUE_GREEN_LIMITS.executionTimeoutSeconds.min, totalWaitSeconds + PROVISIONING_ALLOWANCE_SECONDS),
  };
}

export interface RolloutProblem {
  /** Field under the endpoint: `rollout.stepPercent`, `rollout.strategy` or `rollout.bakeSeconds`. */
  readonly field: 'stepPercent' | 'strategy' | 'bakeSeconds';
  readonly message: string;
}

/**
 * What SageMaker would reject in an endpoint's rollout: step sizes outside its bounds, a canary or
 * linear rollout the topology asks for on variants that may run on one instance (a defaulted one falls
 * back to all at once, with a parity note), and waits longer than the longest execution timeout.
 * `written` is the strategy as the topology states it, `rollout.strategy` the one in effect.
 */
export function rolloutProblems(mode: EndpointMode, rollout: RolloutSettings, minInstances: number, written: RolloutStrategy | undefined): RolloutProblem[] {
  const problems: RolloutProblem[] = [];
  const limits = SAGEMAKER_BLUE_GREEN_LIMITS;
  if (mode !== 'serverless' && (written === 'canary' || written === 'linear') && minInstances < 2) {
    problems.push({
      field: 'strategy',
      message: `a ${written} step is a percent of the variant's instances, at most half of them (SageMaker TrafficRoutingConfig), and a variant may run on ${minInstances} instance (scaling.min): set scaling.min >= 2, or strategy blue-green (all traffic at once after the bake, with alarm rollback)`,
    });
  }
  const routing = sageMakerTrafficRouting(mode, rollout.strategy, minInstances);
  if (routing === 'CANARY' && rollout.stepPercent > limits.maxCanaryPercent) {
    problems.push({
      field: 'stepPercent',
      message: `a canary moves at most ${limits.maxCanaryPercent} % of the variant's instances (SageMaker TrafficRoutingConfig CanarySize): must be <= ${limits.maxCanaryPercent}`,
    });
  }
  if (routing === 'LINEAR' && (rollout.stepPercent < limits.linearPercent.min || rollout.stepPercent > limits.linearPercent.max)) {
    problems.push({
      field: 'stepPercent',
      message: `a linear step moves ${limits.linearPercent.min}–${limits.linearPercent.max} % of the variant's instances (SageMaker TrafficRoutingConfig LinearStepSize): must be between ${limits.linearPercent.min} and ${limits.linearPercent.max}`,
    });
  }
  const timing = blueGreenTiming(routing, rollout);
  const maxTimeout = limits.executionTimeoutSeconds.max;
  if (timing.maximumExecutionTimeoutSeconds > maxTimeout) {
    problems.push({
      field: 'bakeSeconds',
      message:
        `${timing.steps} step(s) × ${timing.waitIntervalSeconds} s bake + ${timing.terminationWaitSeconds} s termination wait + ${PROVISIONING_ALLOWANCE_SECONDS} s to provision ` +
        `= ${timing.maximumExecutionTimeoutSeconds} s, above SageMaker's longest blue/green execution timeout (MaximumExecutionTimeoutInSeconds <= ${maxTimeout}); ` +
        `lower bakeSeconds to <= ${longestBake(timing.steps)} or take fewer steps`,
    });
  }
  return problems;
}

/** The longest bake whose rollout of `steps` steps fits SageMaker's execution timeout. */
function longestBake(steps: number): number {
  const budget = SAGEMAKER_BLUE_GREEN_LIMITS.executionTimeoutSeconds.max - PROVISIONING_ALLOWANCE_SECONDS;
  const withFullTerminationWait = Math.floor((budget - SAGEMAKER_BLUE_GREEN_LIMITS.maxTerminationWaitSeconds) / steps);
  // The termination wait equals the bake up to its own maximum of 3600 s.
  return withFullTerminationWait >= SAGEMAKER_BLUE_GREEN_LIMITS.maxTerminationWaitSeconds ? withFullTerminationWait : Math.floor(budget / (steps + 1));
}
