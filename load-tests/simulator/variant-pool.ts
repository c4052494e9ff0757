/**
 * One variant of one endpoint on one cloud: a queue engine serving the variant's share of the
 * traffic on the replicas its autoscaling policy keeps in service. The pool reports what the
 * replicas measured to the policy every step and resizes the engine when replicas come or go.
 */
import type { Histogram } from 'hdr-histogram-js';
import type { AutoscalingPolicy, LoadSample, PolicyState, ScalingEvent } from '../autoscaling/policy';
import type { QueueEngine } from './queue-engine';
import { occupancyLimit } from '../replica/admission';
import { GPU_HOST_CPU_SHARE, type ReplicaModel } from '../replica/replica-model';

export interface MinuteOutcome {
  readonly arrivals: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly replicas: number;
  readonly desiredReplicas: number;
}

export class VariantPool {
  private state: PolicyState;
  /** Times the replicas now in service started serving, oldest first. */
  private readonly serving: number[] = [];
  readonly lifetimes: number[] = [];
  readonly events: ScalingEvent[] = [];
  /** Load measured since the policy last heard, reported at its next event. */
  private readonly pending = { requests: 0, rejected: 0, busySlotSeconds: 0, inSystemSeconds: 0 };

  constructor(
    private readonly engine: QueueEngine,
    private readonly policy: AutoscalingPolicy,
    private readonly replica: ReplicaModel,
    /** Arrival rate of this variant at a time, requests/s. */
    private readonly rateAt: (seconds: number) => number,
    private readonly tickSeconds: number,
  ) {
    this.state = policy.start(0);
    for (let i = 0; i < this.state.fleet.inService; i++) this.serving.push(0);
    this.resizeEngine(0);
  }

  /** Simulates `[from, to)`, recording latencies into `latencies`. */
  run(from: number, to: number, latencies: Histogram): MinuteOutcome {
    let arrivals = 0;
    let accepted = 0;
    let rejected = 0;
    let t = from;
    while (t < to) {
      const eventAt = this.policy.nextEventAt(this.state);
      const next = Math.min(to, t + this.tickSeconds, eventAt);
      const out = this.engine.tick(t, next, this.rateAt((t + next) / 2), latencies);
      arrivals += out.arrivals;
      accepted += out.accepted;
      rejected += out.rejected;
      this.pending.requests += out.arrivals;
      this.pending.rejected += out.rejected;
      this.pending.busySlotSeconds += out.busySlotSeconds;
      this.pending.inSystemSeconds += out.inSystemSeconds;
      // Replicas change only at policy events, so the policy hears the load once per event, exactly.
      if (next >= eventAt) this.reportTo(next);
      t = next;
    }
    return { arrivals, accepted, rejected, replicas: this.state.fleet.inService, desiredReplicas: this.state.fleet.desired };
  }

  private reportTo(until: number): void {
    const dt = until - this.state.clock;
    const replicas = this.state.fleet.inService;
    const p = this.pending;
    // At zero (scale to zero) nothing serves: every request was refused and no replica measured anything.
    const utilisation = replicas === 0 ? 0 : Math.min(100, (100 * p.busySlotSeconds) / (dt * replicas * this.replica.concurrencyPerReplica));
    const load: LoadSample = {
      requests: p.requests,
      rejectedRequests: p.rejected,
      concurrencyPerReplica: replicas === 0 ? 0 : p.inSystemSeconds / dt / replicas,
      cpuPercent: this.replica.accelerated ? utilisation * GPU_HOST_CPU_SHARE : utilisation,
      acceleratorDutyCyclePercent: this.replica.accelerated ? utilisation : 0,
    };
    p.requests = 0;
    p.rejected = 0;
    p.busySlotSeconds = 0;
    p.inSystemSeconds = 0;
    const step = this.policy.advance(this.state, until, load);
    this.state = step.state;
    this.events.push(...step.events);
    if (this.state.fleet.inService !== replicas) this.replicasChanged(until, replicas);
  }

  endMinute(latencies: Histogram): void {
    this.engine.endMinute(latencies);
  }

  /** Ends the run at `at`: serves what is queued and closes every replica's lifetime. */
  finish(at: number, latencies: Histogram): void {
    this.engine.drain(latencies);
    for (const started of this.serving.splice(0)) this.lifetimes.push(at - started);
  }

  private replicasChanged(at: number, before: number): void {
    const now = this.state.fleet.inService;
    if (now > before) for (let i = before; i < now; i++) this.serving.push(at);
    // The newest replicas leave first; each one's billable lifetime ends here.
    else for (const started of this.serving.splice(now)) this.lifetimes.push(at - started);
    this.resizeEngine(at);
  }

  private resizeEngine(at: number): void {
    const replicas = this.state.fleet.inService;
    const slots = replicas * this.replica.concurrencyPerReplica;
    // One FIFO queue over the fleet, refusing at the occupancy the emulator's per-replica queues refuse at.
    this.engine.setCapacity(at, slots, occupancyLimit(this.replica, replicas) - slots);
  }
}
