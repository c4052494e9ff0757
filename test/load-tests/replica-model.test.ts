/**
 * One replica model: the emulator's replica pools and the simulator's variant pools are built from
 * the same ReplicaModel (service time, slots, queue limit from the assumption register) and refuse
 * at the same occupancy.
 */
import type { Histogram } from 'hdr-histogram-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASSUMPTIONS, assumptionSet, preset, resolveTopology, type Assumption } from '../../constructs';
import { policyFor } from '../../load-tests/autoscaling/policy-for-endpoint';
import { ManualClock } from '../../load-tests/clock/manual-clock';
import { startEmulator, type EmulatorHandle } from '../../load-tests/emulator/start-emulator';
import { occupancyLimit } from '../../load-tests/replica/admission';
import { Random } from '../../load-tests/replica/random';
import { QUEUE_LIMIT_ASSUMPTION, replicaModelFor, type ReplicaModel } from '../../load-tests/replica/replica-model';
import { DEFAULT_SERVICE_TIME_LOG_SIGMA } from '../../load-tests/replica/service-time';
import { ExactQueue } from '../../load-tests/simulator/exact-queue';
import { latencyHistogram } from '../../load-tests/simulator/latency-histogram';
import { simulateTopology } from '../../load-tests/simulator/simulate';
import { VariantPool } from '../../load-tests/simulator/variant-pool';
import { builtinSchedule } from '../../load-tests/traffic/builtin-profiles';

const prod = resolveTopology(preset('prod'));
let emulator: EmulatorHandle;
beforeAll(async () => {
  // A clock that never moves: nothing finishes, so occupancy only grows.
  emulator = await startEmulator(prod, { clock: new ManualClock() });
});
afterAll(() => emulator.close());

describe('the emulator and the simulator share one replica model', () => {
  it('the emulator builds every pool from replicaModelFor, with the register queue limit on both clouds', () => {
    const limit = ASSUMPTIONS.find((a) => a.name === QUEUE_LIMIT_ASSUMPTION)!.value;
    for (const e of emulator.endpoints) {
      for (const v of e.variants) {
        expect(v.pool.model).toEqual(replicaModelFor(e.resolved, v.resolved, 'aws'));
        expect(v.pool.model).toEqual(replicaModelFor(e.resolved, v.resolved, 'gcp'));
        expect(v.pool.model.queueLimitPerReplica).toBe(limit);
        expect(v.pool.model.serviceTime).toEqual({ medianMs: v.resolved.performance.serviceTimeMs, logSigma: DEFAULT_SERVICE_TIME_LOG_SIGMA });
      }
    }
  });

  it('the simulator reports the same service time, slots and queue limit for every variant', () => {
    const result = simulateTopology(prod, { profile: builtinSchedule('steady', { hours: 2 / 60 }), seed: 3 });
    for (const cloud of ['aws', 'gcp'] as const) {
      for (const e of emulator.endpoints) {
        const simulated = result.clouds[cloud]!.endpoints[e.name].variants;
        expect(simulated.map((v) => ({ serviceTime: v.serviceTime, slots: v.concurrencyPerReplica, queue: v.queueLimitPerReplica }))).toEqual(
          e.variants.map((v) => ({ serviceTime: v.pool.model.serviceTime, slots: v.pool.model.concurrencyPerReplica, queue: v.pool.model.queueLimitPerReplica })),
        );
      }
    }
  });

  it('both refuse at the same occupancy: replicas × (concurrency + queue limit)', () => {
    const endpoint = emulator.endpoints.find((e) => e.name === 'ranker')!;
    const variant = endpoint.variants[0];
    const model = variant.pool.model;
    const replicas = endpoint.resolved.scaling.min;
    expect(replicas).toBeGreaterThan(1);
    const limit = occupancyLimit(model, replicas);

    // Emulator: a burst at one instant on the pool startEmulator built.
    const outcomes = Array.from({ length: limit + 50 }, () => variant.pool.submit({ extraMs: 0, onDone: () => undefined }));
    expect(outcomes.filter((o) => o === 'accepted')).toHaveLength(limit);
    expect(outcomes.slice(limit).every((o) => o === 'throttled')).toBe(true);

    // Simulator: the same ReplicaModel object behind a variant pool, flooded for one millisecond
    // (shorter than any service time of the model, so nothing leaves).
    const histogram: Histogram = latencyHistogram();
    try {
      const pool = new VariantPool(new ExactQueue(model.serviceTime, new Random(1)), policyFor('aws', endpoint.resolved, variant.resolved), model, () => 5e6, 1);
      const minute = pool.run(0, 0.001, histogram);
      expect(minute.replicas).toBe(replicas);
      expect(minute.arrivals).toBeGreaterThan(limit);
      expect(minute.accepted).toBe(limit);
    } finally {
      histogram.destroy();
    }
  });

  it('reads the queue limit through an AssumptionSet, so a sensitivity run can pass another', () => {
    const [endpoint] = prod.endpoints;
    const register: Assumption[] = ASSUMPTIONS.map((a) => (a.name === QUEUE_LIMIT_ASSUMPTION ? { ...a, value: 7 } : a));
    const model: ReplicaModel = replicaModelFor(endpoint, endpoint.variants[0], 'gcp', { assumptions: assumptionSet('gcp', 'base', register) });
    expect(model.queueLimitPerReplica).toBe(7);
    expect(occupancyLimit(model, 3)).toBe(3 * (model.concurrencyPerReplica + 7));
    const simulated = simulateTopology(prod, {
      profile: builtinSchedule('steady', { hours: 1 / 60 }),
      endpoints: [endpoint.name],
      assumptions: { gcp: assumptionSet('gcp', 'base', register) },
    });
    expect(simulated.clouds.gcp!.endpoints[endpoint.name].variants[0].queueLimitPerReplica).toBe(7);
    expect(simulated.clouds.aws!.endpoints[endpoint.name].variants[0].queueLimitPerReplica).toBe(100);
  });
});
