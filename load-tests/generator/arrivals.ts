/**
 * The arrival times a schedule (load-tests/traffic, in requests/s) implies. Arrival k is sent when
 * the integral of the rate reaches u_k, where u_k = k for evenly spaced arrivals (k6's constant-arrival-rate, wrk2) or a sum of exponential gaps for a
 * Poisson process with the same rate. Worker i of W takes arrivals k ≡ i (mod W), so W workers
 * together produce exactly the one-worker sequence.
 */
import { Random } from '../replica/random';
import { peakRate, scheduleDurationSeconds, type RateSchedule } from '../traffic/traffic-schedule';
import type { ScheduleDescription } from './result-format';

export function describeSchedule(
  profile: string,
  schedule: RateSchedule,
  arrivals: 'uniform' | 'poisson',
  maxRequests: number | undefined,
): ScheduleDescription {
  return {
    profile,
    arrivals,
    durationSeconds: scheduleDurationSeconds(schedule),
    peakRate: peakRate(schedule),
    points: schedule.points.map(([t, r]) => [round3(t), round3(r)] as const),
    ...(maxRequests !== undefined ? { maxRequests } : {}),
  };
}

export interface ArrivalOptions {
  readonly shardIndex: number;
  readonly shardCount: number;
  /** Arrivals over all shards stop at this count. */
  readonly maxRequests?: number;
  readonly process: 'uniform' | 'poisson';
  /** Seed of the Poisson gaps; every shard must use the same one. */
  readonly seed: number;
}

interface Segment {
  readonly startS: number;
  readonly endS: number;
  readonly startRate: number;
  /** Rate change per second. */
  readonly slope: number;
  readonly cumulativeStart: number;
  readonly cumulativeEnd: number;
}

/** This shard's arrival times, in milliseconds from the start, in order. */
export class ArrivalIterator {
  private readonly segments: Segment[] = [];
  private segment = 0;
  private k: number;
  private u = 0;
  private readonly random?: Random;
  private readonly total: number;

  constructor(
    schedule: RateSchedule,
    private readonly options: ArrivalOptions,
  ) {
    let cumulative = 0;
    const p = schedule.points;
    for (let i = 1; i < p.length; i++) {
      const [a, ra] = p[i - 1];
      const [b, rb] = p[i];
      if (b <= a) continue;
      const area = ((ra + rb) / 2) * (b - a);
      if (area > 0) this.segments.push({ startS: a, endS: b, startRate: ra, slope: (rb - ra) / (b - a), cumulativeStart: cumulative, cumulativeEnd: cumulative + area });
      cumulative += area;
    }
    this.total = cumulative;
    this.k = options.shardIndex;
    if (options.process === 'poisson') {
      this.random = new Random(options.seed);
      // Gaps of arrivals 0 … shardIndex, so this shard starts on its own first arrival.
      for (let i = 0; i <= options.shardIndex; i++) this.u += this.gap();
    } else {
      this.u = options.shardIndex;
    }
  }

  /** Milliseconds of the next arrival, or undefined when the schedule is over. */
  next(): number | undefined {
    const { maxRequests, shardCount } = this.options;
    if ((maxRequests !== undefined && this.k >= maxRequests) || this.u >= this.total) return undefined;
    const t = this.timeOf(this.u);
    this.k += shardCount;
    if (this.random) for (let i = 0; i < shardCount; i++) this.u += this.gap();
    else this.u += shardCount;
    return t * 1000;
  }

  private gap(): number {
    return -Math.log(1 - (this.random as Random).uniform());
  }

  /** Seconds at which the rate integral reaches `u` (u increases from call to call). */
  private timeOf(u: number): number {
    while (this.segment < this.segments.length - 1 && u >= this.segments[this.segment].cumulativeEnd) this.segment++;
    const s = this.segments[this.segment];
    const d = u - s.cumulativeStart;
    // Solves slope/2·x² + startRate·x = d for x ≥ 0, in a form that is stable when slope ≈ 0.
    const x = d <= 0 ? 0 : (2 * d) / (s.startRate + Math.sqrt(s.startRate * s.startRate + 2 * s.slope * d));
    return Math.min(s.startS + x, s.endS);
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
