/**
 * Scale to zero in the autoscaling policies (load-tests/autoscaling/scale-to-zero.ts): an endpoint at
 * min 0 goes to zero after its idle period, refuses what arrives at zero, wakes after the registered
 * wake-up time, and the simulator bills only the time a replica was up.
 */
import { describe, expect, it } from 'vitest';
import { assumptionSet, parseTopology, presetInput, resolveTopology, type ResolvedEndpoint } from '../../constructs';
import { policyFor } from '../../load-tests/autoscaling/policy-for-endpoint';
import type { LoadSample } from '../../load-tests/autoscaling/policy';
import { simulateTopology } from '../../load-tests/simulator/simulate';
import { selectProfile } from '../../load-tests/traffic';

const quiet: LoadSample = { requests: 0, rejectedRequests: 0, concurrencyPerReplica: 0, cpuPercent: 0, acceleratorDutyCyclePercent: 0 };
const busy = (requests: number): LoadSample => ({ ...quiet, requests, concurrencyPerReplica: 0.1, cpuPercent: 5, acceleratorDutyCyclePercent: 5 });

function rerankerAtZero(idleSeconds: number): ResolvedEndpoint {
  const input = presetInput('dev');
  input.endpoints[2] = { ...input.endpoints[2], scaling: { ...input.endpoints[2].scaling, min: 0, idleSeconds } };
  return resolveTopology(parseTopology(input)).endpoints[2];
}

/** Runs a policy over `[0, until)` in 1-s steps with `loadAt(t)`; returns the in-service replicas per second. */
function run(cloud: 'aws' | 'gcp', endpoint: ResolvedEndpoint, until: number, loadAt: (t: number) => LoadSample): number[] {
  const policy = policyFor(cloud, endpoint, endpoint.variants[0]);
  let state = policy.start(0);
  const inService: number[] = [];
  for (let t = 0; t < until; t += 1) {
    inService.push(state.fleet.inService);
    state = policy.advance(state, t + 1, loadAt(t)).state;
  }
  return inService;
}

describe('scale to zero in the autoscaling policies', () => {
  it('Vertex: one replica at creation, zero after idleScaledownPeriod without requests', () => {
    const replicas = run('gcp', rerankerAtZero(600), 700, () => quiet);
    expect(replicas[0]).toBe(1);
    expect(replicas.indexOf(0)).toBe(600);
  });

  it('SageMaker: zero after the managed scale-in alarm\'s 15 one-minute datapoints, whatever idleSeconds says', () => {
    const replicas = run('aws', rerankerAtZero(3600), 1000, () => quiet);
    const minutes = assumptionSet('aws').value('alarm.sagemaker.scale-in-datapoints');
    expect(replicas.indexOf(0)).toBe(minutes * 60);
  });

  it.each(['aws', 'gcp'] as const)('%s: a request at zero wakes it; a replica serves the registered wake-up time later', (cloud) => {
    const wake = assumptionSet(cloud).value('scale-to-zero.wake-seconds');
    const idle = 600;
    const firstRequestAt = 2000;
    const replicas = run(cloud, rerankerAtZero(idle), firstRequestAt + wake + 120, (t) => (t === firstRequestAt ? busy(1) : quiet));
    expect(replicas[firstRequestAt]).toBe(0);
    const back = replicas.indexOf(1, firstRequestAt);
    // Woken within one check period of the registered wake-up time (SageMaker looks once a minute).
    expect(back - firstRequestAt).toBeGreaterThanOrEqual(wake);
    expect(back - firstRequestAt).toBeLessThanOrEqual(wake + 60);
  });

  it('keeps replicas while requests keep coming', () => {
    const replicas = run('gcp', rerankerAtZero(300), 1200, (t) => (t % 200 === 0 ? busy(1) : quiet));
    expect(replicas.every((r) => r >= 1)).toBe(true);
  });
});

describe('scale to zero in the simulator', () => {
  it('a sparse breaking-news day: fewer replica-hours at min 0, and the requests that find it at zero are refused', () => {
    const day = (min: number) => {
      const input = presetInput('dev');
      input.endpoints[2] = { ...input.endpoints[2], scaling: { ...input.endpoints[2].scaling, min, ...(min === 0 && { idleSeconds: 900 }) }, traffic: { peakRequestsPerSecond: 0.01 } };
      return simulateTopology(resolveTopology(parseTopology(input)), { profile: selectProfile('breaking-news', {}), endpoints: ['reranker'] });
    };
    const [always, zero] = [day(1), day(0)];
    for (const cloud of ['aws', 'gcp'] as const) {
      const on = always.clouds[cloud]!.endpoints.reranker;
      const off = zero.clouds[cloud]!.endpoints.reranker;
      expect(on.droppedRequests, cloud).toBe(0);
      expect(off.droppedRequests, cloud).toBeGreaterThan(0);
      expect(off.replicaHours, cloud).toBeLessThan(on.replicaHours);
      expect(off.series.some((m) => m.replicas === 0), cloud).toBe(true);
    }
  });
});
