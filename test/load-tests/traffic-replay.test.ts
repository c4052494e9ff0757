/**
 * One traffic vocabulary: `loadtest --profile P` plays exactly the rate curve `simulate --profile P`
 * simulates, at the same peak, `--time-scale` times faster.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { preset, resolveTopology } from '../../constructs';
import { planLoadTest, type LoadTestInput } from '../../load-tests/generator/load-test-plan';
import { simulateTopology } from '../../load-tests/simulator/simulate';
import { BUILTIN_PROFILES } from '../../load-tests/traffic/builtin-profiles';
import { selectProfile } from '../../load-tests/traffic/select-profile';
import { expectedArrivals, peakRate, rateAt, scheduleDurationSeconds, truncateSchedule, type RateSchedule } from '../../load-tests/traffic/traffic-schedule';

const prod = resolveTopology(preset('prod'));
const local = 'http://127.0.0.1:8780';
const HOURS = 2;
const TIME_SCALE = 60;

const dir = mkdtempSync(join(tmpdir(), 'replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function played(input: Partial<LoadTestInput>) {
  const { plan, errors } = planLoadTest({ target: 'sagemaker', endpoint: 'ranker', endpointUrl: local, hours: HOURS, ...input }, prod);
  expect(errors).toEqual([]);
  return plan!;
}

/** Arrivals the schedule implies between two of its times. */
function arrivalsBetween(schedule: RateSchedule, from: number, to: number): number {
  return expectedArrivals(truncateSchedule(schedule, to)) - expectedArrivals(truncateSchedule(schedule, from));
}

describe('loadtest replays what simulate simulates', () => {
  const file = join(dir, 'stages.yaml');
  writeFileSync(file, 'startRate: 100\nstages:\n  - { durationSeconds: 1800, targetRate: 900 }\n  - { durationSeconds: 0, targetRate: 300 }\n  - { durationSeconds: 1800, targetRate: 300 }\n');

  for (const profile of [...BUILTIN_PROFILES, file]) {
    it(`${profile === file ? 'a stages file' : profile}: the same peak, and the simulated minutes follow the played curve`, () => {
      // A file has its own length (an hour); a built-in gets the same --hours in both commands.
      const hours = profile === file ? undefined : HOURS;
      const plan = played({ profile, timeScale: TIME_SCALE, hours });
      const schedule = plan.options.schedule;
      const simulation = simulateTopology(prod, { profile: selectProfile(profile, { hours }), endpoints: ['ranker'], clouds: ['aws'], seed: 11 });
      const ranker = simulation.clouds.aws!.endpoints.ranker;

      expect(plan.peakSource).toBe(simulation.profile.peakSource);
      expect(peakRate(schedule)).toBeCloseTo(ranker.peakRequestsPerSecond, 3);
      expect(scheduleDurationSeconds(schedule) * TIME_SCALE).toBeCloseTo(simulation.profile.minutes * 60, 6);
      // Each simulated minute is one played second (at 60×): Poisson counts within 6 σ of the played integral.
      for (const point of ranker.series) {
        const expected = arrivalsBetween(schedule, (point.minute * 60) / TIME_SCALE, ((point.minute + 1) * 60) / TIME_SCALE) * TIME_SCALE;
        expect(Math.abs(point.arrivals - expected)).toBeLessThanOrEqual(6 * Math.sqrt(expected) + 2);
      }
    });
  }

  it('breaking-news at the topology peak: the spike the simulator rides is the one loadtest sends', () => {
    const plan = played({ profile: 'breaking-news', timeScale: TIME_SCALE });
    const simulation = simulateTopology(prod, { profile: selectProfile('breaking-news', { hours: HOURS }), endpoints: ['ranker'], clouds: ['gcp'], seed: 2 });
    expect(plan.peakSource).toBe('topology');
    expect(peakRate(plan.options.schedule)).toBe(prod.endpoints[0].traffic!.peakRequestsPerSecond);
    const spikeMinute = simulation.profile.spikeStartMinute!;
    const schedule = plan.options.schedule;
    // Before the spike and ten minutes into it, played at 60×: a tenfold rise in both.
    const before = rateAt(schedule, (spikeMinute - 1) * 60 / TIME_SCALE);
    const during = rateAt(schedule, (spikeMinute + 10) * 60 / TIME_SCALE);
    expect(during / before).toBeGreaterThan(8);
    const series = simulation.clouds.gcp!.endpoints.ranker.series;
    expect(series[spikeMinute + 10].arrivals / series[spikeMinute - 1].arrivals).toBeGreaterThan(8);
  });
});

describe('--time-scale and --peak-rps', () => {
  it('plays the same shape in 1/N of the time at the same rates', () => {
    const slow = played({ profile: 'diurnal', timeScale: 1 }).options.schedule;
    const fast = played({ profile: 'diurnal', timeScale: 120 }).options.schedule;
    expect(scheduleDurationSeconds(fast)).toBeCloseTo(scheduleDurationSeconds(slow) / 120, 9);
    for (const t of [0, 600, 3333, 7000]) expect(rateAt(fast, t / 120)).toBeCloseTo(rateAt(slow, t), 9);
  });

  it('rates are relative to --peak-rps, the same flag simulate takes', () => {
    const plan = played({ profile: 'breaking-news', peakRps: 250, timeScale: 60 });
    const simulation = simulateTopology(prod, { profile: selectProfile('breaking-news', { hours: HOURS }), peakRequestsPerSecond: 250, endpoints: ['ranker'], clouds: ['aws'] });
    expect(plan.peakSource).toBe('peak-rps');
    expect(simulation.profile.peakSource).toBe('peak-rps');
    expect(peakRate(plan.options.schedule)).toBe(250);
    expect(simulation.clouds.aws!.endpoints.ranker.peakRequestsPerSecond).toBe(250);
  });

  it('fits a built-in profile to --duration without --time-scale, and cuts with it', () => {
    const fitted = played({ profile: 'breaking-news', duration: 120 }).options.schedule;
    expect(scheduleDurationSeconds(fitted)).toBe(120);
    const cut = played({ profile: 'breaking-news', timeScale: 60, duration: 30 }).options.schedule;
    expect(scheduleDurationSeconds(cut)).toBe(30);
    expect(rateAt(cut, 20)).toBeCloseTo(rateAt(played({ profile: 'breaking-news', timeScale: 60 }).options.schedule, 20), 9);
  });

  it('names the allowed profiles for an unknown one, and asks for a bound on a built-in', () => {
    const { errors } = planLoadTest({ target: 'sagemaker', endpoint: 'ranker', endpointUrl: local, profile: 'tsunami', duration: 5 }, prod);
    expect(errors).toEqual(['--profile: "tsunami" is neither a built-in profile (steady, ramp, steps, spike, diurnal, breaking-news) nor a file path']);
    expect(planLoadTest({ target: 'sagemaker', endpoint: 'ranker', endpointUrl: local, profile: 'diurnal' }, prod).errors).toEqual([
      '--duration: required with --profile diurnal (or --time-scale, or --max-requests with --peak-rps), so the run is bounded in time',
    ]);
  });
});
