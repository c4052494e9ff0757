/**
 * The built-in traffic profiles, relative to the peak (1 = the peak rate), over a window of
 * `hours` (default a day). `simulate` runs them on its virtual clock; `loadtest` plays the same
 * curve faster (`--time-scale`, or fitted to `--duration`). Scenarios, not measurements; their
 * constants say what they assume:
 * - steady: the peak rate all the time (a sustained-peak test).
 * - ramp: from 0 to the peak, linearly.
 * - steps: the peak in five equal steps.
 * - spike: a tenth of the peak, a surge to the peak in the middle of the window, back again.
 * - diurnal: a news site's day, quiet at night, a morning and a larger evening peak.
 * - breaking-news: the diurnal day plus a spike to 10× the diurnal rate of its moment that builds
 *   in minutes (DESIGN.md "breaking-news spikes (10x in minutes)"), holds, then decays.
 */
import { MAX_HOURS, ProfileError, type RatePoint, type TrafficSchedule } from './traffic-schedule';

export const BUILTIN_PROFILES = ['steady', 'ramp', 'steps', 'spike', 'diurnal', 'breaking-news'] as const;
export type BuiltinProfileName = (typeof BUILTIN_PROFILES)[number];

export const DEFAULT_PROFILE_HOURS = 24;

/** [U] Scenario: night floor and the two daily peaks of a news site (hour of day, width in hours, height). */
export const DIURNAL_SHAPE = {
  floor: 0.12,
  morning: { hour: 8.5, widthHours: 2, height: 0.55 },
  evening: { hour: 20.5, widthHours: 2.5, height: 0.85 },
} as const;

/** The breaking-news spike: 10× the base rate (DESIGN.md), reached in minutes; hold and decay [U] scenario. */
export const BREAKING_NEWS_SPIKE = {
  multiplier: 10,
  buildMinutes: 5,
  holdMinutes: 30,
  /** e-folding time of the decay back to the base rate. */
  decayMinutes: 45,
  /** Where in the simulated window the spike starts, as a fraction of it (0.6 of a day = 14:24). */
  startFraction: 0.6,
} as const;

/**
 * [U] How many such spikes a week brings, for a month's cost (load-tests/cost/simulated-cost.ts).
 * A 10× surge is a story that stops a country (an election night, a disaster, a death of a head of
 * state), not a daily event; one a week is a deliberately busy news cycle. The simulated day
 * carries one spike; the rest of the week is costed as the same day without it.
 */
export const DEFAULT_SPIKES_PER_WEEK = 1;

/** `spike`: its baseline as a fraction of the peak, a breaking-news 10× surge (DESIGN.md). */
const SPIKE_BASELINE = 0.1;
/** `steps`: steps to the peak. */
const STEPS = 5;

export interface BuiltinOptions {
  /** @default DEFAULT_PROFILE_HOURS */
  readonly hours?: number;
  /** breaking-news only. @default DEFAULT_SPIKES_PER_WEEK */
  readonly spikesPerWeek?: number;
}

export function builtinSchedule(name: BuiltinProfileName, options: BuiltinOptions = {}): TrafficSchedule {
  const hours = options.hours ?? DEFAULT_PROFILE_HOURS;
  if (!(hours > 0) || hours > MAX_HOURS) throw new ProfileError(`--hours: must be in (0, ${MAX_HOURS}], got ${hours}`);
  const d = hours * 3600;
  switch (name) {
    case 'steady':
      return relative(name, 'the peak rate all the time', [[0, 1], [d, 1]]);
    case 'ramp':
      return relative(name, 'from 0 to the peak, linearly', [[0, 0], [d, 1]]);
    case 'steps': {
      const points: RatePoint[] = [];
      for (let i = 0; i < STEPS; i++) points.push([(i * d) / STEPS, (i + 1) / STEPS], [((i + 1) * d) / STEPS, (i + 1) / STEPS]);
      return relative(name, `the peak in ${STEPS} equal steps`, points);
    }
    case 'spike': {
      const b = SPIKE_BASELINE;
      return {
        ...relative(name, `${b} of the peak, a surge to the peak from ${0.4 * hours} h to ${0.5 * hours} h, held to ${0.7 * hours} h`, [
          [0, b], [0.4 * d, b], [0.5 * d, 1], [0.7 * d, 1], [0.8 * d, b], [d, b],
        ]),
        spike: { startSeconds: 0.4 * d },
      };
    }
    case 'diurnal':
      return perMinute(name, 'a news-site day: quiet night, morning and evening peaks', minutesOf(hours).map(diurnalRate));
    case 'breaking-news':
      return breakingNews(hours, options.spikesPerWeek ?? DEFAULT_SPIKES_PER_WEEK);
  }
}

