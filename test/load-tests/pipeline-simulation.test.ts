/** The embedding-refresh pipeline's simulated day on both clouds (load-tests/simulator/pipeline-simulation.ts). */
import { describe, expect, it } from 'vitest';
import { ASSUMPTIONS, assumptionSet, parseTopology, presetInput, resolveTopology, withAssumption, type ResolvedTopology } from '../../constructs';
import { pipelineCostPerMillion } from '../../load-tests/cost/pipeline-cost';
import { AWS_US_EAST_1 } from '../../constructs/catalog/aws-price-lists';
import { simulatePipeline, simulatePipelineCases } from '../../load-tests/simulator/pipeline-simulation';
import { builtinSchedule } from '../../load-tests/traffic/builtin-profiles';

function devWithPipeline(pipeline: Record<string, unknown> = {}, engine?: 'pgvector'): ResolvedTopology {
  const input = presetInput('dev');
  input.pipelines = { embeddingRefresh: { sourceQueue: 'embedding-refresh', embedder: 'embedder', ...pipeline } as never };
  if (engine) input.vectorStore = { ...input.vectorStore!, engine } as never;
  return resolveTopology(parseTopology(input, 'test'));
}

/** Both clouds' base assumptions with the day's volume changed. */
function withDocumentsPerDay(documents: number) {
  const register = withAssumption(ASSUMPTIONS, 'pipeline.documents-per-day', 'both', documents);
  return { aws: assumptionSet('aws', 'base', register), gcp: assumptionSet('gcp', 'base', register) };
}

const breakingNews = builtinSchedule('breaking-news');

