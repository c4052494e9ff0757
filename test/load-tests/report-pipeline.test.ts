/**
 * The comparison report's Embedding refresh pipeline section: for a topology with a pipeline, the
 * cost per million documents on AWS and GCP side by side with its band and each price's source, the
 * simulated day's freshness against the SLO, and the pipeline's parity notes; absent without one.
 */
import { describe, expect, it } from 'vitest';
import { parseTopology, presetInput, resolveTopology, type TopologyInput } from '../../constructs';
import { htmlReport, markdownReport, reportTables } from '../../load-tests/report';
import { simulatePipeline } from '../../load-tests/simulator/pipeline-simulation';
import { selectProfile } from '../../load-tests/traffic/select-profile';
import { offlineComparison } from './offline-comparison';

function devInput(withPipeline: boolean): TopologyInput {
  const input = presetInput('dev');
  delete input.pipelines;
  if (withPipeline) input.pipelines = { embeddingRefresh: { sourceQueue: 'embedding-refresh', embedder: 'embedder', batchSize: 10 } as never };
  return input;
}

describe('the Embedding refresh pipeline section for a topology with a pipeline', () => {
  const topology = parseTopology(devInput(true), 'test');
  const report = offlineComparison(topology);
  const section = report.pipeline!;

  it('carries the simulated day of simulatePipeline on both clouds, without the per-minute series', () => {
    const day = simulatePipeline(resolveTopology(topology), { profile: selectProfile('breaking-news', { hours: 1 }), seed: 1 })!;
    const { series: _series, ...aws } = day.clouds.aws!;
    expect(section.clouds.aws).toEqual({ ...aws, band: expect.anything() });
    expect(section.documents).toBe(day.documents);
    expect(section.sloSeconds).toBe(60);
    expect(section.clouds.aws.costPerMillionDocuments!.usdPerMillionDocuments).toBeGreaterThan(0);
    expect(section.clouds.gcp.costPerMillionDocuments!.usdPerMillionDocuments).toBeGreaterThan(0);
  });

  it('bands the cost and freshness with the unverified assumptions and prices at either end', () => {
    for (const cloud of ['aws', 'gcp'] as const) {
      const c = section.clouds[cloud];
      expect(c.band.low.usdPerMillionDocuments!).toBeLessThan(c.costPerMillionDocuments!.usdPerMillionDocuments);
      expect(c.band.high.usdPerMillionDocuments!).toBeGreaterThan(c.costPerMillionDocuments!.usdPerMillionDocuments);
      // The store's refresh wait moves from 1 s to 10 s at the unfavourable end.
      expect(c.band.high.freshnessP99Seconds!).toBeGreaterThan(c.freshnessSeconds.p99!);
    }
  });

  it('carries the parity note that GCP pushes one message per request', () => {
    expect(section.parity).toEqual([expect.objectContaining({ path: 'pipelines.embeddingRefresh.batchSize', cloud: 'gcp' })]);
  });

  it('renders cost per million documents side by side with the band and every price source, and freshness against the SLO', () => {
    const cost = reportTables(report).find((t) => t.id === 'pipeline-cost')!;
    expect(cost.header).toEqual(['', 'AWS (us-east-1)', 'GCP (us-central1)']);
    const row = (label: string) => cost.rows.find((r) => r[0] === label)!;
    expect(row('cost per million documents').slice(1)).toEqual(
      (['aws', 'gcp'] as const).map((c) => `$${section.clouds[c].costPerMillionDocuments!.usdPerMillionDocuments.toFixed(2)}`),
    );
    expect(row('low – high (prices)')[1]).toMatch(/^\$[\d.]+ – \$[\d.]+$/);
    for (const c of ['aws', 'gcp'] as const) {
      for (const price of section.clouds[c].costPerMillionDocuments!.prices) expect(row('prices')[c === 'aws' ? 1 : 2]).toContain(price.source);
    }
    expect(row('parity')[2]).toContain('one message per push request');
    expect(row('parity')[1]).toBe('as written');

    const fresh = reportTables(report).find((t) => t.id === 'pipeline-freshness')!;
    expect(fresh.title).toContain('60 s from enqueue to searchable');
    expect(fresh.rows.map((r) => r[0])).toEqual(['AWS', 'GCP']);
    expect(fresh.note).toContain('pipeline.searchable-delay-seconds');
    expect(markdownReport(report)).toContain('## Embedding refresh pipeline: cost per million documents');
    expect(htmlReport(report, [])).toContain('<section id="pipeline-freshness">');
  });
});

describe('a topology without a pipeline', () => {
  it('has no pipeline section in report.json, report.md or report.html', () => {
    const report = offlineComparison(parseTopology(devInput(false), 'test'));
    expect('pipeline' in report).toBe(false);
    expect(markdownReport(report)).not.toContain('Embedding refresh pipeline');
    expect(htmlReport(report, [])).not.toContain('id="pipeline-');
  });
});
