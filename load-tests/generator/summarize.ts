/**
 * From measurements to the result: histograms of all parts are merged first and percentiles
 * computed once, from the merged histograms (never an average of percentiles). Used for the
 * shards of one run and for `loadtest merge` of runs from several machines.
 */
import { encodeHistogram, mergeEncoded, percentilesMs } from './histograms';
import type { CountKey, GeneratorHealth, LoadTestResult, RequestCounts, ScheduleDescription, SecondSample } from './result-format';
import { RESULT_FORMAT_VERSION } from './result-format';
import type { ShardResult } from './shard';
import { emptyCounts, type RecallCounts, type SecondPartial } from './shard-recorder';
import { evaluateThresholds, type Threshold } from './thresholds';
import type { TargetDescription } from '../targets/target';

export interface HealthLimits {
  /** Scheduler lag p99 above this marks the run invalid. */
  readonly maxSchedulerLagP99Ms: number;
  /** Event-loop delay p99 above this marks the run invalid. */
  readonly maxEventLoopDelayP99Ms: number;
}

/**
 * wrk2 holds its schedule to about a millisecond (https://github.com/giltene/wrk2); 5 ms of scheduler lag at
 * p99 leaves room for GC pauses while still catching a generator that cannot keep up.
 */
export const DEFAULT_HEALTH_LIMITS: HealthLimits = { maxSchedulerLagP99Ms: 5, maxEventLoopDelayP99Ms: 20 };

/** Below this many busy cores per worker, a late generator was starved by other processes, not overloaded. */
const STARVED_CORES_PER_WORKER = 0.25;

/** What merges: counts, names, encoded histograms, the per-second series. */
export interface MeasurementPart {
  readonly counts: RequestCounts;
  readonly errorNames: Readonly<Record<string, number>>;
  readonly variants: Readonly<Record<string, number>>;
  readonly histograms: { readonly corrected: string; readonly uncorrected: string; readonly schedulerLag: string };
  readonly seconds: readonly SecondPartial[];
  readonly stages?: Readonly<Record<string, string>>;
  readonly recall?: RecallCounts;
  /** Where this part's second 0 falls in the merged series. */
  readonly secondOffset: number;
  readonly eventLoopDelayMs: { readonly p50: number; readonly p99: number; readonly max: number };
}

export interface ResultMeta {
  readonly target: TargetDescription;
  readonly schedule: ScheduleDescription;
  readonly startedAtEpochMs: number;
  readonly elapsedSeconds: number;
  readonly interrupted: boolean;
  readonly requestedRate: number;
  readonly achievedRate: number;
  readonly workers: number;
  readonly cpuCores: number;
  readonly limits: HealthLimits;
  readonly thresholds: readonly Threshold[];
  readonly sources: number;
  /** Reasons carried over from merged runs that were already invalid. */
  readonly invalidReasons?: readonly string[];
}

