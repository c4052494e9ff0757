import { describe, expect, it } from 'vitest';
import { evaluateThresholds, parseThreshold, parseThresholds, type Threshold } from '../../load-tests/generator/thresholds';
import { fakeResult } from './result-fixture';

function parsed(expression: string): Threshold {
  const t = parseThreshold(expression);
  if (typeof t === 'string') throw new Error(t);
  return t;
}

describe('thresholds', () => {
  it('parse latency, outcome and rate metrics with their units', () => {
    expect(parsed('p99<250ms')).toMatchObject({ metric: { kind: 'latency', name: 'p99', corrected: true }, operator: '<', value: 250 });
    expect(parsed('max <= 1.5s')).toMatchObject({ metric: { name: 'max' }, operator: '<=', value: 1500 });
    expect(parsed('p50<20')).toMatchObject({ value: 20 });
    expect(parsed('uncorrected.p999<80ms')).toMatchObject({ metric: { kind: 'latency', name: 'p999', corrected: false } });
    expect(parsed('errors<0.01')).toMatchObject({ metric: { kind: 'fraction', name: 'errors' }, value: 0.01 });
    expect(parsed('throttled<0.5%')).toMatchObject({ metric: { kind: 'fraction', name: 'throttled' }, value: 0.005 });
    expect(parsed('achievedRate>=490')).toMatchObject({ metric: { kind: 'rate' }, operator: '>=', value: 490 });
  });

  it('reject bad expressions, each with a reason', () => {
    const { thresholds, errors } = parseThresholds(['p98<1ms', 'p99<10%', 'errors<5ms', 'errors<2', 'uncorrected.errors<0.1', 'p99=5', 'achievedRate>5s', 'p95<100ms']);
    expect(thresholds.map((t) => t.expression)).toEqual(['p95<100ms']);
    expect(errors).toEqual([
      expect.stringMatching(/^--threshold "p98<1ms": unknown metric "p98"/),
      expect.stringMatching(/"p99<10%": a latency takes ms or s, not %/),
      expect.stringMatching(/"errors<5ms": errors is a fraction of requests, not a duration/),
      expect.stringMatching(/"errors<2": errors is a fraction between 0 and 1/),
      expect.stringMatching(/"uncorrected.errors<0.1": "uncorrected." applies to latency metrics only/),
      expect.stringMatching(/"p99=5": not of the form METRIC<VALUE/),
      expect.stringMatching(/"achievedRate>5s": achievedRate is in requests\/s/),
    ]);
  });

  it('evaluate against a result: latency, error fraction, rate', () => {
    // 1000 requests: 10 ms each, 1 in 100 throttled, one in 200 slow (500 ms).
    const result = fakeResult({
      rate: 200,
      seconds: 5,
      latencyMs: (k) => (k % 200 === 7 ? 500 : 10),
      outcome: (k) => (k % 100 === 3 ? 'throttled' : 'ok'),
    });
    const { thresholds } = parseThresholds(['p99<=20ms', 'p999<100ms', 'errors<0.02', 'throttled<0.5%', 'achievedRate>=199', 'uncorrected.max<1s']);
    expect(evaluateThresholds(thresholds, result).map((t) => [t.expression, t.pass, t.actual])).toEqual([
      ['p99<=20ms', true, 10.007],
      ['p999<100ms', false, 500.223],
      ['errors<0.02', true, 0.01],
      ['throttled<0.5%', false, 0.01],
      ['achievedRate>=199', true, 200],
      ['uncorrected.max<1s', true, 500.223],
    ]);
  });
});
