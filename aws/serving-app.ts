/**
 * The CDK app a serving stack is synthesized in, shared by `bin/aws.ts` and the offline plan so both
 * produce the same templates.
 */
import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { MLServeChecks } from './policy';
import cdkJson from '../cdk.json';

/**
 * Feature flags the serving stacks are written against: every flag aws-cdk-lib recommends for a new
 * app (`CURRENTLY_RECOMMENDED_FLAGS`, as `cdk init` writes them), kept in `cdk.json` so `cdk synth`
 * and the offline plan read one list. Upgrading a stack synthesized without them changes policies
 * in place only (partition literals, sorted actions); test/aws/released-templates.test.ts proves it with
 * check-update.
 */
export const SERVING_APP_CONTEXT: Readonly<Record<string, unknown>> = featureFlags(cdkJson.context);

/** Recommended flags cdk.json sets to false instead, and why. */
export const FLAGS_NOT_TAKEN: Readonly<Record<string, string>> = {
  '@aws-cdk/core:annotationsInValidationReport':
    'it copies construct warnings (the accelerator round-up) into the policy validation report, so `plan` and `cdk synth` would print each warning twice',
};

function featureFlags(context: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(context).filter(([key]) => key.startsWith('@aws-cdk')));
}

/** A CDK app with the serving stacks' feature flags (or `featureFlags` instead, e.g. an older release's). */
export function newServingApp(props: AppProps = {}, featureFlags: Readonly<Record<string, unknown>> = SERVING_APP_CONTEXT): App {
  return new App({ ...props, context: { ...featureFlags, ...props.context } });
}

/**
 * cdk-nag's AwsSolutions and NIST 800-53 R5 packs and our MLServe pack as policy-validation
 * plugins: any unacknowledged finding fails synthesis.
 */
export function addServingPolicyPlugins(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app), new MLServeChecks(app));
}
