/**
 * The fluid engine: one step per tick instead of one per request, for pools whose request count
 * makes per-request events too slow (a 20,000 req/s day is ~10⁹ requests).
 *
 * Per tick of length Δ with Poisson arrivals A (drawn exactly), capacity R = slots / mean service
 * time and backlog Q (requests waiting):
 * - Backlog moves as a fluid at rate A/Δ − R, bounded by the queue limit; arrivals over a full
 *   queue are rejected. An arrival at time τ of the tick waits Q(τ) / R (FIFO drain).
 * - While there is no backlog, waiting is the stationary M/G/c wait (waiting-probability.ts) at
 *   the tick's load: pointwise-stationary, which is right when the load changes slowly against
 *   the queue's relaxation time (milliseconds here, against minutes for the traffic).
 * - Latency = wait + service time. A tick's waiting requests are sampled at K stratified points
 *   (arrival time × service quantile, Latin-hypercube paired), weighted and stochastically
 *   rounded into the histogram, so counts stay unbiased. Requests that do not wait carry the
 *   plain service-time distribution; that mass is pooled and written once a minute at 48
 *   quantiles dense in the upper tail, where a p99 is read.
 *
 * Accuracy against the exact engine is measured in test/load-tests/simulator-fidelity.test.ts and
 * documented in load-tests/SIMULATION-FORMAT.md.
 */
import type { Histogram } from 'hdr-histogram-js';
import { recordLatency } from './latency-histogram';
import type { QueueEngine, TickOutcome } from './queue-engine';
import type { Random } from '../replica/random';
import { meanServiceMs, serviceQuantileMs, serviceTimeScv, type ServiceTimeModel } from '../replica/service-time';
import { tailDenseStrata } from './tail-strata';
import { erlangC } from './waiting-probability';

/** Latency sample points per tick with a backlog. */
export const FLUID_SAMPLES_PER_TICK = 16;
/** Sample points per tick for the stationary wait (only the waiting share, P(wait) of the tick, is sampled). */
export const FLUID_STATIONARY_SAMPLES_PER_TICK = 4;
/** Quantile points that write a minute's pooled no-wait service-time mass. */
export const FLUID_SERVICE_POINTS_PER_MINUTE = 48;
/** Below this waiting probability a tick's stationary wait is left out (it cannot move a p99). */
const NEGLIGIBLE_WAITING = 1e-4;

const MINUTE_STRATA = tailDenseStrata(FLUID_SERVICE_POINTS_PER_MINUTE);

export class FluidQueue implements QueueEngine {
  readonly method = 'fluid' as const;
  private slots = 0;
  private queueLimit = 0;
  private backlog = 0;
  private plainServiceMass = 0;
  private readonly meanServiceSeconds: number;
  /** Allen–Cunneen factor 2 / (1 + c_s²) on the M/M/c conditional wait rate. */
  private readonly waitRateFactor: number;
  private readonly permutation = new Int32Array(FLUID_SAMPLES_PER_TICK);
  private readonly sampleWait = new Float64Array(FLUID_SAMPLES_PER_TICK);
  private readonly sampleWeight = new Float64Array(FLUID_SAMPLES_PER_TICK);

  constructor(
    private readonly service: ServiceTimeModel,
    private readonly random: Random,
  ) {
    this.meanServiceSeconds = meanServiceMs(service) / 1000;
    this.waitRateFactor = 2 / (1 + serviceTimeScv(service));
  }

  setCapacity(_at: number, slots: number, queueLimit: number): void {
    this.slots = slots;
    this.queueLimit = queueLimit;
  }

  tick(from: number, to: number, ratePerSecond: number, latencies: Histogram): TickOutcome {
    const dt = to - from;
    const arrivals = this.random.poisson(ratePerSecond * dt);
    const capacity = this.slots / this.meanServiceSeconds;
    const arrivalRate = arrivals / dt;
    const net = arrivalRate - capacity;
    const q0 = this.backlog;
    const limit = this.queueLimit;

    // Backlog trajectory Q(τ) = min(limit, max(0, q0 + net·τ)): when it fills and when it empties.
    const fullAt = net > 0 ? Math.max(0, (limit - q0) / net) : q0 >= limit && net === 0 ? 0 : Number.POSITIVE_INFINITY;
    const emptyAt = net < 0 ? q0 / -net : q0 > 0 || net > 0 ? Number.POSITIVE_INFINITY : 0;
    const fullFrom = Math.min(dt, fullAt);
    const backlogUntil = Math.min(dt, emptyAt);
    const rejected = Math.min(arrivals, this.stochasticRound(net > 0 ? net * (dt - fullFrom) : 0));
    const accepted = arrivals - rejected;
    this.backlog = backlogAt(dt, q0, net, limit, fullAt);

    // Stationary regime for the part of the tick without backlog, at the tick's expected rate (the
    // drawn count's noise already moves the backlog and would otherwise count twice), or at the
    // drawn rate when the expected one is beyond capacity; none when both are: the fluid covers it.
    const load = arrivalRate * this.meanServiceSeconds;
    const stationaryRate = ratePerSecond < capacity ? ratePerSecond : arrivalRate;
    const stable = stationaryRate < capacity;
    const waiting = stable ? erlangC(this.slots, stationaryRate * this.meanServiceSeconds) : 0;
    const waitRate = stable ? (capacity - stationaryRate) * this.waitRateFactor : 0;

    const busySlotSeconds = this.slots * backlogUntil + load * (dt - backlogUntil);
    const queuedSeconds = integrateBacklog(q0, net, limit, fullFrom, backlogUntil, dt);
    const stationaryQueued = waiting >= NEGLIGIBLE_WAITING ? (stationaryRate * waiting) / waitRate : 0;
    const inSystemSeconds = busySlotSeconds + queuedSeconds + stationaryQueued * (dt - backlogUntil);

    if (accepted > 0) this.sampleLatencies(dt, accepted, capacity, arrivalRate, q0, net, fullAt, waiting, waitRate, latencies);
    return { arrivals, accepted, rejected, busySlotSeconds, inSystemSeconds };
  }

