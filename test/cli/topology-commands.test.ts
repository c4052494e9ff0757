import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIELD_TABLE_END, FIELD_TABLE_START, topologyFieldTable } from '../../constructs';
import { hasStackTrace, runServingStacks } from './run-cli';

describe('serving-stacks validate', () => {
  it('accepts a valid file', () => {
    const r = runServingStacks(['validate', 'test/fixtures/news.yaml']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('test/fixtures/news.yaml: valid. news/dev: 2 endpoints (3 variants), 1 queue, feature cache');
  });

  it('exits 1 naming both paths when scaling.min > scaling.max and the accelerator is unknown', () => {
    const r = runServingStacks(['validate', 'test/fixtures/invalid.yaml']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('endpoints[1].scaling.min: must be <= max (3), got 5');
    expect(r.stderr).toContain('endpoints[1].compute.accelerator.type: must be one of');
    expect(r.stderr).toContain('got "v100"');
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('exits 1 without a stack trace when the file is missing', () => {
    const r = runServingStacks(['validate', 'no-such-file.yaml']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('cannot read the topology file: no such file');
    expect(hasStackTrace(r.stderr)).toBe(false);
  });
});

describe('serving-stacks parity', () => {
  it('prints the matrix and the gaps of the chosen preset', () => {
    const r = runServingStacks(['parity', '--env', 'prod']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Parity matrix');
    expect(r.stdout).toContain('endpoints[].rollout');
    expect(r.stdout).toMatch(/Gaps in news\/prod \(\d+\)/);
    expect(r.stdout).toContain('alarm-driven rollback (https://cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.endpoints/deployModel)');
  });

  it('prints the gaps of a topology file as JSON', () => {
    const r = runServingStacks(['parity', '--topology', 'test/fixtures/gcp-gaps.yaml', '--json']);
    const { matrix, notes } = JSON.parse(r.stdout) as { matrix: unknown[]; notes: { path: string; endpoint?: string }[] };
    expect(matrix.length).toBeGreaterThan(10);
    expect(notes).toContainEqual(expect.objectContaining({ path: 'endpoints[0].mode', endpoint: 'batch-scorer' }));
  });

  it('names the endpoint of each gap in the text table instead of its index', () => {
    const r = runServingStacks(['parity', '--env', 'dev']);
    const gaps = r.stdout.slice(r.stdout.indexOf('Gaps in'));
    expect(gaps).toContain('endpoints[embedder].scaling.target');
    expect(gaps).not.toMatch(/endpoints\[\d+\]/);
  });

  it('exits 1 for an unknown preset and for a file that disagrees with --env', () => {
    const unknown = runServingStacks(['parity', '--env', 'qa']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('no preset "qa"; presets are dev, staging, prod');
    const mismatch = runServingStacks(['parity', '--env', 'prod', '--topology', 'test/fixtures/news.yaml']);
    expect(mismatch.status).toBe(1);
    expect(mismatch.stderr).toContain('describes environment "dev" but --env says "prod"');
  });
});

describe('serving-stacks schema', () => {
  it('prints a JSON Schema', () => {
    const r = runServingStacks(['schema']);
    expect(JSON.parse(r.stdout)).toMatchObject({ title: 'ml-serving-stacks topology', type: 'object' });
  });

  it('--markdown prints the field reference table', () => {
    const r = runServingStacks(['schema', '--markdown']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(topologyFieldTable());
  });

  it('--markdown FILE rewrites the table between the markers, and says so', () => {
    const dir = mkdtempSync(join(tmpdir(), 'schema-md-'));
    const file = join(dir, 'README.md');
    writeFileSync(file, `intro\n${FIELD_TABLE_START}\nstale\n${FIELD_TABLE_END}\noutro\n`);
    const r = runServingStacks(['schema', '--markdown', file]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${file}: field table updated\n`);
    expect(readFileSync(file, 'utf8')).toBe(`intro\n${FIELD_TABLE_START}\n${topologyFieldTable()}${FIELD_TABLE_END}\noutro\n`);
    expect(runServingStacks(['schema', '--markdown', file]).stdout).toBe(`${file}: field table already up to date\n`);
  });

  it('--markdown FILE fails with what to add when the file has no markers', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'schema-md-')), 'notes.md');
    writeFileSync(file, 'no table\n');
    const r = runServingStacks(['schema', '--markdown', file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`error: ${file} has no field table to replace: add a line ${FIELD_TABLE_START} and, after it, a line ${FIELD_TABLE_END}\n`);
    expect(readFileSync(file, 'utf8')).toBe('no table\n');
  });
});

describe('serving-stacks --version', () => {
  it('prints the package version and the Node.js version', () => {
    const r = runServingStacks(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`serving-stacks ${(require('../../package.json') as { version: string }).version} (Node.js ${process.version})\n`);
  });
});
