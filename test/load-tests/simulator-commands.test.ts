/**
 * The simulate, cost and recommend commands, run in-process through commander and the CLI's
 * error policy (the lead wires them into bin/cli.ts; this builds the same program around them).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerCost, type CostReport } from '../../bin/commands/cost';
import { registerRecommend } from '../../bin/commands/recommend';
import { registerSimulate } from '../../bin/commands/simulate';
import { runCli } from '../../bin/run-cli';
import type { Recommendation } from '../../load-tests/recommend/recommend';
import type { SimulationResult } from '../../load-tests/simulator/simulation-result';

interface Run {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function serve(...args: string[]): Promise<Run> {
  const program = new Command('serving-stacks').configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  for (const register of [registerSimulate, registerCost, registerRecommend]) register(program);
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const previous = process.exitCode;
  try {
    process.exitCode = 0;
    await runCli(program, ['node', 'serving-stacks', ...args]);
    return { exitCode: Number(process.exitCode ?? 0), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = previous;
  }
}

const hasStackTrace = (text: string) => /^\s+at .+:\d+:\d+\)?$/m.test(text);

describe('serving-stacks simulate --env prod --profile breaking-news --json', () => {
  let result: SimulationResult;
  beforeAll(async () => {
    const run = await serve('simulate', '--env', 'prod', '--profile', 'breaking-news', '--json');
    expect(run.exitCode).toBe(0);
    result = JSON.parse(run.stdout) as SimulationResult;
  });

  it('follows the documented contract', () => {
    expect(result.profile).toMatchObject({ name: 'breaking-news', hours: 24, spikeStartMinute: 864 });
    for (const cloud of ['aws', 'gcp'] as const) {
      const endpoints = result.clouds[cloud]!.endpoints;
      expect(Object.keys(endpoints)).toEqual(['ranker', 'embedder', 'reranker']);
      for (const e of Object.values(endpoints)) {
        expect(e.series).toHaveLength(1440);
        expect(Object.keys(e.series[0])).toEqual(expect.arrayContaining(['minute', 'arrivals', 'replicas', 'p99Ms', 'dropped']));
        expect(e).toMatchObject({ p99Ms: expect.any(Number), sloViolationMinutes: expect.any(Number), droppedRequests: expect.any(Number), replicaHours: expect.any(Number) });
      }
    }
  });

  it('shows both clouds scaling out during the spike, SageMaker after its datapoints and Vertex within its evaluations', () => {
    const spike = result.profile.spikeStartMinute!;
    for (const cloud of ['aws', 'gcp'] as const) {
      for (const [name, e] of Object.entries(result.clouds[cloud]!.endpoints)) {
        const before = e.series[spike - 1].replicas;
        const during = Math.max(...e.series.slice(spike, spike + 30).map((p) => p.replicas));
        expect(during, `${cloud} ${name}`).toBeGreaterThan(before);
        const out = e.scalingEvents.find((s) => s.kind === 'scale-out' && s.atSeconds >= spike * 60)!;
        expect(out.atSeconds % (cloud === 'gcp' ? 15 : name === 'ranker' ? 60 : 10)).toBe(0);
      }
    }
    const awsRanker = result.clouds.aws!.endpoints.ranker.scalingEvents.find((s) => s.kind === 'scale-out' && s.atSeconds >= spike * 60)!;
    expect(awsRanker.atSeconds - spike * 60).toBeGreaterThanOrEqual(180);
  });
});

describe('serving-stacks simulate, cost and recommend', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'simulate-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints a summary that says the numbers are simulated, with each cloud\'s reaction to the spike', async () => {
    const run = await serve('simulate', '--env', 'dev', '--hours', '2', '--endpoint', 'ranker');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('All numbers are simulated');
    expect(run.stdout).toContain('AWS SageMaker (us-east-1); refused requests are ThrottlingException');
    expect(run.stdout).toContain('GCP Vertex AI (us-central1); refused requests are dropped');
    expect(run.stdout).toMatch(/Reaction to the spike at minute 72/);
  });

  it.each([
    [['simulate', '--profile', 'tsunami'], '--profile: "tsunami" is neither a built-in profile'],
    [['simulate', '--hours', '-3'], '--hours: must be a number > 0, got "-3"'],
    [['simulate', '--peak-rps', 'lots'], '--peak-rps: must be a number > 0, got "lots"'],
    [['simulate', '--seed', '1.5'], '--seed: must be an integer in [0, 4294967295], got 1.5'],
    [['simulate', '--endpoint', 'scorer'], '--endpoint: no endpoint scorer in news; endpoints are ranker, embedder, reranker'],
    [['simulate', '--capacity', 'no-such.json'], '--capacity no-such.json: cannot read it (ENOENT)'],
    [['cost', '--simulation', 'no-such.json'], '--simulation no-such.json: cannot read it (ENOENT)'],
    [['recommend', '--allowed-violation-minutes', '-1'], '--allowed-violation-minutes: must be an integer >= 0, got "-1"'],
  ])('%j exits 1 with "%s" and no stack trace', async (args, message) => {
    const run = await serve(...args);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(message);
    expect(hasStackTrace(run.stderr)).toBe(false);
  });

  it('cost prices both clouds and the cost per million inferences of a saved simulation', async () => {
    const sim = await serve('simulate', '--env', 'dev', '--hours', '1', '--json');
    const path = join(dir, 'dev.json');
    writeFileSync(path, sim.stdout);
    const run = await serve('cost', '--env', 'dev', '--simulation', path, '--json');
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(run.stdout) as CostReport;
    expect(report.prices.clouds.aws.lines.map((l) => l.category)).toEqual(expect.arrayContaining(['endpoints', 'cache', 'vector-store', 'queues', 'network', 'keys', 'monitoring']));
    expect(report.simulation.profile.hours).toBe(1);
    for (const cloud of ['aws', 'gcp'] as const) expect(report.simulation.cost.clouds[cloud]!.costPerMillionInferencesUsd).toBeGreaterThan(0);
    const text = await serve('cost', '--env', 'dev', '--simulation', path);
    expect(text.stdout).toContain('fmbench/configs/pricing.yml@f92381d (2026-11-25)');
    expect(text.stdout).toMatch(/\$\/M inferences/);
  });

  it('cost refuses a simulation of another topology and a region the catalog does not cover', async () => {
    const sim = await serve('simulate', '--env', 'dev', '--hours', '0.5', '--json');
    const path = join(dir, 'dev-half.json');
    writeFileSync(path, sim.stdout);
    const wrong = await serve('cost', '--env', 'prod', '--simulation', path);
    expect(wrong.stderr).toContain('simulates news/dev, not news/prod');
    const topology = join(dir, 'eu.yaml');
    writeFileSync(
      topology,
      [
        'name: eu',
        'environment: dev',
        'regions: { aws: eu-west-1, gcp: europe-west4 }',
        'endpoints:',
        '  - name: ranker',
        '    model: { image: { aws: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/r:1, gcp: europe-docker.pkg.dev/p/r/r:1 } }',
      ].join('\n'),
    );
    const eu = await serve('cost', '--topology', topology, '--hours', '0.5');
    expect(eu.exitCode).toBe(1);
    expect(eu.stderr).toContain('regions.aws: no prices for eu-west-1; the catalog covers us-east-1');
    expect(eu.stderr).toContain('regions.gcp: no prices for europe-west4; the catalog covers us-central1');
  });

  it('recommend answers per endpoint and cloud', async () => {
    const run = await serve('recommend', '--env', 'dev', '--hours', '1', '--endpoint', 'ranker', '--json');
    expect(run.exitCode).toBe(0);
    const r = JSON.parse(run.stdout) as Recommendation;
    for (const cloud of ['aws', 'gcp'] as const) expect(r.clouds[cloud]!.ranker.recommended?.holdsSlo).toBe(true);
  });
});