export function buildResult(parts: readonly MeasurementPart[], meta: ResultMeta): LoadTestResult {
  const counts = emptyCounts();
  const errorNames: Record<string, number> = {};
  const variants: Record<string, number> = {};
  for (const part of parts) {
    for (const key of Object.keys(counts) as CountKey[]) counts[key] += part.counts[key];
    addInto(errorNames, part.errorNames);
    addInto(variants, part.variants);
  }
  const corrected = mergeEncoded(parts.map((p) => p.histograms.corrected));
  const uncorrected = mergeEncoded(parts.map((p) => p.histograms.uncorrected));
  const schedulerLag = mergeEncoded(parts.map((p) => p.histograms.schedulerLag));
  const lag = percentilesMs(schedulerLag);
  // Event-loop delay comes from Node's own histogram, which cannot be exported: keep the worst thread.
  const worst = (key: 'p50' | 'p99' | 'max') => Math.max(0, ...parts.map((p) => p.eventLoopDelayMs[key]));
  const health: GeneratorHealth = {
    workers: meta.workers,
    schedulerLagMs: { p50: lag.p50, p99: lag.p99, max: lag.max },
    eventLoopDelayMs: { p50: worst('p50'), p99: worst('p99'), max: worst('max') },
    cpuCores: Math.round(meta.cpuCores * 100) / 100,
    limits: meta.limits,
  };
  const invalidReasons = [...(meta.invalidReasons ?? [])];
  const remedy = lighterClient(meta.target);
  if (health.schedulerLagMs.p99 > meta.limits.maxSchedulerLagP99Ms) {
    // A generator that was mostly idle did not fall behind by itself: the machine was busy.
    const starved = meta.cpuCores < STARVED_CORES_PER_WORKER * meta.workers;
    const why = starved
      ? `the generator could not send on time although it was mostly idle (${health.cpuCores} cores busy): other processes (local endpoints included) took the CPU; run it on a quieter machine`
      : 'the generator could not send on time; lower the rate or add --workers';
    invalidReasons.push(`scheduler lag p99 ${health.schedulerLagMs.p99} ms > ${meta.limits.maxSchedulerLagP99Ms} ms: ${why}${remedy}`);
  }
  if (health.eventLoopDelayMs.p99 > meta.limits.maxEventLoopDelayP99Ms) {
    invalidReasons.push(
      `event-loop delay p99 ${health.eventLoopDelayMs.p99} ms > ${meta.limits.maxEventLoopDelayP99Ms} ms: the generator's thread was blocked; add --workers${remedy}`,
    );
  }
  const latencyMs = { corrected: percentilesMs(corrected), uncorrected: percentilesMs(uncorrected) };
  const measured = { latencyMs, counts, achievedRate: round3(meta.achievedRate) };
  return {
    formatVersion: RESULT_FORMAT_VERSION,
    loadModel: 'open',
    target: { ...meta.target },
    schedule: meta.schedule,
    startedAt: new Date(meta.startedAtEpochMs).toISOString(),
    endedAt: new Date(meta.startedAtEpochMs + meta.elapsedSeconds * 1000).toISOString(),
    elapsedSeconds: round3(meta.elapsedSeconds),
    interrupted: meta.interrupted,
    requestedRate: round3(meta.requestedRate),
    achievedRate: measured.achievedRate,
    counts,
    errorNames,
    variants,
    latencyMs,
    series: mergeSeries(parts),
    health,
    valid: invalidReasons.length === 0,
    invalidReasons,
    thresholds: evaluateThresholds(meta.thresholds, measured),
    histograms: {
      unit: 'microseconds',
      encoding: 'HdrHistogram V2, compressed, base64',
      corrected: encodeHistogram(corrected),
      uncorrected: encodeHistogram(uncorrected),
      schedulerLag: encodeHistogram(schedulerLag),
    },
    sources: meta.sources,
    ...mergeStages(parts),
    ...mergeRecall(parts),
  };
}

/** Stage histograms add by name, like the end-to-end ones; percentiles come from the sums. */
function mergeStages(parts: readonly MeasurementPart[]): Pick<LoadTestResult, 'stages'> {
  const names = [...new Set(parts.flatMap((p) => Object.keys(p.stages ?? {})))];
  if (names.length === 0) return {};
  const stages: Record<string, { latencyMs: ReturnType<typeof percentilesMs>; histogram: string }> = {};
  for (const name of names) {
    const merged = mergeEncoded(parts.flatMap((p) => (p.stages?.[name] !== undefined ? [p.stages[name]] : [])));
    stages[name] = { latencyMs: percentilesMs(merged), histogram: encodeHistogram(merged) };
  }
  return { stages };
}

function mergeRecall(parts: readonly MeasurementPart[]): Pick<LoadTestResult, 'recall'> {
  const withRecall = parts.flatMap((p) => (p.recall ? [p.recall] : []));
  if (withRecall.length === 0) return {};
  const found = withRecall.reduce((n, r) => n + r.found, 0);
  const expected = withRecall.reduce((n, r) => n + r.expected, 0);
  const queries = withRecall.reduce((n, r) => n + r.queries, 0);
  return { recall: { atK: expected === 0 ? 0 : Math.round((found / expected) * 10_000) / 10_000, found, expected, queries } };
}

