import { describe, expect, it } from 'vitest';
import { ASSUMPTIONS } from '../../constructs';
import { runServingStacks } from './run-cli';

describe('serving-stacks assumptions', () => {
  it('prints the register as JSON: name, cloud, value, unit, source, verified (tag V), the tag, and the range of unverified values', () => {
    const r = runServingStacks(['assumptions', '--json']);
    expect(r.status).toBe(0);
    const printed = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(printed).toHaveLength(ASSUMPTIONS.length);
    const delay = printed.find((a) => a.name === 'metric.vertex-utilisation.publish-delay-seconds');
    expect(delay).toMatchObject({ cloud: 'gcp', value: 180, unit: 's', source: 'https://cloud.google.com/monitoring/api/metrics_gcp', verified: false, tag: 'U', low: 60, high: 360 });
    const period = printed.find((a) => a.name === 'metric.sagemaker-invocations.period-seconds')!;
    expect(period).toMatchObject({ verified: true, tag: 'V' });
    expect('low' in period).toBe(false);
    for (const a of printed) expect(a.verified).toBe(a.tag === 'V');
  });

  it('prints a table with each assumption, its tag, range and source', () => {
    const r = runServingStacks(['assumptions']);
    expect(r.status).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.startsWith('provisioning.gpu-replica-seconds'))!;
    expect(line).toMatch(/both\s+300 s\s+\[S\]\s+240–540 \(lower favours\)\s+https:\/\//);
    expect(r.stdout).toContain('[V] a primary source says so');
  });
});
