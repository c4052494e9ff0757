/**
 * Traffic profiles as data: a rate per minute, either relative to each endpoint's peak (the
 * built-in shapes) or in requests per second (a file). The simulator turns a relative profile into
 * each endpoint's rate with `peakRequestsPerSecond` (load-tests/simulator/peak-rates.ts).
 *
 * Built-in shapes are scenarios, not measurements; their constants say what they assume:
 * - steady: the peak rate all day (a sustained-peak test).
 * - diurnal: a news site's day, quiet at night, a morning and a larger evening peak.
 * - breaking-news: the diurnal day plus a spike to 10× the diurnal rate of its moment that builds
 *   in minutes (issue #5, DESIGN.md "breaking-news spikes (10x in minutes)"), holds, then decays.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const BUILTIN_PROFILES = ['steady', 'diurnal', 'breaking-news'] as const;
export type BuiltinProfileName = (typeof BUILTIN_PROFILES)[number];

export const DEFAULT_PROFILE_HOURS = 24;

export interface TrafficProfile {
  readonly name: string;
  /** Rate at the start of each minute; the rate in between is interpolated linearly. */
  readonly ratesPerMinute: readonly number[];
  /** `relative`: fractions of each endpoint's peak (max 1). `requests-per-second`: absolute, the same for every endpoint. */
  readonly unit: 'relative' | 'requests-per-second';
  /** Minute the spike starts, for profiles with one. */
  readonly spikeStartMinute?: number;
  readonly description: string;
}

/** [U] Scenario: night floor and the two daily peaks of a news site (hour of day, width in hours, height). */
export const DIURNAL_SHAPE = {
  floor: 0.12,
  morning: { hour: 8.5, widthHours: 2, height: 0.55 },
  evening: { hour: 20.5, widthHours: 2.5, height: 0.85 },
} as const;

/** The breaking-news spike: 10× the base rate (issue #5), reached in minutes; hold and decay [U] scenario. */
export const BREAKING_NEWS_SPIKE = {
  multiplier: 10,
  buildMinutes: 5,
  holdMinutes: 30,
  /** e-folding time of the decay back to the base rate. */
  decayMinutes: 45,
  /** Where in the simulated window the spike starts, as a fraction of it (0.6 of a day = 14:24). */
  startFraction: 0.6,
} as const;

export function builtinProfile(name: BuiltinProfileName, hours = DEFAULT_PROFILE_HOURS): TrafficProfile {
  const minutes = minutesOf(hours);
  const range = Array.from({ length: minutes }, (_, m) => m);
  switch (name) {
    case 'steady':
      return { name, unit: 'relative', ratesPerMinute: range.map(() => 1), description: 'the peak rate all the time' };
    case 'diurnal':
      return normalised({ name, unit: 'relative', ratesPerMinute: range.map(diurnalRate), description: 'a news-site day: quiet night, morning and evening peaks' });
    case 'breaking-news': {
      const spikeStartMinute = Math.floor(minutes * BREAKING_NEWS_SPIKE.startFraction);
      const rates = range.map((m) => diurnalRate(m) * (1 + (BREAKING_NEWS_SPIKE.multiplier - 1) * spikeEnvelope(m - spikeStartMinute)));
      return normalised({
        name,
        unit: 'relative',
        ratesPerMinute: rates,
        spikeStartMinute,
        description: `the diurnal day plus a ${BREAKING_NEWS_SPIKE.multiplier}× spike at minute ${spikeStartMinute} that builds in ${BREAKING_NEWS_SPIKE.buildMinutes} minutes`,
      });
    }
  }
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

function normalised(p: TrafficProfile): TrafficProfile {
  const peak = Math.max(...p.ratesPerMinute);
  return { ...p, ratesPerMinute: p.ratesPerMinute.map((r) => r / peak) };
}

function minutesOf(hours: number): number {
  if (!(hours > 0) || hours > MAX_HOURS) throw new ProfileError(`--hours: must be in (0, ${MAX_HOURS}], got ${hours}`);
  return Math.max(1, Math.round(hours * 60));
}

/** One week: longer runs are not what the simulator is for. */
export const MAX_HOURS = 168;

export class ProfileError extends Error {
  override readonly name = 'ProfileError';
}

const fileSchema = z.union([
  z.array(z.number()),
  z.strictObject({
    name: z.string().min(1).max(64).optional(),
    unit: z.enum(['requests-per-second', 'relative']).default('requests-per-second'),
    ratesPerMinute: z.array(z.number()),
    spikeStartMinute: z.number().int().min(0).optional(),
  }),
]);

/**
 * A profile from a file of per-minute rates: JSON (an array of requests/s, or
 * `{ name?, unit?, ratesPerMinute, spikeStartMinute? }`) or CSV (one rate per line, or
 * `minute,rate` lines; an optional header line). `hours` cuts the profile short.
 */
export function loadProfileFile(path: string, hours?: number): TrafficProfile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ProfileError(`profile file ${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const parsed = path.toLowerCase().endsWith('.csv') ? parseCsv(path, text) : parseJson(path, text);
  const problems: string[] = [];
  if (parsed.rates.length === 0) problems.push('ratesPerMinute: needs at least one minute');
  if (parsed.rates.length > MAX_HOURS * 60) problems.push(`ratesPerMinute: at most ${MAX_HOURS * 60} minutes, got ${parsed.rates.length}`);
  parsed.rates.forEach((r, i) => {
    if (!Number.isFinite(r) || r < 0) problems.push(`ratesPerMinute[${i}]: must be a finite number >= 0, got ${r}`);
  });
  if (parsed.unit === 'relative' && parsed.rates.some((r) => r > 1)) problems.push('ratesPerMinute: relative rates must be in [0, 1]');
  if (parsed.rates.length > 0 && parsed.rates.every((r) => r === 0)) problems.push('ratesPerMinute: every rate is 0');
  if (parsed.spikeStartMinute !== undefined && parsed.spikeStartMinute >= parsed.rates.length) {
    problems.push(`spikeStartMinute: must be < the profile's ${parsed.rates.length} minutes, got ${parsed.spikeStartMinute}`);
  }
  if (problems.length > 0) throw new ProfileError(`profile file ${path}:\n  ${problems.slice(0, 10).join('\n  ')}`);
  let rates = parsed.rates;
  if (hours !== undefined) {
    const minutes = minutesOf(hours);
    if (minutes > rates.length) throw new ProfileError(`--hours ${hours}: the profile file ${path} covers only ${rates.length} minutes`);
    rates = rates.slice(0, minutes);
  }
  return {
    name: parsed.name ?? path.split(/[\\/]/).pop() ?? path,
    unit: parsed.unit,
    ratesPerMinute: rates,
    spikeStartMinute: parsed.spikeStartMinute !== undefined && parsed.spikeStartMinute < rates.length ? parsed.spikeStartMinute : undefined,
    description: `per-minute rates from ${path}`,
  };
}

