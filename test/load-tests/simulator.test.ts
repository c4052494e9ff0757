/**
 * The simulator end to end on small topologies: determinism, conservation, the spike reaction
 * each cloud's policy implies, over-capacity drops, and measured capacity from the load tests' files.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASSUMPTIONS, assumptionSet, preset, resolveTopology, withAssumption, type ResolvedTopology } from '../../constructs';
import type { CapacityResult } from '../../load-tests/generator/find-capacity';
import { loadCapacityFiles } from '../../load-tests/simulator/capacity-file';
import { simulateTopology, violatesSlo } from '../../load-tests/simulator/simulate';
import type { EndpointSimulation, SimulationResult } from '../../load-tests/simulator/simulation-result';
import { builtinSchedule } from '../../load-tests/traffic/builtin-profiles';
import { fakeResult } from './result-fixture';

const dev = resolveTopology(preset('dev'));
/** A 2-hour breaking-news window: the spike starts at minute 72. */
const spikeProfile = builtinSchedule('breaking-news', { hours: 2 });

let day: SimulationResult;
beforeAll(() => {
  day = simulateTopology(dev, { profile: spikeProfile, seed: 5 });
});

const endpointsOf = (r: SimulationResult) =>
  (['aws', 'gcp'] as const).flatMap((cloud) => Object.entries(r.clouds[cloud]?.endpoints ?? {}).map(([name, e]) => ({ cloud, name, e })));

describe('simulateTopology', () => {
  it('is deterministic for a seed, and a different seed gives a different day', () => {
    expect(simulateTopology(dev, { profile: spikeProfile, seed: 5 })).toEqual(day);
    const other = simulateTopology(dev, { profile: spikeProfile, seed: 6, clouds: ['aws'], endpoints: ['ranker'] });
    expect(other.clouds.aws!.endpoints.ranker.arrivals).not.toBe(day.clouds.aws!.endpoints.ranker.arrivals);
  });

  it('conserves requests: arrivals = served + dropped, and the per-minute series adds up to the totals', () => {
    for (const { e } of endpointsOf(day)) {
      expect(e.servedRequests + e.droppedRequests).toBe(e.arrivals);
      expect(e.series.reduce((s, p) => s + p.arrivals, 0)).toBe(e.arrivals);
      expect(e.series.reduce((s, p) => s + p.dropped, 0)).toBe(e.droppedRequests);
      expect(e.series).toHaveLength(120);
      expect(e.replicaHours).toBeCloseTo(e.variants.reduce((s, v) => s + v.replicaLifetimesSeconds.reduce((a, b) => a + b, 0), 0) / 3600, 9);
      expect(e.sloViolationMinutes).toBe(e.series.filter((p) => violatesSlo(p, e.slo)).length);
    }
  });

  it('runs small pools request by request and reports the profile it ran', () => {
    expect(day.profile).toMatchObject({ name: 'breaking-news', hours: 2, minutes: 120, spikeStartMinute: 72 });
    expect(endpointsOf(day).every(({ e }) => e.variants.every((v) => v.method === 'exact'))).toBe(true);
    expect(day.clouds.aws!.rejectedAs).toBe('ThrottlingException');
    expect(day.clouds.gcp!.rejectedAs).toBe('dropped');
  });

  it('rejects an endpoint the topology does not have', () => {
    expect(() => simulateTopology(dev, { profile: spikeProfile, endpoints: ['scorer'] })).toThrow('no endpoint scorer in news; endpoints: ranker, embedder, reranker');
  });
});

