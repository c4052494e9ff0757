/**
 * Traffic profiles from files, compiled to the one schedule:
 * - per-minute rates, JSON (an array of requests/s, or `{ name?, unit?, ratesPerMinute,
 *   spikeStartMinute?, spikesPerWeek? }`) or CSV (one rate per line, or `minute,rate` lines; an
 *   optional header line);
 * - stages, YAML or JSON, k6 ramping-arrival-rate style: `startRate` then stages, each ramping
 *   linearly to its `targetRate` (requests/s) over `durationSeconds` (0 s makes a step).
 *
 * ```yaml
 * startRate: 10
 * stages:
 *   - { durationSeconds: 30, targetRate: 100 }
 *   - { durationSeconds: 60, targetRate: 100 }
 * ```
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { perMinute } from './builtin-profiles';
import { MAX_HOURS, ProfileError, scheduleDurationSeconds, truncateSchedule, type RatePoint, type TrafficSchedule } from './traffic-schedule';

/** A profile file; `hours` cuts it short. */
export function loadProfileFile(path: string, hours?: number): TrafficSchedule {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ProfileError(`profile file ${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const lower = path.toLowerCase();
  let schedule: TrafficSchedule;
  if (lower.endsWith('.csv')) schedule = perMinuteProfile(path, { unit: 'requests-per-second', rates: parseCsv(path, text) });
  else {
    const data = lower.endsWith('.json') ? parseJson(path, text) : parseYamlText(path, text);
    schedule = isStages(data) ? stagesProfile(path, data) : perMinuteProfile(path, parsePerMinute(path, data));
  }
  if (hours === undefined) return schedule;
  if (!(hours > 0) || hours > MAX_HOURS) throw new ProfileError(`--hours: must be in (0, ${MAX_HOURS}], got ${hours}`);
  const seconds = hours * 3600;
  const length = scheduleDurationSeconds(schedule);
  if (seconds > length + 1e-9) throw new ProfileError(`--hours ${hours}: the profile file ${path} covers only ${describeLength(length)}`);
  const cut = truncateSchedule(schedule, seconds);
  return cut.spike && cut.spike.startSeconds >= seconds ? { ...cut, spike: undefined } : cut;
}

function isStages(data: unknown): boolean {
  return typeof data === 'object' && data !== null && !Array.isArray(data) && 'stages' in data;
}

function describeLength(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} minutes` : `${seconds} seconds`;
}

const perMinuteSchema = z.union([
  z.array(z.number()),
  z.strictObject({
    name: z.string().min(1).max(64).optional(),
    unit: z.enum(['requests-per-second', 'relative']).default('requests-per-second'),
    ratesPerMinute: z.array(z.number()),
    spikeStartMinute: z.number().int().min(0).optional(),
    spikesPerWeek: z.number().min(0).max(7 * 24).optional(),
  }),
]);

interface PerMinuteFile {
  readonly name?: string;
  readonly unit: TrafficSchedule['unit'];
  readonly rates: number[];
  readonly spikeStartMinute?: number;
  readonly spikesPerWeek?: number;
}

function perMinuteProfile(path: string, parsed: PerMinuteFile): TrafficSchedule {
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
  if (parsed.spikesPerWeek !== undefined && parsed.spikeStartMinute === undefined) problems.push('spikesPerWeek: only with spikeStartMinute (the spike it counts)');
  if (problems.length > 0) throw new ProfileError(`profile file ${path}:\n  ${problems.slice(0, 10).join('\n  ')}`);
  const name = parsed.name ?? path.split(/[\\/]/).pop() ?? path;
  // Rates as written: a relative file is already relative to its peak, an absolute one is in requests/s.
  const schedule: TrafficSchedule = { ...perMinute(name, `per-minute rates from ${path}`, parsed.rates, 1), unit: parsed.unit };
  return parsed.spikeStartMinute === undefined
    ? schedule
    : { ...schedule, spike: { startSeconds: parsed.spikeStartMinute * 60, ...(parsed.spikesPerWeek !== undefined ? { spikesPerWeek: parsed.spikesPerWeek } : {}) } };
}

function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ProfileError(`profile file ${path}: not valid JSON (${(e as Error).message}); CSV files must end in .csv, YAML files in .yaml or .yml`);
  }
}

function parseYamlText(path: string, text: string): unknown {
  try {
    return parseYaml(text);
  } catch (e) {
    throw new ProfileError(`profile file ${path}: cannot read it as YAML or JSON: ${(e as Error).message}`);
  }
}

function parsePerMinute(path: string, data: unknown): PerMinuteFile {
  const result = perMinuteSchema.safeParse(data);
  if (!result.success) {
    const issues = result.error.issues.slice(0, 10).map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
    throw new ProfileError(
      `profile file ${path}: expected an array of requests/s, { name?, unit?, ratesPerMinute, spikeStartMinute?, spikesPerWeek? } or { startRate?, stages }\n  ${issues.join('\n  ')}`,
    );
  }
  const d = result.data;
  if (Array.isArray(d)) return { unit: 'requests-per-second', rates: d };
  return { name: d.name, unit: d.unit, rates: d.ratesPerMinute, spikeStartMinute: d.spikeStartMinute, spikesPerWeek: d.spikesPerWeek };
}

function parseCsv(path: string, text: string): number[] {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0 && !l.startsWith('#'));
  // A first line whose last cell is not a number is a header ("rps", "minute,rate").
  if (lines.length > 0 && Number.isNaN(Number(lines[0].split(',').pop()?.trim()))) lines.shift();
  return lines.map((line, i) => {
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
}

/** A stages profile (requests/s), every problem listed with its path. */
export function stagesProfile(path: string, data: unknown): TrafficSchedule {
  const where = `profile file ${path}`;
  const problems: string[] = [];
  const record = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  const unknownTop = Object.keys(record).filter((k) => k !== 'startRate' && k !== 'stages' && k !== 'name');
  if (unknownTop.length) problems.push(`unknown field ${unknownTop.join(', ')}; allowed are name, startRate and stages`);
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
  if (!problems.length && t > MAX_HOURS * 3600) problems.push(`stages: at most ${MAX_HOURS} h in total, got ${t} s`);
  if (!problems.length && points.every(([, r]) => r === 0)) problems.push('stages: every rate is 0');
  if (problems.length) throw new ProfileError(`${where}:\n  ${problems.join('\n  ')}`);
  const name = typeof record.name === 'string' && record.name.length > 0 ? record.name : (path.split(/[\\/]/).pop() ?? path);
  return { name, description: `stages from ${path}`, unit: 'requests-per-second', points };
}