interface ParsedFile {
  readonly name?: string;
  readonly unit: TrafficProfile['unit'];
  readonly rates: number[];
  readonly spikeStartMinute?: number;
}

function parseJson(path: string, text: string): ParsedFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ProfileError(`profile file ${path}: not valid JSON (${(e as Error).message}); CSV files must end in .csv`);
  }
  const result = fileSchema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.slice(0, 10).map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
    throw new ProfileError(
      `profile file ${path}: expected an array of requests/s or { name?, unit?, ratesPerMinute, spikeStartMinute? }\n  ${issues.join('\n  ')}`,
    );
  }
  const data = result.data;
  if (Array.isArray(data)) return { unit: 'requests-per-second', rates: data };
  return { name: data.name, unit: data.unit, rates: data.ratesPerMinute, spikeStartMinute: data.spikeStartMinute };
}

function parseCsv(path: string, text: string): ParsedFile {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0 && !l.startsWith('#'));
  // A first line whose last cell is not a number is a header ("rps", "minute,rate").
  if (lines.length > 0 && Number.isNaN(Number(lines[0].split(',').pop()?.trim()))) lines.shift();
  const rates = lines.map((line, i) => {
    const cells = line.split(',').map((c) => c.trim());
    if (cells.length > 2) throw new ProfileError(`profile file ${path}: line ${i + 1}: expected "rate" or "minute,rate", got "${line}"`);
    if (cells.length === 2 && Number(cells[0]) !== i) {
      throw new ProfileError(`profile file ${path}: line ${i + 1}: minutes must count up from 0 without gaps, got minute ${cells[0]}`);
    }
    const value = Number(cells[cells.length - 1]);
    if (cells[cells.length - 1] === '' || Number.isNaN(value)) {
      throw new ProfileError(`profile file ${path}: line ${i + 1}: rate "${cells[cells.length - 1]}" is not a number`);
    }
    return value;
  });
  return { unit: 'requests-per-second', rates };
}

/** A built-in profile by name, or a profile file by path. */
export function selectProfile(nameOrFile: string, hours?: number): TrafficProfile {
  if ((BUILTIN_PROFILES as readonly string[]).includes(nameOrFile)) {
    return builtinProfile(nameOrFile as BuiltinProfileName, hours ?? DEFAULT_PROFILE_HOURS);
  }
  if (!/[./\\]/.test(nameOrFile)) {
    throw new ProfileError(`--profile: "${nameOrFile}" is neither a built-in profile (${BUILTIN_PROFILES.join(', ')}) nor a file path`);
  }
  return loadProfileFile(nameOrFile, hours);
}

/** The profile's rate at a (fractional) minute: linear between minute points, the last one after the end. */
export function rateAt(profile: TrafficProfile, minute: number): number {
  const rates = profile.ratesPerMinute;
  if (minute <= 0) return rates[0];
  const i = Math.floor(minute);
  if (i >= rates.length - 1) return rates[rates.length - 1];
  const f = minute - i;
  return rates[i] + (rates[i + 1] - rates[i]) * f;
}
