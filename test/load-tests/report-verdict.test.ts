/**
 * The report's new contract (formatVersion 2): verdict, sensitivity bands, the spike per cloud and
 * endpoint, the assumption register; and report.md and report.html opening with the verdict.
 * Built in process from a one-hour simulation of one endpoint, as `serving-stacks compare` assembles it.
 */
import { describe, expect, it } from 'vitest';
import { preset, resolveTopology } from '../../constructs';
import { ASSUMPTIONS, type Assumption } from '../../constructs/assumptions';
import { htmlReport, markdownReport, reportTables, type ComparisonReport } from '../../load-tests/report';
import { spikeEndMinute, spikeMetrics } from '../../load-tests/simulator/spike-metrics';
import { selectProfile } from '../../load-tests/traffic/select-profile';
import { ratesPerMinute } from '../../load-tests/traffic/traffic-schedule';
import { offlineComparison } from './offline-comparison';

const RANGED: Assumption = {
  name: 'test.provisioning',
  cloud: 'both',
  value: 180,
  unit: 's',
  source: 'https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-prerequisites.html',
  tag: 'U',
  low: 120,
  high: 240,
  favourableEnd: 'lower',
  description: 'test',
};

describe('report.json contract, formatVersion 2', () => {
  const report = offlineComparison(preset('dev'), 'breaking-news', [...ASSUMPTIONS, RANGED]);
  const json = JSON.parse(JSON.stringify(report)) as ComparisonReport;

  it('has the verdict with its fields', () => {
    expect(json.formatVersion).toBe(2);
    expect(Object.keys(json.verdict).sort()).toEqual(['bands', 'cheaperCloud', 'clearWinner', 'costDrivers', 'costRatio', 'dependsOn', 'lowerSpikeRiskCloud', 'summary']);
    expect(json.verdict.cheaperCloud).toMatch(/^(aws|gcp)$/);
    expect(json.verdict.costRatio).toBeGreaterThanOrEqual(1);
    expect(typeof json.verdict.clearWinner).toBe('boolean');
    for (const d of json.verdict.costDrivers) expect(d).toMatchObject({ category: expect.any(String), differenceUsd: expect.any(Number), awsMonthlyUsd: expect.any(Number), gcpMonthlyUsd: expect.any(Number) });
  });

  it('has sensitivity.<cloud>.{low,base,high} whose base is the report\'s own figures and whose cost band is the price range', () => {
    for (const cloud of ['aws', 'gcp'] as const) {
      const s = json.sensitivity[cloud];
      const c = json.clouds[cloud];
      for (const k of ['low', 'base', 'high'] as const) {
        expect(s[k]).toMatchObject({ monthlyCostUsd: expect.any(Number), refusedShare: expect.any(Number), sloViolationMinutes: expect.any(Number) });
      }
      expect(s.base.monthlyCostUsd).toBe(c.monthlyCostUsd);
      expect(s.low.monthlyCostUsd).toBe(c.monthlyCostRangeUsd?.low);
      expect(s.high.monthlyCostUsd).toBe(c.monthlyCostRangeUsd?.high);
      expect(s.base.monthlyCostAtSimulatedLoadUsd).toBe(c.monthlyCostAtSimulatedLoadUsd);
      const e = c.simulation.endpoints.ranker;
      expect(s.base.sloViolationMinutes).toBe(e.sloViolationMinutes);
      expect(s.base.refusedShare).toBeCloseTo(e.droppedRequests / e.arrivals, 12);
    }
  });

  it('has spike.<cloud>.<endpoint> from each endpoint\'s series', () => {
    for (const cloud of ['aws', 'gcp'] as const) {
      const e = json.clouds[cloud].simulation.endpoints.ranker;
      const start = json.profile.spikeStartMinute ?? -1;
      const span = { startMinute: start, endMinute: spikeEndMinute(ratesPerMinute(selectProfile('breaking-news', { hours: 1 })), start) };
      const expected = spikeMetrics(e.series, { p99Ms: e.sloP99Ms, errorRate: resolveTopology(preset('dev')).endpoints[0].slo.errorRate }, span);
      expect(json.spike?.[cloud].ranker).toEqual(JSON.parse(JSON.stringify(expected)));
      expect(Object.keys(json.spike?.[cloud].ranker ?? {})).toEqual(expect.arrayContaining(['refusedShare', 'goodputShare', 'peakP99Ms', 'minutesToRecover', 'replicaMinutes']));
    }
  });

  it('lists the register as assumptions[], verified for [V] only, with ranges where it has them', () => {
    expect(json.assumptions).toHaveLength(ASSUMPTIONS.length + 1);
    expect(json.assumptions.at(-1)).toEqual({ name: RANGED.name, cloud: 'both', value: 180, unit: 's', source: RANGED.source, verified: false, tag: 'U', low: 120, high: 240, favourableEnd: 'lower', description: RANGED.description });
    for (const a of json.assumptions) expect(a.verified).toBe(a.tag === 'V');
  });

  it('leaves spike out for a profile without one', () => {
    const steady = offlineComparison(preset('dev'), 'steady');
    expect(steady.spike).toBeUndefined();
    expect(reportTables(steady).map((t) => t.id)).not.toContain('spike');
  });
});

describe('the report opens with the verdict', () => {
  const report = offlineComparison(preset('dev'));

  it('report.md: the first paragraph under the title is the verdict', () => {
    const lines = markdownReport(report).split('\n');
    expect(lines[0]).toBe('# news/dev: AWS vs GCP');
    expect(lines[1]).toBe('');
    expect(lines[2]).toBe(`**Verdict.** ${report.verdict.summary}`);
    expect(report.verdict.summary).toMatch(/^(AWS|GCP) costs less: \$[\d,]+ a month at minimum replicas against (AWS|GCP)'s \$[\d,]+/);
    expect(report.verdict.summary).toMatch(/No clear winner|Clear winner/);
  });

  it('report.html: the verdict comes straight after the heading, before the provenance and every section', () => {
    const html = htmlReport(report, []);
    const body = html.slice(html.indexOf('<body>'));
    const verdict = body.indexOf('<p id="verdict" class="verdict">');
    expect(verdict).toBeGreaterThan(body.indexOf('</h1>'));
    expect(body.slice(body.indexOf('</h1>') + '</h1>'.length, verdict).trim()).toBe('');
    expect(verdict).toBeLessThan(body.indexOf('<dl class="provenance">'));
    expect(verdict).toBeLessThan(body.indexOf('<section'));
  });

  it('shows the spike and the sensitivity band as tables', () => {
    const tables = reportTables(report);
    const spike = tables.find((t) => t.id === 'spike');
    expect(spike?.header).toEqual(['cloud', 'endpoint', 'scale-out decided', 'new capacity serving', 'refused', 'goodput', 'peak p99 ms', 'recovered after', 'replica-minutes']);
    expect(spike?.rows.map((r) => r.slice(0, 2))).toEqual([['AWS', 'ranker'], ['GCP', 'ranker']]);
    const sensitivity = tables.find((t) => t.id === 'sensitivity');
    expect(sensitivity?.rows.map((r) => r.slice(0, 2))).toEqual([['AWS', 'low'], ['AWS', 'base'], ['AWS', 'high'], ['GCP', 'low'], ['GCP', 'base'], ['GCP', 'high']]);
    expect(tables.find((t) => t.id === 'assumptions')?.rows.length).toBe(ASSUMPTIONS.length);
  });
});
