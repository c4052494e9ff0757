/**
 * One shard of a load test: one target client, one open-loop runner and its recorder, on one
 * thread. A test with `--workers W` runs W shards on W worker threads, each taking every W-th
 * arrival; with one worker the shard runs on the main thread.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Clock } from '../clock/clock';
import { Random } from '../replica/random';
import { realClock } from '../clock/real-clock';
import type { PredictPayload } from '../models/sample-payloads';
import { createTarget, type TargetSpec } from '../targets/create-target';
import { TargetSetupError, type CallOutcome, type Target, type TargetDescription } from '../targets/target';
import { OpenLoopRunner } from './open-loop-runner';
import { retryPolicy } from './retry-policy';
import { scheduleDurationSeconds, truncateSchedule, type RateSchedule } from '../traffic/traffic-schedule';
import { ArrivalIterator } from './arrivals';
import { ShardRecorder, type RecordedShard } from './shard-recorder';

/** Everything a shard needs, as plain data (it crosses to worker threads). */
export interface ShardSpec {
  readonly shardIndex: number;
  readonly shardCount: number;
  readonly target: TargetSpec;
  readonly payloads: readonly PredictPayload[];
  readonly schedule: RateSchedule;
  readonly arrivals: 'uniform' | 'poisson';
  readonly seed: number;
  /** Over all shards. */
  readonly maxRequests?: number;
  /** This shard's share of the concurrency cap. */
  readonly maxInFlight: number;
  readonly maxWaiting: number;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly drainTimeoutMs: number;
  readonly stopGraceMs: number;
  /** Seconds of the schedule run once, untimed and unrecorded, before the measured run. */
  readonly warmupSeconds: number;
}

export interface ShardResult extends RecordedShard {
  /** Wall-clock time of the shard's second 0. */
  readonly startedAtEpochMs: number;
  /** Milliseconds from the start: the end of the run, the end of the schedule, the last request started. */
  readonly elapsedMs: number;
  readonly scheduleEndMs: number;
  readonly lastSendMs: number | undefined;
  readonly interrupted: boolean;
  readonly eventLoopDelayMs: { readonly p50: number; readonly p99: number; readonly max: number };
}

export interface ShardProgress {
  readonly scheduled: number;
  readonly sent: number;
  readonly ok: number;
  readonly errors: number;
  readonly dropped: number;
  readonly inFlight: number;
}

/**
 * Untimed requests before the run, a few at a time: enough for the client's hot paths to be
 * compiled, few enough to be nothing to the endpoint (and well inside any throttling limit).
 */
const WARM_UP_REQUESTS = 50;
const WARM_UP_CONCURRENCY = 8;

/** Sampling interval of the event-loop delay monitor. */
const EVENT_LOOP_RESOLUTION_MS = 10;

/**
 * `--warmup`: the first seconds of the schedule, run once through the same loop and client with
 * nothing recorded, so the measured run starts with compiled code and open connections. At tens
 * of thousands of requests per second the first half second otherwise runs late.
 */
async function warmUpRun(spec: ShardSpec, target: Target, clock: Clock): Promise<void> {
  const schedule = truncateSchedule(spec.schedule, Math.min(spec.warmupSeconds, scheduleDurationSeconds(spec.schedule)));
  const runner = new OpenLoopRunner({
    ...runnerOptions(spec, schedule, target, clock),
    retry: retryPolicy(0),
    random: new Random(spec.seed),
    drainTimeoutMs: Math.min(spec.drainTimeoutMs, WARM_UP_DRAIN_MS),
    stopGraceMs: 0,
    onEvent: () => undefined,
  });
  await runner.run(clock.now() + 1);
}

/** What a shard's runs share: the arrivals of this shard, the client, and the caps. */
function runnerOptions(spec: ShardSpec, schedule: RateSchedule, target: Target, clock: Clock, maxRequests?: number) {
  return {
    clock,
    arrivals: new ArrivalIterator(schedule, {
      shardIndex: spec.shardIndex,
      shardCount: spec.shardCount,
      maxRequests,
      process: spec.arrivals,
      seed: spec.seed,
    }),
    sender: target,
    payloadCount: spec.payloads.length,
    maxInFlight: spec.maxInFlight,
    maxWaiting: spec.maxWaiting,
    timeoutMs: spec.timeoutMs,
  };
}

/** The warm-up run does not wait long for stragglers. */
const WARM_UP_DRAIN_MS = 1000;

export class Shard {
  private readonly recorder = new ShardRecorder();
  private readonly runner: OpenLoopRunner;

