/**
 * Arrival schedules: a rate curve (requests/s, linear between points) and the arrival times it
 * implies. Arrival k is sent when the integral of the rate reaches u_k, where u_k = k for
 * evenly spaced arrivals (k6's constant-arrival-rate, wrk2) or a sum of exponential gaps for a
 * Poisson process with the same rate. Worker i of W takes arrivals k ≡ i (mod W), so W workers
 * together produce exactly the one-worker sequence.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { Random } from '../replica/random';
import type { ScheduleDescription } from './result-format';

export const PROFILES = ['steady', 'ramp', 'steps', 'spike', 'diurnal'] as const;
export type Profile = (typeof PROFILES)[number];

export type RatePoint = readonly [seconds: number, requestsPerSecond: number];

export interface RateSchedule {
  /** Starts at 0 s; times never decrease (equal times make a step). */
  readonly points: readonly RatePoint[];
}

/** Steps of the `steps` profile. */
const STEPS = 5;
/** The `spike` profile's baseline, as a fraction of its peak: a breaking-news 10× surge (DESIGN.md). */
const SPIKE_BASELINE = 0.1;
/** The `diurnal` profile's night-time trough, as a fraction of its peak. */
const DIURNAL_TROUGH = 0.1;

/** A built-in profile stretched over `durationSeconds`, peaking at `peakRate`. */
export function profileSchedule(profile: Profile, peakRate: number, durationSeconds: number): RateSchedule {
  const d = durationSeconds;
  const r = peakRate;
  switch (profile) {
    case 'steady':
      return { points: [[0, r], [d, r]] };
    case 'ramp':
      return { points: [[0, 0], [d, r]] };
    case 'steps': {
      const points: RatePoint[] = [];
      for (let i = 0; i < STEPS; i++) points.push([(i * d) / STEPS, (r * (i + 1)) / STEPS], [((i + 1) * d) / STEPS, (r * (i + 1)) / STEPS]);
      return { points };
    }
    case 'spike': {
      const base = r * SPIKE_BASELINE;
      return { points: [[0, base], [0.4 * d, base], [0.5 * d, r], [0.7 * d, r], [0.8 * d, base], [d, base]] };
    }
    case 'diurnal': {
      // A day compressed into the run: trough at the start and end, peak half-way, hourly points.
      const points: RatePoint[] = [];
      for (let h = 0; h <= 24; h++) {
        const shape = (1 - Math.cos((2 * Math.PI * h) / 24)) / 2;
        points.push([(h / 24) * d, r * (DIURNAL_TROUGH + (1 - DIURNAL_TROUGH) * shape)]);
      }
      return { points };
    }
  }
}

/**
 * A profile file (YAML or JSON), k6 ramping-arrival-rate style: `startRate` then stages, each
 * ramping linearly to its `targetRate` over `durationSeconds` (0 s makes a step).
 *
 * ```yaml
 * startRate: 10
 * stages:
 *   - { durationSeconds: 30, targetRate: 100 }
 *   - { durationSeconds: 60, targetRate: 100 }
 * ```
 */
export function loadScheduleFile(path: string): RateSchedule {
  let data: unknown;
  try {
    data = parseYaml(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ScheduleError(`--profile ${path}: cannot read it as YAML or JSON: ${(e as Error).message}`);
  }
  return scheduleFromStages(data, `--profile ${path}`);
}

export function scheduleFromStages(data: unknown, where: string): RateSchedule {
  const problems: string[] = [];
  const record = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  const startRate = record.startRate ?? 0;
  if (typeof startRate !== 'number' || !(startRate >= 0)) problems.push(`startRate: must be a number >= 0, got ${JSON.stringify(startRate)}`);
  const stages = record.stages;
  if (!Array.isArray(stages) || stages.length === 0) problems.push(`stages: must be a non-empty list of { durationSeconds, targetRate }, got ${JSON.stringify(stages)}`);
  const points: RatePoint[] = [[0, typeof startRate === 'number' ? startRate : 0]];
  let t = 0;
  (Array.isArray(stages) ? stages : []).forEach((stage: unknown, i) => {
    const s = typeof stage === 'object' && stage !== null ? (stage as Record<string, unknown>) : {};
    const unknown = Object.keys(s).filter((k) => k !== 'durationSeconds' && k !== 'targetRate');
    if (unknown.length) problems.push(`stages[${i}]: unknown field ${unknown.join(', ')}; allowed are durationSeconds and targetRate`);
    if (typeof s.durationSeconds !== 'number' || !(s.durationSeconds >= 0)) problems.push(`stages[${i}].durationSeconds: must be a number >= 0, got ${JSON.stringify(s.durationSeconds)}`);
    if (typeof s.targetRate !== 'number' || !(s.targetRate >= 0)) problems.push(`stages[${i}].targetRate: must be a number >= 0, got ${JSON.stringify(s.targetRate)}`);
    if (typeof s.durationSeconds === 'number' && typeof s.targetRate === 'number') {
      t += s.durationSeconds;
      points.push([t, s.targetRate]);
    }
  });
  if (!problems.length && t <= 0) problems.push('stages: the total duration must be > 0 s');
  if (problems.length) throw new ScheduleError(`${where}:\n  ${problems.join('\n  ')}`);
  return { points };
}

export class ScheduleError extends Error {
  override readonly name = 'ScheduleError';
}

export function scheduleDurationSeconds(schedule: RateSchedule): number {
  return schedule.points[schedule.points.length - 1][0];
}

/** The schedule cut off at `seconds` (for `--duration` shorter than a profile file). */
export function truncateSchedule(schedule: RateSchedule, seconds: number): RateSchedule {
  const points: RatePoint[] = [];
  for (const [t, r] of schedule.points) {
    if (t <= seconds) points.push([t, r]);
  }
  if (points[points.length - 1][0] < seconds) points.push([seconds, rateAt(schedule, seconds)]);
  return { points };
}

export function rateAt(schedule: RateSchedule, seconds: number): number {
  const p = schedule.points;
  for (let i = 1; i < p.length; i++) {
    const [a, ra] = p[i - 1];
    const [b, rb] = p[i];
    if (seconds <= b && b > a) return ra + ((rb - ra) * (seconds - a)) / (b - a);
  }
  return p[p.length - 1][1];
}

/** Arrivals the whole schedule produces: the integral of its rate. */
export function expectedArrivals(schedule: RateSchedule): number {
  let total = 0;
  const p = schedule.points;
  for (let i = 1; i < p.length; i++) total += ((p[i][1] + p[i - 1][1]) / 2) * (p[i][0] - p[i - 1][0]);
  return total;
}

export function peakRate(schedule: RateSchedule): number {
  return Math.max(...schedule.points.map(([, r]) => r));
}

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
