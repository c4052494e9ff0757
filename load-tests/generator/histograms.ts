/**
 * HdrHistograms with an explicit range and precision, recorded in microseconds: 1 µs to one hour
 * at 3 significant digits (0.1 % relative error) for run-wide latencies, 2 digits for the
 * per-second series. Encoded as compressed base64 (HdrHistogram V2), so runs from several
 * threads or machines merge exactly; percentiles are computed once, after merging.
 */
import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';
import type { LatencyPercentiles } from './result-format';

const LOWEST_US = 1;
/** One hour: far past any request timeout, so no recorded value is ever clipped in practice. */
const HIGHEST_US = 3_600_000_000;

export type HistogramPrecision = 2 | 3;

export function latencyHistogram(digits: HistogramPrecision = 3): Histogram {
  return build({
    lowestDiscernibleValue: LOWEST_US,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: digits,
    autoResize: false,
  });
}

/** Records a duration given in milliseconds. */
export function recordMs(histogram: Histogram, ms: number): void {
  const us = Math.round(ms * 1000);
  histogram.recordValue(us < LOWEST_US ? LOWEST_US : us > HIGHEST_US ? HIGHEST_US : us);
}

export function encodeHistogram(histogram: Histogram): string {
  return encodeIntoCompressedBase64(histogram);
}

/** Sums encoded histograms into one fresh histogram of the given precision. */
export function mergeEncoded(encoded: readonly string[], digits: HistogramPrecision = 3): Histogram {
  const merged = latencyHistogram(digits);
  for (const text of encoded) merged.add(decodeFromCompressedBase64(text));
  return merged;
}

export function percentilesMs(histogram: Histogram): LatencyPercentiles {
  const count = histogram.totalCount;
  const at = (p: number) => (count === 0 ? 0 : toMs(histogram.getValueAtPercentile(p)));
  return {
    p50: at(50),
    p90: at(90),
    p95: at(95),
    p99: at(99),
    p999: at(99.9),
    // The top of the max's bucket, as a decoded histogram reports it, so merged and unmerged agree.
    max: at(100),
    mean: count === 0 ? 0 : toMs(histogram.mean),
    count,
  };
}

function toMs(us: number): number {
  return Math.round(us) / 1000;
}
