/**
 * Turns one shard's run events into counts and histograms: corrected latency (from the intended
 * send time), uncorrected latency (from the actual send), scheduler lag, and a per-second series
 * bucketed by intended send time. Only successful requests enter the latency histograms; errors
 * are counted by class and by name.
 */
import type { Histogram } from 'hdr-histogram-js';
import { encodeHistogram, latencyHistogram, recordMs } from './histograms';
import type { RunEvent } from './open-loop-runner';
import type { CallDetail } from '../targets/target';
import type { CountKey, RequestCounts, SecondSample } from './result-format';

export type MutableCounts = { -readonly [K in CountKey]: number };

export function emptyCounts(): MutableCounts {
  return { scheduled: 0, sent: 0, ok: 0, throttled: 0, modelError: 0, other4xx: 0, server5xx: 0, timeout: 0, client: 0, cancelled: 0, dropped: 0, late: 0, retries: 0 };
}

/** One second of one shard: the result's per-second sample, with its latencies still mergeable. */
export interface SecondPartial extends Omit<SecondSample, 'latencyMs'> {
  /** Corrected latency of successes, encoded (2 significant digits). */
  readonly histogram: string;
}

/** Ground-truth neighbours found and expected, summed over successful queries. */
export interface RecallCounts {
  readonly found: number;
  readonly expected: number;
  readonly queries: number;
}

export interface RecordedShard {
  readonly counts: RequestCounts;
  readonly errorNames: Record<string, number>;
  readonly variants: Record<string, number>;
  readonly histograms: { readonly corrected: string; readonly uncorrected: string; readonly schedulerLag: string };
  readonly seconds: readonly SecondPartial[];
  /** Each stage's time of successful multi-stage calls, encoded, by stage name; absent for single calls. */
  readonly stages?: Readonly<Record<string, string>>;
  readonly recall?: RecallCounts;
}

interface SecondBucket {
  scheduled: number;
  sent: number;
  ok: number;
  errors: number;
  throttled: number;
  late: number;
  dropped: number;
  histogram: Histogram | undefined;
}

export class ShardRecorder {
  readonly counts = emptyCounts();
  private readonly errorNames: Record<string, number> = {};
  private readonly variants: Record<string, number> = {};
  private readonly corrected = latencyHistogram();
  private readonly uncorrected = latencyHistogram();
  private readonly schedulerLag = latencyHistogram();
  private readonly seconds: SecondBucket[] = [];
  private readonly stages = new Map<string, Histogram>();
  private recall: { found: number; expected: number; queries: number } | undefined;
  private startMs = 0;

  /** Clock time of the run's start, second 0 of the series. */
  begin(startMs: number): void {
    this.startMs = startMs;
  }

  readonly onEvent = (event: RunEvent): void => {
    const bucket = this.bucket(event.intendedMs);
    const counts = this.counts;
    switch (event.type) {
      case 'arrival':
        counts.scheduled++;
        bucket.scheduled++;
        recordMs(this.schedulerLag, event.lagMs);
        return;
      case 'dropped':
        counts.dropped++;
        bucket.dropped++;
        return;
      case 'complete':
        counts.sent++;
        bucket.sent++;
        counts.retries += event.attempts - 1;
        if (event.waited) {
          counts.late++;
          bucket.late++;
        }
        counts[event.outcome]++;
        if (event.outcome === 'ok') {
          bucket.ok++;
          const correctedMs = event.endMs - event.intendedMs;
          recordMs(this.corrected, correctedMs);
          recordMs(this.uncorrected, event.endMs - event.sentMs);
          recordMs((bucket.histogram ??= latencyHistogram(2)), correctedMs);
          if (event.variant !== undefined) this.variants[event.variant] = (this.variants[event.variant] ?? 0) + 1;
          if (event.detail) this.recordDetail(event.detail);
          return;
        }
        bucket.errors++;
        if (event.outcome === 'throttled') bucket.throttled++;
        if (event.errorName !== undefined) this.errorNames[event.errorName] = (this.errorNames[event.errorName] ?? 0) + 1;
        return;
    }
  };

  result(): RecordedShard {
    const empty = encodeHistogram(latencyHistogram(2));
    const seconds: SecondPartial[] = [];
    this.seconds.forEach((b, second) => {
      if (!b) return;
      const { histogram, ...figures } = b;
      seconds.push({ second, ...figures, histogram: histogram ? encodeHistogram(histogram) : empty });
    });
    return {
      counts: { ...this.counts },
      errorNames: { ...this.errorNames },
      variants: { ...this.variants },
      histograms: {
        corrected: encodeHistogram(this.corrected),
        uncorrected: encodeHistogram(this.uncorrected),
        schedulerLag: encodeHistogram(this.schedulerLag),
      },
      seconds,
      ...(this.stages.size ? { stages: Object.fromEntries([...this.stages].map(([name, h]) => [name, encodeHistogram(h)])) } : {}),
      ...(this.recall ? { recall: { ...this.recall } } : {}),
    };
  }

  private recordDetail(detail: CallDetail): void {
    for (const [name, ms] of Object.entries(detail.stagesMs ?? {})) {
      let histogram = this.stages.get(name);
      if (!histogram) this.stages.set(name, (histogram = latencyHistogram()));
      recordMs(histogram, ms);
    }
    if (detail.recall) {
      const r = (this.recall ??= { found: 0, expected: 0, queries: 0 });
      r.found += detail.recall.found;
      r.expected += detail.recall.expected;
      r.queries++;
    }
  }

  private bucket(intendedMs: number): SecondBucket {
    const second = Math.max(0, Math.floor((intendedMs - this.startMs) / 1000));
    let bucket = this.seconds[second];
    if (!bucket) {
      bucket = { scheduled: 0, sent: 0, ok: 0, errors: 0, throttled: 0, late: 0, dropped: 0, histogram: undefined };
      this.seconds[second] = bucket;
    }
    return bucket;
  }
}
