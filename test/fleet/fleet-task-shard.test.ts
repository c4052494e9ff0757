/**
 * A fleet task's share of a run, in process against the local endpoints on 127.0.0.1: the tasks
 * of a fleet (each with its worker threads) together send exactly the one-run arrivals, and
 * their results merge back into the whole schedule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preset, resolveTopology } from '../../constructs';
import { startEmulator, type EmulatorHandle } from '../../load-tests/emulator';
import { mergeResults } from '../../load-tests/generator/merge-results';
import { runLoadTest, type LoadTestOptions } from '../../load-tests/generator/run-load-test';
import { samplePayloads } from '../../load-tests/models/sample-payloads';
import { steadySchedule } from '../../load-tests/traffic/traffic-schedule';

let emulator: EmulatorHandle;
beforeAll(async () => {
  emulator = await startEmulator(resolveTopology(preset('prod')));
});
afterAll(() => emulator.close());

const options = (): LoadTestOptions => ({
  target: { kind: 'http', url: `${emulator.url}/endpoints/news-prod-ranker/invocations`, headers: {}, maxConnections: 16 },
  schedule: steadySchedule(40, 1),
  profile: 'steady',
  payloads: samplePayloads('ranker', { count: 4 }),
  timeoutMs: 10_000,
  // 25 of the 40 arrivals: shares that do not divide evenly.
  maxRequests: 25,
});

describe('runLoadTest as a fleet task', () => {
  it('takes its share of the arrivals and of --max-requests, and the shares merge into the whole', async () => {
    const tasks = await Promise.all([0, 1, 2].map((index) => runLoadTest({ ...options(), fleetTask: { index, count: 3 } })));
    expect(tasks.map((t) => t.counts.scheduled)).toEqual([9, 8, 8]);
    expect(tasks.map((t) => t.schedule.maxRequests)).toEqual([9, 8, 8]);
    expect(tasks.every((t) => t.schedule.peakRate === 13.333)).toBe(true);
    const merged = mergeResults(tasks);
    expect(merged.counts).toMatchObject({ scheduled: 25, sent: 25, ok: 25 });
    expect(merged.schedule.maxRequests).toBe(25);
    expect(merged.schedule.peakRate).toBeCloseTo(40, 2);
  }, 60_000);

  it('with worker threads inside a task, counts its workers\' shards of the fleet exactly', async () => {
    const tasks = await Promise.all([0, 1].map((index) => runLoadTest({ ...options(), workers: 2, fleetTask: { index, count: 2 } })));
    // Shards 0–1 (task 0) and 2–3 (task 1) of 4 below 25: 7 + 6 and 6 + 6.
    expect(tasks.map((t) => t.counts.scheduled)).toEqual([13, 12]);
    expect(tasks.map((t) => t.schedule.maxRequests)).toEqual([13, 12]);
    expect(mergeResults(tasks).counts).toMatchObject({ scheduled: 25, ok: 25 });
  }, 60_000);
});
