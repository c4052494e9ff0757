/**
 * The comparison report's Scale to zero section: for a topology with an endpoint at min 0, the
 * diurnal and breaking-news days with and without scale to zero, each cloud side by side, the same
 * figures `serving-stacks cost --json` prints for that topology and day; absent for the presets.
 */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerCost, type CostReport } from '../../bin/commands/cost';
import { loadTopologyFile, preset, PRESET_ENVIRONMENTS, resolveTopology } from '../../constructs';
import { ASSUMPTIONS, assumptionRecord } from '../../constructs/assumptions';
import { htmlReport, markdownReport, reportTables, runScaleToZeroDays, SCALE_TO_ZERO_PROFILES } from '../../load-tests/report';
import { selectProfile } from '../../load-tests/traffic/select-profile';
import { runInProcess } from '../cli/run-in-process';
import { offlineComparison } from './offline-comparison';

const FIXTURE = 'test/fixtures/scale-to-zero.yaml';

async function costJson(profile: string): Promise<CostReport> {
  const program = new Command('serving-stacks').exitOverride().configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  registerCost(program);
  const run = await runInProcess(program, ['cost', '--topology', FIXTURE, '--profile', profile, '--endpoint', 'reranker', '--seed', '1', '--json']);
  return JSON.parse(run.stdout) as CostReport;
}

describe('the Scale to zero section for a topology with an endpoint at min 0', () => {
  const report = offlineComparison(loadTopologyFile(FIXTURE), 'breaking-news', undefined, { endpoints: ['reranker'] });
  const section = report.scaleToZero;

  it('prices the diurnal and breaking-news days exactly as `serving-stacks cost` does, per endpoint and cloud', async () => {
    expect(section?.days.map((d) => d.profile.name)).toEqual([...SCALE_TO_ZERO_PROFILES]);
    for (const day of section?.days ?? []) {
      const cost = await costJson(day.profile.name);
      expect(day.profile).toEqual({ name: cost.simulation.profile.name, hours: cost.simulation.profile.hours, seed: cost.simulation.seed });
      const rows = cost.scaleToZero ?? [];
      expect(rows.map((r) => `${r.cloud}/${r.endpoint}`)).toEqual(['aws/reranker', 'gcp/reranker']);
      expect(Object.keys(day.endpoints)).toEqual(['reranker']);
      for (const { cloud, endpoint, ...figures } of rows) {
        expect(day.endpoints[endpoint][cloud], `${day.profile.name} ${cloud}`).toEqual(figures);
        // A day that wakes the endpoint: something saved, something lost, a wait to first success.
        expect(figures.savedUsd! > 0 && figures.requestsLost > 0 && figures.wakes > 0, `${day.profile.name} ${cloud}`).toBe(true);
      }
    }
  });

  it('names the wake-up assumption with its source and range', () => {
    const wake = ASSUMPTIONS.find((a) => a.name === 'scale-to-zero.wake-seconds')!;
    expect(section?.wakeAssumption).toEqual(assumptionRecord(wake));
    expect(section?.wakeAssumption.low).toBeLessThan(section!.wakeAssumption.high!);
  });

  it('renders one row per measure with AWS and GCP side by side in report.md and report.html', () => {
    const table = reportTables(report).find((t) => t.id === 'scale-to-zero');
    expect(table?.header).toEqual(['day', 'endpoint', '', 'AWS', 'GCP']);
    expect(table?.note).toContain('scale-to-zero.wake-seconds');
    expect(table?.note).toContain(section!.wakeAssumption.source);
    const day = section!.days[1];
    const lost = table?.rows.find((r) => r[0] === `${day.profile.name}, ${day.profile.hours} h` && r[2] === 'requests lost to cold starts');
    expect(lost?.slice(3)).toEqual([`${day.endpoints.reranker.aws.requestsLost}`, `${day.endpoints.reranker.gcp.requestsLost}`]);
    expect(markdownReport(report)).toMatch(/## Scale to zero: cost saved against requests lost to cold starts, per cloud[\s\S]*\| day \| endpoint \|  \| AWS \| GCP \|/);
    expect(htmlReport(report, [])).toContain('<section id="scale-to-zero">');
  });
});

describe('the presets, with no endpoint at min 0', () => {
  it.each(PRESET_ENVIRONMENTS)('%s: no scale-to-zero day is simulated', (env) => {
    expect(runScaleToZeroDays(resolveTopology(preset(env)), { profile: selectProfile('diurnal', { hours: 1 }) }, {})).toBeUndefined();
  });

  it('leaves the section out of report.json, report.md and report.html', () => {
    const report = offlineComparison(preset('dev'));
    expect('scaleToZero' in report).toBe(false);
    expect(markdownReport(report)).not.toContain('Scale to zero');
    expect(htmlReport(report, [])).not.toContain('id="scale-to-zero"');
  });
});
