/**
 * The replicas behind one variant of an emulated endpoint, each the shared replica model
 * (load-tests/replica): at most `concurrencyPerReplica` requests in service and
 * `queueLimitPerReplica` more queued, by the one admission rule; a request that finds every replica
 * full is refused (the protocol layer turns that into the cloud's throttling error). Requests go to the replica with the fewest outstanding requests
 * (SageMaker's least-outstanding-requests routing; it also approximates Vertex's load balancer).
 *
 * Hooks for autoscaling (the policies live elsewhere and drive these):
 * - `resize(targetReplicas, { provisioningDelayMs })`: new replicas serve only after the delay;
 *   removed replicas stop taking requests at once and leave when their work is done.
 * - `metrics()`: a snapshot with monotonic counters; `poolMetricsDelta(before, after)` turns two
 *   snapshots into per-interval figures (invocations, invocations per replica, average
 *   concurrency per replica as in SageMaker's ConcurrentRequestsPerModel, slot utilisation as
 *   a stand-in for Vertex's CPU / duty-cycle utilisation).
 */
import type { Clock, TimerHandle } from '../clock/clock';
import { admit } from '../replica/admission';
import type { Random } from '../replica/random';
import type { ReplicaModel } from '../replica/replica-model';
import { sampleServiceMs } from '../replica/service-time';
import type { StallFault } from './faults';

export interface ReplicaPoolOptions {
  readonly clock: Clock;
  /** Replicas in service at creation (the topology's `scaling.min`). */
  readonly replicas: number;
  /** Service time, slots and queue limit of every replica. */
  readonly model: ReplicaModel;
  /** Draws the service times. */
  readonly random: Random;
  /** Default delay before a replica added by `resize` serves. */
  readonly provisioningDelayMs: number;
  readonly stall?: StallFault;
}

export interface PoolJob {
  /** Added to the sampled service time (latency-spike fault). */
  readonly extraMs: number;
  /** Called when a replica has finished the request. */
  readonly onDone: () => void;
}

/** `not-ready`: no replica is in service (all still provisioning, or scaled to zero). */
export type Admission = 'accepted' | 'throttled' | 'not-ready';

export interface PoolMetrics {
  /** Clock time of the snapshot, ms. */
  readonly atMs: number;
  readonly replicas: { readonly inService: number; readonly provisioning: number; readonly draining: number };
  readonly concurrencyPerReplica: number;
  readonly inFlight: number;
  readonly queued: number;
  /** Monotonic since the pool started: requests accepted, finished, refused as over capacity, refused as not ready. */
  readonly invocations: number;
  readonly completed: number;
  readonly throttled: number;
  readonly notReady: number;
  /** Monotonic integrals, in request·milliseconds: of requests in service, and of requests in service or queued. */
  readonly busyMs: number;
  readonly outstandingMs: number;
  /** Monotonic integral of in-service replicas over time, replica·milliseconds. */
  readonly replicaMs: number;
}

export interface PoolMetricsDelta {
  readonly intervalMs: number;
  readonly invocations: number;
  readonly throttled: number;
  readonly notReady: number;
  /** Invocations per in-service replica over the interval (SageMakerVariantInvocationsPerInstance when the interval is a minute). */
  readonly invocationsPerReplica: number;
  /** Average requests in service or queued per in-service replica (ConcurrentRequestsPerModel). */
  readonly concurrencyPerReplica: number;
  /** Fraction of replica slots busy, 0–1. */
  readonly utilisation: number;
}

type ReplicaState = 'provisioning' | 'in-service' | 'draining';

interface Replica {
  readonly id: number;
  state: ReplicaState;
  readonly stalls: boolean;
  inFlight: number;
  readonly queue: PoolJob[];
  readyTimer?: TimerHandle;
}

