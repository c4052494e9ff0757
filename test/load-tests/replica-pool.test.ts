/** The emulator's replica pool on a fake clock: admission, routing, stalls, and the autoscaling hooks. */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../load-tests/clock/manual-clock';
import { poolMetricsDelta, ReplicaPool, type ReplicaPoolOptions } from '../../load-tests/emulator/replica-pool';
import { Random } from '../../load-tests/replica/random';
import type { ReplicaModel } from '../../load-tests/replica/replica-model';
import { serviceTimeModel } from '../../load-tests/replica/service-time';

type PoolShape = Partial<Omit<ReplicaPoolOptions, 'model'>> & { concurrencyPerReplica?: number; queueDepthPerReplica?: number };

/** Every request takes exactly 100 ms (σ = 0, no randomness): the pool's logic is what is under test. */
function pool(clock: ManualClock, { concurrencyPerReplica = 2, queueDepthPerReplica = 1, ...options }: PoolShape = {}) {
  const model: ReplicaModel = {
    serviceTime: serviceTimeModel(100, 0),
    concurrencyPerReplica,
    queueLimitPerReplica: queueDepthPerReplica,
    capacityPerSecond: concurrencyPerReplica * 10,
    accelerated: false,
  };
  return new ReplicaPool({ clock, replicas: 1, model, random: new Random(1), provisioningDelayMs: 1000, ...options });
}

function submit(p: ReplicaPool, clock: ManualClock, done: number[], extraMs = 0) {
  return p.submit({ extraMs, onDone: () => done.push(clock.now()) });
}

describe('replica pool', () => {
  it('serves up to its concurrency, queues up to its depth, and refuses the rest', () => {
    const clock = new ManualClock();
    const p = pool(clock);
    const done: number[] = [];
    expect([1, 2, 3, 4].map(() => submit(p, clock, done))).toEqual(['accepted', 'accepted', 'accepted', 'throttled']);
    expect(p.metrics()).toMatchObject({ inFlight: 2, queued: 1, invocations: 3, throttled: 1 });
    clock.runUntilIdle();
    // Two at once, then the queued one when a slot frees.
    expect(done).toEqual([100, 100, 200]);
  });

  it('routes to the replica with the fewest outstanding requests', () => {
    const clock = new ManualClock();
    const p = pool(clock, { replicas: 2, concurrencyPerReplica: 1, queueDepthPerReplica: 0 });
    const done: number[] = [];
    expect([1, 2, 3].map(() => submit(p, clock, done))).toEqual(['accepted', 'accepted', 'throttled']);
  });

  it('adds latency spikes to the service time', () => {
    const clock = new ManualClock();
    const p = pool(clock);
    const done: number[] = [];
    submit(p, clock, done, 800);
    clock.runUntilIdle();
    expect(done).toEqual([900]);
  });

  it('holds the work of a stalled replica until its stall ends', () => {
    const clock = new ManualClock();
    const p = pool(clock, { concurrencyPerReplica: 10, queueDepthPerReplica: 0, stall: { everyMs: 1000, forMs: 300, replicas: 'all' } });
    const done: number[] = [];
    for (const at of [0, 650, 750, 1050]) {
      clock.advanceTo(at);
      submit(p, clock, done);
    }
    clock.runUntilIdle();
    // Stalls are 700–1000, 1700–2000…: the replica makes no progress during one. Work due inside
    // a stall finishes at its end (650 → 1000); work arriving inside one starts at its end (750 → 1100).
    expect(done).toEqual([100, 1000, 1100, 1150]);
  });

  it('says not ready while no replica is in service, and serves once provisioning is done', () => {
    const clock = new ManualClock();
    const p = pool(clock);
    const done: number[] = [];
    p.resize(0);
    expect(submit(p, clock, done)).toBe('not-ready');
    p.resize(2, { provisioningDelayMs: 5000 });
    expect(p.metrics().replicas).toEqual({ inService: 0, provisioning: 2, draining: 0 });
    clock.advanceTo(4999);
    expect(submit(p, clock, done)).toBe('not-ready');
    clock.advanceTo(5000);
    expect(p.metrics().replicas).toEqual({ inService: 2, provisioning: 0, draining: 0 });
    expect(submit(p, clock, done)).toBe('accepted');
    expect(p.metrics().notReady).toBe(2);
  });

  it('drains removed replicas: no new work, the old work finishes', () => {
    const clock = new ManualClock();
    const p = pool(clock, { replicas: 2, concurrencyPerReplica: 1, queueDepthPerReplica: 0 });
    const done: number[] = [];
    submit(p, clock, done);
    p.resize(1);
    // The idle replica leaves at once; the busy one stays.
    expect(p.metrics().replicas).toEqual({ inService: 1, provisioning: 0, draining: 0 });
    expect(submit(p, clock, done)).toBe('throttled');
    p.resize(0);
    expect(p.metrics().replicas).toEqual({ inService: 0, provisioning: 0, draining: 1 });
    clock.runUntilIdle();
    expect(done).toEqual([100]);
    expect(p.metrics().replicas).toEqual({ inService: 0, provisioning: 0, draining: 0 });
  });

  it('reports per-interval invocations, concurrency and utilisation', () => {
    const clock = new ManualClock();
    const p = pool(clock, { replicas: 2, concurrencyPerReplica: 2, queueDepthPerReplica: 4 });
    const before = p.metrics();
    const done: number[] = [];
    // 6 requests at 0 on 2 replicas × 2 slots: 4 serve 0–100, 2 queue and serve 100–200.
    for (let i = 0; i < 6; i++) submit(p, clock, done);
    clock.advanceTo(1000);
    const delta = poolMetricsDelta(before, p.metrics());
    expect(delta).toEqual({
      intervalMs: 1000,
      invocations: 6,
      throttled: 0,
      notReady: 0,
      invocationsPerReplica: 3,
      // Outstanding: 6 for 100 ms, 2 for 100 ms = 800 request·ms over 2000 replica·ms.
      concurrencyPerReplica: 0.4,
      // Busy slots: 4 for 100 ms + 2 for 100 ms = 600 of 4000 slot·ms.
      utilisation: 0.15,
    });
  });

  it('rejects impossible sizes', () => {
    const clock = new ManualClock();
    expect(() => pool(clock, { concurrencyPerReplica: 0 })).toThrow(/concurrencyPerReplica must be a whole number >= 1, got 0/);
    expect(() => pool(clock).resize(-1)).toThrow(/target replicas must be a whole number >= 0, got -1/);
  });
});