describe('simulatePipeline', () => {
  it('is absent for a topology without a pipeline', () => {
    const input = presetInput('dev');
    delete input.pipelines;
    expect(simulatePipeline(resolveTopology(parseTopology(input, 'test')), { profile: breakingNews, seed: 1 })).toBeUndefined();
  });

  it("spreads the register's documents per day over the profile, the same arrivals on both clouds", () => {
    const day = simulatePipeline(devWithPipeline(), { profile: breakingNews, seed: 1 })!;
    const perDay = ASSUMPTIONS.find((a) => a.name === 'pipeline.documents-per-day')!.value;
    expect(day.documentsPerDay).toBe(perDay);
    expect(Math.abs(day.documents - perDay)).toBeLessThan(4 * Math.sqrt(perDay));
    for (const cloud of ['aws', 'gcp'] as const) {
      const c = day.clouds[cloud]!;
      expect(c.series.reduce((sum, m) => sum + m.arrivals, 0)).toBe(day.documents);
      expect(c.series.reduce((sum, m) => sum + m.searchable, 0)).toBe(day.documents);
    }
    // The spike brings more documents than the same minutes of a quiet night.
    const arrivalsIn = (from: number, minutes: number) => day.clouds.aws!.series.slice(from, from + minutes).reduce((s, m) => s + m.arrivals, 0);
    expect(arrivalsIn(breakingNews.spike!.startSeconds / 60 + 5, 30)).toBeGreaterThan(5 * arrivalsIn(3 * 60, 30));
    expect(day.assumptions.map((a) => `${a.name}@${a.cloud}`)).toEqual(
      expect.arrayContaining(['pipeline.searchable-delay-seconds@aws', 'pipeline.searchable-delay-seconds@gcp', 'pipeline.documents-per-day@both']),
    );
  });

  it('runs each cloud as it hosts the worker: Lambda batches, Cloud Functions one message a request', () => {
    const day = simulatePipeline(devWithPipeline({ batchSize: 10, concurrency: 5 }), { profile: breakingNews, seed: 1 })!;
    expect(day.clouds.aws!.workers).toMatchObject({ instances: 5, requestsPerInstance: 1, messagesPerInvocation: 10 });
    expect(day.clouds.gcp!.workers).toMatchObject({ instances: 5, requestsPerInstance: 10, messagesPerInvocation: 1 });
    expect(day.clouds.gcp!.invocations).toBe(day.documents);
    expect(day.clouds.aws!.invocations).toBeLessThanOrEqual(day.documents);
    // Nothing waits long at the base volume: freshness is the handling time, the store's refresh wait included.
    for (const cloud of ['aws', 'gcp'] as const) {
      const c = day.clouds[cloud]!;
      expect(c.freshnessSeconds.p50).toBeGreaterThanOrEqual(c.workers.handlingSeconds.searchable);
      expect(c.sloViolationMinutes).toBe(0);
    }
  });

  it('halving concurrency under the spike raises p99 freshness and the peak backlog on both clouds', () => {
    const options = { profile: breakingNews, seed: 1, assumptions: withDocumentsPerDay(300_000) };
    const four = simulatePipeline(devWithPipeline({ concurrency: 4 }), options)!;
    const two = simulatePipeline(devWithPipeline({ concurrency: 2 }), options)!;
    for (const cloud of ['aws', 'gcp'] as const) {
      expect(two.clouds[cloud]!.freshnessSeconds.p99!).toBeGreaterThan(four.clouds[cloud]!.freshnessSeconds.p99!);
      expect(two.clouds[cloud]!.peakBacklog).toBeGreaterThan(four.clouds[cloud]!.peakBacklog);
    }
    // Two instances of ten one-message requests cannot keep up with the spike: GCP breaks the 60-s SLO for minutes.
    expect(two.clouds.gcp!.sloViolationMinutes).toBeGreaterThan(0);
    expect(four.clouds.gcp!.sloViolationMinutes).toBe(0);
  });

  it('costs the day through pipeline-cost.ts at the batches it observed', () => {
    const day = simulatePipeline(devWithPipeline(), { profile: breakingNews, seed: 1, assumptions: withDocumentsPerDay(300_000) })!;
    const aws = day.clouds.aws!;
    const expected = pipelineCostPerMillion(AWS_US_EAST_1, {
      batchSize: 10,
      memoryMiB: day.settings.memoryMiB,
      batchSeconds: aws.meanInvocationSeconds,
      observed: { documentsPerInvocation: day.documents / aws.invocations },
    })!;
    expect(aws.costPerMillionDocuments!.usdPerMillionDocuments).toBeCloseTo(expected.usdPerMillionDocuments, 2);
    expect(aws.costForRunUsd!.usd).toBeCloseTo((aws.costPerMillionDocuments!.usdPerMillionDocuments * day.documents) / 1e6, 4);
    expect(aws.costForRunUsd!.low).toBeLessThanOrEqual(aws.costForRunUsd!.usd);
    expect(day.clouds.gcp!.costPerMillionDocuments!.basis).toContain('as simulated');
  });

  it('skips the refresh wait on pgvector, where a committed row is searchable at once', () => {
    const managed = simulatePipeline(devWithPipeline(), { profile: breakingNews, seed: 1 })!;
    const pgvector = simulatePipeline(devWithPipeline({}, 'pgvector'), { profile: breakingNews, seed: 1 })!;
    expect(pgvector.clouds.aws!.workers.handlingSeconds.searchable).toBe(0);
    expect(pgvector.clouds.gcp!.freshnessSeconds.p50!).toBeLessThan(managed.clouds.gcp!.freshnessSeconds.p50!);
    expect(pgvector.assumptions.map((a) => a.name)).not.toContain('pipeline.searchable-delay-seconds');
  });

  it('is deterministic for a seed', () => {
    const run = () => simulatePipeline(devWithPipeline(), { profile: breakingNews, seed: 7 });
    expect(run()).toEqual(run());
  });
});

describe('simulatePipelineCases', () => {
  it('moves the unverified assumptions to either end and holds the day’s documents', () => {
    const cases = simulatePipelineCases(devWithPipeline(), { profile: builtinSchedule('diurnal', { hours: 6 }), seed: 1 })!;
    expect(cases.base).toEqual(simulatePipeline(devWithPipeline(), { profile: builtinSchedule('diurnal', { hours: 6 }), seed: 1 }));
    expect(cases.low.documents).toBe(cases.base.documents);
    expect(cases.high.documents).toBe(cases.base.documents);
    for (const cloud of ['aws', 'gcp'] as const) {
      expect(cases.low.clouds[cloud]!.workers.handlingSeconds.total).toBeLessThan(cases.base.clouds[cloud]!.workers.handlingSeconds.total);
      expect(cases.high.clouds[cloud]!.workers.handlingSeconds.searchable).toBe(10);
      expect(cases.high.clouds[cloud]!.costPerMillionDocuments!.usdPerMillionDocuments).toBeGreaterThan(cases.base.clouds[cloud]!.costPerMillionDocuments!.usdPerMillionDocuments);
    }
  });
});
