import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BREAKING_NEWS_SPIKE, BUILTIN_PROFILES, builtinSchedule, DEFAULT_SPIKES_PER_WEEK } from '../../load-tests/traffic/builtin-profiles';
import { loadProfileFile } from '../../load-tests/traffic/profile-files';
import { selectProfile } from '../../load-tests/traffic/select-profile';
import { peakRate, rateAt, scheduleDurationSeconds, type RateSchedule } from '../../load-tests/traffic/traffic-schedule';

/** The rate at the start of each whole minute: how the per-minute formats read back. */
const perMinute = (s: RateSchedule) => Array.from({ length: Math.round(scheduleDurationSeconds(s) / 60) }, (_, m) => rateAt(s, m * 60));

const dir = mkdtempSync(join(tmpdir(), 'profiles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('built-in profiles', () => {
  it('steady holds the peak; diurnal peaks at 1 in the evening and is quiet at night', () => {
    expect(perMinute(builtinSchedule('steady', { hours: 2 }))).toEqual(new Array(120).fill(1));
    const day = perMinute(builtinSchedule('diurnal'));
    expect(day).toHaveLength(1440);
    expect(Math.max(...day)).toBe(1);
    const peakMinute = day.indexOf(1);
    expect(peakMinute / 60).toBeGreaterThan(19);
    expect(peakMinute / 60).toBeLessThan(22);
    expect(day[4 * 60]).toBeLessThan(0.2);
  });

  it('breaking news: the diurnal day plus a 10× spike that builds in minutes, at spikeStartMinute', () => {
    const schedule = builtinSchedule('breaking-news');
    const p = perMinute(schedule);
    const day = perMinute(builtinSchedule('diurnal'));
    const s = schedule.spike!.startSeconds / 60;
    expect(s).toBe(Math.floor(1440 * BREAKING_NEWS_SPIKE.startFraction));
    expect(Math.max(...p)).toBe(1);
    // Relative to the diurnal rate of the same minute, the spike is 10× once built.
    const ratio = (m: number) => p[m] / p[s - 1] / (day[m] / day[s - 1]);
    expect(ratio(s - 1)).toBeCloseTo(1, 6);
    expect(ratio(s + BREAKING_NEWS_SPIKE.buildMinutes)).toBeCloseTo(10, 6);
    expect(ratio(s + 2)).toBeGreaterThan(3);
    expect(ratio(s + 2)).toBeLessThan(10);
    expect(ratio(s + 5 * 60)).toBeLessThan(1.2);
    // Its baseline is the same day without the spike, on the spike's scale; the spike comes once a week by default.
    const baseline = perMinute(schedule.spike!.baseline!);
    expect(baseline[s - 1]).toBe(p[s - 1]);
    expect(baseline[s + 10]).toBeCloseTo(p[s + 10] / 10, 9);
    expect(schedule.spike!.spikesPerWeek).toBe(DEFAULT_SPIKES_PER_WEEK);
    expect(builtinSchedule('breaking-news', { spikesPerWeek: 3 }).spike!.spikesPerWeek).toBe(3);
  });

  it('every built-in profile is relative, peaks at 1 and spans its hours', () => {
    for (const name of BUILTIN_PROFILES) {
      const p = builtinSchedule(name, { hours: 2 });
      expect(p.unit).toBe('relative');
      expect(peakRate(p)).toBeCloseTo(1, 12);
      expect(scheduleDurationSeconds(p)).toBe(7200);
    }
  });

  it('interpolates between minutes and holds the last rate after the end', () => {
    const p = loadProfileFile(file('interp.json', '{"unit": "relative", "ratesPerMinute": [0, 1, 0.5]}'));
    expect(rateAt(p, 30)).toBe(0.5);
    expect(rateAt(p, 90)).toBe(0.75);
    expect(rateAt(p, 600)).toBe(0.5);
  });

  it('rejects hours outside (0, 168] and names an unknown profile', () => {
    expect(() => builtinSchedule('diurnal', { hours: 0 })).toThrow('--hours: must be in (0, 168], got 0');
    expect(() => selectProfile('tsunami')).toThrow('--profile: "tsunami" is neither a built-in profile (steady, ramp, steps, spike, diurnal, breaking-news) nor a file path');
    expect(() => selectProfile('steady', { spikesPerWeek: 2 })).toThrow('--spikes-per-week: applies to the breaking-news profile, not steady');
  });
});

describe('profile files', () => {
  it('reads a JSON array of requests/s, a JSON object and CSV with or without a header', () => {
    const a = loadProfileFile(file('a.json', '[10, 20, 30]'));
    expect(a).toMatchObject({ unit: 'requests-per-second', name: 'a.json' });
    expect(perMinute(a)).toEqual([10, 20, 30]);
    const obj = loadProfileFile(file('b.json', JSON.stringify({ name: 'replay', unit: 'relative', ratesPerMinute: [0.1, 1, 0.5], spikeStartMinute: 1, spikesPerWeek: 2 })));
    expect(obj).toMatchObject({ name: 'replay', unit: 'relative', spike: { startSeconds: 60, spikesPerWeek: 2 } });
    expect(perMinute(loadProfileFile(file('c.csv', 'rps\n5\n6\n')))).toEqual([5, 6]);
    expect(perMinute(loadProfileFile(file('d.csv', 'minute,rate\n0,5\n1,7\n')))).toEqual([5, 7]);
    expect(perMinute(loadProfileFile(file('e.csv', '1\n2\n3\n'), 1 / 30))).toEqual([1, 2]);
    // A stages file is the same schedule, for simulate as for loadtest.
    const stages = loadProfileFile(file('f.yaml', 'startRate: 10\nstages:\n  - { durationSeconds: 60, targetRate: 30 }\n'));
    expect(stages).toMatchObject({ unit: 'requests-per-second', points: [[0, 10], [60, 30]] });
  });

  it('lists every bad value with its index', () => {
    expect(() => loadProfileFile(file('bad.json', '[1, -2, 3]'))).toThrow(/ratesPerMinute\[1\]: must be a finite number >= 0, got -2/);
    expect(() => loadProfileFile(file('zero.json', '[0, 0]'))).toThrow('ratesPerMinute: every rate is 0');
    expect(() => loadProfileFile(file('rel.json', '{"unit": "relative", "ratesPerMinute": [0.5, 2]}'))).toThrow('relative rates must be in [0, 1]');
    expect(() => loadProfileFile(file('spike.json', '{"ratesPerMinute": [1, 2], "spikeStartMinute": 5}'))).toThrow("spikeStartMinute: must be < the profile's 2 minutes, got 5");
  });

  it('explains malformed files', () => {
    expect(() => loadProfileFile(file('x.json', '{rates: 1}'))).toThrow(/x.json: not valid JSON/);
    expect(() => loadProfileFile(file('y.json', '{"rates": [1]}'))).toThrow(/expected an array of requests\/s, \{ name\?, unit\?, ratesPerMinute, spikeStartMinute\?, spikesPerWeek\? \} or \{ startRate\?, stages \}/);
    expect(() => loadProfileFile(file('z.csv', '1\nabc\n'))).toThrow('z.csv: line 2: rate "abc" is not a number');
    expect(() => loadProfileFile(file('g.csv', '0,1\n2,1\n'))).toThrow('line 2: minutes must count up from 0 without gaps, got minute 2');
    expect(() => loadProfileFile(join(dir, 'missing.json'))).toThrow(/missing.json: cannot read it \(ENOENT\)/);
    expect(() => loadProfileFile(file('short.json', '[1, 2]'), 1)).toThrow('covers only 2 minutes');
  });
});
