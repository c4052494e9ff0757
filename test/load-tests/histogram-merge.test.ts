/**
 * Results merge from histograms, never by averaging percentiles: shards of one run, and runs
 * from several machines (`loadtest merge`).
 */
import { describe, expect, it } from 'vitest';
import { encodeHistogram, latencyHistogram, mergeEncoded, percentilesMs, recordMs } from '../../load-tests/generator/histograms';
import { mergeResults, MergeError } from '../../load-tests/generator/merge-results';
import type { LoadTestResult } from '../../load-tests/generator/result-format';
import { fakeResult } from './result-fixture';

describe('histograms', () => {
  it('merge encoded histograms into exactly the histogram of all values', () => {
    const a = latencyHistogram();
    const b = latencyHistogram();
    const both = latencyHistogram();
    for (let i = 1; i <= 1000; i++) {
      const ms = i * 0.37;
      recordMs(i % 3 ? a : b, ms);
      recordMs(both, ms);
    }
    expect(percentilesMs(mergeEncoded([encodeHistogram(a), encodeHistogram(b)]))).toEqual(percentilesMs(both));
  });

  it('keep microsecond resolution: 3 significant digits across 1 µs to an hour', () => {
    const h = latencyHistogram();
    for (const ms of [0.0004, 1.234, 987.6, 3_599_000]) recordMs(h, ms);
    const p = percentilesMs(h);
    expect(p.count).toBe(4);
    expect(p.max).toBeCloseTo(3_599_000, -4);
    expect(h.getValueAtPercentile(50) / 1000).toBeCloseTo(1.234, 2);
  });
});

describe('merging runs', () => {
  const fast = { rate: 100, seconds: 2, latencyMs: () => 1 };
  const slow = { rate: 100, seconds: 2, latencyMs: () => 100 };

  it('computes percentiles from the summed histograms, not the average of percentiles', () => {
    const merged = mergeResults([fakeResult(fast), fakeResult(slow)]);
    expect(merged.latencyMs.corrected.p99).toBeCloseTo(100, 0);
    expect(merged.latencyMs.corrected.p50).toBeCloseTo(1, 1);
    expect(merged.counts.ok).toBe(400);
    expect(merged.sources).toBe(2);
  });

  it('gives the same answer for shards of one run as for one shard', () => {
    const latencyMs = (k: number) => 1 + ((k * 7919) % 997) / 10;
    const one = fakeResult({ rate: 300, seconds: 3, latencyMs });
    const three = fakeResult({ rate: 300, seconds: 3, latencyMs, shards: 3 });
    expect(three.latencyMs).toEqual(one.latencyMs);
    expect(three.counts).toEqual(one.counts);
    expect(three.series.map(({ histogram: _h, ...s }) => s)).toEqual(one.series.map(({ histogram: _h, ...s }) => s));
    expect(three.achievedRate).toBeCloseTo(one.achievedRate, 6);
  });

  it('adds rates and lines the per-second series up by wall-clock second', () => {
    const start = Date.UTC(2026, 0, 1);
    const a = fakeResult({ ...fast, startedAtEpochMs: start });
    const b = fakeResult({ ...slow, startedAtEpochMs: start + 1000 });
    const merged = mergeResults([a, b]);
    expect(merged.requestedRate).toBeCloseTo(200, 6);
    expect(merged.series.map((s) => [s.second, s.ok])).toEqual([
      [0, 100],
      [1, 200],
      [2, 100],
    ]);
    expect(merged.series[1].latencyMs?.max).toBeCloseTo(100, 0);
    expect(merged.schedule.points).toEqual([
      [0, 200],
      [2, 200],
    ]);
  });

  it('is invalid when any merged run was', () => {
    const invalid: LoadTestResult = { ...fakeResult(fast), valid: false, invalidReasons: ['scheduler lag p99 9 ms > 5 ms'] };
    const merged = mergeResults([fakeResult(fast), invalid]);
    expect(merged.valid).toBe(false);
    expect(merged.invalidReasons).toEqual(['run 2: scheduler lag p99 9 ms > 5 ms']);
  });

  it('refuses runs of different endpoints, and files that are not results', () => {
    expect(() => mergeResults([fakeResult(fast), fakeResult({ ...fast, endpoint: 'http://other/x' })])).toThrow(MergeError);
    expect(() => mergeResults([{ formatVersion: 1 } as unknown as LoadTestResult])).toThrow(/missing or wrong target\.endpoint, startedAt, counts\.scheduled/);
  });
});
