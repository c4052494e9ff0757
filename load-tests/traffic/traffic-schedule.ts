/**
 * The one traffic schedule of the load tests: a rate curve (linear between points, the last rate
 * after the end), either relative to a peak (the built-in profiles) or in requests per second (a
 * file). Every built-in profile and every file format compiles to it; the simulator replays it on
 * its virtual clock and the load generator plays it, `timeScale` times faster, against an endpoint.
 */

export type RatePoint = readonly [seconds: number, rate: number];

/** The points alone: what the arrival iterator needs. */
export interface RateSchedule {
  /** Starts at 0 s; times never decrease (equal times make a step). */
  readonly points: readonly RatePoint[];
}

export type ScheduleUnit = 'relative' | 'requests-per-second';

export interface TrafficSchedule extends RateSchedule {
  readonly name: string;
  readonly description: string;
  /** `relative`: fractions of the peak (max 1). `requests-per-second`: absolute, the same for every endpoint. */
  readonly unit: ScheduleUnit;
  /** The traffic spike, for profiles with one. */
  readonly spike?: SpikeDescription;
}

export interface SpikeDescription {
  /** Seconds from the start of the schedule to the start of the spike. */
  readonly startSeconds: number;
  /** How often such a spike comes; what a month at this load costs depends on it (load-tests/cost). */
  readonly spikesPerWeek?: number;
  /** The same traffic without the spike, when the profile knows it (the built-in breaking-news day). */
  readonly baseline?: TrafficSchedule;
}

export class ProfileError extends Error {
  override readonly name = 'ProfileError';
}

/** One week: longer runs are not what the simulator is for. */
export const MAX_HOURS = 168;

export function scheduleDurationSeconds(schedule: RateSchedule): number {
  return schedule.points[schedule.points.length - 1][0];
}

/** The rate at `seconds`: linear between points, the first rate before the start and the last after the end. */
export function rateAt(schedule: RateSchedule, seconds: number): number {
  const p = schedule.points;
  if (seconds <= p[0][0]) return p[0][1];
  // Binary search for the segment: day-long schedules have a point a minute.
  let lo = 0;
  let hi = p.length - 1;
  if (seconds > p[hi][0]) return p[hi][1];
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (p[mid][0] < seconds) lo = mid;
    else hi = mid;
  }
  const [a, ra] = p[lo];
  const [b, rb] = p[hi];
  return b > a ? ra + ((rb - ra) * (seconds - a)) / (b - a) : rb;
}

export function peakRate(schedule: RateSchedule): number {
  let peak = 0;
  for (const [, r] of schedule.points) peak = Math.max(peak, r);
  return peak;
}

/** Arrivals the whole schedule produces: the integral of its rate. */
export function expectedArrivals(schedule: RateSchedule): number {
  let total = 0;
  const p = schedule.points;
  for (let i = 1; i < p.length; i++) total += ((p[i][1] + p[i - 1][1]) / 2) * (p[i][0] - p[i - 1][0]);
  return total;
}

/** The schedule cut off at `seconds`. */
export function truncateSchedule<S extends RateSchedule>(schedule: S, seconds: number): S {
  const points: RatePoint[] = [];
  for (const [t, r] of schedule.points) {
    if (t <= seconds) points.push([t, r]);
  }
  if (points[points.length - 1][0] < seconds) points.push([seconds, rateAt(schedule, seconds)]);
  return { ...schedule, points };
}

/** Whole minutes the simulator runs the schedule for (a partial last minute runs at the last rate). */
export function scheduleMinutes(schedule: RateSchedule): number {
  return Math.max(1, Math.ceil(scheduleDurationSeconds(schedule) / 60 - 1e-9));
}

/** The rate at the start of each minute the simulator runs, in the schedule's unit. */
export function ratesPerMinute(schedule: RateSchedule): number[] {
  return Array.from({ length: scheduleMinutes(schedule) }, (_, m) => rateAt(schedule, m * 60));
}

/**
 * Requests per second the schedule means for an endpoint peaking at `peakRps`: a relative schedule
 * is multiplied by it; an absolute one is used as written, or rescaled so its peak is `peakRps`.
 */
export function rateMultiplier(schedule: TrafficSchedule, peakRps: number | undefined): number {
  if (schedule.unit === 'relative') {
    if (peakRps === undefined) throw new ProfileError(`profile ${schedule.name} is relative: it needs a peak rate (--peak-rps)`);
    return peakRps;
  }
  return peakRps === undefined ? 1 : peakRps / peakRate(schedule);
}

/**
 * What a load test plays: the schedule in requests/s for an endpoint peaking at `peakRps`, on a
 * clock `timeScale` times faster (same rates, 1/timeScale of the time). The simulator's rate at
 * t seconds is the load test's rate at t / timeScale seconds.
 */
export function playedSchedule(schedule: TrafficSchedule, peakRps: number | undefined, timeScale: number): TrafficSchedule {
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new ProfileError(`--time-scale: expected a number > 0, got ${timeScale}`);
  const k = rateMultiplier(schedule, peakRps);
  const end = scheduleDurationSeconds(schedule);
  const wall = (t: number) => t / timeScale;
  return {
    name: schedule.name,
    description: timeScale === 1 ? schedule.description : `${schedule.description}, ${formatScale(timeScale)}× faster`,
    unit: 'requests-per-second',
    points: schedule.points.map(([t, r]) => [t === end ? end / timeScale : wall(t), r * k] as const),
    ...(schedule.spike ? { spike: { startSeconds: wall(schedule.spike.startSeconds), spikesPerWeek: schedule.spike.spikesPerWeek } } : {}),
  };
}

/**
 * The schedule played in exactly `durationSeconds` (`loadtest --duration` without `--time-scale`):
 * a built-in profile fitted to the run, the way k6 stretches stages.
 */
export function fittedSchedule(schedule: TrafficSchedule, peakRps: number | undefined, durationSeconds: number): TrafficSchedule {
  const end = scheduleDurationSeconds(schedule);
  const played = playedSchedule(schedule, peakRps, end / durationSeconds);
  // t · duration / end rather than t / (end / duration): the last point lands on the duration exactly.
  return { ...played, points: schedule.points.map(([t], i) => [(t * durationSeconds) / end, played.points[i][1]] as const) };
}

/** A steady rate for `seconds` (a capacity search's step). */
export function steadySchedule(requestsPerSecond: number, seconds: number): TrafficSchedule {
  return { name: 'steady', description: `${requestsPerSecond} requests/s`, unit: 'requests-per-second', points: [[0, requestsPerSecond], [seconds, requestsPerSecond]] };
}

function formatScale(timeScale: number): string {
  return Number.isInteger(timeScale) ? String(timeScale) : timeScale.toPrecision(4);
}