export class ReplicaPool {
  private readonly replicas: Replica[] = [];
  private readonly timers = new Set<TimerHandle>();
  private nextId = 0;
  private rotation = 0;
  private readonly origin: number;
  private lastChange: number;
  private totals = { invocations: 0, completed: 0, throttled: 0, notReady: 0, busyMs: 0, outstandingMs: 0, replicaMs: 0 };
  private inFlight = 0;
  private queued = 0;

  constructor(private readonly options: ReplicaPoolOptions) {
    for (const [name, value] of [
      ['replicas', options.replicas],
      ['concurrencyPerReplica', options.model.concurrencyPerReplica],
      ['queueLimitPerReplica', options.model.queueLimitPerReplica],
    ] as const) {
      if (!Number.isInteger(value) || value < (name === 'concurrencyPerReplica' ? 1 : 0)) {
        throw new RangeError(`replica pool ${name} must be a whole number${name === 'concurrencyPerReplica' ? ' >= 1' : ' >= 0'}, got ${value}`);
      }
    }
    this.origin = options.clock.now();
    this.lastChange = this.origin;
    for (let i = 0; i < options.replicas; i++) this.addReplica('in-service');
  }

  /** The replica model every replica of the pool follows. */
  get model(): ReplicaModel {
    return this.options.model;
  }

  /** Routes one request to a replica, or refuses it. */
  submit(job: PoolJob): Admission {
    this.advance();
    const replica = this.leastOutstanding();
    if (!replica) {
      this.totals.notReady++;
      return 'not-ready';
    }
    const { concurrencyPerReplica, queueLimitPerReplica } = this.options.model;
    const admission = admit(replica.inFlight < concurrencyPerReplica, replica.queue.length, queueLimitPerReplica);
    if (admission === 'refuse') {
      this.totals.throttled++;
      return 'throttled';
    }
    this.totals.invocations++;
    if (admission === 'serve') this.start(replica, job);
    else {
      replica.queue.push(job);
      this.queued++;
    }
    return 'accepted';
  }

  /**
   * Sets the number of replicas. Growing adds replicas that serve after the provisioning delay;
   * shrinking cancels provisioning replicas first, then drains the least busy in-service ones.
   */
  resize(targetReplicas: number, options: { readonly provisioningDelayMs?: number } = {}): void {
    if (!Number.isInteger(targetReplicas) || targetReplicas < 0) {
      throw new RangeError(`resize: target replicas must be a whole number >= 0, got ${targetReplicas}`);
    }
    this.advance();
    const active = this.replicas.filter((r) => r.state !== 'draining');
    const delay = options.provisioningDelayMs ?? this.options.provisioningDelayMs;
    for (let n = active.length; n < targetReplicas; n++) {
      const replica = this.addReplica('provisioning');
      const timer = this.options.clock.at(this.options.clock.now() + delay, () => {
        this.timers.delete(timer);
        this.advance();
        replica.state = 'in-service';
        replica.readyTimer = undefined;
      });
      replica.readyTimer = timer;
      this.timers.add(timer);
    }
    let excess = active.length - targetReplicas;
    for (const replica of active.filter((r) => r.state === 'provisioning').reverse()) {
      if (excess <= 0) break;
      replica.readyTimer?.cancel();
      if (replica.readyTimer) this.timers.delete(replica.readyTimer);
      this.remove(replica);
      excess--;
    }
    const inService = active.filter((r) => r.state === 'in-service').sort((a, b) => outstanding(a) - outstanding(b));
    for (const replica of inService) {
      if (excess <= 0) break;
      replica.state = 'draining';
      if (outstanding(replica) === 0) this.remove(replica);
      excess--;
    }
  }

  metrics(): PoolMetrics {
    this.advance();
    const count = (state: ReplicaState) => this.replicas.filter((r) => r.state === state).length;
    return {
      atMs: this.options.clock.now(),
      replicas: { inService: count('in-service'), provisioning: count('provisioning'), draining: count('draining') },
      concurrencyPerReplica: this.options.model.concurrencyPerReplica,
      inFlight: this.inFlight,
      queued: this.queued,
      ...this.totals,
    };
  }

