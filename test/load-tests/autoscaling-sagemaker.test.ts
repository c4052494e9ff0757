import { describe, expect, it } from 'vitest';
import { preset, resolveTopology } from '../../constructs';
import type { AutoscalingPolicy, LoadSample, PolicyState, ScalingEvent } from '../../load-tests/autoscaling/policy';
import {
  SAGEMAKER_DEFAULT_COOLDOWN_SECONDS,
  SAGEMAKER_HIGH_RESOLUTION_PERIOD_SECONDS,
  SAGEMAKER_INSTANCE_METRIC_PERIOD_SECONDS,
  SAGEMAKER_SCALE_IN_DATAPOINTS,
  SAGEMAKER_SCALE_IN_MARGIN,
  SAGEMAKER_SCALE_IN_PERIOD_SECONDS,
  SAGEMAKER_SCALE_OUT_DATAPOINTS,
  SAGEMAKER_STANDARD_PERIOD_SECONDS,
  sageMakerTargetTracking,
  type SageMakerPolicyConfig,
} from '../../load-tests/autoscaling/sagemaker-target-tracking';

const IDLE: LoadSample = { requests: 0, rejectedRequests: 0, concurrencyPerReplica: 0, cpuPercent: 0, acceleratorDutyCyclePercent: 0 };

/** Load of a fleet: a total request rate and a total concurrency, spread over the in-service replicas. */
interface Traffic {
  readonly rps: number;
  readonly concurrency?: number;
  readonly cpuPercentOfFleetOfTwo?: number;
}

/** Drives a policy with `traffic(t)` in `step`-second reports until `until`, collecting events. */
function drive<S extends PolicyState>(
  policy: AutoscalingPolicy<S>,
  until: number,
  traffic: (t: number) => Traffic,
  options: { step?: number; state?: S } = {},
): { state: S; events: ScalingEvent[] } {
  const step = options.step ?? 1;
  let state = options.state ?? policy.start(0);
  const events: ScalingEvent[] = [];
  while (state.clock < until) {
    const t = state.clock;
    const next = Math.min(until, t + step, policy.nextEventAt(state));
    const load = traffic(t);
    const n = state.fleet.inService;
    const sample: LoadSample = {
      ...IDLE,
      requests: load.rps * (next - t),
      concurrencyPerReplica: (load.concurrency ?? 0) / n,
      cpuPercent: load.cpuPercentOfFleetOfTwo !== undefined ? (load.cpuPercentOfFleetOfTwo * 2) / n : 0,
    };
    const r = policy.advance(state, next, sample);
    state = r.state;
    events.push(...r.events);
  }
  return { state, events };
}

const first = (events: ScalingEvent[], kind: ScalingEvent['kind']) => events.find((e) => e.kind === kind);

/** Invocations per instance, target 3600/min: two instances are at target at 120 req/s. */
const INVOCATIONS: SageMakerPolicyConfig = {
  metric: { kind: 'predefined', metric: 'SageMakerVariantInvocationsPerInstance', targetValue: 3600 },
  minCapacity: 2,
  maxCapacity: 10,
  scaleInCooldownSeconds: 300,
  scaleOutCooldownSeconds: 300,
  provisioningSeconds: 240,
  vcpus: 4,
  acceleratorCount: 0,
};

const HIGH_RESOLUTION: SageMakerPolicyConfig = {
  ...INVOCATIONS,
  metric: { kind: 'predefined', metric: 'SageMakerVariantConcurrentRequestsPerModelHighResolution', targetValue: 4 },
  provisioningSeconds: 420,
};

describe('SageMaker target tracking: documented parameters', () => {
  it('pins the documented values (autoscaling.md §1, §3)', () => {
    expect(SAGEMAKER_STANDARD_PERIOD_SECONDS).toBe(60);
    expect(SAGEMAKER_HIGH_RESOLUTION_PERIOD_SECONDS).toBe(10);
    expect(SAGEMAKER_INSTANCE_METRIC_PERIOD_SECONDS).toBe(60);
    expect(SAGEMAKER_SCALE_OUT_DATAPOINTS).toBe(3);
    expect(SAGEMAKER_SCALE_IN_DATAPOINTS).toBe(15);
    expect(SAGEMAKER_SCALE_IN_PERIOD_SECONDS).toBe(60);
    expect(SAGEMAKER_SCALE_IN_MARGIN).toBe(0.1);
    expect(SAGEMAKER_DEFAULT_COOLDOWN_SECONDS).toBe(300);
    // The topology's default cooldowns are SageMaker's.
    const scaling = resolveTopology(preset('dev')).endpoints[0].scaling;
    expect([scaling.scaleInCooldownSeconds, scaling.scaleOutCooldownSeconds]).toEqual([SAGEMAKER_DEFAULT_COOLDOWN_SECONDS, SAGEMAKER_DEFAULT_COOLDOWN_SECONDS]);
  });

  it('reports its parameters with their tags', () => {
    const policy = sageMakerTargetTracking(INVOCATIONS);
    expect(policy.cloud).toBe('aws');
    expect(policy.summary).toBe('SageMaker target tracking on SageMakerVariantInvocationsPerInstance = 3600');
    expect(policy.parameters.find((p) => p.name === 'scale-out datapoints')).toMatchObject({ value: 3, tag: 'S' });
    expect(policy.parameters.find((p) => p.name === 'scale-in margin')).toMatchObject({ value: 0.1, tag: 'U' });
  });

  it('fails with every problem named when the configuration is impossible', () => {
    expect(() => sageMakerTargetTracking({ ...INVOCATIONS, minCapacity: 0, maxCapacity: -1, metric: { ...INVOCATIONS.metric, targetValue: 0 } })).toThrow(
      /metric.targetValue: must be > 0, got 0; minCapacity: must be an integer >= 1, got 0; maxCapacity: must be an integer >= minCapacity \(0\), got -1/,
    );
  });
});

