/**
 * The simulator's building blocks: the seeded random source, the waiting probability, and the
 * two queue engines, with the fluid engine's accuracy measured against the exact one.
 */
import { describe, expect, it } from 'vitest';
import { ExactQueue } from '../../load-tests/simulator/exact-queue';
import { FluidQueue } from '../../load-tests/simulator/fluid-queue';
import { latencyHistogram, percentileMs } from '../../load-tests/simulator/latency-histogram';
import type { QueueEngine } from '../../load-tests/simulator/queue-engine';
import { Random } from '../../load-tests/replica/random';
import { inverseNormal, meanServiceMs, serviceQuantileMs, serviceTimeFromPercentiles, serviceTimeModel, type ServiceTimeModel } from '../../load-tests/replica/service-time';
import { erlangC, EXACT_ERLANG_MAX_SERVERS } from '../../load-tests/simulator/waiting-probability';

describe('Random', () => {
  it('repeats a stream for a seed and differs across seeds', () => {
    const draw = (seed: number) => {
      const r = new Random(seed);
      return Array.from({ length: 5 }, () => r.uniform());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    expect(draw(7).every((u) => u >= 0 && u < 1)).toBe(true);
  });

  it.each([3, 50, 5000])('draws Poisson counts with mean and variance %d', (mean) => {
    const r = new Random(11);
    const n = 20_000;
    const xs = Array.from({ length: n }, () => r.poisson(mean));
    const m = xs.reduce((a, b) => a + b, 0) / n;
    const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1);
    expect(Math.abs(m - mean)).toBeLessThan(4 * Math.sqrt(mean / n));
    expect(v / mean).toBeGreaterThan(0.95);
    expect(v / mean).toBeLessThan(1.05);
    expect(xs.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
  });
});

describe('service time model', () => {
  it('is log-normal around the median, fitted from a measured p50 and p99', () => {
    const m = serviceTimeFromPercentiles(20, 40);
    expect(serviceQuantileMs(m, 0.5)).toBeCloseTo(20, 6);
    expect(serviceQuantileMs(m, 0.99)).toBeCloseTo(40, 3);
    expect(meanServiceMs(serviceTimeModel(20, 0))).toBe(20);
    expect(inverseNormal(0.975)).toBeCloseTo(1.959964, 5);
    expect(() => serviceTimeModel(0)).toThrow('service time median must be > 0 ms, got 0');
  });
});

describe('Erlang C', () => {
  it('matches closed forms: M/M/1 waits with probability ρ, M/M/2 at one Erlang with 1/3', () => {
    expect(erlangC(1, 0.5)).toBeCloseTo(0.5, 12);
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12);
    expect(erlangC(4, 4)).toBe(1);
    expect(erlangC(4, 0)).toBe(0);
  });

  it('stays within 0.03 of the exact value when it switches to Halfin–Whitt', () => {
    const exact = (c: number, a: number) => {
      let b = 1;
      for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
      return (c * b) / (c - a * (1 - b));
    };
    const c = EXACT_ERLANG_MAX_SERVERS + 1;
    for (const rho of [0.8, 0.9, 0.95, 0.98]) expect(Math.abs(erlangC(c, rho * c) - exact(c, rho * c))).toBeLessThan(0.03);
  });
});

interface EngineRun {
  readonly arrivals: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly recorded: number;
  readonly p50: number;
  readonly p99: number;
}

function run(make: (s: ServiceTimeModel, r: Random) => QueueEngine, slots: number, rate: number, seconds: number, seed = 3): EngineRun {
  const service = serviceTimeModel(25);
  const engine = make(service, new Random(seed));
  const h = latencyHistogram();
  try {
    engine.setCapacity(0, slots, slots * 25);
    let arrivals = 0;
    let accepted = 0;
    let rejected = 0;
    for (let t = 0; t < seconds; t++) {
      const o = engine.tick(t, t + 1, rate, h);
      arrivals += o.arrivals;
      accepted += o.accepted;
      rejected += o.rejected;
      if (t % 60 === 59) engine.endMinute(h);
    }
    engine.drain(h);
    engine.endMinute(h);
    return { arrivals, accepted, rejected, recorded: h.totalCount, p50: percentileMs(h, 50)!, p99: percentileMs(h, 99)! };
  } finally {
    h.destroy();
  }
}

