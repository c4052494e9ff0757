/** `serving-stacks simulate` on a topology with an embedding-refresh pipeline: the pipeline's day in the JSON and the summary; nothing without one. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerSimulate } from '../../bin/commands/simulate';
import { presetInput } from '../../constructs';
import type { SimulationResult } from '../../load-tests/simulator/simulation-result';
import { runInProcess } from '../cli/run-in-process';

const dir = mkdtempSync(join(tmpdir(), 'simulate-pipeline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function topologyFile(withPipeline: boolean): string {
  const input = presetInput('dev');
  delete input.pipelines;
  if (withPipeline) input.pipelines = { embeddingRefresh: { sourceQueue: 'embedding-refresh', embedder: 'embedder' } as never };
  const file = join(dir, `${withPipeline ? 'with' : 'without'}-pipeline.json`);
  writeFileSync(file, JSON.stringify(input));
  return file;
}

async function simulate(...args: string[]) {
  const program = new Command('serving-stacks').exitOverride().configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  registerSimulate(program);
  return runInProcess(program, ['simulate', '--hours', '1', '--endpoint', 'ranker', ...args]);
}

describe('serving-stacks simulate with a pipeline', () => {
  it('prints the pipeline day per cloud in --json, at --documents-per-day', async () => {
    const run = await simulate('--topology', topologyFile(true), '--documents-per-day', '24000', '--json');
    expect(run.exitCode ?? 0).toBe(0);
    const pipeline = (JSON.parse(run.stdout) as SimulationResult).pipeline!;
    expect(pipeline).toMatchObject({ pipeline: 'embeddingRefresh', documentsPerDay: 24_000, documentsPerDaySource: '--documents-per-day', sloSeconds: 60 });
    expect(pipeline.documents).toBeGreaterThan(500);
    expect(pipeline.assumptions.map((a) => a.name)).not.toContain('pipeline.documents-per-day');
    for (const cloud of ['aws', 'gcp'] as const) {
      const c = pipeline.clouds[cloud]!;
      expect(c.costPerMillionDocuments!.usdPerMillionDocuments).toBeGreaterThan(0);
      expect(c.freshnessSeconds.p99).toBeGreaterThan(0);
      expect(c.series.reduce((s, m) => s + m.searchable, 0)).toBe(pipeline.documents);
    }
  });

  it('summarises it beside the endpoints', async () => {
    const run = await simulate('--topology', topologyFile(true));
    expect(run.stdout).toMatch(/Embedding-refresh pipeline: [\d,]+ documents \(pipeline\.documents-per-day 5,000/);
    expect(run.stdout).toMatch(/\$ per million docs/);
  });

  it('has no pipeline without pipelines.embeddingRefresh', async () => {
    const run = await simulate('--topology', topologyFile(false), '--json');
    expect('pipeline' in (JSON.parse(run.stdout) as SimulationResult)).toBe(false);
  });
});
