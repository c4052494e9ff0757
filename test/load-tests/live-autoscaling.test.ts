/**
 * The emulator's live autoscaling on a fake clock: the simulator's policies drive the replica
 * pools with compressed time, and a scale-out lands at the policy's own times divided by the
 * time scale.
 */
import { describe, expect, it } from 'vitest';
import { ASSUMPTIONS, assumptionSet, preset, resolveTopology, withAssumption, type AssumptionSet, type Cloud } from '../../constructs';
import { ManualClock } from '../../load-tests/clock/manual-clock';
import { startLiveAutoscaling, type LiveScalingEvent, type ScalableEndpoint, type ScalablePool } from '../../load-tests/emulator';
import type { PoolMetrics } from '../../load-tests/emulator/replica-pool';

/** A pool serving a steady real rate with a fixed utilisation, counting as ReplicaPool counts. */
class SteadyPool implements ScalablePool {
  private replicas = 1;
  private at: number;
  private totals = { invocations: 0, replicaMs: 0, busyMs: 0, outstandingMs: 0 };
  readonly resizes: { atMs: number; replicas: number }[] = [];

  constructor(
    private readonly clock: ManualClock,
    private readonly requestsPerSecond: number,
    private readonly busySlots: number,
  ) {
    this.at = clock.now();
  }

  metrics(): PoolMetrics {
    const now = this.clock.now();
    const ms = now - this.at;
    this.at = now;
    this.totals.invocations += (this.requestsPerSecond * ms) / 1000;
    this.totals.replicaMs += this.replicas * ms;
    this.totals.busyMs += this.busySlots * ms;
    this.totals.outstandingMs += this.busySlots * ms;
    return {
      atMs: now,
      replicas: { inService: this.replicas, provisioning: 0, draining: 0 },
      concurrencyPerReplica: 4,
      inFlight: 0,
      queued: 0,
      invocations: this.totals.invocations,
      completed: this.totals.invocations,
      throttled: 0,
      notReady: 0,
      busyMs: this.totals.busyMs,
      outstandingMs: this.totals.outstandingMs,
      replicaMs: this.totals.replicaMs,
    };
  }

  resize(targetReplicas: number): void {
    this.metrics();
    if (targetReplicas !== this.replicas) this.resizes.push({ atMs: this.clock.now(), replicas: targetReplicas });
    this.replicas = targetReplicas;
  }
}

function drive(cloud: Cloud, endpointName: string, requestsPerSecond: number, timeScale: number, realSeconds: number, assumptions?: AssumptionSet) {
  const clock = new ManualClock();
  const endpoint = resolveTopology(preset('dev')).endpoints.find((e) => e.name === endpointName)!;
  const pool = new SteadyPool(clock, requestsPerSecond, 2);
  const endpoints: ScalableEndpoint[] = [{ name: endpoint.name, resolved: endpoint, variants: [{ name: 'primary', resolved: endpoint.variants[0], pool }] }];
  const events: (LiveScalingEvent & { realMs: number })[] = [];
  const live = startLiveAutoscaling(endpoints, { cloud, timeScale, clock, assumptions, onEvent: (e) => events.push({ ...e, realMs: clock.now() }) });
  clock.advanceTo(realSeconds * 1000);
  live.stop();
  return { events, pool, fleets: live.fleets() };
}

describe('emulate --autoscale: live autoscaling with time compression', () => {
  it('scales a SageMaker variant out after three published one-minute datapoints and serves the new instance after its provisioning delay', () => {
    // dev ranker: invocations target 3600 per instance-minute; 200 req/s is 12,000 per minute on one instance.
    const { events, pool, fleets } = drive('aws', 'ranker', 200, 60, 10);
    const out = events.find((e) => e.kind === 'scale-out')!;
    const ready = events.find((e) => e.kind === 'replicas-ready')!;
    const base = assumptionSet('aws');
    // The third datapoint closes at 180 s and is published 60 s later.
    expect(out).toMatchObject({ cloud: 'aws', endpoint: 'ranker', variant: 'primary', at: 180 + base.value('metric.sagemaker-invocations.publish-delay-seconds'), from: 1, to: 2 });
    // A CPU replica starts in 180 s (the assumption register): ready at 420 policy seconds, 7 real seconds at ×60.
    expect(ready).toMatchObject({ at: out.at + base.value('provisioning.cpu-replica-seconds'), to: 2 });
    expect(ready.at).toBe(420);
    expect(pool.resizes).toEqual([{ atMs: 7000, replicas: 2 }]);
    expect(fleets['ranker/primary']).toEqual({ inService: 2, desired: 2 });
  });

  it('compresses the same policy timeline by the time scale', () => {
    const slow = drive('aws', 'ranker', 200, 60, 10);
    const fast = drive('aws', 'ranker', 200, 600, 1);
    expect(fast.events.map((e) => [e.kind, e.at])).toEqual(slow.events.map((e) => [e.kind, e.at]));
    expect(fast.pool.resizes).toEqual([{ atMs: 700, replicas: 2 }]);
  });

  it('leaves a variant alone while its load stays under the target', () => {
    // 30 req/s is 1,800 invocations per minute on one instance, half the target.
    const { events, pool } = drive('aws', 'ranker', 30, 60, 10);
    expect(events).toEqual([]);
    expect(pool.resizes).toEqual([]);
  });

  it('drives a Vertex deployed model by its 15-second evaluations of published samples', () => {
    // dev embedder on Vertex: request_count target about 7,650 per replica-minute; 200 req/s is 12,000.
    const { events, pool } = drive('gcp', 'embedder', 200, 60, 10);
    // The first 60-s sample closes at 60 s and is visible 180 s later, at the evaluation of 240 s.
    expect(events.find((e) => e.kind === 'scale-out')).toMatchObject({ cloud: 'gcp', at: 240, to: 2 });
    // A GPU replica starts in 300 s: ready at 540 policy seconds, 9 real seconds at ×60.
    expect(events.find((e) => e.kind === 'replicas-ready')).toMatchObject({ at: 540 });
    expect(pool.resizes).toEqual([{ atMs: 9000, replicas: 2 }]);
  });

  it('reads the assumptions it is given, as the simulator does', () => {
    const slowStart = assumptionSet('aws', 'base', withAssumption(ASSUMPTIONS, 'provisioning.cpu-replica-seconds', 'both', 360));
    const { events } = drive('aws', 'ranker', 200, 60, 12, slowStart);
    expect(events.find((e) => e.kind === 'replicas-ready')).toMatchObject({ at: 240 + 360 });
  });

  it('fails when the time scale is not positive', () => {
    expect(() => drive('aws', 'ranker', 1, 0, 1)).toThrow('timeScale: must be > 0, got 0');
  });
});