const exact = (s: ServiceTimeModel, r: Random) => new ExactQueue(s, r);
const fluid = (s: ServiceTimeModel, r: Random) => new FluidQueue(s, r);

describe('queue engines', () => {
  it('exact: every arrival is accepted or rejected, and every accepted request is recorded', () => {
    const r = run(exact, 8, 400, 120);
    expect(r.accepted + r.rejected).toBe(r.arrivals);
    expect(r.recorded).toBe(r.accepted);
    expect(r.rejected).toBeGreaterThan(0);
  });

  it('fluid: arrivals are conserved and the histogram holds the accepted requests within sampling noise', () => {
    const r = run(fluid, 8, 290, 600);
    expect(r.accepted + r.rejected).toBe(r.arrivals);
    expect(Math.abs(r.recorded - r.accepted) / r.accepted).toBeLessThan(0.01);
  });

  // 8 slots of a 25 ms median (σ 0.3) service serve ≈ 305 req/s. The fluid engine is the default
  // above EXACT_REQUEST_LIMIT requests per pool; these bounds are its measured accuracy.
  it.each([
    { rate: 150, p50: 0.05, p99: 0.1 },
    { rate: 250, p50: 0.05, p99: 0.1 },
    { rate: 285, p50: 0.1, p99: 0.2 },
  ])('fluid agrees with exact below capacity: $rate req/s', ({ rate, p50, p99 }) => {
    const e = run(exact, 8, rate, 600);
    const f = run(fluid, 8, rate, 600);
    expect(Math.abs(f.p50 - e.p50) / e.p50).toBeLessThan(p50);
    expect(Math.abs(f.p99 - e.p99) / e.p99).toBeLessThan(p99);
    expect(e.rejected + f.rejected).toBe(0);
  });

  it('fluid agrees with exact in overload: the queue fills, waits cap at a full queue, the excess is refused', () => {
    const e = run(exact, 8, 450, 300);
    const f = run(fluid, 8, 450, 300);
    expect(Math.abs(f.p99 - e.p99) / e.p99).toBeLessThan(0.1);
    expect(Math.abs(f.rejected / f.arrivals - e.rejected / e.arrivals)).toBeLessThan(0.02);
    // Beyond capacity the refused share is what capacity cannot absorb: 1 − 305/450.
    expect(e.rejected / e.arrivals).toBeGreaterThan(0.28);
    expect(e.rejected / e.arrivals).toBeLessThan(0.35);
  });

  it('fluid: at the edge of capacity no latency falls below the service time', () => {
    const engine = new FluidQueue(serviceTimeModel(25), new Random(9));
    const h = latencyHistogram();
    try {
      engine.setCapacity(0, 8, 200);
      // The expected rate is capacity itself; ticks drawing fewer arrivals have no stationary regime to sample.
      for (let t = 0; t < 300; t++) engine.tick(t, t + 1, 8 / 0.02571, h);
      engine.endMinute(h);
      expect(h.minNonZeroValue / 1000).toBeGreaterThan(25 * Math.exp(-0.3 * 4.5));
    } finally {
      h.destroy();
    }
  });

  it('fluid agrees with exact on a large pool near saturation', () => {
    const e = run(exact, 256, 0.9 * (256 / 0.02571), 120);
    const f = run(fluid, 256, 0.9 * (256 / 0.02571), 120);
    expect(Math.abs(f.p99 - e.p99) / e.p99).toBeLessThan(0.1);
  });

  it('exact: a capacity increase lets queued requests start on the new slots at once', () => {
    const engine = new ExactQueue(serviceTimeModel(1000, 0), new Random(1));
    const h = latencyHistogram();
    try {
      engine.setCapacity(0, 1, 100);
      engine.tick(0, 1, 5, h);
      engine.setCapacity(1, 50, 100);
      engine.tick(1, 2, 0, h);
      // Everything that queued behind the first request started at 1 s on a new slot.
      expect(h.maxValue / 1000).toBeLessThan(2001);
    } finally {
      h.destroy();
    }
  });
});
