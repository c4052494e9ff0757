/**
 * `bin/aws.ts` run the way `cdk synth` runs it: a child process that gets its context in
 * CDK_CONTEXT_JSON and writes the cloud assembly to CDK_OUTDIR. The built-in CloudFormation
 * validator is switched off here (CDK_VALIDATION=false): building its engine costs seconds per
 * process, and serving-stack.test.ts runs it on every environment's template.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { presetInput } from '../../constructs';

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

  it('stops synthesis when a policy pack finds a violation: a production blue/green rollout is not canary or linear (MLServe-SM3)', () => {
    const input = presetInput('prod');
    const file = join(workdir, 'prod-blue-green.json');
    writeFileSync(file, JSON.stringify({ ...input, endpoints: input.endpoints.map((e) => ({ ...e, rollout: { strategy: 'blue-green' } })) }));
    const { status, stderr, outdir } = synth({ topology: file });
    expect(status).not.toBe(0);
    expect(stderr).toContain('MLServe-SM3');
    expect(existsSync(join(outdir, 'news-prod-serving.template.json'))).toBe(true);
  });
});
