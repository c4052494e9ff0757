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
    expect(result.formatVersion).toBe(2);
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

  it('carries the low/base/high band per cloud, base being the run itself', () => {
    for (const cloud of ['aws', 'gcp'] as const) {
      const band = result.sensitivity?.[cloud];
      expect(Object.keys(band ?? {})).toEqual(['low', 'base', 'high']);
      const totals = result.clouds[cloud]!.totals;
      expect(band?.base).toEqual({ ...totals, refusedShare: totals.droppedRequests / totals.arrivals });
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
    [['simulate', '--hours', '-3'], '--hours: expected a number > 0 and <= 168 (hours), got "-3"'],
    [['simulate', '--peak-rps', 'lots'], '--peak-rps: expected a number > 0 (requests per second), got "lots"'],
    [['simulate', '--seed', '1.5'], '--seed: expected a whole number from 0 to 4294967295, got "1.5"'],
    [['simulate', '--endpoint', 'scorer'], '--endpoint: no endpoint scorer in news; endpoints are ranker, embedder, reranker'],
    [['simulate', '--capacity', 'no-such.json'], '--capacity no-such.json: cannot read it (ENOENT)'],
    [['cost', '--simulation', 'no-such.json'], '--simulation no-such.json: cannot read it (ENOENT)'],
    [['recommend', '--allowed-violation-minutes', '-1'], '--allowed-violation-minutes: expected a whole number >= 0, got "-1"'],
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
    expect(report.prices.clouds.aws.basis.vectorStore).toMatchObject({ vectors: 100_000, searchOcus: 0.5, indexingOcus: 0.5 });
    expect(report.simulation.cost.capacityFiles).toEqual([]);
    const text = await serve('cost', '--env', 'dev', '--simulation', path);
    expect(text.stdout).toContain('offers/v1.0/aws/AmazonSageMaker/current/us-east-1/index.json');
    expect(text.stdout).toContain('prices: catalog for us-east-1');
    expect(text.stdout).toContain('vector store: 100,000 vectors × 768 dims, HNSW m 16 → graph 0.3 GiB per copy → 0.5 indexing + 0.5 search OCUs');
    expect(text.stdout).toContain('once: vector index build $0.86 (0.29 GiB × $3 per GiB built)');
    expect(text.stdout).toMatch(/\$\/M inferences/);
  });

  const topologyIn = (name: string, aws: string, gcp: string) => {
    const path = join(dir, `${name}.yaml`);
    writeFileSync(
      path,
      [
        `name: ${name}`,
        'environment: dev',
        `regions: { aws: ${aws}, gcp: ${gcp} }`,
        'endpoints:',
        '  - name: ranker',
        `    model: { image: { aws: 123456789012.dkr.ecr.${aws}.amazonaws.com/r:1, gcp: europe-docker.pkg.dev/p/r/r:1 } }`,
      ].join('\n'),
    );
    return path;
  };

  it('cost refuses a simulation of another topology, prices Europe and Tokyo, and marks a region without prices unavailable', async () => {
    const sim = await serve('simulate', '--env', 'dev', '--hours', '0.5', '--json');
    const path = join(dir, 'dev-half.json');
    writeFileSync(path, sim.stdout);
    const wrong = await serve('cost', '--env', 'prod', '--simulation', path);
    expect(wrong.stderr).toContain('simulates news/dev, not news/prod');
    for (const [name, aws, gcp] of [['eu', 'eu-west-1', 'europe-west4'], ['tokyo', 'ap-northeast-1', 'asia-northeast1']]) {
      const run = await serve('cost', '--topology', topologyIn(name, aws, gcp), '--hours', '0.5', '--json');
      expect(run.exitCode, name).toBe(0);
      const report = JSON.parse(run.stdout) as CostReport;
      for (const cloud of ['aws', 'gcp'] as const) {
        expect(report.prices.clouds[cloud]).toMatchObject({ available: true, unpriced: [] });
        expect(report.prices.clouds[cloud].monthlyUsd).toBeGreaterThan(0);
      }
    }
    const sa = await serve('cost', '--topology', topologyIn('sa', 'sa-east-1', 'southamerica-east1'), '--hours', '0.5');
    expect(sa.exitCode).toBe(0);
    expect(sa.stdout).toContain('AWS (sa-east-1): cost unavailable: everything: no prices for sa-east-1 (the price list covers us-east-1, eu-west-1, ap-northeast-1');
    expect(sa.stdout).toContain('GCP (southamerica-east1): cost unavailable');
    expect(sa.stdout).toMatch(/aws\s+[\d,]+\s+n\/a\s+n\/a\s+n\/a/);
  });

  it('cost --prices merges the user\'s rates and prices a region the catalog lacks; a bad file is one clear error', async () => {
    const prices = join(dir, 'prices.json');
    writeFileSync(
      prices,
      JSON.stringify({
        formatVersion: 1,
        source: 'ACME enterprise agreement 2026',
        checkedOn: '2026-11-30',
        aws: { 'sa-east-1': { sagemakerInstances: { 'ml.m5.large': 0.19 } }, 'us-east-1': { sagemakerInstances: { 'ml.g6.xlarge': 0.9 } } },
      }),
    );
    const run = await serve('cost', '--topology', topologyIn('sa', 'sa-east-1', 'southamerica-east1'), '--hours', '0.5', '--prices', prices, '--json');
    expect(run.exitCode).toBe(0);
    const aws = (JSON.parse(run.stdout) as CostReport).prices.clouds.aws;
    expect(aws.lines.map((l) => [l.resource, l.unitPriceUsd, l.price.source])).toEqual([['ml.m5.large', 0.19, 'ACME enterprise agreement 2026']]);
    expect(aws.basis.priceList).toMatchObject({ from: 'price file', priceFile: prices });
    const dev = JSON.parse((await serve('cost', '--env', 'dev', '--hours', '0.5', '--prices', prices, '--json')).stdout) as CostReport;
    expect(dev.prices.clouds.aws.lines.find((l) => l.item === 'embedder/primary')).toMatchObject({ unitPriceUsd: 0.9, price: { tag: 'V' } });

    const bad = join(dir, 'bad-prices.json');
    writeFileSync(bad, JSON.stringify({ formatVersion: 1, source: 'x', checkedOn: '2026-11-30', aws: { 'us-east-1': { kmsKey: 'free' } } }));
    for (const command of ['cost', 'simulate', 'recommend']) {
      const failed = await serve(command, '--env', 'dev', '--hours', '0.5', '--prices', bad);
      expect(failed.exitCode, command).toBe(1);
      expect(failed.stderr).toContain(`--prices ${bad}: 1 problem`);
      expect(failed.stderr).toContain('aws.us-east-1.kmsKey: must be a price: a number (USD per unit) or an object with usd');
      expect(hasStackTrace(failed.stderr)).toBe(false);
    }
  });

  it('recommend answers per endpoint and cloud', async () => {
    const run = await serve('recommend', '--env', 'dev', '--hours', '1', '--endpoint', 'ranker', '--json');
    expect(run.exitCode).toBe(0);
    const r = JSON.parse(run.stdout) as Recommendation;
    for (const cloud of ['aws', 'gcp'] as const) expect(r.clouds[cloud]!.ranker.recommended?.holdsSlo).toBe(true);
  });
});
