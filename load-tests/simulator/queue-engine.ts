/**
 * A replica pool's queue, simulated tick by tick: Poisson arrivals join one FIFO queue in front
 * of `slots` = in-service replicas × concurrency per replica (a pooled queue approximates
 * least-outstanding-requests routing), bounded by a queue limit beyond which requests are
 * rejected. Two implementations share this interface: `exact` (every request an event) and
 * `fluid` (a per-tick queueing approximation for rates where per-request events cost too much).
 */
import type { Histogram } from 'hdr-histogram-js';

export type QueueMethod = 'exact' | 'fluid';

export interface TickOutcome {
  readonly arrivals: number;
  readonly accepted: number;
  readonly rejected: number;
  /** ∫ busy slots dt over the tick (request-seconds of service). */
  readonly busySlotSeconds: number;
  /** ∫ requests in the pool (in service + queued) dt over the tick. */
  readonly inSystemSeconds: number;
}

export interface QueueEngine {
  readonly method: QueueMethod;
  /** Serving capacity from `at` on: slots working at once and requests allowed to wait. */
  setCapacity(at: number, slots: number, queueLimit: number): void;
  /** Simulates `[from, to)` under Poisson arrivals at `ratePerSecond`, recording accepted requests' latencies. */
  tick(from: number, to: number, ratePerSecond: number, latencies: Histogram): TickOutcome;
  /** Records what the engine holds back for the minute that just ended (call before reading percentiles). */
  endMinute(latencies: Histogram): void;
  /** Serves what is still queued when the run ends, so every accepted request is counted as served. */
  drain(latencies: Histogram): void;
}
