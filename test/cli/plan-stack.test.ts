/** `plan --cloud gcp --stack NAME` plans what `pulumi preview --stack NAME` would hand the program. */
import { rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasStackTrace, runServingStacks } from './run-cli';

interface Plan {
  readonly environment: string;
  readonly resources: { readonly type: string; readonly inputs: Record<string, unknown> }[];
}

describe('serving-stacks plan --stack', () => {
  it("plans a shipped stack's preset and says the project is a placeholder until gcp:project is set", () => {
    const r = runServingStacks(['plan', '--cloud', 'gcp', '--stack', 'prod', '--json']);
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as Plan).environment).toBe('prod');
    expect(r.stderr).toContain('note: gcp:project is not set in Pulumi.prod.yaml: planned in a placeholder project (pulumi config set gcp:project <your-project-id> --stack prod)');
  });

  it("takes gcp:project from the stack file", () => {
    const file = `Pulumi.plan-test-${process.pid}.yaml`;
    writeFileSync(file, 'config:\n  ml-serving-stacks:environment: staging\n  gcp:project: my-serving-project\n  gcp:region: us-central1\n');
    try {
      const r = runServingStacks(['plan', '--cloud', 'gcp', '--stack', `plan-test-${process.pid}`, '--json']);
      expect(r.status).toBe(0);
      expect(r.stderr).not.toContain('placeholder');
      const plan = JSON.parse(r.stdout) as Plan;
      expect(plan.environment).toBe('staging');
      const projects = new Set(plan.resources.map((x) => x.inputs.project).filter((p) => p !== undefined));
      expect([...projects]).toEqual(['my-serving-project']);
    } finally {
      rmSync(file);
    }
  });

  it.each([
    [['--stack', 'nope'], /^error: --stack: no stack file Pulumi\.nope\.yaml in .+; stacks here: dev, prod, staging/],
    [['--stack', 'dev', '--env', 'prod'], /^error: --stack: the stack file picks the topology; drop --env and --topology/],
  ])('fails for %j with one line', (args, message) => {
    const r = runServingStacks(['plan', '--cloud', 'gcp', ...args]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('is a GCP option only', () => {
    const r = runServingStacks(['plan', '--cloud', 'aws', '--stack', 'dev']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--stack: a Pulumi stack is a GCP plan');
  });
});
