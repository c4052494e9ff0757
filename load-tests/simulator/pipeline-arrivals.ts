/**
 * When the embedding-refresh pipeline's documents arrive: `documents` spread over a traffic profile's
 * shape (the diurnal day, the breaking-news spike), minute by minute. Each minute's count is Poisson
 * with the profile's rate of that minute as its mean share; times are uniform within the minute.
 * The profile gives the shape only: a requests-per-second file is rescaled like a relative one.
 */
import type { Random } from '../replica/random';
import { ratesPerMinute, type RateSchedule } from '../traffic/traffic-schedule';

/** Arrival times in seconds from the start of the profile, ascending. */
export function documentArrivals(profile: RateSchedule, expectedDocuments: number, random: Random): Float64Array {
  if (!(expectedDocuments >= 0) || !Number.isFinite(expectedDocuments)) throw new RangeError(`expected documents must be a number >= 0, got ${expectedDocuments}`);
  const rates = ratesPerMinute(profile);
  const total = rates.reduce((sum, r) => sum + r, 0);
  if (total <= 0) return new Float64Array(0);
  const times: number[] = [];
  for (let m = 0; m < rates.length; m++) {
    const n = random.poisson((expectedDocuments * rates[m]) / total);
    const minute: number[] = [];
    for (let i = 0; i < n; i++) minute.push((m + random.uniform()) * 60);
    minute.sort((a, b) => a - b);
    times.push(...minute);
  }
  return Float64Array.from(times);
}
