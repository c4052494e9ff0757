/**
 * `runLoadTest`: one open-loop load test, on the main thread or sharded over worker threads
 * (one target client per thread), merged from the shards' encoded histograms.
 *
 * Stages (autocannon's layout): defaults (load-test-defaults.ts) → validation
 * (validate-load-test.ts, every problem at once) → core loop (open-loop-runner.ts, typed events)
 * → histograms (shard-recorder.ts) → summary (summarize.ts) → reporters (reporters/).
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PredictPayload } from '../models/sample-payloads';
import type { TargetSpec } from '../targets/create-target';
import { TargetSetupError, type TargetDescription } from '../targets/target';
import {
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_MAX_WAITING,
  DEFAULT_PROGRESS_INTERVAL_MS,
  DEFAULT_STOP_GRACE_MS,
  DEFAULT_TIMEOUT_MS,
} from './load-test-defaults';
import type { LoadTestResult, ScheduleDescription } from './result-format';
import { expectedArrivals, type RateSchedule } from '../traffic/traffic-schedule';
import { describeSchedule } from './arrivals';
import { Shard, type ShardProgress, type ShardResult, type ShardSpec } from './shard';
import type { WorkerMessage } from './shard-worker';
import { DEFAULT_HEALTH_LIMITS, summarizeShards, type HealthLimits } from './summarize';
import type { Threshold } from './thresholds';
import { validateLoadTestOptions } from './validate-load-test';

export interface LoadTestOptions {
  readonly target: TargetSpec;
  readonly schedule: RateSchedule;
  /** Name of the schedule in the result (`steady`, a file path, …). @default 'custom' */
  readonly profile?: string;
  /** @default 'uniform' */
  readonly arrivals?: 'uniform' | 'poisson';
  readonly payloads: readonly PredictPayload[];
  /** Stop after this many arrivals. @default - the schedule decides */
  readonly maxRequests?: number;
  /** Worker threads, each with its own client. @default 1 - the main thread */
  readonly workers?: number;
  /** Cap on requests in flight over all workers. @default 1024 */
  readonly maxInFlight?: number;
  /** Arrivals waiting for a slot at most; more are dropped. @default 100_000 */
  readonly maxWaiting?: number;
  /** Per attempt. @default 60_000 */
  readonly timeoutMs?: number;
  /** Retries of throttles and 5xx answers. @default 0 */
  readonly retries?: number;
  /** Seed of Poisson gaps and retry jitter. @default 1 */
  readonly seed?: number;
  /** @default [] */
  readonly thresholds?: readonly Threshold[];
  /** @default DEFAULT_HEALTH_LIMITS */
  readonly limits?: HealthLimits;
  /** Time requests get after the schedule ends. @default timeoutMs */
  readonly drainTimeoutMs?: number;
  /** Time in-flight requests get after an interruption. @default 2000 */
  readonly stopGraceMs?: number;
  /**
   * Seconds of the schedule run once before the measured run, untimed and unrecorded (extra
   * requests to the endpoint). @default 0
   */
  readonly warmupSeconds?: number;
  /** Aborting it stops the run early (Ctrl-C); the result covers what was measured. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: RunProgress) => void;
  /** @default 1000 */
  readonly progressIntervalMs?: number;
  /**
   * This run is task `index` of `count` in a fleet (`loadtest --fleet`): it takes only its share of
   * the arrivals and of the concurrency caps, so the tasks together make the one-run sequence.
   * @default - the whole schedule
   */
  readonly fleetTask?: { readonly index: number; readonly count: number };
  /**
   * Called once every shard of this run is ready; resolves to the wall-clock time to start at
   * (a fleet's tasks share one). @default - START_LEAD_MS from now
   */
  readonly startAt?: () => Promise<number>;
}

export interface RunProgress extends ShardProgress {
  readonly elapsedSeconds: number;
  readonly durationSeconds: number;
  /** Arrivals the whole schedule will produce. */
  readonly expectedTotal: number;
}

export class LoadTestOptionsError extends Error {
  override readonly name = 'LoadTestOptionsError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid load test:\n  ${problems.join('\n  ')}`);
  }
}