describe('SageMaker target tracking: scale-out', () => {
  it('adds no instance before three one-minute datapoints breach, then ceil(n × metric / target)', () => {
    const { events, state } = drive(sageMakerTargetTracking(INVOCATIONS), 600, () => ({ rps: 240 }));
    const out = first(events, 'scale-out');
    expect(out?.at).toBe(3 * 60);
    expect(out).toMatchObject({ from: 2, to: 4 });
    expect(out?.reason).toContain('3 of 3 60-s datapoints of SageMakerVariantInvocationsPerInstance > 3600 (last 7200)');
    expect(events.filter((e) => e.kind === 'scale-out')).toHaveLength(1);
    expect(state.fleet.desired).toBe(4);
  });

  it('does not scale out when only two of the last three datapoints breach', () => {
    const dip = (t: number) => ({ rps: t >= 120 && t < 180 ? 60 : 240 });
    const { events } = drive(sageMakerTargetTracking(INVOCATIONS), 299, dip);
    expect(first(events, 'scale-out')).toBeUndefined();
    const later = drive(sageMakerTargetTracking(INVOCATIONS), 600, dip).events;
    expect(first(later, 'scale-out')?.at).toBe(6 * 60);
  });

  it('reacts faster on the high-resolution concurrency metric: three 10-s datapoints', () => {
    const { events } = drive(sageMakerTargetTracking(HIGH_RESOLUTION), 300, () => ({ rps: 0, concurrency: 16 }));
    const out = first(events, 'scale-out');
    expect(out?.at).toBe(3 * 10);
    expect(out).toMatchObject({ from: 2, to: 4 });
    const standard = drive(sageMakerTargetTracking(INVOCATIONS), 300, () => ({ rps: 240 })).events;
    expect(first(standard, 'scale-out')!.at / out!.at).toBe(6);
  });

  it('brings new capacity into service only after the provisioning delay', () => {
    const policy = sageMakerTargetTracking(INVOCATIONS);
    const before = drive(policy, 3 * 60 + 239, () => ({ rps: 240 }));
    expect(before.state.fleet).toMatchObject({ inService: 2, desired: 4, starting: [{ readyAt: 180 + 240, count: 2 }] });
    const after = drive(policy, 3 * 60 + 240, () => ({ rps: 240 }), { state: before.state });
    expect(after.events).toEqual([{ at: 420, kind: 'replicas-ready', from: 2, to: 4, reason: 'instances InService' }]);
    expect(after.state.fleet).toMatchObject({ inService: 4, desired: 4, starting: [] });
  });

  it('repeats no scale-out for the same load while capacity is starting, and passes a larger one during the cooldown', () => {
    const policy = sageMakerTargetTracking({ ...INVOCATIONS, provisioningSeconds: 600 });
    const steady = drive(policy, 540, () => ({ rps: 240 })).events.filter((e) => e.kind === 'scale-out');
    expect(steady.map((e) => [e.at, e.from, e.to])).toEqual([[180, 2, 4]]);
    const rising = (t: number) => ({ rps: t < 240 ? 240 : 480 });
    const outs = drive(policy, 540, rising).events.filter((e) => e.kind === 'scale-out');
    expect(outs.map((e) => [e.at, e.from, e.to])).toEqual([
      [180, 2, 4],
      [300, 4, 8],
    ]);
    expect(outs[1].reason).toContain('larger than the scale-out in cooldown');
  });

  it('clamps to the maximum capacity', () => {
    const { events } = drive(sageMakerTargetTracking(INVOCATIONS), 200, () => ({ rps: 5000 }));
    expect(first(events, 'scale-out')).toMatchObject({ to: 10 });
  });

  it('scales on CPUUtilization summed over vCPUs', () => {
    const cpu = sageMakerTargetTracking({ ...INVOCATIONS, metric: { kind: 'instance', metricName: 'CPUUtilization', targetValue: 60 * 4 } });
    const { events } = drive(cpu, 300, () => ({ rps: 0, cpuPercentOfFleetOfTwo: 90 }));
    expect(first(events, 'scale-out')).toMatchObject({ at: 180, to: 3 });
    expect(first(events, 'scale-out')?.reason).toContain('CPUUtilization > 240 (last 360)');
  });

  it('gives the same decisions whatever the driver\'s report size', () => {
    const traffic = (t: number) => ({ rps: t < 900 ? 300 : 20 });
    const fine = drive(sageMakerTargetTracking(INVOCATIONS), 3600, traffic, { step: 1 }).events;
    const coarse = drive(sageMakerTargetTracking(INVOCATIONS), 3600, traffic, { step: 60 }).events;
    expect(coarse).toEqual(fine);
  });

  it('never modifies the state it is given', () => {
    const policy = sageMakerTargetTracking(INVOCATIONS);
    const state = drive(policy, 179, () => ({ rps: 240 })).state;
    const snapshot = JSON.stringify(state);
    const next = policy.advance(state, 181, { ...IDLE, requests: 480 });
    expect(JSON.stringify(state)).toBe(snapshot);
    expect(next.state.fleet.desired).toBe(4);
  });
});

