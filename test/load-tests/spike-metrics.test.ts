/**
 * The spike in view: where a spike ends (from the profile's rates), and the refused share, goodput,
 * peak p99, minutes to recover and replica-minutes over the spike window, on hand-built per-minute
 * series whose answers are worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { spikeEndMinute, spikeMetrics } from '../../load-tests/simulator/spike-metrics';
import type { MinutePoint } from '../../load-tests/simulator/simulation-result';
import { builtinSchedule } from '../../load-tests/traffic/builtin-profiles';
import { ratesPerMinute } from '../../load-tests/traffic/traffic-schedule';

const SLO = { p99Ms: 100, errorRate: 0.01 };

/** Minutes 0..length-1 at 100 requests, p99 50 ms, 2 replicas, nothing refused, with the given minutes overridden. */
function series(overrides: Record<number, Partial<MinutePoint>>, length = 20): MinutePoint[] {
  return Array.from({ length }, (_, minute) => ({
    minute,
    arrivals: 100,
    replicas: 2,
    desiredReplicas: 2,
    p50Ms: 20,
    p99Ms: 50,
    dropped: 0,
    ...overrides[minute],
  }));
}

/** 100 a minute with the given minutes overridden. */
function rates(overrides: Record<number, number>, length = 20): number[] {
  return Array.from({ length }, (_, minute) => overrides[minute] ?? 100);
}

describe('spikeEndMinute', () => {
  it('ends the spike at the first minute back within 10 % of its excess', () => {
    // 100 before, 1000 at the top: the spike is over at or under 100 + 0.1 × 900 = 190, at minute 10.
    expect(spikeEndMinute(rates({ 6: 1000, 7: 1000, 8: 1000, 9: 500, 10: 150 }), 5)).toBe(10);
  });

  it('ends the spike where its decay meets rising traffic, once it has shed half its excess', () => {
    // Never back within 190, past half the excess (550) from minute 11; the five minutes to 22 (2,108)
    // no longer fall below the five before them (1,975).
    const decay = [800, 600, 500, 450, 420, 400, 390, 385, 380, 378, 380, 400, 450, 500, 550, 600, 600, 600, 600, 600, 600];
    const profile = rates({ 6: 1000, 7: 1000, 8: 1000, ...Object.fromEntries(decay.map((r, i) => [i + 9, r])) }, 30);
    expect(spikeEndMinute(profile, 5)).toBe(22);
  });

  it('does not end the spike during its hold', () => {
    const hold = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [i + 6, i % 2 === 0 ? 1000 : 990]));
    expect(spikeEndMinute(rates(hold, 30), 5)).toBe(18);
  });

  it('ends the breaking-news spike at 14:24 in the evening rise, between two and three hours later', () => {
    const profile = builtinSchedule('breaking-news');
    const start = profile.spike ? Math.floor(profile.spike.startSeconds / 60) : -1;
    expect(spikeEndMinute(ratesPerMinute(profile), start) - start).toBeGreaterThan(120);
    expect(spikeEndMinute(ratesPerMinute(profile), start) - start).toBeLessThan(180);
  });
});

// The spike from minute 5 to minute 10 (exclusive).
const SPIKE: Record<number, Partial<MinutePoint>> = {
  6: { arrivals: 1000, p99Ms: 300, dropped: 200 },
  7: { arrivals: 1000, p99Ms: 90, dropped: 50, replicas: 4 },
  8: { arrivals: 1000, p99Ms: 120, replicas: 6 },
  9: { arrivals: 500, p99Ms: 90, replicas: 6 },
  10: { arrivals: 150 },
};
const SPAN = { startMinute: 5, endMinute: 10 };

describe('spikeMetrics', () => {
  it('measures the window from the spike start to its end when the endpoint recovered inside it', () => {
    const m = spikeMetrics(series(SPIKE), SLO, SPAN);
    // Window: minutes 5..9 (3,600 requests). Minute 7 breaches on its refused share (5 % > 1 %), minute 8 on p99.
    expect(m.window).toEqual({ fromMinute: 5, toMinute: 10 });
    expect(m.refusedShare).toBeCloseTo(250 / 3600, 12);
    // Answered in minutes whose p99 met 100 ms: minute 5 (100), minute 7 (950), minute 9 (500).
    expect(m.goodputShare).toBeCloseTo(1550 / 3600, 12);
    expect(m.peakP99Ms).toBe(300);
    // Last breach at minute 8, back within the SLO at minute 9: 4 minutes after the start.
    expect(m.minutesToRecover).toBe(4);
    expect(m.replicaMinutes).toBe(2 + 2 + 4 + 6 + 6);
  });

  it('extends the window past the spike until the endpoint is back within its SLO', () => {
    const m = spikeMetrics(series({ ...SPIKE, 9: { arrivals: 500, p99Ms: 400 }, 10: { arrivals: 150, p99Ms: 200 }, 11: { p99Ms: 150 }, 12: { p99Ms: 101 } }), SLO, SPAN);
    expect(m.minutesToRecover).toBe(8);
    expect(m.window).toEqual({ fromMinute: 5, toMinute: 13 });
    expect(m.peakP99Ms).toBe(400);
    expect(m.replicaMinutes).toBe(2 + 2 + 4 + 6 + 2 + 2 + 2 + 2);
  });

  it('says null when the endpoint has not recovered by the end of the run, and counts to the end', () => {
    const breaching = Object.fromEntries(Array.from({ length: 14 }, (_, i) => [i + 6, { p99Ms: 500 }]));
    const m = spikeMetrics(series({ ...breaching, 6: { arrivals: 1000, p99Ms: 500 }, 7: { arrivals: 150, p99Ms: 500 } }), SLO, { startMinute: 5, endMinute: 7 });
    expect(m.minutesToRecover).toBeNull();
    expect(m.window).toEqual({ fromMinute: 5, toMinute: 20 });
    expect(m.goodputShare).toBeCloseTo(100 / (100 + 1000 + 150 + 12 * 100), 12);
  });

  it('reports 0 minutes to recover and full goodput when the spike never breaches the SLO', () => {
    const m = spikeMetrics(series({ 6: { arrivals: 1000 }, 7: { arrivals: 1000 }, 8: { arrivals: 120 } }), SLO, { startMinute: 5, endMinute: 8 });
    expect(m).toMatchObject({ refusedShare: 0, goodputShare: 1, peakP99Ms: 50, minutesToRecover: 0, replicaMinutes: 6, window: { fromMinute: 5, toMinute: 8 } });
  });

  it('fails when the spike starts after the series ends', () => {
    expect(() => spikeMetrics(series({}), SLO, { startMinute: 25, endMinute: 30 })).toThrow(/spikeStartMinute: must be within the series' 20 minutes, got 25/);
  });
});
