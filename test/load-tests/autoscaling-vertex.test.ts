import { describe, expect, it } from 'vitest';
import { ASSUMPTIONS, assumptionSet, VERTEX_METRICS, withAssumption, type Assumption } from '../../constructs';
import type { LoadSample, ScalingEvent } from '../../load-tests/autoscaling/policy';
import { withVertexDefaults } from '../../load-tests/autoscaling/policy-for-endpoint';
import {
  VERTEX_MIN_REPLICAS_FLOOR,
  VERTEX_REQUEST_COUNT_PER_SECONDS,
  vertexAutoscaler,
  type VertexPolicyConfig,
  type VertexState,
} from '../../load-tests/autoscaling/vertex-autoscaler';

interface Utilisation {
  readonly cpu?: number;
  readonly duty?: number;
  readonly rps?: number;
}

function drive(config: VertexPolicyConfig, until: number, load: (t: number) => Utilisation, start?: VertexState) {
  const policy = vertexAutoscaler(config);
  let state = start ?? policy.start(0);
  const events: ScalingEvent[] = [];
  while (state.clock < until) {
    const t = state.clock;
    const next = Math.min(until, t + 1, policy.nextEventAt(state));
    const u = load(t);
    const sample: LoadSample = {
      requests: (u.rps ?? 0) * (next - t),
      rejectedRequests: 0,
      concurrencyPerReplica: 0,
      cpuPercent: u.cpu ?? 0,
      acceleratorDutyCyclePercent: u.duty ?? 0,
    };
    const r = policy.advance(state, next, sample);
    state = r.state;
    events.push(...r.events);
  }
  return { state, events };
}

/** The register with some values changed. */
function registerWith(values: Readonly<Record<string, number>>, register: readonly Assumption[] = ASSUMPTIONS): readonly Assumption[] {
  return Object.entries(values).reduce((r, [name, value]) => withAssumption(r, name, 'gcp', value), register);
}

/**
 * The recommendation mechanics alone: each evaluation sees the 15 s just gone, no tolerance band,
 * round start times. Tests of sampling, delay and tolerance switch them back on.
 */
const MECHANICS = registerWith({
  'metric.vertex-utilisation.sample-period-seconds': 15,
  'metric.vertex-utilisation.publish-delay-seconds': 0,
  'metric.vertex-request-count.sample-period-seconds': 15,
  'metric.vertex-request-count.publish-delay-seconds': 0,
  'decision.tolerance': 0,
  'provisioning.cpu-replica-seconds': 120,
  'provisioning.gpu-replica-seconds': 300,
});

const CPU: VertexPolicyConfig = {
  metricSpecs: [{ metricName: VERTEX_METRICS.cpu, target: 60 }],
  minReplicas: 2,
  maxReplicas: 10,
  family: 'cpu',
  assumptions: assumptionSet('gcp', 'base', MECHANICS),
};

const GPU: VertexPolicyConfig = {
  metricSpecs: [
    { metricName: VERTEX_METRICS.cpu, target: 60 },
    { metricName: VERTEX_METRICS.gpu, target: 60 },
  ],
  minReplicas: 2,
  maxReplicas: 10,
  family: 'gpu',
  assumptions: assumptionSet('gcp', 'base', MECHANICS),
};

describe('Vertex autoscaling: documented parameters', () => {
  it('reads its numbers from the assumption register', () => {
    const base = assumptionSet('gcp');
    expect(base.value('autoscaler.vertex.evaluation-interval-seconds')).toBe(15);
    expect(base.value('stabilisation.vertex.scale-down-window-seconds')).toBe(300);
    expect(base.value('metric.vertex-utilisation.sample-period-seconds')).toBe(60);
    expect(VERTEX_MIN_REPLICAS_FLOOR).toBe(1);
    expect(VERTEX_REQUEST_COUNT_PER_SECONDS).toBe(60);
  });

  it('rejects a minimum below one replica and metrics it cannot model', () => {
    expect(() => vertexAutoscaler({ ...CPU, minReplicas: 0 })).toThrow('minReplicas: must be an integer >= 1, got 0');
    expect(() => vertexAutoscaler({ ...CPU, metricSpecs: [{ metricName: 'pubsub.googleapis.com/subscription/num_undelivered_messages', target: 10 }] })).toThrow(
      /metricSpecs\[0\]\.metricName: the simulator models .*; got pubsub/,
    );
  });
});