describe('SageMaker target tracking: scale-in', () => {
  /** 10 instances reached, then the load falls to a quarter of target. */
  const afterPeak = (config: SageMakerPolicyConfig) => {
    const policy = sageMakerTargetTracking({ ...config, minCapacity: 2 });
    const peak = drive(policy, 1200, () => ({ rps: 1200, concurrency: 40 }));
    expect(peak.state.fleet.inService).toBe(10);
    return { policy, state: peak.state };
  };

  it('waits for fifteen one-minute datapoints below target × (1 − margin)', () => {
    const { policy, state } = afterPeak(INVOCATIONS);
    const { events } = drive(policy, 1200 + 20 * 60, () => ({ rps: 150 }), { state });
    const scaleIn = first(events, 'scale-in');
    expect(scaleIn?.at).toBe(1200 + 15 * 60);
    expect(scaleIn).toMatchObject({ from: 10, to: 3 });
    expect(scaleIn?.reason).toContain('15 of 15 60-s datapoints of SageMakerVariantInvocationsPerInstance < 3240');
  });

  it('keeps capacity while the metric sits inside the scale-in margin', () => {
    const { policy, state } = afterPeak(INVOCATIONS);
    // 10 instances at 95 % of target: below target, above target × 0.9.
    const { events } = drive(policy, 1200 + 30 * 60, () => ({ rps: 570 }), { state });
    expect(first(events, 'scale-in')).toBeUndefined();
  });

  it('scales in at standard speed on the high-resolution metric', () => {
    const { policy, state } = afterPeak(HIGH_RESOLUTION);
    const { events } = drive(policy, 1200 + 20 * 60, () => ({ rps: 0, concurrency: 8 }), { state });
    expect(first(events, 'scale-in')?.at).toBe(1200 + 15 * 60);
  });

  it('waits for the scale-in cooldown before scaling in again, and for the scale-out cooldown', () => {
    const { policy, state } = afterPeak(INVOCATIONS);
    const longCooldown = sageMakerTargetTracking({ ...INVOCATIONS, scaleInCooldownSeconds: 1800 });
    const falling = (t: number) => ({ rps: t < 1200 + 20 * 60 ? 300 : 60 });
    const normal = drive(policy, 1200 + 60 * 60, falling, { state }).events.filter((e) => e.kind === 'scale-in');
    const slow = drive(longCooldown, 1200 + 60 * 60, falling, { state }).events.filter((e) => e.kind === 'scale-in');
    expect(normal.map((e) => e.at)).toEqual([1200 + 15 * 60, 1200 + 35 * 60]);
    expect(slow.map((e) => e.at)).toEqual([1200 + 15 * 60, 1200 + 15 * 60 + 1800]);
    const outCooling = sageMakerTargetTracking({ ...INVOCATIONS, scaleOutCooldownSeconds: 3000 });
    const held = drive(outCooling, 1200 + 45 * 60, () => ({ rps: 150 }), { state }).events;
    expect(first(held, 'scale-in')?.at).toBe(3000 + 180);
  });

  it('never goes below the minimum capacity', () => {
    const { policy, state } = afterPeak(INVOCATIONS);
    const { state: end } = drive(policy, 1200 + 60 * 60, () => ({ rps: 0 }), { state });
    expect(end.fleet.desired).toBe(2);
  });
});