/** Lead time between "everyone is ready" and the first arrival, so all shards start on time. */
const START_LEAD_MS = 50;

export async function runLoadTest(options: LoadTestOptions): Promise<LoadTestResult> {
  const problems = validateLoadTestOptions(options);
  if (problems.length) throw new LoadTestOptionsError(problems);
  const workers = options.workers ?? 1;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  const maxWaiting = options.maxWaiting ?? DEFAULT_MAX_WAITING;
  // A fleet task's workers are shards fleetIndex·W … fleetIndex·W + W−1 of count·W.
  const fleet = options.fleetTask ?? { index: 0, count: 1 };
  const shardCount = fleet.count * workers;
  const specs: ShardSpec[] = Array.from({ length: workers }, (_, i) => ({
    shardIndex: fleet.index * workers + i,
    shardCount,
    target: options.target,
    payloads: options.payloads,
    schedule: options.schedule,
    arrivals: options.arrivals ?? 'uniform',
    seed: options.seed ?? 1,
    maxRequests: options.maxRequests,
    maxInFlight: Math.floor(maxInFlight / shardCount) + (fleet.index * workers + i < maxInFlight % shardCount ? 1 : 0),
    maxWaiting: Math.ceil(maxWaiting / shardCount),
    timeoutMs,
    retries: options.retries ?? 0,
    drainTimeoutMs: options.drainTimeoutMs ?? timeoutMs,
    stopGraceMs: options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS,
    warmupSeconds: options.warmupSeconds ?? 0,
  }));

  const schedule = fleetShare(describeSchedule(options.profile ?? 'custom', options.schedule, options.arrivals ?? 'uniform', options.maxRequests), fleet, workers);
  const total = Math.ceil(Math.min(Math.floor(expectedArrivals(options.schedule)), options.maxRequests ?? Number.POSITIVE_INFINITY) / fleet.count);
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const { shards, description } = workers === 1 ? await runInProcess(specs[0], options, schedule.durationSeconds, total) : await runOnWorkers(specs, options, schedule.durationSeconds, total);
  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = performance.now() - wallBefore;
  return summarizeShards(shards, {
    target: description,
    schedule,
    workers,
    cpuCores: wallMs > 0 ? (cpu.user + cpu.system) / 1000 / wallMs : 0,
    limits: options.limits ?? DEFAULT_HEALTH_LIMITS,
    thresholds: options.thresholds ?? [],
  });
}

interface ShardsRun {
  readonly shards: ShardResult[];
  readonly description: TargetDescription;
}

async function runInProcess(spec: ShardSpec, options: LoadTestOptions, durationSeconds: number, total: number): Promise<ShardsRun> {
  const shard = await Shard.open(spec);
  const startAt = await startTime(options).catch(async (e: unknown) => {
    await shard.close();
    throw e;
  });
  const onAbort = () => shard.stop();
  options.signal?.addEventListener('abort', onAbort);
  if (options.signal?.aborted) onAbort();
  const progress = startProgress(options, startAt, durationSeconds, total, () => [shard.progress()]);
  try {
    const result = await shard.run(startAt);
    return { shards: [result], description: shard.description };
  } finally {
    progress.stop();
    options.signal?.removeEventListener('abort', onAbort);
    await shard.close();
  }
}

/**
 * Worker threads load the TypeScript sources through tsx, as the main program does
 * (bin/serving-stacks.js); each builds its own target client from the plain-data spec.
 */
const WORKER_BOOTSTRAP = (entry: string) => `require('tsx/cjs'); require(${JSON.stringify(entry)});`;

