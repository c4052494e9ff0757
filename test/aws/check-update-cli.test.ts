/** `serving-stacks check-update` as a user runs it: exit codes, the JSON shape, and bad input. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { hasStackTrace, runServingStacks } from '../cli/run-cli';

const TIMEOUT = 120_000;

describe('serving-stacks check-update', () => {
  it(
    'exits 0 when right-sizing deploys: the endpoint updates in place behind its scaling release',
    () => {
      const topology = parse(readFileSync('test/fixtures/news.yaml', 'utf8')) as { endpoints: { compute: Record<string, unknown> }[] };
      topology.endpoints[0].compute = { cpus: 8, memoryGiB: 32 };
      const resized = join(mkdtempSync(join(tmpdir(), 'check-update-')), 'news-resized.yaml');
      writeFileSync(resized, stringify(topology));
      const r = runServingStacks(['check-update', '--cloud', 'aws', '--from', 'test/fixtures/news.yaml', '--to', resized, '--json'], TIMEOUT);
      rmSync(dirname(resized), { recursive: true });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const report = JSON.parse(r.stdout) as { changes: { logicalId: string; type: string; action: string }[]; deployable: boolean };
      expect(report.deployable).toBe(true);
      for (const change of report.changes) {
        expect(Object.keys(change)).toEqual(['logicalId', 'type', 'action', 'holdsData', 'reason', 'remedy']);
        expect(['add', 'update', 'replace', 'remove', 'rejected']).toContain(change.action);
      }
      expect(report.changes.filter((c) => c.logicalId.startsWith('RankerEndpoint')).map((c) => `${c.action} ${c.type}`)).toEqual(
        expect.arrayContaining(['update AWS::SageMaker::Endpoint', 'update Custom::SageMakerScalingRelease', 'add AWS::ApplicationAutoScaling::ScalableTarget']),
      );
    },
    TIMEOUT,
  );

  it(
    'exits 1 when a change would be rejected, printing each change with its reason and remedy, and a verdict',
    () => {
      const r = runServingStacks(['check-update', '--cloud', 'aws', '--from-env', 'dev', '--to', 'test/fixtures/news.yaml'], TIMEOUT);
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/rejected\s+VectorStore\w+\s+OpenSearchServerless::Collection\s+yes\s+Tags requires replacing it/);
      expect(r.stdout).toContain('Remedy: name it after what cannot change in place');
      expect(r.stdout).toMatch(/^action\s+logical id\s+type\s+data\s+reason/);
      expect(r.stdout).toContain('rejected  VectorStore');
      expect(r.stdout).toMatch(/news-dev-serving: \d+ add, \d+ update, \d+ replace, \d+ remove, 1 rejected\. The update does not deploy cleanly/);
    },
    TIMEOUT,
  );

  it.each([
    [['--cloud', 'gcp', '--from-env', 'dev', '--to-env', 'dev'], '--cloud gcp: not covered yet'],
    [['--from-env', 'dev', '--to-env', 'dev'], '--cloud is required: aws'],
    [['--cloud', 'azure', '--from-env', 'dev', '--to-env', 'dev'], '--cloud: "azure" is not a cloud'],
    [['--cloud', 'aws', '--to-env', 'dev'], '--from <file> or --from-env <name> is required'],
    [['--cloud', 'aws', '--from-env', 'dev', '--from', 'test/fixtures/news.yaml', '--to-env', 'dev'], '--from and --from-env: give one of them, not both'],
    [['--cloud', 'aws', '--from-env', 'qa', '--to-env', 'dev'], '--from-env: no preset "qa"'],
    [['--cloud', 'aws', '--from-env', 'dev', '--to', 'test/fixtures/invalid.yaml'], 'endpoints[1].scaling.min: must be <= max (3), got 5'],
    [['--cloud', 'aws', '--from-env', 'dev', '--to-env', 'prod'], 'not one stack: the topologies synthesize news-dev-serving and news-prod-serving'],
    [['--cloud', 'aws', '--from-env', 'dev', '--to-env', 'dev', '--bogus'], "unknown option '--bogus'"],
  ])('exits 2 on bad input %j, with one clear message and no stack trace', (args, message) => {
    const r = runServingStacks(['check-update', ...args], TIMEOUT);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(r.stdout).toBe('');
  }, TIMEOUT);
});
