/**
 * Scale to zero priced: the same sparse breaking-news day with the reranker at min 0 and kept at one
 * replica, side by side per cloud: cost saved, requests lost at zero, time to first success.
 */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerCost, type CostReport } from '../../bin/commands/cost';
import { runInProcess } from '../cli/run-in-process';
import { assumptionSet, parseTopology, presetInput, resolveTopology } from '../../constructs';
import { alwaysOn, scaleToZeroOutcomes } from '../../load-tests/cost/scale-to-zero-savings';
import { costOfSimulation } from '../../load-tests/cost/simulated-cost';
import { simulateTopology } from '../../load-tests/simulator/simulate';
import { selectProfile } from '../../load-tests/traffic';

const input = presetInput('dev');
input.endpoints[2] = { ...input.endpoints[2], scaling: { ...input.endpoints[2].scaling, min: 0, idleSeconds: 900 }, traffic: { peakRequestsPerSecond: 0.01 } };
const resolved = resolveTopology(parseTopology(input));

describe('scale to zero, priced', () => {
  it('keeps the other endpoints as they are and holds the endpoint at min 0 at one replica', () => {
    const always = alwaysOn(resolved);
    expect(always.endpoints.map((e) => [e.name, e.scaling.min, e.scaling.idleSeconds])).toEqual([
      ['ranker', 1, undefined],
      ['embedder', 1, undefined],
      ['reranker', 1, undefined],
    ]);
  });

  it('saves on each cloud, loses the requests that found it at zero, and serves again after the wake-up time', () => {
    const options = { profile: selectProfile('breaking-news', {}), endpoints: ['reranker'] };
    const withZero = simulateTopology(resolved, options);
    const without = simulateTopology(alwaysOn(resolved), options);
    const rows = scaleToZeroOutcomes(resolved, { with: withZero, without }, { with: costOfSimulation(resolved, withZero), without: costOfSimulation(alwaysOn(resolved), without) });
    expect(rows.map((r) => `${r.cloud}/${r.endpoint}`)).toEqual(['aws/reranker', 'gcp/reranker']);
    for (const r of rows) {
      expect(r.savedUsd, r.cloud).toBeGreaterThan(0);
      expect(r.savedUsd).toBeCloseTo(r.withoutUsd! - r.withUsd!, 9);
      expect(r.requestsLost, r.cloud).toBeGreaterThan(0);
      expect(r.wakes, r.cloud).toBeGreaterThan(0);
      expect(r.longestTimeToFirstSuccessSeconds, r.cloud).toBeCloseTo(assumptionSet(r.cloud).value('scale-to-zero.wake-seconds'), -1);
      expect(r.minutesAtZero, r.cloud).toBeGreaterThan(0);
    }
  });
});

describe('serving-stacks cost on a topology with an endpoint at min 0', () => {
  it('adds the with-and-without comparison per cloud to the table and the JSON', async () => {
    const program = new Command('serving-stacks').exitOverride().configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
    registerCost(program);
    const args = ['cost', '--topology', 'test/fixtures/scale-to-zero.yaml', '--profile', 'breaking-news', '--endpoint', 'reranker'];
    const json = await runInProcess(program, [...args, '--json']);
    const report = JSON.parse(json.stdout) as CostReport;
    expect(report.scaleToZero?.map((r) => `${r.cloud}/${r.endpoint}`)).toEqual(['aws/reranker', 'gcp/reranker']);
    for (const r of report.scaleToZero ?? []) expect(r.savedUsd! > 0 && r.requestsLost > 0, r.cloud).toBe(true);
    const text = await runInProcess(program, args);
    expect(text.stdout).toMatch(/Scale to zero \(breaking-news, 24 h\)[\s\S]*cloud\s+endpoint\s+with \$\s+without \$\s+saved \$\s+requests lost/);
  });
});
