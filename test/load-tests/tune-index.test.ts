/**
 * Index tuning on the news corpus: the sweep over a small generated corpus, the same corpus read
 * back from the files `serving-stacks corpus` writes, and the recommendation rule (smallest
 * setting meeting the recall and the p99 target) with an injected measurement, so no assertion
 * depends on how fast this machine is.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTopology, presetInput, resolveTopology, TopologyError, type ResolvedVectorStore } from '../../constructs';
import { generateCorpus, readTuningCorpus, tuningCorpusOf, writeCorpus } from '../../load-tests/corpus';
import {
  engineCurve,
  measureSearch,
  recommendSetting,
  tuneVectorStore,
  type SearchMeasurer,
  type SearchMeasurement,
  type TuningPoint,
} from '../../load-tests/vector-store';

function smallStore(vectorStore: object = {}): ResolvedVectorStore {
  const input = presetInput('dev');
  const store = resolveTopology(parseTopology({ ...input, vectorStore: { ...input.vectorStore, dimensions: 32, ...vectorStore } })).vectorStore;
  if (!store) throw new Error('the dev preset has a vector store');
  return store;
}

const OPTIONS = { documents: 800, queries: 30, k: 10, seed: 3, dimensions: 32, metric: 'cosine' } as const;
const news = generateCorpus(OPTIONS);

function point(value: number, recall: number, p99: number): TuningPoint {
  const measurement: SearchMeasurement = { recall, queriesPerSecond: 1000, latencyMs: { p50: p99 / 2, p90: p99, p99, max: p99 } };
  return { value, measurement };
}

describe('tuneVectorStore on the news corpus', () => {
  const store = smallStore();
  const tunings = tuneVectorStore(store, tuningCorpusOf(news), { targetRecall: 0.9, k: 10 });

  it('sweeps each engine of a managed store and recommends the smallest setting reaching the recall', () => {
    expect(tunings.map((t) => [t.engine, t.knob])).toEqual([
      ['opensearch', 'efSearch'],
      ['vertex', 'leafNodesToSearchPercent'],
    ]);
    for (const t of tunings) {
      expect(t.points.map((p) => p.value)).toContain(t.current);
      for (const p of t.points) expect(p.measurement.recall).toBeGreaterThanOrEqual(0);
      // Searching every leaf, or a candidate list of 512 over 800 documents, finds nearly all of the exact top 10.
      expect(t.points[t.points.length - 1].measurement.recall).toBeGreaterThanOrEqual(0.9);
      const chosen = t.recommended;
      expect(chosen, t.engine).toBeDefined();
      expect(chosen?.measurement.recall).toBeGreaterThanOrEqual(0.9);
      for (const p of t.points.filter((q) => q.value < (chosen?.value ?? 0))) expect(p.measurement.recall).toBeLessThan(0.9);
    }
  });

  it('measures percents of tree-AH leaves that open the same leaves once', () => {
    const vertex = tunings.find((t) => t.engine === 'vertex');
    const leaves = vertex?.leaves ?? 0;
    expect(leaves).toBeGreaterThan(0);
    const byLeaves = new Map<number, SearchMeasurement>();
    for (const p of vertex?.points ?? []) {
      const opened = Math.max(1, Math.ceil((p.value / 100) * leaves));
      if (byLeaves.has(opened)) expect(p.measurement).toBe(byLeaves.get(opened));
      byLeaves.set(opened, p.measurement);
    }
  });

  it('sweeps only efSearch for a pgvector store', () => {
    const pg = tuneVectorStore(smallStore({ engine: 'pgvector' }), tuningCorpusOf(news), { targetRecall: 0.9, k: 10 });
    expect(pg.map((t) => t.engine)).toEqual(['pgvector']);
  });

  it('fails when the corpus does not fit the store or k exceeds its ground truth', () => {
    const corpus = tuningCorpusOf(news);
    expect(() => tuneVectorStore(smallStore({ dimensions: 16 }), corpus, { targetRecall: 0.9, k: 10 })).toThrow(
      /corpus has 32-dimension vectors; vectorStore.dimensions is 16/,
    );
    expect(() => tuneVectorStore(smallStore({ metric: 'euclidean' }), corpus, { targetRecall: 0.9, k: 10 })).toThrow(/ranked by cosine; vectorStore.metric is euclidean/);
    expect(() => tuneVectorStore(store, corpus, { targetRecall: 0.9, k: 11 })).toThrow(/k 11: query 1 has 10 ground-truth neighbours/);
    expect(() => tuneVectorStore(store, corpus, { targetRecall: 0.9, k: 10, p99TargetMs: 0 })).toThrow(/p99 target must be a positive number of milliseconds, got 0/);
  });
});

describe('the recommendation: the smallest setting meeting the recall and the p99 target', () => {
  const points = [point(10, 0.8, 1), point(20, 0.96, 9), point(30, 0.97, 3), point(40, 0.99, 4)];

  it('takes the smallest value reaching the recall when no p99 target is set', () => {
    expect(recommendSetting(points, { targetRecall: 0.95 })?.value).toBe(20);
  });

  it('skips a setting whose p99 exceeds the target, even a smaller one', () => {
    expect(recommendSetting(points, { targetRecall: 0.95, p99TargetMs: 5 })?.value).toBe(30);
    expect(recommendSetting(points, { targetRecall: 0.95, p99TargetMs: 3 })?.value).toBe(30);
    expect(recommendSetting(points, { targetRecall: 0.98, p99TargetMs: 3.5 })).toBeUndefined();
  });

  it('applies the p99 target to the measured sweep (injected latency: p99 in ms equals the setting)', () => {
    const store = smallStore();
    const corpus = tuningCorpusOf(news);
    const measure: SearchMeasurer = (index, queries, truth, k, settings = {}) => {
      const real = measureSearch(index, queries, truth, k, settings);
      const p99 = settings.efSearch ?? (settings.leafFraction ?? 1) * 100;
      return { ...real, latencyMs: { p50: p99 / 2, p90: p99, p99, max: p99 } };
    };
    const recallOnly = tuneVectorStore(store, corpus, { targetRecall: 0.9, k: 10, measure });
    const ef = recallOnly[0].recommended?.value ?? Number.NaN;
    expect(ef).toBeGreaterThan(10);

    const met = tuneVectorStore(store, corpus, { targetRecall: 0.9, k: 10, measure, p99TargetMs: ef });
    expect(met[0].recommended?.value).toBe(ef);

    const tight = tuneVectorStore(store, corpus, { targetRecall: 0.9, k: 10, measure, p99TargetMs: ef - 1 });
    expect(tight[0].recommended).toBeUndefined();
    const curve = engineCurve(tight[0], { targetRecall: 0.9, p99TargetMs: ef - 1, k: 10 });
    expect(curve.recommended).toBeNull();
    expect(curve.unmet).toBe(
      `every efSearch reaching recall@10 0.9 exceeds the p99 target ${ef - 1} ms on the local index; the fastest is efSearch ${ef} at p99 ${ef.toFixed(2)} ms`,
    );
  });

  it('says when no setting reaches the recall', () => {
    const tuning = { engine: 'opensearch', kind: 'hnsw', knob: 'efSearch', current: 20, points } as const;
    expect(engineCurve(tuning, { targetRecall: 1, k: 10 }).unmet).toBe('no efSearch in the sweep reaches recall@10 1; the best is 0.990');
  });
});

describe('the corpus files as tune-index reads them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tune-corpus-'));
  writeCorpus(news, dir, { name: 'news', environment: 'dev' });

  it('gives the vectors and ground truth of the corpus generated in memory', () => {
    const read = readTuningCorpus(dir, (m) => new Error(m));
    const generated = tuningCorpusOf(news);
    expect(read.documents.map((d) => d.id)).toEqual(generated.documents.map((d) => d.id));
    expect(read.documents.map((d) => Array.from(d.vector))).toEqual(generated.documents.map((d) => Array.from(d.vector)));
    expect(read.queries.map((q) => Array.from(q))).toEqual(generated.queries.map((q) => Array.from(q)));
    expect(read.groundTruth).toEqual(generated.groundTruth);
    expect([read.dimensions, read.metric]).toEqual([32, 'cosine']);
  });

  it('fails naming the file and line of a malformed vector, and a missing manifest', () => {
    const bad = mkdtempSync(join(tmpdir(), 'tune-corpus-bad-'));
    writeCorpus(news, bad, { name: 'news', environment: 'dev' });
    writeFileSync(join(bad, 'documents.jsonl'), `${JSON.stringify({ id: 'doc-0000001', embedding: [1, 2] })}\n`);
    expect(() => readTuningCorpus(bad, (m) => new Error(m))).toThrow(
      `--corpus ${bad}: documents.jsonl line 1: "embedding" must be 32 finite numbers (corpus.json dimensions), got 2 values`,
    );
    const empty = mkdtempSync(join(tmpdir(), 'tune-corpus-empty-'));
    expect(() => readTuningCorpus(empty, (m) => new Error(m))).toThrow(/cannot read corpus.json \(ENOENT\); write the corpus with `serving-stacks corpus --out/);
  });
});

describe('vectorStore.slo.p99Ms', () => {
  it('is optional and carried into the resolved topology when set', () => {
    expect(smallStore().slo).toBeUndefined();
    expect(smallStore({ slo: { p99Ms: 25 } }).slo).toEqual({ p99Ms: 25 });
  });

  it('fails when it is not a positive number of milliseconds', () => {
    const input = presetInput('dev');
    expect(() => parseTopology({ ...input, vectorStore: { ...input.vectorStore, slo: { p99Ms: -5 } } })).toThrow(TopologyError);
    expect(() => parseTopology({ ...input, vectorStore: { ...input.vectorStore, slo: { p99Ms: -5 } } })).toThrow(/vectorStore\.slo\.p99Ms/);
  });
});
