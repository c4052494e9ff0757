/**
 * `synthesizeServingTemplates`: the CloudFormation template of a resolved topology's serving stack,
 * synthesized in memory for the offline plan (`serving-stacks plan --cloud aws`) and conformance
 * tests. Nothing is deployed and no credentials are needed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Errors } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import type { ResolvedTopology } from '../constructs';
import { addServingPolicyPlugins, newServingApp } from './serving-app';
import { ServingPropsError } from './serving-props-error';
import { ServingStack, servingStackId } from './serving-stack';

/**
 * Stack name → CloudFormation template (parsed JSON), validated by the same policy packs as
 * `cdk synth` (`addServingPolicyPlugins`), so a plan succeeds exactly when `cdk synth` would.
 * An unacknowledged finding throws a `ServingPropsError` carrying the packs' report.
 *
 * CDK always writes a cloud assembly, so it goes to a temporary directory that is removed before
 * returning; the project's `cdk.out` is untouched. The built-in CloudFormation validator is left to
 * callers that want it (`cdk synth` runs it; building its engine costs seconds).
 *
 * `bundleAssets: false` skips bundling Lambda code (CDK's `aws:cdk:bundling-stacks`, as `cdk synth
 * --exclusively` does for other stacks): the code assets then carry a placeholder hash, which is
 * enough for callers that read the template's structure, not its code (check-update, resource counts).
 */
export interface SynthesizeOptions {
  /** @default true */
  readonly bundleAssets?: boolean;
  /** CDK feature flags to synthesize with. @default SERVING_APP_CONTEXT - cdk.json's */
  readonly featureFlags?: Readonly<Record<string, unknown>>;
}

export function synthesizeServingTemplates(resolved: ResolvedTopology, options: SynthesizeOptions = {}): Record<string, unknown> {
  const outdir = mkdtempSync(join(tmpdir(), 'serving-stacks-synth-'));
  try {
    const app = newServingApp({
      outdir,
      builtinCloudFormationValidation: false,
      // In-memory mode: a failed validation throws with the report instead of printing it to stderr.
      context: { [cxapi.CDK_APP_MODE_CONTEXT]: 'inmemory', ...(options.bundleAssets === false ? { [cxapi.BUNDLING_STACKS]: [] } : {}) },
    }, options.featureFlags);
    const stack = new ServingStack(app, servingStackId(resolved), { topology: resolved });
    addServingPolicyPlugins(app);
    let assembly: cxapi.CloudAssembly;
    try {
      assembly = app.synth();
    } catch (e) {
      if (Errors.isValidationError(e) && e.name === 'ValidationFailed') {
        // The report's copy lives in `outdir`, which is about to be removed: drop the pointer to it.
        const report = e.message.replace(/\s*A copy of this report can be found in: .*$/s, '');
        throw new ServingPropsError(`${stack.stackName}: the policy packs stop synthesis, as \`cdk synth\` would\n${report}`);
      }
      throw e;
    }
    return { [stack.stackName]: assembly.getStackByName(stack.stackName).template };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
