/**
 * `bin/aws.ts` with `-c loadgen=true`: the serving stack and the fleet's stack, both through the
 * policy packs; without the flag the app is the serving stack alone.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const workdir = mkdtempSync(join(tmpdir(), 'serving-stacks-loadgen-app-'));
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

function synth(context: Record<string, string>) {
  const outdir = mkdtempSync(join(workdir, 'out-'));
  const result = spawnSync('npx', ['--no-install', 'tsx', 'bin/aws.ts'], {
    env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: outdir, CDK_VALIDATION: 'false' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  const templates = readdirSync(outdir).filter((f) => f.endsWith('.template.json')).sort();
  return { status: result.status, stderr: result.stderr, outdir, templates };
}

describe('bin/aws.ts -c loadgen', () => {
  it('adds <name>-<env>-loadgen with the placeholder image and says so; the policy packs pass', () => {
    const { status, stderr, templates, outdir } = synth({ loadgen: 'true' });
    expect(stderr).toContain('news-dev-loadgen: no -c loadgenImage: the task definition uses a placeholder image, and the template refuses to deploy it');
    expect(status).toBe(0);
    expect(templates).toEqual(['news-dev-loadgen.template.json', 'news-dev-serving.template.json']);
    const fleet = JSON.parse(readFileSync(join(outdir, 'news-dev-loadgen.template.json'), 'utf8')) as { Rules: Record<string, unknown> };
    expect(Object.keys(fleet.Rules)).toContain('RefusePlaceholderImage');
  });

  it('takes the image from -c loadgenImage', () => {
    const image = '111122223333.dkr.ecr.us-east-1.amazonaws.com/loadgen:2';
    const { status, templates, outdir, stderr } = synth({ loadgen: 'true', loadgenImage: image });
    expect(status).toBe(0);
    expect(stderr).not.toContain('placeholder');
    expect(readFileSync(join(outdir, templates[0]), 'utf8')).toContain('repository/loadgen');
  });

  it('is the serving stack alone with loadgen=false', () => {
    expect(synth({ loadgen: 'false' }).templates).toEqual(['news-dev-serving.template.json']);
  });

  it('fails when -c loadgen is neither true nor false', () => {
    const { status, stderr } = synth({ loadgen: 'yes' });
    expect(status).toBe(1);
    expect(stderr).toContain('-c loadgen: expected true or false, got "yes"');
  });
});
