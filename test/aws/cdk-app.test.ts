/**
 * `bin/aws.ts` run the way `cdk synth` runs it: a child process that gets its context in
 * CDK_CONTEXT_JSON and writes the cloud assembly to CDK_OUTDIR. The built-in CloudFormation
 * validator is switched off here (CDK_VALIDATION=false): building its engine costs seconds per
 * process, and serving-stack.test.ts runs it on every environment's template.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addServingPolicyPlugins, newServingApp, ServingStack, servingStackId } from '../../aws';
import { preset, resolveTopology, type ResolvedTopology } from '../../constructs';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };


const workdir = mkdtempSync(join(tmpdir(), 'serving-stacks-cdk-app-'));
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

function synth(context: Record<string, string>): { status: number | null; stdout: string; stderr: string; outdir: string } {
  const outdir = mkdtempSync(join(workdir, 'out-'));
  const result = spawnSync('npx', ['--no-install', 'tsx', 'bin/aws.ts'], {
    env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: outdir, CDK_VALIDATION: 'false' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, outdir };
}

const STACK_TRACE = /^\s+at /m;

describe('bin/aws.ts', () => {
  it('synthesizes the dev preset by default, with the policy packs passing', () => {
    const { status, stderr, outdir } = synth({});
    expect(stderr).not.toMatch(STACK_TRACE);
    expect(status).toBe(0);
    const template = JSON.parse(readFileSync(join(outdir, 'news-dev-serving.template.json'), 'utf8')) as { Resources: Record<string, { Type: string }> };
    expect(Object.values(template.Resources).filter((r) => r.Type === 'AWS::SageMaker::Endpoint')).toHaveLength(3);
  });

  it('fails when the topology file is invalid: exit 1, every problem with its path, no stack trace, no assembly', () => {
    const { status, stderr, stdout, outdir } = synth({ topology: 'test/fixtures/invalid.yaml' });
    expect(status).toBe(1);
    expect(stderr).toContain('endpoints[1].scaling.min: must be <= max (3), got 5');
    expect(stderr).toContain('endpoints[1].compute.accelerator.type');
    expect(stderr).not.toMatch(STACK_TRACE);
    expect(stdout).toBe('');
    expect(readdirSync(outdir)).toEqual([]);
  });

  it('fails when the environment has no preset', () => {
    const { status, stderr } = synth({ env: 'qa' });
    expect(status).toBe(1);
    expect(stderr).toContain('-c env: no preset "qa"; presets are dev, staging, prod');
    expect(stderr).not.toMatch(STACK_TRACE);
  });

  it('fails when the file\'s environment contradicts -c env', () => {
    const { status, stderr } = synth({ env: 'prod', topology: 'test/fixtures/news.yaml' });
    expect(status).toBe(1);
    expect(stderr).toContain('describes environment "dev" but -c env says "prod"');
  });

  it('stops synthesis when a policy pack finds a violation: a production rollout that shifts all traffic at once (MLServe-SM3)', () => {
    // The schema rejects this topology, so the violation is made on the resolved form, as a
    // program embedding the constructs could.
    const resolved = structuredClone(resolveTopology(preset('prod'))) as Mutable<ResolvedTopology>;
    const ranker = resolved.endpoints[0] as Mutable<ResolvedTopology['endpoints'][number]>;
    ranker.aws = { ...ranker.aws, deployment: { ...ranker.aws.deployment!, trafficRouting: 'ALL_AT_ONCE' } };
    const outdir = mkdtempSync(join(workdir, 'out-'));
    const app = newServingApp({ outdir });
    new ServingStack(app, servingStackId(resolved), { topology: resolved });
    addServingPolicyPlugins(app);
    expect(() => app.synth()).toThrow(/MLServe-SM3/);
  });
});
