/** Multi-stage calls (the RAG path): per-stage histograms and recall, exact across shards and merged runs. */
import { describe, expect, it } from 'vitest';
import { mergeResults } from '../../load-tests/generator/merge-results';
import { formatTextReport } from '../../load-tests/generator/reporters/text-report';
import { fakeResult } from './result-fixture';

const detail = (k: number) => ({
  stagesMs: { embed: 1 + (k % 5), search: 10 + (k % 17), rerank: 3 + (k % 3) },
  recall: { found: k % 4 === 0 ? 9 : 10, expected: 10 },
});
const run = { rate: 200, seconds: 2, latencyMs: (k: number) => 20 + (k % 23), detail };

describe('stage timings and recall', () => {
  it('records each stage beside the end-to-end latency, and recall over successful queries', () => {
    const result = fakeResult({ ...run, outcome: (k) => (k === 7 ? 'throttled' : 'ok') });
    expect(Object.keys(result.stages ?? {})).toEqual(['embed', 'search', 'rerank']);
    expect(result.stages!.search.latencyMs.count).toBe(399);
    expect(result.stages!.search.latencyMs.max).toBeCloseTo(26, 1);
    // 399 successes (k = 7 was throttled): 100 queries with 9 of 10, the rest all 10.
    expect(result.recall).toEqual({ found: 399 * 10 - 100, expected: 3990, queries: 399, atK: Math.round(((3990 - 100) / 3990) * 10_000) / 10_000 });
    const text = formatTextReport(result);
    expect(text).toMatch(/^ {2}search +\d/m);
    expect(text).toContain('Recall@k:  0.9749 (3890 of 3990');
  });

  it('gives the same stages and recall for shards of one run as for one shard, and adds them when runs merge', () => {
    const one = fakeResult(run);
    const three = fakeResult({ ...run, shards: 3 });
    expect(three.stages!.embed.latencyMs).toEqual(one.stages!.embed.latencyMs);
    expect(three.recall).toEqual(one.recall);
    const merged = mergeResults([one, three]);
    expect(merged.stages!.rerank.latencyMs.count).toBe(800);
    expect(merged.stages!.rerank.latencyMs.p50).toBe(one.stages!.rerank.latencyMs.p50);
    expect(merged.recall).toEqual({ ...one.recall!, found: one.recall!.found * 2, expected: one.recall!.expected * 2, queries: 800 });
  });

  it('leaves single-call results without stages or recall', () => {
    const result = fakeResult({ rate: 10, seconds: 1, latencyMs: () => 5 });
    expect(result).not.toHaveProperty('stages');
    expect(result).not.toHaveProperty('recall');
    expect(formatTextReport(result)).not.toContain('Recall');
  });
});
