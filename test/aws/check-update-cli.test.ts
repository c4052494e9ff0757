/** `serving-stacks check-update` as a user runs it: exit codes, the JSON shape, and bad input. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { TopologyInput } from '../../constructs';
import { hasStackTrace, runServingStacks } from '../cli/run-cli';
import { DAY_TWO_CHANGES } from './day-two-changes';

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

  /** A topology file changed by one of the lifecycle suite's day-two changes, in a temporary folder. */
  function changedFile(source: string, change: string): { file: string; done(): void } {
    const topology = parse(readFileSync(source, 'utf8')) as TopologyInput;
    DAY_TWO_CHANGES.find((c) => c.id === change)!.apply(topology);
    const file = join(mkdtempSync(join(tmpdir(), 'check-update-')), `${change}.yaml`);
    writeFileSync(file, stringify(topology));
    return { file, done: () => rmSync(dirname(file), { recursive: true }) };
  }

  it(
    'exits 1 when a change would be rejected, printing each change with its reason and remedy, and a verdict',
    () => {
      // Production reshards the node-based Redis cache: NumNodeGroups may replace it, under a fixed id.
      const changed = changedFile('test/fixtures/conformance/pgvector-redis.yaml', 'production-flip');
      const r = runServingStacks(['check-update', '--cloud', 'aws', '--from', 'test/fixtures/conformance/pgvector-redis.yaml', '--to', changed.file], TIMEOUT);
      changed.done();
      expect(r.status).toBe(1);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^action\s+logical id\s+type\s+data\s+reason/);
      expect(r.stdout).toMatch(/rejected\s+FeatureCache\w+\s+ElastiCache::ReplicationGroup\s+yes\s+NumNodeGroups may require/);
      expect(r.stdout).toContain('Remedy: ');
      expect(r.stdout).toMatch(/search-dev-serving: \d+ add, \d+ update, \d+ replace, \d+ remove, 1 rejected\. The update does not deploy cleanly/);
    },
    TIMEOUT,
  );

  it(
    'exits 1 when a change replaces a resource holding data: a new vector index for new dimensions starts empty',
    () => {
      const changed = changedFile('test/fixtures/news.yaml', 'vector-dimensions');
      const r = runServingStacks(['check-update', '--cloud', 'aws', '--from', 'test/fixtures/news.yaml', '--to', changed.file, '--json'], TIMEOUT);
      changed.done();
      expect(r.status).toBe(1);
      const report = JSON.parse(r.stdout) as { changes: { type: string; action: string; holdsData: boolean; remedy: string | null }[]; deployable: boolean };
      expect(report.deployable).toBe(false);
      expect(report.changes.filter((c) => c.holdsData && c.action === 'replace')).toEqual([
        expect.objectContaining({ type: 'Custom::VectorIndex', remedy: expect.stringContaining('the replacement starts empty') }),
      ]);
    },
    TIMEOUT,
  );

  it.each([
    [['--cloud', 'gcp', '--from-env', 'dev', '--to-env', 'dev'], '--cloud gcp: not covered yet'],
    [['--from-env', 'dev', '--to-env', 'dev'], '--cloud is required: aws'],
    [['--cloud', 'azure', '--from-env', 'dev', '--to-env', 'dev'], '--cloud: expected one of aws, gcp, got "azure"'],
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
