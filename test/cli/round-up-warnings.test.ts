/**
 * `validate` and `plan` print a `warning:` line per compute field a cloud rounds up to more GPUs,
 * on stderr with the exit code unchanged, and `--json` carries the same warnings as warnings[].
 */
import { describe, expect, it } from 'vitest';
import { formatWarning, loadTopologyFile, resolveTopology, shapeWarnings } from '../../constructs';
import { runServingStacks } from './run-cli';

const FILE = 'test/fixtures/conformance/gpu-round-up.yaml';
const warnings = shapeWarnings(resolveTopology(loadTopologyFile(FILE)));
const lines = warnings.map((w) => `${formatWarning(w)}\n`).join('');
const asJson = JSON.parse(JSON.stringify(warnings)) as unknown;

describe('round-up warnings on the command line', () => {
  it('validate: one warning line per field on stderr, the verdict on stdout, exit 0', () => {
    expect(warnings.map((w) => w.path)).toEqual(['endpoints[0].compute.accelerator', 'endpoints[1].compute.accelerator', 'endpoints[2].compute.accelerator']);
    const r = runServingStacks(['validate', FILE]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(lines);
    expect(r.stdout).toContain(`${FILE}: valid. genai/dev: 4 endpoints (5 variants)`);
    expect(r.stdout).toContain('; 3 warnings on stderr\n');
  });

  it('validate --json: warnings[] beside the resolved topology, and the same lines on stderr', () => {
    const r = runServingStacks(['validate', FILE, '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { name: string; warnings: unknown };
    expect(out.name).toBe('genai');
    expect(out.warnings).toEqual(asJson);
    expect(r.stderr).toBe(lines);
  });

  it('validate: an exact fit prints no warning', () => {
    const r = runServingStacks(['validate', 'test/fixtures/news.yaml', '--json']);
    expect(r.status).toBe(0);
    expect(r.stderr).not.toContain('warning:');
    expect((JSON.parse(r.stdout) as { warnings: unknown[] }).warnings).toEqual([]);
  });

  it('plan --cloud aws: the same lines on stderr, the plan on stdout', () => {
    const r = runServingStacks(['plan', '--cloud', 'aws', '--topology', FILE]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(lines);
    expect(r.stdout).toMatch(/^AWS plan for genai\/dev: \d+ resources/);
  });

  it('plan --cloud gcp --json: warnings[] in the plan', () => {
    const r = runServingStacks(['plan', '--cloud', 'gcp', '--topology', FILE, '--json']);
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { warnings: unknown }).warnings).toEqual(asJson);
    expect(r.stderr).toContain(lines);
  });
});