async function runOnWorkers(specs: readonly ShardSpec[], options: LoadTestOptions, durationSeconds: number, total: number): Promise<ShardsRun> {
  const entry = join(__dirname, 'shard-worker.ts');
  const latest: ShardProgress[] = specs.map(() => ({ scheduled: 0, sent: 0, ok: 0, errors: 0, dropped: 0, inFlight: 0 }));
  const threads = specs.map((spec) => new Worker(WORKER_BOOTSTRAP(entry), { eval: true, workerData: spec }));
  const supervised = threads.map((thread, i) => {
    const ready = deferred<TargetDescription>();
    const result = deferred<ShardResult>();
    const fail = (e: Error) => (ready.reject(e), result.reject(e));
    thread.on('message', (message: WorkerMessage) => {
      if (message.type === 'ready') ready.resolve(message.description);
      else if (message.type === 'progress') latest[i] = message.progress;
      else if (message.type === 'result') result.resolve(message.result);
      else fail(message.setup ? new TargetSetupError(message.message) : new Error(`load test worker ${i}: ${message.message}`));
    });
    thread.on('error', fail);
    thread.on('exit', (code) => fail(new Error(`load test worker ${i} exited (code ${code}) before reporting a result`)));
    return { ready: ready.promise, result: result.promise };
  });
  const stopAll = () => threads.forEach((t) => t.postMessage({ type: 'stop' }));
  options.signal?.addEventListener('abort', stopAll);
  let progress: { stop(): void } | undefined;
  try {
    const descriptions = await Promise.all(supervised.map((w) => w.ready));
    const startAt = await startTime(options);
    threads.forEach((t) => t.postMessage({ type: 'start', startAtEpochMs: startAt }));
    if (options.signal?.aborted) stopAll();
    progress = startProgress(options, startAt, durationSeconds, total, () => latest);
    const shards = await Promise.all(supervised.map((w) => w.result));
    return { shards, description: descriptions[0] };
  } finally {
    progress?.stop();
    options.signal?.removeEventListener('abort', stopAll);
    await Promise.all(threads.map((t) => t.terminate()));
  }
}

/** A fleet task's result describes its share of the schedule, so merging the tasks adds up to the whole. */
function fleetShare(schedule: ScheduleDescription, fleet: { index: number; count: number }, workers: number): ScheduleDescription {
  if (fleet.count === 1) return schedule;
  const share = (n: number) => Math.round((n / fleet.count) * 1000) / 1000;
  const { maxRequests, ...rest } = schedule;
  return {
    ...rest,
    peakRate: share(schedule.peakRate),
    points: schedule.points.map(([t, r]) => [t, share(r)] as const),
    // The arrivals k < maxRequests this task's shards take (k ≡ shard index, mod all shards).
    ...(maxRequests !== undefined ? { maxRequests: taskArrivals(maxRequests, fleet, workers) } : {}),
  };
}

function taskArrivals(maxRequests: number, fleet: { index: number; count: number }, workers: number): number {
  const shards = fleet.count * workers;
  let n = 0;
  for (let g = fleet.index * workers; g < (fleet.index + 1) * workers; g++) n += Math.max(0, Math.ceil((maxRequests - g) / shards));
  return n;
}

function startTime(options: LoadTestOptions): Promise<number> {
  return options.startAt ? options.startAt() : Promise.resolve(Date.now() + START_LEAD_MS);
}

function startProgress(
  options: LoadTestOptions,
  startAt: number,
  durationSeconds: number,
  expectedTotal: number,
  read: () => readonly ShardProgress[],
): { stop(): void } {
  const report = options.onProgress;
  if (!report) return { stop: () => undefined };
  const timer = setInterval(() => {
    const parts = read();
    const sum = (key: keyof ShardProgress) => parts.reduce((n, p) => n + p[key], 0);
    report({
      elapsedSeconds: Math.max(0, (Date.now() - startAt) / 1000),
      durationSeconds,
      expectedTotal,
      scheduled: sum('scheduled'),
      sent: sum('sent'),
      ok: sum('ok'),
      errors: sum('errors'),
      dropped: sum('dropped'),
      inFlight: sum('inFlight'),
    });
  }, options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: Error): void;
}

/** A promise settled from outside; its rejection is reported by whoever awaits it, not as unhandled. */
function deferred<T>(): Deferred<T> {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: Error) => void = () => undefined;
  const promise = new Promise<T>((a, b) => ((resolve = a), (reject = b)));
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
