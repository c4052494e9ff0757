import { describe, expect, it } from 'vitest';
import { parseLatencySpike, parseStall } from '../../bin/options/fault-options';
import { parseFraction } from '../../bin/options/fraction';

describe('emulate fault flags', () => {
  it('reads stalls and latency spikes with their units', () => {
    expect(parseStall('--stall', 'every=5s,for=1s')).toEqual({ everyMs: 5000, forMs: 1000, replicas: 1 });
    expect(parseStall('--stall', 'every=2m,for=500ms,replicas=all')).toEqual({ everyMs: 120_000, forMs: 500, replicas: 'all' });
    expect(parseLatencySpike('--latency-spike', 'p=0.01,ms=800')).toMatchObject({ probability: 0.01, extraMs: 800 });
    expect(parseFraction('--throttle-rate', '0.05')).toBe(0.05);
  });

  it('reads a bare stall duration as seconds, as every duration flag does', () => {
    expect(parseStall('--stall', 'every=5,for=0.5')).toEqual({ everyMs: 5000, forMs: 500, replicas: 1 });
  });

  it('fails with the allowed form when a flag is malformed', () => {
    expect(() => parseStall('--stall', 'each=5s')).toThrow('--stall: expected every=…,for=…,replicas=… (for example every=5s,for=1s,replicas=1), got "each=5s"');
    expect(() => parseStall('--stall', 'every=1s,for=2s')).toThrow('--stall: expected "for" shorter than "every", got "every=1s,for=2s"');
    expect(() => parseStall('--stall', 'every=5s,for=soon')).toThrow('--stall for: expected a duration > 0 such as 500ms, 30s, 2m or 1h (a bare number is seconds), got "soon"');
    expect(() => parseLatencySpike('--latency-spike', 'p=0.01,ms=1s')).toThrow('--latency-spike ms: expected a number >= 0 (milliseconds), got "1s"');
    expect(() => parseFraction('--error-rate', '1.5')).toThrow('--error-rate: expected a fraction between 0 and 1 (for example 0.01), got "1.5"');
  });
});
