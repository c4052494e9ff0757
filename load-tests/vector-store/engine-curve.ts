/**
 * One engine's sweep as plain data: the recall-against-latency curve that `tune-index --json`
 * prints and the comparison report's Retrieval section carries, and why no setting was
 * recommended when none was.
 */
import type { VectorEngine } from './index-settings';
import type { IndexTuning, RecommendationTarget, TunedKnob } from './tune-index';

/** Said wherever a curve is shown. */
export const LOCAL_INDEX_NOTE =
  "Local indexes, not the clouds' engines: recall carries over in shape, and p99 is per-query latency on this machine, a relative measure between settings; check the recommended setting against the deployed index.";

export interface CurvePoint {
  /** The knob's value: efSearch, or percent of tree-AH leaves. */
  readonly value: number;
  readonly recall: number;
  /** Per-query latency of the local index on this machine, ms: relative, not the cloud's. */
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface EngineCurve {
  readonly engine: VectorEngine;
  /** The local index measured, e.g. `hnsw (USearch; not the cloud engine)`. */
  readonly kind: string;
  readonly knob: TunedKnob;
  /** The topology's value. */
  readonly current: number;
  /** Tree-AH: leaves in the partition (percents that open the same leaves measure the same). */
  readonly leaves?: number;
  readonly points: readonly CurvePoint[];
  /** The smallest value meeting the recall and, when set, the p99 target; null when none does. */
  readonly recommended: number | null;
  /** Why nothing was recommended; absent when something was. */
  readonly unmet?: string;
}

export function engineCurve(tuning: IndexTuning, target: RecommendationTarget & { readonly k: number }): EngineCurve {
  return {
    engine: tuning.engine,
    kind: tuning.kind,
    knob: tuning.knob,
    current: tuning.current,
    ...(tuning.leaves !== undefined && { leaves: tuning.leaves }),
    points: tuning.points.map(({ value, measurement: m }) => ({ value, recall: m.recall, p50Ms: m.latencyMs.p50, p99Ms: m.latencyMs.p99 })),
    recommended: tuning.recommended?.value ?? null,
    ...(tuning.recommended === undefined && { unmet: unmetReason(tuning, target) }),
  };
}

function unmetReason(tuning: IndexTuning, target: RecommendationTarget & { readonly k: number }): string {
  const reaching = tuning.points.filter((p) => p.measurement.recall >= target.targetRecall);
  if (reaching.length === 0) {
    const best = Math.max(...tuning.points.map((p) => p.measurement.recall));
    return `no ${tuning.knob} in the sweep reaches recall@${target.k} ${target.targetRecall}; the best is ${best.toFixed(3)}`;
  }
  const fastest = reaching.reduce((a, b) => (b.measurement.latencyMs.p99 < a.measurement.latencyMs.p99 ? b : a));
  return (
    `every ${tuning.knob} reaching recall@${target.k} ${target.targetRecall} exceeds the p99 target ${target.p99TargetMs} ms on the local index; ` +
    `the fastest is ${tuning.knob} ${fastest.value} at p99 ${fastest.measurement.latencyMs.p99.toFixed(2)} ms`
  );
}
