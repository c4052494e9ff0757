/**
 * Latency histograms of the simulator: HdrHistograms (hdr-histogram-js, WebAssembly build, about
 * 20 ns a record) in microseconds with 2 significant digits (1 % resolution) up to one hour.
 * Percentiles are read from merged histograms, never averaged.
 */
import { build, encodeIntoCompressedBase64, initWebAssemblySync, type Histogram } from 'hdr-histogram-js';

const HIGHEST_MICROSECONDS = 3_600_000_000;

let wasmReady = false;

/** A new empty histogram. WebAssembly memory is not garbage-collected: call `destroy()` when done. */
export function latencyHistogram(): Histogram {
  if (!wasmReady) {
    initWebAssemblySync();
    wasmReady = true;
  }
  return build({
    bitBucketSize: 64,
    useWebAssembly: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_MICROSECONDS,
    numberOfSignificantValueDigits: 2,
    autoResize: false,
  });
}

/** Records `count` requests of `latencyMs`; latencies beyond the range land in the top bucket. */
export function recordLatency(h: Histogram, latencyMs: number, count: number): void {
  if (count <= 0) return;
  const micros = Math.min(HIGHEST_MICROSECONDS, Math.max(1, Math.round(latencyMs * 1000)));
  h.recordValueWithCount(micros, count);
}

/** The latency at `percentile` (0–100) in milliseconds, or null for an empty histogram. */
export function percentileMs(h: Histogram, percentile: number): number | null {
  if (h.totalCount === 0) return null;
  return Math.round(h.getValueAtPercentile(percentile)) / 1000;
}

/** The compressed base64 encoding of HdrHistogram (decode with `decodeFromCompressedBase64(s, 64)`). */
export function encodeHistogram(h: Histogram): string {
  return encodeIntoCompressedBase64(h);
}
