import { describe, expect, it } from 'vitest';
import { ASSUMPTIONS, assumptionSet, preset, resolveTopology, withAssumption, type Assumption } from '../../constructs';
import { EndpointUpdateLock } from '../../load-tests/autoscaling/endpoint-update-lock';
import type { AutoscalingPolicy, LoadSample, PolicyState, ScalingEvent } from '../../load-tests/autoscaling/policy';
import {
  SAGEMAKER_SCALE_IN_PERIOD_SECONDS,
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

/** The register with some values changed. */
function registerWith(values: Readonly<Record<string, number>>, register: readonly Assumption[] = ASSUMPTIONS): readonly Assumption[] {
  return Object.entries(values).reduce((r, [name, value]) => withAssumption(r, name, 'aws', value), register);
}

/**
 * The alarm mechanics alone: datapoints visible the moment they close, no update lock, round
 * provisioning delays. Tests of the delay and the lock switch them back on.
 */
const MECHANICS = registerWith({
  'metric.sagemaker-invocations.publish-delay-seconds': 0,
  'metric.sagemaker-concurrency.publish-delay-seconds': 0,
  'metric.sagemaker-instance-utilisation.publish-delay-seconds': 0,
  'sagemaker.endpoint-update-lock': 0,
  'provisioning.cpu-replica-seconds': 240,
  'provisioning.gpu-replica-seconds': 420,
});

/** Invocations per instance, target 3600/min: two instances are at target at 120 req/s. */
const INVOCATIONS: SageMakerPolicyConfig = {
  metric: { kind: 'predefined', metric: 'SageMakerVariantInvocationsPerInstance', targetValue: 3600 },
  minCapacity: 2,
  maxCapacity: 10,
  scaleInCooldownSeconds: 300,
  scaleOutCooldownSeconds: 300,
  family: 'cpu',
  vcpus: 4,
  acceleratorCount: 0,
  assumptions: assumptionSet('aws', 'base', MECHANICS),
};

const HIGH_RESOLUTION: SageMakerPolicyConfig = {
  ...INVOCATIONS,
  metric: { kind: 'predefined', metric: 'SageMakerVariantConcurrentRequestsPerModelHighResolution', targetValue: 4 },
  family: 'gpu',
};

describe('SageMaker target tracking: documented parameters', () => {
  it('reads its numbers from the assumption register', () => {
    const base = assumptionSet('aws');
    expect(base.value('metric.sagemaker-invocations.period-seconds')).toBe(60);
    expect(base.value('metric.sagemaker-concurrency.period-seconds')).toBe(10);
    expect(base.value('alarm.sagemaker.scale-out-datapoints')).toBe(3);
    expect(base.value('alarm.sagemaker.scale-in-datapoints')).toBe(15);
    expect(SAGEMAKER_SCALE_IN_PERIOD_SECONDS).toBe(60);
    // The topology's default cooldowns are SageMaker's.
    const cooldown = base.value('cooldown.sagemaker.default-seconds');
    const scaling = resolveTopology(preset('dev')).endpoints[0].scaling;
    expect([scaling.scaleInCooldownSeconds, scaling.scaleOutCooldownSeconds]).toEqual([cooldown, cooldown]);
  });

  it('reports its parameters with their tags', () => {
    const policy = sageMakerTargetTracking(INVOCATIONS);
    expect(policy.cloud).toBe('aws');
    expect(policy.summary).toBe('SageMaker target tracking on SageMakerVariantInvocationsPerInstance = 3600');
    expect(policy.parameters.find((p) => p.name === 'alarm.sagemaker.scale-out-datapoints')).toMatchObject({ value: 3, tag: 'S', source: 'https://github.com/aws/containers-roadmap/issues/1208' });
    expect(policy.parameters.find((p) => p.name === 'decision.sagemaker.scale-in-margin')).toMatchObject({ value: 0.1, tag: 'U' });
    expect(policy.parameters.find((p) => p.name === 'provisioning.cpu-replica-seconds')).toMatchObject({ value: 240 });
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
    const policy = sageMakerTargetTracking({ ...INVOCATIONS, assumptions: assumptionSet('aws', 'base', registerWith({ 'provisioning.cpu-replica-seconds': 600 }, MECHANICS)) });
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

describe('SageMaker target tracking: publish delay, update lock and refused requests', () => {
  it('acts on a datapoint only once it is published', () => {
    const delayed = sageMakerTargetTracking({
      ...INVOCATIONS,
      assumptions: assumptionSet('aws', 'base', registerWith({ 'metric.sagemaker-invocations.publish-delay-seconds': 45 }, MECHANICS)),
    });
    expect(first(drive(delayed, 600, () => ({ rps: 240 })).events, 'scale-out')?.at).toBe(3 * 60 + 45);
  });

  it('holds every scale-out while the endpoint is Updating, so they do not pile up while instances start', () => {
    // Load keeps rising while the first instances start: without the lock each datapoint launches more.
    const rising = (t: number) => ({ rps: 240 + t });
    const lockOn = assumptionSet('aws', 'base', registerWith({ 'sagemaker.endpoint-update-lock': 1 }, MECHANICS));
    const unlocked = drive(sageMakerTargetTracking(INVOCATIONS), 400, rising).events.filter((e) => e.kind === 'scale-out');
    const locked = drive(sageMakerTargetTracking({ ...INVOCATIONS, assumptions: lockOn }), 400, rising).events.filter((e) => e.kind === 'scale-out');
    expect(unlocked.length).toBeGreaterThan(1);
    expect(locked.map((e) => e.at)).toEqual([180]);
    // Once the instances are InService (180 + 240 s) the endpoint takes the next datapoint's scale-out.
    const later = drive(sageMakerTargetTracking({ ...INVOCATIONS, assumptions: lockOn }), 600, rising).events.filter((e) => e.kind === 'scale-out');
    expect(later.map((e) => e.at)).toEqual([180, 420]);
  });

  it("locks the endpoint's other variants too", () => {
    const lockOn = assumptionSet('aws', 'base', registerWith({ 'sagemaker.endpoint-update-lock': 1 }, MECHANICS));
    const shared = new EndpointUpdateLock();
    const busy = sageMakerTargetTracking({ ...INVOCATIONS, assumptions: lockOn, updateLock: shared });
    // The other variant's load breaches a minute later, while the first variant's instances start.
    const other = sageMakerTargetTracking({ ...INVOCATIONS, assumptions: lockOn, updateLock: shared });
    expect(first(drive(busy, 300, () => ({ rps: 240 })).events, 'scale-out')?.at).toBe(180);
    const late = (t: number) => ({ rps: t < 60 ? 60 : 240 });
    expect(first(drive(other, 400, late).events, 'scale-out')).toBeUndefined();
    expect(first(drive(other, 600, late).events, 'scale-out')?.at).toBe(420);
    const alone = sageMakerTargetTracking({ ...INVOCATIONS, assumptions: lockOn });
    expect(first(drive(alone, 400, late).events, 'scale-out')?.at).toBe(240);
  });

  it('counts refused requests toward invocations only when the register says so', () => {
    const refusing = (counted: number) =>
      sageMakerTargetTracking({ ...INVOCATIONS, assumptions: assumptionSet('aws', 'base', registerWith({ 'scaling-metric.counts-refused-requests': counted }, MECHANICS)) });
    // 100 req/s served (below target), 200 req/s refused.
    const run = (policy: ReturnType<typeof refusing>) => {
      let state = policy.start(0);
      const events: ScalingEvent[] = [];
      while (state.clock < 300) {
        const next = Math.min(300, policy.nextEventAt(state));
        const r = policy.advance(state, next, { ...IDLE, requests: 300 * (next - state.clock), rejectedRequests: 200 * (next - state.clock) });
        state = r.state;
        events.push(...r.events);
      }
      return events;
    };
    expect(first(run(refusing(0)), 'scale-out')).toBeUndefined();
    expect(first(run(refusing(1)), 'scale-out')).toMatchObject({ at: 180, to: 5 });
  });
});
