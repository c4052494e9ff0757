import { describe, expect, it } from 'vitest';
import { DEFAULT_ERROR_THRESHOLD, evaluateThresholds, parseThreshold, parseThresholds, withDefaultErrorThreshold, type Threshold } from '../../load-tests/generator/thresholds';
import { formatTextReport } from '../../load-tests/generator/reporters/text-report';
import { fakeResult, fakeShard } from './result-fixture';
import { DEFAULT_HEALTH_LIMITS, summarizeShards } from '../../load-tests/generator/summarize';
import { describeSchedule } from '../../load-tests/generator/arrivals';
import { steadySchedule } from '../../load-tests/traffic/traffic-schedule';

function parsed(expression: string): Threshold {
  const t = parseThreshold(expression);
  if (typeof t === 'string') throw new Error(t);
  return t;
}

describe('thresholds', () => {
  it('parse latency, outcome and rate metrics with their units', () => {
    expect(parsed('p99<250ms')).toMatchObject({ metric: { kind: 'latency', name: 'p99', corrected: true }, operator: '<', value: 250 });
    expect(parsed('max <= 1.5s')).toMatchObject({ metric: { name: 'max' }, operator: '<=', value: 1500 });
    expect(parsed('p50<20')).toMatchObject({ value: 20 });
    expect(parsed('uncorrected.p999<80ms')).toMatchObject({ metric: { kind: 'latency', name: 'p999', corrected: false } });
    expect(parsed('errors<0.01')).toMatchObject({ metric: { kind: 'fraction', name: 'errors' }, value: 0.01 });
    expect(parsed('throttled<0.5%')).toMatchObject({ metric: { kind: 'fraction', name: 'throttled' }, value: 0.005 });
    expect(parsed('achievedRate>=490')).toMatchObject({ metric: { kind: 'rate' }, operator: '>=', value: 490 });
  });

  it('reject bad expressions, each with a reason', () => {
    const { thresholds, errors } = parseThresholds(['p98<1ms', 'p99<10%', 'errors<5ms', 'errors<2', 'uncorrected.errors<0.1', 'p99=5', 'achievedRate>5s', 'p95<100ms']);
    expect(thresholds.map((t) => t.expression)).toEqual(['p95<100ms']);
    expect(errors).toEqual([
      expect.stringMatching(/^--threshold "p98<1ms": unknown metric "p98"/),
      expect.stringMatching(/"p99<10%": a latency takes ms or s, not %/),
      expect.stringMatching(/"errors<5ms": errors is a fraction of requests, not a duration/),
      expect.stringMatching(/"errors<2": errors is a fraction between 0 and 1/),
      expect.stringMatching(/"uncorrected.errors<0.1": "uncorrected." applies to latency metrics only/),
      expect.stringMatching(/"p99=5": not of the form METRIC<VALUE/),
      expect.stringMatching(/"achievedRate>5s": achievedRate is in requests\/s/),
    ]);
  });

  it('evaluate against a result: latency, error fraction, rate', () => {
    // 1000 requests: 10 ms each, 1 in 100 throttled, one in 200 slow (500 ms).
    const result = fakeResult({
      rate: 200,
      seconds: 5,
      latencyMs: (k) => (k % 200 === 7 ? 500 : 10),
      outcome: (k) => (k % 100 === 3 ? 'throttled' : 'ok'),
    });
    const { thresholds } = parseThresholds(['p99<=20ms', 'p999<100ms', 'errors<0.02', 'throttled<0.5%', 'achievedRate>=199', 'uncorrected.max<1s']);
    expect(evaluateThresholds(thresholds, result).map((t) => [t.expression, t.pass, t.actual])).toEqual([
      ['p99<=20ms', true, 10.007],
      ['p999<100ms', false, 500.223],
      ['errors<0.02', true, 0.01],
      ['throttled<0.5%', false, 0.01],
      ['achievedRate>=199', true, 200],
      ['uncorrected.max<1s', true, 500.223],
    ]);
  });

  it('hold a run with no threshold on errors to the default error budget: losing a quarter fails', () => {
    const lossy = (thresholds: readonly Threshold[]) =>
      fakeResult({ rate: 200, seconds: 5, latencyMs: () => 10, outcome: (k) => (k % 4 === 0 ? 'throttled' : 'ok'), thresholds });
    const latencyOnly = withDefaultErrorThreshold(parseThresholds(['p99<1s']).thresholds);
    expect(latencyOnly.map((t) => [t.expression, t.isDefault])).toEqual([['p99<1s', undefined], [DEFAULT_ERROR_THRESHOLD, true]]);
    const result = lossy(latencyOnly);
    expect(result.thresholds).toEqual([
      { expression: 'p99<1s', actual: 10.007, pass: true },
      { expression: 'errors<=1%', actual: 0.25, pass: false, isDefault: true },
    ]);
    expect(formatTextReport(result)).toMatch(/FAIL {2}errors<=1% {2}\(actual 0\.25, the default error budget: --threshold 'errors<=N%' sets another\)/);
    // A budget of the user's own replaces the default.
    const own = withDefaultErrorThreshold(parseThresholds(['errors<=30%']).thresholds);
    expect(own.map((t) => t.expression)).toEqual(['errors<=30%']);
    expect(lossy(own).thresholds.every((t) => t.pass)).toBe(true);
  });

  it('point a Vertex run the official client held back at --vertex-client rest', () => {
    const late = Array.from({ length: 100 }, (_, k) => ({ intendedMs: k * 10, latencyMs: 5, lagMs: 30 }));
    const run = (client: string) =>
      summarizeShards([fakeShard(late)], {
        target: { kind: 'vertex', endpoint: 'projects/local/locations/us-central1/endpoints/embedder', client },
        schedule: describeSchedule('steady', steadySchedule(100, 1), 'uniform', undefined),
        workers: 1,
        cpuCores: 0.9,
        limits: DEFAULT_HEALTH_LIMITS,
        thresholds: [],
      });
    const official = run('@google-cloud/aiplatform 6.11.0 (REST fallback)');
    expect(official.valid).toBe(false);
    expect(official.invalidReasons).toEqual([expect.stringMatching(/^scheduler lag p99 30\.\d+ ms > 5 ms: .*add --workers, or use --vertex-client rest /)]);
    expect(run('REST (google-auth-library)').invalidReasons).toEqual([expect.not.stringContaining('--vertex-client')]);
  });

  it('blame other processes, not the rate, when a late generator was mostly idle', () => {
    const late = Array.from({ length: 100 }, (_, k) => ({ intendedMs: k * 10, latencyMs: 5, lagMs: 30 }));
    const run = (cpuCores: number) =>
      summarizeShards([fakeShard(late)], {
        target: { kind: 'http', endpoint: 'http://127.0.0.1:1/invocations', client: 'test' },
        schedule: describeSchedule('steady', steadySchedule(100, 1), 'uniform', undefined),
        workers: 1,
        cpuCores,
        limits: DEFAULT_HEALTH_LIMITS,
        thresholds: [],
      }).invalidReasons;
    expect(run(0.03)).toEqual([expect.stringMatching(/mostly idle \(0\.03 cores busy\): other processes \(local endpoints included\) took the CPU; run it on a quieter machine$/)]);
    expect(run(0.9)).toEqual([expect.stringMatching(/the generator could not send on time; lower the rate or add --workers$/)]);
  });
});