export interface ShardRunContext {
  readonly target: TargetDescription;
  readonly schedule: ScheduleDescription;
  readonly workers: number;
  readonly cpuCores: number;
  readonly limits: HealthLimits;
  readonly thresholds: readonly Threshold[];
}

/**
 * One run's shards. The rates are measured over the schedule's window: its full duration, or up
 * to the last arrival (plus one mean gap) when `--max-requests` or Ctrl-C ended it early. The
 * achieved rate counts requests started over that window, stretched to the last start when
 * sending ran late (a saturated generator, or requests waiting on the concurrency cap).
 */
export function summarizeShards(shards: readonly ShardResult[], context: ShardRunContext): LoadTestResult {
  const start = Math.min(...shards.map((s) => s.startedAtEpochMs));
  const scheduled = shards.reduce((n, s) => n + s.counts.scheduled, 0);
  const sent = shards.reduce((n, s) => n + s.counts.sent, 0);
  const interrupted = shards.some((s) => s.interrupted);
  const scheduleEndS = Math.max(...shards.map((s) => s.scheduleEndMs)) / 1000;
  const meanGapS = scheduled > 1 ? scheduleEndS / (scheduled - 1) : 0;
  const windowS = Math.max(1e-3, interrupted ? scheduleEndS : Math.min(context.schedule.durationSeconds, scheduleEndS + meanGapS));
  const lastSendS = Math.max(0, ...shards.map((s) => (s.lastSendMs ?? 0) / 1000));
  const sendWindowS = Math.max(windowS, lastSendS + meanGapS);
  return buildResult(
    shards.map((s) => ({ ...s, secondOffset: Math.round((s.startedAtEpochMs - start) / 1000) })),
    {
      ...context,
      startedAtEpochMs: start,
      elapsedSeconds: Math.max(...shards.map((s) => s.startedAtEpochMs - start + s.elapsedMs)) / 1000,
      interrupted,
      requestedRate: scheduled / windowS,
      achievedRate: sent / sendWindowS,
      sources: 1,
    },
  );
}

function mergeSeries(parts: readonly MeasurementPart[]): SecondSample[] {
  const bySecond = new Map<number, SecondPartial[]>();
  for (const part of parts) {
    for (const s of part.seconds) {
      const second = s.second + part.secondOffset;
      const list = bySecond.get(second) ?? [];
      list.push(s);
      bySecond.set(second, list);
    }
  }
  return [...bySecond.entries()]
    .sort(([a], [b]) => a - b)
    .map(([second, list]) => {
      const histogram = mergeEncoded(
        list.map((s) => s.histogram),
        2,
      );
      const sum = (key: 'scheduled' | 'sent' | 'ok' | 'errors' | 'throttled' | 'late' | 'dropped') => list.reduce((n, s) => n + s[key], 0);
      const p = percentilesMs(histogram);
      return {
        second,
        scheduled: sum('scheduled'),
        sent: sum('sent'),
        ok: sum('ok'),
        errors: sum('errors'),
        throttled: sum('throttled'),
        late: sum('late'),
        dropped: sum('dropped'),
        latencyMs: p.count === 0 ? null : { p50: p.p50, p99: p.p99, max: p.max },
        histogram: encodeHistogram(histogram),
      };
    });
}

/** The official Vertex client spends several times the CPU of plain REST per call (README, "GCP (Vertex AI)"). */
function lighterClient(target: TargetDescription): string {
  return target.kind === 'vertex' && target.client.startsWith('@google-cloud/aiplatform')
    ? ', or use --vertex-client rest (the same :predict requests for a fraction of the official client\'s CPU)'
    : '';
}

function addInto(into: Record<string, number>, from: Readonly<Record<string, number>>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