  private constructor(
    spec: ShardSpec,
    private readonly target: Target,
    private readonly clock: Clock,
  ) {
    this.runner = new OpenLoopRunner({
      ...runnerOptions(spec, spec.schedule, target, clock, spec.maxRequests),
      retry: retryPolicy(spec.retries),
      random: new Random(spec.seed + 7919 * (spec.shardIndex + 1)),
      drainTimeoutMs: spec.drainTimeoutMs,
      stopGraceMs: spec.stopGraceMs,
      onEvent: this.recorder.onEvent,
    });
  }

  /**
   * Builds the target client and warms it up before any timing starts: connections and
   * credentials, then a few untimed requests whose outcomes are ignored, so lazily loaded code and
   * the JIT compiler do not stall the first fraction of a second of the schedule.
   */
  static async open(spec: ShardSpec, clock: Clock = realClock): Promise<Shard> {
    const target = createTarget(spec.target, spec.payloads);
    try {
      await target.warmUp();
    } catch (e) {
      await target.close();
      const { kind, endpoint, url } = target.description;
      throw new TargetSetupError(`cannot set up the ${kind} target ${endpoint}${url ? ` at ${url}` : ''}: ${(e as Error).message}`);
    }
    if (target.untimedRequests === false) {
      if (spec.warmupSeconds > 0) await warmUpRun(spec, target, clock);
      return new Shard(spec, target, clock);
    }
    const one = (i: number) =>
      new Promise<CallOutcome | undefined>((resolve) => {
        const timer = setTimeout(() => (call.cancel(), resolve(undefined)), spec.timeoutMs);
        const call = target.send(i % spec.payloads.length, (outcome) => (clearTimeout(timer), resolve(outcome)));
      });
    // The first request doubles as a probe: a target that cannot be reached at all (connection
    // refused, no such host, no credentials) is a setup error, not a run full of client errors.
    const probe = await one(0);
    if (probe && !probe.ok && probe.error.errorClass === 'client') {
      await target.close();
      const { kind, endpoint, url } = target.description;
      throw new TargetSetupError(
        `cannot reach the ${kind} target ${endpoint}${url ? ` at ${url}` : ''}: ${probe.error.name}${probe.error.message ? ` (${probe.error.message})` : ''}`,
      );
    }
    for (let sent = 1; sent < WARM_UP_REQUESTS; sent += WARM_UP_CONCURRENCY) {
      await Promise.all(Array.from({ length: WARM_UP_CONCURRENCY }, (_, j) => one(sent + j)));
    }
    if (spec.warmupSeconds > 0) await warmUpRun(spec, target, clock);
    return new Shard(spec, target, clock);
  }

  get description(): TargetDescription {
    return this.target.description;
  }

  /**
   * Runs from `startAtEpochMs`, a wall-clock time shared by all shards so that shards on several
   * threads start together (each thread has its own monotonic clock origin).
   */
  async run(startAtEpochMs: number): Promise<ShardResult> {
    const startAtMs = this.clock.now() + (startAtEpochMs - Date.now());
    this.recorder.begin(startAtMs);
    const delay = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
    delay.enable();
    try {
      const times = await this.runner.run(startAtMs);
      delay.disable();
      // Node records whole timer intervals; the delay is what exceeds the sampling interval.
      const nsToMs = (ns: number) => Math.max(0, Math.round(ns / 1000 - EVENT_LOOP_RESOLUTION_MS * 1000) / 1000);
      return {
        ...this.recorder.result(),
        startedAtEpochMs: startAtEpochMs,
        elapsedMs: times.endMs - times.startMs,
        scheduleEndMs: times.scheduleEndMs - times.startMs,
        lastSendMs: times.lastSendMs === undefined ? undefined : times.lastSendMs - times.startMs,
        interrupted: times.interrupted,
        eventLoopDelayMs: { p50: nsToMs(delay.percentile(50)), p99: nsToMs(delay.percentile(99)), max: nsToMs(delay.max) },
      };
    } finally {
      delay.disable();
    }
  }

  stop(): void {
    this.runner.stop();
  }

  progress(): ShardProgress {
    const c = this.recorder.counts;
    return {
      scheduled: c.scheduled,
      sent: c.sent + this.runner.requestsInFlight,
      ok: c.ok,
      errors: c.throttled + c.modelError + c.other4xx + c.server5xx + c.timeout + c.client + c.cancelled,
      dropped: c.dropped,
      inFlight: this.runner.requestsInFlight,
    };
  }

  close(): Promise<void> {
    return this.target.close();
  }
}
