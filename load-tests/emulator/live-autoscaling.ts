/**
 * Live autoscaling of the local endpoints: each variant's replica pool driven by the same policy
 * objects the simulator uses (load-tests/autoscaling), on a compressed clock, so a load test
 * against `serving-stacks emulate --autoscale aws --time-scale 60` sees a scale-out within seconds.
 *
 * Each step reads what the pool measured since the last one, hands it to the policy on its own
 * clock (policy seconds = real seconds × timeScale) and serves on exactly the policy's in-service
 * replicas: the policy owns provisioning delays, so the pool adds replicas with no delay of its own.
 */
import { GPU_HOST_CPU_SHARE } from '../replica/replica-model';
import { EndpointUpdateLock } from '../autoscaling/endpoint-update-lock';
import { policyFor } from '../autoscaling/policy-for-endpoint';
import type { AutoscalingPolicy, LoadSample, PolicyState, ScalingEvent } from '../autoscaling/policy';
import type { Clock, TimerHandle } from '../clock/clock';
import type { AssumptionSet, Cloud, ResolvedEndpoint, ResolvedVariant } from '../../constructs';
import { poolMetricsDelta, type PoolMetrics } from './replica-pool';

/** Real milliseconds between policy steps. */
export const DEFAULT_AUTOSCALING_STEP_MS = 250;

export interface LiveAutoscalingOptions {
  readonly cloud: Cloud;
  /** Policy seconds per real second (1 = the cloud's own pace). */
  readonly timeScale: number;
  /** The emulator's clock. */
  readonly clock: Clock;
  /** @default DEFAULT_AUTOSCALING_STEP_MS */
  readonly stepMs?: number;
  readonly onEvent?: (event: LiveScalingEvent) => void;
  /** The cloud's assumptions, as the simulator takes them. @default assumptionSet(cloud) (base) */
  readonly assumptions?: AssumptionSet;
}

export interface LiveScalingEvent extends ScalingEvent {
  readonly cloud: Cloud;
  readonly endpoint: string;
  readonly variant: string;
}

/** The pool side the driver needs; `ReplicaPool` provides it. */
export interface ScalablePool {
  metrics(): PoolMetrics;
  resize(targetReplicas: number, options?: { readonly provisioningDelayMs?: number }): void;
}

/** The endpoint side the driver needs; `EmulatedEndpoint` provides it. */
export interface ScalableEndpoint {
  readonly name: string;
  readonly resolved: ResolvedEndpoint;
  readonly variants: readonly { readonly name: string; readonly resolved: ResolvedVariant; readonly pool: ScalablePool }[];
}

export interface LiveAutoscaling {
  /** Runs every step due up to now; the timer calls it, tests may too. */
  step(): void;
  /** In-service and desired replicas per `endpoint/variant`. */
  fleets(): Readonly<Record<string, { readonly inService: number; readonly desired: number }>>;
  stop(): void;
}

interface Driver {
  readonly endpoint: string;
  readonly variant: string;
  readonly accelerated: boolean;
  readonly policy: AutoscalingPolicy;
  readonly pool: ScalablePool;
  state: PolicyState;
  last: PoolMetrics;
}

export function startLiveAutoscaling(endpoints: readonly ScalableEndpoint[], options: LiveAutoscalingOptions): LiveAutoscaling {
  if (!(options.timeScale > 0)) throw new Error(`timeScale: must be > 0, got ${options.timeScale}`);
  const { clock, timeScale } = options;
  const startMs = clock.now();
  const policyNow = () => ((clock.now() - startMs) / 1000) * timeScale;
  const drivers: Driver[] = endpoints.flatMap((e) => {
    // A SageMaker endpoint's variants share its update lock.
    const updateLock = new EndpointUpdateLock();
    return e.variants.map((v) => {
      const policy = policyFor(options.cloud, e.resolved, v.resolved, { assumptions: options.assumptions, updateLock });
      return {
        endpoint: e.name,
        variant: v.name,
        accelerated: v.resolved.shape.accelerator.type !== 'none',
        policy,
        pool: v.pool,
        state: policy.start(0),
        last: v.pool.metrics(),
      };
    });
  });
  for (const d of drivers) d.pool.resize(d.state.fleet.inService, { provisioningDelayMs: 0 });

  const step = () => {
    const until = policyNow();
    for (const d of drivers) advance(d, until, timeScale, options);
  };
  let timer: TimerHandle | undefined;
  let stopped = false;
  // Wake every step, and exactly when a policy has an evaluation or replicas coming into service.
  const realAt = (policySeconds: number) => startMs + (policySeconds / timeScale) * 1000;
  const schedule = () => {
    if (stopped) return;
    const nextPolicyEvent = Math.min(...drivers.map((d) => realAt(d.policy.nextEventAt(d.state))));
    timer = clock.at(Math.min(clock.now() + (options.stepMs ?? DEFAULT_AUTOSCALING_STEP_MS), nextPolicyEvent), () => {
      step();
      schedule();
    });
  };
  schedule();
  return {
    step,
    fleets: () =>
      Object.fromEntries(drivers.map((d) => [`${d.endpoint}/${d.variant}`, { inService: d.state.fleet.inService, desired: d.state.fleet.desired }])),
    stop: () => {
      stopped = true;
      timer?.cancel();
    },
  };
}

/**
 * Feeds one variant's measured load to its policy up to `until`, split at the policy's own event
 * times so no load is reported across an evaluation, then resizes the pool.
 */
function advance(d: Driver, until: number, timeScale: number, options: LiveAutoscalingOptions): void {
  if (until <= d.state.clock) return;
  const now = d.pool.metrics();
  const load = loadSample(poolMetricsDelta(d.last, now), d.accelerated, timeScale);
  d.last = now;
  const span = until - d.state.clock;
  while (d.state.clock < until) {
    const next = Math.min(until, Math.max(d.policy.nextEventAt(d.state), d.state.clock + 1e-9));
    const share = (next - d.state.clock) / span;
    const result = d.policy.advance(d.state, next, {
      ...load,
      requests: load.requests * share,
      rejectedRequests: load.rejectedRequests * share,
    });
    d.state = result.state;
    for (const event of result.events) options.onEvent?.({ ...event, cloud: options.cloud, endpoint: d.endpoint, variant: d.variant });
  }
  if (now.replicas.inService + now.replicas.provisioning !== d.state.fleet.inService) {
    d.pool.resize(d.state.fleet.inService, { provisioningDelayMs: 0 });
  }
}

/**
 * What the policy sees of one interval. Traffic is not compressed, only time: a real second's
 * requests stand for `timeScale` policy seconds at the same rate, so counts are scaled up.
 * Utilisation is the share of busy replica slots: the CPU of a CPU replica, the duty cycle of a
 * GPU replica (whose host CPU does a fraction of that work).
 */
function loadSample(delta: ReturnType<typeof poolMetricsDelta>, accelerated: boolean, timeScale: number): LoadSample {
  const rejected = delta.throttled + delta.notReady;
  const utilisation = Math.min(100, delta.utilisation * 100);
  return {
    requests: (delta.invocations + rejected) * timeScale,
    rejectedRequests: rejected * timeScale,
    concurrencyPerReplica: delta.concurrencyPerReplica,
    cpuPercent: accelerated ? utilisation * GPU_HOST_CPU_SHARE : utilisation,
    acceleratorDutyCyclePercent: accelerated ? utilisation : 0,
  };
}
