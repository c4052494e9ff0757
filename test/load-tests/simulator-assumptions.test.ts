/**
 * The simulator reads each cloud's assumptions from the register: a custom AssumptionSet changes
 * what it simulates, and both clouds' targets come from the same capacity figure.
 */
import { describe, expect, it } from 'vitest';
import { ASSUMPTIONS, assumptionSet, preset, requestsPerSecondAtConcurrency, resolveTopology, VERTEX_METRICS, withAssumption } from '../../constructs';
import { simulateTopology } from '../../load-tests/simulator/simulate';
import { builtinSchedule } from '../../load-tests/traffic/builtin-profiles';

const dev = resolveTopology(preset('dev'));
const spike = builtinSchedule('breaking-news', { hours: 2 });
const only = { profile: spike, seed: 3, endpoints: ['embedder'] } as const;

describe('the simulator reads the assumption register', () => {
  it('starts replicas as slowly as the provisioning assumption says, on either cloud', () => {
    for (const cloud of ['aws', 'gcp'] as const) {
      const base = simulateTopology(dev, { ...only, clouds: [cloud] }).clouds[cloud]!.endpoints.embedder;
      const slow = assumptionSet(cloud, 'base', withAssumption(ASSUMPTIONS, 'provisioning.gpu-replica-seconds', 'both', 900));
      const slower = simulateTopology(dev, { ...only, clouds: [cloud], assumptions: { [cloud]: slow } }).clouds[cloud]!.endpoints.embedder;
      const out = base.scalingEvents.find((e) => e.kind === 'scale-out')!;
      const ready = (events: typeof base.scalingEvents) => events.find((e) => e.kind === 'replicas-ready')!.atSeconds;
      expect(ready(base.scalingEvents) - out.atSeconds, cloud).toBe(assumptionSet(cloud).value('provisioning.gpu-replica-seconds'));
      expect(ready(slower.scalingEvents) - slower.scalingEvents.find((e) => e.kind === 'scale-out')!.atSeconds, cloud).toBe(900);
    }
  });

  it("uses each cloud's own set: a set given for one cloud leaves the other as it was", () => {
    const base = simulateTopology(dev, only);
    // Every metric Vertex may scale on here (request count, and the accelerator's duty cycle) seen later.
    const late = withAssumption(withAssumption(ASSUMPTIONS, 'metric.vertex-request-count.publish-delay-seconds', 'gcp', 360), 'metric.vertex-utilisation.publish-delay-seconds', 'gcp', 360);
    const lateVertex = assumptionSet('gcp', 'base', late);
    const changed = simulateTopology(dev, { ...only, assumptions: { gcp: lateVertex } });
    expect(changed.clouds.aws).toEqual(base.clouds.aws);
    const firstOut = (r: typeof base) => r.clouds.gcp!.endpoints.embedder.scalingEvents.find((e) => e.kind === 'scale-out')!.atSeconds;
    expect(firstOut(changed)).toBeGreaterThan(firstOut(base));
    expect(changed.clouds.gcp!.endpoints.embedder.policy.parameters.find((p) => p.name === 'metric.vertex-request-count.publish-delay-seconds')?.value).toBe(360);
  });
});

describe('targets from one capacity figure', () => {
  it('gives every concurrency-target endpoint of prod the same request rate per replica on both clouds', () => {
    const prod = resolveTopology(preset('prod'));
    const concurrency = prod.endpoints.filter((e) => e.scaling.target.metric === 'concurrency' && e.mode === 'realtime');
    expect(concurrency.map((e) => e.name)).toEqual(['embedder', 'reranker']);
    for (const e of concurrency) {
      const perReplica = requestsPerSecondAtConcurrency(e.variants[0].aws.scalingTargetValue, e.variants[0].performance.serviceTimeMs);
      const vertex = e.gcp.autoscalingMetricSpecs.find((s) => s.metricName === VERTEX_METRICS.requests)!;
      // SageMaker tracks the concurrency itself; Vertex's per-minute request target is the same rate (to its integer rounding).
      expect(Math.abs(vertex.target / 60 - perReplica), e.name).toBeLessThan(1 / 60);
    }
  });
});
