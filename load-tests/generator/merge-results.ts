/**
 * `serving-stacks loadtest merge a.json b.json`: runs against the same endpoint at the same time
 * from several machines, merged into one result. Counts add, histograms add (percentiles are
 * recomputed from the sums), per-second series line up by wall-clock second, rates add, and the
 * merged run is valid only if every run was.
 */
import { RESULT_FORMAT_VERSION, type LoadTestResult, type RatePointTuple, type ScheduleDescription } from './result-format';
import { rateAt } from '../traffic/traffic-schedule';
import { buildResult, type MeasurementPart } from './summarize';
import type { Threshold } from './thresholds';

export class MergeError extends Error {
  override readonly name = 'MergeError';
}

export interface MergeOptions {
  /** How a run is named in carried-over invalid reasons. @default "run <n>" */
  readonly label?: (index: number) => string;
  /** Reasons the merged run is invalid beyond its runs' own (a fleet task that never reported). */
  readonly invalidReasons?: readonly string[];
}

export function mergeResults(results: readonly LoadTestResult[], thresholds: readonly Threshold[] = [], options: MergeOptions = {}): LoadTestResult {
  if (results.length === 0) throw new MergeError('nothing to merge: give at least one result file');
  results.forEach(checkShape);
  const endpoints = [...new Set(results.map((r) => `${r.target.kind} ${r.target.endpoint}`))];
  if (endpoints.length > 1) throw new MergeError(`results measure different endpoints (${endpoints.join('; ')}); merge runs of one endpoint only`);

  const starts = results.map((r) => Date.parse(r.startedAt));
  const start = Math.min(...starts);
  const parts: MeasurementPart[] = results.map((r, i) => ({
    counts: r.counts,
    errorNames: r.errorNames,
    variants: r.variants,
    histograms: r.histograms,
    seconds: r.series,
    stages: r.stages && Object.fromEntries(Object.entries(r.stages).map(([name, s]) => [name, s.histogram])),
    recall: r.recall && { found: r.recall.found, expected: r.recall.expected, queries: r.recall.queries },
    secondOffset: Math.round((starts[i] - start) / 1000),
    eventLoopDelayMs: r.health.eventLoopDelayMs,
  }));
  const label = options.label ?? ((i: number) => `run ${i + 1}`);
  const invalidReasons = [...results.flatMap((r, i) => r.invalidReasons.map((why) => `${label(i)}: ${why}`)), ...(options.invalidReasons ?? [])];
  // The merged run judges lag against the strictest limits any run was held to.
  const limits = {
    maxSchedulerLagP99Ms: Math.min(...results.map((r) => r.health.limits.maxSchedulerLagP99Ms)),
    maxEventLoopDelayP99Ms: Math.min(...results.map((r) => r.health.limits.maxEventLoopDelayP99Ms)),
  };
  return buildResult(parts, {
    target: results[0].target,
    schedule: mergeSchedules(results.map((r) => r.schedule)),
    startedAtEpochMs: start,
    elapsedSeconds: Math.max(...results.map((r, i) => (starts[i] - start) / 1000 + r.elapsedSeconds)),
    interrupted: results.some((r) => r.interrupted),
    requestedRate: results.reduce((n, r) => n + r.requestedRate, 0),
    achievedRate: results.reduce((n, r) => n + r.achievedRate, 0),
    workers: results.reduce((n, r) => n + r.health.workers, 0),
    cpuCores: results.reduce((n, r) => n + r.health.cpuCores, 0),
    limits,
    thresholds,
    sources: results.reduce((n, r) => n + r.sources, 0),
    invalidReasons,
  });
}

/** Results come from files: check the fields merging reads, and name what is missing. */
function checkShape(result: LoadTestResult, i: number): void {
  const r = result as unknown as Record<string, unknown>;
  const at = (path: string) => path.split('.').reduce<unknown>((o, k) => (typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[k] : undefined), r);
  if (r.formatVersion !== RESULT_FORMAT_VERSION) {
    throw new MergeError(`result ${i + 1}: formatVersion ${JSON.stringify(r.formatVersion)} is not supported; expected ${RESULT_FORMAT_VERSION}`);
  }
  const missing = [
    ['target.endpoint', 'string'],
    ['startedAt', 'string'],
    ['counts.scheduled', 'number'],
    ['histograms.corrected', 'string'],
    ['histograms.uncorrected', 'string'],
    ['histograms.schedulerLag', 'string'],
    ['health.limits.maxSchedulerLagP99Ms', 'number'],
    ['schedule.points', 'object'],
    ['series', 'object'],
  ].filter(([path, type]) => typeof at(path) !== type);
  if (missing.length) throw new MergeError(`result ${i + 1}: not a load test result; missing or wrong ${missing.map(([p]) => p).join(', ')}`);
}

/** The combined rate curve: the runs' rates added at every point any of them has. */
function mergeSchedules(schedules: readonly ScheduleDescription[]): ScheduleDescription {
  const times = [...new Set(schedules.flatMap((s) => s.points.map(([t]) => t)))].sort((a, b) => a - b);
  const points: RatePointTuple[] = times.map((t) => [t, schedules.reduce((sum, s) => sum + (t <= s.durationSeconds ? rateAt(s, t) : 0), 0)]);
  const profiles = [...new Set(schedules.map((s) => s.profile))];
  const maxRequests = schedules.every((s) => s.maxRequests !== undefined) ? schedules.reduce((n, s) => n + (s.maxRequests ?? 0), 0) : undefined;
  return {
    profile: profiles.join('+'),
    arrivals: schedules.every((s) => s.arrivals === 'uniform') ? 'uniform' : 'poisson',
    durationSeconds: Math.max(...schedules.map((s) => s.durationSeconds)),
    peakRate: Math.max(...points.map(([, r]) => r)),
    points,
    ...(maxRequests !== undefined ? { maxRequests } : {}),
  };
}
