/**
 * The sensitivity runs: each case simulated with every cloud's AssumptionSet at that case, a case
 * equal to base reusing the base run, and each case priced at its end of the prices' ranges.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { preset, resolveTopology } from '../../constructs';
import { ASSUMPTIONS, type Assumption, type AssumptionSet } from '../../constructs/assumptions';
import { costOfSimulation } from '../../load-tests/cost/simulated-cost';
import { simulateSensitivity } from '../../load-tests/simulator/sensitivity';
import * as simulate from '../../load-tests/simulator/simulate';
import { selectProfile } from '../../load-tests/traffic/select-profile';

vi.mock('../../load-tests/simulator/simulate', async (original) => {
  const actual = await original<typeof import('../../load-tests/simulator/simulate')>();
  return { ...actual, simulateTopology: vi.fn(actual.simulateTopology) };
});

const resolved = resolveTopology(preset('dev'));
const options = { profile: selectProfile('breaking-news', { hours: 1 }), seed: 1, endpoints: ['ranker'] };
/** The register with every range collapsed onto its value: no case differs from base. */
const COLLAPSED = ASSUMPTIONS.map((a) => ({ ...a, low: a.value, high: a.value }));
const FIXED: Assumption = {
  name: 'test.fixed',
  cloud: 'both',
  value: 100,
  unit: 'requests',
  source: 'https://pytorch.org/serve/configuration.html',
  tag: 'S',
  low: 100,
  high: 100,
  favourableEnd: 'higher',
  description: 'test',
};
const RANGED: Assumption = { ...FIXED, name: 'test.cpu-provisioning', unit: 's', value: 180, low: 120, high: 240, favourableEnd: 'lower', tag: 'U' };
const GCP_DELAY: Assumption = { ...FIXED, name: 'test.vertex-delay', cloud: 'gcp', unit: 's', value: 60, low: 0, high: 180, favourableEnd: 'lower', tag: 'U' };

afterEach(() => vi.mocked(simulate.simulateTopology).mockClear());

describe('simulateSensitivity', () => {
  it('reuses the base run for a case no ranged assumption changes', () => {
    const { runs, band } = simulateSensitivity(resolved, options, { register: [...COLLAPSED, FIXED] });
    expect(simulate.simulateTopology).toHaveBeenCalledTimes(1);
    expect(runs.low).toBe(runs.base);
    expect(runs.high).toBe(runs.base);
    const totals = runs.base.clouds.aws?.totals;
    expect(band.aws?.base).toEqual({
      arrivals: totals?.arrivals,
      droppedRequests: totals?.droppedRequests,
      refusedShare: (totals?.droppedRequests ?? 0) / (totals?.arrivals ?? 1),
      sloViolationMinutes: totals?.sloViolationMinutes,
      replicaHours: totals?.replicaHours,
    });
  });

  it('runs low and high with each cloud at the end of every unverified range that favours, then disfavours it', () => {
    const { runs, band, read } = simulateSensitivity(resolved, options, { register: [...COLLAPSED, FIXED, RANGED, GCP_DELAY] });
    const calls = vi.mocked(simulate.simulateTopology).mock.calls.map(([, o]) => o.assumptions as Record<'aws' | 'gcp', AssumptionSet>);
    expect(calls.map((sets) => [sets.aws.case, sets.gcp.case])).toEqual([
      ['base', 'base'],
      ['low', 'low'],
      ['high', 'high'],
    ]);
    const [base, low, high] = calls;
    expect([low.aws.value('test.cpu-provisioning'), base.aws.value('test.cpu-provisioning'), high.aws.value('test.cpu-provisioning')]).toEqual([120, 180, 240]);
    expect([low.gcp.value('test.vertex-delay'), high.gcp.value('test.vertex-delay')]).toEqual([0, 180]);
    expect(() => low.aws.value('test.vertex-delay')).toThrow(/no assumption named 'test.vertex-delay' applies to aws/);
    expect(runs.low).not.toBe(runs.base);
    // No model looks up a test.* name: only what the models looked up is recorded.
    for (const cloud of ['aws', 'gcp'] as const) expect(read[cloud]?.filter((n) => n.startsWith('test.'))).toEqual([]);
    expect(Object.keys(band)).toEqual(['aws', 'gcp']);
    for (const cloud of ['aws', 'gcp'] as const) expect(Object.keys(band[cloud] ?? {})).toEqual(['low', 'base', 'high']);
  });

  it('records the names the models look up in the low and high runs, per cloud', async () => {
    const actual = await vi.importActual<typeof import('../../load-tests/simulator/simulate')>('../../load-tests/simulator/simulate');
    vi.mocked(simulate.simulateTopology).mockImplementation((topology, o) => {
      o.assumptions?.aws?.value('test.cpu-provisioning');
      return actual.simulateTopology(topology, o);
    });
    try {
      const { read } = simulateSensitivity(resolved, options, { register: [...COLLAPSED, RANGED, GCP_DELAY] });
      expect(read.aws).toContain('test.cpu-provisioning');
      expect(read.gcp).not.toContain('test.cpu-provisioning');
      expect(read.gcp).not.toContain('test.vertex-delay');
    } finally {
      vi.mocked(simulate.simulateTopology).mockImplementation(actual.simulateTopology);
    }
  });

  it('runs only the clouds asked for', () => {
    const { band } = simulateSensitivity(resolved, { ...options, clouds: ['gcp'] }, { register: [...COLLAPSED, FIXED, RANGED] });
    expect(Object.keys(band)).toEqual(['gcp']);
  });
});

describe('costOfSimulation at a price end', () => {
  it('prices a simulated month lower at the low end and higher at the high end (prod has unverified prices on both clouds)', () => {
    const prod = resolveTopology(preset('prod'));
    const simulation = simulate.simulateTopology(prod, { ...options, endpoints: undefined });
    const at = (priceEnd?: 'low' | 'high') => costOfSimulation(prod, simulation, { priceEnd }).clouds;
    const [low, listed, high] = [at('low'), at(), at('high')];
    for (const cloud of ['aws', 'gcp'] as const) {
      const [l, b, h] = [low[cloud]?.monthlyUsdAtSimulatedLoad ?? NaN, listed[cloud]?.monthlyUsdAtSimulatedLoad ?? NaN, high[cloud]?.monthlyUsdAtSimulatedLoad ?? NaN];
      expect(l, cloud).toBeLessThan(b);
      expect(h, cloud).toBeGreaterThan(b);
    }
  });
});
