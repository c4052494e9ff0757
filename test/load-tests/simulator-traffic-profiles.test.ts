import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BREAKING_NEWS_SPIKE, builtinProfile, loadProfileFile, rateAt, selectProfile } from '../../load-tests/traffic-profiles';

const dir = mkdtempSync(join(tmpdir(), 'profiles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('built-in profiles', () => {
  it('steady holds the peak; diurnal peaks at 1 in the evening and is quiet at night', () => {
    expect(builtinProfile('steady', 2).ratesPerMinute).toEqual(new Array(120).fill(1));
    const day = builtinProfile('diurnal').ratesPerMinute;
    expect(day).toHaveLength(1440);
    expect(Math.max(...day)).toBe(1);
    const peakMinute = day.indexOf(1);
    expect(peakMinute / 60).toBeGreaterThan(19);
    expect(peakMinute / 60).toBeLessThan(22);
    expect(day[4 * 60]).toBeLessThan(0.2);
  });

  it('breaking news: the diurnal day plus a 10× spike that builds in minutes, at spikeStartMinute', () => {
    const p = builtinProfile('breaking-news');
    const day = builtinProfile('diurnal').ratesPerMinute;
    const s = p.spikeStartMinute!;
    expect(s).toBe(Math.floor(1440 * BREAKING_NEWS_SPIKE.startFraction));
    expect(Math.max(...p.ratesPerMinute)).toBe(1);
    // Relative to the diurnal rate of the same minute, the spike is 10× once built.
    const ratio = (m: number) => p.ratesPerMinute[m] / p.ratesPerMinute[s - 1] / (day[m] / day[s - 1]);
    expect(ratio(s - 1)).toBeCloseTo(1, 6);
    expect(ratio(s + BREAKING_NEWS_SPIKE.buildMinutes)).toBeCloseTo(10, 6);
    expect(ratio(s + 2)).toBeGreaterThan(3);
    expect(ratio(s + 2)).toBeLessThan(10);
    expect(ratio(s + 5 * 60)).toBeLessThan(1.2);
  });

  it('interpolates between minutes and holds the last rate after the end', () => {
    const p = { ...builtinProfile('steady', 1), ratesPerMinute: [0, 1, 0.5] };
    expect(rateAt(p, 0.5)).toBe(0.5);
    expect(rateAt(p, 1.5)).toBe(0.75);
    expect(rateAt(p, 10)).toBe(0.5);
  });

  it('rejects hours outside (0, 168] and names an unknown profile', () => {
    expect(() => builtinProfile('diurnal', 0)).toThrow('--hours: must be in (0, 168], got 0');
    expect(() => selectProfile('tsunami')).toThrow('--profile: "tsunami" is neither a built-in profile (steady, diurnal, breaking-news) nor a file path');
  });
});

describe('profile files', () => {
  it('reads a JSON array of requests/s, a JSON object and CSV with or without a header', () => {
    expect(loadProfileFile(file('a.json', '[10, 20, 30]'))).toMatchObject({ unit: 'requests-per-second', ratesPerMinute: [10, 20, 30], name: 'a.json' });
    const obj = loadProfileFile(file('b.json', JSON.stringify({ name: 'replay', unit: 'relative', ratesPerMinute: [0.1, 1, 0.5], spikeStartMinute: 1 })));
    expect(obj).toMatchObject({ name: 'replay', unit: 'relative', spikeStartMinute: 1 });
    expect(loadProfileFile(file('c.csv', 'rps\n5\n6\n')).ratesPerMinute).toEqual([5, 6]);
    expect(loadProfileFile(file('d.csv', 'minute,rate\n0,5\n1,7\n')).ratesPerMinute).toEqual([5, 7]);
    expect(loadProfileFile(file('e.csv', '1\n2\n3\n'), 1 / 30).ratesPerMinute).toEqual([1, 2]);
  });

  it('lists every bad value with its index', () => {
    expect(() => loadProfileFile(file('bad.json', '[1, -2, 3]'))).toThrow(/ratesPerMinute\[1\]: must be a finite number >= 0, got -2/);
    expect(() => loadProfileFile(file('zero.json', '[0, 0]'))).toThrow('ratesPerMinute: every rate is 0');
    expect(() => loadProfileFile(file('rel.json', '{"unit": "relative", "ratesPerMinute": [0.5, 2]}'))).toThrow('relative rates must be in [0, 1]');
    expect(() => loadProfileFile(file('spike.json', '{"ratesPerMinute": [1, 2], "spikeStartMinute": 5}'))).toThrow("spikeStartMinute: must be < the profile's 2 minutes, got 5");
  });

  it('explains malformed files', () => {
    expect(() => loadProfileFile(file('x.json', '{rates: 1}'))).toThrow(/x.json: not valid JSON/);
    expect(() => loadProfileFile(file('y.json', '{"rates": [1]}'))).toThrow(/expected an array of requests\/s or \{ name\?, unit\?, ratesPerMinute, spikeStartMinute\? \}/);
    expect(() => loadProfileFile(file('z.csv', '1\nabc\n'))).toThrow('z.csv: line 2: rate "abc" is not a number');
    expect(() => loadProfileFile(file('g.csv', '0,1\n2,1\n'))).toThrow('line 2: minutes must count up from 0 without gaps, got minute 2');
    expect(() => loadProfileFile(join(dir, 'missing.json'))).toThrow(/missing.json: cannot read it \(ENOENT\)/);
    expect(() => loadProfileFile(file('short.json', '[1, 2]'), 1)).toThrow('covers only 2 minutes');
  });
});
