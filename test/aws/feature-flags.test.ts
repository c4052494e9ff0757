/**
 * The feature flags in cdk.json: every flag aws-cdk-lib recommends for a new app, and an upgrade from
 * stacks synthesized before them that CloudFormation applies in place (check-update: nothing
 * rejected, nothing holding data replaced).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { describe, expect, it } from 'vitest';
import cdkJson from '../../cdk.json';
import { PRESET_ENVIRONMENTS, preset, resolveTopology } from '../../constructs';
import { FLAGS_NOT_TAKEN, SERVING_APP_CONTEXT, ServingStack, servingStackId, synthesizeServingTemplates } from '../../aws';
import { checkUpdate, type CfnTemplate } from '../../aws/check-update';

/** The three flags the stacks were synthesized with before cdk.json carried the recommended set. */
const RELEASED_FLAGS = {
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  '@aws-cdk/aws-sns-subscriptions:restrictSqsDescryption': true,
  '@aws-cdk/core:validateAgainstDefaultRules': true,
};

function synthesizeWithReleasedFlags(environment: (typeof PRESET_ENVIRONMENTS)[number]): CfnTemplate {
  const outdir = mkdtempSync(join(tmpdir(), 'released-flags-'));
  try {
    const topology = resolveTopology(preset(environment));
    const app = new App({ outdir, context: { ...RELEASED_FLAGS, [cxapi.CDK_APP_MODE_CONTEXT]: 'inmemory', [cxapi.BUNDLING_STACKS]: [] } });
    const stack = new ServingStack(app, servingStackId(topology), { topology });
    return app.synth().getStackByName(stack.stackName).template as CfnTemplate;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

describe('feature flags', () => {
  it('cdk.json sets every flag aws-cdk-lib recommends, at its recommended value or to false with a reason', () => {
    const context = cdkJson.context as Record<string, unknown>;
    for (const [flag, value] of Object.entries(cxapi.CURRENTLY_RECOMMENDED_FLAGS)) expect(context[flag], flag).toEqual(flag in FLAGS_NOT_TAKEN ? false : value);
    for (const flag of Object.keys(FLAGS_NOT_TAKEN)) expect(cxapi.CURRENTLY_RECOMMENDED_FLAGS, flag).toHaveProperty([flag]);
  });

  it('the CDK app and the offline plan read the same flags', () => {
    expect(SERVING_APP_CONTEXT).toEqual(Object.fromEntries(Object.entries(cdkJson.context).filter(([flag]) => flag.startsWith('@aws-cdk'))));
  });

  it.each(PRESET_ENVIRONMENTS)('upgrading %s from the released flags updates in place only', (environment) => {
    const before = synthesizeWithReleasedFlags(environment);
    const [after] = Object.values(synthesizeServingTemplates(resolveTopology(preset(environment)), { bundleAssets: false })) as CfnTemplate[];
    const report = checkUpdate(before, after);
    expect(report.changes.length).toBeGreaterThan(0);
    expect(report.changes.filter((c) => c.action !== 'update')).toEqual([]);
    expect(report.deployable).toBe(true);
  }, 60_000);
});