describe('the spike: both clouds scale out with the delays their policies imply', () => {
  const spikeStart = 72 * 60;
  const firstAfterSpike = (e: EndpointSimulation, kind: 'scale-out' | 'replicas-ready') => e.scalingEvents.find((s) => s.kind === kind && s.atSeconds >= spikeStart);

  const aws = assumptionSet('aws');
  const gcp = assumptionSet('gcp');
  const invocationsDelay = aws.value('metric.sagemaker-invocations.publish-delay-seconds');
  const concurrencyDelay = aws.value('metric.sagemaker-concurrency.publish-delay-seconds');
  // Vertex sees a sample one sample period after it starts plus the publish delay.
  const vertexFirstSample = gcp.value('metric.vertex-request-count.sample-period-seconds') + gcp.value('metric.vertex-request-count.publish-delay-seconds');
  const cpuStart = aws.value('provisioning.cpu-replica-seconds');
  const gpuStart = aws.value('provisioning.gpu-replica-seconds');

  it.each([
    // cloud, endpoint, decision granularity (s), fewest seconds to a decision, provisioning (s)
    ['aws', 'ranker', 60, 3 * 60 + invocationsDelay, cpuStart],
    ['aws', 'embedder', 10, 3 * 10 + concurrencyDelay, gpuStart],
    ['gcp', 'ranker', 15, vertexFirstSample, cpuStart],
    ['gcp', 'reranker', 15, vertexFirstSample, gpuStart],
  ] as const)('%s %s: decisions on %d-s boundaries, at least %d s after the spike, capacity %d s later', (cloud, name, granularity, earliest, provisioning) => {
    const e = day.clouds[cloud]!.endpoints[name];
    const out = firstAfterSpike(e, 'scale-out');
    const ready = firstAfterSpike(e, 'replicas-ready');
    expect(out).toBeDefined();
    expect(out!.atSeconds % granularity).toBe(0);
    expect(out!.atSeconds - spikeStart).toBeGreaterThanOrEqual(earliest);
    expect(ready!.atSeconds).toBe(out!.atSeconds + provisioning);
    // The series (replicas at the end of each minute) shows the new replica from the minute it serves in, not before.
    const readyMinute = Math.ceil(ready!.atSeconds / 60) - 1;
    expect(e.series[readyMinute - 1].replicas).toBeLessThan(e.series[readyMinute].replicas);
    expect(e.series[readyMinute - 1].desiredReplicas).toBe(e.series[readyMinute].replicas);
  });

  it('starts replicas of one family as fast on both clouds: no source tells them apart', () => {
    for (const name of ['ranker', 'reranker'] as const) {
      const wait = (cloud: 'aws' | 'gcp') => firstAfterSpike(day.clouds[cloud]!.endpoints[name], 'replicas-ready')!.atSeconds - firstAfterSpike(day.clouds[cloud]!.endpoints[name], 'scale-out')!.atSeconds;
      expect(wait('aws'), name).toBe(wait('gcp'));
    }
  });

  it('holds SageMaker scale-outs while the endpoint is Updating: none while its instances start', () => {
    const staging = resolveTopology(preset('staging'));
    const piledUp = (lock: number) => {
      const set = assumptionSet('aws', 'base', withAssumption(ASSUMPTIONS, 'sagemaker.endpoint-update-lock', 'aws', lock));
      const r = simulateTopology(staging, { profile: spikeProfile, seed: 5, clouds: ['aws'], assumptions: { aws: set } });
      return Object.values(r.clouds.aws!.endpoints).flatMap((e) =>
        e.scalingEvents
          .filter((x) => x.kind === 'scale-out')
          .flatMap((out) => {
            const ready = e.scalingEvents.find((x) => x.kind === 'replicas-ready' && x.atSeconds > out.atSeconds)!;
            return e.scalingEvents.filter((x) => x.kind === 'scale-out' && x.atSeconds > out.atSeconds && x.atSeconds < ready.atSeconds);
          }),
      );
    };
    // Without the lock, scale-outs pile up on datapoints taken before the new instances serve.
    expect(piledUp(0).length).toBeGreaterThan(0);
    expect(piledUp(1)).toEqual([]);
  });
});

describe('capacity limits', () => {
  it('drops (Vertex) or throttles (SageMaker) what max replicas cannot serve', () => {
    const ranker = dev.endpoints.find((e) => e.name === 'ranker')!;
    // dev ranker: 2 replicas × 4 slots of a 25 ms median: ≈ 305 req/s at most; offer three times that.
    const offered = 915;
    const r = simulateTopology(dev, { profile: builtinSchedule('steady', { hours: 0.5 }), endpoints: ['ranker'], peakRequestsPerSecond: offered, method: 'fluid' });
    for (const cloud of ['aws', 'gcp'] as const) {
      const e = r.clouds[cloud]!.endpoints.ranker;
      const late = e.series.slice(-10);
      expect(late.every((p) => p.replicas === ranker.scaling.max)).toBe(true);
      const share = late.reduce((s, p) => s + p.dropped, 0) / late.reduce((s, p) => s + p.arrivals, 0);
      expect(share).toBeGreaterThan(0.6);
      expect(share).toBeLessThan(0.72);
      expect(e.sloViolationMinutes).toBe(30);
    }
  });
});

