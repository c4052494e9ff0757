/**
 * `synthesizeServingTemplates`: the CloudFormation template of a resolved topology's serving stack,
 * synthesized in memory for the offline plan (`serving-stacks plan --cloud aws`) and conformance
 * tests. Nothing is deployed and no credentials are needed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResolvedTopology } from '../constructs';
import { newServingApp } from './serving-app';
import { ServingStack, servingStackId } from './serving-stack';

/**
 * Stack name → CloudFormation template (parsed JSON). CDK always writes a cloud assembly, so it goes
 * to a temporary directory that is removed before returning; the project's `cdk.out` is untouched.
 * The built-in CloudFormation validator is left to callers that want it (`cdk synth` runs it).
 */
export function synthesizeServingTemplates(resolved: ResolvedTopology): Record<string, unknown> {
  const outdir = mkdtempSync(join(tmpdir(), 'serving-stacks-synth-'));
  try {
    const app = newServingApp({ outdir, builtinCloudFormationValidation: false });
    const stack = new ServingStack(app, servingStackId(resolved), { topology: resolved });
    const assembly = app.synth();
    return { [stack.stackName]: assembly.getStackByName(stack.stackName).template };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
