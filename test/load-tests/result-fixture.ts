/**
 * Results built the way a run builds them: synthetic run events through the real recorder and
 * summary, so tests of merging, thresholds and capacity search read genuine results.
 */
import type { OutcomeClass, LoadTestResult } from '../../load-tests/generator/result-format';
import { DEFAULT_HEALTH_LIMITS, summarizeShards } from '../../load-tests/generator/summarize';
import type { ShardResult } from '../../load-tests/generator/shard';
import { ShardRecorder } from '../../load-tests/generator/shard-recorder';
import { describeSchedule } from '../../load-tests/generator/arrivals';
import { steadySchedule } from '../../load-tests/traffic/traffic-schedule';
import type { Threshold } from '../../load-tests/generator/thresholds';
import type { CallDetail } from '../../load-tests/targets/target';

export interface FakeRequest {
  readonly intendedMs: number;
  readonly latencyMs: number;
  readonly outcome?: OutcomeClass;
  /** Scheduler lag of the arrival. @default 0.1 */
  readonly lagMs?: number;
  /** Stage timings and recall of a multi-stage call. */
  readonly detail?: CallDetail;
}

export function fakeShard(requests: readonly FakeRequest[], startedAtEpochMs = Date.UTC(2026, 0, 1)): ShardResult {
  const recorder = new ShardRecorder();
  recorder.begin(0);
  for (const r of requests) {
    recorder.onEvent({ type: 'arrival', intendedMs: r.intendedMs, lagMs: r.lagMs ?? 0.1 });
    recorder.onEvent({
      type: 'complete',
      intendedMs: r.intendedMs,
      sentMs: r.intendedMs,
      endMs: r.intendedMs + r.latencyMs,
      outcome: r.outcome ?? 'ok',
      errorName: r.outcome && r.outcome !== 'ok' ? `${r.outcome}-name` : undefined,
      variant: r.outcome && r.outcome !== 'ok' ? undefined : 'primary',
      detail: r.detail,
      attempts: 1,
      waited: false,
    });
  }
  const last = Math.max(...requests.map((r) => r.intendedMs));
  return {
    ...recorder.result(),
    startedAtEpochMs,
    elapsedMs: Math.max(...requests.map((r) => r.intendedMs + r.latencyMs)),
    scheduleEndMs: last,
    lastSendMs: last,
    interrupted: false,
    eventLoopDelayMs: { p50: 0.1, p99: 1, max: 2 },
  };
}

/** A steady run of `rate` requests/s for `seconds`, each request with `latencyMs(k)`. */
export function fakeResult(options: {
  rate: number;
  seconds: number;
  latencyMs: (k: number) => number;
  outcome?: (k: number) => OutcomeClass;
  detail?: (k: number) => CallDetail;
  thresholds?: readonly Threshold[];
  endpoint?: string;
  startedAtEpochMs?: number;
  shards?: number;
}): LoadTestResult {
  const total = Math.round(options.rate * options.seconds);
  const shards = options.shards ?? 1;
  const parts: FakeRequest[][] = Array.from({ length: shards }, () => []);
  for (let k = 0; k < total; k++) {
    parts[k % shards].push({ intendedMs: (k * 1000) / options.rate, latencyMs: options.latencyMs(k), outcome: options.outcome?.(k), detail: options.detail?.(k) });
  }
  return summarizeShards(
    parts.map((p) => fakeShard(p, options.startedAtEpochMs)),
    {
      target: { kind: 'http', endpoint: options.endpoint ?? 'http://127.0.0.1:1/invocations', client: 'test' },
      schedule: describeSchedule('steady', steadySchedule(options.rate, options.seconds), 'uniform', undefined),
      workers: shards,
      cpuCores: 0.5,
      limits: DEFAULT_HEALTH_LIMITS,
      thresholds: options.thresholds ?? [],
    },
  );
}