describe('--capacity: service times and capacity from the load tests\' files', () => {
  let dir: string;
  let topology: ResolvedTopology;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'capacity-'));
    topology = resolveTopology(preset('dev'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, value: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
    return path;
  };
  /** A genuine `loadtest --out` result: 60 req/s, 50 ms with every 50th request at 100 ms. */
  const loadTest = () => fakeResult({ rate: 60, seconds: 10, endpoint: 'ranker', latencyMs: (k) => (k % 50 === 0 ? 100 : 50) });
  const names = () => topology.endpoints.map((e) => e.name);

  it('replaces the service-time model and slots with the measured p50, p99 and achieved rate', () => {
    const { p50, p99 } = loadTest().latencyMs.uncorrected;
    expect(p50).toBeCloseTo(50, 1);
    expect(p99).toBeCloseTo(100, 0);
    const capacity = loadCapacityFiles([write('r.json', loadTest())], names());
    expect(capacity.ranker.serviceTime).toEqual({ medianMs: p50, logSigma: Math.log(p99 / p50) / 2.3263478740408408 });
    const r = simulateTopology(topology, { profile: builtinSchedule('steady', { hours: 0.25 }), endpoints: ['ranker'], clouds: ['gcp'], capacity });
    const v = r.clouds.gcp!.endpoints.ranker.variants[0];
    expect(v.serviceTime.medianMs).toBe(p50);
    // 60 req/s × 52.3 ms mean service ≈ 3 requests at once.
    expect(v.concurrencyPerReplica).toBe(3);
    expect(r.clouds.gcp!.endpoints.ranker.p50Ms).toBeGreaterThan(45);
  });

  it('takes a capacity search\'s per-replica rate and keeps the topology\'s service time', () => {
    const search: CapacityResult & { kind: 'capacity'; endpoint: string } = {
      kind: 'capacity',
      endpoint: 'embedder',
      maxRequestsPerSecond: 400,
      replicas: 2,
      maxRequestsPerSecondPerReplica: 200,
      slo: { p99Ms: 250, errorRate: 0.005 },
      limitedBy: 'latency-or-errors',
      steps: [],
    };
    const capacity = loadCapacityFiles([write('cap.json', search)], names());
    expect(capacity.embedder).toEqual({ source: expect.stringContaining('cap.json'), requestsPerSecondPerReplica: 200 });
    const r = simulateTopology(topology, { profile: builtinSchedule('steady', { hours: 0.1 }), endpoints: ['embedder'], clouds: ['aws'], capacity });
    // 200 req/s × 31.4 ms (the topology's 30 ms median, σ 0.3) ≈ 6 slots.
    expect(r.clouds.aws!.endpoints.embedder.variants[0]).toMatchObject({ concurrencyPerReplica: 6, serviceTime: { medianMs: 30 } });
  });

  it('takes the endpoint from the flag, and explains what is wrong with a file', () => {
    const other = write('other.json', loadTest());
    expect(Object.keys(loadCapacityFiles([`embedder=${other}`], names()))).toEqual(['embedder']);
    const url = write('url.json', { ...loadTest(), target: { kind: 'http', endpoint: 'http://127.0.0.1:1/invocations', client: 'test' } });
    expect(() => loadCapacityFiles([url], names())).toThrow('no endpoint "http://127.0.0.1:1/invocations" in the topology (endpoints: ranker, embedder, reranker); write --capacity <endpoint>=');
    expect(() => loadCapacityFiles([other, other], names())).toThrow('endpoint "ranker" is given twice');
    expect(() => loadCapacityFiles([write('bad.json', '{')], names())).toThrow(/bad.json: not valid JSON/);
    expect(() => loadCapacityFiles([write('nolat.json', { target: { endpoint: 'ranker' }, achievedRate: 5 })], names())).toThrow(
      /neither a load-test result \(loadtest --out\) nor a capacity search \(loadtest --find-capacity --out\): latencyMs: /,
    );
  });
});