describe('Vertex autoscaling: scale-up', () => {
  it('re-evaluates every 15 s: a breach at 0 s scales up at the first evaluation, ceil(n × util / target)', () => {
    const { events } = drive(CPU, 60, () => ({ cpu: 90 }));
    const outs = events.filter((e) => e.kind === 'scale-out');
    expect(outs[0]).toMatchObject({ at: 15, from: 2, to: 3 });
    expect(outs[0].reason).toContain('cpu/utilization 90 vs target 60 → 3');
    expect(events.every((e) => e.kind === 'replicas-ready' || e.at % 15 === 0)).toBe(true);
  });

  it('brings replicas into service after the replica start time', () => {
    const { state, events } = drive(CPU, 15 + 120, () => ({ cpu: 90 }));
    expect(events.filter((e) => e.kind === 'replicas-ready')).toEqual([{ at: 135, kind: 'replicas-ready', from: 2, to: 3, reason: 'replicas serving' }]);
    expect(state.fleet.inService).toBe(3);
    const before = drive(CPU, 134, () => ({ cpu: 90 }));
    expect(before.state.fleet.inService).toBe(2);
  });

  it('scales a GPU model up when either CPU or duty cycle is above target', () => {
    expect(drive(GPU, 16, () => ({ cpu: 30, duty: 90 })).events[0]).toMatchObject({ at: 15, to: 3 });
    expect(drive(GPU, 16, () => ({ cpu: 90, duty: 30 })).events[0]).toMatchObject({ at: 15, to: 3 });
  });

  it('counts request_count as requests per minute per replica', () => {
    const requests: VertexPolicyConfig = { ...CPU, metricSpecs: [{ metricName: VERTEX_METRICS.requests, target: 600 }] };
    // 2 replicas at 40 req/s each = 2400 per minute per replica: 4 × the target.
    expect(drive(requests, 16, () => ({ rps: 80 })).events[0]).toMatchObject({ at: 15, to: 8 });
  });

  it('clamps to the maximum', () => {
    expect(drive(CPU, 16, () => ({ cpu: 100 * 10 })).events[0]).toMatchObject({ to: 10 });
  });
});

describe('Vertex autoscaling: scale-down', () => {
  const peak = () => drive(CPU, 600, () => ({ cpu: 100 }));

  it('scales down only after the 5-minute stabilisation window', () => {
    const high = peak();
    expect(high.state.fleet.inService).toBe(10);
    const { events } = drive(CPU, 1200, () => ({ cpu: 12 }), high.state);
    const down = events.find((e) => e.kind === 'scale-in');
    // The last high recommendation was made at 600 s; it leaves the window 300 s later.
    expect(down).toMatchObject({ at: 600 + 300, from: 10, to: 2 });
    expect(down?.reason).toContain('largest recommendation of the last 300 s is 2');
  });

  it('keeps the largest recommendation of the window: a brief spike holds capacity for 5 minutes', () => {
    const high = peak();
    const blip = (t: number) => ({ cpu: t >= 700 && t < 715 ? 90 : 12 });
    const downs = drive(CPU, 1500, blip, high.state).events.filter((e) => e.kind === 'scale-in');
    // The blip's recommendation (made at 715 s) holds all 10 replicas until the first evaluation after 1015 s.
    expect(downs.map((e) => [e.at, e.from, e.to])).toEqual([[1020, 10, 2]]);
  });

  it('scales a GPU model down only when both CPU and duty cycle are below target', () => {
    const high = drive(GPU, 600, () => ({ cpu: 100, duty: 100 }));
    const dutyBusy = drive(GPU, 1500, () => ({ cpu: 10, duty: 100 }), high.state).events;
    expect(dutyBusy.some((e) => e.kind === 'scale-in')).toBe(false);
    const bothIdle = drive(GPU, 1500, () => ({ cpu: 10, duty: 10 }), high.state).events;
    expect(bothIdle.find((e) => e.kind === 'scale-in')).toMatchObject({ at: 900, to: 2 });
  });
});

