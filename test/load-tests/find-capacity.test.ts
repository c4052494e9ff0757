import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { capacitySearchLength, capacitySnippet, DEFAULT_MAX_STEPS, findCapacity } from '../../load-tests/generator/find-capacity';
import { describeSearchLength } from '../../bin/commands/loadtest';
import type { LoadTestResult } from '../../load-tests/generator/result-format';
import { scalingSchema } from '../../constructs';
import { fakeResult } from './result-fixture';

/** An endpoint whose p99 is 20 ms up to 240 req/s and climbs steeply past it. */
function endpointAt(rate: number): LoadTestResult {
  const p99 = rate <= 240 ? 20 : 20 + (rate - 240) * 5;
  return fakeResult({ rate, seconds: 1, latencyMs: (k) => (k % 100 === 0 ? p99 : 5) });
}

describe('find capacity', () => {
  it('steps up until the SLO breaks, bisects, and divides by the replicas serving', async () => {
    const rates: number[] = [];
    const result = await findCapacity({
      startRate: 50,
      slo: { p99Ms: 100, errorRate: 0.01 },
      replicas: 2,
      runStep: async (rate) => (rates.push(rate), endpointAt(rate)),
    });
    // Breaks where p99 passes 100 ms: 240 + 16 = 256 req/s.
    expect(rates.slice(0, 5)).toEqual([50, 75, 112.5, 168.75, 253.13]);
    expect(result.limitedBy).toBe('latency-or-errors');
    expect(result.maxRequestsPerSecond).toBeGreaterThan(253);
    expect(result.maxRequestsPerSecond).toBeLessThanOrEqual(256);
    expect(result.maxRequestsPerSecondPerReplica).toBe(Math.floor((result.maxRequestsPerSecond / 2) * 10) / 10);
  });

  it('fails a step on its error budget', async () => {
    const result = await findCapacity({
      startRate: 100,
      slo: { p99Ms: 1000, errorRate: 0.01 },
      replicas: 1,
      refineSteps: 0,
      runStep: async (rate) => fakeResult({ rate, seconds: 1, latencyMs: () => 5, outcome: (k) => (rate > 200 && k % 10 === 0 ? 'throttled' : 'ok') }),
    });
    expect(result.maxRequestsPerSecond).toBe(150);
    expect(result.steps.at(-1)).toMatchObject({ rate: 225, pass: false, reason: expect.stringMatching(/errors 10\.2\d % > 1 %/) });
  });

  it('stops, saying so, when the generator cannot hold a step twice', async () => {
    const result = await findCapacity({
      startRate: 100,
      slo: { p99Ms: 100, errorRate: 0.01 },
      replicas: 1,
      runStep: async (rate) => {
        const r = fakeResult({ rate, seconds: 1, latencyMs: () => 5 });
        return rate > 200 ? { ...r, valid: false, invalidReasons: ['scheduler lag p99 9 ms > 5 ms'] } : r;
      },
    });
    expect(result.limitedBy).toBe('generator');
    expect(result.maxRequestsPerSecond).toBe(150);
    expect(result.steps.filter((s) => s.rate === 225)).toHaveLength(2);
  });

  it('writes a snippet the topology spec accepts', async () => {
    const result = await findCapacity({ startRate: 50, slo: { p99Ms: 100, errorRate: 0.01 }, replicas: 2, runStep: async (rate) => endpointAt(rate) });
    const snippet = parseYaml(capacitySnippet('ranker', result)) as { endpoints: { name: string; scaling: Record<string, unknown> }[] };
    expect(snippet.endpoints[0].name).toBe('ranker');
    const scaling = scalingSchema.parse(snippet.endpoints[0].scaling);
    expect(scaling.maxRequestsPerSecondPerReplica).toBe(result.maxRequestsPerSecondPerReplica);
  });

  it('says before it starts how many steps it will take: the growth to the nominal capacity, then the bisection', async () => {
    const rates: number[] = [];
    await findCapacity({ startRate: 50, slo: { p99Ms: 100, errorRate: 0.01 }, replicas: 2, runStep: async (rate) => (rates.push(rate), endpointAt(rate)) });
    // endpointAt breaks at 256 req/s.
    expect(capacitySearchLength(50, 256)).toEqual({ expectedSteps: rates.length, maxSteps: DEFAULT_MAX_STEPS });
    expect(capacitySearchLength(50)).toEqual({ maxSteps: DEFAULT_MAX_STEPS });
    expect(describeSearchLength({ expectedSteps: 9, maxSteps: 16 }, 10)).toBe(
      'about 9 steps × 10 s = 1 min 30 s if the endpoint breaks near its nominal capacity; at most 16 steps × 10 s = 2 min 40 s',
    );
    expect(describeSearchLength({ maxSteps: 16 }, 2.5)).toBe('at most 16 steps × 2.5 s = 40 s (fewer when a step breaks early)');
  });
});
