import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadTopologyFile, presetInput } from '../../constructs';
import { generateCorpus, writeCorpus } from '../../load-tests/corpus';
import { servingStacksProgram } from '../../bin/program';
import { runInProcess } from './run-in-process';

/** The dev preset with small vectors, so a sweep over 1,500 of them takes a moment. */
function smallTopologyFile(extension: 'yaml' | 'json', store: object = {}): string {
  const input = presetInput('dev');
  const topology = { ...input, vectorStore: { ...input.vectorStore, dimensions: 32, ...store } };
  const file = join(mkdtempSync(join(tmpdir(), 'tune-index-')), `topology.${extension}`);
  writeFileSync(file, extension === 'json' ? JSON.stringify(topology, null, 2) : `# tuned by hand before\n${stringify(topology)}`);
  return file;
}

const SMALL = ['--documents', '1500', '--queries', '40', '--recall', '0.9'];

describe('serving-stacks tune-index', () => {
  it('prints the curve per engine of a managed store and recommends a setting for each', async () => {
    const run = await runInProcess(servingStacksProgram(), ['tune-index', '--topology', smallTopologyFile('yaml'), ...SMALL]);
    expect(run.exitCode).toBeUndefined();
    expect(run.stdout).toMatch(/Local indexes, not the clouds' engines/);
    expect(run.stdout).toContain('1500 generated news documents (seed 1, as `serving-stacks corpus` writes them), 32-d (cosine), 40 queries, target recall@10 0.9 (no vectorStore.slo.p99Ms: recall alone decides)');
    expect(run.stdout).toMatch(/opensearch: hnsw \(USearch; not the cloud engine\), sweeping efSearch/);
    expect(run.stdout).toMatch(/vertex: tree-ah stand-in .*not ScaNN.*, sweeping leafNodesToSearchPercent \(2 leaves: a percent searches whole leaves, rounded up\)/);
    expect(run.stdout).toMatch(/512 \(topology\)/);
    expect(run.stdout).toMatch(/recommended efSearch \d+: recall@10 (0\.9\d\d|1\.000) >= 0\.9/);
    expect(run.stdout).toMatch(/recommended leafNodesToSearchPercent \d+: recall@10 (0\.9\d\d|1\.000) >= 0\.9/);
    expect(run.stderr).toMatch(/tune-index: opensearch: building hnsw/);
  });

  it('writes the recommended settings into a YAML file, keeping its comments, and into a JSON file', async () => {
    for (const extension of ['yaml', 'json'] as const) {
      const file = smallTopologyFile(extension);
      const run = await runInProcess(servingStacksProgram(), ['tune-index', '--topology', file, ...SMALL, '--write']);
      const ef = Number(/recommended efSearch (\d+)/.exec(run.stdout)?.[1]);
      const leaves = Number(/recommended leafNodesToSearchPercent (\d+)/.exec(run.stdout)?.[1]);
      expect(run.stdout).toContain(`wrote vectorStore.index.efSearch: ${ef}, vectorStore.index.leafNodesToSearchPercent: ${leaves} to ${file}`);
      const index = loadTopologyFile(file).vectorStore?.index;
      expect([index?.efSearch, index?.leafNodesToSearchPercent]).toEqual([ef, leaves]);
      expect(index?.efConstruction).toBe(512);
      if (extension === 'yaml') expect(readFileSync(file, 'utf8')).toMatch(/^# tuned by hand before/);
    }
  });

  it('sweeps only efSearch for a pgvector store', async () => {
    const run = await runInProcess(servingStacksProgram(), ['tune-index', '--topology', smallTopologyFile('yaml', { engine: 'pgvector' }), ...SMALL]);
    expect(run.stdout).toMatch(/pgvector: hnsw/);
    expect(run.stdout).not.toMatch(/vertex:/);
  });

  it('exits 99 when no setting in the sweep reaches the recall', async () => {
    // Two dimensions and one approximate candidate per result: the int8 score alone picks the top 10,
    // and on a crowded circle its rounding swaps near neighbours at any share of leaves.
    const store = { dimensions: 2, index: { approximateNeighborsCount: 1 } };
    const run = await runInProcess(servingStacksProgram(), ['tune-index', '--topology', smallTopologyFile('yaml', store), ...SMALL, '--recall', '1']);
    expect(run.stdout).toMatch(/no leafNodesToSearchPercent in the sweep reaches recall@10 1; the best is 0\.\d+/);
    expect(run.exitCode).toBe(99);
  });

  it('fails when --write has no topology file to write to, or --recall is not a fraction', async () => {
    const write = await runInProcess(servingStacksProgram(), ['tune-index', '--env', 'dev', '--write']);
    expect(write.exitCode).toBe(1);
    expect(write.stderr).toMatch(/--write: needs --topology <file>; a preset \(--env\) is built in/);
    const recall = await runInProcess(servingStacksProgram(), ['tune-index', '--recall', '1.5']);
    expect(recall.exitCode).toBe(1);
    expect(recall.stderr).toMatch(/--recall: expected a number > 0 and <= 1, got "1.5"/);
  });

  /** A corpus as `serving-stacks corpus --out` writes it. */
  function corpusDir(dimensions: number): string {
    const dir = mkdtempSync(join(tmpdir(), 'tune-index-corpus-'));
    writeCorpus(generateCorpus({ documents: 600, queries: 30, k: 10, seed: 2, dimensions, metric: 'cosine' }), dir, { name: 'news', environment: 'dev' });
    return dir;
  }

  it('sweeps a corpus directory with --corpus and prints JSON with --json, the p99 target from vectorStore.slo', async () => {
    const dir = corpusDir(32);
    const run = await runInProcess(servingStacksProgram(), ['tune-index', '--topology', smallTopologyFile('yaml', { slo: { p99Ms: 60_000 } }), '--corpus', dir, '--recall', '0.9', '--json']);
    expect(run.exitCode).toBeUndefined();
    const out = JSON.parse(run.stdout) as {
      note: string;
      corpus: { source: string; documents: number; queries: number; seed?: number };
      target: { recall: number; k: number; p99Ms: number | null };
      engines: { engine: string; knob: string; points: { value: number; recall: number; p99Ms: number }[]; recommended: number | null }[];
    };
    expect(out.note).toMatch(/Local indexes, not the clouds' engines/);
    expect(out.corpus).toEqual({ source: dir, documents: 600, queries: 30, dimensions: 32, metric: 'cosine' });
    expect(out.target).toEqual({ recall: 0.9, k: 10, p99Ms: 60_000 });
    expect(out.engines.map((e) => e.engine)).toEqual(['opensearch', 'vertex']);
    for (const e of out.engines) {
      const chosen = e.points.find((p) => p.value === e.recommended);
      expect(chosen?.recall).toBeGreaterThanOrEqual(0.9);
      for (const p of e.points.filter((q) => q.value < (e.recommended ?? 0))) expect(p.recall).toBeLessThan(0.9);
    }
  });

  it('says the p99 target in the text output when the topology sets one', async () => {
    const run = await runInProcess(servingStacksProgram(), ['tune-index', '--topology', smallTopologyFile('yaml', { slo: { p99Ms: 60_000 } }), '--corpus', corpusDir(32), '--recall', '0.9']);
    expect(run.stdout).toContain('the corpus in');
    expect(run.stdout).toContain('and p99 <= 60000 ms (vectorStore.slo.p99Ms, measured on the local index)');
  });

  it('fails when the corpus does not fit the topology, or --corpus comes with --documents', async () => {
    const dir = corpusDir(16);
    const mismatch = await runInProcess(servingStacksProgram(), ['tune-index', '--topology', smallTopologyFile('yaml'), '--corpus', dir]);
    expect(mismatch.exitCode).toBe(1);
    expect(mismatch.stderr).toContain(`--corpus ${dir}: its vectors have 16 dimensions, vectorStore.dimensions is 32`);
    const both = await runInProcess(servingStacksProgram(), ['tune-index', '--topology', smallTopologyFile('yaml'), '--corpus', dir, '--documents', '500']);
    expect(both.exitCode).toBe(1);
    expect(both.stderr).toMatch(/option '--documents <n>' cannot be used with option '--corpus <dir>'/);
    const missing = await runInProcess(servingStacksProgram(), ['tune-index', '--topology', smallTopologyFile('yaml'), '--corpus', join(dir, 'nowhere')]);
    expect(missing.stderr).toMatch(/cannot read corpus.json \(ENOENT\)/);
  });
});