  endMinute(latencies: Histogram): void {
    if (this.plainServiceMass <= 0) return;
    const mass = this.plainServiceMass;
    this.plainServiceMass = 0;
    for (let j = 0; j < FLUID_SERVICE_POINTS_PER_MINUTE; j++) {
      const u = MINUTE_STRATA.lower[j] + MINUTE_STRATA.width[j] * this.random.open();
      recordLatency(latencies, serviceQuantileMs(this.service, u), this.stochasticRound(mass * MINUTE_STRATA.width[j]));
    }
  }

  drain(): void {
    // Latencies of queued requests were recorded when they arrived; nothing is left to serve.
  }

  private sampleLatencies(
    dt: number,
    accepted: number,
    capacity: number,
    arrivalRate: number,
    q0: number,
    net: number,
    fullAt: number,
    waiting: number,
    waitRate: number,
    latencies: Histogram,
  ): void {
    if (q0 <= 0 && net <= 0) {
      this.sampleStationary(accepted, waiting, waitRate, latencies);
      return;
    }
    const k = FLUID_SAMPLES_PER_TICK;
    let weightSum = 0;
    for (let i = 0; i < k; i++) {
      const tau = ((i + this.random.uniform()) / k) * dt;
      const q = backlogAt(tau, q0, net, this.queueLimit, fullAt);
      // Over a full queue only the share the slots absorb is accepted; it waits a full queue's drain.
      const weight = tau >= fullAt ? capacity / arrivalRate : 1;
      this.sampleWait[i] = q > 0 ? q / capacity : -1;
      this.sampleWeight[i] = weight;
      weightSum += weight;
    }
    this.shufflePermutation(k);
    const scale = accepted / weightSum;
    for (let i = 0; i < k; i++) {
      const mass = this.sampleWeight[i] * scale;
      const service = serviceQuantileMs(this.service, (this.permutation[i] + this.random.open()) / k);
      if (this.sampleWait[i] >= 0) {
        recordLatency(latencies, this.sampleWait[i] * 1000 + service, this.stochasticRound(mass));
        continue;
      }
      this.plainServiceMass += mass * (1 - waiting);
      if (waiting >= NEGLIGIBLE_WAITING) {
        const wait = this.random.exponential(waitRate) * 1000;
        recordLatency(latencies, wait + service, this.stochasticRound(mass * waiting));
      }
    }
  }

  /** A tick without backlog: plain service for those who do not wait, stratified (wait, service) pairs for those who do. */
  private sampleStationary(accepted: number, waiting: number, waitRate: number, latencies: Histogram): void {
    if (waiting < NEGLIGIBLE_WAITING) {
      this.plainServiceMass += accepted;
      return;
    }
    this.plainServiceMass += accepted * (1 - waiting);
    const k = FLUID_STATIONARY_SAMPLES_PER_TICK;
    const mass = (accepted * waiting) / k;
    this.shufflePermutation(k);
    for (let i = 0; i < k; i++) {
      const wait = (-Math.log(1 - (this.permutation[i] + this.random.uniform()) / k) / waitRate) * 1000;
      const service = serviceQuantileMs(this.service, (i + this.random.open()) / k);
      recordLatency(latencies, wait + service, this.stochasticRound(mass));
    }
  }

  /** A random permutation of 0..k−1 in the first k entries of `permutation`. */
  private shufflePermutation(k: number): void {
    const p = this.permutation;
    for (let i = 0; i < k; i++) p[i] = i;
    for (let i = k - 1; i > 0; i--) {
      const j = Math.floor(this.random.uniform() * (i + 1));
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
  }

  /** An integer whose expectation is `x`. */
  private stochasticRound(x: number): number {
    const floor = Math.floor(x);
    return floor + (this.random.uniform() < x - floor ? 1 : 0);
  }
}

/** Q(τ): the backlog at time τ of the tick, full from `fullAt` on. */
function backlogAt(tau: number, q0: number, net: number, limit: number, fullAt: number): number {
  return tau >= fullAt ? limit : Math.max(0, q0 + net * tau);
}

/** ∫₀^dt Q(τ) dτ for the piecewise-linear backlog. */
function integrateBacklog(q0: number, net: number, limit: number, fullFrom: number, backlogUntil: number, dt: number): number {
  if (net >= 0) {
    const rising = Math.min(fullFrom, dt);
    return q0 * rising + (net * rising * rising) / 2 + limit * (dt - rising);
  }
  return q0 * backlogUntil + (net * backlogUntil * backlogUntil) / 2;
}
