import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArrivalIterator } from '../../load-tests/generator/arrivals';
import { BUILTIN_PROFILES, builtinSchedule, type BuiltinProfileName } from '../../load-tests/traffic/builtin-profiles';
import { loadProfileFile } from '../../load-tests/traffic/profile-files';
import { expectedArrivals, fittedSchedule, ProfileError, rateAt, truncateSchedule, type RateSchedule } from '../../load-tests/traffic/traffic-schedule';

/** A built-in profile played in `seconds` at a peak of `peak` requests/s (`loadtest --duration`). */
const profileSchedule = (name: BuiltinProfileName, peak: number, seconds: number) => fittedSchedule(builtinSchedule(name), peak, seconds);

function all(schedule: RateSchedule, options: Partial<ConstructorParameters<typeof ArrivalIterator>[1]> = {}): number[] {
  const it = new ArrivalIterator(schedule, { shardIndex: 0, shardCount: 1, process: 'uniform', seed: 1, ...options });
  const times: number[] = [];
  for (let t = it.next(); t !== undefined; t = it.next()) times.push(t);
  return times;
}

describe('arrival schedules', () => {
  it('spaces a steady rate evenly', () => {
    expect(all(profileSchedule('steady', 4, 1))).toEqual([0, 250, 500, 750]);
  });

  it('follows a linear ramp: arrival k at sqrt(2·k·D/R)', () => {
    const times = all(profileSchedule('ramp', 100, 10));
    expect(times).toHaveLength(500);
    expect(times[0]).toBe(0);
    for (const k of [1, 50, 200, 499]) expect(times[k]).toBeCloseTo(Math.sqrt((2 * k * 10) / 100) * 1000, 6);
  });

  it('produces the integral of every profile’s rate', () => {
    for (const profile of BUILTIN_PROFILES) {
      const schedule = profileSchedule(profile, 50, 20);
      expect(all(schedule).length).toBeCloseTo(expectedArrivals(schedule), -0.5);
      expect(Math.max(...schedule.points.map(([, r]) => r))).toBeCloseTo(50, 9);
    }
  });

  it('shapes a spike as a 10x surge over a tenth of the peak', () => {
    const spike = profileSchedule('spike', 100, 100);
    expect(rateAt(spike, 10)).toBe(10);
    expect(rateAt(spike, 60)).toBe(100);
    expect(rateAt(spike, 95)).toBe(10);
  });

  it('splits arrivals over shards without losing or adding any', () => {
    for (const process of ['uniform', 'poisson'] as const) {
      const schedule = profileSchedule('steps', 200, 3);
      const single = all(schedule, { process, seed: 9 });
      const sharded = [0, 1, 2].flatMap((shardIndex) => all(schedule, { process, seed: 9, shardIndex, shardCount: 3 })).sort((a, b) => a - b);
      expect(sharded).toEqual(single);
    }
  });

  it('gives a Poisson process the requested mean rate', () => {
    const times = all(profileSchedule('steady', 1000, 20), { process: 'poisson', seed: 4 });
    expect(times.length / 20).toBeGreaterThan(970);
    expect(times.length / 20).toBeLessThan(1030);
  });

  it('stops at max requests, over all shards', () => {
    const schedule = profileSchedule('steady', 100, 10);
    const counts = [0, 1].map((shardIndex) => all(schedule, { shardIndex, shardCount: 2, maxRequests: 7 }).length);
    expect(counts).toEqual([4, 3]);
  });

  it('reads a stages file and cuts it to --duration', () => {
    const dir = mkdtempSync(join(tmpdir(), 'schedule-'));
    const file = join(dir, 'profile.yaml');
    writeFileSync(file, 'startRate: 10\nstages:\n  - { durationSeconds: 10, targetRate: 30 }\n  - { durationSeconds: 0, targetRate: 5 }\n  - { durationSeconds: 10, targetRate: 5 }\n');
    const schedule = loadProfileFile(file);
    expect(schedule.points).toEqual([
      [0, 10],
      [10, 30],
      [10, 5],
      [20, 5],
    ]);
    expect(expectedArrivals(schedule)).toBe(250);
    expect(truncateSchedule(schedule, 5).points).toEqual([
      [0, 10],
      [5, 20],
    ]);
  });

  it('fails on a bad stages file naming every problem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'schedule-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ startRate: -1, stages: [{ durationSeconds: 'x', targetRate: 5, rampTo: 3 }] }));
    expect(() => loadProfileFile(file)).toThrow(ProfileError);
    expect(() => loadProfileFile(file)).toThrow(/startRate: must be a number >= 0, got -1[\s\S]*unknown field rampTo[\s\S]*stages\[0\]\.durationSeconds/);
  });
});
