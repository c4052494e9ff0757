import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadTopologyFile, presetInput } from '../../constructs';
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
});
