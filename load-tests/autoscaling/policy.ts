/**
 * The interface every autoscaling policy implements: a pure reducer over a virtual clock.
 *
 * A driver (the simulator, or the emulator's live autoscaling) owns the clock and the replicas'
 * load. It starts a policy once, then repeatedly reports what the replicas measured since the
 * last call and advances the clock:
 *
 * ```ts
 * let state = policy.start(0);
 * // … serve traffic on state.fleet.inService replicas from state.clock to `until` …
 * const step = policy.advance(state, until, measuredLoad);
 * state = step.state;              // step.events says what the cloud did and why
 * ```
 *
 * `policyFor(cloud, endpoint, variant)` (policy-for-endpoint.ts) builds the policy a cloud applies
 * to one variant of a resolved endpoint. The policy owns provisioning: a scale-out puts replicas in
 * `fleet.starting` and moves them to `fleet.inService` at their `readyAt`, so a driver serves on
 * exactly `fleet.inService` replicas.
 *
 * Nothing here reads a real clock, so time compression is the driver's business: the emulator's
 * `--time-scale N` feeds `until = (realNow − realStart) × N`. To stay in step with the policy, a
 * driver should not report load across `nextEventAt(state)` (an evaluation or a replica becoming
 * ready); the simulator splits its ticks there. Times are seconds on the policy's clock.
 */
import type { AssumptionSet, Cloud, SourceTag } from '../../constructs';

/** What the endpoint's replicas measured over one interval `[state.clock, until)`. */
export interface LoadSample {
  /** Requests that reached the endpoint, rejected ones included. */
  readonly requests: number;
  /**
   * Requests the endpoint refused (throttled or dropped). Whether a request-count metric counts them is
   * one assumption for both clouds, `scaling-metric.counts-refused-requests`.
   */
  readonly rejectedRequests: number;
  /** Mean in-flight plus queued requests per in-service replica (SageMaker `ConcurrentRequestsPerModel`). */
  readonly concurrencyPerReplica: number;
  /** Mean CPU utilisation of an in-service replica, percent of the whole machine (0–100). */
  readonly cpuPercent: number;
  /** Mean accelerator duty cycle of an in-service replica, percent (0–100); 0 without an accelerator. */
  readonly acceleratorDutyCyclePercent: number;
}

export interface StartingReplicas {
  /** When these replicas begin to serve. */
  readonly readyAt: number;
  readonly count: number;
}

export interface Fleet {
  /** Replicas serving traffic now. */
  readonly inService: number;
  /** Replicas launched and not yet serving, earliest first. */
  readonly starting: readonly StartingReplicas[];
  /** The capacity the cloud is converging to: inService plus starting. */
  readonly desired: number;
}

export interface PolicyState {
  /** Policy time up to which load has been accounted. */
  readonly clock: number;
  readonly fleet: Fleet;
}

export type ScalingEventKind = 'scale-out' | 'scale-in' | 'replicas-ready';

export interface ScalingEvent {
  readonly at: number;
  readonly kind: ScalingEventKind;
  /** Desired capacity before and after (scale-out / scale-in), or in-service replicas (replicas-ready). */
  readonly from: number;
  readonly to: number;
  /** The rule that fired, with the metric values that fired it. */
  readonly reason: string;
}

export interface PolicyStep<S extends PolicyState> {
  readonly state: S;
  readonly events: readonly ScalingEvent[];
}

/** One documented parameter of a policy, for reports: its value and where the value comes from. */
export interface PolicyParameter {
  readonly name: string;
  readonly value: number | string;
  /** [V] primary source, [S] secondary, [U] unverified or derived (the assumption register's tags). */
  readonly tag: SourceTag;
  /** A public URL, a file of this repository, or the resolved topology setting the value comes from. */
  readonly source: string;
}

/** The policy parameter a registered assumption stands for, at the value the policy uses. */
export function assumptionParameter(assumptions: AssumptionSet, name: string): PolicyParameter {
  const entry = assumptions.entry(name);
  return { name, value: entry.value, tag: entry.tag, source: entry.source };
}

/** Which provisioning assumption a replica's start-up follows. */
export type ReplicaFamily = 'cpu' | 'gpu';

export function provisioningAssumption(family: ReplicaFamily): string {
  return family === 'gpu' ? 'provisioning.gpu-replica-seconds' : 'provisioning.cpu-replica-seconds';
}

export interface AutoscalingPolicy<S extends PolicyState = PolicyState> {
  readonly cloud: Cloud;
  /** One line naming the rule, e.g. "target tracking on SageMakerVariantInvocationsPerInstance = 3600". */
  readonly summary: string;
  readonly parameters: readonly PolicyParameter[];
  /** The state at `at` with the minimum capacity in service, as right after a deployment. */
  start(at: number): S;
  /**
   * Accounts `load`, measured over `[state.clock, until)`, runs every evaluation due by `until` and
   * brings starting replicas into service when their time comes. Pure: `state` is not modified.
   */
  advance(state: S, until: number, load: LoadSample): PolicyStep<S>;
  /** The next time the policy evaluates or replicas become ready; a driver should not step across it. */
  nextEventAt(state: S): number;
}
