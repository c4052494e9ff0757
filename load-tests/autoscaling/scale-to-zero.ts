/**
 * Scale to zero around a cloud's autoscaling policy, as both clouds document it, for the simulator and
 * the emulator alike:
 * - awake, the inner policy (SageMaker target tracking on copies, Vertex autoscaling) scales from one
 *   replica up; after `idleSeconds` without a request the endpoint goes to zero;
 * - at zero, requests fail (the driver has no replica to serve them); the first one starts a wake,
 *   detected at the next check (SageMaker: the 60-s NoCapacityInvocationFailures alarm; Vertex: its
 *   autoscaler's evaluation), and a replica serves `wakeSeconds` after the request
 *   (assumption `scale-to-zero.wake-seconds`, which includes the detection);
 * - woken, it starts over from one replica, as a new deployment would.
 * The idle period: Vertex's idleScaledownPeriod (`scaling.idleSeconds`); on SageMaker the managed
 * scale-in alarm of target tracking (assumption `alarm.sagemaker.scale-in-datapoints` one-minute
 * datapoints), modelled as that long without traffic.
 */
import type { AutoscalingPolicy, Fleet, PolicyParameter, PolicyState, PolicyStep, ScalingEvent } from './policy';

export interface ScaleToZeroConfig {
  /** Seconds without a request before the endpoint goes to zero. */
  readonly idleSeconds: number;
  /** Seconds from the first request at zero to a replica serving. */
  readonly wakeSeconds: number;
  /** How often the cloud looks for requests at zero, in seconds. */
  readonly checkSeconds: number;
  /** Where each number comes from, for reports. */
  readonly parameters: readonly PolicyParameter[];
}

type Phase = { readonly kind: 'awake'; readonly lastRequestAt: number } | { readonly kind: 'zero' } | { readonly kind: 'waking'; readonly readyAt: number };

export interface ScaleToZeroState<S extends PolicyState> extends PolicyState {
  readonly inner: S;
  readonly phase: Phase;
}

const ZERO: Fleet = { inService: 0, starting: [], desired: 0 };

/** `inner` (built with a minimum of one replica) with scale to zero around it. */
export function withScaleToZero<S extends PolicyState>(inner: AutoscalingPolicy<S>, config: ScaleToZeroConfig): AutoscalingPolicy<ScaleToZeroState<S>> {
  const nextCheck = (at: number) => (Math.floor(at / config.checkSeconds) + 1) * config.checkSeconds;
  return {
    cloud: inner.cloud,
    summary: `${inner.summary}; scale to zero after ${config.idleSeconds} s idle, awake ${config.wakeSeconds} s after the first request`,
    parameters: [...inner.parameters, ...config.parameters],
    start(at) {
      // Both clouds create the deployment with one replica (CopyCount / initialReplicaCount 1).
      const state = inner.start(at);
      return { clock: at, fleet: state.fleet, inner: state, phase: { kind: 'awake', lastRequestAt: at } };
    },
    nextEventAt(state) {
      switch (state.phase.kind) {
        case 'awake':
          return Math.min(inner.nextEventAt(state.inner), state.phase.lastRequestAt + config.idleSeconds);
        case 'zero':
          return nextCheck(state.clock);
        case 'waking':
          return state.phase.readyAt;
      }
    },
    advance(state, until, load): PolicyStep<ScaleToZeroState<S>> {
      const phase = state.phase;
      if (phase.kind === 'zero') {
        if (load.requests === 0) return { state: { ...state, clock: until }, events: [] };
        // The first failed request is somewhere in [clock, until); the wake counts from the earliest.
        const readyAt = state.clock + config.wakeSeconds;
        // Stamped at the interval's start, where the wake counts from: ready minus this is the time to first success.
        const event: ScalingEvent = { at: state.clock, kind: 'scale-out', from: 0, to: 1, reason: `request(s) at zero: wake, a replica serves at ${readyAt} s` };
        return { state: { ...state, clock: until, fleet: { inService: 0, starting: [{ readyAt, count: 1 }], desired: 1 }, phase: { kind: 'waking', readyAt } }, events: [event] };
      }
      if (phase.kind === 'waking') {
        if (until < phase.readyAt) return { state: { ...state, clock: until }, events: [] };
        const fresh = inner.start(until);
        const event: ScalingEvent = { at: until, kind: 'replicas-ready', from: 0, to: fresh.fleet.inService, reason: 'woken from zero' };
        return { state: { clock: until, fleet: fresh.fleet, inner: fresh, phase: { kind: 'awake', lastRequestAt: until } }, events: [event] };
      }
      const step = inner.advance(state.inner, until, load);
      const lastRequestAt = load.requests > 0 ? until : phase.lastRequestAt;
      if (until - lastRequestAt >= config.idleSeconds) {
        const event: ScalingEvent = { at: until, kind: 'scale-in', from: step.state.fleet.desired, to: 0, reason: `no request for ${config.idleSeconds} s: scale to zero` };
        return { state: { clock: until, fleet: ZERO, inner: step.state, phase: { kind: 'zero' } }, events: [...step.events, event] };
      }
      return { state: { clock: until, fleet: step.state.fleet, inner: step.state, phase: { kind: 'awake', lastRequestAt } }, events: step.events };
    },
  };
}

