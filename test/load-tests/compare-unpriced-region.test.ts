/**
 * `serving-stacks compare` in regions the price list does not cover: the report is written with
 * the cost marked unavailable instead of the command stopping (`cost --prices` fills the gap:
 * simulator-commands.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ComparisonReport } from '../../load-tests/report';

const dir = mkdtempSync(join(tmpdir(), 'serving-stacks-unpriced-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const topology = join(dir, 'sa.yaml');
writeFileSync(
  topology,
  [
    'name: sa',
    'environment: dev',
    'regions: { aws: sa-east-1, gcp: southamerica-east1 }',
    'endpoints:',
    '  - name: ranker',
    '    model: { image: { aws: 123456789012.dkr.ecr.sa-east-1.amazonaws.com/r:1, gcp: southamerica-east1-docker.pkg.dev/p/r/r:1 } }',
  ].join('\n'),
);

function compare(...args: string[]) {
  const out = join(dir, `report-${args.length}`);
  const result = spawnSync(process.execPath, ['bin/serving-stacks.js', 'compare', '--topology', topology, '--hours', '1', '--no-live', '--out', out, ...args], {
    encoding: 'utf8',
    timeout: 90_000,
    env: { ...process.env, CI: '1', NO_COLOR: '1' },
  });
  return { ...result, out };
}

describe('serving-stacks compare in a region without prices', () => {
  it('writes the report with the cost marked unavailable', () => {
    const run = compare();
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.status).toBe(0);
    // --no-live: eight steps, numbered without a gap; the retrieval step has no vector store to sweep.
    expect(run.stderr).toContain('[6/8] right-size');
    expect(run.stderr).toMatch(/\[7\/8\] retrieval…\n\s+no vector store in the topology/);
    expect(run.stderr).toContain('[8/8] write report');
    expect(run.stderr).not.toContain('/9]');
    expect(run.stderr).toContain('AWS n/a (no prices for sa-east-1), GCP n/a (no prices for southamerica-east1) a month at minimum replicas');
    expect(run.stdout).toMatch(/monthly cost at minimum replicas\s+n\/a\s+n\/a/);
    const report = JSON.parse(readFileSync(join(run.out, 'report.json'), 'utf8')) as ComparisonReport;
    expect(report.clouds.aws).toMatchObject({ monthlyCostUsd: null, monthlyCostAtSimulatedLoadUsd: null, costLines: [], costBasis: { priceList: { from: 'none' } } });
    expect(report.clouds.gcp.unpriced[0]).toContain('no prices for southamerica-east1');
    expect(readFileSync(join(run.out, 'report.md'), 'utf8')).toContain('## AWS cost (sa-east-1): n/a per hour, n/a per month');
  });

  it('stops before planning on a bad price file', () => {
    const prices = join(dir, 'prices.json');
    writeFileSync(prices, '{ "formatVersion": 1 ');
    const bad = compare('--prices', prices);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(`error: --prices ${prices}: 1 problem`);
    expect(bad.stderr).not.toContain('plan AWS');
  });
});