describe('Vertex utilisation defaults beside the listed specs', () => {
  it('keeps CPU at 60 % (and duty cycle on a GPU) unless the deployment lists them', () => {
    const requests = [{ metricName: VERTEX_METRICS.requests, target: 4800 }];
    expect(withVertexDefaults(requests, true)).toEqual([
      ...requests,
      { metricName: VERTEX_METRICS.cpu, target: 60 },
      { metricName: VERTEX_METRICS.gpu, target: 60 },
    ]);
    expect(withVertexDefaults([{ metricName: VERTEX_METRICS.cpu, target: 45 }], false)).toEqual([{ metricName: VERTEX_METRICS.cpu, target: 45 }]);
  });
});

describe('Vertex autoscaling: metric sampling, publish delay and tolerance', () => {
  const sampled = (values: Readonly<Record<string, number>>): VertexPolicyConfig => ({ ...CPU, assumptions: assumptionSet('gcp', 'base', registerWith(values, MECHANICS)) });

  it('sees a 60-s sample only once it is published, and acts at the next evaluation', () => {
    const sixtySeconds = { 'metric.vertex-utilisation.sample-period-seconds': 60 };
    expect(drive(sampled(sixtySeconds), 120, () => ({ cpu: 90 })).events[0]).toMatchObject({ at: 60, kind: 'scale-out' });
    const delayed = sampled({ ...sixtySeconds, 'metric.vertex-utilisation.publish-delay-seconds': 100 });
    // Sample [0, 60) is visible at 160 s; the evaluation at 165 s is the first to see it.
    expect(drive(delayed, 159, () => ({ cpu: 90 })).events).toEqual([]);
    expect(drive(delayed, 300, () => ({ cpu: 90 })).events[0]).toMatchObject({ at: 165, kind: 'scale-out', to: 3 });
  });

  it('does not pile up scale-outs on a stale sample while the new replicas start', () => {
    const delayed = sampled({ 'metric.vertex-utilisation.sample-period-seconds': 60, 'metric.vertex-utilisation.publish-delay-seconds': 180 });
    const outs = drive(delayed, 400, () => ({ cpu: 90 })).events.filter((e) => e.kind === 'scale-out');
    // Samples taken on 2 replicas at 90 % keep recommending 3, which is already desired.
    expect(outs.map((e) => [e.at, e.to])).toEqual([[240, 3]]);
  });

  it('keeps its replicas while the metric is within the tolerance of target, and scales beyond it', () => {
    // 66 % against a 60 % target is 10 % off.
    const tolerant = sampled({ 'decision.tolerance': 0.15 });
    expect(drive(tolerant, 300, () => ({ cpu: 66 })).events).toEqual([]);
    expect(drive(sampled({ 'decision.tolerance': 0.05 }), 300, () => ({ cpu: 66 })).events[0]).toMatchObject({ at: 15, kind: 'scale-out', to: 3 });
    expect(drive(tolerant, 300, () => ({ cpu: 90 })).events[0]?.reason).toContain('cpu/utilization 90 vs target 60 → 3');
  });

  it('counts refused requests toward request_count only when the register says so', () => {
    const requests = (counted: number): VertexPolicyConfig => ({
      ...sampled({ 'scaling-metric.counts-refused-requests': counted }),
      metricSpecs: [{ metricName: VERTEX_METRICS.requests, target: 600 }],
    });
    const run = (config: VertexPolicyConfig) => {
      const policy = vertexAutoscaler(config);
      // 10 req/s served (300 per minute per replica, half the target), 70 req/s refused.
      return policy.advance(policy.start(0), 15, { requests: 80 * 15, rejectedRequests: 70 * 15, concurrencyPerReplica: 0, cpuPercent: 0, acceleratorDutyCyclePercent: 0 }).events;
    };
    expect(run(requests(0))).toEqual([]);
    expect(run(requests(1))[0]).toMatchObject({ kind: 'scale-out', to: 8 });
  });
});
