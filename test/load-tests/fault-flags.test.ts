import { describe, expect, it } from 'vitest';
import { parseFraction, parseLatencySpike, parseStall } from '../../load-tests/emulator';

describe('emulate fault flags', () => {
  it('reads stalls and latency spikes with their units', () => {
    expect(parseStall('every=5s,for=1s')).toEqual({ everyMs: 5000, forMs: 1000, replicas: 1 });
    expect(parseStall('every=2m,for=500ms,replicas=all')).toEqual({ everyMs: 120_000, forMs: 500, replicas: 'all' });
    expect(parseLatencySpike('p=0.01,ms=800')).toMatchObject({ probability: 0.01, extraMs: 800 });
    expect(parseFraction('--throttle-rate', '0.05')).toBe(0.05);
  });

  it('fails when a stall duration has no unit, since the load-test flags read bare numbers as seconds', () => {
    expect(() => parseStall('every=5,for=1s')).toThrow('--stall every: expected a duration with its unit, such as 800ms, 1.5s or 2m, got "5"');
  });

  it('fails with the allowed form when a flag is malformed', () => {
    expect(() => parseStall('each=5s')).toThrow(/--stall: expected every=…,for=…/);
    expect(() => parseFraction('--error-rate', '1.5')).toThrow(/--error-rate/);
  });
});