  /** Stops every timer of the pool; requests still in service never finish. */
  close(): void {
    for (const timer of this.timers) timer.cancel();
    this.timers.clear();
  }

  private addReplica(state: ReplicaState): Replica {
    const id = this.nextId++;
    const stall = this.options.stall;
    const stalls = stall !== undefined && (stall.replicas === 'all' || id < stall.replicas);
    const replica: Replica = { id, state, stalls, inFlight: 0, queue: [] };
    this.replicas.push(replica);
    return replica;
  }

  private remove(replica: Replica): void {
    this.replicas.splice(this.replicas.indexOf(replica), 1);
  }

  /** The in-service replica with the fewest requests in service or queued; ties rotate. */
  private leastOutstanding(): Replica | undefined {
    const n = this.replicas.length;
    let best: Replica | undefined;
    for (let k = 0; k < n; k++) {
      const replica = this.replicas[(this.rotation + k) % n];
      if (replica.state === 'in-service' && (!best || outstanding(replica) < outstanding(best))) best = replica;
    }
    this.rotation = (this.rotation + 1) % Math.max(1, n);
    return best;
  }

  private start(replica: Replica, job: PoolJob): void {
    replica.inFlight++;
    this.inFlight++;
    const clock = this.options.clock;
    const begin = this.resumeTime(replica, clock.now());
    const end = this.resumeTime(replica, begin + sampleServiceMs(this.options.model.serviceTime, this.options.random) + job.extraMs);
    const timer = clock.at(end, () => {
      this.timers.delete(timer);
      this.finish(replica, job);
    });
    this.timers.add(timer);
  }

  private finish(replica: Replica, job: PoolJob): void {
    this.advance();
    replica.inFlight--;
    this.inFlight--;
    this.totals.completed++;
    const next = replica.queue.shift();
    if (next) {
      this.queued--;
      this.start(replica, next);
    } else if (replica.state === 'draining' && outstanding(replica) === 0) {
      this.remove(replica);
    }
    job.onDone();
  }

  /** A stalled replica makes no progress: work due during a stall window finishes when the window ends. */
  private resumeTime(replica: Replica, t: number): number {
    const stall = this.options.stall;
    if (!replica.stalls || !stall) return t;
    const phase = (t - this.origin) % stall.everyMs;
    const stallStart = stall.everyMs - stall.forMs;
    return phase >= stallStart ? t - phase + stall.everyMs : t;
  }

  /** Brings the time integrals up to now; called before every change of state. */
  private advance(): void {
    const now = this.options.clock.now();
    const dt = now - this.lastChange;
    if (dt <= 0) return;
    this.totals.busyMs += this.inFlight * dt;
    this.totals.outstandingMs += (this.inFlight + this.queued) * dt;
    this.totals.replicaMs += this.replicas.filter((r) => r.state === 'in-service').length * dt;
    this.lastChange = now;
  }
}

function outstanding(replica: Replica): number {
  return replica.inFlight + replica.queue.length;
}

/** Per-interval figures from two snapshots of the same pool. */
export function poolMetricsDelta(before: PoolMetrics, after: PoolMetrics): PoolMetricsDelta {
  const intervalMs = after.atMs - before.atMs;
  const replicaMs = after.replicaMs - before.replicaMs;
  const invocations = after.invocations - before.invocations;
  const averageReplicas = intervalMs > 0 ? replicaMs / intervalMs : after.replicas.inService;
  return {
    intervalMs,
    invocations,
    throttled: after.throttled - before.throttled,
    notReady: after.notReady - before.notReady,
    invocationsPerReplica: averageReplicas > 0 ? invocations / averageReplicas : 0,
    concurrencyPerReplica: replicaMs > 0 ? (after.outstandingMs - before.outstandingMs) / replicaMs : 0,
    utilisation: replicaMs > 0 ? (after.busyMs - before.busyMs) / (replicaMs * after.concurrencyPerReplica) : 0,
  };
}
