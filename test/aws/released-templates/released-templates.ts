/**
 * The CloudFormation templates a released commit synthesized for every base topology, kept as
 * fixtures so a refactoring can prove it changes no deployed stack: same logical ids, same resource
 * properties (`released-templates.test.ts`), and an upgrade check-update deploys.
 *
 * Synthesized as check-update does (`bundleAssets: false`): Lambda code does not change with a
 * refactoring of the constructs, and skipping bundling keeps the templates independent of esbuild.
 * Record the templates of the checked-out commit with
 * `npx tsx test/aws/released-templates/record-released-templates.ts`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { servingStackId, synthesizeServingTemplates } from '../../../aws';
import type { CfnTemplate } from '../../../aws/check-update';
import { isPresetEnvironment, parseTopology, resolveTopology, type TopologyInput } from '../../../constructs';
import { BASES, type Base } from '../topology-bases';

/** The commit of main the fixtures were recorded at (before aws/ took the shared skeleton). */
export const RELEASED_COMMIT = 'd4ee0fa';

export function releasedTemplatesDir(commit: string): string {
  return join(__dirname, commit);
}

export function releasedTemplatePath(commit: string, base: Base): string {
  return join(releasedTemplatesDir(commit), `${base.replace(/\.yaml$/, '')}.json`);
}

export function releasedTemplate(base: Base): CfnTemplate {
  return JSON.parse(readFileSync(releasedTemplatePath(RELEASED_COMMIT, base), 'utf8')) as CfnTemplate;
}

/** The CDK feature flags the released commit synthesized with (before cdk.json carried the recommended set). */
export const RELEASED_FEATURE_FLAGS: Readonly<Record<string, unknown>> = {
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  '@aws-cdk/aws-sns-subscriptions:restrictSqsDescryption': true,
  '@aws-cdk/core:validateAgainstDefaultRules': true,
};

/**
 * `base` as the released commit had it: its presets ran no embedding-refresh pipeline (the presets
 * gained one since, a topology change, not a refactoring; `released-templates.test.ts` checks that
 * upgrade on its own).
 */
export function releasedInput(base: Base): TopologyInput {
  const input = BASES[base]();
  if (!isPresetEnvironment(base)) return input;
  const { pipelines: _pipelines, ...released } = input;
  return released;
}

/**
 * The template the working tree synthesizes for `base` as released (`releasedInput`), as the fixtures
 * were recorded, or for today's `base` with `current`; with today's feature flags unless given others.
 */
export function synthesizedTemplate(base: Base, featureFlags?: Readonly<Record<string, unknown>>, input: 'released' | 'current' = 'released'): CfnTemplate {
  const resolved = resolveTopology(parseTopology(input === 'released' ? releasedInput(base) : BASES[base]()));
  return synthesizeServingTemplates(resolved, { bundleAssets: false, featureFlags })[servingStackId(resolved)] as CfnTemplate;
}
