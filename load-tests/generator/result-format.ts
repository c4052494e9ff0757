/**
 * The JSON a load test writes (`serving-stacks loadtest --out F`): a documented contract,
 * described field by field in load-tests/RESULT-FORMAT.md. Latencies are milliseconds; rates
 * are requests per second; histograms are HdrHistogram V2, compressed, base64, in microseconds.
 */
import type { ErrorClass } from '../targets/error-classification';
import type { TargetKind } from '../targets/target';

export const RESULT_FORMAT_VERSION = 1;

export interface LatencyPercentiles {
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly mean: number;
  /** Requests behind these figures. */
  readonly count: number;
}

export interface RequestCounts {
  /** Arrivals the schedule produced (came due) during the run. */
  readonly scheduled: number;
  /** Requests started (first attempt sent). */
  readonly sent: number;
  readonly ok: number;
  readonly throttled: number;
  readonly modelError: number;
  readonly other4xx: number;
  readonly server5xx: number;
  /** No answer within the request timeout. */
  readonly timeout: number;
  /** The client failed before any answer (connection refused, reset, DNS, …). */
  readonly client: number;
  /** In flight when the run ended at its drain deadline or was interrupted: no outcome. */
  readonly cancelled: number;
  /** Arrivals never sent: the wait queue was full, or the run ended first. */
  readonly dropped: number;
  /** Requests that waited for a free slot under the concurrency cap (timed from their intended send all the same). */
  readonly late: number;
  /** Extra attempts made by `--retries`. */
  readonly retries: number;
}

export type CountKey = keyof RequestCounts;

export type RatePointTuple = readonly [seconds: number, requestsPerSecond: number];

export interface ScheduleDescription {
  /** steady, ramp, steps, spike, diurnal, or the profile file's path. */
  readonly profile: string;
  /** uniform: evenly spaced arrivals; poisson: exponential gaps with the same rate. */
  readonly arrivals: 'uniform' | 'poisson';
  readonly durationSeconds: number;
  readonly peakRate: number;
  /** The rate curve, `[seconds, requests/s]`, linear between points. */
  readonly points: readonly RatePointTuple[];
  readonly maxRequests?: number;
}

export interface SecondSample {
  /** Seconds since the start; requests are bucketed by their intended send time. */
  readonly second: number;
  readonly scheduled: number;
  readonly sent: number;
  readonly ok: number;
  /** Requests with any error outcome (throttled included). */
  readonly errors: number;
  readonly throttled: number;
  readonly late: number;
  readonly dropped: number;
  /** Corrected latency of the second's successful requests; null when none succeeded. */
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number } | null;
  /** The second's corrected-latency histogram, encoded (2 significant digits). */
  readonly histogram: string;
}

export interface GeneratorHealth {
  readonly workers: number;
  /** Delay between a request's intended send time and the moment the scheduler handled it. */
  readonly schedulerLagMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** `perf_hooks.monitorEventLoopDelay`, worst thread (merged runs: worst source). */
  readonly eventLoopDelayMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** CPU the generator process used, in cores (1.0 = one core busy all the time). */
  readonly cpuCores: number;
  readonly limits: { readonly maxSchedulerLagP99Ms: number; readonly maxEventLoopDelayP99Ms: number };
}

export interface ThresholdResult {
  readonly expression: string;
  readonly actual: number;
  readonly pass: boolean;
  /** Present (true) on the default error threshold, applied because no threshold bounded `errors`. */
  readonly isDefault?: true;
}

export interface LoadTestResult {
  readonly formatVersion: typeof RESULT_FORMAT_VERSION;
  /** Always `open`: arrivals follow the schedule whatever the responses do. */
  readonly loadModel: 'open';
  readonly target: {
    readonly kind: TargetKind;
    readonly endpoint: string;
    readonly url?: string;
    readonly region?: string;
    readonly client: string;
  };
  readonly schedule: ScheduleDescription;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly elapsedSeconds: number;
  /** True when stopped early (Ctrl-C): the figures cover what was measured. */
  readonly interrupted: boolean;
  /** Arrivals per second the schedule asked for over the run. */
  readonly requestedRate: number;
  /** Requests started per second (see RESULT-FORMAT.md for the window). */
  readonly achievedRate: number;
  readonly counts: RequestCounts;
  /** Failures by the name the service or client gave (`ThrottlingException`, `RESOURCE_EXHAUSTED`, `ECONNREFUSED`). */
  readonly errorNames: Readonly<Record<string, number>>;
  /** Successful requests by the variant or deployed model that answered. */
  readonly variants: Readonly<Record<string, number>>;
  readonly latencyMs: {
    /** From the intended send time to the answer: what users of an open system wait. */
    readonly corrected: LatencyPercentiles;
    /** From the actual send to the answer: the service time a closed-loop tool would report. */
    readonly uncorrected: LatencyPercentiles;
  };
  readonly series: readonly SecondSample[];
  readonly health: GeneratorHealth;
  /** False when the generator, not the target, was the bottleneck: the latencies are not trustworthy. */
  readonly valid: boolean;
  readonly invalidReasons: readonly string[];
  readonly thresholds: readonly ThresholdResult[];
  readonly histograms: {
    readonly unit: 'microseconds';
    readonly encoding: 'HdrHistogram V2, compressed, base64';
    readonly corrected: string;
    readonly uncorrected: string;
    readonly schedulerLag: string;
  };
  /** Runs merged into this one (1 for a single run). */
  readonly sources: number;
  /**
   * Multi-stage targets (`--target rag`) only: each stage's own time (from the stage's start to
   * its answer, successful calls only), beside the end-to-end `latencyMs`, and its histogram.
   */
  readonly stages?: Readonly<Record<string, { readonly latencyMs: LatencyPercentiles; readonly histogram: string }>>;
  /** Retrieval targets only: recall@k against exact ground truth, over successful queries. */
  readonly recall?: {
    /** found / expected: the mean recall@k when every query expects k neighbours. */
    readonly atK: number;
    readonly found: number;
    readonly expected: number;
    readonly queries: number;
  };
  /** `--target pipeline` only: the source queue's dead letters, counted when the run starts and ends. */
  readonly pipeline?: PipelineRunSummary;
}

export interface PipelineRunSummary {
  /** The topology's source queue name. */
  readonly queue: string;
  /** Its dead-letter queue (SQS URL) or the dead-letter topic's subscription (Pub/Sub). */
  readonly deadLetterQueue: string;
  /** Messages that reached the dead-letter queue during the run (end count minus start count). */
  readonly deadLetters: number;
  /** What the dead-letter queue held before the run. */
  readonly deadLettersAtStart: number;
  /** Distinct documents the run updated versions of (`--documents`). */
  readonly documents: number;
}

export type OutcomeClass = 'ok' | ErrorClass;