function breakingNews(hours: number, spikesPerWeek: number): TrafficSchedule {
  if (!(spikesPerWeek >= 0) || !Number.isFinite(spikesPerWeek)) throw new ProfileError(`--spikes-per-week: must be a number >= 0, got ${spikesPerWeek}`);
  const minutes = minutesOf(hours);
  const spikeStartMinute = Math.floor(minutes.length * BREAKING_NEWS_SPIKE.startFraction);
  const day = minutes.map(diurnalRate);
  const withSpike = minutes.map((m) => day[m] * (1 + (BREAKING_NEWS_SPIKE.multiplier - 1) * spikeEnvelope(m - spikeStartMinute)));
  // Both on the spike's scale: the baseline is this day with the spike taken out, not a day of its own.
  const peak = Math.max(...withSpike);
  const name = 'breaking-news';
  const baseline = perMinute(`${name} (no spike)`, 'the breaking-news day without its spike', day, peak);
  return {
    ...perMinute(
      name,
      `the diurnal day plus a ${BREAKING_NEWS_SPIKE.multiplier}× spike at minute ${spikeStartMinute} that builds in ${BREAKING_NEWS_SPIKE.buildMinutes} minutes`,
      withSpike,
      peak,
    ),
    spike: { startSeconds: spikeStartMinute * 60, spikesPerWeek, baseline },
  };
}

/** Minute-of-day rate of the diurnal shape, before normalisation. */
function diurnalRate(minute: number): number {
  const hour = (minute / 60) % 24;
  const bump = (b: { hour: number; widthHours: number; height: number }) => {
    const d = Math.min(Math.abs(hour - b.hour), 24 - Math.abs(hour - b.hour));
    return b.height * Math.exp(-0.5 * (d / b.widthHours) ** 2);
  };
  return DIURNAL_SHAPE.floor + bump(DIURNAL_SHAPE.morning) + bump(DIURNAL_SHAPE.evening);
}

/** 0 before the spike, linear to 1 over the build, 1 during the hold, then exponential decay. */
function spikeEnvelope(minutesSinceStart: number): number {
  const { buildMinutes, holdMinutes, decayMinutes } = BREAKING_NEWS_SPIKE;
  if (minutesSinceStart < 0) return 0;
  if (minutesSinceStart < buildMinutes) return minutesSinceStart / buildMinutes;
  if (minutesSinceStart < buildMinutes + holdMinutes) return 1;
  return Math.exp(-(minutesSinceStart - buildMinutes - holdMinutes) / decayMinutes);
}

function relative(name: string, description: string, points: readonly RatePoint[]): TrafficSchedule {
  return { name, description, unit: 'relative', points };
}

/**
 * A rate at the start of each minute, divided by `peak` (default: their maximum); the last
 * minute's rate holds to its end.
 */
export function perMinute(name: string, description: string, rates: readonly number[], peak = Math.max(...rates)): TrafficSchedule {
  const points: RatePoint[] = rates.map((r, m) => [m * 60, r / peak]);
  points.push([rates.length * 60, rates[rates.length - 1] / peak]);
  return relative(name, description, points);
}

function minutesOf(hours: number): number[] {
  return Array.from({ length: Math.max(1, Math.round(hours * 60)) }, (_, m) => m);
}
