/**
 * The exact engine: every request is an event. FIFO multi-server queue by the Kiefer–Wolfowitz
 * workload recursion: a min-heap of the times each slot frees up; a queued request starts on the
 * first slot to free, so no event list is needed and each request costs O(log slots).
 * Latency = wait + service, recorded when the request starts (its latency is then known).
 */
import type { Histogram } from 'hdr-histogram-js';
import { recordLatency } from './latency-histogram';
import type { QueueEngine, TickOutcome } from './queue-engine';
import { admit } from '../replica/admission';
import type { Random } from '../replica/random';
import { sampleServiceMs, type ServiceTimeModel } from '../replica/service-time';

export class ExactQueue implements QueueEngine {
  readonly method = 'exact' as const;
  /** Min-heap of slot free times (seconds). */
  private freeAt = new Float64Array(0);
  private slots = 0;
  private queueLimit = 0;
  /** FIFO ring of waiting requests: arrival time and service time (seconds). */
  private waitArrival = new Float64Array(64);
  private waitService = new Float64Array(64);
  private head = 0;
  private length = 0;
  /** Per-tick accumulators, filled as requests start. */
  private busy = 0;
  private inSystem = 0;

  constructor(
    private readonly service: ServiceTimeModel,
    private readonly random: Random,
  ) {}

  setCapacity(at: number, slots: number, queueLimit: number): void {
    this.queueLimit = queueLimit;
    if (slots === this.slots) return;
    const times = Array.from(this.freeAt.subarray(0, this.slots)).sort((a, b) => a - b);
    // Growing adds idle slots from `at`; shrinking removes the slots that free first (idle ones).
    const kept = slots > this.slots ? [...times, ...new Array<number>(slots - this.slots).fill(at)] : times.slice(this.slots - slots);
    this.freeAt = Float64Array.from(kept.sort((a, b) => a - b));
    this.slots = slots;
    // Queued requests move onto new slots at the next tick, starting at `at` (their free time).
  }

  tick(from: number, to: number, ratePerSecond: number, latencies: Histogram): TickOutcome {
    this.busy = 0;
    this.inSystem = 0;
    let arrivals = 0;
    let rejected = 0;
    // Poisson arrivals are memoryless, so each tick may draw its first gap afresh.
    let t = ratePerSecond > 0 ? from + this.random.exponential(ratePerSecond) : to;
    while (t < to) {
      this.startQueued(t, latencies);
      arrivals++;
      const service = this.serviceSeconds();
      const admission = admit(this.slots > 0 && this.freeAt[0] <= t, this.length, this.queueLimit);
      if (admission === 'serve') this.begin(t, t, service, latencies);
      else if (admission === 'queue') this.enqueue(t, service);
      else rejected++;
      t += this.random.exponential(ratePerSecond);
    }
    this.startQueued(to, latencies);
    return { arrivals, accepted: arrivals - rejected, rejected, busySlotSeconds: this.busy, inSystemSeconds: this.inSystem };
  }

  endMinute(): void {
    // Latencies are recorded as requests start; nothing is held back.
  }

  drain(latencies: Histogram): void {
    this.startQueued(Number.POSITIVE_INFINITY, latencies);
  }

  private serviceSeconds(): number {
    return sampleServiceMs(this.service, this.random) / 1000;
  }

  /** Starts queued requests on every slot that frees by `until`. */
  private startQueued(until: number, latencies: Histogram): void {
    while (this.length > 0 && this.slots > 0 && this.freeAt[0] <= until) {
      const arrival = this.waitArrival[this.head];
      const service = this.waitService[this.head];
      this.head = (this.head + 1) % this.waitArrival.length;
      this.length--;
      this.begin(Math.max(this.freeAt[0], arrival), arrival, service, latencies);
    }
  }

  private begin(start: number, arrival: number, service: number, latencies: Histogram): void {
    this.replaceMin(start + service);
    this.busy += service;
    this.inSystem += start - arrival + service;
    recordLatency(latencies, (start - arrival + service) * 1000, 1);
  }

  private enqueue(arrival: number, service: number): void {
    if (this.length === this.waitArrival.length) this.grow();
    const tail = (this.head + this.length) % this.waitArrival.length;
    this.waitArrival[tail] = arrival;
    this.waitService[tail] = service;
    this.length++;
  }

  private grow(): void {
    const size = this.waitArrival.length * 2;
    const arrival = new Float64Array(size);
    const service = new Float64Array(size);
    for (let i = 0; i < this.length; i++) {
      arrival[i] = this.waitArrival[(this.head + i) % this.waitArrival.length];
      service[i] = this.waitService[(this.head + i) % this.waitArrival.length];
    }
    this.waitArrival = arrival;
    this.waitService = service;
    this.head = 0;
  }

  /** Replaces the heap's minimum with `value` and sifts it down. */
  private replaceMin(value: number): void {
    const heap = this.freeAt;
    const n = this.slots;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && heap[right] < heap[left] ? right : left;
      if (heap[child] >= value) break;
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = value;
  }
}
